"""The build's RDF by groups of documents (toolkit.rdf_groups, toolkit.rdf_dump): the dumps
written chunk by chunk describe exactly the graph of ``to_graph``, whatever ``jobs`` is."""

from __future__ import annotations

import json
import re
import warnings
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import given
from hypothesis import strategies as st
from rdflib import RDF, Graph, URIRef
from rdflib.compare import isomorphic

import toolkit.rdf_groups
from benchmarks.generate import generate_corpus
from toolkit import iris
from toolkit.build import build
from toolkit.config import load_config
from toolkit.quality import audit
from toolkit.rdf import corpus_triples, part_iri, to_graph, years_of
from toolkit.rdf_dump import _context, serialize_chunk, whole_document
from toolkit.rdf_groups import plan_groups
from toolkit.rdf_text import Lit, nt_line, nt_lines
from toolkit.reading import read
from toolkit.shacl import validate_graph_pyshacl

BASE = "https://example.org/jixiao"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Eight generated documents: three departments over several years."""
    folder = tmp_path_factory.mktemp("corpus")
    generate_corpus(folder, 8, seed=5, projects=(3, 6), indicators=(3, 6))
    return folder


def _disclosures(corpus: Path) -> list:
    return [read(path, metadata=meta) for path, meta in load_config(corpus).document_paths()]


def _parse(path: Path) -> Graph:
    with warnings.catch_warnings():
        # rdflib 7's JSON-LD parser builds a deprecated ConjunctiveGraph internally.
        warnings.filterwarnings("ignore", "ConjunctiveGraph is deprecated", DeprecationWarning)
        return Graph().parse(
            path, format={".jsonld": "json-ld", ".nt": "nt"}.get(path.suffix, "turtle")
        )


def test_groups_keep_every_document_in_order_and_stay_small(corpus: Path, tmp_path: Path) -> None:
    disclosures = _disclosures(corpus) * 40
    tasks = plan_groups(
        disclosures, [], {}, base=BASE, build_time=datetime(2026, 1, 1, tzinfo=UTC),
        parts=tmp_path,
    )  # fmt: skip
    spans = [task.disclosures for task in tasks]
    assert [d for span in spans for d in span] == disclosures
    limit = toolkit.rdf_groups.GROUP_INDICATORS
    assert len(spans) > 1
    assert all(sum(d.indicator_count for d in span[:-1]) < limit for span in spans)
    assert [task.documents for task in tasks] == [len(span) for span in spans]


def test_a_department_is_stated_by_the_first_group_that_has_it(
    corpus: Path, tmp_path: Path
) -> None:
    disclosures = _disclosures(corpus)
    tasks = plan_groups(
        disclosures, [], {}, base=BASE, build_time=datetime(2026, 1, 1, tzinfo=UTC),
        parts=tmp_path,
    )  # fmt: skip
    seen: set[str] = set()
    for task in tasks:
        assert task.stated_before == seen
        seen |= {d.department_code for d in task.disclosures}


@pytest.fixture(scope="module")
def builds(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[int, Path]:
    """The corpus built with one and with two jobs, in groups of a few documents each."""
    out = {}
    patch = pytest.MonkeyPatch()
    patch.setattr(toolkit.rdf_groups, "GROUP_INDICATORS", 40)
    try:
        for jobs in (1, 2):
            out[jobs] = tmp_path_factory.mktemp(f"build-{jobs}")
            build(load_config(corpus), output=out[jobs], jobs=jobs, skip=["site"])
    finally:
        patch.undo()
    return out


def test_the_dumps_are_the_same_bytes_whatever_jobs_is(builds: dict[int, Path]) -> None:
    for name in ("data.ttl", "data.nt", "data.jsonld", "catalog.ttl"):
        assert (builds[1] / "rdf" / name).read_bytes() == (builds[2] / "rdf" / name).read_bytes()


def test_the_dumps_written_by_groups_are_the_graph_of_to_graph(
    corpus: Path, builds: dict[int, Path]
) -> None:
    config = load_config(corpus)
    disclosures = _disclosures(corpus)
    expected = to_graph(
        disclosures, base=config.site.base_url, findings=audit(disclosures, config.audit),
        build_time=config.build_time(),
    )  # fmt: skip
    folder = builds[2] / "rdf"
    for name in ("data.nt", "data.ttl", "data.jsonld"):
        assert isomorphic(_parse(folder / name), expected), name
    lines = (folder / "data.nt").read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(set(lines)) == len(expected), "a triple stated in two chunks"
    report = json.loads((builds[2] / "report.json").read_text(encoding="utf-8"))
    assert report["totals"]["triples"] == len(expected)
    assert report["validation"]["rdf"]["ok"]


def test_a_chunk_alone_is_the_whole_document(sample) -> None:
    triples = corpus_triples([sample], base=BASE)
    chunk = serialize_chunk(triples)
    expected = to_graph([sample], base=BASE)
    assert chunk.triples == len(expected)
    for fmt, parser in (("ttl", "turtle"), ("nt", "nt"), ("jsonld", "json-ld")):
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", "ConjunctiveGraph is deprecated", DeprecationWarning)
            graph = Graph().parse(data=whole_document(chunk, fmt).decode(), format=parser)
        assert isomorphic(graph, expected), fmt


def test_the_jsonld_names_terms_by_the_prefixes_of_the_context(sample) -> None:
    document = json.loads(
        whole_document(serialize_chunk(corpus_triples([sample], base=BASE)), "jsonld")
    )
    project = next(n for n in document["@graph"] if "bp:Project" in n.get("@type", []))
    assert project["schema:name"] == [
        {"@language": "zh", "@value": project["schema:name"][0]["@value"]}
    ]
    assert "bp:indicator" in project


def test_a_literal_that_looks_like_an_iri_is_left_as_written() -> None:
    triples = [(f"{BASE}/x", "https://schema.org/name", Lit('{"https://schema.org/name'))]
    text = whole_document(serialize_chunk(triples), "jsonld").decode()
    assert json.loads(text)["@graph"][0]["schema:name"] == [{"@value": '{"https://schema.org/name'}]


def test_part_iris_are_those_of_toolkit_iris() -> None:
    parent = iris.project_iri_for(BASE, 2020, "A-1")
    assert part_iri(parent, "indicator-1") == str(iris.part_iri(parent, "indicator-1"))


def test_years_of_lists_each_departments_years(sample) -> None:
    assert years_of([sample]) == {sample.department_code: {sample.year}}


def test_a_groups_problems_are_worded_as_pyshacl_words_them(sample, tmp_path: Path) -> None:
    """The SPARQL constraints' messages name values (60.40, not oxigraph's 60.4): a group's
    worker words them on the offending pages, and must give pyshacl's words."""
    project = sample.projects[0]
    funds = (project.fiscal_funds or 0) + Decimal("1.10")
    plan = [e.model_copy(update={"percent": Decimal("30.00")}) for e in project.spending_plan]
    broken = project.model_copy(update={"fiscal_funds": funds, "spending_plan": plan})
    disclosure = sample.model_copy(update={"projects": [broken, *sample.projects[1:]]})
    build_time = datetime(2026, 1, 1, tzinfo=UTC)
    [task] = plan_groups([disclosure], [], {}, base=BASE, build_time=build_time, parts=tmp_path)
    problems = toolkit.rdf_groups.run_group(task).problems
    graph = to_graph([disclosure], base=BASE, build_time=build_time)
    expected = [r.problem() for r in validate_graph_pyshacl(graph)]
    assert len({p.message for p in expected}) >= 2
    assert sorted(set(problems), key=repr) == sorted(set(expected), key=repr)


