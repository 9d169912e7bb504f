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

from collections.abc import Iterable, Sequence
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from rdflib import Graph
from rdflib import namespace as ns

from toolkit import vocabularies as vocab
from toolkit.errors import OutputError
from toolkit.iris import (
    dataset_iri,
    department_iri,
    disclosure_iri,
    project_iri,
    project_iri_for,
)
from toolkit.metadata import DocumentMetadata
from toolkit.model import Disclosure, Indicator, Project, SourceDocument, SourceLine, Target
from toolkit.quality.finding import Finding
from toolkit.rdf_dump import FORMATS, serialize_chunk, whole_document
from toolkit.rdf_read import from_graph
from toolkit.rdf_text import Lit, Term, Triple, from_rdflib, to_rdflib
from toolkit.reading import read
from toolkit.vocabularies import COMPARATORS, QUDT_UNITS, SEVERITIES, TARGET_KINDS, bind_prefixes

__all__ = [
    "TripleWriter",
    "corpus_triples",
    "export",
    "from_graph",
    "graph_of",
    "project_graph",
    "project_triples",
    "serialize",
    "to_graph",
    "write_rdf",
    "years_of",
]


class _Plain:
    """A namespace whose terms are plain text, each made once: rdflib makes (and checks) a
    new URIRef on every attribute access, which cost the writer a sixth of its time."""

    def __init__(self, namespace: Any) -> None:
        self._namespace = namespace

    def __getattr__(self, name: str) -> str:
        term = str(getattr(self._namespace, name))
        setattr(self, name, term)
        return term

    def __getitem__(self, name: str) -> str:
        term = self.__dict__.get(f"[{name}]")
        if term is None:
            term = self.__dict__[f"[{name}]"] = str(self._namespace[name])
        return term


BP, BPC, DQV, OA, QUDT, SCHEMA, SPDX, UNIT = (
    _Plain(n)
    for n in (
        vocab.BP,
        vocab.BPC,
        vocab.DQV,
        vocab.OA,
        vocab.QUDT,
        vocab.SCHEMA,
        vocab.SPDX,
        vocab.UNIT,
    )
)
DCAT, DCTERMS, ORG, PROV, RDF, SKOS, XSD = (
    _Plain(n) for n in (ns.DCAT, ns.DCTERMS, ns.ORG, ns.PROV, ns.RDF, ns.SKOS, ns.XSD)
)


def part_iri(parent: str, fragment: str) -> str:
    """:func:`toolkit.iris.part_iri` as plain text (a test keeps the two equal): the writer
    mints several per indicator, and rdflib checks every URIRef it makes character by
    character."""
    return f"{parent}#{fragment}"


ZH = "zh"
XSD_DECIMAL = str(XSD.decimal)
XSD_INTEGER = str(XSD.integer)
XSD_BOOLEAN = str(XSD.boolean)
YearsOf = dict[str, set[int]]


def _decimal(value: Decimal) -> Lit:
    """The exact decimal, never through a float. Format "f" never gives an exponent ("1E+2"
    is no xsd:decimal); a whole number gets ".0" because Turtle's shorthand writes it so, and
    every serialisation must carry the same lexical form (25.00 stays 25.00)."""
    text = format(value, "f")
    return Lit(text if "." in text else f"{text}.0", XSD_DECIMAL)


def _zh(text: str) -> Lit:
    return Lit(text, lang=ZH)


def _int(value: int) -> Lit:
    return Lit(str(value), XSD_INTEGER)


