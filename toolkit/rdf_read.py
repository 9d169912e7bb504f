"""Graph → model: the inverse of :func:`toolkit.rdf.to_graph`.

Every field ``to_graph`` writes is read back, so the model survives the round trip exactly
(including provenance, which model equality ignores). A graph that is not a jixiao graph is an
:class:`~toolkit.errors.OutputError` naming the node and the missing property.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from pydantic import ValidationError
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, SKOS
from rdflib.term import Node

from toolkit.errors import OutputError
from toolkit.model import (
    CategoryRef,
    Disclosure,
    Indicator,
    ParseWarning,
    Project,
    SourceDocument,
    SourceLine,
    SpendingPlanEntry,
    Target,
)
from toolkit.vocabularies import BP, BPC, COMPARATORS, SCHEMA, SPDX, TARGET_KINDS

__all__ = ["from_graph"]

_COMPARATOR_OF = {iri: text for text, iri in COMPARATORS.items()}
_KIND_OF = {iri: text for text, iri in TARGET_KINDS.items()}


class _Reader:
    def __init__(self, graph: Graph) -> None:
        self.graph = graph

    def values(self, node: Node, prop: URIRef) -> list[Node]:
        return sorted(self.graph.objects(node, prop))

    def opt(self, node: Node, prop: URIRef) -> Node | None:
        found = self.values(node, prop)
        if len(found) > 1:
            raise OutputError(f"<{node}> has {len(found)} values of <{prop}>; expected one")
        return found[0] if found else None

    def one(self, node: Node, prop: URIRef) -> Node:
        value = self.opt(node, prop)
        if value is None:
            raise OutputError(f"<{node}> has no <{prop}>")
        return value

    def text(self, node: Node, prop: URIRef) -> str | None:
        value = self.opt(node, prop)
        return None if value is None else str(value)

    def number(self, node: Node, prop: URIRef, kind: Callable[[str], Any] = Decimal) -> Any:
        value = self.opt(node, prop)
        return None if value is None else kind(str(value))

    def ordered(self, node: Node, prop: URIRef) -> list[Node]:
        """The parts of ``node`` along ``prop`` in their bp:ordinal order."""
        parts = self.values(node, prop)
        return sorted(parts, key=lambda part: int(str(self.one(part, BP.ordinal))))

    def texts(self, node: Node, prop: URIRef) -> list[str]:
        return [str(self.one(part, BP.text)) for part in self.ordered(node, prop)]

    def lines(self, node: Node) -> SourceLine:
        return SourceLine(
            first=int(str(self.one(node, BP.sourceFirstLine))),
            last=int(str(self.one(node, BP.sourceLastLine))),
            where=self.text(node, BP.sourceWhere),
        )

    def amount(self, project: Node, prop: URIRef) -> Decimal | None:
        node = self.opt(project, prop)
        return None if node is None else Decimal(str(self.one(node, SCHEMA.value)))

    def disclosure(self, node: Node) -> Disclosure:
        source = self.one(node, PROV.hadPrimarySource)
        checksum = self.one(source, SPDX.checksum)
        year = self.opt(node, BP.budgetYear)
        projects = [self.project(p) for p in self.values(node, BP.project)]
        projects.sort(key=lambda p: (p.sequence, p.code))
        warnings = [
            ParseWarning(
                message=str(self.one(w, BP.message)),
                line=self.number(w, BP.sourceFirstLine, int),
            )
            for w in self.ordered(node, BP.parseWarning)
        ]
        return Disclosure(
            department_code=str(self.one(self.one(node, BP.department), SKOS.notation)),
            department_name=str(self.one(node, BP.departmentName)),
            year=None if year is None else int(str(year)),
            region=self.text(node, BP.region),
            currency_unit=str(self.one(node, BP.currencyUnit)),
            publisher=self.text(node, BP.publisher),
            license=self.text(node, BP.license),
            source_url=self.text(node, BP.sourceUrl),
            source=SourceDocument(
                file_name=str(self.one(source, BP.fileName)),
                sha256=str(self.one(checksum, SPDX.checksumValue)),
                media_type=str(self.one(source, BP.mediaType)),
                encoding=self.text(source, BP.encoding),
            ),
            overall_goal=self.text(node, BP.overallGoal),
            itemised_goals=self.texts(node, BP.itemisedGoal),
            safeguard_measures=self.texts(node, BP.safeguardMeasure),
            projects=projects,
            warnings=warnings,
        )

    def project(self, node: Node) -> Project:
        cumulative = self.one(node, BP.spendingPlanCumulative)
        return Project(
            sequence=int(str(self.one(node, BP.sequence))),
            code=str(self.one(node, BP.projectCode)),
            name=str(self.one(node, SCHEMA.name)),
            budget_total=self.amount(node, BP.budgetTotal),
            fiscal_funds=self.amount(node, BP.fiscalFunds),
            other_funds=self.amount(node, BP.otherFunds),
            use_of_funds=self.text(node, BP.useOfFunds),
            spending_plan=[
                SpendingPlanEntry(
                    period=str(self.one(e, BP.period)), percent=self.number(e, BP.percent)
                )
                for e in self.ordered(node, BP.spendingPlanEntry)
            ],
            spending_plan_cumulative=bool(
                isinstance(cumulative, Literal) and cumulative.toPython() is True
            ),
            goals=self.texts(node, BP.goal),
            indicators=[self.indicator(i) for i in self.ordered(node, BP.indicator)],
            source=self.lines(node),
        )

    def category(self, node: Node, label: URIRef, concept: URIRef) -> CategoryRef:
        iri = self.opt(node, concept)
        code = None
        if iri is not None:
            if not str(iri).startswith(str(BPC)):
                raise OutputError(f"<{node}>: <{iri}> is not a concept of the indicator scheme")
            code = str(iri)[len(str(BPC)) :]
        return CategoryRef(label=str(self.one(node, label)), concept=code)

    def indicator(self, node: Node) -> Indicator:
        target = self.one(node, BP.target)
        comparator = self.opt(target, BP.comparator)
        return Indicator(
            ordinal=int(str(self.one(node, BP.ordinal))),
            level1=self.category(node, BP.level1Label, BP.level1),
            level2=self.category(node, BP.level2Label, BP.level2),
            name=str(self.one(node, SCHEMA.name)),
            description=self.text(node, SCHEMA.description),
            target=Target(
                raw=str(self.one(target, BP.raw)),
                comparator=None if comparator is None else _COMPARATOR_OF[comparator],
                value=self.number(target, BP.value),
                unit=self.text(target, BP.unit),
                kind=_KIND_OF[self.one(target, BP.targetKind)],
            ),
            basis=self.text(node, BP.basis),
            weight=self.number(node, BP.weight),
            direction=self.text(node, BP.direction),
            source=self.lines(node),
        )


def from_graph(graph: Graph) -> list[Disclosure]:
    """Every ``bp:Disclosure`` of ``graph`` back as the model, ordered by department and year.

    Raises :class:`OutputError` when the graph lacks what ``to_graph`` always writes."""
    reader = _Reader(graph)
    try:
        disclosures = [reader.disclosure(node) for node in graph.subjects(RDF.type, BP.Disclosure)]
    except (ValidationError, KeyError, ValueError, ArithmeticError) as error:
        raise OutputError(f"the graph does not describe a valid disclosure: {error}") from error
    return sorted(disclosures, key=lambda d: (d.department_code, d.year or 0))
