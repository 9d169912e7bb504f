"""The embedded store and the read-only SPARQL endpoint over it (a real Oxigraph server).

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
    QUERIES,
    disclosure_iri,
    local_answer,
    oxigraph_server,
    rows,
    write_sample_graph,
)
from toolkit.cli import app
from toolkit.errors import OutputError, PublishError
from toolkit.model import Disclosure
from toolkit.named_graphs import partition, read_triples
from toolkit.sparql_client import query_endpoint
from toolkit.store import graph_sizes, load_store, query_store, store_is_current


@pytest.fixture(scope="module")
def built(sample: Disclosure, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A build folder with the two-year sample graph and its store loaded."""
    folder = tmp_path_factory.mktemp("build")
    load_store(write_sample_graph(sample, folder, years=(2020, 2021)), folder / "store")
    return folder


def test_store_holds_one_named_graph_per_disclosure(built: Path, sample: Disclosure) -> None:
    sizes = graph_sizes(built / "store")
    years = [disclosure_iri(sample, 2020), disclosure_iri(sample, 2021)]
    assert sorted(sizes) == sorted([*years, f"{BASE}/shared"])
    # 15 projects x 5 triples + 75 indicators x 6 triples + the disclosure's own 3.
    assert sizes[years[0]] == sizes[years[1]] == 15 * 5 + 75 * 6 + 3


def test_every_triple_lands_in_exactly_one_graph(built: Path) -> None:
    triples = read_triples(built / "rdf" / "data.nt")
    split = partition(triples)
    assert split.triple_count == len(triples)
    assert sum(graph_sizes(built / "store").values()) == len(set(triples))


def test_links_point_either_way_yet_each_project_stays_in_its_year(
    built: Path, sample: Disclosure
) -> None:
    # Projects link up to their disclosure, indicators up to their project: neither is
    # reachable by following links down from the disclosure.
    query = """SELECT ?g (COUNT(?p) AS ?n)
               WHERE { GRAPH ?g { ?p <http://purl.org/dc/terms/isPartOf> ?d } FILTER (?g = ?d) }
               GROUP BY ?g"""
    answer = {
        b["g"]["value"]: int(b["n"]["value"])
        for b in query_store(built / "store", query)["results"]["bindings"]
    }
    assert answer == {disclosure_iri(sample, y): len(sample.projects) for y in (2020, 2021)}


def test_store_answers_the_example_queries_like_the_local_file(built: Path) -> None:
    for name, query in QUERIES.items():
        assert rows(query_store(built / "store", query)) == local_answer(
            built / "rdf" / "data.nt", query
        ), name


def test_store_answers_ask_and_construct(built: Path) -> None:
    assert query_store(built / "store", "ASK { ?s a ?c }") == {"head": {}, "boolean": True}
    graph = query_store(
        built / "store",
        f"CONSTRUCT {{ ?d ?p ?o }} WHERE {{ ?d a <{BASE}/ontology/bp#Department> ; ?p ?o }}",
    )
    assert graph["head"]["vars"] == ["subject", "predicate", "object"]
    assert graph["graph"] is True
    assert len(graph["results"]["bindings"]) == 2


def test_a_bad_query_is_a_one_line_error(built: Path) -> None:
    with pytest.raises(OutputError, match="not a valid SPARQL query"):
        query_store(built / "store", "SELECT WHERE {")


def test_a_graph_without_disclosures_is_refused(tmp_path: Path) -> None:
    data = tmp_path / "data.nt"
    data.write_text("<http://a.example/s> <http://a.example/p> <http://a.example/o> .\n")
    with pytest.raises(OutputError, match="no disclosure"):
        load_store(data, tmp_path / "store")


def test_a_failed_load_leaves_the_previous_store_untouched(
    built: Path, tmp_path: Path, sample: Disclosure
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
        for name, query in QUERIES.items():
            assert rows(query_endpoint(server.query_url, query)) == local_answer(
                built / "rdf" / "data.nt", query
            ), name
        update = urllib.request.Request(
            f"{server.url}/update",
            data=b"DELETE WHERE { ?s ?p ?o }",
            headers={"Content-Type": "application/sparql-update"},
        )
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(update, timeout=10)
        refused.value.close()
        assert refused.value.code >= 400
        assert rows(query_endpoint(server.query_url, QUERIES["total-budget"])) == local_answer(
            built / "rdf" / "data.nt", QUERIES["total-budget"]
        )


def test_a_construct_over_http_is_the_same_graph_as_from_the_store(built: Path) -> None:
    construct = f"CONSTRUCT {{ ?p ?k ?v }} WHERE {{ ?p a <{BASE}/ontology/bp#Project> ; ?k ?v }}"
    with oxigraph_server(built / "store", read_only=True) as server:
        remote = query_endpoint(server.query_url, construct)
    local = query_store(built / "store", construct)
    assert remote == local
    assert remote["graph"] is True
    assert len(remote["results"]["bindings"]) == 2 * 15 * 5


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
    command = [sys.executable, "-m", "toolkit.cli", "serve", "--sparql", "--build", str(tmp_path)]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    try:
        assert process.stdout is not None
        loaded = process.stdout.readline().decode()
        announced = process.stdout.readline().decode()
        assert loaded.startswith("loaded 530 triples in 1 graph into ")
        assert announced.startswith("SPARQL endpoint: http://127.0.0.1:")
        url = announced.split()[2]
        assert rows(query_endpoint(url, QUERIES["total-budget"])) == local_answer(
            source, QUERIES["total-budget"]
        )
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
    result = CliRunner().invoke(app, ["serve", "--sparql", "--build", str(tmp_path)])
    assert result.exit_code == 2
    assert "run `jixiao build`" in result.output


def test_store_is_plain_oxigraph(built: Path) -> None:
    # Any Oxigraph tool can open it: the stamp beside the data does not get in the way.
    store = ox.Store.read_only(str(built / "store"))
    assert len(list(store.named_graphs())) == 3


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
<https://example.org/jixiao/ontology/bp#> a owl:Ontology .
<https://example.org/jixiao/ontology/bp#Project> rdfs:label "预算项目"@zh, "budget project"@en .
"""


def test_vocabularies_are_graphs_of_their_own_and_queries_see_them(
    sample: Disclosure, tmp_path: Path
) -> None:
    source = write_sample_graph(sample, tmp_path)
    ontology = tmp_path / "bp.ttl"
    ontology.write_text(ONTOLOGY, encoding="utf-8")
    load_store(source, tmp_path / "store", vocabularies=[ontology])
    sizes = graph_sizes(tmp_path / "store")
    assert sizes[f"{BASE}/ontology/bp#"] == 3
    label = """SELECT ?label (COUNT(?p) AS ?n) WHERE {
        ?p a ?class . ?class <http://www.w3.org/2000/01/rdf-schema#label> ?label
        FILTER (LANG(?label) = "en") } GROUP BY ?label"""
    answer = query_store(tmp_path / "store", label)["results"]["bindings"]
    assert [(b["label"]["value"], b["n"]["value"]) for b in answer] == [("budget project", "15")]
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
