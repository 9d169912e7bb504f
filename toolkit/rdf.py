"""The model as RDF under the budget-performance ontology (``ontology/bp.ttl``), and back.

``to_graph`` writes every field of every :class:`~toolkit.model.Disclosure`, so ``from_graph``
reads back a model equal to the one written (provenance included). Text from a disclosure is
tagged ``@zh``; codes, raw targets, units and periods are plain strings. Money and percentages
are ``xsd:decimal`` written from the exact ``Decimal``, never through a float. The graph has no
blank nodes: every part of a project is a hash IRI on the project's page (``toolkit.iris``),
which keeps the serialisations deterministic and every node addressable.

``write_rdf`` writes Turtle, N-Triples and JSON-LD byte-identically from the same graph.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, ORG, PROV, RDF, SKOS, XSD
from rdflib.plugins.serializers.jsonld import from_rdf

from toolkit.errors import OutputError
from toolkit.iris import (
    dataset_iri,
    department_iri,
    disclosure_iri,
    part_iri,
    project_iri,
    project_iri_for,
)
from toolkit.metadata import DocumentMetadata
from toolkit.model import Disclosure, Indicator, Project, SourceDocument, SourceLine, Target
from toolkit.quality.finding import Finding
from toolkit.rdf_read import from_graph
from toolkit.reading import read
from toolkit.vocabularies import (
    BP,
    BPC,
    COMPARATORS,
    CONTEXT_FILE,
    DQV,
    OA,
    QUDT,
    QUDT_UNITS,
    SCHEMA,
    SEVERITIES,
    SPDX,
    TARGET_KINDS,
    UNIT,
    bind_prefixes,
)

__all__ = [
    "export",
    "from_graph",
    "project_graph",
    "serialize",
    "to_graph",
    "write_rdf",
]

ZH = "zh"


def _decimal(value: Decimal) -> Literal:
    """The exact decimal, never through a float. Format "f" never gives an exponent ("1E+2"
    is no xsd:decimal); a whole number gets ".0" because Turtle's shorthand writes it so, and
    every serialisation must carry the same lexical form (25.00 stays 25.00)."""
    text = format(value, "f")
    return Literal(text if "." in text else f"{text}.0", datatype=XSD.decimal)


def _zh(text: str) -> Literal:
    return Literal(text, lang=ZH)


class TripleWriter:
    """States the triples of disclosures, projects and findings into ``sink``: an rdflib
    graph by default, or anything with ``add(triple)`` (the site collects them in a list)."""

    def __init__(self, base: str, store: str = "SimpleMemory", sink: Any = None) -> None:
        self.base = base
        # rdflib's SimpleMemory store, without named graphs, adds a triple in less than
        # half the time of its default Memory store: the graph's largest cost.
        self.graph = (
            sink if sink is not None else bind_prefixes(Graph(store=store, bind_namespaces="core"))
        )

    def add(self, s: URIRef, p: URIRef, o: URIRef | Literal | None) -> None:
        if o is not None:
            self.graph.add((s, p, o))

    def disclosure(self, d: Disclosure, dataset: URIRef) -> None:
        node = disclosure_iri(self.base, d)
        dept = department_iri(self.base, d.department_code)
        g = self.add
        g(node, RDF.type, BP.Disclosure)
        g(node, DCTERMS.isPartOf, dataset)
        g(node, BP.department, dept)
        g(dept, RDF.type, BP.Department)
        g(dept, RDF.type, ORG.Organization)
        g(dept, SKOS.notation, Literal(d.department_code))
        g(dept, SKOS.prefLabel, _zh(d.department_name))
        g(node, BP.departmentName, _zh(d.department_name))
        if d.year is not None:
            g(node, BP.budgetYear, Literal(str(d.year), datatype=XSD.gYear))
        g(node, BP.region, _zh(d.region) if d.region is not None else None)
        g(node, BP.currencyUnit, Literal(d.currency_unit))
        g(node, BP.publisher, _zh(d.publisher) if d.publisher is not None else None)
        g(node, BP.license, Literal(d.license) if d.license is not None else None)
        if d.source_url is not None:
            g(node, BP.sourceUrl, Literal(d.source_url, datatype=XSD.anyURI))
        source = self.source_document(node, d.source)
        g(node, PROV.hadPrimarySource, source)
        g(node, BP.overallGoal, _zh(d.overall_goal) if d.overall_goal is not None else None)
        self.texts(node, BP.itemisedGoal, BP.Goal, "itemised-goal", d.itemised_goals)
        self.texts(node, BP.safeguardMeasure, BP.SafeguardMeasure, "measure", d.safeguard_measures)
        for n, warning in enumerate(d.warnings, 1):
            part = part_iri(node, f"warning-{n}")
            g(node, BP.parseWarning, part)
            g(part, RDF.type, BP.ParseWarning)
            g(part, BP.ordinal, Literal(n))
            g(part, BP.message, Literal(warning.message))
            if warning.line is not None:
                g(part, BP.sourceFirstLine, Literal(warning.line))
        seen: set[URIRef] = set()
        for project in d.projects:
            iri = project_iri(self.base, d, project)
            if iri in seen:
                raise OutputError(f"project code {project.code} appears twice in {d.year}")
            seen.add(iri)
            g(node, BP.project, iri)
            self.project(iri, d, project, source)

    def source_document(self, disclosure: URIRef, doc: SourceDocument) -> URIRef:
        node = part_iri(disclosure, "source")
        checksum = part_iri(disclosure, "source-checksum")
        g = self.add
        g(node, RDF.type, BP.SourceDocument)
        g(node, BP.fileName, Literal(doc.file_name))
        g(node, BP.mediaType, Literal(doc.media_type))
        g(node, BP.encoding, Literal(doc.encoding) if doc.encoding is not None else None)
        g(node, SPDX.checksum, checksum)
        g(checksum, RDF.type, SPDX.Checksum)
        g(checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256)
        g(checksum, SPDX.checksumValue, Literal(doc.sha256, datatype=XSD.hexBinary))
        return node

    def texts(self, node: URIRef, prop: URIRef, cls: URIRef, name: str, texts: list[str]) -> None:
        for n, text in enumerate(texts, 1):
            part = part_iri(node, f"{name}-{n}")
            self.add(node, prop, part)
            self.add(part, RDF.type, cls)
            self.add(part, BP.ordinal, Literal(n))
            self.add(part, BP.text, _zh(text))

    def lines(self, node: URIRef, source: SourceLine, document: URIRef) -> None:
        self.add(node, PROV.wasDerivedFrom, document)
        self.add(node, BP.sourceFirstLine, Literal(source.first))
        self.add(node, BP.sourceLastLine, Literal(source.last))
        self.add(node, BP.sourceWhere, Literal(source.where) if source.where else None)

    def amount(
        self, project: URIRef, prop: URIRef, name: str, value: Decimal | None, unit: str
    ) -> None:
        if value is None:
            return
        node = part_iri(project, name)
        self.add(project, prop, node)
        self.add(node, RDF.type, SCHEMA.MonetaryAmount)
        self.add(node, SCHEMA.value, _decimal(value))
        self.add(node, SCHEMA.currency, Literal("CNY"))
        self.add(node, BP.unitLabel, Literal(unit))

    def project(self, node: URIRef, d: Disclosure, p: Project, document: URIRef) -> None:
        g = self.add
        g(node, RDF.type, BP.Project)
        g(node, BP.sequence, Literal(p.sequence))
        g(node, BP.projectCode, Literal(p.code))
        g(node, SCHEMA.name, _zh(p.name))
        self.amount(node, BP.budgetTotal, "budget-total", p.budget_total, d.currency_unit)
        self.amount(node, BP.fiscalFunds, "fiscal-funds", p.fiscal_funds, d.currency_unit)
        self.amount(node, BP.otherFunds, "other-funds", p.other_funds, d.currency_unit)
        g(node, BP.useOfFunds, _zh(p.use_of_funds) if p.use_of_funds is not None else None)
        for n, entry in enumerate(p.spending_plan, 1):
            part = part_iri(node, f"plan-{n}")
            g(node, BP.spendingPlanEntry, part)
            g(part, RDF.type, BP.SpendingPlanEntry)
            g(part, BP.ordinal, Literal(n))
            g(part, BP.period, Literal(entry.period))
            g(part, QUDT.unit, UNIT.PERCENT)
            g(part, BP.percent, _decimal(entry.percent) if entry.percent is not None else None)
        g(node, BP.spendingPlanCumulative, Literal(p.spending_plan_cumulative))
        self.texts(node, BP.goal, BP.Goal, "goal", p.goals)
        seen: set[int] = set()
        for indicator in p.indicators:
            if indicator.ordinal in seen:
                raise OutputError(f"project {p.code}: indicator {indicator.ordinal} appears twice")
            seen.add(indicator.ordinal)
            self.indicator(node, indicator, document)
        self.lines(node, p.source, document)

    def indicator(self, project: URIRef, i: Indicator, document: URIRef) -> None:
        node = part_iri(project, f"indicator-{i.ordinal}")
        g = self.add
        g(project, BP.indicator, node)
        g(node, RDF.type, BP.Indicator)
        g(node, BP.ordinal, Literal(i.ordinal))
        g(node, BP.level1Label, _zh(i.level1.label))
        g(node, BP.level1, BPC[i.level1.concept] if i.level1.concept else None)
        g(node, BP.level2Label, _zh(i.level2.label))
        g(node, BP.level2, BPC[i.level2.concept] if i.level2.concept else None)
        g(node, SCHEMA.name, _zh(i.name))
        g(node, SCHEMA.description, _zh(i.description) if i.description is not None else None)
        g(node, BP.basis, _zh(i.basis) if i.basis is not None else None)
        g(node, BP.weight, _decimal(i.weight) if i.weight is not None else None)
        g(node, BP.direction, Literal(i.direction) if i.direction is not None else None)
        self.target(node, part_iri(project, f"indicator-{i.ordinal}-target"), i.target)
        self.lines(node, i.source, document)

    def target(self, indicator: URIRef, node: URIRef, t: Target) -> None:
        g = self.add
        g(indicator, BP.target, node)
        g(node, RDF.type, BP.Target)
        g(node, BP.raw, Literal(t.raw))
        g(node, BP.targetKind, TARGET_KINDS[t.kind.value])
        g(node, BP.comparator, COMPARATORS[t.comparator.value] if t.comparator else None)
        g(node, BP.value, _decimal(t.value) if t.value is not None else None)
        if t.unit is not None:
            g(node, BP.unit, Literal(t.unit))
            g(node, QUDT.unit, QUDT_UNITS.get(t.unit))

    def dataset(self, node: URIRef, build_time: datetime | None) -> None:
        from toolkit import __version__

        build = part_iri(node, "build")
        tool = part_iri(node, "jixiao")
        g = self.add
        g(node, RDF.type, DCAT.Dataset)
        g(node, PROV.wasGeneratedBy, build)
        g(build, RDF.type, PROV.Activity)
        if build_time is not None:
            g(build, PROV.endedAtTime, Literal(build_time.isoformat(), datatype=XSD.dateTime))
        g(build, PROV.wasAssociatedWith, tool)
        g(tool, RDF.type, PROV.SoftwareAgent)
        g(tool, SCHEMA.name, Literal("jixiao"))
        g(tool, SCHEMA.softwareVersion, Literal(__version__))

    def findings(self, findings: Sequence[Finding], disclosures: Sequence[Disclosure]) -> None:
        years: dict[str, set[int]] = {}
        for d in disclosures:
            if d.year is not None:
                years.setdefault(d.department_code, set()).add(d.year)
        counters: dict[str, int] = {}
        ordered = sorted(
            findings,
            key=lambda f: (
                f.department_code,
                f.year or 0,
                f.project_code or "",
                f.indicator_ordinal or 0,
                f.rule,
                f.message_en,
            ),
        )
        for finding in ordered:
            target = self.finding_target(finding, years)
            page = str(target).split("#", 1)[0]
            counters[page] = counters.get(page, 0) + 1
            node = part_iri(URIRef(page), f"finding-{counters[page]}")
            body = part_iri(URIRef(page), f"finding-{counters[page]}-body")
            g = self.add
            g(node, RDF.type, DQV.QualityAnnotation)
            g(node, OA.motivatedBy, DQV.qualityAssessment)
            g(node, OA.hasTarget, target)
            g(node, OA.hasBody, body)
            g(body, RDF.type, OA.TextualBody)
            g(body, RDF.value, _zh(finding.message_zh))
            g(body, RDF.value, Literal(finding.message_en, lang="en"))
            g(node, BP.rule, Literal(finding.rule))
            g(node, BP.severity, SEVERITIES[finding.severity.value])
            g(node, BP.hint, _zh(finding.hint_zh))
            g(node, BP.hint, Literal(finding.hint_en, lang="en"))
            g(node, BP.evidence, Literal(finding.evidence) if finding.evidence else None)
            if finding.line is not None:
                g(node, BP.sourceFirstLine, Literal(finding.line))

    def finding_target(self, f: Finding, years: dict[str, set[int]]) -> URIRef:
        year = f.year
        if year is None:
            known = years.get(f.department_code, set())
            if len(known) != 1:
                raise OutputError(f"finding {f.rule}: no budget year to place it on")
            (year,) = known
        if f.project_code is None:
            stub = Disclosure.model_construct(department_code=f.department_code, year=year)
            return disclosure_iri(self.base, stub)
        project = project_iri_for(self.base, year, f.project_code)
        if f.indicator_ordinal is None:
            return project
        return part_iri(project, f"indicator-{f.indicator_ordinal}")


def to_graph(
    disclosures: Sequence[Disclosure],
    *,
    base: str,
    findings: Sequence[Finding] = (),
    build_time: datetime | None = None,
    store: str = "SimpleMemory",
) -> Graph:
    """The disclosures (and the audit's findings, as DQV quality annotations) as one graph.

    ``base`` is the site's public URL; the dataset records the build (tool version and, when
    given, ``build_time``). Raises :class:`OutputError` when two projects or indicators
    would get the same IRI, or a disclosure has no year to mint its IRIs from. ``store`` is
    the rdflib store: the default is the fastest to fill, without named graphs; ``"Memory"``
    gives the context-aware one that pyshacl validates without a copy.
    """
    writer = TripleWriter(base, store)
    dataset = dataset_iri(base)
    writer.dataset(dataset, build_time)
    seen: set[URIRef] = set()
    for disclosure in disclosures:
        iri = disclosure_iri(base, disclosure)
        if iri in seen:
            raise OutputError(
                f"two disclosures of department {disclosure.department_code} for "
                f"{disclosure.year}: give each document its own year or department code"
            )
        seen.add(iri)
        writer.disclosure(disclosure, dataset)
    writer.findings(findings, disclosures)
    return writer.graph


def project_graph(disclosure: Disclosure, project: Project, *, base: str) -> Graph:
    """One project's triples for its page: every triple about the project and its parts
    (the subjects on its page), the disclosure's link to it, and the schema.org terms a search
    engine reads: ``schema:MonetaryGrant`` with name, description, identifier, url and
    ``schema:amount`` (a ``schema:MonetaryAmount``)."""
    full = TripleWriter(base)
    full.disclosure(disclosure.model_copy(update={"projects": [project]}), dataset_iri(base))
    node = project_iri(base, disclosure, project)
    page = str(node)
    graph = bind_prefixes(Graph(bind_namespaces="core"))
    for s, p, o in full.graph:
        if str(s).split("#", 1)[0] == page:
            graph.add((s, p, o))
    disclosure_node = disclosure_iri(base, disclosure)
    graph.add((disclosure_node, BP.project, node))
    graph.add((node, RDF.type, SCHEMA.MonetaryGrant))
    graph.add((node, SCHEMA.url, Literal(page, datatype=XSD.anyURI)))
    graph.add((node, SCHEMA.identifier, Literal(project.code)))
    if project.use_of_funds:
        graph.add((node, SCHEMA.description, _zh(project.use_of_funds)))
    if project.budget_total is not None:
        graph.add((node, SCHEMA.amount, part_iri(node, "budget-total")))
    return graph


def serialize(graph: Graph, fmt: str) -> bytes:
    """``graph`` in ``fmt`` (``ttl``, ``nt`` or ``jsonld``), the same bytes on every run."""
    if fmt == "nt":
        # split on "\n" only: str.splitlines() would also split inside a literal holding a
        # vertical tab or U+2028, which N-Triples allows unescaped.
        lines = graph.serialize(format="nt", encoding="utf-8").decode("utf-8").split("\n")
        return "".join(f"{line}\n" for line in sorted(set(lines)) if line.strip()).encode()
    if fmt == "ttl":
        return _turtle(graph)
    if fmt == "jsonld":
        return _jsonld(graph)
    raise OutputError(f"unknown RDF format {fmt!r}: use ttl, nt or jsonld")


def _turtle(graph: Graph, triples: bytes | None = None) -> bytes:
    """Turtle written by oxigraph from the sorted N-Triples: rdflib's Turtle writer takes
    over thirty times as long on a large graph. The statements come in the N-Triples' order,
    so each subject's triples are together and the bytes are the same on every run; only
    the graph's prefixes that some IRI uses are declared, and a blank line parts subjects."""
    triples = triples if triples is not None else serialize(graph, "nt")
    text = triples.decode("utf-8")
    prefixes = {
        str(prefix): str(namespace)
        for prefix, namespace in sorted(graph.namespaces())
        if prefix and f"<{namespace}" in text
    }
    body = ox.serialize(
        ox.parse(triples, format=ox.RdfFormat.N_TRIPLES),
        format=ox.RdfFormat.TURTLE,
        prefixes=prefixes,
    )
    # oxigraph declares the prefixes in an order of its own: they are declared here, sorted.
    out = [f"@prefix {prefix}: <{namespace}> ." for prefix, namespace in prefixes.items()]
    # oxigraph escapes line breaks in literals, so every line is a prefix, the first line
    # of a subject's statements, or a tab-indented continuation of them.
    for line in (body or b"").decode("utf-8").split("\n"):
        if line.startswith("@prefix"):
            continue
        if line and not line.startswith("\t"):
            out.append("")
        out.append(line)
    return "\n".join(out).lstrip("\n").encode("utf-8")


