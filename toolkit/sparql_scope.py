"""Which triples a SPARQL query can match, so that a store need hold only those.

A query whose every triple pattern and path step names its predicate can only ever match
triples with one of those predicates, and a pattern that also names its object (``?i a
bp:Indicator``) only triples with that object: its solutions are the same over the graph and
over those triples alone (OPTIONAL, MINUS, EXISTS, subqueries and aggregates all evaluate
patterns over the same triples). The linked-data page's example queries name 25 predicates
and, of the graph's type triples, those of one class; the graph's quality annotations and
provenance, over half of its triples, and most of its types need not be loaded to answer
them.

A pattern that could match any predicate makes the whole graph needed: a variable
predicate, a negated property set, a path that may have length zero (``p*``, ``p?``: it
relates every node of the graph to itself), a named graph or a remote service, and a
DESCRIBE query.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from rdflib import URIRef, Variable
from rdflib.paths import AlternativePath, InvPath, MulPath, SequencePath
from rdflib.paths import Path as PropertyPath
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.algebra import translateGroupGraphPattern
from rdflib.plugins.sparql.parserutils import CompValue

from toolkit.rdf_text import Triple

__all__ = ["Scope", "in_scope", "line_blocks", "matching_lines", "triples_matched"]

# By predicate IRI, the object IRIs of the triples a query can match (None: any object).
Scope = dict[str, frozenset[str] | None]

_WHOLE_GRAPH = frozenset({"DescribeQuery", "ServiceGraphPattern", "Graph"})


class _AnyPredicate(Exception):
    """A pattern of the query could match a triple whatever its predicate."""


def triples_matched(queries: Iterable[str]) -> Scope | None:
    """The triples ``queries`` can match (:data:`Scope`), or ``None`` when one of them could
    match any predicate (or cannot be read here: the store then holds everything)."""
    found: dict[str, set[str] | None] = {}
    try:
        for text in queries:
            _walk(prepareQuery(text).algebra, found)
    except _AnyPredicate:
        return None
    except Exception:  # a query rdflib cannot read: Oxigraph will say what is wrong
        return None
    return {p: None if objects is None else frozenset(objects) for p, objects in found.items()}


def _walk(node: Any, found: dict[str, set[str] | None]) -> None:
    if isinstance(node, CompValue):
        if node.name in _WHOLE_GRAPH:
            raise _AnyPredicate(node.name)
        if node.name in ("Builtin_EXISTS", "Builtin_NOTEXISTS"):
            graph = node.get("graph")
            if isinstance(graph, CompValue) and graph.name == "GroupGraphPatternSub":
                # rdflib translates these patterns only when it evaluates them.
                graph = translateGroupGraphPattern(graph)
            _walk(graph, found)
            return
        if node.name == "BGP":
            for _subject, predicate, value in node.get("triples") or ():
                if isinstance(predicate, URIRef) and isinstance(value, URIRef):
                    objects = found.setdefault(str(predicate), set())
                    if objects is not None:
                        objects.add(str(value))
                else:
                    _predicate(predicate, found)
        for value in node.values():
            _walk(value, found)
    elif isinstance(node, list | tuple | set | frozenset):
        for value in node:
            _walk(value, found)
    elif isinstance(node, dict):
        for value in node.values():
            _walk(value, found)


def _predicate(term: Any, found: dict[str, set[str] | None]) -> None:
    """A predicate or path step matched with any object."""
    if isinstance(term, URIRef):
        found[str(term)] = None
    elif isinstance(term, SequencePath | AlternativePath):
        for step in term.args:
            _predicate(step, found)
    elif isinstance(term, InvPath):
        _predicate(term.arg, found)
    elif isinstance(term, MulPath) and not term.zero:
        _predicate(term.path, found)
    elif isinstance(term, Variable | PropertyPath):
        # A variable, a negated property set, a path that may have length zero.
        raise _AnyPredicate(str(term))
    else:
        raise _AnyPredicate(repr(term))


def in_scope(triples: Iterable[Triple], scope: Scope) -> list[Triple]:
    """The triples (plain terms, :mod:`toolkit.rdf_text`) that ``scope`` can match: those
    whose lines :func:`matching_lines` keeps."""
    kept = []
    for triple in triples:
        predicate = triple[1]
        if predicate in scope:
            objects = scope[predicate]
            if objects is None or triple[2] in objects:
                kept.append(triple)
    return kept


def line_blocks(path: Path, block: int = 1 << 23) -> Iterator[bytes]:
    """The file ``path`` a block of whole lines at a time (never the whole file)."""
    rest = b""
    with path.open("rb") as stream:
        while chunk := stream.read(block):
            # The last line of a block may be cut: it starts the next one.
            cut = chunk.rfind(b"\n") + 1
            if cut:
                yield rest + chunk[:cut]
                rest = chunk[cut:]
            else:
                rest += chunk
    if rest:
        yield rest


def matching_lines(path: Path, scope: Scope, block: int = 1 << 23) -> Iterator[bytes]:
    """The lines of the N-Triples file ``path`` that ``scope`` can match, a block of the file
    at a time (:func:`line_blocks`). The file is canonical N-Triples, as the build writes
    it: one triple per line, its terms separated by single spaces (an IRI or a blank node
    label holds no space), an IRI object last before `` .``."""
    wanted = {
        f"<{iri}>".encode(): None if objects is None else {f"<{o}>".encode() for o in objects}
        for iri, objects in scope.items()
    }
    for lines in line_blocks(path, block):
        kept = []
        # (partition, not a helper function: this runs once per triple of the corpus)
        for line in lines.split(b"\n"):
            predicate, _, value = line.partition(b" ")[2].partition(b" ")
            if predicate in wanted:
                objects = wanted[predicate]
                if objects is None or value[:-2] in objects:
                    kept.append(line)
        if kept:
            yield b"\n".join(kept) + b"\n"
