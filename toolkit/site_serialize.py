"""A page's RDF as Turtle and as JSON-LD: the dumps' own chunk serialisation
(:mod:`toolkit.rdf_dump`), so a page and the dumps write the same triples the same way.

A page holds a few hundred triples; each is one chunk written whole: Turtle with the prefixes
its IRIs use, JSON-LD with the project's context (``ontology/context.jsonld``) and its terms
as compact IRIs. The output is the same text on every run and describes exactly the triples
given (the site tests parse both and compare them). Triples are plain terms
(:mod:`toolkit.rdf_text`), as the writer states them. The pages of one disclosure are
serialised together (:func:`pages_files`): they share most of their terms, which are then
worded once, and each page is the same text as it is alone.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TypeVar

from toolkit.rdf_dump import serialize_chunks, whole_document
from toolkit.rdf_text import Triple, nt_line

__all__ = ["ntriples_bytes", "pages_files"]

K = TypeVar("K")


def pages_files(pages: Mapping[K, Iterable[Triple]]) -> dict[K, tuple[bytes, bytes]]:
    """Each page's triples as the bytes of its Turtle and JSON-LD files, by the page's key:
    for each page the whole document of its own chunk (what it gives alone), at the cost of
    wording each term the pages share once."""
    chunks = serialize_chunks(pages.values(), lines=False)
    return {
        key: (whole_document(chunk, "ttl"), whole_document(chunk, "jsonld"))
        for key, chunk in zip(pages, chunks, strict=True)
    }


def ntriples_bytes(triples: Iterable[Triple]) -> bytes:
    """``triples`` as N-Triples, in no particular order: for loading a store, not for
    publishing."""
    return "".join(map(nt_line, triples)).encode("utf-8")
