"""Each shape catches what it is for: tests/shapes/invalid/ holds one SPARQL Update per case,
applied to tests/shapes/valid.ttl; the broken graph must fail with exactly the case's
expected message (and no other), at the expected severity."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.compare import isomorphic
from rdflib.namespace import OWL, RDF, SH

from toolkit.model import Disclosure, ParseWarning
from toolkit.quality.finding import Finding
from toolkit.rdf import to_graph
from toolkit.shacl import shapes_graph, validate_graph
from toolkit.vocabularies import ONTOLOGY_FILE

SHAPES = Path(__file__).resolve().parent / "shapes"
CASES = sorted((SHAPES / "invalid").glob("*.ru"))
PREFIXES = """
BASE <https://example.org/jixiao/>
PREFIX bp: <https://example.org/jixiao/ontology/bp/v1#>
PREFIX bpc: <https://example.org/jixiao/ontology/bp/v1/category/>
PREFIX dcat: <http://www.w3.org/ns/dcat#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX qudt: <http://qudt.org/schema/qudt/>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX schema: <https://schema.org/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX spdx: <http://spdx.org/rdf/terms#>
PREFIX unit: <http://qudt.org/vocab/unit/>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
"""


def valid_graph() -> Graph:
    return Graph().parse(SHAPES / "valid.ttl", format="turtle")


def header(case: Path, key: str) -> str | None:
    match = re.search(rf"^# {key}: (.+)$", case.read_text(encoding="utf-8"), re.MULTILINE)
    return match.group(1).strip() if match else None


def test_the_case_folder_holds_every_case() -> None:
    assert len(CASES) == 39


def test_every_shape_of_shapes_ttl_has_a_target_and_a_broken_graph() -> None:
    shapes = shapes_graph()
    node_shapes = {
        shapes.namespace_manager.normalizeUri(s) for s in shapes.subjects(RDF.type, SH.NodeShape)
    }
    for shape in node_shapes:
        iri = shapes.namespace_manager.expand_curie(shape)
        targets = shapes.value(iri, SH.targetClass) or shapes.value(iri, SH.targetNode)
        assert targets is not None, f"{shape} validates nothing"
    covered = {header(case, "shape") for case in CASES}
    assert node_shapes <= covered, f"no broken graph for {node_shapes - covered}"


def test_every_class_of_the_ontology_is_the_target_of_a_shape() -> None:
    ontology = Graph().parse(ONTOLOGY_FILE)
    classes = set(ontology.subjects(RDF.type, OWL.Class))
    targeted = set(shapes_graph().objects(None, SH.targetClass))
    assert len(classes) == 13
    assert classes <= targeted, classes - targeted


def test_valid_graph_conforms_with_no_result() -> None:
    assert validate_graph(valid_graph()) == []


def test_valid_graph_is_the_trimmed_sample(sample: Disclosure) -> None:
    """valid.ttl is what to_graph writes for the sample's third project, cut down."""
    project = sample.projects[2].model_copy(
        update={"indicators": sample.projects[2].indicators[:2]}
    )
    trimmed = sample.model_copy(
        update={
            "projects": [project],
            "itemised_goals": sample.itemised_goals[:1],
            "safeguard_measures": sample.safeguard_measures[:1],
            "overall_goal": (sample.overall_goal or "")[:20],
            "warnings": [ParseWarning(message="an unplaced line", line=12)],
        }
    )
    finding = Finding(
        rule="DQ10",
        severity="warning",
        department_code="917003",
        year=2020,
        project_code=project.code,
        indicator_ordinal=1,
        line=190,
        message_zh="依据过于笼统",
        message_en="the basis is generic",
        hint_zh="写明依据的文件",
        hint_en="name the document the target is based on",
    )
    graph = to_graph(
        [trimmed],
        base="https://example.org/jixiao",
        findings=[finding],
        build_time=datetime(2026, 1, 1, tzinfo=UTC),
    )
    assert isomorphic(graph, valid_graph())


@pytest.mark.parametrize("case", CASES, ids=[case.stem for case in CASES])
def test_broken_graph_fails_with_the_expected_message(case: Path) -> None:
    expected = header(case, "expect")
    severity = header(case, "severity") or "error"
    graph = valid_graph()
    graph.update(PREFIXES + case.read_text(encoding="utf-8"))
    results = validate_graph(graph)
    assert {r.message_en for r in results} == {expected}
    assert {r.severity for r in results} == {severity}
    assert all(r.message_zh != r.message_en for r in results), "a Chinese message is missing"


def test_a_graph_wide_constraint_names_the_offending_node_not_its_target() -> None:
    """The SPARQL constraints target bps: once per graph; each result still says where."""
    graph = valid_graph()
    case = SHAPES / "invalid" / "level2-not-under-level1.ru"
    graph.update(PREFIXES + case.read_text(encoding="utf-8"))
    [result] = validate_graph(graph)
    assert result.focus == "<https://example.org/jixiao/project/2020/917-0101-YCN-8FBM#indicator-2>"


def test_validation_leaves_the_data_graph_as_it_was() -> None:
    graph = valid_graph()
    before = set(graph)
    validate_graph(graph)
    assert set(graph) == before
