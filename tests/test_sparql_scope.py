"""The triples a query can match (toolkit/sparql_scope.py): the example queries answer the
same over those alone as over the whole graph."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.generate import generate_corpus
from toolkit import site_queries
from toolkit.config import load_config
from toolkit.model import Disclosure
from toolkit.quality import audit
from toolkit.rdf import corpus_triples
from toolkit.reading import read
from toolkit.site_serialize import ntriples_bytes
from toolkit.sparql_scope import matching_lines, predicates_matched
from toolkit.vocabularies import QUERIES_DIR

BP = "https://example.org/jixiao/ontology/bp/v1#"
EX = "PREFIX ex: <urn:ex:> "


def test_the_example_queries_match_the_model_but_not_the_quality_annotations():
    scope = predicates_matched(p.read_text(encoding="utf-8") for p in QUERIES_DIR.glob("*.rq"))
    assert scope is not None
    assert {f"{BP}projectCode", f"{BP}budgetTotal", "https://schema.org/value"} <= scope
    assert "http://www.w3.org/1999/02/22-rdf-syntax-ns#type" in scope  # "a bp:Indicator"
    assert f"{BP}percent" in scope  # only inside FILTER NOT EXISTS
    assert not {"http://www.w3.org/ns/oa#hasBody", f"{BP}hint", f"{BP}rule"} & scope


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
        ("ASK { ?s a ex:C }", {"http://www.w3.org/1999/02/22-rdf-syntax-ns#type"}),
        ("CONSTRUCT { ?s ex:z ?o } WHERE { ?s ex:a ?o }", {"urn:ex:a"}),
    ],
)
def test_a_query_naming_its_predicates_matches_only_those(query, predicates):
    assert predicates_matched([EX + query]) == predicates


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
    assert predicates_matched([EX + "SELECT * { ?s ex:a ?o }", EX + query]) is None


def test_matching_lines_keeps_exactly_the_lines_with_those_predicates(tmp_path):
    lines = [
        '<urn:s1> <urn:ex:a> "a b c" .',
        "_:b1 <urn:ex:b> <urn:o> .",
        '<urn:s2> <urn:ex:a> "x"@zh .',
        "<urn:s3> <urn:ex:ab> <urn:o> .",
        '_:b2 <urn:ex:a> "with <urn:ex:b> inside" .',
    ]
    path = tmp_path / "data.nt"
    path.write_bytes("\n".join(lines).encode())  # no newline at the end
    for block in (7, 40, 1 << 20):
        kept = b"".join(matching_lines(path, frozenset({"urn:ex:a"}), block=block))
        assert kept.decode().splitlines() == [lines[0], lines[2], lines[4]]
        kept = b"".join(matching_lines(path, frozenset({"urn:ex:b", "urn:ex:ab"}), block=block))
        assert kept.decode().splitlines() == [lines[1], lines[3]]


def _answers(dump: Path, monkeypatch: pytest.MonkeyPatch, *, whole: bool) -> list[object]:
    with monkeypatch.context() as patch:
        if whole:
            patch.setattr(site_queries, "predicates_matched", lambda texts: None)
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
