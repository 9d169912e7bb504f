"""The whole build of a corpus: read every document, check the corpus, write each output.

The build is a sequence of stages, each timed (:class:`BuildReport.stage_seconds`) and shown
by a :class:`~toolkit.progress.Progress`::

    parse     every document → Disclosure, in a process pool, gathered in input order
    corpus    identifiers unique across documents (department × year, year × project code)
    audit     the quality findings of the whole corpus (DQ09 compares all documents)
    model     disclosures.json, the whole model
    package   datapackage/ and datapackage.zip, validated with Frictionless
    rdf       rdf/data.{ttl,nt,jsonld} and rdf/catalog.ttl; SHACL by groups of documents,
              in the pool
    site      site/ (and its Markdown sources, site-pages/): MkDocs Material, strict
    report    report.json: what was built, deterministic (no timings: see BuildReport)

Outputs are written into a temporary folder beside the target and moved into place only when
every stage succeeded; a failed or interrupted build leaves the previous output untouched.
Results are gathered in input order and every output is sorted or ordered by the input, so the
output is byte-identical whatever ``jobs`` is.
"""

from __future__ import annotations

import resource
import shutil
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path
from typing import Any

from toolkit.atomic import previous_of, replace_folder
from toolkit.build_report import BuildReport, DocumentSummary, Skipped
from toolkit.catalog import write_catalog
from toolkit.check import Problem
from toolkit.checksums import Checksums
from toolkit.config import BuildConfig
from toolkit.errors import ConfigError, OutputError, ParseError
from toolkit.interrupts import interrupts_remembered
from toolkit.memory import fewer_collections, keep_out_of_collections, share_field_sets
from toolkit.metadata import DocumentMetadata
from toolkit.model import Disclosure
from toolkit.package import build_package
from toolkit.parallel import default_jobs, parallel_map, uses_pool
from toolkit.progress import Progress, Stage
from toolkit.quality import Finding, Severity, audit
from toolkit.rdf import check_unique_disclosures, years_of
from toolkit.rdf_dump import DumpedPages, DumpWriter, append_part
from toolkit.rdf_groups import plan_groups, run_group
from toolkit.reading import read
from toolkit.site import write_site
from toolkit.site_queries import ScopedTriples, example_scope
from toolkit.vocabularies import QUERIES_DIR

__all__ = ["BuildReport", "DocumentSummary", "Skipped", "build", "default_jobs", "parallel_map"]

REPORT_NAME = "report.json"
MODEL_NAME = "disclosures.json"
PACKAGE_FOLDER = "datapackage"
RDF_FOLDER = "rdf"
SITE_FOLDER = "site"
OPTIONAL_STAGES = frozenset({"rdf", "site"})
# What marks a folder as a jixiao build, safe to replace as a whole.
_BUILD_MARKERS = (REPORT_NAME, MODEL_NAME)


def build(
    config: BuildConfig,
    *,
    output: Path | None = None,
    jobs: int | None = None,
    keep_going: bool = False,
    progress: Progress | None = None,
    skip: Collection[str] = (),
) -> BuildReport:
    """Build every output of ``config`` into ``output`` (default: ``config.output``).

    A document that cannot be read raises :class:`ParseError` (file and line) before anything
    is written, unless ``keep_going``: then it is left out and listed in ``report.skipped``.
    ``jobs`` processes parse the documents (default: the number of cores); the output is the
    same whatever it is. ``skip`` names optional stages to leave out (``rdf``, ``site``: the
    benchmark measures the others on corpora where those would take too long).
    """
    unknown = sorted(set(skip) - OPTIONAL_STAGES)
    if unknown:
        raise ConfigError(f"not an optional stage: {', '.join(unknown)}", key="skip")
    progress = progress or Progress.quiet()
    jobs = jobs if jobs is not None else default_jobs()
    if jobs < 1:
        raise ConfigError("must be 1 or more", key="jobs")
    target = Path(output or config.output).resolve()
    _check_target(target, config)
    with fewer_collections(), interrupts_remembered() as raise_if_interrupted:
        report = BuildReport(output=target, build_time=config.build_time(), jobs=jobs)
        stages = _Stages(report, progress, raise_if_interrupted)
        return _build(config, target, jobs, keep_going, stages, skip)


