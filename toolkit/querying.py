"""Where ``jixiao query`` runs: a remote endpoint, the embedded store, or the graph files.

- ``--endpoint URL``: the query goes to that SPARQL endpoint (:mod:`toolkit.sparql_client`).
- No ``--data`` and a ``build/store`` loaded from the graph now in ``build/rdf``: the embedded
  Oxigraph store answers (fast on a large corpus, nothing to parse).
- Otherwise rdflib parses the graph file with the ontology and the indicator scheme
  (:func:`toolkit.sparql.query`).

All three give a :class:`~toolkit.sparql.QueryResult`, printed the same way. A store that is
out of date is not used (nor silently reloaded): the files answer instead.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from toolkit.errors import OutputError
from toolkit.sparql import QueryResult, load_query
from toolkit.sparql import query as query_files
from toolkit.sparql_client import query_endpoint
from toolkit.store import default_graph_file, query_store, store_is_current
from toolkit.vocabularies import bind_prefixes

__all__ = ["answer_query", "as_query_result", "current_store"]


def _term(value: dict[str, str]) -> Node:
    kind = value["type"]
    if kind == "uri":
        return URIRef(value["value"])
    if kind == "bnode":
        return BNode(value["value"])
    language = value.get("xml:lang")
    datatype = value.get("datatype")
    return Literal(value["value"], lang=language, datatype=URIRef(datatype) if datatype else None)


def as_query_result(results: dict[str, Any]) -> QueryResult:
    """SPARQL 1.1 JSON results (as from the store or an endpoint) as a ``QueryResult``."""
    if "boolean" in results:
        return QueryResult(kind="ask", boolean=bool(results["boolean"]))
    bindings = results["results"]["bindings"]
    if results.get("graph"):
        graph = bind_prefixes(Graph(bind_namespaces="core"))
        for b in bindings:
            graph.add((_term(b["subject"]), _term(b["predicate"]), _term(b["object"])))
        return QueryResult(kind="construct", graph=graph)
    variables = list(results["head"].get("vars", []))
    rows = [tuple(_term(b[name]) if name in b else None for name in variables) for b in bindings]
    return QueryResult(kind="select", variables=variables, rows=rows)


def current_store(build_dir: str | Path = "build") -> Path | None:
    """``build/store`` if it holds exactly the graph now built (and the vocabularies)."""
    store = Path(build_dir) / "store"
    if not store.is_dir():
        return None
    try:
        source = default_graph_file(build_dir)
    except OutputError:
        return None
    return store if store_is_current(store, source) else None


def answer_query(
    text_or_path: str,
    *,
    data: Path | None = None,
    endpoint: str | None = None,
    build_dir: str | Path = "build",
) -> QueryResult:
    """Run one query (text or a ``.rq`` path) where the options say (see the module)."""
    if endpoint is not None:
        if data is not None:
            raise OutputError("--data and --endpoint exclude each other: query one or the other")
        text, _ = load_query(text_or_path)
        return as_query_result(query_endpoint(endpoint, text))
    store = current_store(build_dir) if data is None else None
    if store is not None:
        text, source = load_query(text_or_path)
        return as_query_result(query_store(store, text, source=source))
    return query_files(text_or_path, data=data)
