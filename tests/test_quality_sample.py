"""The audit on real documents: the bundled sample, checked by hand, and a hand-written
disclosure of another department (a water-works bureau) with planted copied indicators."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from pydantic import ValidationError

import toolkit
from toolkit.model import Disclosure
from toolkit.quality import RULES, AuditConfig, Finding, Severity, audit, summarise

from .conftest import ROOT, SAMPLE
from .test_quality_rules import make_disclosure, make_project, with_indicator

WATER = Path(__file__).resolve().parent / "fixtures" / "water-2021.txt"


@pytest.fixture(scope="module")
def findings(sample: Disclosure) -> list[Finding]:
    return audit([sample])


@pytest.fixture(scope="module")
def water() -> Disclosure:
    return toolkit.read(WATER)


def off_topic(findings: list[Finding], disclosure: Disclosure) -> dict[int, list[int]]:
    """DQ09 findings as {project sequence: [indicator ordinals]}."""
    sequence = {p.code: p.sequence for p in disclosure.projects}
    found: dict[int, list[int]] = {p.sequence: [] for p in disclosure.projects}
    for f in findings:
        if f.rule == "DQ09":
            found[sequence[f.project_code]].append(f.indicator_ordinal)
    return found


def test_sample_counts_per_rule(findings):
    assert Counter(f.rule for f in findings) == {
        "DQ10": 75,  # every basis is empty (22) or one word such as 标准, 比例
        "DQ06": 54,  # every ≥90百分比: all targets outside project 6
        "DQ09": 42,
        "DQ01": 15,  # 效果指标 (alias of 效益指标), once per project
        "DQ13": 15,  # no goal has a number (按进度支出, 保证发放到位…)
        "DQ07": 10,  # the family-planning "cost" at ≥90% in 9 projects, and ≥0万元/个
        "DQ05": 8,  # project 6: six bare units (个, 处, 吨), one empty, one qualitative
        "DQ03": 1,  # 受益人口满意度 filed under 生态效益指标
    }
    assert Counter(f.severity for f in findings if f.rule == "DQ05") == {
        Severity.ERROR: 7,
        Severity.INFO: 1,
    }


def test_sample_off_topic_indicators_checked_by_hand(findings, sample):
    found = off_topic(findings, sample)
    # 1 党组织活动经费: family-planning subsidy, subsidy funds in place, publicity material,
    #   social stability through family planning; overall satisfaction is generic
    assert found[1] == [1, 2, 3, 4]
    # 2 电厂路绿化占地: film screenings, "green industry" standard
    assert found[2] == [1, 2]
    # 3 服务群众专项经费: family planning, subsidy funds, publicity, breaking-news handling,
    #   film-screening satisfaction, basic public-health satisfaction
    assert found[3] == [1, 2, 3, 4, 5, 6]
    # 4 韩家洼三座危桥经费 (three dangerous bridges): film screenings, publicity material
    assert found[4] == [1, 2]
    # 5 环保机构经费: subsidy funds, publicity material
    assert found[5] == [1, 2]
    # 6 环保专项资金: 21 indicators on village sanitation, water and sewage all fit it
    assert found[6] == []
    # 11 社区人员经费: research-project quality rate, publicity material
    assert found[11] == [1, 2]


def test_sample_generic_satisfaction_is_never_off_topic(findings, sample):
    generic = {
        (p.code, i.ordinal)
        for p in sample.projects
        for i in p.indicators
        if i.description == "群众满意数量占总数的比例。"
    }
    assert len(generic) == 12
    assert not {(f.project_code, f.indicator_ordinal) for f in findings if f.rule == "DQ09"} & (
        generic
    )


def test_copied_indicator_names_the_other_projects_and_its_similarity(findings):
    [bridge_film] = [
        f
        for f in findings
        if f.rule == "DQ09" and f.project_code == "917-0102-YCN-LNQ3" and f.indicator_ordinal == 1
    ]
    assert bridge_film.message_zh == (
        "指标“完成率”与项目“韩家洼三座危桥经费”无关（相似度0.000），相同指标还出现在其他5个项目中"
    )
    evidence = json.loads(bridge_film.evidence)
    assert evidence["similarity"] == "0.000"
    assert evidence["shared_count"] == 5
    assert "917-0102-YCN-HV41 电厂路绿化占地" in evidence["shared_with"]
    assert bridge_film.line == 314


def test_water_bureau_planted_copies_are_all_found_and_nothing_else(water):
    findings = audit([water])
    assert [(f.rule, f.project_code, f.indicator_ordinal) for f in findings] == [
        # the family-planning subsidy, used nowhere else, under groundwater monitoring
        ("DQ09", "305-0101-SWJ-0003", 3),
        # river dredging (project 2) under water-saving publicity
        ("DQ09", "305-0101-SWJ-0004", 3),
        # village water-pipe renewal (project 1) under the bureau's running costs
        ("DQ09", "305-0101-SWJ-0005", 4),
    ]
    dredging = json.loads(findings[1].evidence)
    assert dredging["fits"] == "305-0202-SWJ-0002 河道清淤及堤防加固"
    assert json.loads(findings[2].evidence)["fits"] == "305-0201-SWJ-0001 农村饮水安全巩固提升工程"


def test_auditing_together_finds_copies_across_departments(sample, water):
    findings = audit([sample, water])
    [planted] = [f for f in findings if f.project_code == "305-0101-SWJ-0003"]
    evidence = json.loads(planted.evidence)
    assert evidence["shared_count"] == 9
    assert evidence["shared_with"][0] == "917003/2020/917-0101-YCN-16DG 党组织活动经费"

    # the same findings for the sample; only the evidence widens (one more sharing project)
    def where(found: list[Finding]) -> list[tuple[str, str | None, int | None]]:
        return [(f.rule, f.project_code, f.indicator_ordinal) for f in found]

    assert where([f for f in findings if f.department_code == "917003"]) == where(audit([sample]))
    assert findings[0].department_code == "305012"  # sorted by department first


def test_findings_are_sorted_by_project_then_indicator_then_rule(findings, sample):
    sequence = {p.code: p.sequence for p in sample.projects}
    keys = [(sequence[f.project_code], f.indicator_ordinal or 0, f.rule) for f in findings]
    assert keys == sorted(keys)


def test_audit_is_identical_across_hash_seeds():
    script = (
        "import json, sys, toolkit; from toolkit.quality import audit;"
        "findings = audit([toolkit.read(sys.argv[1])]);"
        "print(json.dumps([f.model_dump(mode='json') for f in findings], ensure_ascii=False))"
    )
    outputs = set()
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        result = subprocess.run(
            [sys.executable, "-W", "error", "-c", script, str(SAMPLE)],
            capture_output=True,
            env=env,
            check=True,
            cwd=ROOT,
        )
        assert result.stderr == b""  # jieba loads its dictionary quietly
        outputs.add(result.stdout)
    assert len(outputs) == 1


def test_every_rule_is_documented_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for rule in RULES:
        severities = " / ".join(
            s.value for s in Severity if s in {rule.severity_of(v) for v in rule.messages}
        )
        assert f"| {rule.id} | {severities} | {rule.title_zh} | {rule.title_en} |" in readme
    for key in AuditConfig.model_fields:
        assert f"| `{key}` |" in readme


def test_config_rejects_unknown_rules_and_keys():
    with pytest.raises(ValidationError, match="unknown rule 'DQ99'"):
        AuditConfig(enabled=["DQ99"])
    with pytest.raises(ValidationError):
        AuditConfig.model_validate({"similarity_threshold": 0.3})
    config = AuditConfig.model_validate({"similarity": 0.25, "disabled": ["DQ13"]})
    assert str(config.similarity) == "0.25"
    assert not config.runs("DQ13") and config.runs("DQ09")


def test_summary_counts_by_severity_and_scores(findings, sample):
    project = sample.projects[5]  # 环保专项资金
    summary = summarise(findings, sample, project)
    own = [f for f in findings if f.project_code == project.code]
    assert (summary.errors, summary.warnings, summary.infos) == (
        sum(f.severity is Severity.ERROR for f in own),
        sum(f.severity is Severity.WARNING for f in own),
        sum(f.severity is Severity.INFO for f in own),
    )
    assert summary.errors == 7 and summary.indicators == 21
    assert summary.score == 0  # 7 errors and 27 warnings cost more than 100 points
    assert "DQ09" not in summary.rules


def test_summary_score_formula():
    clean = make_disclosure(make_project())
    assert summarise(audit([clean]), clean, clean.projects[0]).score == 100
    weak = with_indicator(target="", basis="标准")  # one error (DQ05), one warning (DQ10)
    summary = summarise(audit([weak]), weak, weak.projects[0])
    assert (summary.errors, summary.warnings, summary.score) == (1, 1, 87)
    assert summary.flagged_indicators == 1


def test_the_same_projects_in_another_year_are_not_copies(sample):
    next_year = sample.model_copy(update={"year": 2021})
    findings = audit([sample, next_year])

    def off_topic(year: int) -> list[tuple[str | None, int | None]]:
        return [
            (f.project_code, f.indicator_ordinal)
            for f in findings
            if f.year == year and f.rule == "DQ09"
        ]

    assert off_topic(2020) == off_topic(2021)
    assert len(off_topic(2021)) == 42
    # in 2021 the scheme moved cost to level 1: the old output dimension is noted, as info
    periods = [
        f for f in findings if f.year == 2021 and f.rule == "DQ01" and "2020" in f.message_en
    ]
    assert len(periods) == 11 and {f.severity for f in periods} == {Severity.INFO}


def test_a_single_project_document_of_another_template_has_no_off_topic_indicator():
    # the education bureau's scored, weighted template (tests/variants): one project, so no
    # statistics across projects; its indicators share words with the project or each other,
    # and 师生满意度 is satisfaction, the scheme's own measure
    variant = toolkit.read(ROOT / "tests" / "variants" / "education-variant.txt")
    assert [f for f in audit([variant]) if f.rule == "DQ09"] == []
