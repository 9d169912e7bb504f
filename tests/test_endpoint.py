"""The embedded store, the read-only SPARQL endpoint over it (a real Oxigraph server), and
where ``jixiao query`` runs.

Every server here listens on 127.0.0.1 and is stopped in a ``finally``.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pyoxigraph as ox
import pytest
from typer.testing import CliRunner

from tests.endpoint_graph import (
    BASE,
    EXAMPLE_QUERIES,
    disclosure_iri,
    json_answer,
    local_answer,
    oxigraph_server,
    write_sample_graph,
)
from toolkit.cli import app
from toolkit.endpoint import start_sparql_server
from toolkit.errors import OutputError, ParseError, PublishError
from toolkit.model import Disclosure
from toolkit.named_graphs import partition, read_triples
from toolkit.querying import current_store
from toolkit.sparql_client import query_endpoint
from toolkit.store import VOCABULARIES, graph_sizes, load_store, query_store, store_is_current
from toolkit.vocabularies import BP, QUERIES_DIR

TOTAL_BUDGET = QUERIES_DIR / "total-budget.rq"


@pytest.fixture(scope="module")
def built(sample: Disclosure, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A build folder with the two-year sample graph and its store loaded."""
    folder = tmp_path_factory.mktemp("build")
    load_store(write_sample_graph(sample, folder, years=(2020, 2021)), folder / "store")
    return folder


def test_store_holds_one_named_graph_per_disclosure_and_vocabulary(
    built: Path, sample: Disclosure
) -> None:
    sizes = graph_sizes(built / "store")
    years = [disclosure_iri(sample, 2020), disclosure_iri(sample, 2021)]
    vocabularies = [f"{BP}".rstrip("#"), f"{BASE}/ontology/bp/v1/category/"]
    assert sorted(sizes) == sorted([*years, f"{BASE}/shared", *vocabularies])
    assert sizes[years[0]] == sizes[years[1]]


def test_every_triple_lands_in_exactly_one_graph(built: Path) -> None:
    triples = read_triples(built / "rdf" / "data.nt")
    split = partition(triples)
    assert split.triple_count == len(triples)
    vocabulary_triples = sum(len(set(read_triples(path))) for path in VOCABULARIES)
    assert sum(graph_sizes(built / "store").values()) == len(set(triples)) + vocabulary_triples


def test_each_project_and_its_indicators_stay_in_their_year(
    built: Path, sample: Disclosure
) -> None:
    query = f"""PREFIX bp: <{BP}>
        SELECT ?g (COUNT(DISTINCT ?p) AS ?projects) (COUNT(DISTINCT ?i) AS ?indicators) WHERE {{
            GRAPH ?g {{ ?d bp:project ?p . ?p bp:indicator ?i . ?i a bp:Indicator }}
        }} GROUP BY ?g"""
    answer = {
        b["g"]["value"]: (int(b["projects"]["value"]), int(b["indicators"]["value"]))
        for b in query_store(built / "store", query)["results"]["bindings"]
    }
    assert answer == {disclosure_iri(sample, year): (15, 75) for year in (2020, 2021)}


def test_store_answers_the_example_queries_like_the_local_file(built: Path) -> None:
    assert len(EXAMPLE_QUERIES) == 5
    for rq in EXAMPLE_QUERIES:
        text = rq.read_text(encoding="utf-8")
        assert json_answer(query_store(built / "store", text)) == local_answer(
            built / "rdf" / "data.nt", rq
        ), rq.name


def test_store_answers_ask_and_construct_like_the_local_file(built: Path) -> None:
    assert query_store(built / "store", "ASK { ?s a ?c }") == {"head": {}, "boolean": True}
    construct = f"CONSTRUCT {{ ?d ?p ?o }} WHERE {{ ?x <{BP}department> ?d . ?d ?p ?o }}"
    graph = query_store(built / "store", construct)
    assert graph["graph"] is True
    assert graph["head"]["vars"] == ["subject", "predicate", "object"]
    assert json_answer(graph) == local_answer(built / "rdf" / "data.nt", construct)


def test_a_bad_query_is_a_parse_error_naming_the_query(built: Path) -> None:
    with pytest.raises(ParseError, match=r"^broken\.rq: SPARQL syntax error"):
        query_store(built / "store", "SELECT WHERE {", source="broken.rq")


def test_a_graph_without_disclosures_is_refused(tmp_path: Path) -> None:
    data = tmp_path / "data.nt"
    data.write_text("<http://a.example/s> <http://a.example/p> <http://a.example/o> .\n")
    with pytest.raises(OutputError, match="no disclosure"):
        load_store(data, tmp_path / "store")


