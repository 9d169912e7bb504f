"""Triples as plain Python values, and as N-Triples text: the build's RDF without rdflib.

:class:`toolkit.rdf.TripleWriter` states every triple once, in these terms: an IRI is a
``str`` (rdflib's ``URIRef`` is one too, so the vocabularies' constants serve as they are) and
a literal is a :class:`Lit`. Creating rdflib terms and adding them to an indexed store cost
most of the old build's RDF time; here a triple is a tuple, and its N-Triples line a format
string. :func:`to_rdflib` and :func:`from_rdflib` convert one term to rdflib and back, for
``to_graph``, ``from_graph`` and the site.

The N-Triples are those rdflib writes for the same triples (its escapes, its forms), so the
dump is the same text whichever writes it. A chunk of the dumps formats each distinct term
once (:class:`NtTexts`, :func:`nt_rows`): it has one for every five triples.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

__all__ = [
    "Lit",
    "NtTexts",
    "Row",
    "Term",
    "Triple",
    "from_rdflib",
    "nt_line",
    "nt_lines",
    "nt_rows",
    "nt_term",
    "row_lines",
    "to_rdflib",
]

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


class Lit(NamedTuple):
    """A literal: its lexical form, and a datatype IRI or a language tag (neither: a plain
    ``xsd:string``)."""

    lexical: str
    datatype: str | None = None
    lang: str | None = None


Term = str | Lit
Triple = tuple[str, str, Term]


def _quote(text: str) -> str:
    # rdflib's escapes, in its order: a dump written by either is the same text.
    return text.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"').replace("\r", "\\r")


def nt_term(term: Term) -> str:
    """One term in N-Triples (IRIs come from :mod:`toolkit.iris` and the vocabularies, which
    never mint one with characters N-Triples forbids)."""
    if isinstance(term, Lit):
        if term.lang is not None:
            return f'"{_quote(term.lexical)}"@{term.lang}'
        if term.datatype is not None and term.datatype != XSD_STRING:
            return f'"{_quote(term.lexical)}"^^<{term.datatype}>'
        return f'"{_quote(term.lexical)}"'
    if term.startswith("_:"):
        return str(term)  # never a URIRef: texts are compared as plain strings
    return f"<{term}>"


def nt_line(triple: Triple) -> str:
    """The triple's N-Triples line, with its line break."""
    s, p, o = triple
    return f"{nt_term(s)} <{p}> {nt_term(o)} .\n"


def nt_lines(triples: Iterable[Triple]) -> list[str]:
    """The distinct lines of ``triples``, sorted: the same list whatever order they came in."""
    return row_lines(nt_rows(triples, NtTexts()))


class NtTexts(dict[Term, str]):
    """Terms and their N-Triples form, each formatted on first use."""

    def __missing__(self, term: Term) -> str:
        text = self[term] = nt_term(term)
        return text


Row = tuple[str, str, str]


def nt_rows(triples: Iterable[Triple], texts: NtTexts) -> list[Row]:
    """The distinct triples of ``triples`` as their terms' N-Triples texts, sorted as their
    lines are. Each term is formatted once, into ``texts``: a chunk has one distinct term
    for every five triples. The texts are the very strings ``texts`` holds, so looking them
    up again costs little (their hashes are kept).

    Sorting the rows sorts the lines without making them: where one term's text is the
    start of another's (``"x"`` of ``"x"@zh``, ``_:b1`` of ``_:b12``), the longer goes on
    with a character that sorts after the space that ends a term in a line.

    The rows are sorted before duplicates go: a writer states a node's triples together, and
    sorting its runs costs less than sorting a set's order (a page's rows: 0.29 s against
    0.41 s at 100 documents)."""
    return list(dict.fromkeys(sorted([(texts[s], texts[p], texts[o]) for s, p, o in triples])))


def row_lines(rows: Iterable[Row]) -> list[str]:
    """Each row of :func:`nt_rows` as its N-Triples line, with its line break."""
    return [f"{s} {p} {o} .\n" for s, p, o in rows]


def to_rdflib(term: Term) -> Node:
    """The rdflib term (a ``_:`` name is a blank node)."""
    if isinstance(term, Lit):
        if term.lang is not None:
            return Literal(term.lexical, lang=term.lang)
        if term.datatype is not None and term.datatype != XSD_STRING:
            return Literal(term.lexical, datatype=URIRef(term.datatype))
        return Literal(term.lexical)
    if term.startswith("_:"):
        return BNode(term[2:])
    return term if isinstance(term, URIRef) else URIRef(term)


def from_rdflib(term: Node) -> Term:
    """The plain term of an rdflib term."""
    if isinstance(term, Literal):
        datatype = str(term.datatype) if term.datatype is not None else None
        return Lit(str(term), datatype, term.language)
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)