# The layout the dumps keep: oxigraph's Turtle and JSON-LD of the chunk's N-Triples (as the
# dumps were once written), with the prefixes of the context made compact in the JSON-LD.
_PREFIX_LINE = re.compile(rb"^@prefix [^\n]*\n", re.MULTILINE)
_BLOCK = re.compile(rb"\n(?=[^\t\n])")
_IRI_START = re.compile(rb'(\{"|,"|"@id":"|"@type":")(https?://[^"]*[#/])')
_TYPES = re.compile(rb'"rdf:type":\[((?:\{"@id":"[^"\\]*"\},?)+)\]')


def _oxigraph_turtle(nt: bytes, prefixes: dict[str, str]) -> bytes:
    quads = ox.parse(nt, format=ox.RdfFormat.N_TRIPLES)
    body = _PREFIX_LINE.sub(b"", ox.serialize(quads, format=ox.RdfFormat.TURTLE, prefixes=prefixes))
    return b"\n" + _BLOCK.sub(b"\n\n", body.strip(b"\n")) + b"\n"


def _oxigraph_jsonld(nt: bytes) -> bytes:
    names = {iri: name for name, iri in _context().items() if isinstance(iri, str)}

    def compact(match: re.Match[bytes]) -> bytes:
        name = names.get(match.group(2).decode())
        return match.group(1) + (f"{name}:".encode() if name else match.group(2))

    def types(match: re.Match[bytes]) -> bytes:
        return b'"@type":[' + b",".join(re.findall(rb'\{"@id":("[^"]*")\}', match.group(1))) + b"]"

    body = ox.serialize(ox.parse(nt, format=ox.RdfFormat.N_TRIPLES), format=ox.RdfFormat.JSON_LD)
    return _TYPES.sub(types, _IRI_START.sub(compact, body))[1:-1]


