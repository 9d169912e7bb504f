"""Where each resource lives on the site, and the RDF its page carries.

The path of a page is the path of its resource's IRI (DESIGN.md, "Identifiers"): the project
``{base}/project/{year}/{code}`` is the page ``project/{year}/{code}/``. The IRIs come from
:mod:`toolkit.iris` and the graphs from :mod:`toolkit.rdf` when those modules are present;
until then the small fallbacks below mint the same IRIs and describe a project with
schema.org terms.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

from rdflib import RDF, XSD, Graph, Literal, Namespace, URIRef

from toolkit.model import Disclosure, Project

__all__ = [
    "department_path",
    "disclosure_path",
    "jsonld_text",
    "project_graph",
    "project_path",
    "resource_iri",
    "script_safe",
]

SCHEMA = Namespace("https://schema.org/")


def _segment(text: str) -> str:
    # Codes are validated against CODE_PATTERN already; quoting keeps a path safe regardless.
    return quote(text, safe="")


def _year(disclosure: Disclosure) -> str:
    return str(disclosure.year) if disclosure.year is not None else "undated"


def project_path(disclosure: Disclosure, project: Project) -> str:
    """Site-relative folder of a project's page, e.g. ``project/2020/917-0101-YCN-16DG/``."""
    return f"project/{_year(disclosure)}/{_segment(project.code)}/"


def disclosure_path(disclosure: Disclosure) -> str:
    return f"disclosure/{_segment(disclosure.department_code)}/{_year(disclosure)}/"


def department_path(department_code: str) -> str:
    return f"department/{_segment(department_code)}/"


def resource_iri(base: str, path: str) -> str:
    """The IRI whose path is the page ``path``: ``{base}/project/2020/CODE``."""
    return f"{base.rstrip('/')}/{path.rstrip('/')}"


def project_graph(disclosure: Disclosure, project: Project, *, base: str) -> Graph:
    """The project's RDF: :func:`toolkit.rdf.project_graph` once it exists, else a
    schema.org description of the project (name, code, budget, funder, goals)."""
    try:
        from toolkit import rdf  # type: ignore[attr-defined]
    except ImportError:
        return _schema_org_graph(disclosure, project, base=base)
    return rdf.project_graph(disclosure, project, base=base)


def _schema_org_graph(disclosure: Disclosure, project: Project, *, base: str) -> Graph:
    graph = Graph(bind_namespaces="none")
    graph.bind("schema", SCHEMA)
    node = URIRef(resource_iri(base, project_path(disclosure, project)))
    funder = URIRef(resource_iri(base, department_path(disclosure.department_code)))
    graph.add((node, RDF.type, SCHEMA.MonetaryGrant))
    graph.add((node, SCHEMA.identifier, Literal(project.code)))
    graph.add((node, SCHEMA.name, Literal(project.name, lang="zh")))
    graph.add((node, SCHEMA.url, node))
    graph.add((node, SCHEMA.funder, funder))
    graph.add((funder, RDF.type, SCHEMA.GovernmentOrganization))
    graph.add((funder, SCHEMA.identifier, Literal(disclosure.department_code)))
    graph.add((funder, SCHEMA.name, Literal(disclosure.department_name, lang="zh")))
    if project.use_of_funds:
        graph.add((node, SCHEMA.description, Literal(project.use_of_funds, lang="zh")))
    for goal in project.goals:
        graph.add((node, SCHEMA.disambiguatingDescription, Literal(goal, lang="zh")))
    if project.budget_total is not None:
        amount = URIRef(f"{node}#budget")
        factor = 10000 if disclosure.currency_unit == "万元" else 1
        graph.add((node, SCHEMA.amount, amount))
        graph.add((amount, RDF.type, SCHEMA.MonetaryAmount))
        graph.add((amount, SCHEMA.currency, Literal("CNY")))
        graph.add(
            (amount, SCHEMA.value, Literal(project.budget_total * factor, datatype=XSD.decimal))
        )
    return graph


def _canonical(value: Any) -> Any:
    """JSON-LD with object keys sorted and unordered arrays sorted (``@list`` keeps its
    order), so a graph always serialises to the same text."""
    if isinstance(value, dict):
        return {
            key: (item if key == "@list" else _canonical(item))
            for key, item in sorted(value.items())
        }
    if isinstance(value, list):
        items = [_canonical(item) for item in value]
        return sorted(items, key=lambda item: json.dumps(item, sort_keys=True, ensure_ascii=False))
    return value


def jsonld_text(graph: Graph) -> str:
    """The graph as compact, deterministic JSON-LD text."""
    context = {prefix: str(ns) for prefix, ns in sorted(graph.namespaces()) if prefix}
    data = json.loads(graph.serialize(format="json-ld", context=context, auto_compact=True))
    return json.dumps(_canonical(data), ensure_ascii=False, indent=1) + "\n"


def script_safe(text: str) -> str:
    """JSON text safe inside ``<script>``: ``<``, ``>`` and ``&`` become JSON escapes, so
    neither ``</script>`` nor ``<!--`` can end or change the element, and U+2028/9 cannot
    break old parsers. They occur only inside JSON strings, whose values are unchanged."""
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )
