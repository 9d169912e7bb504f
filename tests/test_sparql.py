"""The example queries of ontology/queries/ answer correctly on the sample, and `jixiao query`
and `jixiao rdf` are thin, tested adapters over the library."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from toolkit.cli import app
from toolkit.errors import OutputError, ParseError
from toolkit.model import Disclosure
from toolkit.rdf import to_graph, write_rdf
from toolkit.sparql import format_result, query, run_query
from toolkit.vocabularies import QUERIES_DIR

BASE = "https://example.org/jixiao"
runner = CliRunner()


@pytest.fixture(scope="module")
def data(sample: Disclosure, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("rdf")
    write_rdf(to_graph([sample], base=BASE), folder)
    return folder / "data.ttl"


def rows(name: str, data: Path) -> list[dict[str, str]]:
    result = query(str(QUERIES_DIR / name), data=data)
    return [
        {v: "" if x is None else str(x) for v, x in zip(result.variables, row, strict=True)}
        for row in result.rows
    ]


def test_every_query_file_has_a_documenting_header() -> None:
    queries = sorted(QUERIES_DIR.glob("*.rq"))
    assert len(queries) == 5
    for path in queries:
        head = path.read_text(encoding="utf-8").split("PREFIX", 1)[0]
        assert head.count("\n# ") >= 3 and "jixiao query" in head, path.name


def test_total_budget_is_1651_67(data: Path) -> None:
    [row] = rows("total-budget.rq", data)
    assert Decimal(row["total"]) == Decimal("1651.67")
    assert (row["department"], row["year"], row["projects"], row["unit"]) == (
        "917003",
        "2020",
        "15",
        "万元",
    )


def test_budget_by_project_lists_every_project_largest_first(data: Path) -> None:
    found = rows("budget-by-project.rq", data)
    assert len(found) == 15
    assert sum(Decimal(r["budget"]) for r in found) == Decimal("1651.67")
    assert (found[0]["code"], found[0]["budget"]) == ("917-0101-YCN-12AQ", "455.43")
    assert all(r["other"] == "" for r in found)


def test_indicators_by_category_counts_all_75(data: Path) -> None:
    found = rows("indicators-by-category.rq", data)
    counts = {(r["level1"], r["level2"]): int(r["indicators"]) for r in found}
    assert sum(counts.values()) == 75
    assert counts[("satisfaction", "recipient-satisfaction")] == 16
    assert counts[("output", "output-cost")] == 11
    assert counts[("outcome", "sustainable")] == 1


def test_non_quantitative_targets_are_the_eight_without_a_number(data: Path) -> None:
    found = rows("non-quantitative-targets.rq", data)
    assert [(r["ordinal"], r["raw"], r["kind"]) for r in found] == [
        ("1", "个", "missing"),
        ("2", "处", "missing"),
        ("3", "处", "missing"),
        ("4", "处", "missing"),
        ("5", "吨", "missing"),
        ("6", "个", "missing"),
        ("9", "", "missing"),
        ("12", "按照当地文件标准", "qualitative"),
    ]
    assert {r["code"] for r in found} == {"917-0202-YCN-OMYC"}


def test_uneven_spending_plan_finds_the_one_project_with_an_empty_cell(data: Path) -> None:
    [row] = rows("uneven-spending-plan.rq", data)
    assert row["code"] == "917-0101-YCN-8FBM"
    assert row["plan"] == "3月底 25.00 | 6月底 25.00 | 10月底 50.00 | 12月底 empty"


def test_a_syntax_error_names_the_query_and_line(data: Path) -> None:
    with pytest.raises(ParseError, match=r"<query>:2: SPARQL syntax error"):
        query("SELECT ?s\nWHERE { ?s ?p }", data=data)


def test_a_missing_graph_says_to_run_the_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(OutputError, match="run `jixiao build` first"):
        query("ASK { ?s ?p ?o }")


def test_formats_csv_and_ask(data: Path) -> None:
    from rdflib import Graph

    graph = Graph().parse(data)
    result = run_query(
        "PREFIX bp: <https://example.org/jixiao/ontology/bp/v1#> "
        "SELECT ?code WHERE { ?p bp:projectCode ?code } ORDER BY ?code LIMIT 2",
        graph,
    )
    assert format_result(result, "csv") == "code\r\n917-0101-YCN-12AQ\r\n917-0101-YCN-16DG\r\n"
    assert format_result(run_query("ASK { ?s ?p ?o }", graph), "json") == (
        '{"head": {}, "boolean": true}\n'
    )


def test_cli_query_json_is_the_library_result(data: Path) -> None:
    path = str(QUERIES_DIR / "total-budget.rq")
    cli = runner.invoke(app, ["query", path, "--data", str(data), "--format", "json"])
    assert cli.exit_code == 0, cli.output
    assert cli.output == format_result(query(path, data=data), "json")
    binding = json.loads(cli.output)["results"]["bindings"][0]
    assert binding["total"]["value"] == "1651.67"


def test_cli_query_without_a_graph_exits_2(tmp_path: Path) -> None:
    cli = runner.invoke(app, ["query", "ASK {}", "--data", str(tmp_path / "none.ttl")])
    assert cli.exit_code == 2
    assert "no graph to query" in cli.output


def test_cli_rdf_writes_the_format_of_the_output_suffix(sample_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "data.nt"
    cli = runner.invoke(app, ["rdf", str(sample_path), "-o", str(out)])
    assert cli.exit_code == 0, cli.output
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines == sorted(lines) and len(lines) > 2000
    cli = runner.invoke(app, ["rdf", str(sample_path), "--format", "jsonld"])
    assert cli.exit_code == 0 and json.loads(cli.output)["@context"]["bp"].endswith("/bp/v1#")


def test_construct_prints_turtle_and_a_missing_rq_file_is_an_error(data: Path) -> None:
    text = (
        "PREFIX bp: <https://example.org/jixiao/ontology/bp/v1#> "
        "CONSTRUCT { ?p bp:projectCode ?c } WHERE { ?p bp:projectCode ?c }"
    )
    result = query(text, data=data)
    assert result.kind == "construct" and result.graph is not None and len(result.graph) == 15
    assert "917-0101-YCN-16DG" in format_result(result, "json")
    with pytest.raises(OutputError, match="no such query file"):
        query("ontology/queries/nothing.rq", data=data)
