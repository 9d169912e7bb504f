"""The ``jixiao`` command: argument parsing and printing over the library, nothing else.

Exit codes: 0 success; 1 the job ran and found the output invalid; 2 the job could not be done
(unreadable input, bad configuration). ``JixiaoError`` is caught here and only here.
"""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, ParamSpec, TypeVar

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from toolkit import __version__
from toolkit.check import Report
from toolkit.config import DEFAULT_TIMESTAMP, SiteConfig
from toolkit.errors import JixiaoError
from toolkit.interrupts import interrupts_remembered
from toolkit.metadata import DocumentMetadata
from toolkit.model import Disclosure
from toolkit.reading import read

app = typer.Typer(
    name="jixiao",
    help="Turn budget performance-goal disclosures (绩效目标表) into open data.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)

P = ParamSpec("P")
R = TypeVar("R")


def reports_errors(command: Callable[P, R]) -> Callable[P, R]:
    """Turn a ``JixiaoError`` into one line on stderr and exit code 2. A Ctrl-C that library
    code turned into another error is the interrupt it was, which ends the command with 130
    and no traceback, and one it could only print is not printed
    (:func:`~toolkit.interrupts.interrupts_remembered`; the build also raises one it
    dropped)."""

    @functools.wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            # (A Ctrl-C that a command handles, as serve does to stop, ends it as it chooses.)
            with interrupts_remembered():
                return command(*args, **kwargs)
        except JixiaoError as error:
            err.print(f"jixiao: error: {error}", markup=False)
            raise typer.Exit(2) from None

    return wrapper


class OutputFormat(StrEnum):
    TABLE = "table"
    JSON = "json"


Files = Annotated[list[Path], typer.Argument(help="Disclosure files (.txt or .docx).")]
Year = Annotated[
    int | None,
    typer.Option(min=1990, max=2100, help="Budget year, if the document does not say."),
]
Region = Annotated[str | None, typer.Option(help="Region, e.g. 河北省定州市.")]


def metadata_overrides(year: int | None, region: str | None) -> DocumentMetadata | None:
    values = {"year": year, "region": region}
    if all(value is None for value in values.values()):
        return None
    return DocumentMetadata(**values)


def disclosure_json(disclosure: Disclosure) -> dict[str, Any]:
    return disclosure.model_dump(mode="json")


@app.command()
@reports_errors
def parse(
    files: Files,
    output_format: Annotated[
        OutputFormat, typer.Option("--format", "-f", help="table: a summary; json: the model.")
    ] = OutputFormat.TABLE,
    year: Year = None,
    region: Region = None,
) -> None:
    """Read disclosures and show what was found (or the whole model as JSON)."""
    overrides = metadata_overrides(year, region)
    disclosures = [read(path, metadata=overrides) for path in files]
    if output_format is OutputFormat.JSON:
        payload: Any = [disclosure_json(d) for d in disclosures]
        if len(files) == 1:
            payload = payload[0]
        out.print(json.dumps(payload, ensure_ascii=False, indent=2), markup=False)
        return
    for path, disclosure in zip(files, disclosures, strict=True):
        print_summary(path, disclosure)


def print_summary(path: Path, disclosure: Disclosure) -> None:
    table = Table(
        # Text from a disclosure is untrusted: Text() keeps rich from reading it as markup.
        title=Text(
            f"{path.name}: {disclosure.department_code} {disclosure.department_name} "
            f"{disclosure.year or ''} ({disclosure.currency_unit})"
        ),
        title_justify="left",
    )
    for column in ("序号", "项目编码", "项目名称", "预算数", "指标数", "来源行"):
        table.add_column(column, overflow="fold")
    for project in disclosure.projects:
        cells = (
            str(project.sequence),
            project.code,
            project.name,
            str(project.budget_total if project.budget_total is not None else ""),
            str(len(project.indicators)),
            f"{project.source.first}–{project.source.last}",
        )
        table.add_row(*(Text(cell) for cell in cells))
    out.print(table)
    out.print(
        f"{len(disclosure.projects)} projects, {disclosure.indicator_count} indicators, "
        f"total budget {disclosure.total_budget} {disclosure.currency_unit}",
        markup=False,
    )
    for warning in disclosure.warnings:
        err.print(f"{path}:{warning.line or '?'}: warning: {warning.message}", markup=False)


@app.command()
@reports_errors
def build(
    config: Annotated[
        Path | None,
        typer.Argument(help="jixiao.toml; default: ./jixiao.toml, else the bundled example."),
    ] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Output folder.")] = None,
    jobs: Annotated[
        int | None,
        typer.Option("--jobs", "-j", min=1, help="Processes; default: the number of cores."),
    ] = None,
    keep_going: Annotated[
        bool,
        typer.Option(
            "--keep-going", "-k", help="Leave out documents that cannot be read (exit 2 at end)."
        ),
    ] = False,
) -> None:
    """Build every output of a corpus (default: ./jixiao.toml, else the bundled example)."""
    from toolkit.build import build as run_build
    from toolkit.config import load_config
    from toolkit.progress import for_terminal

    settings = load_config(config)
    report = run_build(
        settings, output=output, jobs=jobs, keep_going=keep_going, progress=for_terminal(err)
    )
    out.print(report.summary(), markup=False)
    if report.skipped:
        err.print(
            f"jixiao: error: {len(report.skipped)} documents were left out (see above)",
            markup=False,
        )
        raise typer.Exit(2)
    if not report.ok:
        raise typer.Exit(1)


@app.command()
@reports_errors
def init(
    folder: Annotated[Path, typer.Argument(help="Folder to write jixiao.toml into.")],
) -> None:
    """Write a commented starter jixiao.toml into FOLDER (never overwrites one)."""
    from toolkit.config import write_starter_config

    written = write_starter_config(folder)
    out.print(f"wrote {written}; list your documents in it, then `jixiao build {written}`")


class AuditFormat(StrEnum):
    TABLE = "table"
    CSV = "csv"
    JSON = "json"


class Lang(StrEnum):
    ZH = "zh"
    EN = "en"


class GraphFormat(StrEnum):
    TTL = "ttl"
    NT = "nt"
    JSONLD = "jsonld"


def parse_created(value: str) -> datetime:
    """An ISO 8601 time; without a zone it is UTC."""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError as error:
        raise typer.BadParameter(f"not an ISO 8601 time: {value!r}") from error
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


@app.command()
@reports_errors
def audit(
    files: Files,
    output_format: Annotated[
        AuditFormat,
        typer.Option("--format", "-f", help="table: a report by project; csv, json: findings."),
    ] = AuditFormat.TABLE,
    lang: Annotated[Lang, typer.Option(help="Language of the report: zh or en.")] = Lang.ZH,
    year: Year = None,
    region: Region = None,
) -> None:
    """Audit the quality of every performance target (rules DQ01–DQ16).

    Findings are results, not failures: the exit code is 0 whatever is found.
    """
    from toolkit.quality import audit as run_audit
    from toolkit.quality.report import findings_csv, findings_report

    overrides = metadata_overrides(year, region)
    disclosures = [read(path, metadata=overrides) for path in files]
    findings = run_audit(disclosures)
    if output_format is AuditFormat.JSON:
        payload = [finding.model_dump(mode="json") for finding in findings]
        out.print(json.dumps(payload, ensure_ascii=False, indent=2), markup=False)
    elif output_format is AuditFormat.CSV:
        sys.stdout.write(findings_csv(findings))
    else:
        out.print(findings_report(findings, disclosures, lang.value))


@app.command()
@reports_errors
def rdf(
    files: Files,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write here (default: stdout).")
    ] = None,
    graph_format: Annotated[
        GraphFormat | None,
        typer.Option("--format", "-f", help="ttl, nt or jsonld (default: from -o, else ttl)."),
    ] = None,
    base: Annotated[
        str, typer.Option(help="Base URL of the IRIs (the site's public URL).")
    ] = SiteConfig().base_url,
    year: Year = None,
    region: Region = None,
) -> None:
    """Export disclosures as RDF under the budget-performance ontology."""
    from toolkit.rdf import export

    payload = export(
        files,
        base=base,
        fmt=graph_format.value if graph_format else None,
        output=output,
        metadata=metadata_overrides(year, region),
    )
    if output is None:
        sys.stdout.write(payload.decode("utf-8"))