XSD = "http://www.w3.org/2001/XMLSchema#"
AWKWARD = [
    (f"{BASE}/a", str(RDF.type), Lit("a literal class")),
    (f"{BASE}/a", str(RDF.type), "https://schema.org/Thing"),
    (
        URIRef(f"{BASE}/a"),
        "https://schema.org/name",
        Lit('引号"、反斜杠\\、换行\n回车\r制表\t', lang="zh"),
    ),
    (f"{BASE}/a", "https://schema.org/name", Lit("\x01\x7f\u2028 ; , .", lang="EN-us")),
    (f"{BASE}/a", "urn:x:p", "_:b1"),
    ("_:b1", "https://schema.org/value", Lit("25.00", f"{XSD}decimal")),
    ("_:b1", "https://schema.org/value", Lit("+1", f"{XSD}integer")),
    ("_:b1", "https://schema.org/value", Lit("1.", f"{XSD}decimal")),
    ("_:b12", "https://schema.org/value", Lit("1e3", f"{XSD}double")),
    ("_:b12", "https://schema.org/value", Lit("1", f"{XSD}boolean")),
    ("_:b12", "https://schema.org/value", Lit("true", f"{XSD}boolean")),
    ("_:b12", "https://schema.org/value", Lit("x", f"{XSD}string")),
    ("https://schema.org/", "https://schema.org/url", Lit("2020", f"{XSD}gYear")),
    ("https://schema.org/a.b", "https://schema.org/url", "https://schema.org/-a%20(b)"),
    ("https://schema.org/a.b", "https://other.org/p", Lit("x", "https://other.org/type")),
]


def test_turtle_and_jsonld_are_oxigraphs_layout_byte_for_byte(sample) -> None:
    """Each term is worded once and the blocks joined in Python: the text must be what
    oxigraph writes for the chunk, escapes, prefixed names, bare numbers and all."""
    for triples in (AWKWARD, corpus_triples([sample], base=BASE) + AWKWARD):
        chunk = serialize_chunk(triples)
        namespaces = {name: iri for name, iri in _context().items() if isinstance(iri, str)}
        prefixes = {name: namespaces[name] for name in chunk.prefixes}
        assert chunk.ttl == _oxigraph_turtle(chunk.nt, prefixes)
        assert chunk.jsonld == _oxigraph_jsonld(chunk.nt)
        assert [f"{line}\n" for line in chunk.nt.decode().split("\n")[:-1]] == nt_lines(triples)


def test_nt_lines_are_the_sorted_distinct_lines_whatever_the_term_types() -> None:
    doubled = AWKWARD + [(URIRef(s), p, o) for s, p, o in reversed(AWKWARD)]
    assert nt_lines(doubled) == sorted({nt_line(t) for t in AWKWARD})


# Terms whose texts start one another: short names and labels, literals that differ only by
# their tag or datatype, texts with quotes, backslashes and control characters.
_NAMES = st.text("ab1", min_size=1, max_size=3)
_SUBJECTS = st.one_of(_NAMES.map(lambda n: f"_:{n}"), _NAMES.map(lambda n: f"urn:x:{n}"))
_OBJECTS = st.one_of(
    _SUBJECTS,
    st.builds(
        Lit,
        st.text('a"\\\t\n\r\x01 <>', max_size=4),
        st.sampled_from([None, "urn:x:d", "urn:x:d1"]),
    ),
    st.builds(Lit, st.text("a ", max_size=2), st.none(), st.sampled_from(["zh", "zh-cn"])),
)


@given(st.lists(st.tuples(_SUBJECTS, _NAMES.map(lambda n: f"urn:p:{n}"), _OBJECTS)))
def test_sorting_the_terms_sorts_the_lines(triples: list[tuple[str, str, Lit | str]]) -> None:
    assert nt_lines(triples) == sorted({nt_line(t) for t in triples})
