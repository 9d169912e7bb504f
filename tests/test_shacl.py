"""The sample's published graph conforms to its shapes; `jixiao check` reports a broken one
with the focus node, the path and the message in Chinese and English."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Graph, Literal

from toolkit.check import Report, check
from toolkit.errors import OutputError
from toolkit.model import Disclosure
from toolkit.rdf import to_graph, write_rdf
from toolkit.shacl import ValidationResult, validate_graph_file
from toolkit.vocabularies import BP

BASE = "https://example.org/jixiao"


@pytest.fixture(scope="module")
def sample_graph(sample: Disclosure) -> Graph:
    return to_graph([sample], base=BASE)


@pytest.fixture(scope="module")
def sample_report(sample_graph: Graph, tmp_path_factory: pytest.TempPathFactory) -> Report:
    """`jixiao check` on the written data.ttl: one pyshacl run for the whole module."""
    folder = tmp_path_factory.mktemp("rdf")
    write_rdf(sample_graph, folder)
    return check(folder / "data.ttl")


def test_the_sample_graph_conforms_with_data_ontology_and_shapes(sample_report: Report) -> None:
    assert sample_report.checks == ["shacl"]
    assert sample_report.problems == []
    assert sample_report.ok


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
    assert problem.severity == "error"
    assert problem.message.startswith("项目必须有且只有一个项目编码")
    assert "a project needs exactly one project code" in problem.message


def test_a_warning_leaves_the_report_ok() -> None:
    result = ValidationResult("warning", "<p>", None, "合计不是100", "not 100", "sh:X")
    assert Report(target="x", problems=[result.problem()]).ok
    assert result.problem().message == "合计不是100 / not 100"


def test_an_unparsable_graph_is_an_error_not_a_result(tmp_path: Path) -> None:
    path = tmp_path / "bad.ttl"
    path.write_text("<a> <b> .", encoding="utf-8")
    with pytest.raises(OutputError, match="cannot parse as turtle"):
        validate_graph_file(path)


def test_check_reads_json_ld_too(sample_graph: Graph, tmp_path: Path) -> None:
    [_, _, jsonld] = write_rdf(sample_graph, tmp_path)
    problems = validate_graph_file(jsonld)
    assert problems == []


def test_cli_check_on_graphs_exits_0_when_valid_and_1_when_broken(
    sample_graph: Graph, tmp_path: Path
) -> None:
    from typer.testing import CliRunner

    from toolkit.cli import app

    runner = CliRunner()
    broken = Graph()
    for triple in sample_graph:
        if triple[1] != BP.spendingPlanCumulative:
            broken.add(triple)
    path = tmp_path / "broken.nt"
    broken.serialize(path, format="nt", encoding="utf-8")
    result = runner.invoke(app, ["check", str(path), "--format", "json"])
    assert result.exit_code == 1, result.output
    report = json.loads(result.output)
    assert report["checks"] == ["shacl"] and len(report["problems"]) == 15
    assert "spending plan is cumulative" in report["problems"][0]["message"]
    missing = runner.invoke(app, ["check", str(tmp_path / "none.ttl")])
    assert missing.exit_code == 2


ILL_TYPED = """@prefix bp: <https://example.org/jixiao/ontology/bp/v1#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<https://example.org/p> a bp:Project ; bp:sequence "x"^^xsd:integer .
"""


def test_an_ill_typed_literal_is_a_shape_violation_and_no_traceback(tmp_path: Path) -> None:
    path = tmp_path / "ill-typed.ttl"
    path.write_text(ILL_TYPED, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "toolkit.cli", "check", str(path), "--format", "json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert result.stderr == ""
    problems = json.loads(result.stdout)["problems"]
    assert any(p["where"] == "<https://example.org/p> bp:sequence" for p in problems)
