"""``ontology/shapes.ttl`` compiled into SPARQL queries, run by oxigraph: SHACL at corpus scale.

pyshacl validates a few thousand triples a second; a corpus has millions. Each constraint
of the shapes becomes one SELECT that returns the focus nodes (and value nodes) that break it,
evaluated by oxigraph in Rust over the whole store. Only the SHACL Core components the shapes
use are compiled (targets by class or node; paths of one predicate or its inverse; minCount,
maxCount, class, datatype, nodeKind, minLength, pattern, in, hasValue, minInclusive,
maxInclusive, lessThanOrEquals, languageIn, uniqueLang, an ``sh:or`` of ``sh:class`` shapes)
and ``sh:sparql`` constraints; anything else in the shapes raises :class:`UnsupportedShape`,
so nothing is skipped silently. pyshacl stays the reference the tests compare against.

A SPARQL constraint whose message names its variables (``{?total}``) is worded by rdflib on a
graph the caller gives (the offending nodes' neighbourhood): oxigraph stores decimals in
canonical form, so its ``60.4`` would read ``60.40`` in pyshacl's words. A node oxigraph finds
that rdflib does not is an error, never a dropped result.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, SH, XSD
from rdflib.term import Node

__all__ = ["Check", "Hit", "UnsupportedShape", "compile_shapes", "run_checks"]

_RDFS_SUBCLASS = "http://www.w3.org/2000/01/rdf-schema#subClassOf"
_SEVERITY = {SH.Violation: "error", SH.Warning: "warning", SH.Info: "info"}
# Datatypes whose lexical form SHACL checks (an ill-typed literal breaks sh:datatype): a cast
# of the string fails exactly when the form is not the datatype's.
_CHECKED = {XSD.integer, XSD.decimal, XSD.double, XSD.float, XSD.boolean, XSD.dateTime, XSD.date}
_SHAPE_KEYS = {
    SH.path, SH.minCount, SH.maxCount, SH["class"], SH.datatype, SH.nodeKind, SH.minLength,
    SH.pattern, SH["in"], SH.hasValue, SH.minInclusive, SH.maxInclusive, SH.lessThanOrEquals,
    SH.languageIn, SH.uniqueLang, SH["or"], SH.message, RDF.type, SH.targetClass, SH.targetNode,
    SH.property, SH.sparql, SH.severity, SH.flags,
}  # fmt: skip
# Where a screened check's query is given the focus nodes its screen found.
_SCREENED = "#SCREENED#"
_NODE_KINDS = {SH.IRI: "isIRI(?v)", SH.Literal: "isLiteral(?v)", SH.BlankNode: "isBlank(?v)"}


class UnsupportedShape(Exception):
    """The shapes use a SHACL feature this compiler does not implement."""


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
    screen: bool = False  # finds the focus nodes the next screened checks run on
    screened: bool = False  # runs only on the focus nodes its screen found


@dataclass(frozen=True)
class Hit:
    """One result: the check, the focus node, the value node, the message variables."""

    check: Check
    focus: Node
    value: Node | None
    bindings: tuple[tuple[str, Node], ...] = ()


def _n3(node: Node) -> str:
    if isinstance(node, URIRef):
        return f"<{node}>"
    if isinstance(node, Literal):
        return node.n3()
    raise UnsupportedShape(f"a blank node where a constant is needed: {node}")


def _focus(shapes: Graph, shape: Node) -> str:
    """The pattern binding ``?this`` to each focus node of a node shape's targets."""
    patterns = [
        f"{{ ?this <{RDF.type}>/<{_RDFS_SUBCLASS}>* {_n3(c)} . }}"
        for c in sorted(shapes.objects(shape, SH.targetClass))
    ]
    patterns += [
        f"{{ VALUES ?this {{ {_n3(n)} }} }}" for n in sorted(shapes.objects(shape, SH.targetNode))
    ]
    if not patterns:
        raise UnsupportedShape(f"{shape} has no sh:targetClass or sh:targetNode")
    return " UNION ".join(patterns)


def _path(shapes: Graph, shape: Node) -> tuple[str, str]:
    """The SPARQL path and its text in a report (``bp:x`` or ``^bp:x``)."""
    path = shapes.value(shape, SH.path)
    if isinstance(path, URIRef):
        return f"<{path}>", shapes.namespace_manager.normalizeUri(path)
    inverse = shapes.value(path, SH.inversePath) if isinstance(path, BNode) else None
    if isinstance(inverse, URIRef) and len(list(shapes.predicate_objects(path))) == 1:
        return f"^<{inverse}>", "^" + shapes.namespace_manager.normalizeUri(inverse)
    raise UnsupportedShape(f"path {path} of {shape}: only a predicate or its inverse")


