"""The ``scan_assemble`` job: a scanning-station upload's page images become the work's PDF.

The web request only checked the images and stored them, packed in page
order, as one ZIP (``scanning.receive_upload``): joining 200 bitonal TIFF
pages costs img2pdf about ten seconds, which is a job's work, not a
request's. Here the ZIP becomes one PDF (``ingest.images``, lossless), the
PDF is attached to the work, which queues its text (``text_jobs``: OCR page
by page, then the searchable copy), and the ZIP is deleted once that
commits. A work that already has a file was assembled by an earlier run
whose finish was lost; running again changes nothing.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from repo_app import resources
from repo_app.models import Job, Work
from repo_app.services import files, jobs, scanning, text_jobs


@jobs.kind(scanning.ASSEMBLE_JOB)
def run_scan_assemble(db: Session, job: Job) -> None:
    """Assemble, attach and queue the text of one scanned holding's work."""
    work = db.get(Work, job.payload["work_id"])
    package = job.payload["package"]
    if work is not None and not work.files:
        staged, pages = scanning.assemble_package(resources.store().path(package),
                                                  job.payload["name"])
        files.attach(db, work, staged, batch=job.batch)
        jobs.finish(db, job, pages=pages)
    text_jobs.forget_after_commit(db, [package])
