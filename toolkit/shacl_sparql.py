"""The SPARQL-based constraints of ``ontology/shapes.ttl`` (``sh:sparql``), run by oxigraph.

Each constraint's ``sh:select`` runs once over the store (the shapes' SPARQL constraints are
graph-wide: they target one node and return every offending node as ``?value``). A constraint
whose message names its variables (``{?total}``) is worded by rdflib on a graph the caller
gives (the offending nodes' neighbourhood): oxigraph stores decimals in canonical form, so its
``60.4`` would read ``60.40`` in pyshacl's words. A node oxigraph finds that rdflib does not
find there is an error, never a dropped result. A constraint of another form (``$this``,
``$PATH``, on targets other than one node) raises :class:`UnsupportedShape`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SH
from rdflib.term import Node
from rdflib.util import from_n3

from toolkit.shacl_core import UnsupportedShape

__all__ = ["Check", "Hit", "UnsupportedShape", "compile_shapes", "run_checks"]

_SEVERITY = {SH.Violation: "error", SH.Warning: "warning", SH.Info: "info"}


@dataclass(frozen=True)
class Check:
    """One compiled constraint: its query (``?this``, maybe ``?v``, and the message's
    variables), what its results say, and whether its message is worded from bindings."""

    query: str
    severity: str
    path: str | None
    messages: tuple[Literal, ...]
    component: str
    template: str | None = None  # the sh:select of a SPARQL constraint worded by rdflib
    this: str | None = None  # the node a graph-wide SPARQL constraint targets


@dataclass(frozen=True)
class Hit:
    """One result: the check, the focus node, the value node, the message variables."""

    check: Check
    focus: Node
    value: Node | None
    bindings: tuple[tuple[str, Node], ...] = ()


def _sparql_checks(shapes: Graph, node_shape: Node, severity: str) -> list[Check]:
    targets = list(shapes.objects(node_shape, SH.targetNode))
    if list(shapes.objects(node_shape, SH.targetClass)) or len(targets) != 1:
        raise UnsupportedShape(f"{node_shape}: a SPARQL constraint needs one sh:targetNode")
    checks = []
    for constraint in shapes.objects(node_shape, SH.sparql):
        select = shapes.value(constraint, SH.select)
        if select is None or "$this" in str(select) or "$PATH" in str(select):
            raise UnsupportedShape(f"{node_shape}: only sh:select without $this or $PATH")
        prefixes = "".join(
            f"PREFIX {shapes.value(d, SH.prefix)}: <{shapes.value(d, SH.namespace)}>\n"
            for source in shapes.objects(constraint, SH.prefixes)
            for d in shapes.objects(source, SH.declare)
        )
        messages = tuple(sorted(shapes.objects(constraint, SH.message)))
        query = prefixes + str(select)
        worded = any("{?" in str(m) or "{$" in str(m) for m in messages)
        checks.append(
            Check(
                query,
                severity,
                None,
                messages,  # type: ignore[arg-type]
                "sh:SPARQLConstraintComponent",
                template=query if worded else None,
                this=str(targets[0]),
            )
        )
    return checks


@cache
def compile_shapes(shapes: Graph) -> tuple[Check, ...]:
    """Every SPARQL constraint of ``shapes`` as a :class:`Check`; :class:`UnsupportedShape`
    for one this module does not implement (the Core constraints: toolkit.shacl_core)."""
    checks: list[Check] = []
    for node_shape in sorted(shapes.subjects(RDF.type, SH.NodeShape)):
        if (node_shape, SH.sparql, None) in shapes:
            severity = _SEVERITY[shapes.value(node_shape, SH.severity) or SH.Violation]
            checks += _sparql_checks(shapes, node_shape, severity)
    return tuple(checks)


def _rdflib(term: object) -> Node:
    # An oxigraph term's text is its N-Triples form, which rdflib reads back (a result is
    # rare: a few per corpus).
    return from_n3(str(term))  # type: ignore[return-value]


def run_checks(
    checks: Iterable[Check], store: ox.Store, wording_graph: Callable[[set[Node]], Graph]
) -> list[Hit]:
    """Run ``checks`` over ``store``. ``wording_graph(nodes)`` gives an rdflib graph holding
    what the worded SPARQL constraints need to word their results on ``nodes``."""
    hits: list[Hit] = []
    for check in checks:
        found = [_rdflib(row["value"]) for row in store.query(check.query)]
        if not found:
            continue
        if check.template is None:
            hits += [Hit(check, URIRef(str(check.this)), value) for value in found]
            continue
        hits += _worded(check, set(found), wording_graph(set(found)))
    return hits


def _worded(check: Check, found: set[Node], graph: Graph) -> list[Hit]:
    """The results of a SPARQL constraint as rdflib finds them (its lexical forms)."""
    hits = []
    words: set[Node] = set()
    assert check.template is not None
    for row in graph.query(check.template):
        bound = row.asdict()  # type: ignore[union-attr]
        value = bound.get("value")
        if value in found:
            words.add(value)
            hits.append(Hit(check, URIRef(str(check.this)), value, tuple(sorted(bound.items()))))
    missing = found - words
    if missing:
        raise UnsupportedShape(
            f"{check.component}: no wording for {sorted(missing)[0]} in the graph given"
        )
    return hits


def word(message: Literal, hit: Hit) -> str:
    """A message with its ``{?var}`` filled in as pyshacl fills it."""
    text = str(message)
    for name, node in (("this", hit.focus), ("value", hit.value), *hit.bindings):
        if node is not None:
            text = re.sub(f"{{[?$]{name}}}", str(node), text)
    return text