def _class_test(shapes: Graph, classes: Iterable[Node]) -> str:
    tests = [f"EXISTS {{ ?v <{RDF.type}>/<{_RDFS_SUBCLASS}>* {_n3(c)} }}" for c in classes]
    return "(" + " || ".join(tests) + ")"


def _value_filter(shapes: Graph, shape: Node, key: Node, value: Node) -> str | None:
    """The FILTER (true when ``?v`` breaks the constraint) of a per-value component."""
    if key == SH["class"]:
        return f"!{_class_test(shapes, [value])}"
    if key == SH.datatype:
        if value == RDF.langString:
            return "!(isLiteral(?v) && lang(?v) != '')"
        test = f"isLiteral(?v) && datatype(?v) = {_n3(value)} && lang(?v) = ''"
        if value in _CHECKED:
            test += f" && COALESCE(isLiteral(<{value}>(STR(?v))), false)"
        return f"!({test})"
    if key == SH.nodeKind:
        if value not in _NODE_KINDS:
            raise UnsupportedShape(f"sh:nodeKind {value} of {shape}")
        return f"!{_NODE_KINDS[value]}"
    if key == SH.minLength:
        return f"(isBlank(?v) || STRLEN(STR(?v)) < {int(value)})"
    if key == SH.pattern:
        flags = shapes.value(shape, SH.flags)
        flag_text = f", {_n3(Literal(str(flags)))}" if flags is not None else ""
        return f"(isBlank(?v) || !REGEX(STR(?v), {_n3(Literal(str(value)))}{flag_text}))"
    if key == SH["in"]:
        members = list(Collection(shapes, value))
        return "!(" + " || ".join(f"sameTerm(?v, {_n3(m)})" for m in members) + ")"
    if key == SH.minInclusive:
        return f"!COALESCE(?v >= {_n3(value)}, false)"
    if key == SH.maxInclusive:
        return f"!COALESCE(?v <= {_n3(value)}, false)"
    if key == SH.languageIn:
        tests = [f"langMatches(lang(?v), {_n3(m)})" for m in Collection(shapes, value)]
        return "!(isLiteral(?v) && (" + " || ".join(tests) + "))"
    if key == SH["or"]:
        classes = []
        for member in Collection(shapes, value):
            keys = set(shapes.predicates(member))
            if keys != {SH["class"]}:
                raise UnsupportedShape(f"sh:or of {shape}: only shapes of one sh:class each")
            classes.append(shapes.value(member, SH["class"]))
        return f"!{_class_test(shapes, classes)}"
    return None


_COMPONENTS = {
    SH.minCount: "MinCount", SH.maxCount: "MaxCount", SH["class"]: "Class",
    SH.datatype: "Datatype", SH.nodeKind: "NodeKind", SH.minLength: "MinLength",
    SH.pattern: "Pattern", SH["in"]: "In", SH.hasValue: "HasValue",
    SH.minInclusive: "MinInclusive", SH.maxInclusive: "MaxInclusive",
    SH.lessThanOrEquals: "LessThanOrEquals", SH.languageIn: "LanguageIn",
    SH.uniqueLang: "UniqueLang", SH["or"]: "Or",
}  # fmt: skip