def test_a_failed_load_leaves_the_previous_store_untouched(
    tmp_path: Path, sample: Disclosure
) -> None:
    source = write_sample_graph(sample, tmp_path)
    load_store(source, tmp_path / "store")
    before = graph_sizes(tmp_path / "store")
    assert store_is_current(tmp_path / "store", source)
    source.write_bytes(source.read_bytes()[:-40])  # cut off mid-triple
    assert not store_is_current(tmp_path / "store", source)
    with pytest.raises(OutputError, match="cannot read the graph"):
        load_store(source, tmp_path / "store")
    assert graph_sizes(tmp_path / "store") == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["rdf", "store"]


def test_read_only_endpoint_answers_like_the_local_file_and_refuses_writes(built: Path) -> None:
    with oxigraph_server(built / "store", read_only=True) as server:
        assert server.host == "127.0.0.1"
        for rq in EXAMPLE_QUERIES:
            remote = query_endpoint(server.query_url, rq.read_text(encoding="utf-8"))
            assert json_answer(remote) == local_answer(built / "rdf" / "data.nt", rq), rq.name
        before = graph_sizes(built / "store")
        update = urllib.request.Request(
            f"{server.url}/update",
            data=b"DELETE WHERE { GRAPH ?g { ?s ?p ?o } }",
            headers={"Content-Type": "application/sparql-update"},
        )
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(update, timeout=10)
        refused.value.close()
        assert refused.value.code >= 400
    assert graph_sizes(built / "store") == before


def test_a_construct_over_http_is_the_same_graph_as_from_the_store(built: Path) -> None:
    construct = f"CONSTRUCT {{ ?p ?k ?v }} WHERE {{ ?p a <{BP}Project> ; ?k ?v }}"
    with oxigraph_server(built / "store", read_only=True) as server:
        remote = query_endpoint(server.query_url, construct)
    assert remote == query_store(built / "store", construct)
    assert remote["graph"] is True
    assert len({b["subject"]["value"] for b in remote["results"]["bindings"]}) == 2 * 15


def test_query_endpoint_reports_an_unreachable_endpoint(built: Path) -> None:
    with oxigraph_server(built / "store", read_only=True) as server:
        url = server.query_url
    with pytest.raises(PublishError, match="cannot reach the endpoint"):
        query_endpoint(url, "ASK {}")


def test_query_endpoint_reports_a_refused_query(built: Path) -> None:
    with (
        oxigraph_server(built / "store", read_only=True) as server,
        pytest.raises(PublishError, match="refused the query: HTTP 400"),
    ):
        query_endpoint(server.query_url, "SELECT WHERE {")


