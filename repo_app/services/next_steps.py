"""What a reader held back by an access limit can do next.

A refusal that says only "not allowed" is a dead end. Each way past a limit
(log in, come to the reading room, wait for the embargo's end, ask for a copy,
ask to read on site) is found by putting the same question to
``access.decide`` as someone who had taken that step: a logged-in member, a
visitor in the reading room, the same reader on the day the embargo ends. So
a page never offers a step the access rules would refuse in turn, and a new
level or policy needs no change here. The work page and the 403 pages of the
reader and download addresses both show what this returns.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date

from flask import current_app
from flask_babel import get_locale
from sqlalchemy.orm import Session

from repo_app import resources
from repo_app.access import READING_ROOM, Action, Actor, decide, effective_level
from repo_app.errors import NotFound
from repo_app.models import File, Work
from repo_app.services import copy_requests, onsite, works
from repo_app.vocab import Role


@dataclass(frozen=True)
class ReadingRoom:
    """Where and when the reading room is open (from configuration, in the page's language)."""

    hours: str
    address: str


@dataclass(frozen=True)
class NextSteps:
    """The ways past the limits on a work (or one file) open to this actor, as plain values."""

    work_id: int
    reads_online: bool  # the actor already reads (some of) it online: a copy is for downloading
    login_to_read: bool  # a guest who reads it online once logged in
    reading_room: ReadingRoom | None  # reading it there (with a permit, for on-site works)
    opens_on: date | None  # the embargo ends on this day, and then the actor may read it
    copy_request: str  # "form", "login" (a guest who could ask once logged in) or ""
    onsite_request: bool  # the actor may ask to read it on site, in the reading room

    @property
    def any(self) -> bool:
        return bool(self.login_to_read or self.reading_room or self.opens_on
                    or self.copy_request or self.onsite_request)


def for_work(actor: Actor, work: Work, file: File | None = None) -> NextSteps:
    """The next steps for ``work`` (which the actor may see), or for one of its files."""
    policy = resources.policy()
    targets: list[File | None] = [file] if file is not None else list(work.files) or [None]

    def reads(who: Actor, on: date | None = None) -> list[bool]:
        return [decide(who, Action.READ_ONLINE, work, f, policy=policy, today=on).allowed
                for f in targets]

    now = reads(actor)
    refused = [i for i, ok in enumerate(now) if not ok]

    def opens_for(who: Actor, on: date | None = None) -> bool:
        later = reads(who, on)
        return any(later[i] for i in refused)

    return NextSteps(
        work_id=work.id,
        reads_online=any(now),
        login_to_read=actor.user_id is None and opens_for(_as_member(actor)),
        reading_room=_reading_room() if _room_opens(actor, work, opens_for) else None,
        opens_on=_embargo_end(work, [targets[i] for i in refused]),
        copy_request=copy_requests.offer(actor, work, targets),
        onsite_request=onsite.may_request(actor, work),
    )


def after_refusal(db: Session, actor: Actor, work_id: int, file_id: int | None) -> NextSteps | None:
    """The next steps for the 403 page of a work's reader or download address (none when the
    work is hidden from the actor: that page must not tell that it exists)."""
    try:
        work = works.get_visible(db, actor, work_id)
    except NotFound:
        return None
    file = next((f for f in work.files if f.id == file_id), None)
    return for_work(actor, work, file)


def _as_member(actor: Actor) -> Actor:
    """The same visitor, logged in as a reader (no account has id 0, so it owns nothing)."""
    return replace(actor, user_id=0, role=Role.READER)


def _room_opens(actor: Actor, work: Work, opens_for: Callable[[Actor], bool]) -> bool:
    """Whether coming to the reading room opens what is refused: as the same visitor there,
    or, for an on-site work, there with an account holding a permit for it."""
    if READING_ROOM in actor.networks:
        return False
    visitor = replace(actor, networks=actor.networks | {READING_ROOM})
    member = visitor if actor.user_id is not None else _as_member(visitor)
    with_permit = replace(member, onsite_work_ids=member.onsite_work_ids | {work.id})
    return opens_for(visitor) or opens_for(with_permit)


def _embargo_end(work: Work, refused: list[File | None]) -> date | None:
    """The embargo's last day when it is what holds a refused file back today."""
    end = work.embargo_until
    if end is None or end <= date.today():
        return None
    return end if any(effective_level(work, f) != effective_level(work, f, end)
                      for f in refused) else None


def _reading_room() -> ReadingRoom:
    config = current_app.config
    english = get_locale() is not None and get_locale().language == "en"

    def text(key: str) -> str:
        return (english and config.get(f"{key}_EN")) or config[key]
    return ReadingRoom(hours=text("READING_ROOM_HOURS"), address=text("READING_ROOM_ADDRESS"))
