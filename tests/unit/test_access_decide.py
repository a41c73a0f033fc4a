"""The access module's decisions, as a table: actor × level × action → allowed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pytest

from repo_app.access import (
    ANONYMOUS,
    Action,
    Actor,
    Policy,
    decide,
    effective_level,
    level_schedule,
    owner_key,
    require,
    search_scope,
)
from repo_app.errors import Forbidden, NotFound
from repo_app.vocab import Role

TODAY = date(2026, 11, 25)


@dataclass
class FakeWork:
    """A plain record with a work's access fields (the access module needs nothing else)."""

    access_level: str
    id: int = 1
    status: str = "published"
    embargo_until: date | None = None
    access_after_embargo: str = "open"
    depositor_id: int | None = 7


@dataclass
class FakeFile:
    access_level: str | None = None


ACTORS = {
    "anonymous": ANONYMOUS,
    "anonymous_campus": Actor(networks=frozenset({"campus"})),
    "anonymous_reading_room": Actor(networks=frozenset({"reading_room"})),
    "reader": Actor(user_id=2, role=Role.READER),
    "owner": Actor(user_id=7, role=Role.DEPOSITOR),
    "other_depositor": Actor(user_id=8, role=Role.DEPOSITOR),
    "librarian": Actor(user_id=3, role=Role.LIBRARIAN),
    "admin": Actor(user_id=4, role=Role.ADMIN),
}

# (actor, level) → (view_metadata, read_online, download)
EXPECTED = {
    "open": {a: (True, True, True) for a in ACTORS},
    "campus": {
        "anonymous": (True, False, False), "anonymous_campus": (True, True, True),
        "anonymous_reading_room": (True, False, False), "reader": (True, True, True),
        "owner": (True, True, True), "other_depositor": (True, True, True),
        "librarian": (True, True, True), "admin": (True, True, True),
    },
    "restricted": {
        "anonymous": (True, False, False), "anonymous_campus": (True, False, False),
        "anonymous_reading_room": (True, True, False), "reader": (True, True, False),
        "owner": (True, True, True), "other_depositor": (True, True, False),
        "librarian": (True, True, True), "admin": (True, True, True),
    },
    "embargoed": {
        a: (True, a in ("owner", "librarian", "admin"), a in ("owner", "librarian", "admin"))
        for a in ACTORS
    },
    "confidential": {
        a: ((True,) * 3 if a in ("owner", "librarian", "admin") else (False,) * 3)
        for a in ACTORS
    },
}

CASES = [(actor, level) for level in EXPECTED for actor in ACTORS]


@pytest.mark.parametrize(("actor_name", "level"), CASES)
def test_matrix(actor_name: str, level: str) -> None:
    work = FakeWork(level, embargo_until=TODAY + timedelta(days=30) if level == "embargoed" else None)
    actor = ACTORS[actor_name]
    got = tuple(
        decide(actor, action, work, today=TODAY).allowed
        for action in (Action.VIEW_METADATA, Action.READ_ONLINE, Action.DOWNLOAD)
    )
    assert got == EXPECTED[level][actor_name]


def test_confidential_is_hidden_not_forbidden() -> None:
    decision = decide(ANONYMOUS, Action.READ_ONLINE, FakeWork("confidential"), today=TODAY)
    assert not decision.allowed and decision.hidden


@pytest.mark.parametrize(("days", "lifted"), [(-1, True), (0, True), (1, False)])
def test_embargo_lifts_on_its_date(days: int, lifted: bool) -> None:
    work = FakeWork("embargoed", embargo_until=TODAY + timedelta(days=days))
    assert decide(ANONYMOUS, Action.DOWNLOAD, work, today=TODAY).allowed is lifted
    assert effective_level(work, today=TODAY) == ("open" if lifted else "embargoed")


def test_embargo_lifts_to_its_after_level() -> None:
    work = FakeWork("embargoed", embargo_until=TODAY, access_after_embargo="campus")
    assert effective_level(work, today=TODAY) == "campus"
    assert not decide(ANONYMOUS, Action.READ_ONLINE, work, today=TODAY)
    assert decide(ACTORS["reader"], Action.READ_ONLINE, work, today=TODAY)


def test_file_override_is_stricter_than_work() -> None:
    work = FakeWork("open")
    appendix = FakeFile("restricted")
    assert not decide(ANONYMOUS, Action.DOWNLOAD, work, appendix, today=TODAY)
    assert decide(ANONYMOUS, Action.DOWNLOAD, work, FakeFile(), today=TODAY)


def test_unpublished_work_only_for_owner_and_staff() -> None:
    draft = FakeWork("open", status="submitted")
    assert decide(ANONYMOUS, Action.VIEW_METADATA, draft).hidden
    assert not decide(ACTORS["other_depositor"], Action.VIEW_METADATA, draft)
    assert decide(ACTORS["owner"], Action.VIEW_METADATA, draft)
    assert decide(ACTORS["librarian"], Action.VIEW_METADATA, draft)


def test_grant_opens_a_restricted_work_to_one_user() -> None:
    work = FakeWork("embargoed", embargo_until=TODAY + timedelta(days=9), id=42)
    granted = Actor(user_id=2, role=Role.READER, granted_work_ids=frozenset({42}))
    assert decide(granted, Action.DOWNLOAD, work, today=TODAY)
    assert not decide(ACTORS["reader"], Action.DOWNLOAD, work, today=TODAY)


