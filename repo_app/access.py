"""Every access decision in the repository, in one place.

``decide(actor, action, work, file)`` answers "may this actor do this to
this work (or file)?"; ``search_scope(actor, policy)`` answers, by asking
``decide`` about each level, "what may this actor find in the index?".
Views, search, the API, OAI-PMH, the sitemap and the reader all ask here;
nothing else looks at roles or levels.

The rules are expressed with *audience tokens*: an actor holds some
(``anyone``, ``member`` when logged in, ``campus`` / ``reading_room``
when the request comes from those networks, ``staff`` for librarians and
admins), and each access level lists the tokens that may do each action.
The depositor of a work and holders of a current grant are added on top.

The index stores facts about a work (``level_schedule``, ``owner_key``),
never the outcome of these rules, so a change of policy or date is in
force at the next search without re-indexing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Protocol

from repo_app.errors import Forbidden, NotFound
from repo_app.vocab import AccessLevel, Role, WorkStatus
from search.documents import Scope


class Action(StrEnum):
    VIEW_METADATA = "view_metadata"
    READ_ONLINE = "read_online"
    DOWNLOAD = "download"
    SEARCH_FULLTEXT = "search_fulltext"
    EDIT = "edit"
    CHANGE_ACCESS = "change_access"
    REVIEW = "review"
    DEPOSIT = "deposit"
    VIEW_REPORTS = "view_reports"
    MANAGE_HOLDINGS = "manage_holdings"
    MANAGE_USERS = "manage_users"
    HARVEST = "harvest"
    REQUEST_COPY = "request_copy"
    REQUEST_ONSITE = "request_onsite"
    DECIDE_ONSITE = "decide_onsite"
    MANAGE_JOBS = "manage_jobs"  # the background jobs and OCR review (librarians)


ANYONE, MEMBER, CAMPUS, READING_ROOM, STAFF = "anyone", "member", "campus", "reading_room", "staff"
STAFF_ROLES = frozenset({Role.LIBRARIAN, Role.ADMIN})
DEPOSIT_ROLES = frozenset({Role.DEPOSITOR, Role.LIBRARIAN, Role.ADMIN})


@dataclass(frozen=True)
class Actor:
    """Who is asking, from where. Built per request by ``repo_app.actors``."""

    user_id: int | None = None
    role: Role = Role.ANONYMOUS
    networks: frozenset[str] = frozenset()
    granted_work_ids: frozenset[int] = frozenset()
    name: str = ""
    # Works the actor holds an approved, current on-site reading permit for (any network:
    # the policy decides where a permit may be used).
    onsite_work_ids: frozenset[int] = frozenset()

    @property
    def is_staff(self) -> bool:
        return self.role in STAFF_ROLES

    @property
    def tokens(self) -> frozenset[str]:
        tokens = {ANYONE} | set(self.networks)
        if self.user_id is not None:
            tokens.add(MEMBER)
        if self.is_staff:
            tokens.add(STAFF)
        return frozenset(tokens)


ANONYMOUS = Actor()
# Who the command line and background work act as: an administrator with no account
# (the audit log shows "system").
SYSTEM = Actor(role=Role.ADMIN, name="system")


@dataclass(frozen=True)
class Decision:
    """The answer and why. ``hidden`` means the actor must not learn the work exists (404)."""

    allowed: bool
    reason: str
    hidden: bool = False

    def __bool__(self) -> bool:
        return self.allowed


class WorkLike(Protocol):
    id: int
    status: str
    access_level: str
    embargo_until: date | None
    access_after_embargo: str
    depositor_id: int | None


class FileLike(Protocol):
    access_level: str | None


@dataclass(frozen=True)
class Policy:
    """The tables that map a level to the tokens allowed each action.

    Built from configuration: whether restricted reading needs a login, a
    reading-room network, or either; whether embargoed metadata is public.
    """

    restricted_readers: frozenset[str] = frozenset({MEMBER, READING_ROOM})
    embargo_metadata_public: bool = True
    read: Mapping[str, frozenset[str]] = field(init=False)
    download: Mapping[str, frozenset[str]] = field(init=False)
    metadata: Mapping[str, frozenset[str]] = field(init=False)
    # level → the tokens from which the holder of an on-site permit for the work reads it.
    permit_read: Mapping[str, frozenset[str]] = field(init=False)
    # Levels a request-a-copy grant opens (every level but on-site: no copies of those).
    copy_grant_levels: frozenset[str] = field(init=False)

    def __post_init__(self) -> None:
        staff = frozenset({STAFF})
        campus = frozenset({CAMPUS, MEMBER, STAFF})
        read = {
            AccessLevel.OPEN: frozenset({ANYONE}),
            AccessLevel.CAMPUS: campus,
            AccessLevel.RESTRICTED: self.restricted_readers | staff,
            AccessLevel.EMBARGOED: staff,
            AccessLevel.CONFIDENTIAL: staff,
            AccessLevel.ONSITE: staff,
        }
        download = dict(read, **{AccessLevel.RESTRICTED: staff})
        embargo_meta = frozenset({ANYONE}) if self.embargo_metadata_public else staff
        metadata = {level: frozenset({ANYONE}) for level in AccessLevel}
        metadata[AccessLevel.EMBARGOED] = embargo_meta
        metadata[AccessLevel.CONFIDENTIAL] = staff
        object.__setattr__(self, "read", read)
        object.__setattr__(self, "download", download)
        object.__setattr__(self, "metadata", metadata)
        object.__setattr__(self, "permit_read", {AccessLevel.ONSITE: frozenset({READING_ROOM})})
        object.__setattr__(self, "copy_grant_levels",
                           frozenset(AccessLevel) - {AccessLevel.ONSITE})


@dataclass(frozen=True)
class LevelSchedule:
    """A work's level and, for an embargo with an end, the day it changes and what to."""

    level: str
    changes_on: date | None = None
    level_after: str = ""


