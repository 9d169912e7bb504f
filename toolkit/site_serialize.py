"""A page's RDF as Turtle and as JSON-LD: the dumps' own chunk serialisation
(:mod:`toolkit.rdf_dump`), so a page and the dumps write the same triples the same way.

A page holds a few hundred triples; each is one chunk written whole: Turtle with the prefixes
its IRIs use, JSON-LD with the project's context (``ontology/context.jsonld``) and its terms
as compact IRIs. The output is the same text on every run and describes exactly the triples
given (the site tests parse both and compare them).
"""

from __future__ import annotations

from collections.abc import Iterable

from rdflib.term import Node

from toolkit.rdf_dump import serialize_chunk, whole_document
from toolkit.rdf_text import Triple as PlainTriple
from toolkit.rdf_text import from_rdflib, nt_line

__all__ = ["jsonld_text", "ntriples_bytes", "turtle_text"]

Triple = tuple[Node, Node, Node]


def _plain(triples: Iterable[Triple]) -> list[PlainTriple]:
    return [(from_rdflib(s), str(p), from_rdflib(o)) for s, p, o in triples]  # type: ignore[misc]


def turtle_text(triples: Iterable[Triple]) -> str:
    """``triples`` as Turtle: the prefixes they use, then one block per subject."""
    return whole_document(serialize_chunk(_plain(triples)), "ttl").decode("utf-8")


def jsonld_text(triples: Iterable[Triple]) -> str:
    """``triples`` as JSON-LD: the project's context and one node object per subject."""
    return whole_document(serialize_chunk(_plain(triples)), "jsonld").decode("utf-8")


def ntriples_bytes(triples: Iterable[Triple]) -> bytes:
    """``triples`` as N-Triples, in no particular order: for loading a store, not for
    publishing."""
    return "".join(nt_line(t) for t in _plain(triples)).encode("utf-8")
