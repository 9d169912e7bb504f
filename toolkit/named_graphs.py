"""The built graph as named graphs: one per disclosure, one per vocabulary, one shared.

Each disclosure's graph is named by the disclosure's IRI (``{base}/disclosure/{dept}/{year}``).
Which triple belongs to which disclosure is read off the graph, not off a vocabulary: a
subject's triples go to the graph of the disclosure nearest to it through the links between
subjects (``rdf:type`` aside). What several disclosures are equally near to (a department
shared by two years, the dataset) or none reaches goes, once, to the ``{base}/shared`` graph:
copying it into every disclosure's graph would grow with the square of the corpus. A
vocabulary file (the ontology, the indicator scheme) is one graph named by its
``owl:Ontology`` or ``skos:ConceptScheme``.

The embedded store (:mod:`toolkit.store`) and publishing (:mod:`toolkit.publish`) use the same
split, so both hold the same quads.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from toolkit.errors import OutputError

__all__ = [
    "GraphPartition",
    "dataset_graphs",
    "graph_name",
    "partition",
    "read_triples",
    "vocabulary_graph",
]

RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
GRAPH_NAMING_TYPES = {
    ox.NamedNode("http://www.w3.org/2002/07/owl#Ontology"),
    ox.NamedNode("http://www.w3.org/2004/02/skos/core#ConceptScheme"),
}
DISCLOSURE_IRI = re.compile(r"^(?P<base>.+)/disclosure/(?P<dept>[^/#?]+)/(?P<year>[^/#?]+)$")
SHARED_GRAPH = "shared"
FORMATS = {".nt": ox.RdfFormat.N_TRIPLES, ".ttl": ox.RdfFormat.TURTLE}

Node = ox.NamedNode | ox.BlankNode


@dataclass
class GraphPartition:
    """The triples of one graph file, split by disclosure: graph IRI → triples."""

    graphs: dict[str, list[ox.Triple]] = field(default_factory=dict)

    @property
    def triple_count(self) -> int:
        return sum(len(triples) for triples in self.graphs.values())


def read_triples(path: str | Path) -> list[ox.Triple]:
    """Parse an N-Triples or Turtle file with Oxigraph's parser."""
    path = Path(path)
    rdf_format = FORMATS.get(path.suffix.lower())
    if rdf_format is None:
        raise OutputError("not a graph jixiao can load (.nt or .ttl)", path=path)
    try:
        return [quad.triple for quad in ox.parse(path=path, format=rdf_format)]
    except FileNotFoundError as error:
        raise OutputError("no such graph file (run `jixiao build` first)", path=path) from error
    except (SyntaxError, OSError, ValueError) as error:
        raise OutputError(f"cannot read the graph: {error}", path=path) from error


def graph_name(disclosure_iri: str, graph_base: str | None = None) -> str:
    """The named graph of a disclosure: its own IRI, or the same path under ``graph_base``."""
    if graph_base is None:
        return disclosure_iri
    match = DISCLOSURE_IRI.match(disclosure_iri)
    tail = match.group(0)[len(match.group("base")) :] if match else "/" + _last(disclosure_iri)
    return graph_base.rstrip("/") + tail


def _last(iri: str) -> str:
    return re.split(r"[/#]", iri.rstrip("/#"))[-1]


def _disclosures(triples: Iterable[ox.Triple]) -> list[ox.NamedNode]:
    """Subjects typed as a ``…Disclosure`` class or named like ``…/disclosure/{dept}/{year}``."""
    found: set[ox.NamedNode] = set()
    subjects: set[ox.NamedNode] = set()
    for triple in triples:
        subject = triple.subject
        if not isinstance(subject, ox.NamedNode):
            continue
        subjects.add(subject)
        if (
            triple.predicate == RDF_TYPE
            and isinstance(triple.object, ox.NamedNode)
            and _last(triple.object.value) == "Disclosure"
        ):
            found.add(subject)
    found.update(node for node in subjects if DISCLOSURE_IRI.match(node.value))
    return sorted(found, key=lambda node: node.value)


