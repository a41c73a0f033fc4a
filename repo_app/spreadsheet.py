"""Cells that stay text in a spreadsheet: one helper for every CSV and XLSX we write.

Excel and LibreOffice run a cell that starts with ``=``, ``+``, ``-`` or
``@`` as a formula (and openpyxl writes such a string as one), so a title
like ``=HYPERLINK(...)`` typed by a depositor or a partner would come alive
in a librarian's spreadsheet. A leading apostrophe keeps it text.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """``value`` as a cell: text that would start a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


class SafeCsvWriter:
    """``csv.writer`` whose every cell passes through :func:`safe_cell`.

    The only CSV writer the app uses (a test greps for others), so no export
    can forget the escaping.
    """

    def __init__(self, out: Any, **options: Any) -> None:
        self._writer = csv.writer(out, **options)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow([safe_cell(value) for value in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_writer(out: Any, **options: Any) -> SafeCsvWriter:
    """A CSV writer for ``out`` (``csv.writer``'s options) that keeps every cell inert."""
    return SafeCsvWriter(out, **options)


def csv_text(header: Iterable[Any], rows: Iterable[Iterable[Any]]) -> str:
    """A whole CSV file (CRLF line ends, as spreadsheets expect) with every cell inert."""
    out = io.StringIO()
    writer = csv_writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()
