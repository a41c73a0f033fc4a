"""Believing ``X-Forwarded-For`` only from the proxies we were told to trust.

Werkzeug's ProxyFix trusts a fixed *number* of hops; our configuration
names the proxies by network (``REPO_TRUSTED_PROXIES``), which stays right
when a request bypasses the proxy: a client that connects directly and
forges the header is not a trusted proxy, so its header is ignored.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Iterable
from typing import Any

from repo_app.config import Network


def _trusted(address: str, networks: Iterable[Network]) -> bool:
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return False
    return any(ip in net for net in networks)


def client_address(remote_addr: str, forwarded_for: str, networks: tuple[Network, ...]) -> str:
    """The first address, walking back from our side, that is not a trusted proxy."""
    if not forwarded_for or not _trusted(remote_addr, networks):
        return remote_addr
    hops = [h.strip() for h in forwarded_for.split(",") if h.strip()]
    for hop in reversed(hops):
        if not _trusted(hop, networks):
            return hop
    return hops[0] if hops else remote_addr


class TrustedProxies:
    """WSGI middleware setting REMOTE_ADDR to the real client behind trusted proxies."""

    def __init__(self, app: Callable[..., Any], networks: tuple[Network, ...]) -> None:
        self.app = app
        self.networks = networks

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        remote = environ.get("REMOTE_ADDR", "")
        forwarded = environ.get("HTTP_X_FORWARDED_FOR", "")
        environ["REPO_PEER_ADDR"] = remote
        environ["REMOTE_ADDR"] = client_address(remote, forwarded, self.networks)
        return self.app(environ, start_response)
