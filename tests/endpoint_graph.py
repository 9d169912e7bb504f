"""Test support for the store, endpoint and publishing tests: the sample's graph, the example
queries with the answers of the graph files, and an Oxigraph server that is always stopped.

The graph is the one ``toolkit.rdf`` writes. With ``years=(2020, 2021)`` the sample is
written twice, once per year, as a small corpus whose two disclosures share a department.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any

from rdflib import Literal
from rdflib.namespace import XSD

from toolkit.endpoint import SparqlServer, start_sparql_server
from toolkit.model import Disclosure
from toolkit.querying import as_query_result
from toolkit.rdf import to_graph, write_rdf
from toolkit.sparql import QueryResult
from toolkit.sparql import query as query_files
from toolkit.vocabularies import QUERIES_DIR

BASE = "https://example.org/jixiao"
EXAMPLE_QUERIES = sorted(QUERIES_DIR.glob("*.rq"))
DECIMAL_TEXT = re.compile(r"\b\d+\.\d+\b")
NUMBERS = {XSD.decimal, XSD.integer, XSD.int, XSD.long, XSD.double, XSD.float}


def disclosure_iri(disclosure: Disclosure, year: int) -> str:
    return f"{BASE}/disclosure/{disclosure.department_code}/{year}"


def write_sample_graph(
    disclosure: Disclosure, folder: Path, years: tuple[int, ...] = (2020,)
) -> Path:
    """The sample's graph (once per year) as ``folder/rdf/data.nt``, as a build writes it."""
    corpus = [disclosure.model_copy(update={"year": year}) for year in years]
    write_rdf(to_graph(corpus, base=BASE), folder / "rdf")
    return folder / "rdf" / "data.nt"


def _number_text(match: re.Match[str]) -> str:
    return match.group(0).rstrip("0").rstrip(".")


def comparable(result: QueryResult) -> Any:
    """A result in a form two SPARQL engines agree on: rows sorted (engines may break ORDER BY
    ties differently), numbers as values. Oxigraph keeps an xsd:decimal as its value, so
    ``"25.00"`` comes back as ``"25"``, also inside text a query builds with ``STR``."""
    if result.kind == "ask":
        return result.boolean
    if result.graph is not None:
        return sorted(tuple(map(str, triple)) for triple in result.graph)

    def value(term: Any) -> Any:
        if isinstance(term, Literal) and term.datatype in NUMBERS:
            return Decimal(str(term))
        return None if term is None else DECIMAL_TEXT.sub(_number_text, str(term))

    return result.variables, sorted(tuple(map(value, row)) for row in result.rows)


def local_answer(data: Path, query: Path | str) -> Any:
    """What ``jixiao query --data`` answers from the graph file (with ontology and scheme)."""
    return comparable(query_files(str(query), data=data))


def json_answer(results: dict[str, Any]) -> Any:
    """The same form for SPARQL JSON results from the store or an endpoint."""
    return comparable(as_query_result(results))


@contextmanager
def oxigraph_server(location: Path | None, *, read_only: bool = False) -> Iterator[SparqlServer]:
    """A real Oxigraph server on a free loopback port, stopped whatever happens."""
    server = start_sparql_server(location, read_only=read_only)
    try:
        yield server
    finally:
        server.stop()
