"""The batch import's messages in the librarians' language: its report CSV and its summary.

``repo-app import`` writes a report a librarian opens in a spreadsheet and
prints a summary; both are read in the site's default language
(``REPO_DEFAULT_LOCALE``, Vietnamese unless configured), whoever ran the
command. The messages come from three places, none of which may translate:

* ``ingest.batch`` reports a bad manifest row as a code, an English
  template and its parameters (``RowError``); the template is translated
  first, then its fields are filled in, as for the scanning station's
  messages (``services.scanning``);
* a file's extraction message is stored in English, filled in
  (``ingest.outcomes``, ``services.text_jobs``); it is read back against those
  templates, so the translated template is filled with the same values (one
  that matches none is shown after the status's own translated label);
* a refusal while storing or writing a row is a ``UserError``, which
  translates itself.

The web pages that show import and scanning messages translate them into
the page's language themselves (``UserError.translated``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from flask import current_app
from flask_babel import force_locale, format_decimal, gettext

from ingest.batch import RowError
from repo_app.errors import UserError
from repo_app.models import File
from repo_app.vocab import EXTRACTION_LABELS

if TYPE_CHECKING:
    from repo_app.services.importing import ImportReport, Outcome


def N_(message: str) -> str:
    """Mark a message for translation; it is translated where it is written out."""
    return message


# ingest.batch's TEMPLATES, here so pybabel finds them.
BATCH_MESSAGES = (
    N_("The manifest is not UTF-8 text (first invalid byte on line {line}). "
       "Save it as 'CSV UTF-8' and try again."),
    N_("The header has no '{column}' column."),
    N_("The row has more fields than the header."),
    N_("A title is required."),
    N_("'{value}' is not a two-letter ISO 639-1 code (such as vi or en)."),
    N_("'{name}' points outside the import folder."),
    N_("File '{name}' was not found in the import folder."),
    N_("Year '{value}' must be four digits, such as 2015."),
    N_("A value for '{column}' is required."),
    N_("'{value}' is not a known {column}; use one of: {allowed}."),
    N_("An embargoed work needs an embargo_until date."),
    N_("Date '{value}' must be written YYYY-MM-DD."),
    N_("embargo_until is only allowed when access is embargoed."),
)

# The extraction messages files are stored with (ingest.outcomes' MSG_*, services.text_jobs').
EXTRACTION_MESSAGES = (
    N_("Text extracted from {pages} page(s)."),
    N_("Text extracted from {read} of {pages} pages; {failed} damaged page(s) could not be read."),
    N_("Text extracted from the first {read} of {pages} pages."),
    N_("Text extracted from {read} of {pages} pages; {count} page(s) need OCR."),
    N_("Text extracted from {read} page(s) and recognised by OCR on {ocr} page(s)."),
    N_("No text layer found (scanned or image-only PDF): OCR is needed to make it searchable."),
    N_("Text recognised by OCR from {pages} page(s); it may contain errors."),
    N_("No text layer found and OCR recognised no text."),
    N_("No text layer found and OCR failed on this file."),
    N_("Most characters could not be decoded (unusual font encoding); search may miss this file."),
    N_("Most characters could not be decoded (unusual font encoding): OCR is needed to make it "
       "searchable."),
    N_("The PDF is password-protected. Please provide a copy without a password."),
    N_("The PDF is damaged and no page could be read."),
    N_("The file is empty (0 bytes)."),
    N_("The file could not be opened."),
    N_("The extraction process stopped unexpectedly; the PDF may be damaged."),
    N_("The extraction process could not be started."),
    N_("Text extraction took longer than {seconds:g} seconds and was stopped."),
    N_("Text extraction needed more than the {memory_mb} MB of memory allowed."),
    N_("The PDF has {pages} pages; at most {limit} pages are accepted."),
    N_("The file is not a PDF, so no text was extracted."),
    N_("Waiting for a worker to extract the text."),
    N_("The background job gave up: {reason}"),
)
_FIELD = re.compile(r"\{(\w+)(?::[^}]*)?\}")


@contextmanager
def site_language() -> Iterator[None]:
    """Write what follows in the site's default language: the report's readers' language."""
    with force_locale(current_app.config["DEFAULT_LOCALE"]):
        yield


