"""SPARQL 1.1 over the published graph: ``jixiao query``.

``query(text_or_path, data=…)`` loads the data graph with the ontology and the indicator
scheme (so queries can use the categories' labels) and runs one query; ``run_query`` runs a
query over any graph. Results format as a text table, W3C SPARQL CSV or W3C SPARQL JSON.
"""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from toolkit.errors import OutputError, ParseError
from toolkit.shacl import load_graph
from toolkit.vocabularies import ONTOLOGY_FILE, SCHEME_FILE, bind_prefixes

__all__ = [
    "DEFAULT_DATA",
    "FORMATS",
    "QueryResult",
    "format_result",
    "load_query",
    "query",
    "run_query",
]

DEFAULT_DATA = Path("build") / "rdf" / "data.ttl"
FORMATS = ("table", "csv", "json")


@dataclass
class QueryResult:
    """A SELECT's variables and rows (``None`` where unbound), an ASK's boolean, or the graph
    of a CONSTRUCT/DESCRIBE."""

    kind: str
    variables: list[str] = field(default_factory=list)
    rows: list[tuple[Node | None, ...]] = field(default_factory=list)
    boolean: bool | None = None
    graph: Graph | None = None


def load_query(text_or_path: str) -> tuple[str, str | None]:
    """The query text of a ``.rq`` file or of the argument itself; and the file's name."""
    if text_or_path.strip().lower().endswith(".rq") and "\n" not in text_or_path:
        path = Path(text_or_path.strip())
        try:
            return path.read_text(encoding="utf-8"), str(path)
        except FileNotFoundError as error:
            raise OutputError("no such query file", path=path) from error
        except (OSError, UnicodeDecodeError) as error:
            raise OutputError(f"cannot read the query: {error}", path=path) from error
    return text_or_path, None


def run_query(query_text: str, graph: Graph, *, source: str | None = None) -> QueryResult:
    """Run one SPARQL 1.1 query over ``graph``. A syntax error is a :class:`ParseError` with
    the line of the query (``source`` names the query file in the message)."""
    from pyparsing import ParseException

    try:
        result = graph.query(query_text)
    except ParseException as error:
        raise ParseError(
            f"SPARQL syntax error at column {error.column}: {error.msg}",
            file=source or "<query>",
            line=error.lineno,
        ) from error
    except Exception as error:  # rdflib's evaluator raises bare exceptions for bad queries
        raise ParseError(f"cannot run the query: {error}", file=source or "<query>") from error
    if result.type == "ASK":
        return QueryResult(kind="ask", boolean=bool(result.askAnswer))
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        built = bind_prefixes(Graph(bind_namespaces="core"))
        for triple in result.graph or ():
            built.add(triple)
        return QueryResult(kind=result.type.lower(), graph=built)
    variables = [str(v) for v in result.vars or ()]
    rows = [tuple(row) for row in result]
    return QueryResult(kind="select", variables=variables, rows=rows)


def query(text_or_path: str, *, data: Path | None = None) -> QueryResult:
    """Run a query (text or a ``.rq`` path) over a built graph (default ``build/rdf/data.ttl``)
    loaded with the ontology and the indicator scheme."""
    text, source = load_query(text_or_path)
    path = Path(data) if data is not None else DEFAULT_DATA
    if not path.exists():
        hint = "run `jixiao build` first" if data is None else "check the path"
        raise OutputError(f"no graph to query ({hint}, or pass --data FILE)", path=path)
    graph = load_graph(path)
    graph.parse(ONTOLOGY_FILE, format="turtle")
    graph.parse(SCHEME_FILE, format="turtle")
    return run_query(text, graph, source=source)


def _plain(term: Node | None) -> str:
    return "" if term is None else str(term)


def _json_term(term: Node) -> dict[str, str]:
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    assert isinstance(term, Literal)
    out = {"type": "literal", "value": str(term)}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype:
        out["datatype"] = str(term.datatype)
    return out


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _table(result: QueryResult) -> str:
    header = result.variables
    cells = [[_plain(v).replace("\n", " ") for v in row] for row in result.rows]
    widths = [max([_width(h)] + [_width(row[i]) for row in cells]) for i, h in enumerate(header)]

    def line(values: list[str]) -> str:
        padded = [v + " " * (w - _width(v)) for v, w in zip(values, widths, strict=True)]
        return "  ".join(padded).rstrip()

    rule = "  ".join("-" * w for w in widths)
    body = [line(header), rule, *(line(row) for row in cells)]
    return "\n".join(body) + f"\n({len(cells)} rows)\n"


def format_result(result: QueryResult, fmt: str = "table") -> str:
    """``result`` as ``table`` (aligned text), ``csv`` (W3C SPARQL 1.1 CSV) or ``json``
    (W3C SPARQL 1.1 JSON results; a CONSTRUCT's graph is Turtle in every format)."""
    if fmt not in FORMATS:
        raise OutputError(f"unknown format {fmt!r}: use table, csv or json")
    if result.graph is not None:
        return result.graph.serialize(format="turtle")
    if result.kind == "ask":
        if fmt == "json":
            return json.dumps({"head": {}, "boolean": result.boolean}) + "\n"
        return ("true" if result.boolean else "false") + "\n"
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(result.variables)
        writer.writerows([_plain(v) for v in row] for row in result.rows)
        return buffer.getvalue()
    if fmt == "json":
        bindings: list[dict[str, Any]] = [
            {
                name: _json_term(value)
                for name, value in zip(result.variables, row, strict=True)
                if value is not None
            }
            for row in result.rows
        ]
        payload = {"head": {"vars": result.variables}, "results": {"bindings": bindings}}
        return json.dumps(payload, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    return _table(result)
