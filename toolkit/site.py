"""The public transparency website: generate the MkDocs pages, then build them.

:func:`write_site` writes one Markdown page per project (at the path of the project's IRI),
per disclosure and per department, the home, project index, quality, data and linked-data
pages, copies the hand-written pages of ``site/docs/`` beside them into a folder next to the
output (never into ``site/``), and runs ``mkdocs build`` through MkDocs' Python API with the
strict configuration of ``site/mkdocs.yml``. The site is built into a staging folder and
moved into place only when the build succeeded.
"""

from __future__ import annotations

import logging
import os
import shutil
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from rdflib import Graph

from toolkit.config import DEFAULT_TIMESTAMP, SiteConfig
from toolkit.errors import OutputError
from toolkit.metadata import DocumentMetadata
from toolkit.model import Disclosure
from toolkit.quality.finding import Finding
from toolkit.site_data import (
    DATA_PAGE,
    collect_downloads,
    data_page_body,
    linked_data_page_body,
    run_queries,
)
from toolkit.site_html import esc, page, relative
from toolkit.site_pages import (
    Entry,
    disclosure_overview,
    project_csv,
    project_page_body,
    project_table,
)
from toolkit.site_quality import quality_page_body, summary_badges
from toolkit.site_rdf import (
    department_path,
    disclosure_path,
    jsonld_text,
    project_graph,
    project_path,
    resource_iri,
    script_safe,
)

__all__ = ["SITE_SOURCE", "audit_findings", "build_site", "write_site"]

ROOT = Path(__file__).resolve().parent.parent
SITE_SOURCE = ROOT / "site"
ONTOLOGY = ROOT / "ontology"

# Hand-written pages that introduce a generated page instead of standing alone.
_INTROS = {"data.md", "linked-data.md"}

# Material fetches "sitemap.xml" beside the target of every <link rel="alternate"> (it takes
# them for translations); an empty one beside each resource's RDF keeps that request from
# failing with a 404 in the browser console.
EMPTY_SITEMAP = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"></urlset>\n'
)

# Generated pages are wide tables and headings in raw HTML, which MkDocs' table of contents
# does not see: both sidebars would stay empty.
HIDE = ["navigation", "toc"]

NAV = [
    {"首页": "index.md"},
    {"项目一览": "projects/index.md"},
    {"数据质量": "quality/index.md"},
    {"数据下载": DATA_PAGE + "index.md"},
    {"关联数据": "linked-data/index.md"},
    {"说明": [{"关于数据": "about.md"}, {"如何阅读绩效目标": "reading.md"}]},
]


def write_site(
    disclosures: Sequence[Disclosure],
    folder: Path,
    *,
    config: SiteConfig,
    findings: Sequence[Finding] = (),
    outputs: Path | None = None,
    build_time: datetime,
) -> Path:
    """Generate the pages of ``disclosures`` and build the site into ``folder``.

    ``findings`` are the audit's; ``outputs`` is the build folder holding ``datapackage/``,
    ``datapackage.zip`` and ``rdf/``, whose files the data page lists (size, SHA-256) and the
    site serves. ``build_time`` dates the site and its sitemap, so two builds are identical.
    Returns ``folder``; raises :class:`OutputError` when a page cannot be generated or
    MkDocs reports a problem (strict build).
    """
    folder = Path(folder).resolve()
    sources = folder.with_name(f"{folder.name}-pages")
    docs = sources / "docs"
    shutil.rmtree(sources, ignore_errors=True)
    docs.mkdir(parents=True)
    downloads = collect_downloads(outputs)
    graphs = _write_pages(disclosures, findings, docs, config=config, build_time=build_time)
    _write_special_pages(
        disclosures,
        findings,
        docs,
        config=config,
        downloads=downloads,
        outputs=outputs,
        graphs=graphs,
    )
    staging = folder.with_name(f".{folder.name}-staging")
    shutil.rmtree(staging, ignore_errors=True)
    try:
        _mkdocs_build(docs, staging, config=config, build_time=build_time)
        for item in downloads:
            target = staging / item.path
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(item.source, target)
        _replace(staging, folder)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return folder


def audit_findings(disclosures: Sequence[Disclosure]) -> list[Finding]:
    """The quality audit's findings, once :mod:`toolkit.quality` provides ``audit``; none
    before."""
    try:
        from toolkit.quality import audit  # type: ignore[attr-defined]
    except ImportError:
        return []
    return list(audit(disclosures))