def _build(
    config: BuildConfig,
    target: Path,
    jobs: int,
    keep_going: bool,
    stages: _Stages,
    skip: Collection[str],
) -> BuildReport:
    report, progress = stages.report, stages.progress
    sources = config.document_paths()

    with stages.run("parse", len(sources)) as tick:
        parsed = _parse_all(sources, config, jobs=jobs, keep_going=keep_going, tick=tick)
        report.input_bytes = sum(path.stat().st_size for path, _ in sources)
    with stages.run("corpus", len(parsed)) as tick:
        kept = _unique_identifiers(parsed, config, keep_going=keep_going, tick=tick)
    report.skipped = [d for _, d in kept if isinstance(d, Skipped)]
    entries = [(path, d) for path, d in kept if isinstance(d, Disclosure)]
    for skipped in report.skipped:
        progress.note(f"skipped {skipped}")
    if not entries:
        raise ParseError("no document could be read; nothing to build", file=config.root)
    disclosures = [d for _, d in entries]
    report.documents = [_summary(config.relative(path), d) for path, d in entries]
    keep_out_of_collections()

    with stages.run("audit", len(disclosures)):
        findings = audit(disclosures, config.audit)
        for finding in findings:  # 319,478 of them at 1,000 documents: 230 MB of field sets
            share_field_sets(finding)
        keep_out_of_collections()
        severities = Counter(finding.severity.value for finding in findings)
        report.findings = {severity.value: severities[severity.value] for severity in Severity}
    # The catalog and the site's data page state the same files' checksums: read once.
    checksums = Checksums()
    with _staging(target) as staging:
        with stages.run("model", len(disclosures)):
            _write_model(disclosures, staging)
        with stages.run("package", len(disclosures)):
            _package(disclosures, findings, staging, config, report, jobs=jobs)
        # The RDF stage's working files, some of them for the site (the triples its example
        # queries can match): beside the outputs until the site is built, never among them.
        work = Path(tempfile.mkdtemp(prefix=".work-", dir=staging))
        try:
            dumped, scoped = None, None
            if "rdf" not in skip:
                with stages.run("rdf", len(disclosures)) as tick:
                    dumped, scoped = _rdf(
                        disclosures, findings, staging, config, report, jobs=jobs, tick=tick,
                        checksums=checksums, work=work, for_site="site" not in skip,
                    )  # fmt: skip
            if "site" not in skip:
                with stages.run("site", len(disclosures)):
                    write_site(
                        disclosures, staging / SITE_FOLDER, config=config.site,
                        findings=findings, outputs=staging, build_time=report.build_time,
                        jobs=jobs, checksums=checksums, dumped=dumped, scoped=scoped,
                    )  # fmt: skip
        finally:
            shutil.rmtree(work, ignore_errors=True)
        with stages.run("report"):
            (staging / REPORT_NAME).write_text(report.to_json(), encoding="utf-8")
    return report


class _Stages:
    """Times each stage (wall clock, and processor time of this process and its finished
    workers, which a busy machine does not inflate) and records the peak memory by its end.
    A Ctrl-C that library code swallowed is raised again as a stage starts or ends and as
    each unit of work is done (``raise_if_interrupted``)."""

    def __init__(
        self, report: BuildReport, progress: Progress, raise_if_interrupted: Callable[[], None]
    ) -> None:
        self.report, self.progress = report, progress
        self.raise_if_interrupted = raise_if_interrupted

    @contextmanager
    def run(self, name: str, total: int | None = None) -> Iterator[Stage]:
        self.raise_if_interrupted()
        started, cpu = time.perf_counter(), _cpu_seconds()
        with self.progress.stage(name, total) as tick:
            yield _Interruptible(tick, self.raise_if_interrupted)
        self.raise_if_interrupted()
        self.report.stage_seconds[name] = time.perf_counter() - started
        self.report.stage_cpu_seconds[name] = _cpu_seconds() - cpu
        self.report.peak_rss_kib[name] = (
            resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
            resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
        )


class _Interruptible(Stage):
    """A stage whose every unit of work done raises a swallowed Ctrl-C again."""

    def __init__(self, shown: Stage, raise_if_interrupted: Callable[[], None]) -> None:
        self.shown, self.raise_if_interrupted = shown, raise_if_interrupted

    def advance(self, amount: int = 1) -> None:
        self.raise_if_interrupted()
        self.shown.advance(amount)


def _cpu_seconds() -> float:
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


# --- parse ---------------------------------------------------------------------------------

_Parsed = tuple[Path, Disclosure | Skipped]


def _parse_one(item: tuple[Path, DocumentMetadata]) -> Disclosure | tuple[str, int | None, str]:
    """Read one document; errors come back as plain values (a ParseError's keyword
    arguments do not survive pickling)."""
    path, metadata = item
    try:
        return read(path, metadata=metadata)
    except ParseError as error:
        return ("parse", error.line, error.message)
    except ConfigError as error:
        return ("config", None, str(error))


