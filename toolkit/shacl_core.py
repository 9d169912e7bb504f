"""The SHACL Core constraints of ``ontology/shapes.ttl``, evaluated in Python over an index of
the triples: the build's validation at corpus scale.

pyshacl validates a few thousand triples a second and a SPARQL query per constraint costs
oxigraph a pass over its focus nodes each; here the triples are indexed once (subject →
predicate → values, and the inverse of the predicates an inverse path follows) and each
property shape is one dictionary lookup per focus node. Only the components the shapes use are
implemented (targets by class, with subclasses, or by node; a path of one predicate or its
inverse; minCount, maxCount, class, datatype, nodeKind, minLength, pattern, in, hasValue,
minInclusive, maxInclusive, lessThanOrEquals, languageIn, uniqueLang, and an ``sh:or`` of
``sh:class`` shapes), with pyshacl's semantics (Python regular expressions, ill-typed literals
breaking ``sh:datatype``); anything else raises :class:`UnsupportedShape`, so nothing is
skipped silently. pyshacl stays the reference the tests compare against.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SH, XSD
from rdflib.term import Node

from toolkit.rdf_text import XSD_STRING, Lit, Term, Triple, from_rdflib

__all__ = ["CoreHit", "Index", "PropertyRule", "UnsupportedShape", "compile_core", "run_core"]

_TYPE, _SUBCLASS = str(RDF.type), str(RDFS.subClassOf)
_LANG_STRING = str(RDF.langString)
_NUMERIC = {str(XSD[n]) for n in ("integer", "decimal", "double", "float", "int", "long")}
# The lexical forms rdflib accepts for the datatypes pyshacl checks (an ill-typed literal
# breaks sh:datatype); a datatype not listed passes on its datatype IRI alone, as in pyshacl.
_FORMS = {
    str(XSD.integer): re.compile(r"[+-]?[0-9]+"),
    str(XSD.decimal): re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)"),
    str(XSD.boolean): re.compile(r"true|false|1|0"),
    str(XSD.gYear): re.compile(r"-?[0-9]{4,}(Z|[+-][0-9]{2}:[0-9]{2})?"),
    str(XSD.hexBinary): re.compile(r"([0-9A-Fa-f]{2})*"),
    str(XSD.dateTime): re.compile(
        r"-?[0-9]{4,}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?"
        r"(Z|[+-][0-9]{2}:[0-9]{2})?"
    ),
}
_PROPERTY_KEYS = {
    SH.path, SH.minCount, SH.maxCount, SH["class"], SH.datatype, SH.nodeKind, SH.minLength,
    SH.pattern, SH.flags, SH["in"], SH.hasValue, SH.minInclusive, SH.maxInclusive,
    SH.lessThanOrEquals, SH.languageIn, SH.uniqueLang, SH["or"], SH.message,
}  # fmt: skip
_NODE_KEYS = {RDF.type, SH.targetClass, SH.targetNode, SH.property, SH.sparql, SH.severity}
_NAMES = {
    SH.minCount: "MinCount", SH.maxCount: "MaxCount", SH["class"]: "Class",
    SH.datatype: "Datatype", SH.nodeKind: "NodeKind", SH.minLength: "MinLength",
    SH.pattern: "Pattern", SH["in"]: "In", SH.hasValue: "HasValue",
    SH.minInclusive: "MinInclusive", SH.maxInclusive: "MaxInclusive",
    SH.lessThanOrEquals: "LessThanOrEquals", SH.languageIn: "LanguageIn",
    SH.uniqueLang: "UniqueLang", SH["or"]: "Or",
}  # fmt: skip


class UnsupportedShape(Exception):
    """The shapes use a SHACL feature this implementation does not have."""


@dataclass(frozen=True)
class PropertyRule:
    """A property shape with its node shape's targets, ready to evaluate."""

    classes: tuple[str, ...]
    nodes: tuple[Term, ...]
    predicate: str
    inverse: bool
    path: str  # as a report writes it: bp:x or ^bp:x
    messages: tuple[Literal, ...]
    components: tuple[tuple[str, Any], ...]  # (component, its parameter)


