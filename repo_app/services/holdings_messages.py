"""``repo-app holdings import``'s messages in the librarians' language: its summary and report.

Like the batch import (``services.import_messages``, whose helpers these are),
the holdings import is run by whoever administers the server but read by the
librarians: its printed summary and the message column of its report CSV are
written in the site's default language (``REPO_DEFAULT_LOCALE``). Every row
problem is a ``UserError``, which translates itself; the report's columns
and codes stay as they are, for scripts.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask_babel import gettext

from repo_app.services.import_messages import SummaryLine, refusal, site_language

if TYPE_CHECKING:
    from repo_app.errors import UserError
    from repo_app.services.holdings import ImportResult, RowError


def row_problem(error: RowError) -> str:
    """A rejected row's reason for the report CSV, in the site's language."""
    return refusal(error.error)


def file_refused(name: str, error: UserError) -> str:
    """A whole file refused (its encoding, its header), in the site's language."""
    return f"{name}: {refusal(error)}"


def summary(result: ImportResult) -> list[SummaryLine]:
    """What the command prints: each rejected row, the totals and where the report is."""
    with site_language():
        lines = [SummaryLine(gettext("line %(line)s: %(file)s: %(message)s", line=e.line,
                                     file=e.holding_id or "-", message=e.error.translated()),
                             True)
                 for e in result.errors]
        lines.append(SummaryLine(gettext(
            "%(rows)s rows: %(created)s added, %(updated)s updated, %(unchanged)s unchanged, "
            "%(rejected)s rejected; %(suggested)s new link suggestions.",
            rows=result.rows, created=result.created, updated=result.updated,
            unchanged=result.unchanged, rejected=len(result.errors),
            suggested=result.suggested), False))
        if result.report_path is not None:
            lines.append(SummaryLine(gettext("Report: %(path)s", path=result.report_path), True))
    return lines
