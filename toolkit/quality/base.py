"""What a rule returns (a :class:`Hit`) and how it becomes a :class:`Finding`.

Rules are small pure functions over the model that return hits: the rule id, the variant of
its message, the values the message quotes and the evidence. Turning a hit into a finding
(severity, zh/en text, location) happens in one place, here.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from toolkit.model import Disclosure, Indicator, Project
from toolkit.quality.finding import Finding
from toolkit.quality.rules import RULES_BY_ID

__all__ = ["Hit", "evidence", "number", "to_finding"]


@dataclass(frozen=True)
class Hit:
    """One thing a rule found: ``variant`` picks the message, ``params`` fill it."""

    rule: str
    variant: str
    params: Mapping[str, str] = field(default_factory=dict)
    indicator: Indicator | None = None
    evidence: str | None = None


def number(value: Decimal) -> str:
    """A decimal as people write it: ``100.00`` → ``100``, ``0.50`` → ``0.5``."""
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def evidence(**values: Any) -> str:
    """Evidence as compact JSON with sorted keys, so findings are byte-identical run to run."""
    return json.dumps(values, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def to_finding(
    hit: Hit,
    disclosure: Disclosure,
    project: Project | None,
    strings: dict[str, str] | None = None,
) -> Finding:
    """The finding ``hit`` stands for, in ``project`` of ``disclosure``.

    With ``strings``, texts equal to one already there are shared rather than kept twice:
    of a corpus's findings, most say what others say (the hints, the evidence, many
    messages), and the findings live as long as the build."""
    rule = RULES_BY_ID[hit.rule]
    message = rule.messages[hit.variant]
    params = dict(hit.params)
    if project is not None:
        params.setdefault("project", project.name)
    if hit.indicator is not None:
        params.setdefault("name", hit.indicator.name)
    line = None
    if hit.indicator is not None:
        line = hit.indicator.source.first
    elif project is not None:
        line = project.source.first

    def share(text: str) -> str:
        return strings.setdefault(text, text) if strings is not None else text

    return Finding(
        rule=rule.id,
        severity=rule.severity_of(hit.variant),
        department_code=disclosure.department_code,
        year=disclosure.year,
        project_code=project.code if project is not None else None,
        indicator_ordinal=hit.indicator.ordinal if hit.indicator is not None else None,
        line=line or None,
        message_zh=share(message.zh.format_map(params)),
        message_en=share(message.en.format_map(params)),
        hint_zh=share(rule.hint_zh.format_map(params)),
        hint_en=share(rule.hint_en.format_map(params)),
        evidence=share(hit.evidence) if hit.evidence is not None else None,
    )
