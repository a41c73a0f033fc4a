"""Uploaded files: storing, checking, extracting and serving them.

A file travels in two steps. ``stage`` checks the upload (a PDF, not empty,
not over ``REPO_MAX_UPLOAD_MB``, the uploader's staging quota not used up)
and keeps it in the uploader's staging area, outside the store, so a form
that fails validation loses no upload and puts nothing in the store: the
form carries a *signed* token for each staged file, which no one can forge
to attach another person's file. ``attach`` moves a staged file into the
store and makes it a ``File`` row of a work. Staged files no work took are
swept after a day (``sweep_staged``).
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass
from datetime import timedelta
from pathlib import Path
from typing import BinaryIO

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import select
from sqlalchemy.orm import Session

from ingest.sniffing import SNIFF_BYTES, sniff_media_type
from ingest.storage import EmptyFile, StagingFull, StoreFull, TooLarge
from repo_app import access, resources
from repo_app.access import Action, Actor
from repo_app.errors import NotFound, UserError
from repo_app.models import File, Work
from repo_app.services import text_jobs

PDF = "application/pdf"
STAGING_KEPT = timedelta(days=1)
SELF_SWEEP_SECONDS = 3600


@dataclass(frozen=True)
class StagedFile:
    """An upload already in the store, not yet part of a work."""

    sha256: str
    name: str
    size: int
    media_type: str
    owner: str = "system"  # whose staging area holds it (``staging_owner``)


def _serializer(actor: Actor) -> URLSafeSerializer:
    # Salted per user: a token lifted from one person's form is useless to another.
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=f"staged:{actor.user_id}")


def token_for(actor: Actor, staged: StagedFile) -> str:
    return _serializer(actor).dumps(asdict(staged))


def from_token(actor: Actor, token: str) -> StagedFile | None:
    """The staged file behind a token, or None when the token was tampered with."""
    try:
        return StagedFile(**_serializer(actor).loads(token))
    except (BadSignature, TypeError):
        return None


def safe_name(name: str) -> str:
    """A display name only: never used as a path. Keeps Vietnamese letters, drops folders."""
    name = name.replace("\\", "/").rsplit("/", 1)[-1].strip()
    name = "".join(ch for ch in name if ch.isprintable())
    return (name or "file.pdf")[:200]


def staging_owner(user_id: int | None) -> str:
    """The staging area of an account (each has its own quota), or the system's."""
    return "system" if user_id is None else f"u{int(user_id)}"


def stage(stream: BinaryIO, name: str, *, owner: int | None = None,
          pdf_only: bool = True) -> StagedFile:
    """Check and store one upload; raise a ``UserError`` the form can show next to the field.

    The deposit form accepts PDFs only; the batch importer (``pdf_only=False``)
    keeps any non-empty file, whose extraction then says ``unsupported``, so
    a librarian sees the problem on the work instead of losing the row.
    """
    head = stream.read(SNIFF_BYTES)
    stream.seek(0)
    if not head:
        raise UserError("empty_file", "The file %(name)s is empty.", name=safe_name(name))
    media_type = sniff_media_type(head)
    if pdf_only and media_type != PDF:
        raise UserError("not_pdf", "%(name)s is not a PDF file. Please upload a PDF.",
                        name=safe_name(name))
    limit_mb = current_app.config["MAX_UPLOAD_MB"]
    _sweep_now_and_then()
    area = staging_owner(owner)
    quota = None if owner is None else current_app.config["STAGING_QUOTA_MB"] * 1024 * 1024
    try:
        blob = resources.store().stage_stream(stream, area, max_bytes=limit_mb * 1024 * 1024,
                                              quota_bytes=quota)
    except TooLarge:
        raise UserError("too_large", "%(name)s is larger than the %(limit)s MB limit.",
                        name=safe_name(name), limit=limit_mb) from None
    except EmptyFile:
        raise UserError("empty_file", "The file %(name)s is empty.", name=safe_name(name)) from None
    except StagingFull:
        raise UserError("staging_full", "You have %(limit)s MB of uploads waiting to be saved in a "
                        "work; save or submit a work first, or try again tomorrow.", status=507,
                        limit=current_app.config["STAGING_QUOTA_MB"]) from None
    except StoreFull as error:
        current_app.logger.error("file store full: %s", error)
        raise UserError("storage_full", "The repository has no room to store %(name)s now; nothing "
                        "was saved. Please tell the library.", status=507,
                        name=safe_name(name)) from None
    return StagedFile(blob.sha256, safe_name(name), blob.size,
                      media_type or "application/octet-stream", area)


