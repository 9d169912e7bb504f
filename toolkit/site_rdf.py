"""Where each resource lives on the site, and the RDF its page carries.

The path of a page is the path of its resource's IRI (DESIGN.md, "Identifiers"): the project
``{base}/project/{year}/{code}`` is the page ``project/{year}/{code}/``. Paths come from
:mod:`toolkit.iris` and graphs from :mod:`toolkit.rdf`, so the site and the RDF can never
disagree on an IRI.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from rdflib import Graph, URIRef
from rdflib.term import Node

from toolkit import iris, rdf, rdf_text
from toolkit.model import Disclosure, Project
from toolkit.quality.finding import Finding

__all__ = [
    "corpus_triples",
    "department_path",
    "disclosure_pages",
    "disclosure_path",
    "jsonld_text",
    "page_graphs",
    "project_graph",
    "project_path",
    "resource_iri",
    "script_safe",
    "site_graph",
    "turtle_text",
]

# A page's path does not depend on the base: any base gives the same path.
_ANY_BASE = "https://site.invalid"

project_graph = rdf.project_graph


def _path(iri: URIRef) -> str:
    return iris.page_path(iri, _ANY_BASE) + "/"


def project_path(disclosure: Disclosure, project: Project) -> str:
    """Site-relative folder of a project's page, e.g. ``project/2020/917-0101-YCN-16DG/``;
    :class:`~toolkit.errors.OutputError` for a disclosure without a year or an unsafe code."""
    return _path(iris.project_iri(_ANY_BASE, disclosure, project))


def disclosure_path(disclosure: Disclosure) -> str:
    return _path(iris.disclosure_iri(_ANY_BASE, disclosure))


def department_path(department_code: str) -> str:
    return _path(iris.department_iri(_ANY_BASE, department_code))


def resource_iri(base: str, path: str) -> str:
    """The IRI whose path is the page ``path``: ``{base}/project/2020/CODE``."""
    return f"{base.rstrip('/')}/{path.rstrip('/')}"


def site_graph(disclosures: Sequence[Disclosure], findings: Sequence[Finding], base: str) -> Graph:
    """Everything the site publishes as one graph (the same as the build's RDF dump)."""
    return rdf.to_graph(disclosures, base=base, findings=findings)


def page_graphs(graph: Iterable[Triple], base: str, paths: set[str]) -> dict[str, list[Triple]]:
    """The triples of each page in ``paths``: those whose subject is the page's resource or
    one of its ``#parts``. One pass over the graph."""
    pages: dict[str, list[Triple]] = {path: [] for path in paths}
    root = base.rstrip("/") + "/"
    for s, p, o in graph:
        if isinstance(s, URIRef) and str(s).startswith(root):
            target = pages.get(iris.page_path(s, base) + "/")
            if target is not None:
                target.append((s, p, o))
    return pages


Triple = tuple[Node, Node, Node]


def _rdflib(triples: Iterable[rdf_text.Triple]) -> list[Triple]:
    # The site's serialisers and queries take rdflib terms.
    to = rdf_text.to_rdflib
    return [(to(s), to(p), to(o)) for s, p, o in triples]


def corpus_triples(
    disclosures: Sequence[Disclosure], findings: Sequence[Finding], base: str
) -> list[Triple]:
    """The triples of :func:`toolkit.rdf.to_graph` (possibly repeated), as a list."""
    return _rdflib(rdf.corpus_triples(disclosures, base=base, findings=findings))


def disclosure_pages(
    d: Disclosure, findings: Sequence[Finding], base: str
) -> dict[str, list[Triple]]:
    """The RDF of each project page of ``d``, by page IRI: every triple about the project and
    its parts (with the audit's ``findings`` on them), the disclosure's link to it, and the
    schema.org terms a search engine reads, as :func:`toolkit.rdf.project_graph` states them."""
    writer = rdf.TripleWriter(base)
    writer.disclosure(d, iris.dataset_iri(base))
    writer.findings(findings, [d])
    by_page: dict[str, list[rdf_text.Triple]] = {}
    for triple in writer.triples:
        by_page.setdefault(triple[0].split("#", 1)[0], []).append(triple)
    pages = {}
    for p in d.projects:
        page = str(iris.project_iri(base, d, p))
        own = by_page.get(page, []) + rdf.search_engine_triples(d, p, base=base)
        pages[page] = _rdflib(own)
    return pages


def jsonld_text(graph: Graph) -> str:
    """The graph as JSON-LD with the project's context, the same text on every run."""
    return rdf.serialize(graph, "jsonld").decode("utf-8")


def turtle_text(graph: Graph) -> str:
    return rdf.serialize(graph, "ttl").decode("utf-8")


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
