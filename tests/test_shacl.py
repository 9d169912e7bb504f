"""The sample's published graph conforms to its shapes; `jixiao check` reports a broken one
with the focus node, the path and the message in Chinese and English."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, Literal

from toolkit.check import check
from toolkit.errors import OutputError
from toolkit.model import Disclosure
from toolkit.rdf import to_graph, write_rdf
from toolkit.shacl import ValidationResult, validate_graph, validate_graph_file
from toolkit.vocabularies import BP

BASE = "https://example.org/jixiao"


@pytest.fixture(scope="module")
def sample_graph(sample: Disclosure) -> Graph:
    return to_graph([sample], base=BASE)


@pytest.fixture(scope="module")
def sample_results(sample_graph: Graph) -> list[ValidationResult]:
    return validate_graph(sample_graph)


def test_the_sample_graph_conforms_with_data_ontology_and_shapes(
    sample_results: list[ValidationResult],
) -> None:
    assert sample_results == []


def test_check_reports_a_broken_graph_file_with_focus_path_and_both_languages(
    sample_graph: Graph, tmp_path: Path
) -> None:
    broken = Graph()
    for triple in sample_graph:
        broken.add(triple)
    project = next(iter(broken.subjects(BP.projectCode, Literal("917-0101-YCN-16DG"))))
    broken.remove((project, BP.projectCode, None))
    path = tmp_path / "broken.ttl"
    broken.serialize(path, format="turtle")
    problems = validate_graph_file(path)
    assert len(problems) == 1
    [problem] = problems
    assert problem.where == f"<{project}> bp:projectCode"
    assert problem.message.startswith("项目必须有且只有一个项目编码")
    assert "a project needs exactly one project code" in problem.message
    report = check(path)
    assert report.checks == ["shacl"] and not report.ok


def test_check_accepts_the_written_files(sample_graph: Graph, tmp_path: Path) -> None:
    for path in write_rdf(sample_graph, tmp_path):
        if path.suffix == ".ttl":
            assert check(path).ok


def test_an_unparsable_graph_is_an_error_not_a_result(tmp_path: Path) -> None:
    path = tmp_path / "bad.ttl"
    path.write_text("<a> <b> .", encoding="utf-8")
    with pytest.raises(OutputError, match="cannot parse as turtle"):
        validate_graph_file(path)