class QueryFormat(StrEnum):
    TABLE = "table"
    CSV = "csv"
    JSON = "json"


@app.command()
@reports_errors
def package(
    files: Files,
    output: Annotated[Path, typer.Option("--output", "-o", help="Output folder.")],
    created: Annotated[
        str, typer.Option(help="Creation time written into the package (ISO 8601).")
    ] = DEFAULT_TIMESTAMP.strftime("%Y-%m-%dT%H:%M:%SZ"),
    homepage: Annotated[str, typer.Option(help="Home page of the package (the site URL).")] = (
        SiteConfig().base_url
    ),
    title: Annotated[str | None, typer.Option(help="Package title (default: derived).")] = None,
    year: Year = None,
    region: Region = None,
) -> None:
    """Write a Frictionless data package: datapackage.json, one CSV per resource, a workbook."""
    from toolkit.package import write_package

    moment = parse_created(created)
    overrides = metadata_overrides(year, region)
    disclosures = [read(path, metadata=overrides) for path in files]
    descriptor = write_package(disclosures, output, created=moment, homepage=homepage, title=title)
    out.print(f"wrote {descriptor}", markup=False)


@app.command()
@reports_errors
def query(
    sparql: Annotated[str, typer.Argument(help="A SPARQL query, or the path of a .rq file.")],
    data: Annotated[
        Path | None, typer.Option(help="Graph to query (default: build/rdf/data.ttl).")
    ] = None,
    query_format: Annotated[
        QueryFormat, typer.Option("--format", "-f", help="table, csv or json (SPARQL results).")
    ] = QueryFormat.TABLE,
    endpoint: Annotated[
        str | None,
        typer.Option(help="Query this SPARQL endpoint instead, e.g. http://host:7878/query."),
    ] = None,
) -> None:
    """Run a SPARQL 1.1 query over the built graph (with the ontology and indicator scheme):
    the embedded store when it is up to date, else the files; or a remote endpoint."""
    from toolkit.querying import answer_query
    from toolkit.sparql import format_result

    result = answer_query(sparql, data=data, endpoint=endpoint)
    sys.stdout.write(format_result(result, query_format.value))


