"""Publishing the graph into any SPARQL 1.1 store with the Graph Store Protocol.

Each disclosure is one named graph (split as in :mod:`toolkit.named_graphs`) and is sent with
one ``PUT {store}?graph={IRI}`` whose body is the whole graph in N-Triples (sent as Turtle, of
which it is a subset). A PUT replaces the graph in one transaction on the store, so
publishing again changes nothing, and an upload that fails leaves the store's previous copy
of that graph, never half of the new one.

A failure that may pass (no connection, a timeout, HTTP 5xx, 408 or 429) is retried after
``backoff``, ``2 × backoff``, ``4 × backoff`` … seconds (each at most ``max_delay``), up to
``attempts`` tries in all; then, or at once for any other refusal, a
:class:`~toolkit.errors.PublishError` names the graph. Credentials: see
:mod:`toolkit.sparql_client`.
"""

from __future__ import annotations

import http.client
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from toolkit.errors import PublishError
from toolkit.named_graphs import dataset_graphs
from toolkit.sparql_client import check_store_url, open_request
from toolkit.store import VOCABULARIES, default_graph_file

__all__ = ["PublishReport", "PublishedGraph", "ntriples", "publish", "put_graph"]

RETRYABLE_STATUS = {408, 429, 500, 502, 503, 504}
HINTS = {
    401: " (set JIXIAO_STORE_USER and JIXIAO_STORE_PASSWORD, JIXIAO_STORE_TOKEN, or ~/.netrc)",
    403: " (the account may not write to this store)",
    404: " (is --to the store's Graph Store Protocol URL? see the README)",
    405: " (is --to the store's Graph Store Protocol URL, and is the store writable?)",
}


@dataclass(frozen=True)
class PublishedGraph:
    graph: str
    triples: int
    attempts: int


@dataclass
class PublishReport:
    """What :func:`publish` stored: one entry per named graph, in the order sent."""

    store: str
    graphs: list[PublishedGraph] = field(default_factory=list)

    @property
    def triples(self) -> int:
        return sum(graph.triples for graph in self.graphs)

    def summary(self) -> str:
        return f"published {len(self.graphs)} graphs ({self.triples} triples) to {self.store}"


def ntriples(triples: list[ox.Triple]) -> bytes:
    """The graph as N-Triples, lines sorted so the same graph is always the same body."""
    text = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
    lines = sorted(set(text.splitlines(keepends=True)))
    return b"".join(lines)


def put_graph(
    store_url: str,
    graph: str,
    body: bytes,
    *,
    attempts: int = 4,
    backoff: float = 0.5,
    max_delay: float = 8.0,
    timeout: float = 60.0,
    sleep: Callable[[float], None] = time.sleep,
) -> int:
    """Replace the named graph ``graph`` in the store with ``body`` (N-Triples); the tries used."""
    if attempts < 1:
        raise ValueError("attempts must be at least 1")
    query = urllib.parse.urlencode({"graph": graph})
    url = f"{store_url}{'&' if '?' in store_url else '?'}{query}"
    last = ""
    for attempt in range(1, attempts + 1):
        request = urllib.request.Request(
            url,
            data=body,
            # N-Triples is a subset of Turtle, and Turtle is the one type all the stores of
            # the README take on a Graph Store Protocol PUT.
            headers={"Content-Type": "text/turtle; charset=utf-8"},
            method="PUT",
        )
        delay = min(backoff * 2 ** (attempt - 1), max_delay)
        try:
            with open_request(request, timeout=timeout) as response:
                response.read()
            return attempt
        except urllib.error.HTTPError as error:
            error.close()
            last = f"HTTP {error.code} {error.reason}"
            if error.code not in RETRYABLE_STATUS:
                raise PublishError(
                    f"{store_url} refused the graph: {last}{HINTS.get(error.code, '')}",
                    graph=graph,
                ) from None
            delay = min(_retry_after(error) or delay, max_delay)
        except (urllib.error.URLError, http.client.HTTPException, OSError) as error:
            last = str(getattr(error, "reason", None) or error) or type(error).__name__
        if attempt < attempts:
            sleep(delay)
    raise PublishError(
        f"could not store the graph in {store_url} after {attempts} attempts: {last}",
        graph=graph,
    )


def _retry_after(error: urllib.error.HTTPError) -> float | None:
    value = error.headers.get("Retry-After") if error.headers else None
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None


def publish(
    source: str | Path | None,
    store_url: str,
    *,
    graph_base: str | None = None,
    vocabularies: Sequence[str | Path] = VOCABULARIES,
    attempts: int = 4,
    backoff: float = 0.5,
    max_delay: float = 8.0,
    timeout: float = 60.0,
    sleep: Callable[[float], None] = time.sleep,
) -> PublishReport:
    """Publish a built graph file (``data.nt`` or ``data.ttl``), one PUT per disclosure.

    ``source`` None means the graph ``jixiao build`` wrote (``build/rdf/data.nt``).
    ``store_url`` is the store's Graph Store Protocol endpoint (``http://host:7878/store``
    for Oxigraph; the README lists the others). ``graph_base`` replaces the base of the graph
    names: ``{graph_base}/disclosure/{dept}/{year}``. ``vocabularies`` (default: the ontology
    and the indicator scheme) are published too, each as the graph its ontology or scheme IRI names,
    so remote queries see what ``jixiao query`` sees locally.
    """
    check_store_url(store_url)
    if source is None:
        source = default_graph_file()
    split = dataset_graphs(source, graph_base=graph_base, vocabularies=vocabularies)
    report = PublishReport(store=store_url)
    for graph, triples in split.graphs.items():
        body = ntriples(triples)
        used = put_graph(
            store_url,
            graph,
            body,
            attempts=attempts,
            backoff=backoff,
            max_delay=max_delay,
            timeout=timeout,
            sleep=sleep,
        )
        report.graphs.append(PublishedGraph(graph=graph, triples=body.count(b"\n"), attempts=used))
    return report
