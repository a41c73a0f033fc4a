"""The inline SVG charts: scalable, labelled for screen readers, escaped, and safe at the edges."""

from __future__ import annotations

import re
from datetime import date
from xml.etree import ElementTree

import pytest

from helpers import login
from repo_app.db import standalone_session
from repo_app.models import CoverageSnapshot
from repo_app.views import charts

SVG = "{http://www.w3.org/2000/svg}"


def parse(markup: str) -> ElementTree.Element:
    return ElementTree.fromstring(str(markup))


def test_bar_chart_scales_and_is_labelled():
    svg = parse(charts.bar_chart([charts.Bar("Khoa <Luật>", 70.0, 50.0, 70.0)],
                                 "Tiêu đề", "Mô tả", ("a", "b", "c")))
    assert svg.get("viewBox").startswith("0 0 600 ") and svg.get("width") == "100%"
    assert svg.get("role") == "img"
    title, desc = svg.find(f"{SVG}title"), svg.find(f"{SVG}desc")
    assert (title.text, desc.text) == ("Tiêu đề", "Mô tả")
    assert svg.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    texts = [t.text for t in svg.iter(f"{SVG}text")]
    assert "Khoa <Luật>" in texts and "70%" in texts


def test_bars_are_clamped_and_empty_groups_show_a_dash():
    svg = parse(charts.bar_chart([charts.Bar("A", 130.0, None, None),
                                  charts.Bar("B", None, None, None)], "t", "d", ("a", "b", "c")))
    widths = [float(r.get("width")) for r in svg.iter(f"{SVG}rect") if r.get("y") not in ("6",)]
    assert max(widths) <= 530
    assert "–" in [t.text for t in svg.iter(f"{SVG}text")]


def test_line_chart_places_points_by_date_and_handles_one_point():
    points = [charts.Point(date(2025, 1, 1), (10.0, 5.0, 0.0)),
              charts.Point(date(2025, 1, 2), (20.0, 10.0, 5.0)),
              charts.Point(date(2025, 1, 11), (70.0, 50.0, 50.0))]
    svg = parse(charts.line_chart(points, ("a", "b", "c"), 70.0, "t", "d"))
    xs = sorted({float(c.get("cx")) for c in svg.iter(f"{SVG}circle")})
    assert len(xs) == 3 and (xs[1] - xs[0]) * 9 == xs[2] - xs[1]
    single = parse(charts.line_chart(points[:1], ("a", "b", "c"), None, "t", "d"))
    assert len(list(single.iter(f"{SVG}polyline"))) == 0
    assert len(list(single.iter(f"{SVG}circle"))) == 3
    empty = parse(charts.line_chart([], ("a", "b", "c"), None, "t", "d"))
    assert empty.find(f"{SVG}title").text == "t"


@pytest.fixture
def history(app, load_holdings, reg) -> None:
    """A snapshot of the whole register on the 7th of March 2025 (reading the report adds
    today's)."""
    load_holdings([reg.holding(1)])
    with standalone_session(app) as db:
        db.add(CoverageSnapshot(taken_on=date(2025, 3, 7), category="all", holdings=1,
                                digitized=0, searchable=0, online=0))
        db.commit()


@pytest.mark.parametrize(("lang", "first", "style"), [("vi", "07/03/2025", "%d/%m/%Y"),
                                                      ("en", "2025-03-07", "%Y-%m-%d")])
def test_the_history_charts_dates_are_written_the_pages_way(client, accounts, history, lang,
                                                           first, style):
    login(client, "librarian@test.vn")
    body = client.get(f"/reports/coverage?lang={lang}").get_data(as_text=True)
    chart = next(svg for svg in re.findall(r"<svg .*?</svg>", body, re.S) if "polyline" in svg)
    texts = [t.text for t in parse(chart).iter(f"{SVG}text")]
    assert texts[-2:] == [first, date.today().strftime(style)]
    if lang == "vi":
        assert not re.search(r"\d{4}-\d\d-\d\d", chart)
