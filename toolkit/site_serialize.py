"""A page's RDF as Turtle and as JSON-LD, written directly from its triples.

rdflib's serialisers spent most of the site's time (its Turtle writer ranks subjects and
resolves every prefix per term; its JSON-LD writer builds and compacts a document per page).
A page holds a few hundred triples with no blank-node nesting, so a flat writer suffices:
subjects sorted, then predicates, then objects, one statement block per subject. Prefixes
are those of the project's JSON-LD context (``ontology/context.jsonld``), so both forms name
terms alike; a term is written as a prefixed name only when its local part is plainly safe,
otherwise as a full IRI. The output is valid Turtle and JSON-LD 1.1, the same text on every
run, and describes exactly the triples given (the site tests parse both and compare them).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from rdflib import RDF, BNode, Literal, URIRef
from rdflib.term import Node

from toolkit.vocabularies import CONTEXT_FILE

__all__ = ["jsonld_text", "ntriples_bytes", "turtle_text"]

Triple = tuple[Node, Node, Node]

# Conservative: a local part this pattern accepts is valid in Turtle's PN_LOCAL and cannot be
# read as an absolute IRI by JSON-LD (no "//", no ":").
_SAFE_LOCAL = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*\Z")
_TURTLE_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"}
_IRI_UNSAFE = re.compile(r'[\x00-\x20<>"{}|^`\\]')


@lru_cache(maxsize=1)
def _prefixes() -> tuple[tuple[str, str], ...]:
    context = json.loads(CONTEXT_FILE.read_text(encoding="utf-8"))["@context"]
    pairs = [(name, iri) for name, iri in context.items() if isinstance(iri, str)]
    # Longest namespace first, so bp:…/category/ wins over bp:… for a category's IRI.
    return tuple(sorted(pairs, key=lambda pair: (-len(pair[1]), pair[0])))


@lru_cache(maxsize=4096)
def _compact(iri: str) -> str | None:
    for name, namespace in _prefixes():
        if iri.startswith(namespace) and _SAFE_LOCAL.match(iri[len(namespace) :]):
            return f"{name}:{iri[len(namespace) :]}"
    return None


def _sorted(triples: Iterable[Triple]) -> list[Triple]:
    return sorted(set(triples), key=lambda t: (_key(t[0]), _key(t[1]), _key(t[2])))


def _key(term: Node) -> tuple[int, str, str, str]:
    if isinstance(term, Literal):
        return (2, str(term), term.language or "", str(term.datatype or ""))
    return (1 if isinstance(term, BNode) else 0, str(term), "", "")


# Turtle


def _iri(term: URIRef) -> str:
    text = _IRI_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04X}", str(term))
    return f"<{text}>"


def _ttl_name(term: URIRef) -> str:
    return _compact(str(term)) or _iri(term)


def _ttl_term(term: Node) -> str:
    if isinstance(term, URIRef):
        return _ttl_name(term)
    if isinstance(term, BNode):
        return f"_:{term}"
    assert isinstance(term, Literal)
    text = "".join(_TURTLE_ESCAPES.get(ch, ch) for ch in str(term))
    if term.language:
        return f'"{text}"@{term.language}'
    if term.datatype is not None:
        return f'"{text}"^^{_ttl_name(term.datatype)}'
    return f'"{text}"'


def turtle_text(triples: Iterable[Triple]) -> str:
    """``triples`` as Turtle: the context's prefixes, then one block per subject."""
    lines = [f"@prefix {name}: <{iri}> ." for name, iri in sorted(_prefixes())]
    subject: Node | None = None
    predicate: Node | None = None
    for s, p, o in _sorted(triples):
        if s != subject:
            if subject is not None:
                lines[-1] += " ."
            lines += ["", _ttl_term(s)]
            subject, predicate = s, None
            lines.append(f"    {'a' if p == RDF.type else _ttl_term(p)} {_ttl_term(o)}")
        elif p != predicate:
            lines[-1] += " ;"
            lines.append(f"    {'a' if p == RDF.type else _ttl_term(p)} {_ttl_term(o)}")
        else:
            lines[-1] += f", {_ttl_term(o)}"
        predicate = p
    if subject is not None:
        lines[-1] += " ."
    return "\n".join(lines) + "\n"


# JSON-LD


def _id(term: Node) -> str:
    return f"_:{term}" if isinstance(term, BNode) else str(term)


def _ld_value(term: Node) -> Any:
    if not isinstance(term, Literal):
        return {"@id": _id(term)}
    if term.language:
        return {"@language": term.language, "@value": str(term)}
    if term.datatype is not None:
        dt = str(term.datatype)
        return {"@type": _compact(dt) or dt, "@value": str(term)}
    return str(term)


def jsonld_text(triples: Iterable[Triple]) -> str:
    """``triples`` as JSON-LD: the project's context and one node object per subject, keys
    and values sorted (a single value stands alone, several form a list)."""
    context = json.loads(CONTEXT_FILE.read_text(encoding="utf-8"))["@context"]
    nodes: dict[str, dict[str, list[Any]]] = {}
    for s, p, o in _sorted(triples):
        node = nodes.setdefault(_id(s), {})
        if p == RDF.type and not isinstance(o, Literal):
            node.setdefault("@type", []).append(_compact(str(o)) or _id(o))
        else:
            key = _compact(str(p)) or str(p)
            node.setdefault(key, []).append(_ld_value(o))
    graph = []
    for iri in sorted(nodes):
        obj: dict[str, Any] = {"@id": iri}
        # Values come in the order of the sorted triples: no need to sort them again.
        for key, values in nodes[iri].items():
            obj[key] = values[0] if len(values) == 1 else values
        graph.append(obj)
    document = {"@context": context, "@graph": graph}
    return json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def _nt_term(term: Node) -> str:
    if isinstance(term, Literal) and term.datatype is not None and not term.language:
        text = "".join(_TURTLE_ESCAPES.get(ch, ch) for ch in str(term))
        return f'"{text}"^^{_iri(term.datatype)}'
    if isinstance(term, URIRef):
        return _iri(term)
    return _ttl_term(term)


def ntriples_bytes(triples: Iterable[Triple]) -> bytes:
    """``triples`` as N-Triples, in no particular order: for loading a store, not for
    publishing."""
    return "".join(f"{_nt_term(s)} {_nt_term(p)} {_nt_term(o)} .\n" for s, p, o in triples).encode(
        "utf-8"
    )
