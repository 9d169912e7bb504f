"""``audit()``: every enabled rule on every project, findings in a fixed order."""

from __future__ import annotations

from collections.abc import Sequence

from toolkit.memory import frozen_heap
from toolkit.model import Disclosure
from toolkit.quality.base import to_finding
from toolkit.quality.basis import check_basis
from toolkit.quality.config import AuditConfig
from toolkit.quality.finding import Finding
from toolkit.quality.money import check_money
from toolkit.quality.relevance import Corpus, check_relevance
from toolkit.quality.structure import check_structure
from toolkit.quality.targets import check_targets

__all__ = ["audit"]


def audit(disclosures: Sequence[Disclosure], config: AuditConfig | None = None) -> list[Finding]:
    """The quality findings of ``disclosures``, audited together.

    Disclosures audited together share the evidence of DQ09 (an indicator copied across
    departments is found too). Findings are ordered by department, year, project sequence,
    indicator ordinal (project-level findings first) and rule, so the same input always gives
    the same list.
    """
    # The findings are a few objects per indicator: with the corpus frozen, the collector's
    # passes over them do not walk the whole corpus again and again.
    with frozen_heap():
        return _audit(disclosures, config or AuditConfig())


def _audit(disclosures: Sequence[Disclosure], config: AuditConfig) -> list[Finding]:
    corpus = Corpus.of(disclosures, config)
    strings: dict[str, str] = {}
    keyed: list[tuple[tuple[str, int, int, int, str, str], Finding]] = []
    number = 0  # the project's position in the corpus, in the order Corpus.of numbers them
    for disclosure in disclosures:
        for project in disclosure.projects:
            hits = [
                *check_structure(project, config, disclosure.year),
                *check_targets(project, config),
                *check_relevance(project, corpus, number),
                *check_basis(project, config),
                *check_money(project, config),
            ]
            for hit in hits:
                finding = to_finding(hit, disclosure, project, strings)
                ordinal = hit.indicator.ordinal if hit.indicator is not None else 0
                key = (
                    disclosure.department_code,
                    disclosure.year or 0,
                    project.sequence,
                    ordinal,
                    finding.rule,
                    finding.message_en,
                )
                keyed.append((key, finding))
            number += 1
    keyed.sort(key=lambda pair: pair[0])
    return [finding for _, finding in keyed]
