"""Rules on how indicators are filed: DQ01, DQ02, DQ03, DQ04 and DQ16.

Categories are judged against the scheme in :mod:`toolkit.vocab`; what a satisfaction or a
cost indicator is comes from the same scheme (the word its label is built on), not from
phrases seen in one document.
"""

from __future__ import annotations

from collections.abc import Iterator

from toolkit.model import Indicator, Project
from toolkit.quality.base import Hit
from toolkit.quality.config import AuditConfig
from toolkit.quality.text import normalise
from toolkit.targets import PERCENT_UNITS
from toolkit.vocab import BY_CODE, LEVEL1, Concept, label_key, lookup_level1, lookup_level2

__all__ = [
    "REQUIRED_LEVEL1",
    "dq01_labels",
    "dq02_parent",
    "dq03_meaning",
    "dq04_missing_kinds",
    "dq16_duplicates",
    "is_cost",
    "is_satisfaction",
]

REQUIRED_LEVEL1 = ("output", "outcome", "satisfaction")
# The satisfaction concept's label without its "指标" suffix: 满意度.
SATISFACTION_WORD = LEVEL1["satisfaction"].zh.removesuffix("指标")
COST_CODES = {"cost", "output-cost", "economic-cost"}
_RATE_ENDINGS = ("率", "比例", "比重", "占比", SATISFACTION_WORD)


def is_satisfaction(indicator: Indicator) -> bool:
    """The indicator measures satisfaction, whatever it is filed under."""
    return SATISFACTION_WORD in normalise(indicator.name)


def is_cost(indicator: Indicator) -> bool:
    """The indicator is filed as a cost (level-1 cost, or the money-cost level-2 concepts)."""
    return indicator.level2.concept in COST_CODES or (
        indicator.level1.concept == "cost" and indicator.level2.concept is None
    )


def _period(concept: Concept, year: int | None) -> dict[str, str] | None:
    """The years a concept is used in, if ``year`` is outside them (成本指标 as level 1 from
    2021, as an output dimension until 2020)."""
    if year is None:
        return None
    if concept.since is not None and year < concept.since:
        return {"period_zh": f"{concept.since}年起", "period_en": f"{concept.since} onwards"}
    if concept.until is not None and year > concept.until:
        return {"period_zh": f"{concept.until}年及以前", "period_en": f"{concept.until} and before"}
    return None


def dq01_labels(project: Project, year: int | None = None) -> Iterator[Hit]:
    """Labels outside the scheme (or outside its version for ``year``), per indicator;
    aliases once per project and label."""
    aliases: set[tuple[int, str]] = set()
    for indicator in project.indicators:
        for level, ref, lookup in ((1, indicator.level1, lookup_level1),
                                   (2, indicator.level2, lookup_level2)):  # fmt: skip
            concept = lookup(ref.label)
            if concept is None:
                yield Hit("DQ01", "unknown", {"level": str(level), "label": ref.label}, indicator)
            elif (period := _period(concept, year)) is not None:
                params = {"level": str(level), "label": ref.label, "year": str(year), **period}
                yield Hit("DQ01", "period", params, indicator)
            elif concept.zh != ref.label and (level, ref.label) not in aliases:
                if label_key(ref.label) == label_key(concept.zh):
                    continue  # only spacing, full-width forms or a score suffix differ
                aliases.add((level, ref.label))
                yield Hit(
                    "DQ01",
                    "alias",
                    {"level": str(level), "label": ref.label, "preferred": concept.zh},
                    indicator,
                )


def dq02_parent(indicator: Indicator) -> Hit | None:
    """A level-2 concept filed under a level-1 concept that is not its parent."""
    level1, level2 = indicator.level1.concept, indicator.level2.concept
    if level1 is None or level2 is None:
        return None
    expected = BY_CODE[level2].broader
    if expected is None or expected == level1:
        return None
    return Hit(
        "DQ02",
        "wrong_parent",
        {
            "level1": indicator.level1.label,
            "level2": indicator.level2.label,
            "expected": BY_CODE[expected].zh,
        },
        indicator,
    )


def dq03_meaning(indicator: Indicator) -> Hit | None:
    """Satisfaction filed elsewhere, non-satisfaction under satisfaction, a cost that is a rate."""
    labels = {"level1": indicator.level1.label, "level2": indicator.level2.label}
    satisfaction = is_satisfaction(indicator)
    filed_as_satisfaction = indicator.level1.concept == "satisfaction"
    if satisfaction and indicator.level1.concept is not None and not filed_as_satisfaction:
        return Hit("DQ03", "satisfaction_elsewhere", labels, indicator)
    if filed_as_satisfaction and not satisfaction:
        return Hit("DQ03", "not_satisfaction", labels, indicator)
    name = normalise(indicator.name)
    if is_cost(indicator) and (name.endswith(_RATE_ENDINGS) or name.endswith(tuple(PERCENT_UNITS))):
        return Hit("DQ03", "cost_is_rate", labels, indicator)
    return None


def dq04_missing_kinds(project: Project) -> Hit | None:
    """A project without an output, an outcome or a satisfaction indicator."""
    present = {indicator.level1.concept for indicator in project.indicators}
    missing = [code for code in REQUIRED_LEVEL1 if code not in present]
    if not missing:
        return None
    return Hit(
        "DQ04",
        "missing",
        {
            "missing": "、".join(LEVEL1[code].zh for code in missing),
            "missing_en": ", ".join(LEVEL1[code].en for code in missing),
        },
    )


def dq16_duplicates(project: Project) -> Iterator[Hit]:
    """The second and later occurrences of an indicator name within one project."""
    first: dict[str, int] = {}
    for indicator in project.indicators:
        key = normalise(indicator.name)
        if not key:
            continue
        if key in first:
            yield Hit("DQ16", "duplicate", {"first": str(first[key])}, indicator)
        else:
            first[key] = indicator.ordinal


def check_structure(
    project: Project, config: AuditConfig, year: int | None = None
) -> Iterator[Hit]:
    """Every structure rule that ``config`` enables, on one project of budget ``year``."""
    if config.runs("DQ01"):
        yield from dq01_labels(project, year)
    for indicator in project.indicators:
        for rule, check in (("DQ02", dq02_parent), ("DQ03", dq03_meaning)):
            if config.runs(rule) and (hit := check(indicator)) is not None:
                yield hit
    if config.runs("DQ04") and (hit := dq04_missing_kinds(project)) is not None:
        yield hit
    if config.runs("DQ16"):
        yield from dq16_duplicates(project)
