"""Test support for the store, endpoint and publishing tests: the sample's graph and a server.

Until ``toolkit.rdf`` lands, the graph is a small real one made with rdflib from the sample
model, shaped like the linked-data design (disclosure → department, project → disclosure,
indicator → project, each target a blank node), so the split into named graphs is exercised
with links in both directions and a department shared by two years.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, XSD

from toolkit.endpoint import SparqlServer, start_sparql_server
from toolkit.model import Disclosure

BASE = "https://example.org/jixiao"
BP = Namespace(f"{BASE}/ontology/bp#")

# The example queries every test asks both the local file and the store.
QUERIES = {
    "total-budget": f"""PREFIX bp: <{BP}>
        SELECT (SUM(?budget) AS ?total) (COUNT(?p) AS ?projects)
        WHERE {{ ?p a bp:Project ; bp:budgetTotal ?budget }}""",
    "budget-by-project": f"""PREFIX bp: <{BP}>
        SELECT ?code ?budget WHERE {{ ?p a bp:Project ; bp:code ?code ; bp:budgetTotal ?budget }}
        ORDER BY ?code""",
    "indicators-per-disclosure": f"""PREFIX bp: <{BP}> PREFIX dct: <http://purl.org/dc/terms/>
        SELECT ?d (COUNT(?i) AS ?n) WHERE {{ ?i bp:project ?p . ?p dct:isPartOf ?d }}
        GROUP BY ?d ORDER BY ?d""",
    "non-quantitative-targets": f"""PREFIX bp: <{BP}>
        SELECT ?raw WHERE {{ ?i bp:target [ bp:raw ?raw ; bp:kind "qualitative" ] }}
        ORDER BY ?raw""",
}


NUMBERS = {str(XSD[name]) for name in ("decimal", "integer", "int", "long", "double", "float")}


def disclosure_iri(disclosure: Disclosure, year: int) -> str:
    return f"{BASE}/disclosure/{disclosure.department_code}/{year}"


def sample_graph(disclosure: Disclosure, years: tuple[int, ...] = (2020,)) -> Graph:
    """The sample as RDF, once per year in ``years`` (a second year stands for a corpus)."""
    graph = Graph()
    department = URIRef(f"{BASE}/department/{disclosure.department_code}")
    graph.add((department, RDF.type, BP.Department))
    graph.add((department, RDFS.label, Literal(disclosure.department_name, lang="zh")))
    for year in years:
        node = URIRef(disclosure_iri(disclosure, year))
        graph.add((node, RDF.type, BP.Disclosure))
        graph.add((node, BP.department, department))
        graph.add((node, BP.year, Literal(year, datatype=XSD.gYear)))
        for project in disclosure.projects:
            p = URIRef(f"{BASE}/project/{year}/{project.code}")
            graph.add((p, RDF.type, BP.Project))
            graph.add((p, DCTERMS.isPartOf, node))
            graph.add((p, BP.code, Literal(project.code)))
            graph.add((p, RDFS.label, Literal(project.name, lang="zh")))
            if project.budget_total is not None:
                graph.add((p, BP.budgetTotal, Literal(project.budget_total, datatype=XSD.decimal)))
            for indicator in project.indicators:
                i = URIRef(f"{p}/indicator/{indicator.ordinal}")
                target = BNode()
                graph.add((i, RDF.type, BP.Indicator))
                graph.add((i, BP.project, p))
                graph.add((i, BP.name, Literal(indicator.name, lang="zh")))
                graph.add((i, BP.target, target))
                graph.add((target, BP.raw, Literal(indicator.target.raw)))
                graph.add((target, BP.kind, Literal(indicator.target.kind.value)))
    return graph


def write_sample_graph(
    disclosure: Disclosure, folder: Path, years: tuple[int, ...] = (2020,)
) -> Path:
    path = folder / "rdf" / "data.nt"
    path.parent.mkdir(parents=True, exist_ok=True)
    sample_graph(disclosure, years).serialize(path, format="nt", encoding="utf-8")
    return path


def rows(results: dict[str, Any]) -> list[tuple[tuple[str, Any], ...]]:
    """SPARQL JSON results as comparable rows: numbers as Decimal, other terms as text."""
    found = []
    for binding in results["results"]["bindings"]:
        row = []
        for name in sorted(binding):
            term = binding[name]
            value: Any = term["value"]
            if term.get("datatype") in NUMBERS:
                value = Decimal(value)
            row.append((name, value))
        found.append(tuple(row))
    return sorted(found)


def local_answer(path: Path, query: str) -> list[tuple[tuple[str, Any], ...]]:
    """The answer rdflib gives on the graph file itself: what the store must agree with."""
    graph = Graph()
    graph.parse(path, format="nt")
    return rows(json.loads(graph.query(query).serialize(format="json")))


@contextmanager
def oxigraph_server(location: Path | None, *, read_only: bool = False) -> Iterator[SparqlServer]:
    """A real Oxigraph server on a free loopback port, stopped whatever happens."""
    server = start_sparql_server(location, read_only=read_only)
    try:
        yield server
    finally:
        server.stop()