@app.command()
@reports_errors
def check(
    path: Annotated[
        Path, typer.Argument(help="A data package (folder or datapackage.json) or a graph.")
    ],
    output_format: Annotated[
        OutputFormat, typer.Option("--format", "-f", help="table: readable; json: the report.")
    ] = OutputFormat.TABLE,
) -> None:
    """Validate a data package (Frictionless) or a graph (SHACL); exit 1 if it is invalid."""
    from toolkit.check import check as run_check

    report = run_check(path)
    if output_format is OutputFormat.JSON:
        typer.echo(report.to_json())
    else:
        print_report(report)
    if not report.ok:
        raise typer.Exit(1)


def print_report(report: Report) -> None:
    verdict = "valid" if report.ok else "invalid"
    checks = ", ".join(report.checks)
    count = len(report.problems)
    problems = f"{count} problem" + ("" if count == 1 else "s")
    heading = Text(f"{report.target}: {verdict} ({checks}), {problems}")
    if not report.problems:
        out.print(heading)
        return
    table = Table(title=heading, title_justify="left")
    table.add_column("severity", no_wrap=True)
    table.add_column("where", no_wrap=True)
    table.add_column("problem", overflow="fold")
    for problem in report.problems:
        # Text, not markup: messages quote untrusted cells.
        cells = (problem.severity, problem.where, problem.message)
        table.add_row(*(Text(cell) for cell in cells))
    out.print(table)


