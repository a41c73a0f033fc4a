"""The order in which a reader takes a page's text boxes: bands, and columns within a band.

pdfminer can order text boxes itself (``LAParams.boxes_flow``) by
clustering every pair of boxes hierarchically; on a thesis that is a tenth
of all extraction time, spent to learn what a page's geometry says far more
cheaply. Here a box that crosses the middle of the text area (a title, an
abstract, a paragraph of a one-column page, a footnote across the page)
stands on its own and separates bands; the boxes between two such boxes
are split into columns (boxes whose horizontal extents overlap share a
column), read left to right, each top to bottom. A one-column page is so
read top to bottom, and a two-column paper column by column, as pdfminer's
clustering reads them (``tests/ingest/test_reading_order.py`` compares the
two on real papers).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, TypeVar


class Box(Protocol):
    """What ordering needs of a box: pdfminer's coordinates (y grows upwards)."""

    x0: float
    x1: float
    y1: float


B = TypeVar("B", bound=Box)


def in_reading_order(boxes: Sequence[B]) -> list[B]:
    """``boxes`` in reading order (see the module docstring)."""
    if len(boxes) < 2:
        return list(boxes)
    middle = (min(b.x0 for b in boxes) + max(b.x1 for b in boxes)) / 2
    ordered: list[B] = []
    band: list[B] = []
    for box in sorted(boxes, key=lambda b: (-b.y1, b.x0)):
        if box.x0 < middle < box.x1:
            ordered += _columns_of(band)
            ordered.append(box)
            band = []
        else:
            band.append(box)
    return ordered + _columns_of(band)


def _columns_of(band: list[B]) -> list[B]:
    """The band's boxes column by column, left to right, each column top to bottom."""
    columns: list[list[B]] = []
    right_edge = float("-inf")
    for box in sorted(band, key=lambda b: b.x0):
        if columns and box.x0 < right_edge:  # overlaps the column so far: the same column
            columns[-1].append(box)
            right_edge = max(right_edge, box.x1)
        else:
            columns.append([box])
            right_edge = box.x1
    return [box for column in columns for box in sorted(column, key=lambda b: -b.y1)]
