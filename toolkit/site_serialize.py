"""A page's RDF as Turtle and as JSON-LD: the dumps' own chunk serialisation
(:mod:`toolkit.rdf_dump`), so a page and the dumps write the same triples the same way.

A page holds a few hundred triples; each is one chunk written whole: Turtle with the prefixes
its IRIs use, JSON-LD with the project's context (``ontology/context.jsonld``) and its terms
as compact IRIs. The output is the same text on every run and describes exactly the triples
given (the site tests parse both and compare them). Triples are plain terms
(:mod:`toolkit.rdf_text`), as the writer states them.
"""

from __future__ import annotations

from collections.abc import Iterable

from toolkit.rdf_dump import serialize_chunk, whole_document
from toolkit.rdf_text import Triple, nt_line

__all__ = ["ntriples_bytes", "page_texts"]


def page_texts(triples: Iterable[Triple]) -> tuple[str, str]:
    """``triples`` as Turtle and as JSON-LD, from one serialisation of the chunk."""
    chunk = serialize_chunk(triples)
    return (
        whole_document(chunk, "ttl").decode("utf-8"),
        whole_document(chunk, "jsonld").decode("utf-8"),
    )


def ntriples_bytes(triples: Iterable[Triple]) -> bytes:
    """``triples`` as N-Triples, in no particular order: for loading a store, not for
    publishing."""
    return "".join(map(nt_line, triples)).encode("utf-8")