class TripleWriter:
    """States the triples of disclosures, projects and findings, as plain terms
    (:mod:`toolkit.rdf_text`), into ``triples``: the one place that decides what the RDF
    says. ``to_graph`` turns them into an rdflib graph, the build into N-Triples text.

    ``stated_departments`` names departments whose triples are already stated elsewhere
    (another chunk of a dump): their disclosures still link to them, but their own triples
    are left out. The writer adds each department it states to the set."""

    def __init__(self, base: str, stated_departments: set[str] | None = None) -> None:
        self.base = base
        self.triples: list[Triple] = []
        self.stated_departments = stated_departments
        self._projects: dict[tuple[int, str], str] = {}

    def add(self, s: str, p: str, o: Term | None) -> None:
        if o is not None:
            self.triples.append((s, p, o))

    def disclosure(self, d: Disclosure, dataset: str) -> None:
        node = str(disclosure_iri(self.base, d))
        g = self.add
        g(node, RDF.type, BP.Disclosure)
        g(node, DCTERMS.isPartOf, dataset)
        g(node, BP.department, self.department(d))
        g(node, BP.departmentName, _zh(d.department_name))
        if d.year is not None:
            g(node, BP.budgetYear, Lit(str(d.year), XSD.gYear))
        g(node, BP.region, _zh(d.region) if d.region is not None else None)
        g(node, BP.currencyUnit, Lit(d.currency_unit))
        g(node, BP.publisher, _zh(d.publisher) if d.publisher is not None else None)
        g(node, BP.license, Lit(d.license) if d.license is not None else None)
        if d.source_url is not None:
            g(node, BP.sourceUrl, Lit(d.source_url, XSD.anyURI))
        source = self.source_document(node, d.source)
        g(node, PROV.hadPrimarySource, source)
        g(node, BP.overallGoal, _zh(d.overall_goal) if d.overall_goal is not None else None)
        self.texts(node, BP.itemisedGoal, BP.Goal, "itemised-goal", d.itemised_goals)
        self.texts(node, BP.safeguardMeasure, BP.SafeguardMeasure, "measure", d.safeguard_measures)
        for n, warning in enumerate(d.warnings, 1):
            part = part_iri(node, f"warning-{n}")
            g(node, BP.parseWarning, part)
            g(part, RDF.type, BP.ParseWarning)
            g(part, BP.ordinal, _int(n))
            g(part, BP.message, Lit(warning.message))
            if warning.line is not None:
                g(part, BP.sourceFirstLine, _int(warning.line))
        seen: set[str] = set()
        for project in d.projects:
            iri = str(project_iri(self.base, d, project))
            if iri in seen:
                raise OutputError(f"project code {project.code} appears twice in {d.year}")
            seen.add(iri)
            g(node, BP.project, iri)
            self.project(iri, node, d, project, source)

    def department(self, d: Disclosure) -> str:
        """The department of ``d`` as ``d`` names it (unless stated elsewhere); its IRI."""
        dept = str(department_iri(self.base, d.department_code))
        stated = self.stated_departments
        if stated is None or d.department_code not in stated:
            g = self.add
            g(dept, RDF.type, BP.Department)
            g(dept, RDF.type, ORG.Organization)
            g(dept, SKOS.notation, Lit(d.department_code))
            g(dept, SKOS.prefLabel, _zh(d.department_name))
            if stated is not None:
                stated.add(d.department_code)
        return dept

    def source_document(self, disclosure: str, doc: SourceDocument) -> str:
        node = part_iri(disclosure, "source")
        checksum = part_iri(disclosure, "source-checksum")
        g = self.add
        g(node, RDF.type, BP.SourceDocument)
        g(node, BP.fileName, Lit(doc.file_name))
        g(node, BP.mediaType, Lit(doc.media_type))
        g(node, BP.encoding, Lit(doc.encoding) if doc.encoding is not None else None)
        g(node, SPDX.checksum, checksum)
        g(checksum, RDF.type, SPDX.Checksum)
        g(checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256)
        g(checksum, SPDX.checksumValue, Lit(doc.sha256.lower(), XSD.hexBinary))
        return node

    def texts(self, node: str, prop: str, cls: str, name: str, texts: list[str]) -> None:
        for n, text in enumerate(texts, 1):
            part = part_iri(node, f"{name}-{n}")
            self.add(node, prop, part)
            self.add(part, RDF.type, cls)
            self.add(part, BP.ordinal, _int(n))
            self.add(part, BP.text, _zh(text))

    def lines(self, node: str, source: SourceLine, document: str) -> None:
        self.add(node, PROV.wasDerivedFrom, document)
        self.add(node, BP.sourceFirstLine, _int(source.first))
        self.add(node, BP.sourceLastLine, _int(source.last))
        self.add(node, BP.sourceWhere, Lit(source.where) if source.where else None)

    def amount(self, project: str, prop: str, name: str, value: Decimal | None, unit: str) -> None:
        if value is None:
            return
        node = part_iri(project, name)
        self.add(project, prop, node)
        self.add(node, RDF.type, SCHEMA.MonetaryAmount)
        self.add(node, SCHEMA.value, _decimal(value))
        self.add(node, SCHEMA.currency, Lit("CNY"))
        self.add(node, BP.unitLabel, Lit(unit))

    def project(self, node: str, disclosure: str, d: Disclosure, p: Project, document: str) -> None:
        """A project, with the schema.org terms a search engine reads on its page
        (``schema:MonetaryGrant`` with name, description, identifier, url and amount) and
        its disclosure: a page carries exactly the triples about its own resources, so the
        page says what it belongs to."""
        g = self.add
        g(node, RDF.type, BP.Project)
        g(node, RDF.type, SCHEMA.MonetaryGrant)
        g(node, DCTERMS.isPartOf, disclosure)
        g(node, BP.sequence, _int(p.sequence))
        g(node, BP.projectCode, Lit(p.code))
        g(node, SCHEMA.identifier, Lit(p.code))
        g(node, SCHEMA.name, _zh(p.name))
        g(node, SCHEMA.url, Lit(node, XSD.anyURI))
        self.amount(node, BP.budgetTotal, "budget-total", p.budget_total, d.currency_unit)
        if p.budget_total is not None:
            g(node, SCHEMA.amount, part_iri(node, "budget-total"))
        self.amount(node, BP.fiscalFunds, "fiscal-funds", p.fiscal_funds, d.currency_unit)
        self.amount(node, BP.otherFunds, "other-funds", p.other_funds, d.currency_unit)
        if p.use_of_funds is not None:
            g(node, BP.useOfFunds, _zh(p.use_of_funds))
        if p.use_of_funds:
            g(node, SCHEMA.description, _zh(p.use_of_funds))
        for n, entry in enumerate(p.spending_plan, 1):
            part = part_iri(node, f"plan-{n}")
            g(node, BP.spendingPlanEntry, part)
            g(part, RDF.type, BP.SpendingPlanEntry)
            g(part, BP.ordinal, _int(n))
            g(part, BP.period, Lit(entry.period))
            g(part, QUDT.unit, UNIT.PERCENT)
            g(part, BP.percent, _decimal(entry.percent) if entry.percent is not None else None)
        g(
            node,
            BP.spendingPlanCumulative,
            Lit("true" if p.spending_plan_cumulative else "false", XSD_BOOLEAN),
        )
        self.texts(node, BP.goal, BP.Goal, "goal", p.goals)
        seen: set[int] = set()
        for indicator in p.indicators:
            if indicator.ordinal in seen:
                raise OutputError(f"project {p.code}: indicator {indicator.ordinal} appears twice")
            seen.add(indicator.ordinal)
            self.indicator(node, indicator, document)
        self.lines(node, p.source, document)

    def indicator(self, project: str, i: Indicator, document: str) -> None:
        node = part_iri(project, f"indicator-{i.ordinal}")
        g = self.add
        g(project, BP.indicator, node)
        g(node, RDF.type, BP.Indicator)
        g(node, BP.ordinal, _int(i.ordinal))
        g(node, BP.level1Label, _zh(i.level1.label))
        g(node, BP.level1, BPC[i.level1.concept] if i.level1.concept else None)
        g(node, BP.level2Label, _zh(i.level2.label))
        g(node, BP.level2, BPC[i.level2.concept] if i.level2.concept else None)
        g(node, SCHEMA.name, _zh(i.name))
        g(node, SCHEMA.description, _zh(i.description) if i.description is not None else None)
        g(node, BP.basis, _zh(i.basis) if i.basis is not None else None)
        g(node, BP.weight, _decimal(i.weight) if i.weight is not None else None)
        g(node, BP.direction, Lit(i.direction) if i.direction is not None else None)
        self.target(node, part_iri(project, f"indicator-{i.ordinal}-target"), i.target)
        self.lines(node, i.source, document)

    def target(self, indicator: str, node: str, t: Target) -> None:
        g = self.add
        g(indicator, BP.target, node)
        g(node, RDF.type, BP.Target)
        g(node, BP.raw, Lit(t.raw))
        g(node, BP.targetKind, TARGET_KINDS[t.kind.value])
        g(node, BP.comparator, COMPARATORS[t.comparator.value] if t.comparator else None)
        g(node, BP.value, _decimal(t.value) if t.value is not None else None)
        if t.unit is not None:
            g(node, BP.unit, Lit(t.unit))
            g(node, QUDT.unit, QUDT_UNITS.get(t.unit))

    def dataset(self, node: str, build_time: datetime | None) -> None:
        from toolkit import __version__

        build = part_iri(node, "build")
        tool = part_iri(node, "jixiao")
        g = self.add
        g(node, RDF.type, DCAT.Dataset)
        g(node, PROV.wasGeneratedBy, build)
        g(build, RDF.type, PROV.Activity)
        if build_time is not None:
            g(build, PROV.endedAtTime, Lit(build_time.isoformat(), XSD.dateTime))
        g(build, PROV.wasAssociatedWith, tool)
        g(tool, RDF.type, PROV.SoftwareAgent)
        g(tool, SCHEMA.name, Lit("jixiao"))
        g(tool, SCHEMA.softwareVersion, Lit(__version__))

    def findings(
        self, findings: Sequence[Finding], disclosures: Sequence[Disclosure] | YearsOf
    ) -> None:
        """The findings as quality annotations; a finding without a year goes on its
        department's only year, known from ``disclosures`` (or given as :func:`years_of`)."""
        years = disclosures if isinstance(disclosures, dict) else years_of(disclosures)
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
            node = part_iri(page, f"finding-{counters[page]}")
            body = part_iri(page, f"finding-{counters[page]}-body")
            g = self.add
            g(node, RDF.type, DQV.QualityAnnotation)
            g(node, OA.motivatedBy, DQV.qualityAssessment)
            g(node, OA.hasTarget, target)
            g(node, OA.hasBody, body)
            g(body, RDF.type, OA.TextualBody)
            g(body, RDF.value, _zh(finding.message_zh))
            g(body, RDF.value, Lit(finding.message_en, lang="en"))
            g(node, BP.rule, Lit(finding.rule))
            g(node, BP.severity, SEVERITIES[finding.severity.value])
            g(node, BP.hint, _zh(finding.hint_zh))
            g(node, BP.hint, Lit(finding.hint_en, lang="en"))
            g(node, BP.evidence, Lit(finding.evidence) if finding.evidence else None)
            if finding.line is not None:
                g(node, BP.sourceFirstLine, _int(finding.line))

    def _project_iri(self, year: int, code: str) -> str:
        # Findings name their project by code; checking the base and the code for each of
        # thousands of findings cost more than writing them.
        key = (year, code)
        iri = self._projects.get(key)
        if iri is None:
            iri = self._projects[key] = str(project_iri_for(self.base, year, code))
        return iri

    def finding_target(self, f: Finding, years: YearsOf) -> str:
        year = f.year
        if year is None:
            known = years.get(f.department_code, set())
            if len(known) != 1:
                raise OutputError(f"finding {f.rule}: no budget year to place it on")
            (year,) = known
        if f.project_code is None:
            stub = Disclosure.model_construct(department_code=f.department_code, year=year)
            return str(disclosure_iri(self.base, stub))
        project = self._project_iri(year, f.project_code)
        if f.indicator_ordinal is None:
            return project
        return part_iri(project, f"indicator-{f.indicator_ordinal}")


