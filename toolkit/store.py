"""The embedded SPARQL store: the built graph in an on-disk Oxigraph store (``build/store``).

Each disclosure is one named graph, named by the disclosure's IRI
(``{base}/disclosure/{dept}/{year}``); queries see the union of all graphs as their default
graph, so the example queries need no ``GRAPH`` clause. The same split into named graphs is
what ``toolkit.publish`` sends to a remote store, so both hold the same quads.

Which triple belongs to which disclosure is read off the graph, not off a vocabulary: a
subject's triples go to the graph of the disclosure nearest to it through the links between
subjects (``rdf:type`` aside). What several disclosures are equally near to (a department
shared by two years, the dataset) or none reaches goes, once, to the ``{base}/shared`` graph:
copying it into every disclosure's graph would grow with the square of the corpus.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import tempfile
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from toolkit.errors import OutputError

__all__ = [
    "GraphPartition",
    "StoreReport",
    "default_graph_file",
    "graph_name",
    "graph_sizes",
    "load_store",
    "partition",
    "query_store",
    "read_triples",
    "store_is_current",
]

RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
DISCLOSURE_IRI = re.compile(r"^(?P<base>.+)/disclosure/(?P<dept>[^/#?]+)/(?P<year>[^/#?]+)$")
SHARED_GRAPH = "shared"
STAMP = "jixiao-source.json"
FORMATS = {".nt": ox.RdfFormat.N_TRIPLES, ".ttl": ox.RdfFormat.TURTLE}

Node = ox.NamedNode | ox.BlankNode


@dataclass
class GraphPartition:
    """The triples of one graph file, split by disclosure: graph IRI → triples."""

    graphs: dict[str, list[ox.Triple]] = field(default_factory=dict)

    @property
    def triple_count(self) -> int:
        return sum(len(triples) for triples in self.graphs.values())


@dataclass(frozen=True)
class StoreReport:
    """What :func:`load_store` wrote."""

    store: Path
    graphs: int
    quads: int


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


def default_graph_file(build_dir: str | Path = "build") -> Path:
    """The graph ``jixiao build`` wrote: ``rdf/data.nt``, else ``rdf/data.ttl``."""
    folder = Path(build_dir) / "rdf"
    for name in ("data.nt", "data.ttl"):
        if (folder / name).is_file():
            return folder / name
    raise OutputError("no built graph (data.nt or data.ttl); run `jixiao build`", path=folder)


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


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for chunk in iter(lambda: stream.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def store_is_current(store_path: str | Path, source: str | Path) -> bool:
    """Whether ``store_path`` was loaded from exactly the bytes now in ``source``."""
    stamp = Path(store_path) / STAMP
    try:
        recorded = json.loads(stamp.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return recorded.get("sha256") == _sha256(Path(source))


def load_store(
    source: str | Path,
    store_path: str | Path,
    *,
    graph_base: str | None = None,
) -> StoreReport:
    """Bulk-load a built graph file (``data.nt`` or ``data.ttl``) into an Oxigraph store.

    The store is written beside ``store_path`` and moved into place only when complete, so
    a failed load leaves the previous store untouched and a reader never sees half a store.
    """
    source, store_path = Path(source), Path(store_path)
    split = partition(read_triples(source), graph_base=graph_base)
    store_path.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{store_path.name}-", dir=store_path.parent))
    try:
        store = ox.Store(str(staging))
        for chunk in _nquads(split):
            store.bulk_load(input=chunk, format=ox.RdfFormat.N_QUADS)
        store.flush()
        quads = len(store)
        # RocksDB closes its files when the last reference goes; it must before the move.
        del store
        stamp = {"source": source.name, "sha256": _sha256(source), "graphs": len(split.graphs)}
        (staging / STAMP).write_text(json.dumps(stamp, indent=2) + "\n", encoding="utf-8")
        _replace(staging, store_path)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return StoreReport(store=store_path, graphs=len(split.graphs), quads=quads)


def _nquads(split: GraphPartition, chunk_bytes: int = 64 << 20) -> Iterator[bytes]:
    """The partition as N-Quads, in chunks: Oxigraph's bulk loader parses these far faster
    than it takes Python quad objects (1.4 s against 2.6 s for 200,000 triples)."""
    pending: list[bytes] = []
    size = 0
    for name, triples in split.graphs.items():
        lines = (ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b"").splitlines()
        tail = b" <" + name.encode("utf-8") + b"> .\n"
        # Each N-Triples line ends with " ."; the graph name goes before it.
        pending.append(tail.join(line[:-2] for line in lines) + tail)
        size += len(pending[-1])
        if size >= chunk_bytes:
            yield b"".join(pending)
            pending, size = [], 0
    if pending:
        yield b"".join(pending)


def _replace(staging: Path, target: Path) -> None:
    previous = target.with_name(f".{target.name}-previous")
    shutil.rmtree(previous, ignore_errors=True)
    if target.exists():
        target.rename(previous)
    staging.rename(target)
    shutil.rmtree(previous, ignore_errors=True)


def query_store(store_path: str | Path, query: str) -> dict[str, Any]:
    """Run a SPARQL query on the store; the answer in the SPARQL 1.1 JSON results format.

    The default graph is the union of the disclosures' graphs. ``CONSTRUCT`` and ``DESCRIBE``
    answers come back as ``subject``/``predicate``/``object`` bindings, as from
    :func:`toolkit.sparql_client.query_endpoint`.
    """
    from toolkit.sparql_client import triples_as_results

    store_path = Path(store_path)
    if not (store_path / STAMP).is_file():
        raise OutputError("no store here (run `jixiao serve --sparql` to load it)", path=store_path)
    try:
        store = ox.Store.read_only(str(store_path))
        answer = store.query(query, use_default_graph_as_union=True)
    except SyntaxError as error:
        raise OutputError(f"not a valid SPARQL query: {error}") from error
    except OSError as error:
        raise OutputError(f"cannot read the store: {error}", path=store_path) from error
    if isinstance(answer, ox.QueryBoolean):
        return {"head": {}, "boolean": bool(answer)}
    if isinstance(answer, ox.QuerySolutions):
        return json.loads(answer.serialize(format=ox.QueryResultsFormat.JSON))
    return triples_as_results(answer)


def graph_sizes(store_path: str | Path) -> Mapping[str, int]:
    """Triples per named graph of a store, for reports and tests."""
    store = ox.Store.read_only(str(store_path))
    counts: dict[str, int] = {}
    for graph in store.named_graphs():
        counts[graph.value] = sum(1 for _ in store.quads_for_pattern(None, None, None, graph))
    return dict(sorted(counts.items()))
