"""The fast SHACL engine (toolkit.shacl_core in Python, toolkit.shacl_sparql in oxigraph)
finds exactly what pyshacl finds: on every broken graph of tests/shapes, on the sample, and on
a generated corpus with violations planted; and it refuses shapes it does not implement."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph

from benchmarks.generate import generate_corpus
from toolkit.config import load_config
from toolkit.quality import audit
from toolkit.rdf import to_graph
from toolkit.reading import read
from toolkit.shacl import ValidationResult, shapes_graph, validate_graph, validate_graph_pyshacl
from toolkit.shacl_core import UnsupportedShape, compile_core
from toolkit.shacl_sparql import compile_shapes

from .test_shacl_shapes import CASES, PREFIXES, valid_graph

BASE = "https://example.org/jixiao"


def results(found: list[ValidationResult]) -> set[tuple[str, ...]]:
    return {
        (r.severity, r.focus, r.path or "", r.message_zh, r.message_en, r.component) for r in found
    }


@pytest.mark.parametrize("case", CASES, ids=[case.stem for case in CASES])
def test_every_broken_graph_gives_the_results_of_pyshacl(case: Path) -> None:
    graph = valid_graph()
    graph.update(PREFIXES + case.read_text(encoding="utf-8"))
    fast = results(validate_graph(graph))
    assert fast, "the broken graph passed"
    assert fast == results(validate_graph_pyshacl(graph))


def test_the_sample_gives_the_results_of_pyshacl(sample) -> None:
    graph = to_graph([sample], base=BASE, findings=audit([sample]))
    assert results(validate_graph(graph)) == results(validate_graph_pyshacl(graph))


# Several faults at once, each on a few nodes of a generated corpus.
PLANTED = """
DELETE { ?i bp:target ?t } WHERE {
    { SELECT ?i ?t WHERE { ?i bp:target ?t } ORDER BY ?i LIMIT 2 } } ;
DELETE { ?a schema:value ?v } INSERT { ?a schema:value 123.40 } WHERE {
    { SELECT ?a ?v WHERE { ?p bp:fiscalFunds ?a . ?a schema:value ?v } ORDER BY ?a LIMIT 2 } } ;
INSERT { ?p schema:name "another name"@zh } WHERE {
    { SELECT ?p WHERE { ?p a bp:Project } ORDER BY DESC(?p) LIMIT 1 } } ;
DELETE { ?e bp:percent ?v } INSERT { ?e bp:percent 150.5 } WHERE {
    { SELECT ?e ?v WHERE { ?e bp:percent ?v } ORDER BY ?e LIMIT 1 } } ;
DELETE { ?p bp:projectCode ?c } INSERT { ?p bp:projectCode "../escape" } WHERE {
    { SELECT ?p ?c WHERE { ?p bp:projectCode ?c } ORDER BY ?p LIMIT 1 } } ;
DELETE { ?i bp:sourceLastLine ?l } INSERT { ?i bp:sourceLastLine 0 } WHERE {
    { SELECT ?i ?l WHERE { ?i a bp:Indicator ; bp:sourceLastLine ?l }
      ORDER BY DESC(?i) LIMIT 1 } } ;
DELETE { ?t bp:targetKind ?k } INSERT { ?t bp:targetKind bp:Qualitative } WHERE {
    { SELECT ?t ?k WHERE { ?t bp:targetKind bp:Quantitative ; bp:targetKind ?k }
      ORDER BY ?t LIMIT 1 } } ;
DELETE { ?d bp:budgetYear ?y } INSERT { ?d bp:budgetYear "2020"^^xsd:integer } WHERE {
    { SELECT ?d ?y WHERE { ?d bp:budgetYear ?y } ORDER BY ?d LIMIT 1 } }
"""


def test_a_generated_corpus_with_planted_faults_gives_the_results_of_pyshacl(
    tmp_path: Path,
) -> None:
    generate_corpus(tmp_path, 3, seed=11, projects=(3, 4), indicators=(3, 4))
    config = load_config(tmp_path)
    disclosures = [read(path, metadata=meta) for path, meta in config.document_paths()]
    graph = to_graph(disclosures, base=BASE, findings=audit(disclosures, config.audit))
    assert results(validate_graph(graph)) == results(validate_graph_pyshacl(graph))
    graph.update(PREFIXES + PLANTED)
    fast = results(validate_graph(graph))
    assert len({message for *_, message, _ in fast}) >= 7, fast
    assert fast == results(validate_graph_pyshacl(graph))


def _shapes_with(extra: str) -> Graph:
    text = f"""@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <https://example.org/> .
    ex:S a sh:NodeShape ; sh:targetClass ex:C ; {extra} ."""
    return Graph().parse(data=text, format="turtle")


@pytest.mark.parametrize(
    "extra",
    [
        'sh:property [ sh:path ex:p ; sh:maxLength 3 ; sh:message "m" ]',
        'sh:property [ sh:path ex:p ; sh:node ex:T ; sh:message "m" ]',
        'sh:property [ sh:path ( ex:p ex:q ) ; sh:minCount 1 ; sh:message "m" ]',
        "sh:property [ sh:path ex:p ; sh:minCount 1 ]",
        "sh:closed true",
    ],
)
def test_a_component_the_engine_lacks_is_refused_not_skipped(extra: str) -> None:
    with pytest.raises(UnsupportedShape):
        compile_core(_shapes_with(extra))


def test_a_sparql_constraint_on_each_focus_node_is_refused() -> None:
    shapes = _shapes_with('sh:sparql [ sh:select "SELECT $this WHERE { $this ?p ?o }" ]')
    with pytest.raises(UnsupportedShape):
        compile_shapes(shapes)


def test_every_constraint_of_the_shapes_is_compiled() -> None:
    rules = compile_core(shapes_graph())
    assert sum(len(rule.components) for rule in rules) > 200
    assert len(compile_shapes(shapes_graph())) == 5
