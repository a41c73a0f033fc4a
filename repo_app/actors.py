"""Turn an HTTP request into an ``access.Actor``: who is asking and from which network."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

from flask import current_app, g, request
from flask_login import current_user

from repo_app import db
from repo_app.access import CAMPUS, READING_ROOM, Actor
from repo_app.config import Network
from repo_app.services.grants import active_work_ids
from repo_app.services.onsite import permitted_work_ids
from repo_app.vocab import Role


def _in_any(address: str | None, networks: Iterable[Network]) -> bool:
    if not address:
        return False
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in net for net in networks)


def networks_of(address: str | None) -> frozenset[str]:
    """Network tokens for a client address, from the configured CIDR lists.

    ``request.remote_addr`` is trusted only as far as ProxyFix was told to
    trust proxies (``REPO_TRUSTED_PROXIES``), so a forged X-Forwarded-For
    changes nothing by default.
    """
    tokens = set()
    if _in_any(address, current_app.config["CAMPUS_NETWORKS"]):
        tokens.add(CAMPUS)
    if _in_any(address, current_app.config["READING_ROOM_NETWORKS"]):
        tokens.add(READING_ROOM)
    return frozenset(tokens)


def current_actor() -> Actor:
    """The actor for this request, computed once."""
    if "actor" not in g:
        g.actor = _build_actor()
    return g.actor


def _build_actor() -> Actor:
    networks = networks_of(request.remote_addr)
    if not current_user.is_authenticated:
        return Actor(networks=networks)
    grants = active_work_ids(db.session(), current_user.id)
    return Actor(
        user_id=current_user.id,
        role=Role(current_user.role),
        networks=networks,
        granted_work_ids=frozenset(grants),
        onsite_work_ids=permitted_work_ids(db.session(), current_user.id),
        name=current_user.display_name,
    )
