"""The bundled sample, field by field, and its golden JSON."""

from __future__ import annotations

import json
from decimal import Decimal

from toolkit.model import Comparator, TargetKind

from .conftest import GOLDEN


def test_sample_has_15_projects_75_indicators_and_1651_67_wan_yuan(sample):
    assert len(sample.projects) == 15
    assert sample.indicator_count == 75
    assert sample.total_budget == Decimal("1651.67")
    assert sample.warnings == []


def test_sample_department_and_metadata(sample):
    assert (sample.department_code, sample.department_name) == ("917003", "西城区政府办公室")
    assert (sample.year, sample.region, sample.currency_unit) == (2020, "河北省定州市", "万元")
    assert sample.source.file_name == "disclosure.txt"
    assert len(sample.source.sha256) == 64


def test_part_one_goals_and_measures(sample):
    assert sample.overall_goal.startswith("单位紧紧围绕党的十八大精神")
    assert len(sample.itemised_goals) == 9
    assert sample.itemised_goals[2].startswith("进一步加大招商引资")
    assert len(sample.safeguard_measures) == 5
    assert sample.safeguard_measures[4].startswith("五是统筹兼顾")


def test_project_1_every_field(sample):
    project = sample.projects[0]
    assert (project.sequence, project.code, project.name) == (
        1,
        "917-0101-YCN-16DG",
        "党组织活动经费",
    )
    assert (project.budget_total, project.fiscal_funds, project.other_funds) == (
        Decimal("17.54"),
        Decimal("17.54"),
        None,
    )
    assert project.use_of_funds == (
        "党组织活动经费：“三会一课”，开展主题党日，党员教育培训，救助困难党员，慰问老党员，其他"
    )
    assert [(e.period, e.percent) for e in project.spending_plan] == [
        ("3月底", Decimal("25.00")),
        ("6月底", Decimal("25.00")),
        ("10月底", Decimal("25.00")),
        ("12月底", Decimal("25.00")),
    ]
    assert project.goals == ["按进度支出", "保证发放到位"]
    assert (project.source.first, project.source.last) == (37, 114)
    names = [i.name for i in project.indicators]
    assert names == [
        "农村部分计划生育家庭奖励扶助金发放标准",
        "扶助资金到位率",
        "外宣品发放使用量占生产量的比例（%）",
        "社会稳定水平",
        "群众满意度",
    ]
    second = project.indicators[1]
    assert (second.level1.label, second.level1.concept) == ("产出指标", "output")
    assert (second.level2.label, second.level2.concept) == ("时效指标", "timeliness")
    assert second.description == "实际到位扶助资金占应到位资金的比例"
    assert second.target.raw == "≥90百分比"
    assert (second.target.comparator, second.target.value, second.target.unit) == (
        Comparator.GE,
        Decimal("90"),
        "%",
    )
    assert second.basis == "到位率"
    assert second.source.first == 88


def test_legacy_label_keeps_its_source_text(sample):
    outcome = sample.projects[0].indicators[2].level1
    assert (outcome.label, outcome.concept) == ("效果指标", "outcome")


def test_project_6_every_field(sample):
    project = sample.projects[5]
    assert (project.code, project.name) == ("917-0202-YCN-OMYC", "环保专项资金")
    assert project.budget_total == project.fiscal_funds == Decimal("100.00")
    assert project.use_of_funds == "用于农村和社区的环保工作"
    assert project.goals == ["用于农村和社区的环境治理工作"]
    assert len(project.indicators) == 21
    by_level2 = {}
    for indicator in project.indicators:
        by_level2.setdefault(indicator.level2.concept, []).append(indicator.name)
    assert {k: len(v) for k, v in by_level2.items()} == {
        "quantity": 6,
        "quality": 3,
        "timeliness": 2,
        "output-cost": 2,
        "social": 2,
        "ecological": 4,
        "sustainable": 1,
        "recipient-satisfaction": 1,
    }
    first = project.indicators[0]
    assert (first.name, first.description, first.target.raw, first.basis) == (
        "村人居环境整治个数",
        "整治个数",
        "个",
        None,
    )
    assert (first.target.kind, first.target.unit, first.target.value) == (
        TargetKind.MISSING,
        "个",
        None,
    )
    assert project.indicators[8].target.kind is TargetKind.MISSING  # 受益人数: empty
    assert project.indicators[11].target.kind is TargetKind.QUALITATIVE  # 按照当地文件标准
    assert project.indicators[12].name == "污水设施建设补助标准"  # leading spaces stripped
    assert project.indicators[12].target.unit == "万元/个"
    assert project.indicators[13].target.value == Decimal("60000")
    assert project.indicators[20].level1.concept == "satisfaction"


def test_empty_level1_cell_repeats_the_one_above(sample):
    project = sample.projects[5]
    assert all(i.level1.label == "产出指标" for i in project.indicators[:13])
    assert all(i.level1.label == "效果指标" for i in project.indicators[13:20])


def test_empty_spending_plan_cell_is_kept_as_none(sample):
    plan = sample.projects[2].spending_plan
    assert [e.percent for e in plan] == [Decimal("25.00"), Decimal("25.00"), Decimal("50.00"), None]


def test_sample_json_matches_the_golden_file(sample, update_golden):
    golden = GOLDEN / "sample.json"
    text = json.dumps(sample.model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n"
    if update_golden:
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")
