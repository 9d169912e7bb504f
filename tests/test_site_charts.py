"""The SVG charts: geometry from the numbers, labels escaped, long lists folded."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from decimal import Decimal

from toolkit.charts import Bar, bar_chart, column_chart, top_with_rest

SVG = "{http://www.w3.org/2000/svg}"


def widths(svg: str) -> list[Decimal]:
    root = ET.fromstring(svg)
    return [Decimal(r.get("width")) for r in root.iter(f"{SVG}rect")]


def test_bar_lengths_are_proportional_to_the_values():
    svg = bar_chart(
        [Bar("甲", Decimal("388.84")), Bar("乙", Decimal("194.42")), Bar("丙", Decimal(0))],
        unit="万元",
        caption="预算",
    )
    first, second, third = widths(svg)
    assert first == 2 * second and third == 0
    assert "388.84 万元" in svg


def test_a_missing_or_negative_value_draws_no_bar_and_says_so():
    svg = bar_chart(
        [Bar("甲", None), Bar("乙", Decimal(-5)), Bar("丙", Decimal(1))], unit="万元", caption="c"
    )
    assert widths(svg)[:2] == [0, 0]
    assert "—" in svg and "-5 万元" in svg


def test_labels_and_links_are_escaped_and_the_svg_is_well_formed():
    svg = bar_chart(
        [Bar('<script>"x"</script>', Decimal(1), href='a"b')], unit="<u>", caption="<c>"
    )
    ET.fromstring(svg)  # well-formed XML: nothing unescaped broke it
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert 'href="a&quot;b"' in svg


def test_long_labels_are_shortened_with_the_full_label_in_the_tooltip():
    name = "社区服务群众专项经费社区服务群众专项经费社区服务群众专项经费"
    svg = bar_chart([Bar(name, Decimal(1))], unit="万元", caption="c")
    shown = re.findall(r'class="jx-chart-label"[^>]*>([^<]*)<', svg)[0]
    assert shown.endswith("…") and len(shown) < len(name)
    assert f"<title>{name}：1 万元</title>" in svg


def test_top_with_rest_keeps_the_largest_in_order_and_sums_the_others_exactly():
    bars = [Bar(str(i), Decimal(i) / 100) for i in range(1, 11)]
    folded = top_with_rest(bars, 4, "其余 {n} 个项目")
    assert [b.label for b in folded] == ["8", "9", "10", "其余 7 个项目"]
    assert folded[-1].value == sum(Decimal(i) / 100 for i in range(1, 8))
    assert top_with_rest(bars[:3], 4, "x") == bars[:3]


def test_column_heights_use_a_fixed_scale():
    svg = column_chart(
        [Bar("3月底", Decimal(25)), Bar("6月底", Decimal(100)), Bar("10月底", None)],
        unit="%",
        caption="支出计划",
        maximum=Decimal(100),
    )
    heights = [Decimal(r.get("height")) for r in ET.fromstring(svg).iter(f"{SVG}rect")]
    assert heights == [40, 160, 0]
    assert "25%" in svg and "—" in svg


def test_the_same_data_gives_the_same_bytes():
    bars = [Bar("甲", Decimal("1.23")), Bar("乙", Decimal("4.56"))]
    assert bar_chart(bars, unit="万元", caption="c") == bar_chart(bars, unit="万元", caption="c")
