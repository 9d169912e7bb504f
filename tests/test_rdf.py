"""The sample as RDF: lossless round trip, deterministic files, a second parser agrees."""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pyoxigraph
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS, PROV, RDF, XSD

from toolkit.errors import ConfigError, OutputError
from toolkit.iris import page_path, project_iri, safe_segment
from toolkit.model import Disclosure
from toolkit.quality.finding import Finding
from toolkit.rdf import from_graph, project_graph, serialize, to_graph, write_rdf
from toolkit.vocabularies import BP, DQV, OA, QUDT, SCHEMA, SPDX, UNIT

# rdflib's JSON-LD parser still builds a ConjunctiveGraph internally (rdflib 7.x).
pytestmark = pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")

BASE = "https://example.org/jixiao"
WHEN = datetime(2026, 1, 1, tzinfo=UTC)
SAMPLE = Path(__file__).resolve().parent.parent / "examples" / "xicheng-2020" / "disclosure.txt"
PROJECT = URIRef(f"{BASE}/project/2020/917-0101-YCN-16DG")


@pytest.fixture(scope="module")
def graph(sample: Disclosure) -> Graph:
    return to_graph([sample], base=BASE, build_time=WHEN)


@pytest.fixture(scope="module")
def written(graph: Graph, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("rdf")
    write_rdf(graph, folder)
    return folder


def test_model_to_rdf_to_model_is_lossless(sample: Disclosure, graph: Graph) -> None:
    [back] = from_graph(graph)
    assert back == sample
    # Provenance compares equal by design; its dump shows it really survived.
    assert back.model_dump() == sample.model_dump()
    assert back.source.model_dump() == sample.source.model_dump()
    for ours, theirs in zip(back.projects, sample.projects, strict=True):
        assert ours.source.model_dump() == theirs.source.model_dump()
        assert [i.source.model_dump() for i in ours.indicators] == [
            i.source.model_dump() for i in theirs.indicators
        ]


def test_round_trip_through_the_turtle_file(sample: Disclosure, written: Path) -> None:
    [back] = from_graph(Graph().parse(written / "data.ttl"))
    assert back == sample
    assert back.model_dump() == sample.model_dump()


def test_money_is_an_exact_decimal_with_its_unit(graph: Graph) -> None:
    amount = graph.value(PROJECT, BP.budgetTotal)
    assert graph.value(amount, SCHEMA.value) == Literal("17.54", datatype=XSD.decimal)
    assert graph.value(amount, BP.unitLabel) == Literal("万元")
    assert graph.value(amount, SCHEMA.currency) == Literal("CNY")


def test_percent_targets_use_qudt_and_chinese_units_stay_literals(graph: Graph) -> None:
    target = graph.value(URIRef(f"{PROJECT}#indicator-1"), BP.target)
    assert graph.value(target, QUDT.unit) == UNIT.PERCENT
    assert graph.value(target, BP.value) == Literal("90.0", datatype=XSD.decimal)
    count_target = URIRef(f"{BASE}/project/2020/917-0202-YCN-OMYC#indicator-1-target")
    assert graph.value(count_target, BP.unit) == Literal("个")
    assert graph.value(count_target, QUDT.unit) is None


def test_projects_and_indicators_record_source_document_and_lines(
    sample: Disclosure, graph: Graph
) -> None:
    source = graph.value(PROJECT, PROV.wasDerivedFrom)
    checksum = graph.value(source, SPDX.checksum)
    assert str(graph.value(checksum, SPDX.checksumValue)) == sample.source.sha256
    indicator = URIRef(f"{PROJECT}#indicator-1")
    assert graph.value(indicator, PROV.wasDerivedFrom) == source
    assert graph.value(indicator, BP.sourceFirstLine).toPython() == 81


def test_dataset_records_the_build_time_and_tool_version(graph: Graph) -> None:
    build = graph.value(URIRef(f"{BASE}/dataset"), PROV.wasGeneratedBy)
    assert str(graph.value(build, PROV.endedAtTime)) == "2026-01-01T00:00:00+00:00"
    tool = graph.value(build, PROV.wasAssociatedWith)
    assert str(graph.value(tool, SCHEMA.softwareVersion)) == "0.1.0"


def test_findings_become_dqv_annotations_on_their_indicator(sample: Disclosure) -> None:
    finding = Finding(
        rule="DQ05",
        severity="error",
        department_code="917003",
        year=2020,
        project_code="917-0202-YCN-OMYC",
        indicator_ordinal=9,
        message_zh="指标值为空",
        message_en="the target is empty",
        hint_zh="填写指标值",
        hint_en="give a target",
    )
    on_project = finding.model_copy(update={"indicator_ordinal": None, "rule": "DQ04"})
    graph = to_graph([sample], base=BASE, findings=[on_project, finding])
    annotations = sorted(graph.subjects(RDF.type, DQV.QualityAnnotation))
    assert len(annotations) == 2
    by_rule = {graph.value(a, BP.rule).toPython(): a for a in annotations}
    dq05 = by_rule["DQ05"]
    assert graph.value(dq05, OA.hasTarget) == URIRef(
        f"{BASE}/project/2020/917-0202-YCN-OMYC#indicator-9"
    )
    assert graph.value(by_rule["DQ04"], OA.hasTarget) == URIRef(
        f"{BASE}/project/2020/917-0202-YCN-OMYC"
    )
    body = graph.value(dq05, OA.hasBody)
    assert {(str(v), v.language) for v in graph.objects(body, RDF.value)} == {
        ("指标值为空", "zh"),
        ("the target is empty", "en"),
    }
    assert graph.value(dq05, BP.severity) == BP.Error


def test_two_projects_with_one_code_are_refused(sample: Disclosure) -> None:
    twice = sample.model_copy(update={"projects": [sample.projects[0], sample.projects[0]]})
    with pytest.raises(OutputError, match="appears twice"):
        to_graph([twice], base=BASE)


def test_two_disclosures_of_one_department_and_year_are_refused(sample: Disclosure) -> None:
    with pytest.raises(OutputError, match="two disclosures of department 917003 for 2020"):
        to_graph([sample, sample], base=BASE)


def test_jsonld_and_ntriples_describe_the_same_graph_as_turtle(written: Path) -> None:
    turtle = Graph().parse(written / "data.ttl")
    assert isomorphic(turtle, Graph().parse(written / "data.nt"))
    assert isomorphic(turtle, Graph().parse(written / "data.jsonld", format="json-ld"))


def test_a_second_parser_reads_the_same_triples(written: Path) -> None:
    """pyoxigraph (Rust) parses every file; its N-Triples equal rdflib's."""
    expected = set((written / "data.nt").read_text(encoding="utf-8").splitlines())
    for name, fmt in [
        ("data.ttl", pyoxigraph.RdfFormat.TURTLE),
        ("data.nt", pyoxigraph.RdfFormat.N_TRIPLES),
        ("data.jsonld", pyoxigraph.RdfFormat.JSON_LD),
    ]:
        triples = list(pyoxigraph.parse(path=str(written / name), format=fmt))
        assert len(triples) == len(expected), name
        text = pyoxigraph.serialize(triples, format=pyoxigraph.RdfFormat.N_TRIPLES).decode()
        assert isomorphic(Graph().parse(data=text, format="nt"), Graph().parse(written / "data.nt"))


def test_two_writes_are_byte_identical(graph: Graph, written: Path, tmp_path: Path) -> None:
    write_rdf(graph, tmp_path)
    for name in ("data.ttl", "data.nt", "data.jsonld"):
        assert (tmp_path / name).read_bytes() == (written / name).read_bytes(), name


def test_output_does_not_depend_on_the_hash_seed(written: Path, tmp_path: Path) -> None:
    script = (
        "import sys, toolkit, datetime; from pathlib import Path;"
        "from toolkit.rdf import to_graph, write_rdf;"
        f"d = toolkit.read({str(SAMPLE)!r});"
        "t = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC);"
        f"write_rdf(to_graph([d], base={BASE!r}, build_time=t), Path(sys.argv[1]))"
    )
    env = {"PYTHONHASHSEED": "12345", "PATH": ""}
    subprocess.run([sys.executable, "-c", script, str(tmp_path)], check=True, env=env)
    for name in ("data.ttl", "data.nt", "data.jsonld"):
        assert (tmp_path / name).read_bytes() == (written / name).read_bytes(), name


def test_project_graph_speaks_schema_org_and_holds_only_its_project(
    sample: Disclosure,
) -> None:
    project = sample.projects[0]
    graph = project_graph(sample, project, base=BASE)
    assert (PROJECT, RDF.type, SCHEMA.MonetaryGrant) in graph
    assert str(graph.value(PROJECT, SCHEMA.name)) == project.name
    assert str(graph.value(PROJECT, SCHEMA.url)) == str(PROJECT)
    assert graph.value(graph.value(PROJECT, SCHEMA.amount), SCHEMA.value) == Literal(
        Decimal("17.54")
    )
    assert graph.value(PROJECT, DCTERMS.isPartOf) == URIRef(f"{BASE}/disclosure/917003/2020")
    pages = {str(s).split("#")[0] for s in graph.subjects()}
    assert pages == {str(PROJECT)}
    fragments = {str(s).split("#")[1] for s in graph.subjects() if "#" in str(s)}
    assert fragments == {
        "budget-total",
        "fiscal-funds",
        "goal-1",
        "goal-2",
        *(f"indicator-{n}" for n in range(1, 6)),
        *(f"indicator-{n}-target" for n in range(1, 6)),
        *(f"plan-{n}" for n in range(1, 5)),
    }

    assert b'"schema:name"' in serialize(graph, "jsonld")


def test_iris_follow_the_site_paths(sample: Disclosure) -> None:
    iri = project_iri(BASE, sample, sample.projects[0])
    assert iri == PROJECT
    assert page_path(f"{iri}#indicator-3", BASE) == "project/2020/917-0101-YCN-16DG"
    with pytest.raises(OutputError):
        page_path("https://elsewhere.org/project/1", BASE)


@pytest.mark.parametrize("code", ["..", "a/b", "a b", "项目", "", "x?y", "a..b"])
def test_unsafe_codes_are_refused(code: str) -> None:
    with pytest.raises(OutputError, match="cannot be used in an IRI"):
        safe_segment(code)


def test_a_base_with_a_query_is_a_config_error(sample: Disclosure) -> None:
    with pytest.raises(ConfigError, match=r"site\.base_url"):
        to_graph([sample], base="https://example.org/?x=1")


def test_a_disclosure_without_year_cannot_mint_iris(sample: Disclosure) -> None:
    with pytest.raises(OutputError, match="no budget year"):
        to_graph([sample.model_copy(update={"year": None})], base=BASE)


def test_a_graph_missing_a_required_property_is_an_output_error(graph: Graph) -> None:
    broken = Graph()
    for triple in graph:
        broken.add(triple)
    broken.remove((PROJECT, BP.projectCode, None))
    with pytest.raises(OutputError, match=re.escape(f"has no <{BP.projectCode}>")):
        from_graph(broken)


def test_the_sample_graph_matches_the_golden_turtle(graph: Graph, update_golden: bool) -> None:
    """tests/golden/xicheng-2020.ttl, compared as graphs; `--update-golden` rewrites it."""
    golden = Path(__file__).resolve().parent / "golden" / "xicheng-2020.ttl"
    if update_golden:
        golden.write_bytes(serialize(graph, "ttl"))
    assert isomorphic(graph, Graph().parse(golden, format="turtle"))


def test_turtle_keeps_awkward_literals_and_declares_only_used_prefixes_sorted() -> None:
    """Turtle is written from the sorted N-Triples: line breaks, quotes and " ." inside a
    literal stay in it, each subject's statements stay together, prefixes come sorted."""
    graph = Graph()
    graph.bind("bp", BP)
    graph.bind("schema", SCHEMA)
    graph.bind("unused", "https://example.org/unused#")
    node = URIRef("https://example.org/jixiao/project/2020/p")
    graph.add((node, SCHEMA.name, Literal('第一行 .\n"第二行"\r\n<x> ;', lang="zh")))
    graph.add((node, BP.weight, Literal("25.00", datatype=XSD.decimal)))
    graph.add((URIRef(f"{node}#indicator-1"), BP.ordinal, Literal(1)))
    text = serialize(graph, "ttl").decode()
    assert isomorphic(Graph().parse(data=text, format="turtle"), graph)
    prefixes = re.findall(r"^@prefix (\w+):", text, re.MULTILINE)
    assert prefixes == ["bp", "schema", "xsd"]
    assert "unused" not in text
    assert "25.00" in text


def test_graph_in_the_context_aware_store_holds_the_same_triples(
    sample: Disclosure, graph: Graph
) -> None:
    assert graph.store.context_aware is False  # the faster store, by default
    context_aware = to_graph([sample], base=BASE, build_time=WHEN, store="Memory")
    assert context_aware.store.context_aware
    assert set(context_aware) == set(graph)