def years_of(disclosures: Sequence[Disclosure]) -> YearsOf:
    """Each department's budget years: where a finding without a year goes."""
    years: YearsOf = {}
    for d in disclosures:
        if d.year is not None:
            years.setdefault(d.department_code, set()).add(d.year)
    return years


def corpus_triples(
    disclosures: Sequence[Disclosure],
    *,
    base: str,
    findings: Sequence[Finding] = (),
    build_time: datetime | None = None,
) -> list[Triple]:
    """The triples of :func:`to_graph` as plain terms (possibly repeated: a department is
    stated once per disclosure)."""
    writer = TripleWriter(base)
    dataset = str(dataset_iri(base))
    writer.dataset(dataset, build_time)
    check_unique_disclosures(disclosures, base)
    for disclosure in disclosures:
        writer.disclosure(disclosure, dataset)
    writer.findings(findings, disclosures)
    return writer.triples


def check_unique_disclosures(disclosures: Sequence[Disclosure], base: str) -> None:
    """:class:`OutputError` when two disclosures would get the same IRI."""
    seen: set[str] = set()
    for disclosure in disclosures:
        iri = disclosure_iri(base, disclosure)
        if iri in seen:
            raise OutputError(
                f"two disclosures of department {disclosure.department_code} for "
                f"{disclosure.year}: give each document its own year or department code"
            )
        seen.add(iri)


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
    triples = corpus_triples(disclosures, base=base, findings=findings, build_time=build_time)
    return graph_of(triples, store=store)