def level_schedule(work: WorkLike) -> LevelSchedule:
    """The facts ``effective_level`` judges, for storing where no policy applies (the index)."""
    if work.access_level == AccessLevel.EMBARGOED and work.embargo_until is not None:
        return LevelSchedule(work.access_level, work.embargo_until,
                             work.access_after_embargo or AccessLevel.OPEN)
    return LevelSchedule(work.access_level)


def effective_level(work: WorkLike, file: FileLike | None = None, today: date | None = None) -> str:
    """The level in force today: a file's override, and an embargo past its date lifted.

    Computed on every request, so an embargo ends at midnight with no job
    having run (a job only tidies up: re-index, datestamp, audit).
    """
    level = (file.access_level if file is not None else None) or work.access_level
    if level == AccessLevel.EMBARGOED and embargo_over(work, today):
        return work.access_after_embargo or AccessLevel.OPEN
    return level


def embargo_over(work: WorkLike, today: date | None = None) -> bool:
    today = today or date.today()
    return work.embargo_until is not None and work.embargo_until <= today


def _is_owner(actor: Actor, work: WorkLike) -> bool:
    return actor.user_id is not None and actor.user_id == work.depositor_id


def decide(
    actor: Actor,
    action: Action,
    work: WorkLike | None = None,
    file: FileLike | None = None,
    *,
    policy: Policy | None = None,
    today: date | None = None,
) -> Decision:
    """Allow or deny ``action`` on ``work`` (and ``file``) for ``actor``, with a reason."""
    policy = policy or Policy()
    if work is None:
        return _decide_global(actor, action)
    visible = _metadata_visible(actor, work, policy, today)
    if not visible:
        return Decision(False, "not visible to this actor", hidden=True)
    if action == Action.VIEW_METADATA:
        return visible
    if action in (Action.EDIT, Action.CHANGE_ACCESS, Action.REVIEW):
        return _decide_management(actor, action, work)
    if action in (Action.READ_ONLINE, Action.SEARCH_FULLTEXT, Action.DOWNLOAD):
        return _decide_content(actor, action, work, file, policy, today)
    if action == Action.REQUEST_COPY:
        return _decide_copy_request(actor, work, file, policy, today)
    if action == Action.REQUEST_ONSITE:
        return _decide_onsite_request(actor, work, policy, today)
    return Decision(False, f"unknown action {action}")