def _parse_in_worker(item: tuple[Path, DocumentMetadata]) -> bytes | tuple[str, int | None, str]:
    """``_parse_one`` in a pool worker. The model travels back as JSON: validating it again
    from JSON (in Rust) costs the main process about half of unpickling the same objects."""
    result = _parse_one(item)
    return result.model_dump_json().encode() if isinstance(result, Disclosure) else result


def _parse_all(
    sources: Sequence[tuple[Path, DocumentMetadata]],
    config: BuildConfig,
    *,
    jobs: int,
    keep_going: bool,
    tick: Stage,
) -> list[_Parsed]:
    pooled = uses_pool(jobs, len(sources))
    parsed: list[_Parsed] = []
    with parallel_map(_parse_in_worker if pooled else _parse_one, sources, jobs) as results:
        for (path, _), result in zip(sources, results, strict=True):
            tick.advance()
            if isinstance(result, bytes):
                result = Disclosure.model_validate_json(result)
            if isinstance(result, Disclosure):
                share_field_sets(result)
                parsed.append((path, result))
                continue
            kind, line, message = result
            if not keep_going:
                if kind == "config":
                    raise ConfigError(message)
                raise ParseError(message, file=path, line=line)
            parsed.append((path, Skipped(config.relative(path), line, message)))
    return parsed


# --- corpus --------------------------------------------------------------------------------


def _unique_identifiers(
    parsed: list[_Parsed], config: BuildConfig, *, keep_going: bool, tick: Stage
) -> list[_Parsed]:
    """Leave out (or stop at) a document whose identifiers another document already has:
    IRIs, page paths and package keys are minted from them. One pass, dictionaries only."""
    departments: dict[tuple[str, int | None], str] = {}
    projects: dict[tuple[int | None, str], str] = {}
    kept: list[_Parsed] = []
    for path, disclosure in parsed:
        tick.advance()
        if isinstance(disclosure, Skipped):
            kept.append((path, disclosure))
            continue
        clash = _clash(path, disclosure, departments, projects)
        if clash is None:
            file = config.relative(path)
            departments[(disclosure.department_code, disclosure.year)] = file
            for project in disclosure.projects:
                projects[(disclosure.year, project.code)] = file
            kept.append((path, disclosure))
        elif keep_going:
            kept.append((path, Skipped(config.relative(path), clash.line, clash.message)))
        else:
            raise clash
    return kept


def _clash(
    path: Path,
    disclosure: Disclosure,
    departments: dict[tuple[str, int | None], str],
    projects: dict[tuple[int | None, str], str],
) -> ParseError | None:
    year = disclosure.year if disclosure.year is not None else "(no year)"
    other = departments.get((disclosure.department_code, disclosure.year))
    if other is not None:
        return ParseError(
            f"department {disclosure.department_code} {year} is already the subject of "
            f"{other}; give each document its year",
            file=path,
            line=disclosure.projects[0].source.first if disclosure.projects else None,
        )
    for project in disclosure.projects:
        other = projects.get((disclosure.year, project.code))
        if other is not None:
            return ParseError(
                f"项目编码 {project.code} ({year}) is already in {other}",
                file=path,
                line=project.source.first,
            )
    return None


def _summary(file: str, disclosure: Disclosure) -> DocumentSummary:
    return DocumentSummary(
        file=file,
        sha256=disclosure.source.sha256,
        department_code=disclosure.department_code,
        department_name=disclosure.department_name,
        year=disclosure.year,
        projects=len(disclosure.projects),
        indicators=disclosure.indicator_count,
        warnings=len(disclosure.warnings),
    )


# --- outputs and their checks ------------------------------------------------------------


def _package(
    disclosures: Sequence[Disclosure],
    findings: Sequence[Finding],
    staging: Path,
    config: BuildConfig,
    report: BuildReport,
    *,
    jobs: int,
) -> None:
    # The package's own title (departments and years, zh/en) describes it better than the
    # site's title would. Workers validate its CSV files while the workbook is written.
    problems = build_package(
        disclosures, staging / PACKAGE_FOLDER, zip_path=staging / f"{PACKAGE_FOLDER}.zip",
        findings=findings, created=report.build_time, homepage=config.site.base_url, jobs=jobs,
    )  # fmt: skip
    report.validation["datapackage"] = _result("frictionless", problems)


