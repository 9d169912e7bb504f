"""Rules on what targets and goals rest on: DQ10 (basis of a target), DQ13 (vague goals)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from toolkit.amounts import to_halfwidth
from toolkit.model import Indicator, Project
from toolkit.quality.base import Hit
from toolkit.quality.config import AuditConfig
from toolkit.quality.text import normalise

__all__ = ["dq10_basis", "dq13_vague_goals", "has_number"]

# A document is cited by its title marks or its number (财预〔2020〕10号, 《…办法》).
_DOCUMENT = re.compile(r"[《〈〔\[【]|\d")
# Counted things in words: 三座桥, 十二所学校.
_NUMERAL = re.compile(
    r"\d|[一二两三四五六七八九十百千万亿]+[个座处项次人户名家所条台套件份场期批间辆公里亩吨]"
)


def has_number(text: str) -> bool:
    return bool(_NUMERAL.search(to_halfwidth(text)))


def dq10_basis(indicator: Indicator, max_chars: int) -> Hit | None:
    """An empty basis, or one short word that cites no plan, standard or document."""
    basis = (indicator.basis or "").strip()
    if not normalise(basis):
        return Hit("DQ10", "empty", {}, indicator)
    text = to_halfwidth(basis)
    if len(normalise(text)) <= max_chars and not _DOCUMENT.search(text):
        return Hit("DQ10", "generic", {"basis": basis}, indicator)
    return None


def dq13_vague_goals(project: Project) -> Hit | None:
    """Goals with no number at all (or no goals)."""
    goals = [goal.strip() for goal in project.goals if goal.strip()]
    if not goals:
        return Hit("DQ13", "empty")
    if any(has_number(goal) for goal in goals):
        return None
    return Hit("DQ13", "vague", {"goals": "；".join(goals)})


def check_basis(project: Project, config: AuditConfig) -> Iterator[Hit]:
    """DQ10 on every indicator and DQ13 on the project, as ``config`` enables them."""
    if config.runs("DQ10"):
        for indicator in project.indicators:
            if (hit := dq10_basis(indicator, config.generic_basis_chars)) is not None:
                yield hit
    if config.runs("DQ13") and (hit := dq13_vague_goals(project)) is not None:
        yield hit