def graph_of(triples: Iterable[Triple], *, store: str = "SimpleMemory") -> Graph:
    """Plain triples as an rdflib graph, with the published prefixes bound."""
    graph = bind_prefixes(Graph(store=store, bind_namespaces="core"))
    add = graph.add
    for s, p, o in triples:
        add((to_rdflib(s), to_rdflib(p), to_rdflib(o)))
    return graph


def project_triples(disclosure: Disclosure, project: Project, *, base: str) -> list[Triple]:
    """One project's triples for its page: every triple about the project and its parts
    (the subjects on its page)."""
    full = TripleWriter(base)
    full.disclosure(disclosure.model_copy(update={"projects": [project]}), dataset_iri(base))
    page = str(project_iri(base, disclosure, project))
    return [t for t in full.triples if t[0].split("#", 1)[0] == page]


def project_graph(disclosure: Disclosure, project: Project, *, base: str) -> Graph:
    """:func:`project_triples` as an rdflib graph."""
    return graph_of(project_triples(disclosure, project, base=base))


def serialize(graph: Graph, fmt: str) -> bytes:
    """``graph`` in ``fmt`` (``ttl``, ``nt`` or ``jsonld``), the same bytes on every run."""
    if fmt not in FORMATS:
        raise OutputError(f"unknown RDF format {fmt!r}: use ttl, nt or jsonld")
    chunk = serialize_chunk([(from_rdflib(s), str(p), from_rdflib(o)) for s, p, o in graph])  # type: ignore[misc]
    return whole_document(chunk, fmt)


def write_rdf(graph: Graph, folder: Path) -> list[Path]:
    """Write ``data.ttl``, ``data.nt`` and ``data.jsonld`` into ``folder``; returns the paths.

    Each file is written whole or not at all (a temporary file renamed into place)."""
    folder.mkdir(parents=True, exist_ok=True)
    chunk = serialize_chunk([(from_rdflib(s), str(p), from_rdflib(o)) for s, p, o in graph])  # type: ignore[misc]
    written = []
    for fmt in FORMATS:
        path = folder / f"data.{fmt}"
        _write_whole(path, whole_document(chunk, fmt))
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
    if fmt not in FORMATS:
        raise OutputError(f"unknown RDF format {fmt!r}: use ttl, nt or jsonld")
    disclosures = [read(path, metadata=metadata) for path in files]
    payload = whole_document(serialize_chunk(corpus_triples(disclosures, base=base)), fmt)
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
