"""Controlled vocabularies shared by forms, imports, exports and the access module.

The codes are the public interface (CONTRACT.md: manifest values, API
values); the labels are for people and are translated.
"""

from __future__ import annotations

from enum import StrEnum

from flask_babel import lazy_gettext as _l


class WorkType(StrEnum):
    BACHELOR_THESIS = "bachelor_thesis"
    MASTER_THESIS = "master_thesis"
    DOCTORAL_DISSERTATION = "doctoral_dissertation"
    RESEARCH_REPORT = "research_report"
    ARTICLE = "article"


class AccessLevel(StrEnum):
    OPEN = "open"
    CAMPUS = "campus"
    RESTRICTED = "restricted"
    EMBARGOED = "embargoed"
    CONFIDENTIAL = "confidential"
    # Library Law 2019 Art. 7 / Circular 02/2020 Art. 32: read only in the reading room, by a
    # reader holding an approved on-site request; never downloaded, never copied.
    ONSITE = "onsite"


class Role(StrEnum):
    ANONYMOUS = "anonymous"
    READER = "reader"
    DEPOSITOR = "depositor"
    LIBRARIAN = "librarian"
    ADMIN = "admin"


class WorkStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    PUBLISHED = "published"
    WITHDRAWN = "withdrawn"


class DegreeLevel(StrEnum):
    BACHELOR = "bachelor"
    MASTER = "master"
    DOCTORAL = "doctoral"
    NONE = ""


# The ETD-MS degree level each type implies, so a depositor need not say it twice.
DEGREE_LEVEL_OF_TYPE = {
    WorkType.BACHELOR_THESIS: DegreeLevel.BACHELOR,
    WorkType.MASTER_THESIS: DegreeLevel.MASTER,
    WorkType.DOCTORAL_DISSERTATION: DegreeLevel.DOCTORAL,
    WorkType.RESEARCH_REPORT: DegreeLevel.NONE,
    WorkType.ARTICLE: DegreeLevel.NONE,
}

TYPE_LABELS = {
    WorkType.BACHELOR_THESIS: _l("Bachelor's thesis"),
    WorkType.MASTER_THESIS: _l("Master's thesis"),
    WorkType.DOCTORAL_DISSERTATION: _l("Doctoral dissertation"),
    WorkType.RESEARCH_REPORT: _l("Research report"),
    WorkType.ARTICLE: _l("Article"),
}

ACCESS_LABELS = {
    AccessLevel.OPEN: _l("Open access"),
    AccessLevel.CAMPUS: _l("Campus only"),
    AccessLevel.RESTRICTED: _l("Restricted reading"),
    AccessLevel.EMBARGOED: _l("Embargoed"),
    AccessLevel.CONFIDENTIAL: _l("Confidential"),
    AccessLevel.ONSITE: _l("On-site reading only"),
}

ROLE_LABELS = {
    Role.ANONYMOUS: _l("Guest"),
    Role.READER: _l("Reader"),
    Role.DEPOSITOR: _l("Depositor"),
    Role.LIBRARIAN: _l("Librarian"),
    Role.ADMIN: _l("Administrator"),
}

STATUS_LABELS = {
    WorkStatus.DRAFT: _l("Draft"),
    WorkStatus.SUBMITTED: _l("Awaiting review"),
    WorkStatus.RETURNED: _l("Returned for changes"),
    WorkStatus.PUBLISHED: _l("Published"),
    WorkStatus.WITHDRAWN: _l("Withdrawn"),
}

DEGREE_LEVEL_LABELS = {
    DegreeLevel.BACHELOR: _l("Bachelor"),
    DegreeLevel.MASTER: _l("Master"),
    DegreeLevel.DOCTORAL: _l("Doctoral"),
    DegreeLevel.NONE: _l("Not a degree work"),
}

LANGUAGE_LABELS = {"vi": _l("Vietnamese"), "en": _l("English"), "fr": _l("French")}