def staged_path(staged: StagedFile) -> Path:
    """Where a staged file's bytes are now: its staging area, or the store once adopted."""
    store = resources.store()
    waiting = store.staged_path(staged.owner, staged.sha256)
    return waiting if waiting.is_file() else store.path(staged.sha256)


def discard(staged: StagedFile) -> None:
    """Drop an upload no work will take (a re-imported row's), rather than wait for the sweep."""
    resources.store().staged_path(staged.owner, staged.sha256).unlink(missing_ok=True)


def sweep_staged(older_than: timedelta = STAGING_KEPT) -> int:
    """Remove uploads that no work took within ``older_than``; say how many."""
    return resources.store().sweep_staging(older_than.total_seconds())


def _sweep_now_and_then() -> None:
    """Sweep abandoned uploads if this process has not done so in the last hour."""
    state = current_app.extensions.setdefault("repo_staging_swept", {"at": -SELF_SWEEP_SECONDS})
    if time.monotonic() - state["at"] >= SELF_SWEEP_SECONDS:
        state["at"] = time.monotonic()
        sweep_staged()


def check_duplicate(db: Session, actor: Actor, work: Work | None, staged: StagedFile) -> list[int]:
    """Refuse bytes already deposited where the actor can see them; return the other works.

    "Already deposited" would confirm to anyone uploading a guessed file that
    the library holds it, so it is said only about copies the actor may
    already read (their own, open ones…). The same bytes in works the actor
    may not read are accepted silently; their ids are returned for the
    librarians' audit log.
    """
    clashes = db.scalars(select(File).where(File.sha256 == staged.sha256)).all()
    if work is not None and any(c.work_id == work.id for c in clashes):
        raise UserError("duplicate_file", "%(name)s is already attached to this work.",
                        name=staged.name)
    policy = resources.policy()
    if any(_may_read(actor, c, policy) for c in clashes):
        raise UserError("duplicate_file",
                        "%(name)s has already been deposited in the repository (same content).",
                        name=staged.name)
    return sorted({c.work_id for c in clashes})


def _may_read(actor: Actor, file: File, policy: access.Policy) -> bool:
    return any(access.decide(actor, action, file.work, file, policy=policy).allowed
               for action in (Action.DOWNLOAD, Action.READ_ONLINE))


def attach(db: Session, work: Work, staged: StagedFile, *, batch: str = "") -> File:
    """Add a staged file to ``work`` and queue its text (the caller commits).

    The text is made by background jobs (``services.text_jobs``) once the
    caller commits, so a deposit answers at once whatever the file's size.
    """
    resources.store().adopt(staged.owner, staged.sha256)
    file = File(
        original_name=staged.name,
        media_type=staged.media_type,
        size=staged.size,
        sha256=staged.sha256,
        position=len(work.files),
    )
    work.files.append(file)
    text_jobs.queue_text(db, file, batch=batch)
    return file


def file_of_work(db: Session, actor: Actor, work_id: int, file_id: int,
                 action: Action = Action.VIEW_METADATA) -> tuple[Work, File]:
    """The file, if it belongs to that work and the actor may do ``action`` to it.

    404 when the file is missing, another work's, or its work hidden; else 403.
    """
    file = db.get(File, file_id)
    if file is None or file.work_id != work_id:
        raise NotFound()
    access.require(actor, action, file.work, file, policy=resources.policy())
    return file.work, file


def open_download(db: Session, actor: Actor, work_id: int, file_id: int) -> tuple[File, BinaryIO]:
    """The file's bytes for a download the access module allows: the searchable copy of a
    scan when there is one (the original is kept as the preservation master)."""
    _, file = file_of_work(db, actor, work_id, file_id, Action.DOWNLOAD)
    return file, resources.store().open(file.served_sha256)