@dataclass(frozen=True)
class CoreHit:
    """One result: the rule, the component it broke, the focus node and the value node."""

    rule: PropertyRule
    component: str
    focus: Term
    value: Term | None


def _number(term: Term) -> Decimal | None:
    if isinstance(term, Lit) and term.datatype in _NUMERIC and term.lang is None:
        try:
            return Decimal(term.lexical)
        except InvalidOperation:
            return None
    return None


def _parameter(shapes: Graph, shape: Node, key: Node, value: Node) -> Any:
    if key in (SH.minCount, SH.maxCount, SH.minLength):
        return int(value)  # type: ignore[call-overload]
    if key in (SH.minInclusive, SH.maxInclusive):
        number = _number(from_rdflib(value))
        if number is None:
            raise UnsupportedShape(f"{shape}: {key} of a non-number {value}")
        return number
    if key == SH.pattern:
        flags = shapes.value(shape, SH.flags)
        flag = re.IGNORECASE if flags is not None and "i" in str(flags) else 0
        if flags is not None and set(str(flags)) - {"i"}:
            raise UnsupportedShape(f"{shape}: sh:flags {flags}")
        return re.compile(str(value), flag)
    if key in (SH["in"],):
        return frozenset(from_rdflib(m) for m in Collection(shapes, value))
    if key == SH.languageIn:
        return tuple(str(m).lower() for m in Collection(shapes, value))
    if key == SH["or"]:
        classes = []
        for member in Collection(shapes, value):
            if set(shapes.predicates(member)) != {SH["class"]}:
                raise UnsupportedShape(f"sh:or of {shape}: only shapes of one sh:class each")
            classes.append(str(shapes.value(member, SH["class"])))
        return tuple(classes)
    if key == SH.nodeKind:
        if value not in (SH.IRI, SH.Literal, SH.BlankNode):
            raise UnsupportedShape(f"{shape}: sh:nodeKind {value}")
        return str(value)
    if key == SH.uniqueLang:
        return value == Literal(True)
    return from_rdflib(value)


def compile_core(shapes: Graph) -> tuple[PropertyRule, ...]:
    """Every property shape of ``shapes`` as a :class:`PropertyRule`."""
    rules = []
    for node_shape in sorted(shapes.subjects(RDF.type, SH.NodeShape)):
        if set(shapes.predicates(node_shape)) - _NODE_KEYS:
            raise UnsupportedShape(
                f"{node_shape}: {set(shapes.predicates(node_shape)) - _NODE_KEYS}"
            )
        classes = tuple(sorted(str(c) for c in shapes.objects(node_shape, SH.targetClass)))
        nodes = tuple(sorted(from_rdflib(n) for n in shapes.objects(node_shape, SH.targetNode)))  # type: ignore[type-var]
        for shape in sorted(shapes.objects(node_shape, SH.property)):
            unknown = set(shapes.predicates(shape)) - _PROPERTY_KEYS
            if unknown:
                raise UnsupportedShape(f"property shape of {node_shape}: {sorted(unknown)}")
            messages = tuple(
                sorted(m for m in shapes.objects(shape, SH.message) if isinstance(m, Literal))
            )
            if not messages:
                raise UnsupportedShape(f"a property shape of {node_shape} has no sh:message")
            path = shapes.value(shape, SH.path)
            inverse = False
            if isinstance(path, BNode):
                if set(shapes.predicates(path)) != {SH.inversePath}:
                    raise UnsupportedShape(f"path of {node_shape}: only a predicate or its inverse")
                path, inverse = shapes.value(path, SH.inversePath), True
            if not isinstance(path, URIRef):
                raise UnsupportedShape(f"path of {node_shape}: only a predicate or its inverse")
            text = ("^" if inverse else "") + shapes.namespace_manager.normalizeUri(path)
            components = tuple(
                (f"sh:{_NAMES[key]}ConstraintComponent", _parameter(shapes, shape, key, value))
                for key, value in sorted(shapes.predicate_objects(shape))
                if key in _NAMES
            )
            rules.append(
                PropertyRule(classes, nodes, str(path), inverse, text, messages, components)
            )
    return tuple(rules)