def require(actor: Actor, action: Action, work: WorkLike | None = None,
            file: FileLike | None = None, *, policy: Policy | None = None) -> None:
    """``decide``, raising when it says no: the one way a service refuses.

    ``NotFound`` when the actor must not learn the work exists (a hidden work
    looks exactly like a missing one), ``Forbidden`` with the reason otherwise.
    """
    decision = decide(actor, action, work, file, policy=policy)
    if decision.hidden:
        raise NotFound()
    if not decision:
        raise Forbidden(decision.reason, work_id=getattr(work, "id", None),
                        file_id=getattr(file, "id", None))


def _decide_global(actor: Actor, action: Action) -> Decision:
    if action == Action.DEPOSIT:
        ok = actor.role in DEPOSIT_ROLES
        return Decision(ok, "depositors and staff deposit" if ok else "login as a depositor")
    if action in (Action.REVIEW, Action.VIEW_REPORTS, Action.MANAGE_HOLDINGS, Action.CHANGE_ACCESS,
                  Action.EDIT, Action.HARVEST, Action.DECIDE_ONSITE, Action.MANAGE_JOBS):
        return Decision(actor.is_staff, "staff only")
    if action == Action.MANAGE_USERS:
        return Decision(actor.role == Role.ADMIN, "administrators only")
    return Decision(False, f"{action} needs a work")


def _metadata_visible(actor: Actor, work: WorkLike, policy: Policy, today: date | None) -> Decision:
    if actor.is_staff:
        return Decision(True, "staff see everything")
    if _is_owner(actor, work):
        return Decision(True, "the depositor sees their work")
    if work.status != WorkStatus.PUBLISHED:
        return Decision(False, "not published", hidden=True)
    level = effective_level(work, today=today)
    if actor.tokens & policy.metadata[level]:
        return Decision(True, f"metadata of {level} works is public")
    return Decision(False, f"{level} work", hidden=True)


def _decide_management(actor: Actor, action: Action, work: WorkLike) -> Decision:
    if actor.is_staff:
        return Decision(True, "staff manage works")
    editable = work.status in (WorkStatus.DRAFT, WorkStatus.RETURNED)
    if action == Action.EDIT and _is_owner(actor, work) and editable:
        return Decision(True, "the depositor edits a draft or returned work")
    return Decision(False, "only staff may do this")


def _decide_content(
    actor: Actor,
    action: Action,
    work: WorkLike,
    file: FileLike | None,
    policy: Policy,
    today: date | None,
) -> Decision:
    if actor.is_staff or _is_owner(actor, work):
        return Decision(True, "staff and the depositor read and download")
    level = effective_level(work, file, today)
    if work.id in actor.granted_work_ids and level in policy.copy_grant_levels:
        return Decision(True, "a current access grant")
    table = policy.download if action == Action.DOWNLOAD else policy.read
    if actor.tokens & table[level]:
        return Decision(True, f"{level}: allowed for {sorted(actor.tokens & table[level])}")
    if action != Action.DOWNLOAD and _permit_opens(actor, work, level, policy):
        return Decision(True, f"{level}: an on-site permit, used in the reading room")
    return Decision(False, _denial_reason(level, action))


def _permit_opens(actor: Actor, work: WorkLike, level: str, policy: Policy) -> bool:
    where = policy.permit_read.get(level, frozenset())
    return work.id in actor.onsite_work_ids and bool(actor.tokens & where)


def _decide_onsite_request(actor: Actor, work: WorkLike, policy: Policy,
                           today: date | None) -> Decision:
    """A logged-in member may ask to read an on-site work in the reading room (staff decide)."""
    if actor.user_id is None:
        return Decision(False, "log in to request on-site reading")
    if effective_level(work, today=today) not in policy.permit_read:
        return Decision(False, "not an on-site work")
    if actor.is_staff or _is_owner(actor, work):
        return Decision(False, "already available to this actor")
    return Decision(True, "members may ask to read on site")


