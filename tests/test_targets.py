"""Target values (指标值): every form of DOMAIN.md, and the parser is total."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from toolkit.model import Comparator, TargetKind
from toolkit.targets import KNOWN_UNITS, parse_target

GE, LE, EQ, GT, LT = Comparator.GE, Comparator.LE, Comparator.EQ, Comparator.GT, Comparator.LT
Q, QUAL, MISSING = TargetKind.QUANTITATIVE, TargetKind.QUALITATIVE, TargetKind.MISSING

CASES = [
    ("≥90百分比", GE, "90", "%", Q),
    ("100%", None, "100", "%", Q),
    ("≥0万元/个", GE, "0", "万元/个", Q),
    ("≥60000人", GE, "60000", "人", Q),
    ("≥10年", GE, "10", "年", Q),
    ("≥80%", GE, "80", "%", Q),
    ("＝１００％", EQ, "100", "%", Q),
    ("＞＝95%", GE, "95", "%", Q),
    ("＞3天", GT, "3", "天", Q),
    ("＜5个", LT, "5", "个", Q),
    (">=95%", GE, "95", "%", Q),
    ("<=30天", LE, "30", "天", Q),
    ("不低于95%", GE, "95", "%", Q),
    ("不少于3次", GE, "3", "次", Q),
    ("大于等于98%", GE, "98", "%", Q),
    ("不高于5%", LE, "5", "%", Q),
    ("不超过12个月", LE, "12", "个月", Q),
    ("30天以内", LE, "30", "天", Q),
    ("95%以上", GE, "95", "%", Q),
    ("1,250.60万元", None, "1250.60", "万元", Q),
    ("≤ 1,000 元/人", LE, "1000", "元/人", Q),
    ("  ≥90%  ", GE, "90", "%", Q),
    ("按照当地文件标准", None, None, None, QUAL),
    ("有所提高", None, None, None, QUAL),
    ("90%-100%", None, None, None, QUAL),
    ("个", None, None, "个", MISSING),
    ("百分比", None, None, "%", MISSING),
    ("", None, None, None, MISSING),
    ("**", None, None, None, MISSING),
    ("XX", None, None, None, MISSING),
    ("×××", None, None, None, MISSING),
]


@pytest.mark.parametrize(("raw", "comparator", "value", "unit", "kind"), CASES)
def test_every_documented_target_form_is_read(raw, comparator, value, unit, kind):
    target = parse_target(raw)
    assert target.raw == raw
    assert target.comparator == comparator
    assert target.value == (Decimal(value) if value is not None else None)
    assert target.unit == unit
    assert target.kind == kind


def test_value_keeps_the_digits_as_written():
    assert str(parse_target("25.00%").value) == "25.00"


comparators = st.sampled_from(["", "≥", "≤", ">=", "<=", "=", ">", "<", "＞＝", "不低于", "不超过"])
numbers = st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False)
units = st.sampled_from(sorted(KNOWN_UNITS | {"百分比"}))
padding = st.sampled_from(["", " ", "\u3000", "  "])


@given(comparators, numbers, units, padding, padding)
def test_generated_quantitative_targets_round_trip(comparator, number, unit, before, after):
    raw = f"{before}{comparator}{number}{unit}{after}"
    target = parse_target(raw)
    assert target.kind is TargetKind.QUANTITATIVE
    assert target.value == number
    assert target.unit == ("%" if unit == "百分比" else unit)
    assert target.raw == raw


@given(comparators, numbers, units)
def test_full_width_forms_read_like_ascii(comparator, number, unit):
    ascii_text = f"{comparator}{number}{unit}"
    full_width = ascii_text.translate(
        {code: code + 0xFEE0 for code in range(0x21, 0x7F) if chr(code) not in "/"}
    )
    narrow, wide = parse_target(ascii_text), parse_target(full_width)
    assert (wide.comparator, wide.value, wide.unit, wide.kind) == (
        narrow.comparator,
        narrow.value,
        narrow.unit,
        narrow.kind,
    )


@given(st.text(max_size=40))
def test_any_text_gives_a_target_and_keeps_it_verbatim(text):
    target = parse_target(text)
    assert target.raw == text
    assert (target.value is None) == (target.kind is not TargetKind.QUANTITATIVE)
