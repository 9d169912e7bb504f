"""The embedded Oxigraph store against rdflib on a corpus-sized graph: load time, query latency.

    python -m benchmarks.store_bench                      # 1,000 synthetic disclosures
    python -m benchmarks.store_bench --documents 100
    python -m benchmarks.store_bench --graph build/rdf/data.nt --queries ontology/queries

Without ``--graph`` the graph is synthetic, written straight to N-Triples from a seeded random
generator, shaped like the sample's graph (disclosure → department, project → disclosure,
indicator → project, each target a blank node) with the corpus variation of the scale
benchmark: 3–40 projects per disclosure, 3–25 indicators per project. The queries are then
the four example queries written for that shape; with ``--queries`` they are the ``*.rq``
files of a folder, run on the graph given.

Each query runs ``--repeat`` times on each side; the median is reported. "jixiao query" opens
the store and returns JSON results on every call, as the command does; "open store" queries a
store already open, as the endpoint server does; rdflib queries its in-memory graph (its
parsing is the load time). The load of the store includes splitting it into named graphs.
"""

from __future__ import annotations

import argparse
import random
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from toolkit.store import load_store, query_store

BASE = "https://example.org/jixiao"
BP = f"{BASE}/ontology/bp#"
RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
PART_OF = "<http://purl.org/dc/terms/isPartOf>"
LABEL = "<http://www.w3.org/2000/01/rdf-schema#label>"
XSD = "http://www.w3.org/2001/XMLSchema#"
TARGETS = [("≥90%", "quantitative"), ("=100%", "quantitative"), ("按期完成", "qualitative")]

QUERIES = {
    "total-budget": f"""PREFIX bp: <{BP}>
        SELECT (SUM(?budget) AS ?total) (COUNT(?p) AS ?projects)
        WHERE {{ ?p a bp:Project ; bp:budgetTotal ?budget }}""",
    "budget-by-project": f"""PREFIX bp: <{BP}>
        SELECT ?code ?budget WHERE {{ ?p a bp:Project ; bp:code ?code ; bp:budgetTotal ?budget }}
        ORDER BY DESC(?budget) LIMIT 100""",
    "indicators-per-disclosure": f"""PREFIX bp: <{BP}> PREFIX dct: <http://purl.org/dc/terms/>
        SELECT ?d (COUNT(?i) AS ?n) WHERE {{ ?i bp:project ?p . ?p dct:isPartOf ?d }}
        GROUP BY ?d ORDER BY ?d""",
    "non-quantitative-targets": f"""PREFIX bp: <{BP}>
        SELECT ?raw (COUNT(?i) AS ?n)
        WHERE {{ ?i bp:target [ bp:raw ?raw ; bp:kind "qualitative" ] }}
        GROUP BY ?raw ORDER BY ?raw""",
    "one-project": f"""PREFIX bp: <{BP}>
        SELECT ?name ?raw WHERE {{
          ?i bp:project <{BASE}/project/2020/900-0000-00001> ; bp:name ?name ; bp:target ?t .
          ?t bp:raw ?raw }} ORDER BY ?name""",
}