def _rdf(
    disclosures: Sequence[Disclosure],
    findings: Sequence[Finding],
    staging: Path,
    config: BuildConfig,
    report: BuildReport,
    *,
    jobs: int,
    tick: Stage,
    checksums: Checksums,
    work: Path,
    for_site: bool,
) -> tuple[DumpedPages | None, ScopedTriples | None]:
    """The dumps and their SHACL results, group by group in the pool (toolkit.rdf_groups):
    this process only appends each group's chunk to the files, in input order. ``work`` is a
    folder for the part files. ``for_site``: the site is built next, and gets where the
    disclosure and project pages' RDF lies in the dumps and (in ``work``) the triples its
    example queries can match; returns those."""
    base, build_time = config.site.base_url, report.build_time
    check_unique_disclosures(disclosures, base)
    folder = staging / RDF_FOLDER
    scope = example_scope(QUERIES_DIR) if for_site else None
    tasks = plan_groups(
        disclosures, findings, years_of(disclosures), base=base, build_time=build_time,
        parts=work, scope=scope,
    )  # fmt: skip
    problems: list[Problem] = []
    scoped = work / "scoped.nt"
    with (
        DumpWriter(folder) as dump,
        parallel_map(run_group, tasks, jobs) as results,
        scoped.open("wb") as scoped_file,
    ):
        for task, result in zip(tasks, results, strict=True):
            stem = work / str(result.index)
            dump.add_parts(stem, result.prefixes, result.triples, result.slices)
            if scope is not None:
                append_part(scoped_file, stem.with_name(f"{stem.name}.scoped.nt"))
            problems.extend(result.problems)
            tick.advance(task.documents)
        written = dump.close()
    report.triples = dump.triples
    problems = sorted(set(problems), key=lambda p: (p.where, p.message, p.severity, p.check))
    report.validation["rdf"] = _result("shacl", problems)
    write_catalog(
        folder, [staging / f"{PACKAGE_FOLDER}.zip", *written], base=base,
        build_time=build_time, license=_catalog_license(config, disclosures), root=staging,
        checksums=checksums,
    )  # fmt: skip
    dumped = DumpedPages(folder, dump.slices) if for_site else None
    if scope is None:
        return dumped, None
    return dumped, ScopedTriples(whole=folder / "data.nt", path=scoped, scope=scope)


# --- checks --------------------------------------------------------------------------------


def _result(check: str, problems: Sequence[Problem]) -> dict[str, Any]:
    return {
        "check": check,
        "ok": not any(p.severity == "error" for p in problems),
        "problems": [asdict(p) for p in problems],
    }


def _catalog_license(config: BuildConfig, disclosures: Sequence[Disclosure]) -> str:
    """The license the catalog states for the whole dataset: the configuration's, else the
    one every document shares."""
    if config.license:
        return config.license
    licenses = sorted({d.license for d in disclosures if d.license})
    if len(licenses) != 1:
        found = ", ".join(licenses) or "none"
        raise ConfigError(
            f"the documents do not share one license ({found}); set the corpus license",
            key="license",
        )
    return licenses[0]


# --- outputs -------------------------------------------------------------------------------


def _write_model(disclosures: list[Disclosure], folder: Path) -> None:
    """The whole model as one JSON array, written document by document: a corpus of a
    thousand documents would otherwise hold a second, serialised copy of itself in memory."""
    with (folder / MODEL_NAME).open("wb") as handle:
        handle.write(b"[")
        for index, disclosure in enumerate(disclosures):
            handle.write(b",\n  " if index else b"\n  ")
            handle.write(disclosure.model_dump_json(indent=2).replace("\n", "\n  ").encode())
        handle.write(b"\n]\n")


def _check_target(target: Path, config: BuildConfig) -> None:
    """Refuse an output folder whose replacement would destroy something that is not a
    previous build: the whole output folder is replaced."""
    if target.exists() and not target.is_dir():
        raise OutputError("exists and is not a folder", path=target)
    protected = {Path.cwd().resolve(), Path.home().resolve(), config.root.resolve()}
    if target in protected or any(p.is_relative_to(target) for p in protected):
        raise OutputError("would replace the folder of the sources; choose another", path=target)
    is_build = any((target / marker).is_file() for marker in _BUILD_MARKERS)
    if target.is_dir() and not is_build and any(target.iterdir()):
        raise OutputError(
            f"exists and is not a jixiao build (no {REPORT_NAME}); not replacing it", path=target
        )


@contextmanager
def _staging(target: Path) -> Iterator[Path]:
    """A folder beside ``target`` to build into, moved into place if the block succeeds and
    removed if it fails or is interrupted."""
    previous = previous_of(target)
    if previous.is_dir() and not target.exists():
        # A build was stopped between the two renames of `replace_folder`: undo the first.
        previous.rename(target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
        staging.chmod(0o755)
    except OSError as error:
        raise OutputError(f"cannot create a folder: {error.strerror}", path=target) from error
    try:
        yield staging
        replace_folder(staging, target)
    except OSError as error:
        shutil.rmtree(staging, ignore_errors=True)
        raise OutputError(f"cannot write the build: {error}", path=target) from error
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