# Extraction statuses (CONTRACT.md) with the explanation a person needs.
EXTRACTION_LABELS = {
    "pending": _l("Text extraction has not run yet."),
    "queued": _l("Waiting for a worker to extract the text."),
    "running": _l("The text is being extracted or recognised (OCR) in the background."),
    "failed": _l("The background job gave up on this file; a librarian can retry it."),
    "ok": _l("Full text extracted and searchable."),
    "empty": _l("No text layer (a scan): OCR is needed before the text can be searched."),
    "ocr": _l("Text recognised by OCR; it may contain errors."),
    "garbled": _l("The text could not be decoded (unusual fonts); it is not searchable."),
    "encrypted": _l("The PDF is password-protected; please deposit an unprotected copy."),
    "corrupt": _l("The PDF is damaged; only the readable pages (if any) are searchable."),
    "timeout": _l("Text extraction took too long and was stopped."),
    "too_large": _l("The file is too large to extract."),
    "unsupported": _l("This file is not a PDF; its text cannot be extracted."),
}

# Statuses whose text is in the index: used by coverage ("searchable") and the work page.
SEARCHABLE_EXTRACTION = frozenset({"ok", "ocr"})

# Audit events (services/*: ``uow.audit(action, …)``) as the librarians' log names them; an
# action missing here is shown by its code, so a new event is never hidden.
AUDIT_ACTION_LABELS = {
    "access.change": _l("Access level changed"),
    "agency_report.submit": _l("Agency report submitted"),
    "api_token.create": _l("API token created"),
    "api_token.revoke": _l("API token revoked"),
    "copy_request.create": _l("Copy requested"),
    "copy_request.grant": _l("Copy request granted"),
    "copy_request.decline": _l("Copy request declined"),
    "embargo.lift": _l("Embargo ended"),
    "file.same_content": _l("File already in another work"),
    "harvest.run": _l("Partner catalogue harvested"),
    "holdings.import": _l("Holdings imported"),
    "holdings.link": _l("Holding linked to a work"),
    "holdings.reject_link": _l("Suggested holding link rejected"),
    "jobs.retry": _l("Background jobs retried"),
    "ocr.accept": _l("OCR page accepted"),
    "ocr.correct": _l("OCR page corrected"),
    "ocr.rerun": _l("OCR run again"),
    "onsite_request.create": _l("On-site reading requested"),
    "onsite_request.approve": _l("On-site reading approved"),
    "onsite_request.decline": _l("On-site reading declined"),
    "reader.daily_limit": _l("Reader's daily page limit reached"),
    "scan.upload": _l("Scan uploaded"),
    "user.create": _l("Account created"),
    "user.disable": _l("Account disabled"),
    "user.enable": _l("Account enabled"),
    "user.password_reset": _l("Password reset"),
    "user.role": _l("Role changed"),
    "work.create": _l("Work deposited"),
    "work.edit": _l("Metadata edited"),
    "work.licence": _l("Deposit licence accepted"),
    "work.reextract": _l("Text extraction run again"),
    "work.draft": _l("Work returned to draft"),
    "work.submitted": _l("Work submitted for review"),
    "work.returned": _l("Work returned for changes"),
    "work.published": _l("Work published"),
    "work.withdrawn": _l("Work withdrawn"),
}

# The fields audit events record before and after a change, by the names the forms use.
AUDIT_FIELD_LABELS = {
    "access_level": _l("Access level"),
    "embargo_until": _l("Embargo ends on"),
    "access_after_embargo": _l("Level after the embargo"),
    "status": _l("Status"),
    "role": _l("Role"),
    "user": _l("Account"),
    "active": _l("Active"),
    "file": _l("File"),
    "also_in": _l("Also in works"),
    "holding_id": _l("Holding"),
    "request_id": _l("Request"),
    "work_id": _l("Work"),
    "job": _l("Job"),
    "jobs": _l("Jobs"),
    "source": _l("Source"),
    "set": _l("Set"),
    "partner": _l("Partner"),
    "period": _l("Period"),
    "review": _l("Review"),
    "token_id": _l("Token"),
    "revoked_at": _l("Revoked at"),
    "accepted_by": _l("Accepted by"),
}

# Who accepted a work's deposit licence (deposit_terms.DEPOSITOR / LIBRARY), in the audit log.
LICENCE_ACCEPTER_LABELS = {"depositor": _l("the depositor"), "library": _l("the library")}
