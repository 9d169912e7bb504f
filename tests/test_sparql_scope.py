"""The triples a query can match (toolkit/sparql_scope.py): the example queries answer the
same over those alone as over the whole graph."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from benchmarks.generate import generate_corpus
from toolkit import site_queries
from toolkit.config import load_config
from toolkit.model import Disclosure
from toolkit.quality import audit
from toolkit.rdf import corpus_triples
from toolkit.rdf_text import Lit, nt_line
from toolkit.reading import read
from toolkit.site_serialize import ntriples_bytes
from toolkit.sparql_scope import in_scope, line_blocks, matching_lines, triples_matched
from toolkit.vocabularies import QUERIES_DIR

BP = "https://example.org/jixiao/ontology/bp/v1#"
EX = "PREFIX ex: <urn:ex:> "


RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def test_the_example_queries_match_the_model_but_not_the_quality_annotations():
    scope = triples_matched(p.read_text(encoding="utf-8") for p in QUERIES_DIR.glob("*.rq"))
    assert scope is not None
    assert {f"{BP}projectCode", f"{BP}budgetTotal", "https://schema.org/value"} <= set(scope)
    assert scope[RDF_TYPE] == {f"{BP}Indicator"}  # "a bp:Indicator", and no other type
    assert scope[f"{BP}percent"] is None  # only inside FILTER NOT EXISTS
    assert not {"http://www.w3.org/ns/oa#hasBody", f"{BP}hint", f"{BP}rule"} & set(scope)


@pytest.mark.parametrize(
    ("query", "predicates"),
    [
        ("SELECT * { ?s ex:a ?o }", {"urn:ex:a"}),
        ("SELECT * { ?s ex:a/ex:b ?o }", {"urn:ex:a", "urn:ex:b"}),
        ("SELECT * { ?s ex:a|^ex:b ?o }", {"urn:ex:a", "urn:ex:b"}),
        ("SELECT * { ?s ex:a+ ?o }", {"urn:ex:a"}),
        (
            "SELECT * { ?s ex:a ?o OPTIONAL { ?o ex:b ?x } MINUS { ?s ex:c ?y } }",
            {f"urn:ex:{c}" for c in "abc"},
        ),
        ("SELECT * { ?s ex:a ?o FILTER NOT EXISTS { ?o ex:b ?x } }", {"urn:ex:a", "urn:ex:b"}),
        ("SELECT ?s { { SELECT ?s { ?s ex:a ?o } } }", {"urn:ex:a"}),
        ('ASK { ?s ex:a "ex:C" }', {"urn:ex:a"}),  # a literal object: any object
        ("SELECT * { ?s ex:a/ex:b ex:C }", {"urn:ex:a", "urn:ex:b"}),  # a path: any object
        ("CONSTRUCT { ?s ex:z ?o } WHERE { ?s ex:a ?o }", {"urn:ex:a"}),
    ],
)
def test_a_query_naming_its_predicates_matches_only_those(query, predicates):
    assert triples_matched([EX + query]) == dict.fromkeys(predicates)


@pytest.mark.parametrize(
    ("queries", "scope"),
    [
        (["ASK { ?s a ex:C }"], {RDF_TYPE: {"urn:ex:C"}}),
        (["ASK { ?s a ex:C ; ex:a ex:D }"], {RDF_TYPE: {"urn:ex:C"}, "urn:ex:a": {"urn:ex:D"}}),
        (["ASK { ?s a ex:C }", "ASK { ?s a ex:D }"], {RDF_TYPE: {"urn:ex:C", "urn:ex:D"}}),
        (["ASK { ?s a ex:C }", "ASK { ?s a ?class }"], {RDF_TYPE: None}),
        (["ASK { ?s a ex:C FILTER EXISTS { ?s a ?c } }"], {RDF_TYPE: None}),
    ],
)
def test_a_pattern_naming_its_object_matches_only_triples_with_that_object(queries, scope):
    assert triples_matched([EX + q for q in queries]) == scope


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * { ?s ?p ?o }",
        "SELECT * { ?s ex:a ?o FILTER EXISTS { ?o ?p ?x } }",
        "SELECT * { ?s !ex:a ?o }",
        "SELECT * { ?s ex:a* ?o }",
        "SELECT * { ?s ex:a? ?o }",
        "SELECT * { GRAPH ?g { ?s ex:a ?o } }",
        "SELECT * { SERVICE <http://example.org/sparql> { ?s ex:a ?o } }",
        "DESCRIBE <urn:ex:x>",
        "SELECT * { ?s nope:a ?o }",  # unreadable here: Oxigraph will say why
    ],
)
def test_a_query_that_could_match_any_predicate_needs_the_whole_graph(query):
    assert triples_matched([EX + "SELECT * { ?s ex:a ?o }", EX + query]) is None


def test_matching_lines_keeps_exactly_the_lines_the_scope_can_match(tmp_path):
    lines = [
        '<urn:s1> <urn:ex:a> "a b c" .',
        "_:b1 <urn:ex:b> <urn:o> .",
        '<urn:s2> <urn:ex:a> "x"@zh .',
        "<urn:s3> <urn:ex:ab> <urn:o> .",
        '_:b2 <urn:ex:a> "with <urn:ex:b> inside" .',
        "<urn:s4> <urn:ex:b> <urn:p> .",
        "<urn:s5> <urn:ex:b> _:b1 .",
    ]
    path = tmp_path / "data.nt"
    path.write_bytes("\n".join(lines).encode())  # no newline at the end
    for block in (7, 40, 1 << 20):
        kept = b"".join(matching_lines(path, {"urn:ex:a": None}, block=block))
        assert kept.decode().splitlines() == [lines[0], lines[2], lines[4]]
        kept = b"".join(matching_lines(path, {"urn:ex:b": None, "urn:ex:ab": None}, block=block))
        assert kept.decode().splitlines() == [lines[1], lines[3], lines[5], lines[6]]
        kept = b"".join(matching_lines(path, {"urn:ex:b": frozenset({"urn:p"})}, block=block))
        assert kept.decode().splitlines() == [lines[5]]


@given(data=st.binary(max_size=200).map(lambda b: b.replace(b"\r", b"")), block=st.integers(1, 64))
def test_line_blocks_are_the_file_cut_between_lines(tmp_path_factory, data: bytes, block: int):
    path = tmp_path_factory.mktemp("blocks") / "data"
    path.write_bytes(data)
    blocks = list(line_blocks(path, block=block))
    assert b"".join(blocks) == data
    assert all(b.endswith(b"\n") for b in blocks[:-1])  # no line is cut
    assert all(blocks)


def test_in_scope_keeps_the_triples_whose_lines_matching_lines_keeps(sample, tmp_path):
    triples = corpus_triples([sample], base="https://example.org/jixiao", findings=audit([sample]))
    triples += [("_:b1", RDF_TYPE, Lit(BP + "Indicator")), ("_:b2", RDF_TYPE, "_:b3")]
    path = tmp_path / "data.nt"
    path.write_bytes(ntriples_bytes(triples))
    scope = site_queries.example_scope(QUERIES_DIR)
    assert scope is not None and scope[RDF_TYPE] == {BP + "Indicator"}
    kept = "".join(map(nt_line, in_scope(triples, scope))).encode()
    assert kept == b"".join(matching_lines(path, scope))
    assert 0 < kept.count(b"\n") < len(triples)


def _answers(dump: Path, monkeypatch: pytest.MonkeyPatch, *, whole: bool) -> list[object]:
    with monkeypatch.context() as patch:
        if whole:
            patch.setattr(site_queries, "triples_matched", lambda texts: None)
        shown = site_queries.run_queries(
            QUERIES_DIR, dump, base="https://example.org/jixiao", here="linked-data/"
        )
    return [(q.name, q.total, [[(c.html, c.sort) for c in row] for row in q.rows]) for q in shown]


def _dump(disclosures: list[Disclosure], path: Path) -> Path:
    triples = corpus_triples(
        disclosures, base="https://example.org/jixiao", findings=audit(disclosures)
    )
    path.write_bytes(ntriples_bytes(triples))
    return path


def test_the_example_queries_answer_the_same_over_their_triples_alone(
    sample: Disclosure, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    generate_corpus(tmp_path / "corpus", 4, seed=3)
    config = load_config(tmp_path / "corpus" / "jixiao.toml")
    generated = [read(path, metadata=meta) for path, meta in config.document_paths()]
    for name, disclosures in (("sample", [sample]), ("generated", generated)):
        dump = _dump(disclosures, tmp_path / f"{name}.nt")
        whole = _answers(dump, monkeypatch, whole=True)
        assert all(total for _, total, _ in whole), name  # every query finds something
        assert _answers(dump, monkeypatch, whole=False) == whole, name
