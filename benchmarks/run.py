"""The scale benchmark: build generated corpora of 10, 100 and 1,000 documents and report, per
stage, the time, the throughput and the peak memory; and for the site, the ratio to a bare
mkdocs-material build of the same number of plain pages.

    python -m benchmarks.run                       # 10 and 100 documents, with the site
    python -m benchmarks.run --sizes 100 1000 --skip site
    make bench

Each corpus is built in a fresh Python process, so its memory figures are its own. Memory is
the peak resident set size (``getrusage``): of the main process by the end of each stage (the
peak is a high-water mark, so a stage's figure is the largest of it and the stages before) and
of the largest worker of the process pool (``RUSAGE_CHILDREN``, counted once the pool has
exited; a forked worker's figure counts the pages it shares with the main process). The
build's real peak is sampled from outside, every 0.2 s: the total proportional set size
(PSS, shared pages counted once) of the build process and all its workers. ``tracemalloc``
would give allocations per stage but slows parsing several times and misses the workers, so
it is not used. Corpora and results go to ``benchmarks/out/`` (not committed), and so do the
builds unless ``--builds`` says where: a build of 100 documents creates some 20,000 files, and
on a disk where creating a file costs as much as 0.7 ms of the kernel's time (this machine's,
at times) that alone weighs more than the site's own work.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.generate import generate_corpus

OUT = Path(__file__).resolve().parent / "out"
STAGE_UNITS = {"parse": "documents"}


def measure(corpus: Path, output: Path, jobs: int, skip: list[str]) -> dict[str, object]:
    """Build one corpus in this process and return the figures (run in a child process)."""
    from toolkit.build import build
    from toolkit.config import load_config

    config = load_config(corpus)
    started = time.perf_counter()
    report = build(config, output=output, jobs=jobs, skip=skip)
    wall = time.perf_counter() - started
    html = sorted((output / "site").rglob("*.html")) if (output / "site").is_dir() else []
    project_pages = [p for p in html if "/project/" in p.as_posix()]
    return {
        "documents": len(report.documents),
        "projects": report.projects,
        "indicators": report.indicators,
        "triples": report.triples,
        "input_bytes": report.input_bytes,
        "jobs": jobs,
        "wall_seconds": wall,
        "stage_seconds": report.stage_seconds,
        "stage_cpu_seconds": report.stage_cpu_seconds,
        "peak_rss_kib": report.peak_rss_kib,
        "final_rss_kib": [
            resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
            resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
        ],
        "site_pages": len(html),
        # The target: a project's page does not grow with the number of projects.
        "project_page_bytes": (
            sum(p.stat().st_size for p in project_pages) // len(project_pages)
            if project_pages
            else None
        ),
        # And no page grows with it: the largest one, wherever it is.
        "largest_page": (
            max((p.stat().st_size, p.relative_to(output / "site").as_posix()) for p in html)
            if html
            else None
        ),
    }


# The most of one core the memory sampler may take from the build it measures.
SAMPLER_SHARE = 0.05


def _sample_peak_pss(child: subprocess.Popen[str], interval: float = 0.2) -> int:
    """The largest total proportional set size (KiB) of the build's processes, sampled until
    it ends: the memory the build really holds, its workers included, pages shared between
    forked processes counted once (RUSAGE figures count them in every process).

    Reading a process's PSS walks its page tables, in the kernel: 25 ms for a worker of 1.8
    GB, so sampling the 1,000-document build every ``interval`` took a quarter of a core
    from it (and from its stages' times, not the bare build's). The sampler waits long
    enough after each sample to take at most :data:`SAMPLER_SHARE` of a core."""
    peak = 0
    while child.poll() is None:
        started = time.perf_counter()
        peak = max(peak, sum(_pss_kib(pid) for pid in _process_tree(child.pid)))
        took = time.perf_counter() - started
        time.sleep(max(interval, took / SAMPLER_SHARE - took))
    return peak


def _process_tree(root: int) -> list[int]:
    pids, index = [root], 0
    while index < len(pids):
        for children in Path(f"/proc/{pids[index]}/task").glob("*/children"):
            with contextlib.suppress(OSError):
                pids.extend(int(pid) for pid in children.read_text().split())
        index += 1
    return pids


def _pss_kib(pid: int) -> int:
    try:
        rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:  # the process ended between the listing and the reading
        return 0
    for line in rollup.splitlines():
        if line.startswith("Pss:"):
            return int(line.split()[1])
    return 0


def bare_mkdocs_seconds(pages: int, folder: Path) -> float:
    """Time a bare mkdocs-material build of ``pages`` plain pages (a heading and a paragraph).

    The navigation lists the home page only, as the generated site's lists its sections and
    not every project: a navigation of every page makes each page carry all the others and
    the build quadratic (2,000 pages: 166 s, against 3.6 s for 200)."""
    shutil.rmtree(folder, ignore_errors=True)
    docs = folder / "docs"
    docs.mkdir(parents=True)
    (folder / "mkdocs.yml").write_text(
        "site_name: bare\ntheme:\n  name: material\nnav:\n  - index.md\n", encoding="utf-8"
    )
    (docs / "index.md").write_text("# bare\n", encoding="utf-8")
    for index in range(1, pages):
        (docs / f"page-{index:05d}.md").write_text(
            f"# 项目 {index}\n\n预算项目绩效目标，第 {index} 页。\n", encoding="utf-8"
        )
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--quiet", "-f", str(folder / "mkdocs.yml")],
        check=True,
        capture_output=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    return time.perf_counter() - started


def run_size(
    size: int, *, seed: int, jobs: int, skip: list[str], builds: Path = OUT
) -> dict[str, object]:
    corpus = OUT / f"corpus-{size}-seed{seed}"
    if not (corpus / "manifest.json").is_file():
        shutil.rmtree(corpus, ignore_errors=True)
        generate_corpus(corpus, size, seed=seed)
    output = builds / f"build-{size}"
    command = [sys.executable, "-m", "benchmarks.run", "--measure", str(corpus)]
    command += ["--output", str(output), "--jobs", str(jobs), "--skip", *skip]
    with subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    ) as child:
        peak_pss = _sample_peak_pss(child)
        stdout, stderr = child.communicate()
    if child.returncode != 0:
        raise SystemExit(f"the build of {corpus} failed:\n{stderr}")
    figures: dict[str, object] = json.loads(stdout)
    figures["peak_pss_kib"] = peak_pss
    figures["size"] = size
    figures["skipped_stages"] = skip
    if figures["site_pages"]:
        bare = bare_mkdocs_seconds(int(figures["site_pages"]), builds / f"bare-{size}")  # type: ignore[arg-type]
        figures["bare_mkdocs_seconds"] = bare
    return figures


def table(results: list[dict]) -> str:  # type: ignore[type-arg]
    """The figures as a Markdown table, one row per corpus and stage."""
    lines = [
        "| documents | stage | time (s) | CPU (s) | throughput | peak RSS main / worker (MiB) |",
        "| ---: | --- | ---: | ---: | --- | --- |",
    ]
    for r in results:
        stages: dict[str, float] = r["stage_seconds"]
        for stage, seconds in stages.items():
            main, worker = r["peak_rss_kib"][stage]
            cpu = r["stage_cpu_seconds"][stage]
            lines.append(
                f"| {r['documents']} | {stage} | {seconds:.2f} | {cpu:.2f} "
                f"| {_throughput(r, stage, seconds)} | {main / 1024:.0f} / {worker / 1024:.0f} |"
            )
        total = sum(stages.values())
        cpu_total = sum(r["stage_cpu_seconds"].values())
        per_doc = 1000 * total / max(1, int(r["documents"]))
        main, worker = r["final_rss_kib"]
        lines.append(
            f"| {r['documents']} | **total** (build wall {r['wall_seconds']:.2f} s) "
            f"| {total:.2f} | {cpu_total:.2f} "
            f"| {per_doc:.1f} ms/document, {r['projects']} projects, {r['indicators']} "
            f"indicators | {main / 1024:.0f} / {worker / 1024:.0f}; all processes "
            f"together (PSS) {r.get('peak_pss_kib', 0) / 1024:.0f} |"
        )
        if "bare_mkdocs_seconds" in r:
            ratio = stages.get("site", 0.0) / r["bare_mkdocs_seconds"]
            lines.append(
                f"| {r['documents']} | bare mkdocs-material, {r['site_pages']} pages "
                f"| {r['bare_mkdocs_seconds']:.2f} | | site / bare = {ratio:.2f}×; "
                f"{r['project_page_bytes']:,} bytes per project page; the largest page "
                f"{_largest(r)} | |"
            )
    return "\n".join(lines)


def _largest(r: dict) -> str:  # type: ignore[type-arg]
    size, path = r.get("largest_page") or (0, "none")
    return f"{path}, {size:,} bytes"


def _throughput(r: dict, stage: str, seconds: float) -> str:  # type: ignore[type-arg]
    seconds = max(seconds, 1e-9)
    documents = int(r["documents"])
    if stage == "parse":
        mb = int(r["input_bytes"]) / 1e6
        return f"{mb / seconds:.1f} MB/s ({mb:.1f} MB), {documents / seconds:.0f} documents/s"
    return f"{int(r['indicators']) / seconds:,.0f} indicators/s"


def linearity(results: list[dict]) -> str | None:  # type: ignore[type-arg]
    """Time per document of the largest corpus against the one ten times smaller, wall
    clock and processor time (the steadier figure on a shared machine)."""
    by_size = {int(r["documents"]): r for r in results}
    for large in sorted(by_size, reverse=True):
        small = large // 10
        if small in by_size:
            parts = []
            for key, label in (("stage_seconds", "wall"), ("stage_cpu_seconds", "CPU")):
                per = {n: sum(by_size[n][key].values()) / n for n in (small, large)}
                change = 100 * (per[large] / per[small] - 1)
                parts.append(
                    f"{label} {1000 * per[small]:.1f} ms at {small}, "
                    f"{1000 * per[large]:.1f} ms at {large} ({change:+.0f} %)"
                )
            return "time per document: " + "; ".join(parts)
    return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 100])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--jobs", type=int, default=None, help="default: the number of cores")
    parser.add_argument(
        "--skip", nargs="*", default=[], choices=["rdf", "site"], help="stages to leave out"
    )
    parser.add_argument(
        "--builds",
        type=Path,
        default=OUT,
        help="where the builds, ours and the bare one, are written (default: benchmarks/out); "
        "on a tmpfs such as /dev/shm the disk's own speed stays out of the figures",
    )
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--output", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    from toolkit.build import default_jobs

    jobs = args.jobs or default_jobs()
    if args.measure is not None:
        print(json.dumps(measure(args.measure, args.output, jobs, args.skip)))
        return
    results = []
    for size in args.sizes:
        print(f"building {size} documents with {jobs} jobs …", file=sys.stderr, flush=True)
        results.append(
            run_size(size, seed=args.seed, jobs=jobs, skip=args.skip, builds=args.builds)
        )
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "results.json").write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    print(table(results))
    verdict = linearity(results)
    if verdict:
        print(f"\n{verdict}")


if __name__ == "__main__":
    main()
