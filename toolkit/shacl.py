"""SHACL validation of a published graph against ``ontology/shapes.ttl``.

The data graph is validated together with the ontology and the indicator scheme (merged in,
because the level-2 check follows ``skos:broader`` between concepts), by the fast engine:
SHACL Core in Python (:mod:`toolkit.shacl_core`), the SPARQL-based constraints by oxigraph
(:mod:`toolkit.shacl_sparql`). pyshacl, in its advanced mode, stays as the reference
(:func:`validate_graph_pyshacl`) the tests hold the engine to. A graph that fails is a
*result*: a list of
:class:`~toolkit.check.Problem`, one per validation result, each naming the focus node, the
path and the shape's message in Chinese and English. Only an unreadable file raises.
"""

from __future__ import annotations

import functools
import logging
import re
import warnings
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SH, NamespaceManager
from rdflib.term import Node

from toolkit.check import Problem
from toolkit.errors import OutputError
from toolkit.rdf_text import NtTexts, Triple, from_rdflib
from toolkit.shacl_core import Index, compile_core, inverse_predicates, node_of, run_core
from toolkit.shacl_sparql import compile_shapes, run_checks, word
from toolkit.vocabularies import ONTOLOGY_FILE, SCHEME_FILE, SHAPES_FILE, bind_prefixes

__all__ = [
    "ValidationResult",
    "load_graph",
    "shapes_graph",
    "validate_graph",
    "validate_graph_file",
    "validate_graph_pyshacl",
    "validate_triples",
]

_FORMATS = {
    ".ttl": "turtle",
    ".nt": "nt",
    ".jsonld": "json-ld",
    ".json-ld": "json-ld",
    ".rdf": "xml",
    ".xml": "xml",
}
_CJK = re.compile(r"[\u3400-\u9fff]")
_SEVERITY = {SH.Violation: "error", SH.Warning: "warning", SH.Info: "info"}


@dataclass(frozen=True)
class ValidationResult:
    """One SHACL result: the shape's messages in both languages, and where."""

    severity: str
    focus: str
    path: str | None
    message_zh: str
    message_en: str
    component: str

    def problem(self) -> Problem:
        where = self.focus if self.path is None else f"{self.focus} {self.path}"
        message = (
            self.message_zh
            if self.message_zh == self.message_en
            else (f"{self.message_zh} / {self.message_en}")
        )
        return Problem(check="shacl", where=where, message=message, severity=self.severity)


@contextmanager
def _rdflib_silenced() -> Iterator[None]:
    """rdflib logs an ill-typed literal ("abc"^^xsd:decimal) or a relative IRI with a whole
    traceback on stderr while it parses; the shapes report the literal (sh:datatype) and a
    parse error is one line, so its log is not shown."""
    logger = logging.getLogger("rdflib")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        logger.setLevel(level)


def load_graph(path: str | Path) -> Graph:
    """A graph file (.ttl, .nt, .jsonld, .rdf) parsed; :class:`OutputError` if it cannot be."""
    path = Path(path)
    fmt = _FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise OutputError("not a graph file (.ttl, .nt, .jsonld, .rdf)", path=path)
    graph = Graph(bind_namespaces="core")
    try:
        with warnings.catch_warnings(), _rdflib_silenced():
            # rdflib 7's JSON-LD parser builds a deprecated ConjunctiveGraph internally.
            warnings.filterwarnings("ignore", "ConjunctiveGraph is deprecated", DeprecationWarning)
            graph.parse(path, format=fmt)
    except FileNotFoundError as error:
        raise OutputError("no such file", path=path) from error
    except Exception as error:  # rdflib's parsers raise many unrelated types on bad input
        first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise OutputError(f"cannot parse as {fmt}: {first}", path=path) from error
    return graph


@functools.cache
def _ontology() -> Graph:
    graph = Graph(bind_namespaces="core")
    graph.parse(ONTOLOGY_FILE, format="turtle")
    graph.parse(SCHEME_FILE, format="turtle")
    return graph


