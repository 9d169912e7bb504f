"""The indicator scheme of DOMAIN.md and every zh/en label jixiao shows, in one table.

The SKOS scheme in ``ontology/indicator-scheme.ttl`` is written from the same facts; a test
checks that the two agree concept by concept.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

__all__ = [
    "CONCEPTS",
    "LEVEL1",
    "LEVEL2",
    "Concept",
    "label_key",
    "lookup_level1",
    "lookup_level2",
]


@dataclass(frozen=True)
class Concept:
    """A concept of the indicator scheme; ``code`` is stable and used in IRIs and CSVs."""

    code: str
    level: int
    zh: str
    en: str
    broader: str | None = None
    aliases: tuple[str, ...] = ()
    since: int | None = None
    until: int | None = None

    @property
    def labels(self) -> tuple[str, ...]:
        return (self.zh, *self.aliases)


CONCEPTS: tuple[Concept, ...] = (
    Concept("output", 1, "产出指标", "output"),
    Concept("outcome", 1, "效益指标", "outcome / benefit", aliases=("效果指标",)),
    Concept("satisfaction", 1, "满意度指标", "satisfaction"),
    Concept("cost", 1, "成本指标", "cost", since=2021),
    Concept("quantity", 2, "数量指标", "quantity", broader="output"),
    Concept("quality", 2, "质量指标", "quality", broader="output"),
    Concept("timeliness", 2, "时效指标", "timeliness", broader="output"),
    Concept("output-cost", 2, "成本指标", "cost (output, before 2021)", "output", until=2020),
    Concept("economic", 2, "经济效益指标", "economic benefit", broader="outcome"),
    Concept("social", 2, "社会效益指标", "social benefit", broader="outcome"),
    Concept(
        "ecological", 2, "生态效益指标", "ecological benefit", "outcome", aliases=("环境效益指标",)
    ),
    Concept("sustainable", 2, "可持续影响指标", "sustainable impact", broader="outcome"),
    Concept(
        "recipient-satisfaction",
        2,
        "服务对象满意度指标",
        "service-recipient satisfaction",
        broader="satisfaction",
    ),
    Concept("economic-cost", 2, "经济成本指标", "economic cost", broader="cost", since=2021),
    Concept("social-cost", 2, "社会成本指标", "social cost", broader="cost", since=2021),
    Concept(
        "environmental-cost",
        2,
        "生态环境成本指标",
        "ecological and environmental cost",
        broader="cost",
        since=2021,
    ),
)

LEVEL1 = {c.code: c for c in CONCEPTS if c.level == 1}
LEVEL2 = {c.code: c for c in CONCEPTS if c.level == 2}
BY_CODE = {c.code: c for c in CONCEPTS}

_SCORE = re.compile(r"[(（][^()（）]*[)）]\s*$")
_SPACE = re.compile(r"\s+")


def label_key(label: str) -> str:
    """Normalise a level label for lookup: full-width folded, spaces and a score suffix
    such as ``(50分)`` removed."""
    text = unicodedata.normalize("NFKC", label)
    text = _SPACE.sub("", text)
    return _SCORE.sub("", text)


def _index(level: int) -> dict[str, Concept]:
    return {label_key(label): c for c in CONCEPTS if c.level == level for label in c.labels}


_LEVEL1_BY_LABEL = _index(1)
_LEVEL2_BY_LABEL = _index(2)


def lookup_level1(label: str) -> Concept | None:
    return _LEVEL1_BY_LABEL.get(label_key(label))


def lookup_level2(label: str) -> Concept | None:
    """The level-2 concept a label names; the label alone decides, so a child filed under the
    wrong parent keeps its own concept and DQ02 reports it."""
    return _LEVEL2_BY_LABEL.get(label_key(label))