def _property_checks(shapes: Graph, node_shape: Node, shape: Node) -> list[Check]:
    """The checks of a property shape: one per component, and in front of them a screen,
    one query that finds in a single pass the focus nodes breaking any of the per-value and
    count components; the others then run only on those (most graphs: none)."""
    unknown = set(shapes.predicates(shape)) - _SHAPE_KEYS
    if unknown or (shape, SH.severity, None) in shapes or (shape, SH.property, None) in shapes:
        raise UnsupportedShape(f"property shape {shape} of {node_shape}: {sorted(unknown)}")
    messages = tuple(sorted(m for m in shapes.objects(shape, SH.message) if isinstance(m, Literal)))
    if not messages:
        raise UnsupportedShape(f"property shape {shape} of {node_shape} has no sh:message")
    path, path_text = _path(shapes, shape)
    focus = f"{_SCREENED} {_focus(shapes, node_shape)}"
    checks = []
    breaks: list[str] = []  # aggregate conditions of the screen, each true when broken
    for key, value in sorted(shapes.predicate_objects(shape)):
        if key not in _COMPONENTS:
            continue
        screened = True
        if key == SH.minCount:
            query = f"""SELECT ?this WHERE {{ {focus}
                OPTIONAL {{ ?this {path} ?v }} }}
                GROUP BY ?this HAVING (COUNT(DISTINCT ?v) < {int(value)})"""
            breaks.append(f"COUNT(DISTINCT ?v) < {int(value)}")
        elif key == SH.maxCount:
            query = f"""SELECT ?this WHERE {{ {focus} ?this {path} ?v . }}
                GROUP BY ?this HAVING (COUNT(DISTINCT ?v) > {int(value)})"""
            breaks.append(f"COUNT(DISTINCT ?v) > {int(value)}")
        elif key == SH.hasValue:
            missing = f"FILTER NOT EXISTS {{ ?this {path} {_n3(value)} }}"
            query = f"SELECT ?this WHERE {{ {focus} {missing} }}"
            breaks.append(f"SUM(IF(COALESCE(sameTerm(?v, {_n3(value)}), false), 1, 0)) = 0")
        elif key == SH.uniqueLang:
            if value != Literal(True):
                continue
            screened = False
            query = f"""SELECT DISTINCT ?this WHERE {{ {focus} ?this {path} ?v, ?w .
                FILTER (!sameTerm(?v, ?w) && lang(?v) != ''
                    && LCASE(lang(?v)) = LCASE(lang(?w))) }}"""
        elif key == SH.lessThanOrEquals:
            screened = False
            query = f"""SELECT ?this ?v WHERE {{ {focus} ?this {path} ?v . ?this {_n3(value)} ?w .
                FILTER (!COALESCE(?v <= ?w, false)) }}"""
        else:
            test = _value_filter(shapes, shape, key, value)
            query = f"SELECT ?this ?v WHERE {{ {focus} ?this {path} ?v . FILTER ({test}) }}"
            breaks.append(f"SUM(IF(COALESCE(BOUND(?v) && ({test}), true), 1, 0)) > 0")
        component = f"sh:{_COMPONENTS[key]}ConstraintComponent"
        checks.append(Check(query, "error", path_text, messages, component, screened=screened))
    if breaks:
        screen = f"""SELECT ?this WHERE {{ {_focus(shapes, node_shape)}
            OPTIONAL {{ ?this {path} ?v }} }}
            GROUP BY ?this HAVING ({" || ".join(breaks)})"""
        checks.insert(0, Check(screen, "error", path_text, messages, "screen", screen=True))
    return checks


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
    """Every constraint of ``shapes`` as a :class:`Check`; :class:`UnsupportedShape` for what
    this compiler does not implement."""
    checks: list[Check] = []
    for node_shape in sorted(shapes.subjects(RDF.type, SH.NodeShape)):
        keys = set(shapes.predicates(node_shape)) - {
            RDF.type, SH.targetClass, SH.targetNode, SH.property, SH.sparql, SH.severity,
        }  # fmt: skip
        if keys:
            raise UnsupportedShape(f"{node_shape}: {sorted(keys)}")
        severity = _SEVERITY[shapes.value(node_shape, SH.severity) or SH.Violation]
        for shape in sorted(shapes.objects(node_shape, SH.property)):
            checks += _property_checks(shapes, node_shape, shape)
        if (node_shape, SH.sparql, None) in shapes:
            checks += _sparql_checks(shapes, node_shape, severity)
    return tuple(checks)


def _rdflib(term: object) -> Node:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    assert isinstance(term, ox.Literal)
    if term.language:
        return Literal(term.value, lang=term.language)
    return Literal(term.value, datatype=URIRef(term.datatype.value))


def run_checks(
    checks: Iterable[Check], store: ox.Store, wording_graph: Callable[[set[Node]], Graph]
) -> list[Hit]:
    """Run ``checks`` over ``store``. ``wording_graph(nodes)`` gives an rdflib graph holding
    what the worded SPARQL constraints need to word their results on ``nodes``."""
    hits: list[Hit] = []
    suspects = ""
    for check in checks:
        if check.screen:
            rows = list(store.query(check.query))
            suspects = " ".join(str(row["this"]) for row in rows)
            continue
        if check.screened and not suspects:
            continue
        values = f"VALUES ?this {{ {suspects} }}" if check.screened else ""
        solutions = list(store.query(check.query.replace(_SCREENED, values)))
        if check.this is None:
            for row in solutions:
                value = row["v"] if "v" in check.query.split("WHERE", 1)[0] else None
                hits.append(Hit(check, _rdflib(row["this"]), _rdflib(value) if value else None))
            continue
        found = [_rdflib(row["value"]) for row in solutions]
        if not found:
            continue
        if check.template is None:
            hits += [Hit(check, URIRef(check.this), value) for value in found]
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
