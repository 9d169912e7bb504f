"""Other templates: 元, thousands separators, full-width digits, quarter periods, extra
columns, 年度目标/实施期目标, scored level-1 labels, GB18030 with CRLF."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

import toolkit
from toolkit.errors import ParseError
from toolkit.model import Comparator

from .conftest import SAMPLE

VARIANT = Path(__file__).resolve().parent / "variants" / "education-variant.txt"


def test_education_variant_reads_every_field():
    d = toolkit.read(VARIANT)
    assert (d.department_code, d.department_name, d.currency_unit) == ("123456", "区教育局", "元")
    assert d.source.encoding == "gb18030"
    [project] = d.projects
    assert (project.budget_total, project.fiscal_funds, project.other_funds) == (
        Decimal("1250000.50"),
        Decimal("1000000.50"),
        Decimal("250000"),
    )
    assert [e.period for e in project.spending_plan] == ["一季度", "上半年", "前三季度", "全年"]
    assert project.spending_plan_cumulative
    assert project.goals == ["完成12所学校校舍维修", "消除校舍安全隐患", "校舍安全达标率100%"]
    assert d.warnings == []


def test_separate_comparator_and_unit_columns_compose_the_target():
    first = toolkit.read(VARIANT).projects[0].indicators[0]
    assert first.target.raw == "＝１２所"
    assert (first.target.comparator, first.target.value, first.target.unit) == (
        Comparator.EQ,
        Decimal("12"),
        "所",
    )
    assert (first.weight, first.direction) == (Decimal("20"), "正向")
    assert first.basis == "区教育局2021年校舍维修计划"


def test_scored_level1_labels_map_to_their_concepts_and_keep_the_label():
    indicators = toolkit.read(VARIANT).projects[0].indicators
    assert [(i.level1.label, i.level1.concept) for i in indicators] == [
        ("产出指标(50分)", "output"),
        ("产出指标(50分)", "output"),
        ("产出指标(50分)", "output"),
        ("效益指标(30分)", "outcome"),
        ("满意度指标(20分)", "satisfaction"),
    ]


def test_a_row_the_interpreter_cannot_place_becomes_a_warning_with_its_line(tmp_path):
    text = SAMPLE.read_text(encoding="utf-8")
    marker = "\t资金支出计划（%）\n"
    text = text.replace(marker, "\t神秘字段\n\t无法识别的内容\n\n" + marker, 1)
    copy = tmp_path / "extra-row.txt"
    copy.write_text(text, encoding="utf-8")
    disclosure = toolkit.read(copy)
    [warning] = disclosure.warnings
    assert "row not placed: 神秘字段 | 无法识别的内容" in warning.message
    assert warning.line == 57
    assert len(disclosure.projects) == 15


def test_stray_text_inside_part_two_is_a_warning_not_lost(tmp_path):
    text = SAMPLE.read_text(encoding="utf-8").replace(
        "2、电厂路绿化占地绩效目标表", "附注：本表数据未经审计\n2、电厂路绿化占地绩效目标表", 1
    )
    copy = tmp_path / "note.txt"
    copy.write_text(text, encoding="utf-8")
    [warning] = toolkit.read(copy).warnings
    assert "附注：本表数据未经审计" in warning.message


def test_an_indicator_the_model_refuses_is_an_error_at_its_own_line(tmp_path):
    text = (
        VARIANT.read_bytes().decode("gb18030").replace("\t所\r\n\t20\r\n", "\t所\r\n\t-20\r\n", 1)
    )
    assert "\t-20\r\n" in text
    copy = tmp_path / "negative-weight.txt"
    copy.write_bytes(text.encode("gb18030"))
    with pytest.raises(ParseError) as caught:
        toolkit.read(copy)
    assert caught.value.line == 60
    assert "weight" in caught.value.message