def test_restricted_reading_can_require_the_reading_room() -> None:
    policy = Policy(restricted_readers=frozenset({"reading_room"}))
    work = FakeWork("restricted")
    assert not decide(ACTORS["reader"], Action.READ_ONLINE, work, policy=policy)
    assert decide(ACTORS["anonymous_reading_room"], Action.READ_ONLINE, work, policy=policy)


def test_embargoed_metadata_can_be_private() -> None:
    policy = Policy(embargo_metadata_public=False)
    work = FakeWork("embargoed", embargo_until=TODAY + timedelta(days=1))
    assert decide(ANONYMOUS, Action.VIEW_METADATA, work, policy=policy, today=TODAY).hidden


POLICIES = {
    "default": Policy(),
    "reading_room_only": Policy(restricted_readers=frozenset({"reading_room"})),
    "members_only": Policy(restricted_readers=frozenset({"member"})),
    "embargo_private": Policy(embargo_metadata_public=False),
}
SEARCHED_WORKS = {
    **{level: FakeWork(level) for level in ("open", "campus", "restricted", "confidential")},
    "embargo_running": FakeWork("embargoed", embargo_until=TODAY + timedelta(days=1),
                                access_after_embargo="campus"),
    "embargo_ends_today": FakeWork("embargoed", embargo_until=TODAY,
                                   access_after_embargo="restricted"),
    "embargo_over": FakeWork("embargoed", embargo_until=TODAY - timedelta(days=1),
                             access_after_embargo="campus"),
    "embargo_without_end": FakeWork("embargoed"),
}


def _level_as_the_index_judges(work: FakeWork, today: date) -> str:
    """The level ``search.visibility.at_level`` finds in force from the stored facts."""
    schedule = level_schedule(work)
    if schedule.changes_on is not None and schedule.changes_on <= today:
        return schedule.level_after
    return schedule.level


@pytest.mark.parametrize("policy_name", list(POLICIES))
@pytest.mark.parametrize("actor_name", list(ACTORS))
@pytest.mark.parametrize("work_name", list(SEARCHED_WORKS))
def test_search_scope_agrees_with_decide(policy_name: str, actor_name: str, work_name: str) -> None:
    """Judged from the index's facts, the scope gives every decision ``decide`` gives."""
    policy, actor, work = POLICIES[policy_name], ACTORS[actor_name], SEARCHED_WORKS[work_name]
    scope = search_scope(actor, policy, TODAY)
    level = _level_as_the_index_judges(work, TODAY)
    owner = scope.owner == owner_key(work.depositor_id)
    sees = level in scope.metadata_levels or owner
    reads = level in scope.text_levels or owner
    assert sees == decide(actor, Action.VIEW_METADATA, work, policy=policy, today=TODAY).allowed
    assert reads == decide(actor, Action.SEARCH_FULLTEXT, work, policy=policy, today=TODAY).allowed


@pytest.mark.parametrize(("level", "sees"), [("restricted", True), ("confidential", False)])
def test_a_grant_opens_the_text_never_the_record(level: str, sees: bool) -> None:
    """``search.visibility`` reads granted works' text only where their record is visible."""
    granted = Actor(user_id=2, role=Role.READER, granted_work_ids=frozenset({1}))
    scope = search_scope(granted, Policy(), TODAY)
    assert scope.work_ids == {"1"}
    assert (level in scope.metadata_levels) is sees
    assert decide(granted, Action.VIEW_METADATA, FakeWork(level), today=TODAY).allowed is sees
    assert decide(granted, Action.SEARCH_FULLTEXT, FakeWork(level), today=TODAY).allowed is sees


def test_every_level_of_the_policy_is_judged() -> None:
    """A level added to the policy's tables reaches search with no change there."""
    scope = search_scope(ACTORS["librarian"], Policy(), TODAY)
    assert set(Policy().metadata) <= scope.metadata_levels
    assert scope.text_levels == set(Policy().metadata)


def test_global_permissions() -> None:
    assert not decide(ANONYMOUS, Action.DEPOSIT)
    assert not decide(ACTORS["reader"], Action.DEPOSIT)
    assert decide(ACTORS["owner"], Action.DEPOSIT)
    assert not decide(ACTORS["owner"], Action.REVIEW)
    assert decide(ACTORS["librarian"], Action.REVIEW)
    assert not decide(ACTORS["librarian"], Action.MANAGE_USERS)
    assert decide(ACTORS["admin"], Action.MANAGE_USERS)


@pytest.mark.parametrize(("work", "actor", "error"), [
    (FakeWork("confidential"), ANONYMOUS, NotFound),  # hidden: as if it did not exist
    (FakeWork("open", status="draft"), ANONYMOUS, NotFound),
    (FakeWork("restricted"), ANONYMOUS, Forbidden),  # seen, but not downloadable
])
def test_require_refuses_hidden_works_as_missing_and_the_rest_as_forbidden(work, actor, error):
    with pytest.raises(error):
        require(actor, Action.DOWNLOAD, work, policy=Policy())


def test_require_passes_silently_when_allowed():
    assert require(ANONYMOUS, Action.DOWNLOAD, FakeWork("open"), policy=Policy()) is None
    assert require(Actor(user_id=2, role=Role.LIBRARIAN), Action.REVIEW) is None
    with pytest.raises(Forbidden):
        require(Actor(user_id=3, role=Role.READER), Action.REVIEW)
