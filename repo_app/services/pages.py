"""What a page may offer, prepared so that views and templates never ask the access module.

A page shows a link or a button only for what the actor may do next. These
functions put those questions to ``access.decide`` under the app's policy,
once per page, and hand the answers over as plain values.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from repo_app import resources
from repo_app.access import Action, Actor, decide, effective_level
from repo_app.models import File, Work
from repo_app.services import digitization, next_steps, scanning, searching, works
from repo_app.vocab import WorkStatus
from search.results import Hit


@dataclass(frozen=True)
class Menu:
    """The site-wide menu: which areas the actor may enter."""

    deposit: bool
    review: bool
    digitize: bool = False  # the jobs page, OCR review (and the scanning station)
    accounts: bool = False  # the administrator's accounts page (/admin/users)


def menu(actor: Actor) -> Menu:
    return Menu(deposit=decide(actor, Action.DEPOSIT).allowed,
                review=decide(actor, Action.REVIEW).allowed,
                digitize=decide(actor, Action.MANAGE_JOBS).allowed,
                accounts=decide(actor, Action.MANAGE_USERS).allowed)


@dataclass(frozen=True)
class FileRights:
    """One file as the actor meets it: its level in force today and what they may do with it."""

    file: File
    level: str
    download: bool
    read: bool
    # For a file OCR read: pages recognised, mean word confidence, pages to review.
    ocr: digitization.OcrQuality | None = None


def file_rights(actor: Actor, work: Work) -> list[FileRights]:
    """Each file of ``work`` (which the actor may see) with the actor's rights, in order."""
    policy = resources.policy()
    quality = digitization.quality_of_work(work)
    return [FileRights(f, effective_level(work, f),
                       download=decide(actor, Action.DOWNLOAD, work, f, policy=policy).allowed,
                       read=decide(actor, Action.READ_ONLINE, work, f, policy=policy).allowed,
                       ocr=quality.get(f.id))
            for f in work.files]


@dataclass(frozen=True)
class WorkPage:
    """Everything the work page shows besides the work itself."""

    work: Work
    rights: dict[int, FileRights]
    published: bool
    awaiting_review: bool
    can_edit: bool
    can_review: bool
    similar: list[Hit]
    next_steps: next_steps.NextSteps  # the ways past the work's access limits open to the actor
    scan_pages: int | None = None  # pages of a scanning-station upload still being assembled


def work_page(db: Session, actor: Actor, work_id: int) -> WorkPage:
    """The work page's data (404 when the work is hidden from the actor)."""
    work = works.get_visible(db, actor, work_id)
    policy = resources.policy()
    published = work.status == WorkStatus.PUBLISHED
    return WorkPage(
        work=work,
        rights={r.file.id: r for r in file_rights(actor, work)},
        published=published,
        awaiting_review=work.status == WorkStatus.SUBMITTED,
        can_edit=decide(actor, Action.EDIT, work, policy=policy).allowed,
        can_review=decide(actor, Action.REVIEW, work, policy=policy).allowed,
        similar=searching.more_like_this(actor, work) if published else [],
        next_steps=next_steps.for_work(actor, work),
        scan_pages=scanning.pages_being_assembled(db, work) if not work.files else None,
    )
