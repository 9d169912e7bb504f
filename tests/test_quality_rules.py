"""Every quality rule on small hand-made projects: one case that triggers it, one that does not.

The cases build the model directly (``make_indicator``, ``make_project``), so each rule is
tested alone; ``audit()`` with only that rule enabled turns the hits into findings, which also
checks that every message and hint template formats with the values its rule gives.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.model import (
    CategoryRef,
    Disclosure,
    Indicator,
    Project,
    SourceDocument,
    SourceLine,
    SpendingPlanEntry,
)
from toolkit.quality import RULES, AuditConfig, Severity, audit, relevance
from toolkit.quality.base import Hit
from toolkit.quality.basis import check_basis
from toolkit.quality.money import check_money
from toolkit.quality.relevance import Corpus, check_relevance
from toolkit.quality.rules import RULES_BY_ID
from toolkit.quality.structure import check_structure
from toolkit.quality.targets import check_targets
from toolkit.targets import parse_target
from toolkit.vocab import lookup_level1, lookup_level2


def make_indicator(
    name: str = "道路硬化里程",
    description: str | None = "完成硬化的乡村道路长度",
    target: str = "≥12公里",
    basis: str | None = "《2021年乡村道路建设计划》",
    level1: str = "产出指标",
    level2: str = "数量指标",
    ordinal: int = 1,
    weight: str | None = None,
) -> Indicator:
    concept1, concept2 = lookup_level1(level1), lookup_level2(level2)
    return Indicator(
        ordinal=ordinal,
        level1=CategoryRef(label=level1, concept=concept1.code if concept1 else None),
        level2=CategoryRef(label=level2, concept=concept2.code if concept2 else None),
        name=name,
        description=description,
        target=parse_target(target),
        basis=basis,
        weight=Decimal(weight) if weight is not None else None,
        source=SourceLine(first=100 + ordinal, last=100 + ordinal),
    )


def standard_indicators() -> list[dict[str, Any]]:
    """An output, an outcome and a satisfaction indicator that break no rule."""
    return [
        {},
        {
            "name": "村民出行时间缩短",
            "description": "道路硬化后村民到乡镇的平均出行时间减少",
            "target": "≥20%",
            "basis": "2020年村民出行情况调查",
            "level1": "效益指标",
            "level2": "社会效益指标",
        },
        {
            "name": "沿线村民满意度",
            "description": "沿线村民对道路硬化工程的满意程度",
            "target": "≥90%",
            "basis": "2020年满意度调查结果88%",
            "level1": "满意度指标",
            "level2": "服务对象满意度指标",
        },
    ]


def make_project(
    indicators: list[dict[str, Any]] | None = None,
    *,
    sequence: int = 1,
    code: str = "100-0101-ROAD-0001",
    name: str = "乡村道路硬化工程",
    use_of_funds: str | None = "用于5个村道路硬化12公里",
    goals: list[str] | None = None,
    budget: tuple[str | None, str | None, str | None] = ("100.00", "80.00", "20.00"),
    plan: tuple[str | None, ...] = ("25", "25", "25", "25"),
    cumulative: bool = False,
) -> Project:
    specs = standard_indicators() if indicators is None else indicators
    total, fiscal, other = (Decimal(v) if v is not None else None for v in budget)
    return Project(
        sequence=sequence,
        code=code,
        name=name,
        budget_total=total,
        fiscal_funds=fiscal,
        other_funds=other,
        use_of_funds=use_of_funds,
        spending_plan=[
            SpendingPlanEntry(period=period, percent=Decimal(p) if p is not None else None)
            for period, p in zip(("3月底", "6月底", "10月底", "12月底"), plan, strict=True)
        ],
        spending_plan_cumulative=cumulative,
        goals=["完成5个村道路硬化12公里"] if goals is None else goals,
        indicators=[make_indicator(**{"ordinal": n, **spec}) for n, spec in enumerate(specs, 1)],
        source=SourceLine(first=10 * sequence, last=10 * sequence + 9),
    )


def make_disclosure(*projects: Project, code: str = "100200") -> Disclosure:
    return Disclosure(
        department_code=code,
        department_name="某县交通运输局",
        year=2021,
        source=SourceDocument(file_name="made.txt", sha256="0" * 64, media_type="text/plain"),
        projects=list(projects),
    )


def hits(rule: str, disclosure: Disclosure, **settings: Any) -> list[Hit]:
    config = AuditConfig(enabled=[rule], **settings)
    corpus = Corpus.of([disclosure], config)
    found: list[Hit] = []
    for number, project in enumerate(disclosure.projects):
        found.extend(check_structure(project, config, disclosure.year))
        for check in (check_targets, check_basis, check_money):
            found.extend(check(project, config))
        found.extend(check_relevance(project, corpus, number))
    return found


def with_indicator(**spec: Any) -> Disclosure:
    """The standard project with its first indicator replaced by ``spec``."""
    return make_disclosure(make_project([spec, *standard_indicators()[1:]]))


def project_with(**options: Any) -> Disclosure:
    return make_disclosure(make_project(**options))


@dataclass(frozen=True)
class Case:
    rule: str
    build: Callable[[], Disclosure]
    variants: tuple[str, ...]
    settings: tuple[tuple[str, Any], ...] = ()


SAT = {"level1": "满意度指标", "level2": "服务对象满意度指标", "name": "受益群众满意度",
       "description": "受益群众对道路硬化的满意程度"}  # fmt: skip
COST = {"level2": "成本指标", "name": "道路硬化单位成本", "description": "每公里道路硬化费用"}
COPIED = {"name": "道路硬化里程", "description": "完成硬化的乡村道路长度", "target": "≥12公里"}

CASES = [
    Case("DQ01", lambda: with_indicator(level1="产出目标"), ("unknown",)),
    Case("DQ01", lambda: with_indicator(level1="效果指标", level2="社会效益指标"), ("alias",)),
    Case("DQ01", lambda: with_indicator(level1="成本指标", level2="经济成本指标"), ()),
    Case("DQ01", lambda: with_indicator(**COST, target="≤15万元/公里"), ("period",)),
    Case("DQ01", lambda: with_indicator(level1="产出指标（50分）"), ()),
    Case("DQ02", lambda: with_indicator(level2="社会效益指标"), ("wrong_parent",)),
    Case("DQ02", lambda: with_indicator(level2="质量指标"), ()),
    Case(
        "DQ03",
        lambda: with_indicator(**{**SAT, "level1": "效益指标", "level2": "生态效益指标"}),
        ("satisfaction_elsewhere",),
    ),
    Case(
        "DQ03",
        lambda: with_indicator(level1="满意度指标", level2="服务对象满意度指标"),
        ("not_satisfaction",),
    ),
    Case("DQ03", lambda: with_indicator(**{**COST, "name": "资金到位率"}), ("cost_is_rate",)),
    Case("DQ03", lambda: with_indicator(**SAT), ()),
    Case("DQ04", lambda: make_disclosure(make_project(standard_indicators()[:2])), ("missing",)),
    Case("DQ04", lambda: make_disclosure(make_project()), ()),
    Case("DQ05", lambda: with_indicator(target=""), ("empty",)),
    Case("DQ05", lambda: with_indicator(target="个"), ("unit_only",)),
    Case("DQ05", lambda: with_indicator(target="**"), ("placeholder",)),
    Case("DQ05", lambda: with_indicator(target="按照当地文件标准"), ("qualitative",)),
    Case("DQ05", lambda: with_indicator(target="＞＝１２公里"), ()),
    Case("DQ06", lambda: with_indicator(target="≥90百分比"), ("nonstandard",)),
    Case("DQ06", lambda: with_indicator(target="≥12瓢"), ("unknown_unit",)),
    Case("DQ06", lambda: with_indicator(name="硬化道路达标率", target="≥120%"), ("over_100",)),
    Case("DQ06", lambda: with_indicator(name="道路里程增长率", target="≥120%"), ()),
    Case("DQ07", lambda: with_indicator(**COST, target="≥90%"), ("not_money",)),
    Case("DQ07", lambda: with_indicator(**COST, target="≥0万元/公里"), ("meaningless",)),
    Case("DQ07", lambda: with_indicator(**COST, target="≤15万元/公里"), ()),
    Case("DQ08", lambda: with_indicator(**SAT, target="≥120%"), ("out_of_range",)),
    Case("DQ08", lambda: with_indicator(**SAT, target="≥60%"), ("low",)),
    Case("DQ08", lambda: with_indicator(**SAT, target="≥60%"), (), (("low_satisfaction", 50),)),
    Case("DQ08", lambda: with_indicator(**SAT, target="≥85%"), ()),
    Case("DQ09", lambda: make_disclosure(*three_projects(copy=True)), ("copied",)),
    Case("DQ09", lambda: make_disclosure(*three_projects(stray=True)), ("unrelated",)),
    Case("DQ09", lambda: make_disclosure(*three_projects()), ()),
    Case("DQ10", lambda: with_indicator(basis=None), ("empty",)),
    Case("DQ10", lambda: with_indicator(basis="标准"), ("generic",)),
    Case("DQ10", lambda: with_indicator(basis="2020年完成10公里"), ()),
    Case("DQ11", lambda: project_with(budget=("100", "80", "10")), ("mismatch",)),
    Case("DQ11", lambda: project_with(budget=("-5", "-5", None)), ("negative", "negative")),
    Case("DQ11", lambda: project_with(budget=("100", "100", None)), ()),
    Case("DQ12", lambda: project_with(plan=("25", "25", "25", "20")), ("sum",)),
    Case(
        "DQ12",
        lambda: project_with(plan=("20", "50", "90", None), cumulative=True),
        ("cumulative_end",),
    ),
    Case("DQ12", lambda: project_with(plan=("20", "50", "80", "100"), cumulative=True), ()),
    Case("DQ12", lambda: project_with(plan=("50", "50", None, None)), ()),
    Case("DQ13", lambda: project_with(goals=["按进度支出", "保证发放到位"]), ("vague",)),
    Case("DQ13", lambda: project_with(goals=[]), ("empty",)),
    Case("DQ13", lambda: project_with(goals=["完成韩家洼三座危桥加固"]), ()),
    Case(
        "DQ14",
        lambda: make_disclosure(
            make_project([{**spec, "weight": "20"} for spec in standard_indicators()])
        ),
        ("sum",),
    ),
    Case(
        "DQ14",
        lambda: make_disclosure(make_project([{"weight": "50"}, *standard_indicators()[1:]])),
        ("partial",),
    ),
    Case(
        "DQ14",
        lambda: make_disclosure(
            make_project(
                [
                    {**spec, "weight": w}
                    for spec, w in zip(standard_indicators(), ("50", "30", "10"), strict=True)
                ]
            )
        ),
        (),
    ),
    Case("DQ15", lambda: with_indicator(description="群众满意数量占总数的比例"), ("mismatch",)),
    Case("DQ15", lambda: with_indicator(description="硬化的长度"), ()),
    Case(
        "DQ16", lambda: make_disclosure(make_project([{}, *standard_indicators()])), ("duplicate",)
    ),
    Case("DQ16", lambda: make_disclosure(make_project()), ()),
]


def _satisfaction(name: str, description: str) -> dict[str, Any]:
    return {"name": name, "description": description, "target": "≥90%",
            "basis": "2020年满意度调查结果", "level1": "满意度指标",
            "level2": "服务对象满意度指标"}  # fmt: skip


def _rate(name: str, description: str) -> dict[str, Any]:
    return {"name": name, "description": description, "target": "≥95%", "level2": "质量指标"}


def three_projects(copy: bool = False, stray: bool = False) -> list[Project]:
    """Roads, schools and a library, each with its own indicators and the same generic
    satisfaction indicator; ``copy`` puts the road indicator under the schools project,
    ``stray`` gives the library a family-planning indicator."""
    generic = _satisfaction("群众满意度", "群众满意数量占总数的比例")
    road = [
        COPIED,
        _rate("硬化道路验收合格率", "验收合格的硬化道路占完工道路的比例"),
        _satisfaction("沿线村民满意度", "沿线村民对道路硬化工程满意的比例"),
        generic,
    ]
    school = [
        {
            "name": "校舍维修面积",
            "description": "完成维修的中小学校舍面积",
            "target": "≥3000平方米",
        },
        _rate("维修工程按期完工率", "按期完工的校舍维修工程占全部工程的比例"),
        *([COPIED] if copy else []),
        _satisfaction("学生家长满意度", "学生家长对校舍维修满意的比例"),
        generic,
    ]
    library = [
        {"name": "新增藏书数量", "description": "购置入藏的图书册数", "target": "≥20000册"},
        _rate("新购图书上架率", "已编目上架的新购图书占购书总量的比例"),
        *([{"name": "计划生育家庭奖励扶助金发放人数",
            "description": "对符合条件的农村计划生育家庭发放奖励扶助金的人数",
            "target": "≥300人"}] if stray else []),
        _satisfaction("读者满意度", "读者对新购图书满意的比例"),
        generic,
    ]  # fmt: skip
    return [
        make_project(road),
        make_project(school, sequence=2, code="100-0201-EDU-0002", name="中小学校舍维修",
                     use_of_funds="用于8所中小学校舍维修", goals=["维修8所学校校舍3000平方米"]),
        make_project(library, sequence=3, code="100-0301-LIB-0003", name="图书馆购书经费",
                     use_of_funds="用于图书馆购置图书2万册", goals=["购置图书2万册"]),
    ]  # fmt: skip


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.rule}-{'-'.join(c.variants) or 'ok'}")
def test_rule_case(case: Case):
    disclosure = case.build()
    settings = dict(case.settings)
    found = hits(case.rule, disclosure, **settings)
    assert tuple(hit.variant for hit in found) == case.variants
    findings = audit([disclosure], AuditConfig(enabled=[case.rule], **settings))
    assert [f.rule for f in findings] == [case.rule] * len(case.variants)
    for hit, finding in zip(found, findings, strict=True):
        assert finding.severity is RULES_BY_ID[case.rule].severity_of(hit.variant)
        assert "{" not in finding.message_zh + finding.message_en + finding.hint_zh


def test_every_rule_has_a_triggering_and_a_clean_case():
    assert len(CASES) == 52
    rules = {rule.id for rule in RULES}
    assert {c.rule for c in CASES if c.variants} == rules
    assert {c.rule for c in CASES if not c.variants} == rules


def test_every_message_variant_is_triggered_by_a_case():
    catalogue = {(rule.id, variant) for rule in RULES for variant in rule.messages}
    triggered = {(c.rule, v) for c in CASES for v in c.variants}
    assert triggered == catalogue


def test_the_clean_project_breaks_no_rule():
    assert audit([make_disclosure(make_project())]) == []


def test_messages_quote_the_indicator_its_value_and_what_is_expected():
    [finding] = audit([with_indicator(target="≥90百分比")], AuditConfig(enabled=["DQ06"]))
    assert finding.message_zh == (
        "指标“道路硬化里程”的指标值“≥90百分比”使用了不规范的单位“百分比”，应为“%”"
    )
    assert finding.severity is Severity.INFO
    assert (finding.indicator_ordinal, finding.line) == (1, 101)
    [low] = audit([with_indicator(**SAT, target="≥60%")], AuditConfig(enabled=["DQ08"]))
    assert low.message_en == "the satisfaction target “≥60%” of “受益群众满意度” is below 80%"


def test_copied_indicator_evidence_names_the_project_it_fits():
    [hit] = hits("DQ09", make_disclosure(*three_projects(copy=True)))
    assert hit.indicator is not None and hit.indicator.name == "道路硬化里程"
    assert '"fits":"100-0101-ROAD-0001 乡村道路硬化工程"' in (hit.evidence or "")
    assert '"shared_with":["100-0101-ROAD-0001 乡村道路硬化工程"]' in (hit.evidence or "")


def test_disabled_rules_do_not_run():
    disclosure = with_indicator(target="", basis=None)
    assert {f.rule for f in audit([disclosure])} == {"DQ05", "DQ10"}
    assert {f.rule for f in audit([disclosure], AuditConfig(disabled=["DQ10"]))} == {"DQ05"}


untrusted = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30
) | st.sampled_from(["{name}", "{0}", "[red]x[/red]", "≥{raw}%", "", "**", "百分比"])


@settings(max_examples=60, deadline=None)
@given(name=untrusted, description=untrusted, target=untrusted, basis=untrusted)
def test_audit_takes_any_indicator_text_and_quotes_it_verbatim(name, description, target, basis):
    spec = {"name": name, "description": description, "target": target, "basis": basis}
    disclosure = make_disclosure(*three_projects(), make_project([spec], sequence=4, code="X-4"))
    findings = audit([disclosure])
    assert findings == audit([disclosure])
    for finding in findings:
        if finding.rule == "DQ05" and finding.project_code == "X-4" and target.strip():
            assert target.strip() in finding.message_zh


def _health_bureau() -> Disclosure:
    """Four health projects written for themselves, and one indicator copied from the first
    into the second; 违法案件查处率 shares no word with its enforcement project, only
    characters (执法, 违法), and is not off-topic."""

    def row(name: str, description: str, level1: str = "产出指标", level2: str = "数量指标"):
        return {"name": name, "description": description, "level1": level1, "level2": level2}

    def sat(name: str, description: str):
        return row(name, description, "满意度指标", "服务对象满意度指标")

    def ben(name: str, description: str):
        return row(name, description, "效益指标", "社会效益指标")

    signing = row("家庭医生签约人数", "签约家庭医生服务的常住居民人数")
    projects = [
        ("家庭医生签约服务经费", "用于家庭医生团队签约服务补助", "签约服务覆盖2万名居民", [
            signing,
            row("重点人群签约率", "老年人、慢性病患者等重点人群签约家庭医生的比例"),
            ben("居民健康管理水平", "签约居民健康档案规范化管理率"),
            sat("签约居民满意度", "签约居民对家庭医生服务的满意程度")]),
        ("免疫规划专项经费", "用于免疫规划疫苗冷链运转和接种补助", "完成疫苗接种5万剂次", [
            row("疫苗接种剂次", "全年完成免疫规划疫苗接种剂次"),
            row("适龄儿童免疫规划疫苗接种率", "适龄儿童按程序完成疫苗接种的比例"),
            ben("疫苗可预防传染病发病率", "麻疹等疫苗可预防传染病报告发病率"),
            sat("接种儿童家长满意度", "家长对预防接种服务的满意程度"),
            signing]),
        ("乡镇卫生院设备购置", "用于12个乡镇卫生院购置医疗设备", "购置医疗设备12台", [
            row("医疗设备购置台数", "购置DR、彩超等医疗设备数量"),
            row("设备验收合格率", "验收合格的设备占购置设备的比例"),
            ben("基层诊疗能力", "乡镇卫生院可开展的检查项目增加数"),
            sat("患者满意度", "就诊患者对检查服务的满意程度")]),
        ("卫生监督执法经费", "用于卫生监督执法车辆运行和快速检测", "检查公共场所800户次", [
            row("卫生监督检查户次", "对公共场所、饮用水单位开展监督检查的户次"),
            row("违法案件查处率", "依法查处的违法案件占发现案件的比例"),
            ben("公共场所卫生合格率", "抽检合格的公共场所占抽检总数的比例"),
            sat("群众满意度", "群众满意数量占总数的比例")]),
    ]  # fmt: skip
    return make_disclosure(
        *(
            make_project(rows, sequence=n, code=f"H-{n}", name=name, use_of_funds=use, goals=[goal])
            for n, (name, use, goal, rows) in enumerate(projects, 1)
        )
    )


def test_off_topic_on_an_unseen_field_finds_the_copy_and_nothing_else():
    found = [(f.project_code, f.indicator_ordinal) for f in audit([_health_bureau()])
             if f.rule == "DQ09"]  # fmt: skip
    assert found == [("H-2", 5)]


_codes = st.from_regex(r"[0-9A-Za-z][0-9A-Za-z._-]{0,20}", fullmatch=True)


@given(
    department=_codes,
    year=st.none() | st.integers(1990, 2100),
    code=_codes,
    name=st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=20),
    own=st.booleans(),
)
def test_the_evidence_names_a_project_so_that_it_can_be_read_back(
    department, year, code, name, own
):
    """``shared_with`` and ``fits`` labels read back into what they name: the site links
    each to the project's page (names may hold spaces and slashes, codes never do)."""
    here = SimpleNamespace(department_code="D0", year=2020)
    other = here if own else SimpleNamespace(department_code=department, year=year)
    corpus = SimpleNamespace(projects=[(other, SimpleNamespace(code=code, name=name))])
    label = relevance._label(corpus, 0, here)  # type: ignore[arg-type]
    expected = (None, None) if own else (department, year)
    assert relevance.labelled_project(label) == (*expected, code, name)
