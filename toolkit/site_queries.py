"""The example SPARQL queries of the linked-data page, run once on this site's data.

rdflib's SPARQL engine took seconds per query and grew faster than the corpus (its joins and
``ORDER BY`` over a pure-Python store); the graph is loaded into an in-memory Oxigraph store
instead, with the ontology and the indicator scheme, as ``jixiao query`` loads them. Oxigraph
keeps decimals canonically ("25" for "25.00"), so a decimal is shown with at least two
fraction digits, the precision of the amounts the disclosures state.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pyoxigraph as ox
from rdflib import XSD, BNode, Literal, URIRef
from rdflib.term import Node

from toolkit import iris
from toolkit.errors import OutputError
from toolkit.rdf_text import Triple
from toolkit.site_html import Cell, esc, relative
from toolkit.site_serialize import ntriples_bytes
from toolkit.sparql_scope import Scope, line_blocks, matching_lines, triples_matched
from toolkit.vocabularies import ONTOLOGY_FILE, SCHEME_FILE

__all__ = [
    "QUERY_ROW_LIMIT",
    "ScopedTriples",
    "ShownQuery",
    "endpoint_section",
    "example_scope",
    "run_queries",
    "shown_text",
]

QUERY_ROW_LIMIT = 50
_CENTS = Decimal("0.01")


@dataclass(frozen=True)
class ScopedTriples:
    """A graph's N-Triples dump (``whole``) and, in ``path``, its triples that ``scope`` can
    match, as the build's RDF stage writes them beside its dumps: queries within that scope
    load ``path`` alone instead of picking their triples out of the whole dump."""

    whole: Path
    path: Path
    scope: Scope


def example_scope(queries: Path) -> Scope | None:
    """What the example queries in ``queries`` can match (:func:`triples_matched`)."""
    return triples_matched(path.read_text(encoding="utf-8") for path in _query_files(queries))


def _query_files(queries: Path) -> list[Path]:
    return sorted(queries.glob("*.rq")) if queries.is_dir() else []


@dataclass(frozen=True)
class ShownQuery:
    """An example query and its result, ready to show: cells are trusted HTML."""

    name: str
    title: str
    text: str
    headers: list[str]
    rows: list[list[Cell]]
    total: int


def shown_text(term: Node) -> str:
    """A result value as the page shows it: a decimal with at least two fraction digits."""
    if isinstance(term, Literal) and term.datatype == XSD.decimal:
        try:
            value = Decimal(str(term))
        except InvalidOperation:
            return str(term)
        exponent = value.as_tuple().exponent
        if isinstance(exponent, int) and exponent > -2:
            value = value.quantize(_CENTS)
        return f"{value:f}"
    return str(term)


def _cell(term: Node | None, base: str, here: str) -> Cell:
    """A result value; an IRI of this site links to the page that describes it."""
    if term is None:
        return Cell("")
    if isinstance(term, URIRef) and str(term).startswith(base.rstrip("/") + "/"):
        path = iris.page_path(term, base) + "/"
        fragment = str(term).partition("#")[2]
        link = relative(path, here) + (f"#{fragment}" if fragment else "")
        label = path.rstrip("/").rsplit("/", 1)[-1] + (f"#{fragment}" if fragment else "")
        return Cell(f'<a href="{esc(link)}" title="{esc(term)}">{esc(label)}</a>', str(term))
    text = shown_text(term)
    return Cell(esc(text), text)


def _sort_text(term: object) -> str:
    """The sort key of the cell :func:`_cell` makes of ``term``."""
    node = _rdflib(term)
    return "" if node is None else shown_text(node)


def _rdflib(term: object) -> Node | None:
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    assert isinstance(term, ox.Literal)
    if term.language:
        return Literal(term.value, lang=term.language)
    return Literal(term.value, datatype=URIRef(term.datatype.value))


def _store(data: Path | bytes | Iterable[Triple] | ScopedTriples, scope: Scope | None) -> ox.Store:
    """The data with the ontology and the scheme; of a dump, the triples ``scope`` can
    match (all when ``None``): they are all the queries can match.

    The data is the build's own (its dump, or triples stated here), every IRI minted by
    :mod:`toolkit.iris` or the vocabularies: it is loaded without checking each IRI again
    (``lenient``), a third faster (100 documents: 0.39 s against 0.25 s)."""
    store = ox.Store()
    nt = ox.RdfFormat.N_TRIPLES
    if isinstance(data, ScopedTriples) and data.scope == scope:
        blocks = line_blocks(data.path)  # all of them wanted
    else:
        if isinstance(data, ScopedTriples):  # chosen for other queries
            data = data.whole
        blocks = (
            matching_lines(data, scope) if isinstance(data, Path) and scope is not None else None
        )
    if blocks is not None:
        for lines in blocks:
            # A block of a few megabytes: one transaction each loads faster than bulk_load
            # (measured at 1,000 documents: 8.9 s against 11.8-14.4 s, the same memory).
            store.load(lines, format=nt, lenient=True)
    elif isinstance(data, Path):
        store.bulk_load(path=str(data), format=nt, lenient=True)
    else:
        text = data if isinstance(data, bytes) else ntriples_bytes(data)
        store.bulk_load(text, format=nt, lenient=True)
    for path in (ONTOLOGY_FILE, SCHEME_FILE):
        store.bulk_load(path=str(path), format=ox.RdfFormat.TURTLE)
    return store


def run_queries(
    queries: Path, graph: Path | bytes | Iterable[Triple] | ScopedTriples, *, base: str, here: str
) -> list[ShownQuery]:
    """Run every ``*.rq`` in ``queries`` on ``graph`` (the build's own data: its N-Triples
    dump, with the triples the queries can match beside it or not, N-Triples text or plain
    triples, :mod:`toolkit.rdf_text`; its IRIs are not checked again) with the ontology and
    the indicator scheme
    (SELECT queries are shown; the first ``#`` line of a file is its title). A query that
    fails is an :class:`OutputError`: the examples must work on the data they document."""
    paths = _query_files(queries)
    if not paths:
        return []
    texts = [path.read_text(encoding="utf-8") for path in paths]
    store = _store(graph, triples_matched(texts))
    shown = []
    for path, text in zip(paths, texts, strict=True):
        comments = [line.lstrip("#").strip() for line in text.splitlines() if line.startswith("#")]
        try:
            result = store.query(text)
        except (SyntaxError, OSError, ValueError) as error:
            raise OutputError(f"the example query fails: {error}", path=path) from error
        if not isinstance(result, ox.QuerySolutions):
            continue
        variables = [v.value for v in result.variables]
        solutions = list(result)
        if "order by" not in text.lower():
            # The page's order is the shown texts' (a cell's sort key).
            solutions.sort(key=lambda row: [_sort_text(row[v]) for v in variables])
        # Only the rows shown become cells: a query may match every indicator.
        rows = [
            [_cell(_rdflib(row[v]), base, here) for v in variables]
            for row in solutions[:QUERY_ROW_LIMIT]
        ]
        title = comments[0] if comments else path.stem
        shown.append(ShownQuery(path.name, title, text, variables, rows, len(solutions)))
    return shown


def endpoint_section(endpoint: str | None) -> list[str]:
    """Where to query this data with SPARQL: the configured endpoint (``[site]
    sparql_endpoint``) with how to query it, or else how to run one over a build."""
    parts = ['<h2 id="endpoint">SPARQL 查询服务</h2>']
    if endpoint is None:
        commands = (
            "jixiao build\n"
            "jixiao serve --sparql        # 在本机启动只读的 SPARQL 1.1 查询服务，并显示其地址\n"
            "jixiao query ontology/queries/total-budget.rq   # 或直接查询构建出的数据"
        )
        return [
            *parts,
            "<p>本站未配置公开的 SPARQL 查询服务。下载数据后可在本机运行一个：</p>",
            f'<pre class="jx-sparql"><code>{esc(commands)}</code></pre>',
            "<p>发布者可在 <code>jixiao.toml</code> 的 <code>[site]</code> 中设置 "
            "<code>sparql_endpoint</code>，本页即显示其地址。</p>",
        ]
    url = esc(endpoint)
    commands = (
        f"jixiao query ontology/queries/total-budget.rq --endpoint {endpoint}\n"
        f"curl -H 'Accept: application/sparql-results+json' \\\n"
        f"     --data-urlencode 'query=SELECT (COUNT(*) AS ?triples) WHERE {{ ?s ?p ?o }}' \\\n"
        f"     {endpoint}"
    )
    return [
        *parts,
        f'<p>本站数据的 SPARQL 1.1 查询服务：<a href="{url}"><code>{url}</code></a>'
        "（SPARQL 1.1 Protocol，下面的查询示例都可在其上运行）。</p>",
        f'<pre class="jx-sparql"><code>{esc(commands)}</code></pre>',
    ]
