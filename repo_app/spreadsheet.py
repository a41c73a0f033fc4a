"""Cells that stay text in a spreadsheet: one helper for every CSV and XLSX we write.

Excel and LibreOffice run a cell that starts with ``=``, ``+``, ``-`` or
``@`` as a formula (and openpyxl writes such a string as one), so a title
like ``=HYPERLINK(...)`` typed by a depositor or a partner would come alive
in a librarian's spreadsheet. A leading apostrophe keeps it text.
"""

from __future__ import annotations

from typing import Any

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """``value`` as a cell: text that would start a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value
