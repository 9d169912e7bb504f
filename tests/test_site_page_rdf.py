"""The RDF files of the site's pages, serialised a disclosure at a time
(toolkit.site_serialize.pages_files, toolkit.rdf_dump.serialize_chunks): each page is the
same text as when serialised alone, which is oxigraph's layout of its own triples."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import RDF

from toolkit.quality import audit
from toolkit.rdf import corpus_triples
from toolkit.rdf_dump import (
    _context,
    _prefixes,
    _words,
    serialize_chunk,
    serialize_chunks,
    whole_document,
)
from toolkit.rdf_text import Lit, NtTexts, Triple, nt_term
from toolkit.site_rdf import disclosure_pages, page_graphs
from toolkit.site_serialize import pages_files

from .test_rdf_groups import AWKWARD, BASE, XSD, _oxigraph_jsonld, _oxigraph_turtle

# Terms a page may hold besides the sample's: a node whose only class is a literal, one
# with two literal classes, one with two IRI classes, an IRI under a prefix with a local
# name Turtle must escape, a literal holding the text of a namespace (it makes its page
# declare the prefix, unused).
ODD: list[Triple] = [
    (f"{BASE}/e", str(RDF.type), Lit("only a literal class")),
    (f"{BASE}/b", str(RDF.type), Lit("a literal class")),
    (f"{BASE}/b", str(RDF.type), Lit("another", lang="zh")),
    (f"{BASE}/c", str(RDF.type), "https://schema.org/Thing"),
    (f"{BASE}/c", str(RDF.type), "http://www.w3.org/ns/org#Organization"),
    (f"{BASE}/c", "https://schema.org/name", Lit("<https://schema.org/ is a namespace")),
    (f"{BASE}/c", "https://schema.org/url", "https://schema.org/a~b/c.d"),
    (f"{BASE}/d#x", "https://schema.org/value", Lit("-0.50", f"{XSD}decimal")),
]


def _sample_pages(sample) -> dict[str, list[Triple]]:
    return disclosure_pages(sample, audit([sample]), BASE)


def _alone(triples: list[Triple]) -> tuple[bytes, bytes]:
    chunk = serialize_chunk(triples)
    return whole_document(chunk, "ttl"), whole_document(chunk, "jsonld")


def test_the_sample_pages_serialised_together_are_each_as_serialised_alone(sample) -> None:
    pages = _sample_pages(sample)
    assert len(pages) >= 17  # the disclosure, its department and 15 projects
    together = pages_files(pages)
    assert list(together) == list(pages)
    for path, triples in pages.items():
        assert together[path] == _alone(triples), path


def test_each_page_serialised_together_is_oxigraphs_layout_of_its_own_triples(sample) -> None:
    """The shared wording must not leak one page's prefixes into another's text."""
    groups = [*_sample_pages(sample).values(), AWKWARD, ODD, AWKWARD[:3] + ODD[4:]]
    namespaces = {name: iri for name, iri in _context().items() if isinstance(iri, str)}
    for chunk in serialize_chunks(groups):
        prefixes = {name: namespaces[name] for name in chunk.prefixes}
        assert chunk.ttl == _oxigraph_turtle(chunk.nt, prefixes)
        assert chunk.jsonld == _oxigraph_jsonld(chunk.nt)


def test_pages_declare_only_the_prefixes_their_own_text_uses(sample) -> None:
    pages = list(_sample_pages(sample).values())
    chunks = serialize_chunks([*pages, ODD])
    project = next(c for c in chunks if b"bp:Project" in c.ttl)
    assert "org" in chunks[-1].prefixes and "org" not in project.prefixes
    assert "schema" in chunks[-1].prefixes
    for chunk in chunks:
        lines = whole_document(chunk, "ttl").splitlines()
        declared = {line.split()[1][:-1].decode() for line in lines if line.startswith(b"@prefix")}
        text = chunk.nt.decode()
        assert declared == chunk.prefixes
        assert declared == {name for iri, name in _prefixes().items() if f"<{iri}" in text}


def test_a_terms_words_depend_only_on_the_namespaces_of_its_own_text(sample) -> None:
    """Every chunk holding a term declares the namespaces its N-Triples text starts with,
    and maybe others: the words under those alone are the words under all of them."""
    texts = NtTexts()
    for s, p, o in [*corpus_triples([sample], base=BASE), *AWKWARD, *ODD]:
        texts[s], texts[p], texts[o]
    everything = {name: iri for iri, name in _prefixes().items()}
    under_all: dict = {}
    _words(texts.items(), everything, under_all)
    assert len(under_all) == len(set(texts.values())) > 300
    for term, text in texts.items():
        own = {name: iri for iri, name in _prefixes().items() if f"<{iri}" in text}
        alone: dict = {}
        _words([(term, text)], own, alone)
        assert alone[text] == under_all[text], text


def test_page_graphs_groups_each_subjects_triples_wherever_they_come() -> None:
    project = f"{BASE}/project/2020/A-1"
    triples: list[Triple] = [
        (project, "urn:p", Lit("1")),
        (f"{project}#indicator-1", "urn:p", Lit("2")),
        ("https://elsewhere.org/x", "urn:p", Lit("3")),
        (f"{BASE}/department/917", "urn:p", Lit("4")),
        (project, "urn:q", Lit("5")),
        ("https://elsewhere.org/x", "urn:q", Lit("6")),
        (f"{project}#indicator-1", "urn:q", Lit("7")),
        (f"{BASE}/department/917/", "urn:q", Lit("8")),
    ]
    assert page_graphs(triples, BASE + "/") == {
        "project/2020/A-1/": [triples[0], triples[1], triples[4], triples[6]],
        "department/917/": [triples[3], triples[7]],
    }


def _pool(sample) -> list[Triple]:
    triples = corpus_triples([sample], base=BASE)
    return [*triples[:: max(1, len(triples) // 150)], *AWKWARD, *ODD]


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(placed=st.lists(st.tuples(st.integers(0, 10_000), st.integers(0, 5)), max_size=60))
def test_any_triples_split_into_any_pages_serialise_as_each_page_alone(
    sample, placed: list[tuple[int, int]]
) -> None:
    """Triples of the pool (the sample's and the odd ones) on up to six pages."""
    pool = _pool(sample)
    groups: list[list[Triple]] = [[] for _ in range(6)]
    for index, page in placed:
        groups[page].append(pool[index % len(pool)])
    together = serialize_chunks(groups)
    assert together == [serialize_chunk(group) for group in groups]
    for chunk, group in zip(together, groups, strict=True):
        assert chunk.triples == len({tuple(nt_term(t) for t in triple) for triple in group})