def test_jixiao_query_uses_the_store_only_while_it_matches_the_build(
    sample: Disclosure, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    source = write_sample_graph(sample, Path("build"), years=(2020, 2021))
    runner = CliRunner()
    files = runner.invoke(app, ["query", str(TOTAL_BUDGET), "--data", "build/rdf/data.ttl"])
    assert current_store("build") is None
    load_store(source, Path("build/store"))
    assert current_store("build") == Path("build/store")
    from_store = runner.invoke(app, ["query", str(TOTAL_BUDGET)])
    assert from_store.exit_code == files.exit_code == 0
    assert from_store.output == files.output
    assert "1651.67" in from_store.output
    with source.open("a", encoding="utf-8") as stream:
        stream.write("# rebuilt since the store was loaded\n")
    assert current_store("build") is None


def test_jixiao_query_endpoint_prints_what_the_files_answer(built: Path) -> None:
    runner = CliRunner()
    data = str(built / "rdf" / "data.ttl")
    with oxigraph_server(built / "store", read_only=True) as server:
        for output_format in ("table", "csv", "json"):
            remote = runner.invoke(
                app,
                ["query", str(TOTAL_BUDGET), "--endpoint", server.query_url, "-f", output_format],
            )
            local = runner.invoke(
                app, ["query", str(TOTAL_BUDGET), "--data", data, "-f", output_format]
            )
            assert remote.exit_code == 0, remote.output
            assert remote.output == local.output, output_format


def test_jixiao_query_refuses_data_and_endpoint_together(built: Path) -> None:
    result = CliRunner().invoke(
        app,
        ["query", "ASK {}", "--data", str(built / "rdf" / "data.nt"), "--endpoint", "http://x"],
    )
    assert result.exit_code == 2
    assert "exclude each other" in result.output


def corpus_config(output: Path) -> Path:
    """A jixiao.toml whose build output is ``output``."""
    config = output / "jixiao.toml"
    config.write_text(
        f'output = "{output.as_posix()}"\n[[documents]]\npath = "disclosure.txt"\n',
        encoding="utf-8",
    )
    return config


def listening(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


def test_serve_sparql_loads_the_store_prints_the_url_and_stops_its_server(
    sample: Disclosure, tmp_path: Path
) -> None:
    source = write_sample_graph(sample, tmp_path)
    config = corpus_config(tmp_path)
    command = [sys.executable, "-m", "toolkit.cli", "serve", str(config), "--sparql"]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    try:
        assert process.stdout is not None
        loaded = process.stdout.readline().decode()
        announced = process.stdout.readline().decode()
        assert loaded.startswith("loaded ")
        # One disclosure (nothing shared with another), the ontology and the scheme.
        assert " triples in 3 graphs into " in loaded
        assert announced.startswith("SPARQL endpoint: http://127.0.0.1:")
        url = announced.split()[2]
        total = query_endpoint(url, TOTAL_BUDGET.read_text(encoding="utf-8"))
        assert json_answer(total) == local_answer(source, TOTAL_BUDGET)
        port = int(url.rsplit(":", 1)[1].split("/")[0])
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=20) == 0
        assert not listening(port)
    finally:
        # SIGTERM first: a SIGKILLed jixiao could not stop its Oxigraph child.
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        process.wait()
        process.stdout.close()  # type: ignore[union-attr]
        process.stderr.close()  # type: ignore[union-attr]
    assert store_is_current(tmp_path / "store", source)


def test_serve_sparql_without_a_build_exits_2(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["serve", str(corpus_config(tmp_path)), "--sparql"])
    assert result.exit_code == 2
    assert "run `jixiao build`" in result.output


def test_store_is_plain_oxigraph(built: Path) -> None:
    # Any Oxigraph tool can open it: the stamp beside the data does not get in the way.
    store = ox.Store.read_only(str(built / "store"))
    assert len(list(store.named_graphs())) == 5


def test_disclosures_the_graph_does_not_type_can_be_named() -> None:
    text = (
        "<http://x.example/d/1> <http://x.example/has> <http://x.example/p/1> .\n"
        '<http://x.example/p/1> <http://x.example/name> "one" .\n'
        "<http://x.example/d/2> <http://x.example/has> <http://x.example/p/2> .\n"
        '<http://x.example/p/2> <http://x.example/name> "two" .\n'
    )
    triples = [quad.triple for quad in ox.parse(text, format=ox.RdfFormat.N_TRIPLES)]
    split = partition(triples, disclosures=["http://x.example/d/2", "http://x.example/d/1"])
    assert {name: len(t) for name, t in split.graphs.items()} == {
        "http://x.example/d/1": 2,
        "http://x.example/d/2": 2,
    }
    assert {t.object.value for t in split.graphs["http://x.example/d/2"]} == {
        "http://x.example/p/2",
        "two",
    }


ONTOLOGY = """@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<http://x.example/onto> a owl:Ontology .
<https://example.org/jixiao/ontology/bp/v1#Project> rdfs:label "a budget project"@en .
"""


def test_the_store_is_reloaded_when_a_vocabulary_changes(
    sample: Disclosure, tmp_path: Path
) -> None:
    source = write_sample_graph(sample, tmp_path)
    ontology = tmp_path / "onto.ttl"
    ontology.write_text(ONTOLOGY, encoding="utf-8")
    load_store(source, tmp_path / "store", vocabularies=[ontology])
    assert graph_sizes(tmp_path / "store")["http://x.example/onto"] == 2
    label = f"""SELECT ?label WHERE {{ <{BP}Project> <http://www.w3.org/2000/01/rdf-schema#label>
        ?label }}"""
    answer = query_store(tmp_path / "store", label)["results"]["bindings"]
    assert [b["label"]["value"] for b in answer] == ["a budget project"]
    assert store_is_current(tmp_path / "store", source, vocabularies=[ontology])
    ontology.write_text(ONTOLOGY + "# changed\n", encoding="utf-8")
    assert not store_is_current(tmp_path / "store", source, vocabularies=[ontology])


def test_a_vocabulary_without_an_ontology_or_scheme_is_refused(
    sample: Disclosure, tmp_path: Path
) -> None:
    source = write_sample_graph(sample, tmp_path)
    loose = tmp_path / "loose.ttl"
    loose.write_text("<http://x.example/a> <http://x.example/b> 1 .\n", encoding="utf-8")
    with pytest.raises(OutputError, match="no owl:Ontology or skos:ConceptScheme"):
        load_store(source, tmp_path / "store", vocabularies=[loose])


def test_a_taken_port_is_a_clear_error_not_a_false_start() -> None:
    # Something else listens on the port: the server must not be taken for started.
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(OutputError, match="did not start: Error: Address already in use"):
            start_sparql_server(None, read_only=False, port=port, startup_timeout=10)
