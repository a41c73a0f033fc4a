"""The agency report as CSV, JSON and an XLSX workbook laid out for submission (openpyxl).

The workbook follows the shape of a Vietnamese administrative report: the
institution and the title on top, the period and the date the figures
stand at, then one numbered row per indicator (indicator, unit, figure,
target, achieved %, note), and the signature block (the preparer, the
head of the unit). Labels are in Vietnamese, the agency's language,
whatever the librarian's interface language.

openpyxl (which brings numpy and Pillow) is imported by the two functions
that draw the workbook, so building the app does not load it.
"""

from __future__ import annotations

import io
from typing import Any

from flask import has_request_context
from flask_babel import force_locale, gettext
from flask_babel import lazy_gettext as _l

from repo_app.services.agency_report import AgencyReport, Indicator
from repo_app.spreadsheet import csv_writer, safe_cell

LABELS = {
    "endogenous_held": _l("Endogenous research works held"),
    "endogenous_digitized": _l("Endogenous works digitized"),
    "endogenous_searchable": _l("Endogenous works full-text searchable"),
    "endogenous_online": _l("Endogenous works available online"),
    "rare_held": _l("Rare and special items held"),
    "rare_digitized": _l("Rare and special items digitized"),
    "rare_searchable": _l("Rare and special items full-text searchable"),
    "rare_online": _l("Rare and special items available online"),
    "works_published": _l("Works published in the repository"),
    "works_online": _l("Items available online"),
    "restricted_onsite": _l("Restricted items: on-site reading only"),
    "restricted_restricted": _l("Restricted items: restricted reading"),
    "restricted_embargoed": _l("Restricted items: under embargo"),
    "restricted_confidential": _l("Restricted items: confidential"),
    "views": _l("Views"),
    "downloads": _l("Downloads"),
}
NOT_COLLECTED = _l("not collected yet (usage statistics)")
CSV_COLUMNS = ("period", "as_of", "indicator", "label", "value", "target_pct", "pct", "note")


def note(indicator: Indicator) -> str:
    return str(NOT_COLLECTED) if indicator.value is None else ""


def rows(report: AgencyReport) -> list[dict[str, Any]]:
    """One row per indicator, labelled in the request's language (English on the command line)."""
    if not has_request_context():
        with force_locale("en"):
            return rows_in_locale(report)
    return rows_in_locale(report)


def rows_in_locale(report: AgencyReport) -> list[dict[str, Any]]:
    return [{"indicator": i.key, "label": str(LABELS[i.key]), "value": i.value,
             "target_pct": i.target_pct, "pct": i.pct, "note": note(i)}
            for i in report.indicators]


def as_csv(report: AgencyReport) -> str:
    out = io.StringIO()
    writer = csv_writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for row in rows(report):
        writer.writerow((
            report.period.code, report.as_of.isoformat(), row["indicator"], row["label"],
            _blank(row["value"]), _blank(row["target_pct"]), _blank(row["pct"]), row["note"]))
    return out.getvalue()


def _blank(value: Any) -> Any:
    return "" if value is None else value


def as_xlsx(report: AgencyReport) -> bytes:
    """The workbook, in Vietnamese."""
    with force_locale("vi"):
        return _workbook(report)


def _workbook(report: AgencyReport) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = report.period.code
    bold = Font(bold=True)
    sheet["A1"] = safe_cell(report.institution.upper())
    sheet["A1"].font = bold
    sheet["A3"] = gettext("REPORT ON THE DIGITAL TRANSFORMATION OF THE LIBRARY")
    sheet["A3"].font = Font(bold=True, size=14)
    sheet["A4"] = gettext("Period: %(period)s (%(start)s to %(end)s)", period=report.period.code,
                          start=report.period.start.isoformat(), end=report.period.end.isoformat())
    sheet["A5"] = gettext("Figures as of %(date)s", date=report.as_of.isoformat()) + (
        " — " + gettext("provisional: the period is not over") if report.provisional else "")
    header = [gettext("No."), gettext("Indicator"), gettext("Unit"), gettext("Figure"),
              gettext("Target (%)"), gettext("Achieved (%)"), gettext("Note")]
    first = 7
    _table(sheet, first, header, [
        [n, r["label"], gettext("items"), r["value"], r["target_pct"], r["pct"], r["note"]]
        for n, r in enumerate(rows_in_locale(report), start=1)])
    last = first + len(report.indicators) + 2
    sheet.cell(last, 2, gettext("Prepared by")).font = bold
    sheet.cell(last, 5, gettext("Head of the unit")).font = bold
    sheet.cell(last + 1, 2, gettext("(signature, full name)"))
    sheet.cell(last + 1, 5, gettext("(signature, full name, seal)"))
    for column, width in zip("ABCDEFG", (6, 52, 10, 12, 12, 14, 36), strict=True):
        sheet.column_dimensions[column].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _table(sheet, first: int, header: list[str], body: list[list[Any]]) -> None:
    from openpyxl.styles import Alignment, Border, Font, Side

    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    for r, values in enumerate([header, *body]):
        for c, value in enumerate(values, start=1):
            cell = sheet.cell(first + r, c, safe_cell(value))
            cell.border = border
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if r == 0:
                cell.font = Font(bold=True)
    sheet.freeze_panes = f"A{first + 1}"
    sheet.print_title_rows = f"{first}:{first}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