class Index:
    """The triples by subject and predicate; the inverse of ``inverse`` predicates."""

    def __init__(self, triples: Iterable[Triple], inverse: Iterable[str]) -> None:
        out: dict[Term, dict[str, list[Term]]] = {}
        back: dict[str, dict[Term, list[Term]]] = {p: {} for p in inverse}
        for s, p, o in triples:
            # rdflib's URIRef neither hashes nor compares as its text: keys are plain text.
            s, p = str(s), str(p)
            if not isinstance(o, Lit):
                o = str(o)
            properties = out.get(s)
            if properties is None:
                properties = out[s] = {}
            values = properties.get(p)
            if values is None:
                properties[p] = [o]
            else:
                values.append(o)
            if p in back:
                back[p].setdefault(o, []).append(s)
        self.out, self.back = out, back
        self._instances: dict[str, list[Term]] | None = None
        self._subclasses: dict[str, set[str]] = {}
        self._below: dict[str, list[str]] | None = None

    def subclasses(self, cls: str) -> set[str]:
        """``cls`` and every class below it (rdfs:subClassOf*)."""
        found = self._subclasses.get(cls)
        if found is None:
            if self._below is None:
                self._below = {}
                for s, properties in self.out.items():
                    for parent in properties.get(_SUBCLASS, ()):
                        self._below.setdefault(str(parent), []).append(str(s))
            below = self._below
            found, todo = {cls}, [cls]
            while todo:
                for child in below.get(todo.pop(), ()):
                    if child not in found:
                        found.add(child)
                        todo.append(child)
            self._subclasses[cls] = found
        return found

    def instances(self, cls: str) -> list[Term]:
        if self._instances is None:
            instances: dict[str, list[Term]] = {}
            for s, properties in self.out.items():
                for t in properties.get(_TYPE, ()):
                    if isinstance(t, str):
                        instances.setdefault(t, []).append(s)
            self._instances = instances
        return list({s: None for c in self.subclasses(cls) for s in self._instances.get(c, ())})

    def is_instance(self, node: Term, classes: set[str]) -> bool:
        if isinstance(node, Lit):
            return False
        types = self.out.get(node, {}).get(_TYPE, ())
        return any(t in classes for t in types)


def _text(term: Term) -> str:
    return term.lexical if isinstance(term, Lit) else term


def _datatype_ok(v: Term, datatype: str) -> bool:
    if not isinstance(v, Lit):
        return False
    actual = _LANG_STRING if v.lang is not None else (v.datatype or XSD_STRING)
    if actual != datatype:
        return False
    form = _FORMS.get(datatype)
    return form is None or form.fullmatch(v.lexical) is not None


def _value_test(index: Index, component: str, parameter: Any) -> Callable[[Term], bool]:
    """A test that is true when the value node conforms."""
    name = component[3:-19]
    if name == "Class":
        classes = index.subclasses(str(parameter))
        return lambda v: index.is_instance(v, classes)
    if name == "Or":
        classes = set().union(*(index.subclasses(c) for c in parameter))
        return lambda v: index.is_instance(v, classes)
    if name == "Datatype":
        return lambda v: _datatype_ok(v, str(parameter))
    if name == "NodeKind":
        kinds = {str(SH.IRI): "iri", str(SH.Literal): "literal", str(SH.BlankNode): "blank"}
        kind = kinds[parameter]
        return lambda v: _kind(v) == kind
    if name == "MinLength":
        return lambda v: not _is_blank(v) and len(_text(v)) >= parameter
    if name == "Pattern":
        return lambda v: not _is_blank(v) and parameter.search(_text(v)) is not None
    if name == "In":
        return lambda v: v in parameter
    if name == "MinInclusive":
        return lambda v: (n := _number(v)) is not None and n >= parameter
    if name == "MaxInclusive":
        return lambda v: (n := _number(v)) is not None and n <= parameter
    if name == "LanguageIn":
        return lambda v: (
            isinstance(v, Lit)
            and v.lang is not None
            and any(v.lang.lower() == r or v.lang.lower().startswith(r + "-") for r in parameter)
        )
    raise UnsupportedShape(component)


