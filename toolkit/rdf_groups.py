"""The build's RDF stage, by groups of documents: each group's triples, dump chunk and SHACL
results come from one pool worker, so no process ever holds the corpus graph.

A group is a run of documents in input order (about :data:`GROUP_INDICATORS` indicators), the
same whatever ``jobs`` is. Its worker states the group's triples (``TripleWriter``), writes
them as a chunk of the three dumps into part files, page by page (each page of the site, its
subjects' triples, is a chunk of its own: the site reads the pages' RDF there), and validates
the group's graph with the compiled shapes in an oxigraph store. No shape relates the nodes
of two disclosures, so the groups find what the whole graph would. Each node is stated in
exactly one chunk: a department (shared by its documents of several years) in the first group
that has one of its documents, the dataset's own nodes in the first group; a group's SHACL
graph still holds its departments and the dataset, as the whole graph would.
"""

from __future__ import annotations

import gc
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.term import Node

from toolkit.check import Problem
from toolkit.iris import dataset_iri, department_iri, page_graphs
from toolkit.model import Disclosure
from toolkit.quality.finding import Finding
from toolkit.rdf import TripleWriter, YearsOf, graph_of
from toolkit.rdf_dump import FORMATS, Chunk, Slice, serialize_pages
from toolkit.rdf_text import NtTexts, Triple, row_lines
from toolkit.site_rdf import disclosure_path, project_path
from toolkit.sparql_scope import Scope, in_scope

__all__ = ["GROUP_INDICATORS", "GroupResult", "GroupTask", "plan_groups", "run_group"]

# Large enough that each query's fixed cost is shared by many documents, small enough that a
# worker's graph stays small and two workers share the work evenly. Measured at 1,000
# documents: 4,000 → 2,000 took the build's peak (all processes, PSS) from 2,007 to 1,781 MiB
# at the same stage time (41 s).
GROUP_INDICATORS = 2000


@dataclass(frozen=True)
class GroupTask:
    """What a worker needs for one group (a forked worker finds it in the memory it shares
    with the build: see toolkit.parallel)."""

    index: int
    disclosures: list[Disclosure]
    findings: list[Finding]
    years: YearsOf
    stated_before: frozenset[str]  # departments an earlier group states
    base: str
    build_time: datetime
    parts: str  # the folder of the part files
    # What the site's example queries can match, for the group to write those triples apart
    # (``{parts}/{index}.scoped.nt``); None: no such part.
    scope: Scope | None = None

    @property
    def documents(self) -> int:
        return len(self.disclosures)


@dataclass(frozen=True)
class GroupResult:
    """A group's chunk, in part files (``{parts}/{index}.{fmt}``), and its SHACL problems."""

    index: int
    prefixes: frozenset[str]
    triples: int
    problems: list[Problem]
    # Where the chunks of the group's disclosure and project pages lie in its parts, by page
    # path: the site reads those pages' RDF from the dumps.
    slices: dict[str, Slice]


def plan_groups(
    disclosures: Sequence[Disclosure],
    findings: Sequence[Finding],
    years: YearsOf,
    *,
    base: str,
    build_time: datetime,
    parts: Path,
    scope: Scope | None = None,
) -> list[GroupTask]:
    """The groups of ``disclosures``, each with its findings (a finding without a year goes
    with its department's only year) and the departments stated before it; with a
    ``scope``, each group also writes the triples it can match (:data:`GroupTask.scope`)."""
    spans: list[list[Disclosure]] = [[]]
    size = 0
    for disclosure in disclosures:
        if size >= GROUP_INDICATORS:
            spans.append([])
            size = 0
        spans[-1].append(disclosure)
        size += disclosure.indicator_count
    where: dict[tuple[str, int | None], int] = {}
    for index, span in enumerate(spans):
        for d in span:
            where[(d.department_code, d.year)] = index
    grouped: list[list[Finding]] = [[] for _ in spans]
    for f in findings:
        year = f.year
        if year is None and len(years.get(f.department_code, ())) == 1:
            (year,) = years[f.department_code]
        # A finding on no document of the corpus still goes into the dump (the last chunk,
        # where its page has no other finding), and is checked there.
        grouped[where.get((f.department_code, year), len(spans) - 1)].append(f)
    tasks = []
    stated: set[str] = set()
    for index, span in enumerate(spans):
        tasks.append(
            GroupTask(
                index=index,
                disclosures=span,
                findings=grouped[index],
                years=years,
                stated_before=frozenset(stated),
                base=base,
                build_time=build_time,
                parts=str(parts),
                scope=scope,
            )
        )
        stated |= {d.department_code for d in span}
    return tasks


