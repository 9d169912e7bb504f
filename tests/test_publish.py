"""Publishing into a SPARQL 1.1 store: a real Oxigraph server, and a scripted flaky one.

Every server here listens on 127.0.0.1 and is stopped in a ``finally``.
"""

from __future__ import annotations

import base64
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

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
from toolkit.errors import ConfigError, PublishError
from toolkit.model import Disclosure
from toolkit.publish import publish, put_graph
from toolkit.sparql_client import query_endpoint
from toolkit.vocabularies import BP, BPC, QUERIES_DIR

COUNT_QUADS = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
GRAPHS = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"
ONTOLOGY_GRAPH = str(BP).rstrip("#")
SCHEME_GRAPH = str(BPC)
TOTAL_BUDGET = QUERIES_DIR / "total-budget.rq"


@pytest.fixture(autouse=True)
def no_ambient_credentials(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in ("JIXIAO_STORE_USER", "JIXIAO_STORE_PASSWORD", "JIXIAO_STORE_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NETRC", str(tmp_path / "no-netrc"))


@pytest.fixture(scope="module")
def graph_file(sample: Disclosure, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_sample_graph(sample, tmp_path_factory.mktemp("build"), years=(2020, 2021))


def count(url: str) -> int:
    return int(query_endpoint(url, COUNT_QUADS)["results"]["bindings"][0]["n"]["value"])


def graph_sizes(url: str) -> dict[str, int]:
    found = query_endpoint(url, GRAPHS)["results"]["bindings"]
    return {b["g"]["value"]: int(b["n"]["value"]) for b in found}


def test_published_graph_answers_the_example_queries_like_the_local_file(
    graph_file: Path, tmp_path: Path
) -> None:
    assert len(EXAMPLE_QUERIES) == 5
    with oxigraph_server(tmp_path / "remote") as server:
        publish(graph_file, server.store_url)
        for rq in EXAMPLE_QUERIES:
            remote = json_answer(query_endpoint(server.query_url, rq.read_text(encoding="utf-8")))
            assert remote == local_answer(graph_file, rq), rq.name
        total = query_endpoint(server.query_url, TOTAL_BUDGET.read_text(encoding="utf-8"))
    # The sample's total budget, once per year of the two-year corpus.
    assert [b["total"]["value"] for b in total["results"]["bindings"]] == ["1651.67"] * 2


def test_each_disclosure_and_vocabulary_is_one_named_graph(
    graph_file: Path, sample: Disclosure
) -> None:
    with oxigraph_server(None) as server:
        report = publish(graph_file, server.store_url)
        sizes = graph_sizes(server.query_url)
        department = f"{BASE}/department/{sample.department_code}"
        shared = query_endpoint(
            server.query_url, f"ASK {{ GRAPH <{BASE}/shared> {{ <{department}> ?p ?o }} }}"
        )
    years = [disclosure_iri(sample, 2020), disclosure_iri(sample, 2021)]
    assert sorted(sizes) == sorted([*years, f"{BASE}/shared", ONTOLOGY_GRAPH, SCHEME_GRAPH])
    assert sizes[years[0]] == sizes[years[1]]
    # The department is shared by both years, so it is stored once, in the shared graph.
    assert shared["boolean"] is True
    assert [g.graph for g in report.graphs] == sorted(sizes)
    assert report.triples == sum(sizes.values())


def test_publishing_again_replaces_the_graphs_without_duplicating_triples(
    graph_file: Path,
) -> None:
    with oxigraph_server(None) as server:
        first = publish(graph_file, server.store_url)
        after_first = count(server.query_url)
        second = publish(graph_file, server.store_url)
        after_second = count(server.query_url)
    assert after_first == after_second == first.triples == second.triples
    assert all(g.attempts == 1 for g in second.graphs)


def test_vocabularies_are_published_as_graphs_of_their_own(
    graph_file: Path, tmp_path: Path
) -> None:
    scheme = tmp_path / "scheme.ttl"
    scheme.write_text(
        "<http://x.example/scheme> a <http://www.w3.org/2004/02/skos/core#ConceptScheme> .\n"
        "<http://x.example/c1> <http://www.w3.org/2004/02/skos/core#inScheme> "
        "<http://x.example/scheme> .\n",
        encoding="utf-8",
    )
    with oxigraph_server(None) as server:
        report = publish(graph_file, server.store_url, vocabularies=[scheme])
        sizes = graph_sizes(server.query_url)
    assert sizes["http://x.example/scheme"] == 2
    assert ONTOLOGY_GRAPH not in sizes
    assert "http://x.example/scheme" in [g.graph for g in report.graphs]


def test_graph_base_renames_the_disclosure_graphs(graph_file: Path, sample: Disclosure) -> None:
    with oxigraph_server(None) as server:
        publish(graph_file, server.store_url, graph_base="http://graphs.example/jx/")
        names = sorted(graph_sizes(server.query_url))
    assert names == sorted(
        [
            f"http://graphs.example/jx/disclosure/{sample.department_code}/2020",
            f"http://graphs.example/jx/disclosure/{sample.department_code}/2021",
            "http://graphs.example/jx/shared",
            ONTOLOGY_GRAPH,
            SCHEME_GRAPH,
        ]
    )


def test_a_rejected_upload_leaves_the_previous_graph_whole(
    graph_file: Path, sample: Disclosure
) -> None:
    graph = disclosure_iri(sample, 2020)
    with oxigraph_server(None) as server:
        publish(graph_file, server.store_url)
        before = graph_sizes(server.query_url)
        body = graph_file.read_bytes()
        torn = body[: len(body) // 2]  # an upload cut off mid-line
        with pytest.raises(PublishError, match="HTTP 400") as caught:
            put_graph(server.store_url, graph, torn, attempts=3, sleep=lambda _: None)
        after = graph_sizes(server.query_url)
    assert caught.value.graph == graph
    assert after == before


def test_publish_command_prints_what_it_stored(graph_file: Path) -> None:
    with oxigraph_server(None) as server:
        result = CliRunner().invoke(
            app, ["publish", "--to", server.store_url, "--data", str(graph_file)]
        )
        stored = count(server.query_url)
    assert result.exit_code == 0, result.output
    assert result.output == f"published 5 graphs ({stored} triples) to {server.store_url}\n"


def test_publish_to_a_stopped_server_exits_2_naming_the_graph(
    graph_file: Path, sample: Disclosure
) -> None:
    with oxigraph_server(None) as server:
        url = server.store_url
    result = CliRunner().invoke(
        app, ["publish", "--to", url, "--data", str(graph_file), "--attempts", "2"]
    )
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    message = result.output.strip()
    assert message.startswith(f"jixiao: error: {BASE}/disclosure/{sample.department_code}/2020:")
    assert "after 2 attempts" in message
    assert len(message.splitlines()) == 1


# A scripted store: answers each PUT with the next status of its script, records requests.


@dataclass
class Script:
    statuses: list[int]
    challenge: str | None = None
    requests: list[tuple[str, str, dict[str, str], bytes]] = field(default_factory=list)


@contextmanager
def scripted_store(script: Script) -> Iterator[str]:
    class Handler(BaseHTTPRequestHandler):
        def do_PUT(self) -> None:
            length = int(self.headers.get("Content-Length", 0))
            body = self.rfile.read(length)
            script.requests.append(("PUT", self.path, dict(self.headers), body))
            status = script.statuses.pop(0) if script.statuses else 204
            self.send_response(status)
            if status == 401 and script.challenge:
                self.send_header("WWW-Authenticate", script.challenge)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/store"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def test_a_store_that_fails_twice_then_succeeds_gets_the_graph_on_the_third_try() -> None:
    script = Script(statuses=[503, 502])
    slept: list[float] = []
    body = b"<http://a.example/s> <http://a.example/p> <http://a.example/o> .\n"
    with scripted_store(script) as url:
        attempts = put_graph(url, "http://g.example/1", body, backoff=0.5, sleep=slept.append)
    assert attempts == 3
    assert slept == [0.5, 1.0]
    assert [r[1] for r in script.requests] == ["/store?graph=http%3A%2F%2Fg.example%2F1"] * 3
    assert all(r[3] == body for r in script.requests)
    assert all(r[2]["Content-Type"] == "text/turtle; charset=utf-8" for r in script.requests)


def test_retries_are_bounded_and_the_backoff_capped() -> None:
    script = Script(statuses=[503] * 10)
    slept: list[float] = []
    with scripted_store(script) as url, pytest.raises(PublishError) as caught:
        put_graph(
            url, "http://g.example/1", b"", attempts=5, backoff=1, max_delay=3, sleep=slept.append
        )
    assert len(script.requests) == 5
    assert slept == [1, 2, 3, 3]
    assert caught.value.graph == "http://g.example/1"
    assert "after 5 attempts: HTTP 503" in str(caught.value)


def test_a_refusal_is_not_retried_and_hints_at_credentials(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("JIXIAO_STORE_USER", "loader")
    monkeypatch.setenv("JIXIAO_STORE_PASSWORD", "s3cret-pw")
    script = Script(statuses=[401])
    with scripted_store(script) as url, pytest.raises(PublishError) as caught:
        put_graph(url, "http://g.example/1", b"", sleep=lambda _: pytest.fail("retried"))
    assert len(script.requests) == 1
    assert "HTTP 401" in str(caught.value)
    assert "JIXIAO_STORE_USER" in str(caught.value)
    assert "s3cret-pw" not in str(caught.value)


def basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


def test_credentials_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JIXIAO_STORE_USER", "loader")
    monkeypatch.setenv("JIXIAO_STORE_PASSWORD", "s3cret-pw")
    script = Script(statuses=[204])
    with scripted_store(script) as url:
        put_graph(url, "http://g.example/1", b"")
    assert script.requests[0][2]["Authorization"] == basic("loader", "s3cret-pw")


def test_a_store_that_asks_for_digest_gets_digest_credentials(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("JIXIAO_STORE_USER", "loader")
    monkeypatch.setenv("JIXIAO_STORE_PASSWORD", "s3cret-pw")
    script = Script(statuses=[401, 201], challenge='Digest realm="SPARQL", nonce="n0", qop="auth"')
    body = b"<http://a.example/s> <http://a.example/p> <http://a.example/o> .\n"
    with scripted_store(script) as url:
        assert put_graph(url, "http://g.example/1", body) == 1
    digest = script.requests[1][2]["Authorization"]
    assert digest.startswith('Digest username="loader", realm="SPARQL", nonce="n0"')
    assert "s3cret-pw" not in digest
    assert script.requests[1][3] == body


def test_a_token_in_the_environment_is_sent_as_a_bearer_token(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("JIXIAO_STORE_TOKEN", "tok-123")
    script = Script(statuses=[204])
    with scripted_store(script) as url:
        put_graph(url, "http://g.example/1", b"")
    assert script.requests[0][2]["Authorization"] == "Bearer tok-123"


def test_credentials_come_from_netrc_for_the_store_host(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    netrc = tmp_path / "netrc"
    netrc.write_text("machine 127.0.0.1 login netrc-user password netrc-pw\n")
    netrc.chmod(0o600)
    monkeypatch.setenv("NETRC", str(netrc))
    script = Script(statuses=[204])
    with scripted_store(script) as url:
        put_graph(url, "http://g.example/1", b"")
    assert script.requests[0][2]["Authorization"] == basic("netrc-user", "netrc-pw")


def test_no_credentials_send_no_authorization_header() -> None:
    script = Script(statuses=[204])
    with scripted_store(script) as url:
        put_graph(url, "http://g.example/1", b"")
    assert "Authorization" not in script.requests[0][2]


def test_a_broken_netrc_is_a_config_error_that_does_not_echo_its_secrets(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    netrc = tmp_path / "netrc"
    netrc.write_text("machine 127.0.0.1 login u password hunter2 bogus-token\n")
    netrc.chmod(0o600)
    monkeypatch.setenv("NETRC", str(netrc))
    with pytest.raises(ConfigError) as caught:
        put_graph("http://127.0.0.1:9/store", "http://g.example/1", b"")
    assert "hunter2" not in str(caught.value)
    assert "bogus-token" not in str(caught.value)


def test_credentials_in_the_url_are_refused_without_echoing_them(graph_file: Path) -> None:
    url = "http://loader:s3cret-pw@127.0.0.1:9/store"
    result = CliRunner().invoke(app, ["publish", "--to", url, "--data", str(graph_file)])
    assert result.exit_code == 2
    assert "s3cret-pw" not in result.output
    assert "--to: credentials in the URL are not accepted" in result.output