def synthetic_graph(path: Path, documents: int, seed: int = 2020) -> int:
    """Write ``documents`` synthetic disclosures as N-Triples; the number of triples."""
    rng = random.Random(seed)
    lines: list[str] = []
    for number in range(documents):
        dept = f"{900000 + number // 3}"  # three years per department
        year = 2019 + number % 3
        department = f"<{BASE}/department/{dept}>"
        disclosure = f"<{BASE}/disclosure/{dept}/{year}>"
        lines += [
            f"{department} {RDF_TYPE} <{BP}Department> .",
            f'{department} {LABEL} "部门 {dept}"@zh .',
            f"{disclosure} {RDF_TYPE} <{BP}Disclosure> .",
            f"{disclosure} <{BP}department> {department} .",
            f'{disclosure} <{BP}year> "{year}"^^<{XSD}gYear> .',
        ]
        for p in range(rng.randint(3, 40)):
            code = f"{dept[:3]}-{p:04d}-{number:05d}"
            project = f"<{BASE}/project/{year}/{code}>"
            budget = Decimal(rng.randint(1, 500_000)) / 100
            lines += [
                f"{project} {RDF_TYPE} <{BP}Project> .",
                f"{project} {PART_OF} {disclosure} .",
                f'{project} <{BP}code> "{code}" .',
                f'{project} {LABEL} "项目 {code}"@zh .',
                f'{project} <{BP}budgetTotal> "{budget}"^^<{XSD}decimal> .',
            ]
            for i in range(1, rng.randint(3, 25) + 1):
                indicator = f"<{BASE}/project/{year}/{code}#indicator-{i}>"
                target = f"_:t{number}x{p}x{i}"
                raw, kind = rng.choice(TARGETS)
                lines += [
                    f"{indicator} {RDF_TYPE} <{BP}Indicator> .",
                    f"{indicator} <{BP}project> {project} .",
                    f'{indicator} <{BP}name> "指标 {i}"@zh .',
                    f"{indicator} <{BP}target> {target} .",
                    f'{target} <{BP}raw> "{raw}" .',
                    f'{target} <{BP}kind> "{kind}" .',
                ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(lines)


def timed(action: Callable[[], object]) -> tuple[float, object]:
    started = time.perf_counter()
    result = action()
    return time.perf_counter() - started, result


def median_seconds(action: Callable[[], object], repeat: int) -> float:
    return statistics.median(timed(action)[0] for _ in range(repeat))


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def row(step: str, cli: float, opened: float | None, rdflib: float) -> str:
    """A Markdown table row; the ratio is against the open store (the server's case)."""
    fast = opened if opened is not None else cli
    cells = [f"{cli:.3f} s", f"{opened:.3f} s" if opened is not None else "", f"{rdflib:.3f} s"]
    cells.append(f"{rdflib / fast:.1f}×")
    return f"| {step:<26} | " + " | ".join(f"{c:>20}" for c in cells) + " |"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--documents", type=int, default=1000)
    parser.add_argument("--graph", type=Path, help="an existing .nt graph instead of synthetic")
    parser.add_argument("--queries", type=Path, help="a folder of .rq files (with --graph)")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="jixiao-store-bench-") as scratch:
        folder = Path(scratch)
        if args.graph is not None:
            source = args.graph
            queries = (
                {p.stem: p.read_text(encoding="utf-8") for p in sorted(args.queries.glob("*.rq"))}
                if args.queries is not None
                else QUERIES
            )
            what = str(source)
        else:
            source = folder / "data.nt"
            seconds, triples = timed(lambda: synthetic_graph(source, args.documents))
            queries = QUERIES
            what = f"{args.documents} synthetic disclosures, {triples:,} triples"
            print(f"generated {what} in {seconds:.1f} s", file=sys.stderr)
        size = source.stat().st_size / 1e6

        store_load, report = timed(lambda: load_store(source, folder / "store"))
        after_store = peak_mb()
        graph = Graph()
        rdflib_load, _ = timed(lambda: graph.parse(source, format="nt"))
        after_rdflib = peak_mb()

        print(f"\nGraph: {what} ({size:.0f} MB of N-Triples)")
        print(f"store: {report.graphs} named graphs, {report.quads:,} quads")  # type: ignore[attr-defined]
        print(
            f"peak memory: {after_store:.0f} MB after the store load, "
            f"{after_rdflib:.0f} MB after the rdflib load\n"
        )
        columns = ("step", "Oxigraph per call", "Oxigraph open", "rdflib", "rdflib / Oxigraph")
        print(
            "| "
            + " | ".join(f"{c:<26}" if i == 0 else f"{c:<20}" for i, c in enumerate(columns))
            + " |"
        )
        print("| " + " | ".join(["-" * 26] + ["-" * 19 + ":"] * 4) + " |")
        print(row("load", store_load, None, rdflib_load))
        store = ox.Store.read_only(str(folder / "store"))
        for name, query in queries.items():
            cli_s = median_seconds(lambda q=query: query_store(folder / "store", q), args.repeat)
            open_s = median_seconds(
                lambda q=query: list(store.query(q, use_default_graph_as_union=True)), args.repeat
            )
            rdflib_s = median_seconds(lambda q=query: list(graph.query(q)), args.repeat)
            print(row(name, cli_s, open_s, rdflib_s))
            rows_store = len(query_store(folder / "store", query)["results"]["bindings"])
            rows_rdflib = len(graph.query(query))
            if rows_store != rows_rdflib:
                print(f"  {name}: {rows_store} rows from the store, {rows_rdflib} from rdflib")
                return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
