"""Rules on target values: DQ05 (unusable), DQ06 (unit), DQ07 (cost), DQ08 (satisfaction)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from toolkit.amounts import to_halfwidth
from toolkit.model import Comparator, Indicator, Project, TargetKind
from toolkit.quality.base import Hit, number
from toolkit.quality.config import AuditConfig
from toolkit.quality.structure import is_cost, is_satisfaction
from toolkit.targets import KNOWN_UNITS, PERCENT_UNITS, is_placeholder

__all__ = ["dq05_unusable", "dq06_unit", "dq07_cost", "dq08_satisfaction", "is_money"]

# A percentage above 100 is possible only for a change relative to a base.
_GROWTH = re.compile(r"增长|增幅|增速|提高|提升|上升|同比|环比|比上年|较上年")
_HUNDRED = Decimal(100)
# Spellings of % other than "%", in a fixed order (the first found is reported).
_OTHER_PERCENT_UNITS = tuple(sorted(PERCENT_UNITS - {"%"}))


def is_money(unit: str | None) -> bool:
    """元, 万元, 亿元, or an amount per something (元/人, 万元/个)."""
    return unit is not None and unit.split("/")[0] in {"元", "万元", "亿元", "千元"}


def _params(indicator: Indicator) -> dict[str, str]:
    return {"raw": indicator.target.raw.strip()}


def dq05_unusable(indicator: Indicator) -> Hit | None:
    """Empty, a unit with no number, a placeholder (errors), or qualitative text (info)."""
    target = indicator.target
    if target.kind is TargetKind.QUANTITATIVE:
        return None
    raw = target.raw.strip()
    if target.kind is TargetKind.QUALITATIVE:
        variant = "qualitative"
    elif not raw:
        variant = "empty"
    elif is_placeholder(to_halfwidth(raw)):
        variant = "placeholder"
    else:
        variant = "unit_only"
    return Hit("DQ05", variant, _params(indicator), indicator)


def dq06_unit(indicator: Indicator) -> Hit | None:
    """百分比 and other spellings of %, unknown units, a percentage above 100 not a growth."""
    target = indicator.target
    if target.kind is not TargetKind.QUANTITATIVE or target.unit is None:
        return None
    written = next((u for u in _OTHER_PERCENT_UNITS if u in target.raw), None)
    if written is not None:
        return Hit("DQ06", "nonstandard", {**_params(indicator), "unit": written,
                                           "expected": "%"}, indicator)  # fmt: skip
    if target.unit not in KNOWN_UNITS and not is_money(target.unit):
        return Hit("DQ06", "unknown_unit", {**_params(indicator), "unit": target.unit}, indicator)
    if (
        target.unit == "%"
        and target.value is not None
        and target.value > _HUNDRED
        and not _GROWTH.search(indicator.name + (indicator.description or ""))
    ):
        return Hit("DQ06", "over_100", _params(indicator), indicator)
    return None


def dq07_cost(indicator: Indicator) -> Hit | None:
    """A cost target that is not money, or a floor of zero that limits nothing."""
    if not is_cost(indicator) or indicator.target.kind is not TargetKind.QUANTITATIVE:
        return None
    target = indicator.target
    if not is_money(target.unit):
        return Hit("DQ07", "not_money", _params(indicator), indicator)
    floor = target.comparator in {Comparator.GE, Comparator.GT, None}
    if target.value is not None and target.value <= 0 and floor:
        return Hit("DQ07", "meaningless", _params(indicator), indicator)
    return None


def dq08_satisfaction(indicator: Indicator, low: Decimal) -> Hit | None:
    """A satisfaction percentage outside 0–100, or a floor below ``low``."""
    target = indicator.target
    if not is_satisfaction(indicator) or target.unit != "%" or target.value is None:
        return None
    params = {**_params(indicator), "threshold": number(low)}
    if target.value < 0 or target.value > _HUNDRED:
        return Hit("DQ08", "out_of_range", params, indicator)
    if target.comparator in {Comparator.GE, Comparator.GT, Comparator.EQ, None} and (
        target.value < low
    ):
        return Hit("DQ08", "low", params, indicator)
    return None


def check_targets(project: Project, config: AuditConfig) -> Iterator[Hit]:
    """Every target rule that ``config`` enables, on one project's indicators."""
    for indicator in project.indicators:
        for rule, check in (("DQ05", dq05_unusable), ("DQ06", dq06_unit), ("DQ07", dq07_cost)):
            if config.runs(rule) and (hit := check(indicator)) is not None:
                yield hit
        if (
            config.runs("DQ08")
            and (hit := dq08_satisfaction(indicator, config.low_satisfaction)) is not None
        ):
            yield hit
