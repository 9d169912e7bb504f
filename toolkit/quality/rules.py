"""The rule catalogue: every quality rule's id, severity, titles, messages and hints, in one place.

A rule may say different things (DQ05: empty, a unit with no number, a placeholder); each
*variant* has its own message, and may have its own severity (an alias label is only info).
Messages are ``str.format`` templates over the values a rule reports (``{name}`` is the
indicator's name as written, ``{raw}`` the target as written…); the values come from the
untrusted disclosure and are never interpreted as templates themselves.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from toolkit.quality.finding import Severity

__all__ = ["RULES", "RULES_BY_ID", "SEVERITY_LABELS", "Message", "Rule"]


@dataclass(frozen=True)
class Message:
    zh: str
    en: str
    severity: Severity | None = None


@dataclass(frozen=True)
class Rule:
    """One quality rule of DOMAIN.md. ``messages`` maps each variant to its text."""

    id: str
    severity: Severity
    title_zh: str
    title_en: str
    hint_zh: str
    hint_en: str
    messages: Mapping[str, Message] = field(default_factory=dict)

    def severity_of(self, variant: str) -> Severity:
        return self.messages[variant].severity or self.severity


E, W, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO

SEVERITY_LABELS: Mapping[Severity, tuple[str, str]] = MappingProxyType(
    {E: ("错误", "error"), W: ("警告", "warning"), INFO: ("提示", "info")}
)


def _rule(
    id: str,
    severity: Severity,
    title: tuple[str, str],
    hint: tuple[str, str],
    **messages: Message,
) -> Rule:
    return Rule(id, severity, *title, *hint, MappingProxyType(messages))


RULES: tuple[Rule, ...] = (
    _rule(
        "DQ01", W,
        ("指标类别不在指标体系中", "category label not in the indicator scheme"),
        ("使用《项目支出绩效指标框架》中的一级、二级指标名称。",
         "Use the level-1 and level-2 labels of the indicator framework."),
        unknown=Message("指标“{name}”的{level}级指标“{label}”不在指标体系中",
                        "the level-{level} label “{label}” of indicator “{name}” is not in the "
                        "indicator scheme"),
        alias=Message("{level}级指标“{label}”是“{preferred}”的旧称或别名",
                      "level-{level} label “{label}” is an older name or alias of “{preferred}”",
                      INFO),
        period=Message("指标“{name}”的{level}级指标“{label}”只用于{period_zh}的指标体系，"
                       "不适用于{year}年",
                       "the level-{level} label “{label}” of indicator “{name}” belongs to the "
                       "scheme of {period_en}, not {year}", INFO),
    ),
    _rule(
        "DQ02", E,
        ("二级指标不属于其一级指标", "level-2 category under the wrong level-1 category"),
        ("把指标移到正确的一级指标下，或改正二级指标。",
         "Move the indicator under the right level-1 category, or fix its level-2 label."),
        wrong_parent=Message("指标“{name}”的二级指标“{level2}”属于“{expected}”，不属于“{level1}”",
                             "indicator “{name}”: level-2 “{level2}” belongs under “{expected}”, "
                             "not “{level1}”"),
    ),
    _rule(
        "DQ03", W,
        ("指标含义与类别不符", "indicator meaning contradicts its category"),
        ("按指标的实际含义归类：满意度归入满意度指标，成本指标应为金额。",
         "File the indicator by what it measures: satisfaction under satisfaction, costs as "
         "amounts of money."),
        satisfaction_elsewhere=Message(
            "满意度指标“{name}”被归入“{level1}/{level2}”",
            "satisfaction indicator “{name}” is filed under “{level1}/{level2}”"),
        not_satisfaction=Message(
            "指标“{name}”不是满意度，却被归入“{level1}”",
            "indicator “{name}” is not a satisfaction measure but is filed under “{level1}”"),
        cost_is_rate=Message(
            "成本指标“{name}”是一个比率，而不是成本",
            "cost indicator “{name}” is a rate, not a cost"),
    ),
    _rule(
        "DQ04", W,
        ("项目缺少某类指标", "project lacks a kind of indicator"),
        ("每个项目至少设置产出、效益和满意度指标各一项。",
         "Give every project at least one output, one outcome and one satisfaction indicator."),
        missing=Message("项目“{project}”缺少{missing}",
                        "project “{project}” has no {missing_en} indicator"),
    ),
    _rule(
        "DQ05", E,
        ("指标值缺失或无法解读", "target missing or unreadable"),
        ("填写可衡量的指标值：比较符、数值和单位，如“≥95%”。",
         "Write a measurable target: comparator, number and unit, e.g. “≥95%”."),
        empty=Message("指标“{name}”没有指标值", "indicator “{name}” has no target value"),
        unit_only=Message("指标“{name}”的指标值“{raw}”只有单位，没有数值",
                          "the target “{raw}” of indicator “{name}” is a unit with no number"),
        placeholder=Message("指标“{name}”的指标值“{raw}”是模板占位符",
                            "the target “{raw}” of indicator “{name}” is a template placeholder"),
        qualitative=Message("指标“{name}”的指标值“{raw}”是定性描述，无法衡量",
                            "the target “{raw}” of indicator “{name}” is qualitative, not "
                            "measurable", INFO),
    ),
    _rule(
        "DQ06", INFO,
        ("计量单位不规范或不可能", "non-standard or impossible unit"),
        ("使用规范单位（% 而非“百分比”）；百分比不超过100，增长率除外。",
         "Use standard units (% rather than 百分比); a percentage above 100 only for growth."),
        nonstandard=Message("指标“{name}”的指标值“{raw}”使用了不规范的单位“{unit}”，应为“{expected}”",
                            "the target “{raw}” of indicator “{name}” uses the non-standard unit "
                            "“{unit}”; expected “{expected}”"),
        unknown_unit=Message("指标“{name}”的指标值“{raw}”的单位“{unit}”不常见",
                             "the target “{raw}” of indicator “{name}” has an unusual unit "
                             "“{unit}”"),
        over_100=Message("指标“{name}”的指标值“{raw}”超过100%，但不是增长率",
                         "the target “{raw}” of indicator “{name}” is above 100% and is not a "
                         "growth rate", E),
    ),
    _rule(
        "DQ07", W,
        ("成本指标不是金额或阈值无意义", "cost target not money or meaningless"),
        ("成本指标应写明金额上限，如“≤50万元”。",
         "A cost target is an amount of money with a ceiling, e.g. “≤50万元”."),
        not_money=Message("成本指标“{name}”的指标值“{raw}”不是金额",
                          "the cost target “{raw}” of indicator “{name}” is not an amount of "
                          "money"),
        meaningless=Message("成本指标“{name}”的指标值“{raw}”没有约束力",
                            "the cost target “{raw}” of indicator “{name}” sets no real limit"),
    ),
    _rule(
        "DQ08", W,
        ("满意度目标超出范围或偏低", "satisfaction target out of range or low"),
        ("满意度目标应在0–100%之间，通常不低于{threshold}%。",
         "A satisfaction target lies between 0 and 100%, usually at least {threshold}%."),
        out_of_range=Message("满意度指标“{name}”的指标值“{raw}”不在0–100%之间",
                             "the satisfaction target “{raw}” of “{name}” is outside 0–100%", E),
        low=Message("满意度指标“{name}”的指标值“{raw}”低于{threshold}%",
                    "the satisfaction target “{raw}” of “{name}” is below {threshold}%"),
    ),
    _rule(
        "DQ09", W,
        ("指标与项目无关", "indicator off-topic for its project"),
        ("按项目的资金用途和绩效目标重新设置指标，不要照搬其他项目的指标。",
         "Write indicators from the project's use of funds and goals; do not copy them from "
         "other projects."),
        copied=Message("指标“{name}”与项目“{project}”无关（相似度{similarity}），"
                       "相同指标还出现在其他{others}个项目中",
                       "indicator “{name}” is off-topic for project “{project}” (similarity "
                       "{similarity}); the same indicator appears in {others} other projects"),
        unrelated=Message("指标“{name}”与项目“{project}”的名称、资金用途和绩效目标几乎没有"
                          "共同内容（相似度{similarity}）",
                          "indicator “{name}” has almost nothing in common with the name, use "
                          "of funds and goals of project “{project}” (similarity {similarity})"),
    ),
    _rule(
        "DQ10", W,
        ("指标值确定依据缺失或过于笼统", "basis of the target missing or generic"),
        ("写明确定指标值的依据：计划、标准、文件或历史数据。",
         "Say where the target comes from: a plan, a standard, a document or past figures."),
        empty=Message("指标“{name}”没有指标值确定依据",
                      "indicator “{name}” gives no basis for its target"),
        generic=Message("指标“{name}”的确定依据“{basis}”只是一个笼统的词",
                        "the basis “{basis}” of indicator “{name}” is a single generic word"),
    ),
    _rule(
        "DQ11", E,
        ("资金来源与预算数不符", "funds do not add up to the budget"),
        ("核对预算数、财政资金和其他资金。",
         "Check the budget total, fiscal funds and other funds."),
        mismatch=Message("项目“{project}”财政资金{fiscal}加其他资金{other}等于{sum}，"
                         "与预算数{total}不符",
                         "project “{project}”: fiscal funds {fiscal} plus other funds {other} "
                         "make {sum}, not the budget total {total}"),
        negative=Message("项目“{project}”的{field}为负数：{amount}",
                         "project “{project}”: {field_en} is negative: {amount}"),
    ),
    _rule(
        "DQ12", E,
        ("资金支出计划合计不为100%", "spending plan does not add up to 100%"),
        ("各时点支出比例合计应为100%（累计计划最后一期为100%）。",
         "The shares of the spending plan add up to 100% (a cumulative plan ends at 100%)."),
        sum=Message("项目“{project}”的资金支出计划合计为{sum}%，应为100%",
                    "project “{project}”: the spending plan adds up to {sum}%, not 100%"),
        cumulative_end=Message("项目“{project}”的累计资金支出计划最后为{last}%，应为100%",
                               "project “{project}”: the cumulative spending plan ends at "
                               "{last}%, not 100%"),
    ),
    _rule(
        "DQ13", W,
        ("绩效目标笼统", "vague project goals"),
        ("绩效目标应写明要完成的具体内容和数量。",
         "State what the project will achieve, with numbers."),
        vague=Message("项目“{project}”的绩效目标“{goals}”没有任何数量",
                      "project “{project}”: the goals “{goals}” contain no number"),
        empty=Message("项目“{project}”没有绩效目标", "project “{project}” states no goals"),
    ),
    _rule(
        "DQ14", E,
        ("指标权重合计不符", "weights do not add up"),
        ("各指标权重（分值）合计应为{total}。",
         "The indicators' weights (scores) add up to {total}."),
        sum=Message("项目“{project}”的指标权重合计为{sum}，应为{expected}",
                    "project “{project}”: the weights add up to {sum}, not {expected}"),
        partial=Message("项目“{project}”只有{given}/{count}个指标有权重",
                        "project “{project}”: only {given} of {count} indicators have a weight"),
    ),
    _rule(
        "DQ15", W,
        ("指标描述与指标名称不符", "description belongs to another indicator"),
        ("指标描述应解释本指标的含义和计算方法。",
         "The description explains this indicator and how it is measured."),
        mismatch=Message("指标“{name}”的描述“{description}”说的是另一个指标",
                         "the description “{description}” of indicator “{name}” is about "
                         "another indicator"),
    ),
    _rule(
        "DQ16", W,
        ("同一指标重复出现", "indicator repeated in a project"),
        ("删除重复的指标，或把它们区分开。",
         "Remove the repeated indicator or make the two distinct."),
        duplicate=Message("指标“{name}”在项目“{project}”中重复出现（与第{first}个指标相同）",
                          "indicator “{name}” appears twice in project “{project}” (same as "
                          "indicator {first})"),
    ),
)  # fmt: skip

RULES_BY_ID: Mapping[str, Rule] = MappingProxyType({rule.id: rule for rule in RULES})