def build_site(
    paths: Sequence[Path],
    folder: Path,
    *,
    config: SiteConfig | None = None,
    metadata: Sequence[DocumentMetadata | None] | DocumentMetadata | None = None,
    outputs: Path | None = None,
    build_time: datetime = DEFAULT_TIMESTAMP,
) -> Path:
    """Read ``paths``, audit them and build their site into ``folder`` (``jixiao site``).

    ``metadata`` overrides what the documents do not say: one value for all of them, or one
    per path.
    """
    from toolkit.reading import read

    if metadata is None or isinstance(metadata, DocumentMetadata):
        overrides: Sequence[DocumentMetadata | None] = [metadata] * len(paths)
    else:
        overrides = metadata
    disclosures = [read(path, metadata=meta) for path, meta in zip(paths, overrides, strict=True)]
    return write_site(
        disclosures,
        folder,
        config=config or SiteConfig(),
        findings=audit_findings(disclosures),
        outputs=outputs,
        build_time=build_time,
    )


def _write(docs: Path, path: str, text: str) -> None:
    target = docs / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")


def _intro(name: str) -> str:
    source = SITE_SOURCE / "docs" / name
    return source.read_text(encoding="utf-8").rstrip() + "\n\n" if source.is_file() else ""


def _write_pages(
    disclosures: Sequence[Disclosure],
    findings: Sequence[Finding],
    docs: Path,
    *,
    config: SiteConfig,
    build_time: datetime,
) -> list[Graph]:
    """Project, disclosure and department pages, the home and the project index; returns
    each project's graph for the linked-data page's queries."""
    base = config.base_url
    by_key: dict[tuple[str, int | None, str | None], list[Finding]] = {}
    for f in findings:
        by_key.setdefault((f.department_code, f.year, f.project_code), []).append(f)
    seen: set[str] = set()
    graphs: list[Graph] = []
    entries: list[Entry] = []
    for d in disclosures:
        for p in d.projects:
            here = project_path(d, p)
            if here in seen:
                raise OutputError(f"two projects would share the page {here}", path=here)
            seen.add(here)
            own = by_key.get((d.department_code, d.year, p.code), [])
            entries.append(Entry(d, p, own))
            graph = project_graph(d, p, base=base)
            graphs.append(graph)
            jsonld = jsonld_text(graph)
            meta = {
                "title": esc(p.name),
                "hide": HIDE,
                "rdf_turtle": "project.ttl",
                "rdf_jsonld_file": "project.jsonld",
                "rdf_jsonld": script_safe(jsonld),
            }
            iri = resource_iri(base, here)
            tables = project_csv(d, p, own)
            titles = {name: title for name, (title, _) in tables.items()}
            body = project_page_body(d, p, own, iri=iri, downloads=titles)
            _write(docs, here + "index.md", page(meta, body))
            _write(docs, here + "project.ttl", graph.serialize(format="turtle"))
            _write(docs, here + "project.jsonld", jsonld)
            _write(docs, here + "sitemap.xml", EMPTY_SITEMAP)
            for name, (_, data) in tables.items():
                (docs / here / name).write_bytes(data)
    single = len(disclosures) == 1
    departments: dict[str, list[Disclosure]] = {}
    for d in disclosures:
        here = disclosure_path(d)
        if here in seen:
            raise OutputError(f"two disclosures would share the page {here}", path=here)
        seen.add(here)
        departments.setdefault(d.department_code, []).append(d)
        meta = {"title": esc(f"{d.department_name} {d.year or ''}"), "hide": HIDE}
        if single:
            meta["search"] = {"exclude": True}  # the home shows the same text
        _write(docs, here + "index.md", page(meta, disclosure_overview(d, findings, here=here)))
    for code, items in sorted(departments.items()):
        _write_department(docs, code, items, findings)
    built = f"本站数据生成于 {build_time:%Y-%m-%d}。"
    if single:
        home = disclosure_overview(disclosures[0], findings, here="")
    else:
        home = _corpus_home(disclosures, findings)
    home.append(f'<p class="jx-built">{esc(built)}</p>')
    # No title: the theme gives the home page the site name alone.
    _write(docs, "index.md", page({"hide": HIDE}, home))
    projects = [
        '<h1 id="projects">项目一览</h1>',
        f"<p>共 {len(entries)} 个项目。点击表头可排序，点击项目名称查看详情。</p>",
        project_table(entries, here="projects/", corpus=not single),
    ]
    _write(docs, "projects/index.md", page({"title": "项目一览", "hide": HIDE}, projects))
    return graphs


def _write_department(
    docs: Path, code: str, items: list[Disclosure], findings: Sequence[Finding]
) -> None:
    here = department_path(code)
    name = items[0].department_name
    rows = []
    for d in sorted(items, key=lambda d: d.year or 0):
        own = [f for f in findings if f.department_code == code and f.year == d.year]
        link = relative(disclosure_path(d), here)
        rows.append(
            f'<tr><td><a href="{link}">{esc(d.year or "未注明")}</a></td>'
            f'<td class="jx-num">{len(d.projects)}</td>'
            f'<td class="jx-num">{esc(d.total_budget)} {esc(d.currency_unit)}</td>'
            f"<td>{summary_badges(own, compact=True)}</td></tr>"
        )
    body = [
        f'<h1 id="department">{esc(name)}</h1>',
        f"<p>部门编码 <code>{esc(code)}</code></p>",
        '<div class="jx-table-wrap"><table><thead><tr><th>预算年度</th>'
        "<th>项目数</th><th>预算总额</th><th>数据质量</th></tr></thead><tbody>",
        *rows,
        "</tbody></table></div>",
    ]
    _write(docs, here + "index.md", page({"title": esc(name)}, body))


