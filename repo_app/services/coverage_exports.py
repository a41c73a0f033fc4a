"""The coverage report leaving the site: a CSV of every table, a terminal table, the work list.

Figures come from ``services.coverage``; this module only lays them out.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from repo_app.models import Holding
from repo_app.services.coverage import ALL, ROW_KEYS, CoverageReport, definitions
from repo_app.services.coverage_forecast import Forecast
from repo_app.spreadsheet import csv_text

CSV_COLUMNS = ("date", "institution", "breakdown", "group", *ROW_KEYS, "note")


def _csv_rows(report: CoverageReport) -> Iterable[list[Any]]:
    """Every table as rows of one CSV: the breakdown and group name each row.

    Definitions come first as ``definition`` rows (term in ``group``, text in
    ``note``), targets as ``target`` rows, so the file stands on its own.
    """
    head = [report.date.isoformat(), report.institution]
    blank = [""] * len(ROW_KEYS)
    for term, text in definitions().items():
        yield [*head, "definition", term, *blank, text]
    for goal in report.targets.values():
        yield [*head, "target", goal.category, *blank[:-2], float(goal.target_pct), "",
               f"due {goal.due.isoformat()}"]
    yield [*head, "overall", ALL, *(_cell(report.overall[k]) for k in ROW_KEYS), ""]
    for name, rows in report.breakdowns.items():
        for row in rows:
            yield [*head, name, _cell(row[name]), *(_cell(row[k]) for k in ROW_KEYS), ""]
    yield [*head, "born_digital_deposits", ALL, *blank, report.born_digital_deposits]


def _cell(value: Any) -> Any:
    return "" if value is None else value


def as_csv(report: CoverageReport) -> str:
    return csv_text(CSV_COLUMNS, _csv_rows(report))


def as_text_table(report: CoverageReport) -> str:
    """The report for a terminal: one aligned table per breakdown."""
    lines = [f"{report.institution} — digitization coverage on {report.date.isoformat()}"]
    lines += [f"target {t.category}: {t.target_pct}% by {t.due.isoformat()}"
              + _forecast_text(report.forecasts.get(t.category))
              for t in report.targets.values()]
    sections = [("overall", [{"overall": ALL, **report.overall}]),
                *((name, rows) for name, rows in report.breakdowns.items())]
    for name, rows in sections:
        table = [[name, *ROW_KEYS]] + [[_text(r[name]), *(_text(r[k]) for k in ROW_KEYS)]
                                       for r in rows]
        widths = [max(len(row[i]) for row in table) for i in range(len(table[0]))]
        lines.append("")
        lines += ["  ".join(c.ljust(w) if i == 0 else c.rjust(w)
                            for i, (c, w) in enumerate(zip(row, widths, strict=True))).rstrip()
                  for row in table]
    lines += ["", f"born-digital deposits (not in the denominator): {report.born_digital_deposits}"]
    return "\n".join(lines) + "\n"


def _forecast_text(forecast: Forecast | None) -> str:
    """"; forecast on_track, reached 2026-03-01 (6 digitized in the last 30 days)"."""
    if forecast is None:
        return ""
    expected = f", reached {forecast.expected.isoformat()}" if forecast.expected else ""
    return (f"; forecast {forecast.status}{expected} ({forecast.digitized_in_window} digitized "
            f"in the last {forecast.window_days} days)")


def _text(value: Any) -> str:
    return "-" if value is None or value == "" else str(value)


MISSING_COLUMNS = ("holding_id", "title", "creators", "year", "type", "faculty", "shelf_mark",
                   "format", "category", "link_status")


def missing_as_csv(holdings: list[Holding]) -> str:
    """The digitization team's work list, with the register's own columns."""
    return csv_text(MISSING_COLUMNS, ([h.holding_id, h.title, "; ".join(h.creators),
                                       _cell(h.year), h.type, h.faculty, h.shelf_mark, h.format,
                                       h.category, h.link_status] for h in holdings))
