"""Who may ask for a copy: decided in the access module, like every other permission."""

from __future__ import annotations

from datetime import date, timedelta
from types import SimpleNamespace

import pytest

from repo_app.access import Action, Actor, decide
from repo_app.vocab import Role

OWNER = 7


def _work(level: str, **extra) -> SimpleNamespace:
    fields = {"id": 1, "status": "published", "access_level": level, "embargo_until": None,
              "access_after_embargo": "open", "depositor_id": OWNER}
    return SimpleNamespace(**{**fields, **extra})


READER = Actor(user_id=2, role=Role.READER)


@pytest.mark.parametrize(("actor", "level", "allowed"), [
    (Actor(), "restricted", False),                                  # guests log in first
    (READER, "open", False),                                         # nothing to ask for
    (READER, "campus", False),                                       # members read campus works
    (READER, "restricted", True),                                    # read online, no download
    (READER, "embargoed", True),
    (Actor(user_id=OWNER, role=Role.DEPOSITOR), "restricted", False),  # the depositor has it
    (Actor(user_id=3, role=Role.LIBRARIAN), "embargoed", False),       # staff have it
    (Actor(user_id=2, role=Role.READER, granted_work_ids=frozenset({1})), "restricted", False),
])
def test_request_copy(actor, level, allowed):
    until = date.today() + timedelta(days=5) if level == "embargoed" else None
    assert decide(actor, Action.REQUEST_COPY, _work(level, embargo_until=until)).allowed is allowed


def test_a_confidential_work_cannot_be_requested_and_stays_hidden():
    decision = decide(READER, Action.REQUEST_COPY, _work("confidential"))
    assert (decision.allowed, decision.hidden) == (False, True)


def test_a_restricted_file_of_an_open_work_can_be_requested():
    appendix = SimpleNamespace(access_level="restricted")
    assert decide(READER, Action.REQUEST_COPY, _work("open"), appendix).allowed
    assert not decide(READER, Action.REQUEST_COPY, _work("open")).allowed
