"""The inline SVG charts: scalable, labelled for screen readers, escaped, and safe at the edges."""

from __future__ import annotations

from datetime import date
from xml.etree import ElementTree

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