def _jsonld(graph: Graph) -> bytes:
    context = json.loads(CONTEXT_FILE.read_text(encoding="utf-8"))["@context"]
    # rdflib's JSON-LD serializer, without its text: it would be parsed straight back here.
    # (rdflib passes use_native_types as the tuple (False,), which is true.)
    document = from_rdf(graph, context, None, True, False, auto_compact=True)
    nodes = document.get("@graph", [])
    for node in nodes:
        for key, value in node.items():
            if isinstance(value, list):
                node[key] = sorted(value, key=lambda v: json.dumps(v, sort_keys=True))
    document["@graph"] = sorted(nodes, key=lambda n: n.get("@id", ""))
    document["@context"] = context
    return (json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode()


def write_rdf(graph: Graph, folder: Path) -> list[Path]:
    """Write ``data.ttl``, ``data.nt`` and ``data.jsonld`` into ``folder``; returns the paths.

    Each file is written whole or not at all (a temporary file renamed into place)."""
    folder.mkdir(parents=True, exist_ok=True)
    triples = serialize(graph, "nt")
    payloads = {"ttl": _turtle(graph, triples), "nt": triples, "jsonld": serialize(graph, "jsonld")}
    written = []
    for suffix, payload in payloads.items():
        path = folder / f"data.{suffix}"
        _write_whole(path, payload)
        written.append(path)
    return written


def export(
    files: Sequence[Path],
    *,
    base: str,
    fmt: str | None = None,
    output: Path | None = None,
    metadata: DocumentMetadata | None = None,
) -> bytes:
    """Read ``files`` and serialise their graph (``jixiao rdf``). The format is ``fmt`` or
    told by ``output``'s suffix (default Turtle); with ``output`` the file is written whole
    or not at all. Returns the serialised bytes."""
    if fmt is None:
        fmt = output.suffix.lstrip(".").lower() if output is not None else "ttl"
        fmt = {"turtle": "ttl", "json-ld": "jsonld", "json": "jsonld"}.get(fmt, fmt)
    graph = to_graph([read(path, metadata=metadata) for path in files], base=base)
    payload = serialize(graph, fmt)
    if output is not None:
        _write_whole(output, payload)
    return payload


def _write_whole(path: Path, payload: bytes) -> None:
    partial = path.with_name(f".{path.name}.partial")
    try:
        partial.write_bytes(payload)
        partial.replace(path)
    except OSError as error:
        partial.unlink(missing_ok=True)
        raise OutputError(f"cannot write: {error.strerror}", path=path) from error