def _corpus_home(disclosures: Sequence[Disclosure], findings: Sequence[Finding]) -> list[str]:
    parts = ['<h1 id="home">预算绩效目标公开</h1>']
    parts.append(
        f"<p>收录 {len(disclosures)} 份部门预算绩效目标，"
        f"共 {sum(len(d.projects) for d in disclosures)} 个项目。</p>"
    )
    rows = []
    for d in sorted(disclosures, key=lambda d: (d.department_code, d.year or 0)):
        own = [f for f in findings if f.department_code == d.department_code and f.year == d.year]
        rows.append(
            f'<tr><td><a href="{department_path(d.department_code)}">{esc(d.department_name)}</a>'
            f'</td><td><a href="{disclosure_path(d)}">{esc(d.year or "未注明")}</a></td>'
            f"<td>{esc(d.region or '')}</td>"
            f'<td class="jx-num">{len(d.projects)}</td>'
            f'<td class="jx-num" data-sort="{d.total_budget:f}">{d.total_budget:f} '
            f"{esc(d.currency_unit)}</td><td>{summary_badges(own, compact=True)}</td></tr>"
        )
    parts += [
        '<h2 id="disclosures">部门与年度</h2>',
        '<div class="jx-table-wrap jx-sortable"><table><thead><tr>'
        '<th>部门</th><th>预算年度</th><th>地区</th><th data-sort-method="number">项目数</th>'
        '<th data-sort-method="number">预算总额</th><th>数据质量</th></tr></thead><tbody>',
        *rows,
        "</tbody></table></div>",
        '<h2 id="quality">数据质量</h2>',
        summary_badges(findings),
    ]
    return parts


def _write_special_pages(
    disclosures: Sequence[Disclosure],
    findings: Sequence[Finding],
    docs: Path,
    *,
    config: SiteConfig,
    downloads: list,
    outputs: Path | None,
    graphs: list[Graph],
) -> None:
    for source in sorted((SITE_SOURCE / "docs").rglob("*")):
        rel = source.relative_to(SITE_SOURCE / "docs").as_posix()
        if source.is_file() and rel not in _INTROS:
            target = docs / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
    quality = quality_page_body(disclosures, findings, here="quality/")
    _write(docs, "quality/index.md", page({"title": "数据质量", "hide": HIDE}, quality))
    body = data_page_body(downloads, outputs_given=outputs is not None)
    _write(docs, DATA_PAGE + "index.md", _intro("data.md") + page({}, body))
    queries = run_queries(ONTOLOGY / "queries", _data_ntriples(outputs, graphs))
    body = linked_data_page_body(
        disclosures, base=config.base_url, ontology=ONTOLOGY, queries=queries
    )
    _write(docs, "linked-data/index.md", _intro("linked-data.md") + page({}, body))


def _data_ntriples(outputs: Path | None, graphs: list[Graph]) -> bytes:
    """The published RDF dump when the build wrote one, else the projects' graphs."""
    if outputs is not None and (outputs / "rdf" / "data.nt").is_file():
        return (outputs / "rdf" / "data.nt").read_bytes()
    return b"".join(g.serialize(format="nt", encoding="utf-8") for g in graphs)


class _Warnings(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextmanager
def _source_date(build_time: datetime) -> Iterator[None]:
    """MkDocs dates the sitemap and its gzip header from SOURCE_DATE_EPOCH."""
    previous = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(int(build_time.timestamp()))
    try:
        yield
    finally:
        if previous is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = previous


def _mkdocs_build(docs: Path, site_dir: Path, *, config: SiteConfig, build_time: datetime) -> None:
    import jieba
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    jieba.setLogLevel(logging.WARNING)
    handler = _Warnings()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    try:
        with _source_date(build_time):
            settings = load_config(
                config_file=str(SITE_SOURCE / "mkdocs.yml"),
                docs_dir=str(docs),
                site_dir=str(site_dir),
                site_name=esc(config.title),
                site_url=config.base_url + "/",
                nav=NAV,
                strict=True,
            )
            build(settings)
    except MkDocsException as error:
        detail = "; ".join(handler.messages) or str(error)
        raise OutputError(f"mkdocs build failed: {detail}", path=site_dir) from error
    finally:
        logger.removeHandler(handler)


def _replace(staging: Path, target: Path) -> None:
    previous = target.with_name(f".{target.name}-previous")
    shutil.rmtree(previous, ignore_errors=True)
    if target.exists():
        target.rename(previous)
    staging.rename(target)
    shutil.rmtree(previous, ignore_errors=True)
