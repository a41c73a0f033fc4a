"""Inline SVG charts rendered on the server: no JavaScript, readable on a phone, accessible.

Each chart scales with its container (a ``viewBox`` and no fixed width),
carries a ``<title>`` and ``<desc>`` (``role="img"``), and is always shown
next to a table with the same numbers, so a screen reader or a printout
loses nothing. Labels sit above their bars, so long faculty names never
squeeze the bars on a narrow screen. Percentages and dates are written the
page's language's way (``localformats.percent``, ``localformats.local_date``:
73,2% and 05/12/2026 in Vietnamese). Pure functions: figures in, markup out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from itertools import count

from markupsafe import Markup, escape

from repo_app.localformats import local_date, percent

WIDTH = 600
_ids = count(1)
# Colours as SVG presentation attributes: the Content-Security-Policy forbids inline CSS.
# Dark blue / light blue / dark red differ in lightness, so they survive grey-scale printing.
PAINT = {
    "primary": 'fill="#0b5cab"',
    "secondary": 'fill="#8cc4f5"',
    "tertiary": 'fill="#2f7d32"',
    "target": 'fill="#8a1c1c" stroke="#8a1c1c" stroke-width="3"',
    "track": 'fill="#eef1f5"',
    "primary-line": 'fill="none" stroke="#0b5cab" stroke-width="2.5"',
    "secondary-line": 'fill="none" stroke="#8cc4f5" stroke-width="2.5"',
    "tertiary-line": 'fill="none" stroke="#2f7d32" stroke-width="2.5"',
    "target-line": 'stroke="#8a1c1c" stroke-width="1.5" stroke-dasharray="6 4"',
    "grid": 'stroke="#d5dae1" stroke-width="1"',
    # Sizes in viewBox units, full size on a laptop. A 390 px phone shows the 600-unit chart
    # at about 0.6, where app.css raises every chart text to 22 units (13 px; these gave
    # 12 and 10.5 px, and 14 and 12 before them 9 px and less).
    "text": 'class="chart-text" fill="#1b1f24" font-size="20" font-family="system-ui, sans-serif"',
    "small": 'class="chart-text" fill="#5b6470" font-size="18" font-family="system-ui, sans-serif"',
}
# The legend is a column, one name a line: side by side, long names (Vietnamese, or the
# phone's larger text) ran into each other.
LEGEND_LINE = 26


@dataclass(frozen=True)
class Bar:
    label: str
    primary: float | None  # e.g. digitized %, drawn dark
    secondary: float | None  # e.g. searchable %, drawn inside the first bar
    target: float | None  # drawn as a tick


@dataclass(frozen=True)
class Point:
    day: date
    values: tuple[float | None, ...]


def _frame(height: int, title: str, desc: str, body: list[str]) -> Markup:
    uid = next(_ids)
    return Markup(
        f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" width="100%" role="img" '
        f'aria-labelledby="chart{uid}-t chart{uid}-d" preserveAspectRatio="xMinYMin meet" '
        f'xmlns="http://www.w3.org/2000/svg">'
        f'<title id="chart{uid}-t">{escape(title)}</title>'
        f'<desc id="chart{uid}-d">{escape(desc)}</desc>{"".join(body)}</svg>'
    )


def _x(pct: float, left: int, width: int) -> float:
    return round(left + width * max(0.0, min(pct, 100.0)) / 100, 1)


def bar_chart(bars: list[Bar], title: str, desc: str, legend: tuple[str, str, str]) -> Markup:
    """Horizontal bars, one per group, 0–100 %: primary, secondary inside it, target tick."""
    left, width, row = 10, WIDTH - 80, 52
    first = _legend_height(legend) + 24
    body = [_legend(legend, left)]
    for i, bar in enumerate(bars):
        top = first + i * row
        body.append(f'<text x="{left}" y="{top}" {PAINT["text"]}>{escape(bar.label)}</text>')
        body.append(f'<rect x="{left}" y="{top + 6}" width="{width}" height="18" '
                    f'{PAINT["track"]}/>')
        if bar.primary is not None:
            body.append(_rect(left, top + 6, bar.primary, width, 18, "primary"))
        if bar.secondary is not None:
            body.append(_rect(left, top + 12, bar.secondary, width, 6, "secondary"))
        if bar.target is not None:
            x = _x(bar.target, left, width)
            body.append(f'<line x1="{x}" x2="{x}" y1="{top + 2}" y2="{top + 28}" '
                        f'{PAINT["target"]}/>')
        shown = "–" if bar.primary is None else percent(bar.primary)
        body.append(f'<text x="{WIDTH - 4}" y="{top + 20}" {PAINT["text"]} '
                    f'text-anchor="end">{shown}</text>')
    return _frame(first + len(bars) * row, title, desc, body)


def _rect(left: int, top: int, pct: float, width: int, height: int, cls: str) -> str:
    return (f'<rect x="{left}" y="{top}" width="{_x(pct, 0, width)}" height="{height}" '
            f'{PAINT[cls]}/>')


def _legend(names: tuple[str, ...], left: int,
            classes: tuple[str, ...] = ("primary", "secondary", "target")) -> str:
    parts = []
    for i, (name, cls) in enumerate(zip(names, classes, strict=False)):
        y = 6 + i * LEGEND_LINE
        parts.append(f'<rect x="{left}" y="{y}" width="14" height="12" {PAINT[cls]}/>'
                     f'<text x="{left + 20}" y="{y + 13}" {PAINT["small"]}>{escape(name)}</text>')
    return "".join(parts)


def _legend_height(names: tuple[str, ...]) -> int:
    return len(names) * LEGEND_LINE


def line_chart(points: list[Point], names: tuple[str, ...], target: float | None,
               title: str, desc: str) -> Markup:
    """Percentages over time, one line per measure, with the target as a dashed line."""
    left, right = 56, WIDTH - 10
    top = _legend_height(names) + 20
    bottom = top + 196
    body = [_legend(names, 10, ("primary", "secondary", "tertiary"))]
    for pct in (0, 50, 100):
        y = _y(pct, top, bottom)
        body.append(f'<line x1="{left}" x2="{right}" y1="{y}" y2="{y}" {PAINT["grid"]}/>'
                    f'<text x="{left - 4}" y="{y + 4}" {PAINT["small"]} '
                    f'text-anchor="end">{pct}%</text>')
    if target is not None:
        y = _y(target, top, bottom)
        body.append(f'<line x1="{left}" x2="{right}" y1="{y}" y2="{y}" {PAINT["target-line"]}/>')
    xs = _xs(points, left, right)
    for series, cls in enumerate(("primary", "secondary", "tertiary")[:len(names)]):
        coords = [(x, _y(p.values[series], top, bottom)) for x, p in zip(xs, points, strict=True)
                  if p.values[series] is not None]
        if len(coords) > 1:
            path = " ".join(f"{x},{y}" for x, y in coords)
            body.append(f'<polyline points="{path}" {PAINT[cls + "-line"]}/>')
        body.extend(f'<circle cx="{x}" cy="{y}" r="3" {PAINT[cls]}/>' for x, y in coords)
    if points:  # the first and last days, written as the page's language writes dates
        body.append(f'<text x="{left}" y="{bottom + 22}" {PAINT["small"]}>'
                    f'{local_date(points[0].day)}</text>')
        body.append(f'<text x="{right}" y="{bottom + 22}" {PAINT["small"]} '
                    f'text-anchor="end">{local_date(points[-1].day)}</text>')
    return _frame(bottom + 30, title, desc, body)


def _y(pct: float, top: int, bottom: int) -> float:
    return round(bottom - (bottom - top) * max(0.0, min(pct, 100.0)) / 100, 1)


def _xs(points: list[Point], left: int, right: int) -> list[float]:
    """x by date, so gaps between snapshots show as gaps in time."""
    if len(points) < 2:
        return [float((left + right) // 2)] * len(points)
    first, span = points[0].day, (points[-1].day - points[0].day).days or 1
    return [round(left + (right - left) * (p.day - first).days / span, 1) for p in points]