def partition(
    triples: list[ox.Triple],
    *,
    graph_base: str | None = None,
    disclosures: Iterable[str] | None = None,
) -> GraphPartition:
    """Split ``triples`` into one named graph per disclosure (see the module docstring).

    ``disclosures`` names the disclosure IRIs when the graph does not type them; graph names
    follow :func:`graph_name`. Cost is linear in the number of triples: one breadth-first
    search from all disclosures at once. Each triple is in exactly one graph.
    """
    roots = (
        [ox.NamedNode(iri) for iri in sorted(set(disclosures))]
        if disclosures is not None
        else _disclosures(triples)
    )
    if not roots:
        raise OutputError("the graph describes no disclosure (no bp:Disclosure subject)")
    owner = _nearest_disclosures(triples, roots)
    names: dict[ox.NamedNode | None, str] = {
        root: graph_name(root.value, graph_base) for root in roots
    }
    names[None] = _shared_graph(roots, graph_base)
    graphs: dict[str, list[ox.Triple]] = defaultdict(list)
    for triple in triples:
        graphs[names[owner.get(triple.subject)]].append(triple)
    return GraphPartition(graphs={name: graphs[name] for name in sorted(graphs)})


def _nearest_disclosures(
    triples: list[ox.Triple], roots: list[ox.NamedNode]
) -> dict[Node, ox.NamedNode | None]:
    """Each subject's nearest disclosure; None when several are equally near."""
    subjects = {triple.subject for triple in triples}
    neighbours: dict[Node, list[Node]] = defaultdict(list)
    for triple in triples:
        target = triple.object
        if triple.predicate != RDF_TYPE and target in subjects and target != triple.subject:
            neighbours[triple.subject].append(target)
            neighbours[target].append(triple.subject)
    owner: dict[Node, ox.NamedNode | None] = {root: root for root in roots}
    distance: dict[Node, int] = dict.fromkeys(roots, 0)
    frontier: list[Node] = list(roots)
    level = 0
    while frontier:
        level += 1
        reached: list[Node] = []
        for node in frontier:
            mine = owner[node]
            for other in neighbours.get(node, ()):
                seen = distance.get(other)
                if seen is None:
                    distance[other] = level
                    owner[other] = mine
                    reached.append(other)
                elif seen == level and owner[other] != mine:
                    owner[other] = None
        frontier = reached
    return owner


def _shared_graph(roots: list[ox.NamedNode], graph_base: str | None) -> str:
    if graph_base is not None:
        return f"{graph_base.rstrip('/')}/{SHARED_GRAPH}"
    match = DISCLOSURE_IRI.match(roots[0].value)
    base = match.group("base") if match else roots[0].value.rsplit("/", 1)[0]
    return f"{base}/{SHARED_GRAPH}"


def vocabulary_graph(path: str | Path) -> tuple[str, list[ox.Triple]]:
    """A vocabulary file as one graph, named by its ``owl:Ontology`` or ``skos:ConceptScheme``."""
    triples = read_triples(path)
    names = sorted(
        t.subject.value
        for t in triples
        if t.predicate == RDF_TYPE
        and t.object in GRAPH_NAMING_TYPES
        and isinstance(t.subject, ox.NamedNode)
    )
    if not names:
        raise OutputError("no owl:Ontology or skos:ConceptScheme to name its graph", path=path)
    return names[0], triples


def dataset_graphs(
    source: str | Path,
    *,
    graph_base: str | None = None,
    vocabularies: Sequence[str | Path] = (),
) -> GraphPartition:
    """The built graph file split by disclosure, plus one graph per vocabulary file."""
    split = partition(read_triples(source), graph_base=graph_base)
    for path in vocabularies:
        name, triples = vocabulary_graph(path)
        if name in split.graphs:
            raise OutputError(f"its graph name {name} is taken by another graph", path=path)
        split.graphs[name] = triples
    split.graphs = dict(sorted(split.graphs.items()))
    return split