def _decide_copy_request(actor: Actor, work: WorkLike, file: FileLike | None, policy: Policy,
                         today: date | None) -> Decision:
    """A logged-in member may ask for a copy of what they cannot download (librarians decide)."""
    if actor.user_id is None:
        return Decision(False, "log in to request a copy")
    if effective_level(work, file, today) not in policy.copy_grant_levels:
        return Decision(False, "on-site reading only: no copies are made")
    if _decide_content(actor, Action.DOWNLOAD, work, file, policy, today):
        return Decision(False, "already available to this actor")
    return Decision(True, "members may ask the librarians for a copy")


def _denial_reason(level: str, action: Action) -> str:
    if level == AccessLevel.RESTRICTED and action == Action.DOWNLOAD:
        return "restricted reading: read online only"
    if level == AccessLevel.CAMPUS:
        return "campus only: log in or connect from the campus network"
    if level == AccessLevel.RESTRICTED:
        return "restricted reading: log in or visit the reading room"
    if level == AccessLevel.EMBARGOED:
        return "embargoed"
    if level == AccessLevel.ONSITE and action == Action.DOWNLOAD:
        return "on-site reading only: never downloaded"
    if level == AccessLevel.ONSITE:
        return "on-site reading only: an approved request, in the reading room"
    return f"{level}: not allowed"


# The level of a record harvested from a partner library: its metadata is a
# public catalogue entry; its text, if any, is the partner's, never ours to show.
CATALOGUE_RECORD = ""


def owner_key(user_id: int | None) -> str:
    """How the index names a work's depositor (and a searcher's own works)."""
    return f"user:{user_id}" if user_id is not None else ""


@dataclass(frozen=True)
class _PublishedAt:
    """A published work at ``access_level`` that no one owns or was granted: a level's probe."""

    access_level: str
    id: int = 0
    status: str = WorkStatus.PUBLISHED
    embargo_until: date | None = None
    access_after_embargo: str = ""
    depositor_id: int | None = None


def search_scope(actor: Actor, policy: Policy | None = None, today: date | None = None) -> Scope:
    """What this actor may find in the index under ``policy`` today.

    Each level of the policy's tables is put to ``decide``, so search follows
    exactly the rules the pages follow, a new level needs no change here, and
    the answer is the policy in force now, not the one the index was built under.
    """
    policy = policy or Policy()
    today = today or date.today()

    def levels(action: Action) -> frozenset[str]:
        return frozenset(level for level in policy.metadata
                         if decide(actor, action, _PublishedAt(level), policy=policy, today=today))

    # Whole works the actor may read besides their levels: current grants (never of on-site
    # works, see grants.active_work_ids) and on-site permits where the policy lets them be used.
    permits_usable = any(actor.tokens & where for where in policy.permit_read.values())
    whole = actor.granted_work_ids | (actor.onsite_work_ids if permits_usable else frozenset())
    return Scope(
        metadata_levels=levels(Action.VIEW_METADATA) | {CATALOGUE_RECORD},
        text_levels=levels(Action.SEARCH_FULLTEXT),
        today=today,
        owner=owner_key(actor.user_id),
        work_ids=frozenset(str(i) for i in whole),
    )


def policy_from_config(config: Mapping[str, object]) -> Policy:
    """The policy the app's configuration asks for."""
    readers = frozenset(str(r) for r in config.get("RESTRICTED_READERS", {MEMBER, READING_ROOM}))
    return Policy(
        restricted_readers=readers,
        embargo_metadata_public=bool(config.get("EMBARGO_METADATA_PUBLIC", True)),
    )


def counts_as_use(actor: Actor) -> bool:
    """Whether the actor's visits count in the usage statistics: library staff's do not
    (COUNTER counts readers' use, not the library's own work on its records)."""
    return not actor.is_staff
