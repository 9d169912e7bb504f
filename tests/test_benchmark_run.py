"""The benchmark's memory figure: the sampled peak of a process tree, workers included."""

from __future__ import annotations

import subprocess
import sys
import time

import benchmarks.run
from benchmarks.run import OUT, SAMPLER_SHARE, _sample_peak_pss, run_size, table

# A parent and a child each touching 40 MB of their own for a second.
TREE = """
import subprocess, sys, time
child = subprocess.Popen([sys.executable, "-c",
    "import time; x = bytearray(40_000_000); time.sleep(1.5)"])
x = bytearray(40_000_000)
time.sleep(1.5)
child.wait()
"""


def test_the_sampled_peak_counts_the_workers_memory_too():
    with subprocess.Popen([sys.executable, "-c", TREE], text=True) as tree:
        peak_kib = _sample_peak_pss(tree, interval=0.05)
    assert 80_000 * 1000 / 1024 < peak_kib < 400_000


def test_the_sampler_takes_little_of_the_builds_time_however_slow_a_sample(monkeypatch):
    samples = []

    def slow(pid: int) -> int:  # as a sample of a large process is
        samples.append(time.perf_counter())
        time.sleep(0.05)
        return 1

    monkeypatch.setattr(benchmarks.run, "_pss_kib", slow)
    script = "import time; time.sleep(2)"
    with subprocess.Popen([sys.executable, "-c", script], text=True) as child:
        _sample_peak_pss(child, interval=0.01)
    # Each 0.05 s sample is followed by a wait of 0.95 s: a sample at 0, 1 and 2 s at most,
    # where an interval of 0.01 s alone would have made some forty.
    assert SAMPLER_SHARE == 0.05
    assert 1 <= len(samples) <= 3


def test_builds_go_where_they_are_told(tmp_path):
    """``--builds``: the build (and the bare one, with the site) go there; the corpus stays
    in benchmarks/out, generated once."""
    figures = run_size(3, seed=0, jobs=1, skip=["rdf", "site"], builds=tmp_path)
    assert figures["documents"] == 3 and figures["site_pages"] == 0
    assert (tmp_path / "build-3" / "report.json").is_file()
    assert (OUT / "corpus-3-seed0" / "manifest.json").is_file()


def test_the_table_names_the_largest_page_of_the_site(tmp_path):
    figures = run_size(3, seed=0, jobs=1, skip=["rdf"], builds=tmp_path)
    size, path = figures["largest_page"]
    assert (tmp_path / "build-3" / "site" / path).stat().st_size == size
    pages = (tmp_path / "build-3" / "site").rglob("*.html")
    assert size == max(p.stat().st_size for p in pages)
    assert f"the largest page {path}, {size:,} bytes" in table([figures])