def _is_blank(v: Term) -> bool:
    return not isinstance(v, Lit) and v.startswith("_:")


def _kind(v: Term) -> str:
    return "literal" if isinstance(v, Lit) else "blank" if v.startswith("_:") else "iri"


def _less_or_equal(v: Term, w: Term) -> bool:
    a, b = _number(v), _number(w)
    if a is not None and b is not None:
        return a <= b
    if isinstance(v, Lit) and isinstance(w, Lit) and (v.datatype, v.lang) == (w.datatype, w.lang):
        return v.lexical <= w.lexical
    return False


def run_core(rules: Iterable[PropertyRule], index: Index) -> list[CoreHit]:
    """Evaluate ``rules`` on ``index``: every result, as pyshacl reports them."""
    hits: list[CoreHit] = []
    for rule in rules:
        hits += _rule_hits(rule, index)
    return hits


_COUNTED = ("MinCount", "MaxCount", "HasValue", "UniqueLang", "LessThanOrEquals")


def _rule_hits(rule: PropertyRule, index: Index) -> list[CoreHit]:
    focus_nodes: list[Term] = list(rule.nodes)
    for cls in rule.classes:
        focus_nodes += index.instances(cls)
    back = index.back.get(rule.predicate, {}) if rule.inverse else {}
    out, predicate = index.out, rule.predicate
    tests = [
        (
            component,
            parameter,
            None if component[3:-19] in _COUNTED else _value_test(index, component, parameter),
        )
        for component, parameter in rule.components
    ]
    hits: list[CoreHit] = []
    for focus in dict.fromkeys(focus_nodes):
        values = back.get(focus, []) if rule.inverse else out.get(focus, {}).get(predicate, [])
        if len(values) > 1:
            values = list(dict.fromkeys(values))
        for component, parameter, test in tests:
            if test is not None:
                hits += [CoreHit(rule, component, focus, v) for v in values if not test(v)]
            elif _breaks_count(component[3:-19], parameter, values):
                hits.append(CoreHit(rule, component, focus, None))
            elif component == "sh:LessThanOrEqualsConstraintComponent":
                others = out.get(focus, {}).get(str(parameter), [])
                hits += [
                    CoreHit(rule, component, focus, v)
                    for v in values
                    if not all(_less_or_equal(v, w) for w in others)
                ]
    return hits


def _breaks_count(name: str, parameter: Any, values: list[Term]) -> bool:
    if name == "MinCount":
        return len(values) < parameter
    if name == "MaxCount":
        return len(values) > parameter
    if name == "HasValue":
        return parameter not in values
    if name == "UniqueLang" and parameter:
        langs = [v.lang.lower() for v in values if isinstance(v, Lit) and v.lang]
        return len(set(langs)) < len(langs)
    return False


def inverse_predicates(rules: Iterable[PropertyRule]) -> set[str]:
    """The predicates an inverse path of ``rules`` follows: the index keeps their inverse."""
    return {rule.predicate for rule in rules if rule.inverse}


def node_of(term: Term) -> Node:
    """An rdflib node for a report."""
    if isinstance(term, Lit):
        if term.lang is not None:
            return Literal(term.lexical, lang=term.lang)
        return Literal(term.lexical, datatype=URIRef(term.datatype) if term.datatype else None)
    return BNode(term[2:]) if term.startswith("_:") else URIRef(term)