@app.command()
@reports_errors
def site(
    files: Files,
    output: Annotated[Path, typer.Option("--output", "-o", help="Site folder.")] = Path(
        "build/site"
    ),
    title: Annotated[str | None, typer.Option(help="Site title.")] = None,
    base_url: Annotated[
        str | None, typer.Option(help="Public URL of the site; IRIs are minted under it.")
    ] = None,
    year: Year = None,
    region: Region = None,
) -> None:
    """Build the transparency website of disclosures (MkDocs Material) into a folder."""
    from pydantic import ValidationError

    from toolkit.site import build_site

    settings = {"title": title, "base_url": base_url}
    try:
        config = SiteConfig(**{k: v for k, v in settings.items() if v is not None})
    except ValidationError as error:
        first = error.errors()[0]
        raise typer.BadParameter(first["msg"], param_hint="--base-url") from None
    folder = build_site(files, output, config=config, metadata=metadata_overrides(year, region))
    out.print(f"site written to {folder}", markup=False)


@app.command()
@reports_errors
def publish(
    to: Annotated[
        str,
        typer.Option(
            "--to",
            help="The store's Graph Store Protocol URL, e.g. http://localhost:7878/store "
            "(credentials: JIXIAO_STORE_USER and JIXIAO_STORE_PASSWORD, JIXIAO_STORE_TOKEN, "
            "or ~/.netrc; never on the command line).",
        ),
    ],
    graph_base: Annotated[
        str | None,
        typer.Option(help="Base of the graph names: {base}/disclosure/{dept}/{year}."),
    ] = None,
    data: Annotated[
        Path | None, typer.Option(help="Graph file (.nt or .ttl); default build/rdf/data.nt.")
    ] = None,
    attempts: Annotated[int, typer.Option(min=1, max=10, help="Tries per graph.")] = 4,
) -> None:
    """Publish the graph into a SPARQL 1.1 store: one named graph per disclosure, and the
    ontology and indicator scheme (one HTTP PUT each)."""
    from toolkit.publish import publish as run_publish

    report = run_publish(data, to, graph_base=graph_base, attempts=attempts)
    out.print(report.summary(), markup=False)


@app.command()
@reports_errors
def serve(
    config: Annotated[
        Path | None,
        typer.Argument(help="jixiao.toml; default: ./jixiao.toml, else the bundled example."),
    ] = None,
    port: Annotated[
        int | None,
        typer.Option(
            min=0,
            max=65535,
            help="Port on 127.0.0.1 (0: any free port); default 8000, with --sparql a free one.",
        ),
    ] = None,
    sparql: Annotated[
        bool,
        typer.Option("--sparql", help="Serve the built graph as a read-only SPARQL endpoint."),
    ] = False,
) -> None:
    """Build the site and serve it on 127.0.0.1 for preview (Ctrl-C stops); with --sparql,
    serve the graph of the last `jixiao build` as a read-only SPARQL 1.1 endpoint."""
    from toolkit.config import load_config

    settings = load_config(config)
    if sparql:
        from toolkit.endpoint import serve_build

        serve_build(
            settings.output, port=port or 0, announce=lambda line: out.print(line, markup=False)
        )
        return
    from toolkit.site_serve import serve_site

    serve_site(
        settings,
        port=8000 if port is None else port,
        on_ready=lambda url: out.print(f"serving the site on {url} (Ctrl-C stops)", markup=False),
    )


def version_callback(value: bool) -> None:
    if value:
        out.print(f"jixiao {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool, typer.Option("--version", callback=version_callback, is_eager=True)
    ] = False,
) -> None:
    """jixiao (绩效): performance-goal disclosures as open data."""


if __name__ == "__main__":  # pragma: no cover
    sys.exit(app())
