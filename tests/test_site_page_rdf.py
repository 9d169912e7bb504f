"""The RDF files of the site's pages, serialised a disclosure at a time
(toolkit.site_serialize.pages_files, toolkit.rdf_dump.serialize_chunks) or read from the
build's dumps (toolkit.rdf_dump.serialize_pages, DumpWriter, DumpedPages): each page is the
same text as when serialised alone, which is oxigraph's layout of its own triples."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import RDF

import toolkit.rdf_groups
import toolkit.site_generate
import toolkit.site_queries
from toolkit.build import build
from toolkit.config import load_config
from toolkit.iris import page_graphs
from toolkit.quality import audit
from toolkit.rdf import corpus_triples
from toolkit.rdf_dump import (
    DumpedPages,
    DumpWriter,
    _context,
    _prefixes,
    _words,
    serialize_chunk,
    serialize_chunks,
    serialize_pages,
    whole_document,
)
from toolkit.rdf_text import Lit, NtTexts, Triple, nt_term
from toolkit.site_generate import _findings_by_disclosure
from toolkit.site_queries import run_queries
from toolkit.site_rdf import disclosure_pages, disclosure_path, project_path
from toolkit.site_serialize import pages_files
from toolkit.vocabularies import QUERIES_DIR

from .test_rdf_groups import (
    AWKWARD,
    BASE,
    XSD,
    _disclosures,
    _oxigraph_jsonld,
    _oxigraph_turtle,
    corpus,  # noqa: F401 (a fixture)
)

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
    pages = {
        "project/2020/A-1/": [triples[0], triples[1], triples[4], triples[6]],
        "department/917/": [triples[3], triples[7]],
    }
    assert page_graphs(triples, BASE + "/") == pages
    outside: list[Triple] = []
    assert page_graphs(triples, BASE, outside=outside) == pages
    assert outside == [triples[2], triples[5]]


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


def _documents_alone(pages: dict) -> dict:
    return {key: _alone(triples) for key, triples in pages.items()}


def _dumped(folder: Path, parts: list[dict]) -> DumpedPages:
    """``parts`` (pages by key, one dict per chunk) written as the build writes its dumps."""
    with DumpWriter(folder) as dump:
        for index, pages in enumerate(parts):
            chunk, slices = serialize_pages(pages)
            stem = folder / f"part-{index}"
            for fmt in ("ttl", "nt", "jsonld"):
                stem.with_name(f"{stem.name}.{fmt}").write_bytes(getattr(chunk, fmt))
            dump.add_parts(stem, chunk.prefixes, chunk.triples, slices)
        dump.close()
    return DumpedPages(folder, dump.slices)


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    pages_of=st.lists(st.integers(0, 6), min_size=1, max_size=40),
    cuts=st.lists(st.integers(0, 6), max_size=3),
)
def test_each_page_read_from_the_dumps_is_the_page_serialised_alone(
    sample, tmp_path_factory, pages_of: list[int], cuts: list[int]
) -> None:
    """Subjects of the pool on up to seven pages (one holding every triple of its subjects),
    the pages in up to four chunks of the dumps."""
    pool = _pool(sample)
    subjects = list(dict.fromkeys(s for s, _, _ in pool))
    page_of = {s: pages_of[n % len(pages_of)] for n, s in enumerate(subjects)}
    pages: dict[int, list[Triple]] = {}
    for triple in pool:
        pages.setdefault(page_of[triple[0]], []).append(triple)
    keys = sorted(pages)
    bounds = sorted({0, len(keys), *(c % (len(keys) + 1) for c in cuts)})
    parts = [{k: pages[k] for k in keys[a:b]} for a, b in pairwise(bounds)]
    dumped = _dumped(tmp_path_factory.mktemp("dumps"), parts)
    assert dumped.documents(keys) == _documents_alone(pages)
    whole = serialize_chunk(pool)
    assert (dumped.folder / "data.nt").read_bytes().count(b"\n") == whole.triples


def test_pages_without_a_prefix_are_read_whole_from_dumps_without_one(tmp_path) -> None:
    """Turtle without a prefix starts with the first statement, not a blank line."""
    pages = {
        "a": [("urn:x:a", "urn:p:p", Lit("1")), ("urn:x:a", "urn:p:q", "urn:x:b")],
        "b": [("urn:x:b", "urn:p:p", Lit("2", lang="zh"))],
    }
    dumped = _dumped(tmp_path, [{"a": pages["a"]}, {"b": pages["b"]}])
    assert not (tmp_path / "data.ttl").read_bytes().startswith((b"\n", b"@prefix"))
    assert dumped.documents(["b", "a"]) == _documents_alone(pages)


@pytest.fixture(scope="module")
def built(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list]:  # noqa: F811
    """The corpus built in groups of a few documents, its site not stating any page's RDF
    nor reading the whole dump for the example queries; and the queries' results shown."""
    folder = tmp_path_factory.mktemp("built")
    patch = pytest.MonkeyPatch()
    patch.setattr(toolkit.rdf_groups, "GROUP_INDICATORS", 40)

    def done_again(*args: object) -> None:
        raise AssertionError("a page's RDF was stated again, or the dump read again")

    patch.setattr(toolkit.site_generate, "disclosure_pages", done_again)
    patch.setattr(toolkit.site_queries, "matching_lines", done_again)
    shown = []
    data_pages = toolkit.site_generate._data_pages

    def keep_queries(*args: object, **kwargs: Any) -> None:
        shown.extend(kwargs["queries"])
        data_pages(*args, **kwargs)

    patch.setattr(toolkit.site_generate, "_data_pages", keep_queries)
    try:
        build(load_config(corpus), output=folder, jobs=1)
    finally:
        patch.undo()
    return folder, shown


def _shown(queries: list) -> list:
    return [(q.name, q.total, [[(c.html, c.sort) for c in row] for row in q.rows]) for q in queries]


def test_the_example_queries_of_a_build_load_only_the_triples_they_can_match(
    corpus: Path,  # noqa: F811
    built: tuple[Path, list],
) -> None:
    folder, shown = built
    base = load_config(corpus).site.base_url
    from_dump = run_queries(QUERIES_DIR, folder / "rdf" / "data.nt", base=base, here="linked-data/")
    assert _shown(shown) == _shown(from_dump)
    assert all(query.total for query in shown)
    assert not [p.name for p in folder.iterdir() if p.name.startswith(".")]


def test_the_build_serves_each_pages_rdf_from_the_dumps_as_the_site_alone_states_it(
    corpus: Path,  # noqa: F811
    built: tuple[Path, list],
) -> None:
    config = load_config(corpus)
    disclosures = _disclosures(corpus)
    findings = _findings_by_disclosure(disclosures, audit(disclosures, config.audit))
    site = built[0] / "site"
    checked = 0
    for d, own in zip(disclosures, findings, strict=True):
        stated = disclosure_pages(d, own, config.site.base_url)
        pages = {(disclosure_path(d), "disclosure"): stated[disclosure_path(d)]}
        pages |= {(project_path(d, p), "project"): stated[project_path(d, p)] for p in d.projects}
        for (here, stem), (turtle, jsonld) in pages_files(pages).items():
            assert (site / here / f"{stem}.ttl").read_bytes() == turtle, here
            assert (site / here / f"{stem}.jsonld").read_bytes() == jsonld, here
            checked += 1
    assert checked == len(disclosures) + sum(len(d.projects) for d in disclosures)