def fill(template: str, values: Mapping[str, object]) -> str:
    """``template`` translated, then its ``{name}`` fields filled in with ``values``."""
    return _FIELD.sub(lambda field: str(values[field.group(1)]), gettext(template))


def row_error(error: RowError) -> str:
    """A bad manifest row's problem, in the site's language."""
    with site_language():
        return fill(error.template, error.params)


def refusal(error: UserError) -> str:
    """A row's file or work refused (an empty file, a duplicate…), in the site's language."""
    with site_language():
        return error.translated()


def already_imported() -> str:
    with site_language():
        return gettext("already imported")


def holding_not_found(holding_id: str) -> str:
    with site_language():
        return gettext("holding_id %(holding_id)s is not in the holdings register",
                       holding_id=holding_id)


def extraction(file: File) -> str:
    """A file's extraction message, in the site's language (see the module docstring)."""
    with site_language():
        return extraction_text(file.extraction_status, file.extraction_message)


def extraction_text(status: str, message: str) -> str:
    """``message`` (English, as stored) translated; text after the known sentence is kept as
    it is (a technical detail), and a message no template matches follows the status's label."""
    for template, pattern in _patterns():
        match = pattern.match(message)
        if match and (match.end() == len(message) or message[match.end()] == " "):
            return fill(template, match.groupdict()) + message[match.end():]
    label = str(EXTRACTION_LABELS.get(status, status))
    return f"{label} ({message})" if message else label


@lru_cache(maxsize=1)
def _patterns() -> list[tuple[str, re.Pattern[str]]]:
    """Each extraction template as a pattern whose groups are its fields, longest first (a
    longer template is never mistaken for a shorter one its words begin with)."""
    def pattern(template: str) -> re.Pattern[str]:
        parts = _FIELD.split(template)  # literal, name, literal, name, …, literal
        fields = [f"(?P<{name}>.+?)" for name in parts[1::2]]
        if fields and not parts[-1]:
            fields[-1] = fields[-1].replace(".+?", ".+")  # a last field takes the rest
        literals = [re.escape(part) for part in parts[::2]]
        return re.compile("".join(lit + fld for lit, fld in zip(literals, [*fields, ""],
                                                                 strict=True)))
    return [(t, pattern(t)) for t in sorted(EXTRACTION_MESSAGES, key=len, reverse=True)]


@dataclass(frozen=True)
class SummaryLine:
    text: str
    problem: bool  # printed on standard error


def summary(report: ImportReport, dry_run: bool, *, waited: bool) -> list[SummaryLine]:
    """What ``repo-app import`` prints: each problem (or, in a dry run, each row's fate), the
    totals and where the report is, in the site's language."""
    with site_language():
        lines = [line for outcome in report.outcomes
                 if (line := _outcome_line(outcome, dry_run)) is not None]
        lines.append(SummaryLine(_totals(report, waited), False))
        if report.report_path is not None:
            lines.append(SummaryLine(gettext("Report: %(path)s", path=report.report_path), False))
    return lines


def _outcome_line(outcome: Outcome, dry_run: bool) -> SummaryLine | None:
    if outcome.status == "invalid" or outcome.status.startswith(("empty_file", "too_large")):
        return SummaryLine(gettext("line %(line)s: %(file)s: %(message)s", line=outcome.line,
                                   file=outcome.file, message=outcome.message), True)
    if dry_run:
        return SummaryLine(gettext("line %(line)s: %(status)s %(file)s", line=outcome.line,
                                   status=outcome.status, file=outcome.file), False)
    return None


def _totals(report: ImportReport, waited: bool) -> str:
    text = (gettext("%(files)s files, %(pages)s pages", files=report.files_extracted,
                    pages=report.pages) if waited
            else gettext("text queued for the workers (batch %(batch)s)", batch=report.batch))
    return gettext("%(rows)s rows: %(imported)s imported, %(skipped)s already imported, "
                   "%(rejected)s rejected; %(text)s in %(seconds)s s; %(problems)s problems",
                   rows=report.rows, imported=report.imported, skipped=report.skipped,
                   rejected=report.bad_rows, text=text,
                   seconds=format_decimal(report.seconds, format="0.0"),
                   problems=len(report.failures))
