"""The corpus build: end to end, byte-identical whatever --jobs, atomic on failure."""

from __future__ import annotations

import hashlib
import io
import json
import multiprocessing
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from rdflib import Graph
from rich.console import Console
from typer.testing import CliRunner

import toolkit.build
from benchmarks.generate import generate_corpus
from toolkit.build import build
from toolkit.check import check
from toolkit.cli import app
from toolkit.config import load_config
from toolkit.errors import ConfigError, OutputError, ParseError
from toolkit.model import Disclosure
from toolkit.progress import PlainProgress, Progress, RichProgress, Stage, for_terminal

from .conftest import EXAMPLE_CONFIG, SAMPLE
from .interrupt_helpers import (
    interrupt_only_printed,
    interrupt_swallowed,
    interrupt_turned_into_an_error,
)

# Stages that tests of the build's own behaviour (atomicity, keep-going) can do without:
# they are the slow ones, and end-to-end tests below run them.
FAST = ("rdf", "site")
BROKEN = "第二部分\n1、残缺项目绩效目标表 TC 1、残缺项目绩效目标表 \\f C \\l 1 \n"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Six generated documents: two departments over six years, 元 and 万元, all layouts;
    small ones (SHACL is the slowest stage)."""
    folder = tmp_path_factory.mktemp("corpus")
    generate_corpus(folder, 6, seed=3, projects=(3, 5), indicators=(3, 6))
    return folder


def tree(folder: Path) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def leftovers(parent: Path) -> list[str]:
    return sorted(p.name for p in parent.iterdir() if p.name.startswith("."))


def test_generated_corpus_builds_end_to_end_and_matches_its_manifest(corpus, tmp_path):
    manifest = json.loads((corpus / "manifest.json").read_text(encoding="utf-8"))
    report = build(load_config(corpus), output=tmp_path / "out", jobs=2)

    written = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    assert written["totals"]["documents"] == len(manifest) == 6
    assert written["totals"]["projects"] == sum(d["projects"] for d in manifest)
    assert written["totals"]["indicators"] == sum(d["indicators"] for d in manifest)
    assert [d["file"] for d in written["documents"]] == sorted(d["file"] for d in manifest)
    assert written["skipped"] == [] and report.skipped == []
    model = json.loads((tmp_path / "out" / "disclosures.json").read_text(encoding="utf-8"))
    disclosures = [Disclosure.model_validate(item) for item in model]
    assert {(d.department_code, d.year) for d in disclosures} == {
        (d["department_code"], d["year"]) for d in manifest
    }
    assert report.ok and written["ok"]
    assert {name: result["ok"] for name, result in written["validation"].items()} == {
        "datapackage": True,
        "rdf": True,
    }
    assert check(tmp_path / "out" / "datapackage").ok
    projects = (tmp_path / "out" / "datapackage" / "projects.csv").read_text(encoding="utf-8")
    assert len(projects.splitlines()) == 1 + written["totals"]["projects"]
    assert written["totals"]["triples"] > written["totals"]["indicators"] * 5
    graph = Graph().parse(tmp_path / "out" / "rdf" / "data.nt")
    assert len(graph) == written["totals"]["triples"]
    assert (tmp_path / "out" / "rdf" / "catalog.ttl").is_file()
    pages = list((tmp_path / "out" / "site" / "project").rglob("index.html"))
    assert len(pages) == written["totals"]["projects"]
    assert (tmp_path / "out" / "site" / "index.html").is_file()
    findings = (tmp_path / "out" / "datapackage" / "findings.csv").read_text(encoding="utf-8")
    assert len(findings.splitlines()) == 1 + sum(written["findings"].values())
    assert set(written["findings"]) == {"error", "warning", "info"}


def test_jobs_1_and_jobs_2_and_a_second_run_give_byte_identical_outputs(corpus, tmp_path):
    config = load_config(corpus)
    build(config, output=tmp_path / "one", jobs=1)
    build(config, output=tmp_path / "two", jobs=2)
    first = tree(tmp_path / "two")
    build(config, output=tmp_path / "two", jobs=2)
    assert tree(tmp_path / "one") == first == tree(tmp_path / "two")
    assert len(first) >= 2


def test_report_json_holds_no_timings_and_no_absolute_paths(corpus, tmp_path):
    build(load_config(corpus), output=tmp_path / "out", jobs=1, skip=FAST)
    text = (tmp_path / "out" / "report.json").read_text(encoding="utf-8")
    assert "seconds" not in text and "rss" not in text
    assert str(tmp_path) not in text and str(corpus) not in text


def with_broken_document(corpus: Path, tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    shutil.copytree(corpus, folder)
    broken = folder / "2021" / "zz-broken.txt"
    broken.write_text(BROKEN, encoding="utf-8")
    return folder


def test_a_broken_document_stops_the_build_and_leaves_the_previous_build_intact(corpus, tmp_path):
    out = tmp_path / "out"
    build(load_config(corpus), output=out, jobs=1, skip=FAST)
    before = tree(out)
    folder = with_broken_document(corpus, tmp_path)
    with pytest.raises(ParseError) as caught:
        build(load_config(folder), output=out, jobs=2, skip=FAST)
    assert caught.value.file.endswith("zz-broken.txt") and caught.value.line == 2
    assert tree(out) == before
    assert leftovers(tmp_path) == []


def test_keep_going_leaves_the_broken_document_out_and_says_so(corpus, tmp_path):
    folder = with_broken_document(corpus, tmp_path)
    report = build(load_config(folder), output=tmp_path / "out", jobs=2, keep_going=True, skip=FAST)
    assert [(s.file, s.line) for s in report.skipped] == [("2021/zz-broken.txt", 2)]
    assert len(report.documents) == 6
    written = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    assert written["skipped"][0]["file"] == "2021/zz-broken.txt"
    assert "SKIPPED 1 documents" in report.summary()
    assert "2021/zz-broken.txt:2: " in report.summary()


@pytest.mark.parametrize("failure", [RuntimeError("a stage failed"), KeyboardInterrupt()])
def test_a_stage_failing_halfway_leaves_the_previous_build_intact(failure, tmp_path, monkeypatch):
    out = tmp_path / "out"
    config = load_config(EXAMPLE_CONFIG)
    build(config, output=out, jobs=1, skip=FAST)
    before = tree(out)

    def half_written(disclosures, folder: Path) -> None:
        (folder / "disclosures.json").write_text("[", encoding="utf-8")
        raise failure

    monkeypatch.setattr(toolkit.build, "_write_model", half_written)
    with pytest.raises(type(failure)):
        build(config, output=out, jobs=1, skip=FAST)
    assert tree(out) == before
    assert leftovers(tmp_path) == []


def test_a_build_stopped_between_the_two_renames_is_recovered(tmp_path):
    out = tmp_path / "out"
    config = load_config(EXAMPLE_CONFIG)
    build(config, output=out, jobs=1, skip=FAST)
    out.rename(tmp_path / ".out-previous")  # as if killed after the first rename
    build(config, output=out, jobs=1, skip=FAST)
    assert (out / "report.json").is_file()
    assert leftovers(tmp_path) == []


def test_the_same_department_and_year_twice_is_an_error_naming_the_second_file(tmp_path):
    for name in ("a", "b"):
        shutil.copy(SAMPLE, tmp_path / f"{name}.txt")
        shutil.copy(SAMPLE.with_name("disclosure.meta.toml"), tmp_path / f"{name}.meta.toml")
    (tmp_path / "jixiao.toml").write_text('[[documents]]\npath = "*.txt"\n', encoding="utf-8")
    config = load_config(tmp_path / "jixiao.toml")
    with pytest.raises(ParseError, match=r"b\.txt:\d+: department 917003 2020 is already"):
        build(config, output=tmp_path / "out", jobs=1, skip=FAST)
    report = build(config, output=tmp_path / "out", jobs=1, keep_going=True, skip=FAST)
    assert [s.file for s in report.skipped] == ["b.txt"]


def test_refuses_to_replace_a_folder_that_is_not_a_build(tmp_path):
    precious = tmp_path / "notes"
    precious.mkdir()
    (precious / "thesis.md").write_text("…", encoding="utf-8")
    with pytest.raises(OutputError, match="not a jixiao build"):
        build(load_config(EXAMPLE_CONFIG), output=precious, jobs=1, skip=FAST)
    assert (precious / "thesis.md").is_file()


def test_cli_build_prints_the_summary_and_plain_progress_lines(tmp_path):
    result = CliRunner().invoke(
        app, ["build", str(EXAMPLE_CONFIG), "-o", str(tmp_path / "out"), "--jobs", "2"]
    )
    assert result.exit_code == 0, result.output
    assert "1 documents, 15 projects, 75 indicators" in result.stdout
    assert "parse (1) …" in result.stderr and "parse: done in" in result.stderr


def test_cli_build_of_a_broken_corpus_exits_2_with_one_line(corpus, tmp_path):
    folder = with_broken_document(corpus, tmp_path)
    result = CliRunner().invoke(app, ["build", str(folder), "-o", str(tmp_path / "out")])
    assert result.exit_code == 2
    [line] = [ln for ln in result.stderr.splitlines() if ln.startswith("jixiao: error:")]
    assert "zz-broken.txt:2: " in line
    assert not (tmp_path / "out").exists()


def test_cli_keep_going_writes_the_rest_and_exits_2(corpus, tmp_path):
    folder = with_broken_document(corpus, tmp_path)
    result = CliRunner().invoke(
        app, ["build", str(folder), "-o", str(tmp_path / "out"), "--keep-going", "-j", "1"]
    )
    assert result.exit_code == 2
    assert "1 documents were left out" in result.stderr
    assert (tmp_path / "out" / "report.json").is_file()


def test_a_terminal_gets_a_progress_bar_and_a_pipe_plain_lines():
    terminal = Console(file=io.StringIO(), force_terminal=True, width=80)
    assert isinstance(for_terminal(terminal), RichProgress)
    pipe = Console(file=io.StringIO(), force_terminal=False)
    assert isinstance(for_terminal(pipe), PlainProgress)
    with for_terminal(terminal).stage("parse", 3) as tick:
        for _ in range(3):
            tick.advance()
    assert "parse" in terminal.file.getvalue() and "3/3" in terminal.file.getvalue()


class _CtrlCOnSecondDocument(Progress):
    """A display whose user presses Ctrl-C while the second document comes back: ``press``
    is what that does."""

    def __init__(self, press: Callable[[], None]) -> None:
        self.press = press

    @contextmanager
    def stage(self, name: str, total: int | None = None) -> Iterator[Stage]:
        press = self.press

        class Pressing(Stage):
            count = 0

            def advance(self, amount: int = 1) -> None:
                self.count += amount
                if name == "parse" and self.count == 2:
                    press()

        yield Pressing()


def _interrupt() -> None:
    raise KeyboardInterrupt


def test_ctrl_c_while_workers_parse_stops_them_and_keeps_the_previous_build(corpus, tmp_path):
    out = tmp_path / "out"
    config = load_config(corpus)
    build(config, output=out, jobs=1, skip=FAST)
    before = tree(out)
    with pytest.raises(KeyboardInterrupt):
        build(config, output=out, jobs=2, progress=_CtrlCOnSecondDocument(_interrupt), skip=FAST)
    assert tree(out) == before
    assert leftovers(tmp_path) == []
    assert multiprocessing.active_children() == []  # no worker outlives the stage


@pytest.mark.parametrize("jobs", [1, 2])
@pytest.mark.parametrize(
    "press", [interrupt_swallowed, interrupt_turned_into_an_error, interrupt_only_printed]
)
def test_a_ctrl_c_that_library_code_hides_still_stops_the_build(
    corpus, tmp_path, capsys, jobs, press
):
    out = tmp_path / "out"
    with pytest.raises(KeyboardInterrupt):
        build(
            load_config(corpus),
            output=out,
            jobs=jobs,
            progress=_CtrlCOnSecondDocument(press),
            skip=FAST,
        )
    assert not out.exists()
    assert leftovers(tmp_path) == []
    assert capsys.readouterr().err == ""  # no traceback for the user's own Ctrl-C


def test_an_output_stage_refusing_the_corpus_leaves_the_previous_build_intact(corpus, tmp_path):
    out = tmp_path / "out"
    build(load_config(corpus), output=out, jobs=1, skip=FAST)
    before = tree(out)
    unlicensed = tmp_path / "corpus"
    shutil.copytree(corpus, unlicensed)
    toml = unlicensed / "jixiao.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace("license", "# license"), "utf-8")
    with pytest.raises(OutputError, match="license"):
        build(load_config(unlicensed), output=out, jobs=2, skip=FAST)  # the data package refuses it
    assert tree(out) == before
    assert leftovers(tmp_path) == []


def test_an_unknown_stage_to_skip_is_a_configuration_error(tmp_path):
    with pytest.raises(ConfigError, match=r"^skip: not an optional stage: shacl"):
        build(load_config(EXAMPLE_CONFIG), output=tmp_path / "out", skip=["shacl"])


def test_skipping_rdf_leaves_it_out_of_the_outputs_and_the_report(tmp_path):
    report = build(load_config(EXAMPLE_CONFIG), output=tmp_path / "out", jobs=1, skip=["rdf"])
    assert not (tmp_path / "out" / "rdf").exists()
    assert report.triples is None and list(report.validation) == ["datapackage"]
    assert "rdf" not in report.stage_seconds


def test_the_catalog_and_the_data_page_read_each_file_once(tmp_path, monkeypatch):
    hashed: list[str] = []  # every SHA-256 the build computes, however
    sha256, file_digest = hashlib.sha256, hashlib.file_digest

    class Recorded:
        def __init__(self, data: bytes = b"") -> None:
            self.inner = sha256(data)

        def update(self, data: bytes) -> None:
            self.inner.update(data)

        def hexdigest(self) -> str:
            hashed.append(self.inner.hexdigest())
            return hashed[-1]

    def recorded_file_digest(stream, digest):  # type: ignore[no-untyped-def]
        found = file_digest(stream, digest)
        hashed.append(found.hexdigest())
        return found

    monkeypatch.setattr(hashlib, "sha256", Recorded)
    monkeypatch.setattr(hashlib, "file_digest", recorded_file_digest)
    out = tmp_path / "out"
    build(load_config(EXAMPLE_CONFIG), output=out, jobs=1)
    page = (out / "site" / "dataset" / "index.html").read_text(encoding="utf-8")
    catalog = (out / "rdf" / "catalog.ttl").read_text(encoding="utf-8")
    for name in ("rdf/data.nt", "rdf/data.ttl", "rdf/data.jsonld", "datapackage.zip"):
        checksum = sha256((out / name).read_bytes()).hexdigest()
        assert checksum in page and checksum in catalog
        assert hashed.count(checksum) == 1, name


def test_the_summary_gives_findings_validation_and_the_time_of_each_stage(tmp_path):
    report = build(load_config(EXAMPLE_CONFIG), output=tmp_path / "out", jobs=1)
    summary = report.summary()
    total = sum(report.findings.values())
    assert total > 0 and f"{report.findings['error']} error" in summary
    assert "datapackage: valid" in summary and "rdf: valid" in summary
    for stage in ("parse", "corpus", "audit", "model", "package", "rdf", "report"):
        assert f"{stage} " in summary.splitlines()[-1]