def run_group(task: GroupTask) -> GroupResult:
    """A group's chunk written into part files, and its SHACL problems (in a worker)."""
    # A group makes millions of tuples and no reference cycle: without the cycle collector
    # a worker saves a third of its time, which went on rescanning the model it inherited
    # from the build (and copying those pages by touching them). Reference counting still
    # frees everything.
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _run_group(task)
    finally:
        if enabled:
            gc.enable()


def _run_group(task: GroupTask) -> GroupResult:
    from toolkit.shacl import validate_triples

    disclosures = task.disclosures
    writer = TripleWriter(task.base)
    dataset = str(dataset_iri(task.base))
    writer.dataset(dataset, task.build_time)
    # The dataset's own nodes are the first triples: the first group states them.
    own_from = len(writer.triples) if task.index else 0
    for disclosure in disclosures:
        writer.disclosure(disclosure, dataset)
    writer.findings(task.findings, task.years)
    triples = writer.triples
    own = triples[own_from:] if own_from else triples
    stated = task.stated_before & {d.department_code for d in disclosures}
    if stated:
        # The writer's subjects are plain strings, as department_iri's text is.
        elsewhere = {str(department_iri(task.base, code)) for code in stated}
        own = [t for t in own if t[0] not in elsewhere]
    # The chunk is made page by page, so that each page's RDF lies whole in the dumps.
    outside: list[Triple] = []
    pages: dict[str | None, list[Triple]] = {**page_graphs(own, task.base, outside=outside)}
    if outside:
        pages[None] = outside  # on no page
    texts = NtTexts()
    chunk, slices = serialize_pages(pages, texts=texts)
    _write_parts(chunk, Path(task.parts), task.index)
    if task.scope is not None:
        # The queries' store loads these instead of picking them out of the whole dump.
        rows = ((texts[s], texts[p], texts[o]) for s, p, o in in_scope(own, task.scope))
        scoped = Path(task.parts) / f"{task.index}.scoped.nt"
        scoped.write_bytes("".join(row_lines(rows)).encode("utf-8"))
    prefixes, count = chunk.prefixes, chunk.triples
    del chunk, own, pages
    shown = {disclosure_path(d) for d in disclosures}
    shown.update(project_path(d, p) for d in disclosures for p in d.projects)

    def wording(nodes: set[Node]) -> Graph:
        return _neighbourhood(triples, nodes)

    results = validate_triples(triples, wording, texts=texts)
    return GroupResult(
        index=task.index,
        prefixes=prefixes,
        triples=count,
        problems=[r.problem() for r in results],
        slices={path: where for path, where in slices.items() if path in shown},
    )


def _write_parts(chunk: Chunk, parts: Path, index: int) -> None:
    for fmt in FORMATS:
        (parts / f"{index}.{fmt}").write_bytes(getattr(chunk, fmt))


def _neighbourhood(triples: list[Triple], nodes: set[Node]) -> Graph:
    """The triples of the pages of ``nodes`` (a node and its parts share a page: every part
    of a project hangs off it), with the ontology: what the worded constraints read."""
    from toolkit.shacl import _ontology

    pages = {str(node).split("#", 1)[0] for node in nodes if isinstance(node, URIRef)}
    graph = graph_of(t for t in triples if t[0].split("#", 1)[0] in pages)
    graph += _ontology()
    return graph