@functools.cache
def shapes_graph() -> Graph:
    """The shapes of ``ontology/shapes.ttl`` (parsed once)."""
    return bind_prefixes(Graph(bind_namespaces="core")).parse(SHAPES_FILE, format="turtle")


@functools.cache
def _validation_shapes() -> Graph:
    """The shapes as validated: each property shape of a node shape gets the node shape's
    targets and stands on its own. SHACL defines a node shape's ``sh:property`` results as
    the property shape's own results on the same focus nodes, so what is found is the same;
    but pyshacl validates a nested property shape once per focus node (rebuilding its
    constraints each time: two thirds of a validation) and a targeted one once for all."""
    shapes = Graph(bind_namespaces="core")
    shapes += shapes_graph()
    for node_shape in list(shapes.subjects(RDF.type, SH.NodeShape)):
        targets = list(shapes.objects(node_shape, SH.targetClass))
        for property_shape in list(shapes.objects(node_shape, SH.property)):
            shapes.remove((node_shape, SH.property, property_shape))
            shapes.add((property_shape, RDF.type, SH.PropertyShape))
            shapes.addN((property_shape, SH.targetClass, target, shapes) for target in targets)
    return shapes


def _text(graph: Graph, node: Node, prop: Node) -> str | None:
    value = graph.value(node, prop)
    if value is None:
        return None
    if isinstance(value, URIRef):
        return graph.namespace_manager.normalizeUri(value)
    return str(value)


@functools.cache
def _ontology_triples() -> list[Triple]:
    return [(str(s), str(p), from_rdflib(o)) for s, p, o in _ontology()]  # type: ignore[misc]


@functools.cache
def _sparql_predicates() -> frozenset[str]:
    """The predicates the SPARQL constraints name (and rdf:type): their store holds only the
    triples of these, a fraction of the graph, which it loads in a fraction of the time."""
    names = {str(RDF.type)}
    for check in compile_shapes(shapes_graph()):
        prefixes = dict(re.findall(r"PREFIX (\w*): <([^>]*)>", check.query))
        names |= set(re.findall(r"<([^>\s]+)>", check.query))
        names |= {
            prefixes[prefix] + local
            for prefix, local in re.findall(r"\b(\w+):([\w-]+)", check.query)
            if prefix in prefixes
        }
    return frozenset(names)


def validate_triples(
    triples: Sequence[Triple],
    wording_graph: Callable[[set[Node]], Graph],
    *,
    texts: NtTexts | None = None,
) -> list[ValidationResult]:
    """Validate ``triples`` (the ontology and the scheme merged in): the results pyshacl
    gives, in a stable order, many times faster. The Core constraints are evaluated in Python
    (:mod:`toolkit.shacl_core`), the SPARQL constraints by oxigraph
    (:mod:`toolkit.shacl_sparql`); ``wording_graph(nodes)`` gives an rdflib graph (ontology
    merged) holding ``nodes`` and their neighbourhood, where the results of a constraint
    whose message names its variables are worded, as pyshacl words them. ``texts`` holds
    terms already written as N-Triples (the store is loaded from N-Triples)."""
    names = bind_prefixes(Graph(bind_namespaces="core")).namespace_manager
    rules = compile_core(shapes_graph())
    everything = [*triples, *_ontology_triples()]
    results = set()
    index = Index(everything, inverse_predicates(rules))
    for core in run_core(rules, index):
        zh, en = _pick(core.rule.messages)
        where = node_of(core.focus)
        results.add(
            ValidationResult(
                "error", _node_text(names, where), core.rule.path, zh, en, core.component
            )
        )
    del index
    wanted = _sparql_predicates()
    texts = NtTexts() if texts is None else texts
    store = ox.Store()
    # Lenient: the terms are checked where they are made (their N-Triples are ours), and
    # checking every IRI again took oxigraph two fifths of the load.
    store.load(
        "".join(
            f"{texts[s]} {texts[p]} {texts[o]} .\n" for s, p, o in everything if str(p) in wanted
        ).encode(),
        format=ox.RdfFormat.N_TRIPLES,
        lenient=True,
    )
    for hit in run_checks(compile_shapes(shapes_graph()), store, wording_graph):
        check = hit.check
        zh, en = _pick([Literal(word(m, hit), lang=m.language) for m in check.messages])
        where = _node_text(names, hit.value)
        results.add(ValidationResult(check.severity, where, None, zh, en, check.component))
    return sorted(results, key=lambda r: (r.focus, r.path or "", r.message_en, r.message_zh))


