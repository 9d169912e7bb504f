"""The embedded Oxigraph store against rdflib on a corpus-sized graph: load time, query latency.

    python -m benchmarks.store_bench                      # 1,000 disclosures
    python -m benchmarks.store_bench --documents 100
    python -m benchmarks.store_bench --graph build/rdf/data.nt

The corpus (without ``--graph``) is the bundled sample's real graph, as ``toolkit.rdf`` writes
it, repeated ``--documents`` times under distinct department codes (three years each) and
project codes: the shape and size of a real corpus, with the sample's text in every copy.
The queries are the example queries of ``ontology/queries`` and one lookup of a single
project, the typical request to an endpoint. Both sides hold the ontology and the indicator
scheme, as ``jixiao query`` loads them.

Each query runs ``--repeat`` times on each side; the median is reported. "per call" opens the
store and returns JSON results on every call, as ``jixiao query`` does; "open" queries a store
already open, as the endpoint server does; rdflib queries its in-memory graph, whose parsing
is its load time. The store's load includes splitting the graph into named graphs.
"""

from __future__ import annotations

import argparse
import re
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from toolkit.rdf import serialize, to_graph
from toolkit.reading import read
from toolkit.store import VOCABULARIES, load_store, query_store
from toolkit.vocabularies import BP, QUERIES_DIR

BASE = "https://example.org/jixiao"
SAMPLE = Path(__file__).resolve().parent.parent / "examples" / "xicheng-2020" / "disclosure.txt"
ONE_PROJECT = f"""PREFIX bp: <{BP}>
SELECT ?indicator ?p ?o WHERE {{
    <{BASE}/project/2020/900000-0101-YCN-12AQ> bp:indicator ?indicator . ?indicator ?p ?o
}}"""


def sample_corpus(path: Path, documents: int) -> int:
    """Write ``documents`` copies of the sample's graph as N-Triples; the number of lines."""
    sample = read(SAMPLE)
    one = serialize(to_graph([sample], base=BASE), "nt").decode("utf-8")
    code = re.compile(rf"\b{sample.department_code[:3]}-(?=\d{{4}}-)")
    lines = 0
    with path.open("w", encoding="utf-8") as out:
        for number in range(documents):
            department = f"{900000 + number // 3}"
            year = str(2020 + number % 3)
            copy = one.replace(sample.department_code, department)
            copy = copy.replace("/2020", f"/{year}").replace('"2020"', f'"{year}"')
            copy = code.sub(f"{department}-", copy)
            out.write(copy)
            lines += copy.count("\n")
    return lines


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
    return f"| {step:<26} | " + " | ".join(f"{c:>17}" for c in cells) + " |"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--documents", type=int, default=1000)
    parser.add_argument("--graph", type=Path, help="an existing .nt graph instead of copies")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    queries = {p.stem: p.read_text(encoding="utf-8") for p in sorted(QUERIES_DIR.glob("*.rq"))}
    queries["one-project"] = ONE_PROJECT

    with tempfile.TemporaryDirectory(prefix="jixiao-store-bench-") as scratch:
        folder = Path(scratch)
        if args.graph is not None:
            source, what = args.graph, str(args.graph)
        else:
            source = folder / "data.nt"
            seconds, triples = timed(lambda: sample_corpus(source, args.documents))
            what = f"{args.documents} disclosures, {triples:,} triples"
            print(f"wrote {what} in {seconds:.1f} s", file=sys.stderr)
        size = source.stat().st_size / 1e6

        store_load, report = timed(lambda: load_store(source, folder / "store"))
        after_store = peak_mb()
        graph = Graph()

        def parse_all() -> None:
            graph.parse(source, format="nt")
            for vocabulary in VOCABULARIES:
                graph.parse(vocabulary, format="turtle")

        rdflib_load, _ = timed(parse_all)
        after_rdflib = peak_mb()

        print(f"\nGraph: {what} ({size:.0f} MB of N-Triples)")
        print(f"store: {report.graphs} named graphs, {report.quads:,} quads")  # type: ignore[attr-defined]
        print(
            f"peak memory: {after_store:.0f} MB after the store load, "
            f"{after_rdflib:.0f} MB after the rdflib load as well\n"
        )
        columns = ["Oxigraph per call", "Oxigraph open", "rdflib", "rdflib / Oxigraph"]
        print(f"| {'step':<26} | " + " | ".join(f"{c:>17}" for c in columns) + " |")
        print("| " + " | ".join(["-" * 26] + ["-" * 16 + ":"] * 4) + " |")
        print(row("load", store_load, None, rdflib_load))
        store = ox.Store.read_only(str(folder / "store"))
        per_call: dict[str, tuple[float, float]] = {}
        for name, query in queries.items():
            cli_s = median_seconds(lambda q=query: query_store(folder / "store", q), args.repeat)
            open_s = median_seconds(
                lambda q=query: list(store.query(q, use_default_graph_as_union=True)), args.repeat
            )
            rdflib_s = median_seconds(lambda q=query: list(graph.query(q)), args.repeat)
            print(row(name, cli_s, open_s, rdflib_s), flush=True)
            per_call[name] = (cli_s, rdflib_load + rdflib_s)
            rows_store = len(query_store(folder / "store", query)["results"]["bindings"])
            rows_rdflib = len(graph.query(query))
            if rows_store != rows_rdflib:
                print(f"  {name}: {rows_store} rows from the store, {rows_rdflib} from rdflib")
                return 1
        # What one `jixiao query` costs: the store is on disk already, the files must be parsed.
        print("\none `jixiao query` call, store against files (parse + query):")
        for name, (from_store, from_files) in per_call.items():
            print(f"  {name}: {from_store:.2f} s against {from_files:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