def _node_text(names: NamespaceManager, node: Node | None) -> str:
    if node is None:
        return "?"
    return names.normalizeUri(node) if isinstance(node, URIRef) else str(node)


def validate_graph(graph: Graph) -> list[ValidationResult]:
    """Validate ``graph`` (with ontology and scheme merged in); the results, in a stable
    order. SHACL compiled to SPARQL and run by oxigraph: the results of
    :func:`validate_graph_pyshacl`, many times faster."""

    def wording(_nodes: set[Node]) -> Graph:
        merged = Graph(bind_namespaces="core")
        merged += graph
        merged += _ontology()
        return merged

    triples = [(from_rdflib(s), str(p), from_rdflib(o)) for s, p, o in graph]
    return validate_triples(triples, wording)  # type: ignore[arg-type]


def validate_graph_pyshacl(graph: Graph) -> list[ValidationResult]:
    """Validate ``graph`` with pyshacl (the reference the compiled shapes are tested against).

    ``graph`` is left as it was, though the ontology is in it while pyshacl runs."""
    from pyshacl import validate  # slow to import; only validation needs it

    if not graph.store.context_aware:  # pyshacl reads the data graph as a dataset
        copy = Graph(bind_namespaces="core")
        copy += graph
        graph = copy
    # The ontology is added to the caller's graph for the validation and taken out again:
    # copying a large graph (pyshacl's clone, or ours) costs as much as validating it.
    added = [triple for triple in _ontology() if triple not in graph]
    graph.addN((s, p, o, graph) for s, p, o in added)
    try:
        _conforms, report, _text_report = validate(
            graph,
            shacl_graph=_validation_shapes(),
            inference="none",
            advanced=True,
            allow_warnings=True,
            inplace=True,
        )
    finally:
        for triple in added:
            graph.remove(triple)
    bind_prefixes(report)
    graph_wide = set(shapes_graph().objects(None, SH.targetNode))
    results = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        zh, en = _messages(report, result)
        # A graph-wide constraint's focus is bps: itself; the offending node is its value.
        where = SH.value if report.value(result, SH.focusNode) in graph_wide else SH.focusNode
        results.append(
            ValidationResult(
                severity=_SEVERITY.get(report.value(result, SH.resultSeverity), "error"),
                focus=_text(report, result, where) or "?",
                path=_path(report, result),
                message_zh=zh,
                message_en=en,
                component=_text(report, result, SH.sourceConstraintComponent) or "?",
            )
        )
    return sorted(results, key=lambda r: (r.focus, r.path or "", r.message_en))


def _messages(report: Graph, result: Node) -> tuple[str, str]:
    return _pick(report.objects(result, SH.resultMessage))


def _pick(messages: Iterable[Node]) -> tuple[str, str]:
    """The Chinese and English messages of a result. pyshacl drops the language tag of a
    SPARQL constraint's message when it fills in its variables, so the script decides."""
    zh: str | None = None
    en: str | None = None
    for message in sorted(messages):
        language = getattr(message, "language", None)
        if language == "zh" or (language is None and _CJK.search(str(message))):
            zh = zh or str(message)
        else:
            en = en or str(message)
    text_zh = zh or en or "不符合约束"
    return text_zh, en or text_zh


def _path(report: Graph, result: Node) -> str | None:
    path = report.value(result, SH.resultPath)
    if path is None:
        return None
    if isinstance(path, URIRef):
        return report.namespace_manager.normalizeUri(path)
    inverse = report.value(path, SH.inversePath)
    if inverse is not None:
        return "^" + report.namespace_manager.normalizeUri(inverse)
    return None


def validate_graph_file(path: str | Path) -> list[Problem]:
    """SHACL problems of a graph file (data + ontology + shapes), for ``jixiao check``."""
    return [result.problem() for result in validate_graph(load_graph(path))]
