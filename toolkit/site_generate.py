"""Write every generated page of the site for MkDocs.

One page per project, per disclosure and per department, each at the path of its IRI and
carrying its RDF (JSON-LD in the page, Turtle beside it); the home, the project index, the
quality, data and linked-data pages; and the hand-written pages of ``site/docs/``. Findings
are grouped once by disclosure and by project, so the work grows linearly with the corpus.
Pages go into a MkDocs docs folder, except the stamped ones (project, disclosure and
department pages, :mod:`toolkit.site_stamp`): MkDocs knows them only by their front matter,
and their contents go to the stamper as they are made (:class:`Theme`)."""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol, cast

from toolkit.checksums import Checksums
from toolkit.config import SiteConfig
from toolkit.errors import OutputError
from toolkit.model import Disclosure, Project
from toolkit.parallel import parallel_map
from toolkit.quality.finding import Finding
from toolkit.rdf import check_unique_disclosures
from toolkit.rdf_dump import DumpedPages
from toolkit.segmenter import jieba_tokenizer
from toolkit.site_data import (
    DATA_PAGE,
    Download,
    collect_downloads,
    data_page_body,
    linked_data_page_body,
    run_queries,
)
from toolkit.site_html import esc, front_matter, page, paged, relative
from toolkit.site_pages import (
    Entry,
    disclosure_overview,
    project_csv,
    project_page_body,
    project_table,
)
from toolkit.site_quality import quality_pages, summary_badges
from toolkit.site_queries import ScopedTriples, ShownQuery
from toolkit.site_rdf import (
    Triple,
    corpus_ntriples,
    dataset_triples,
    department_path,
    department_share,
    disclosure_pages,
    disclosure_path,
    project_path,
    resource_iri,
)
from toolkit.site_search import SearchEntry, page_entries
from toolkit.site_serialize import pages_files
from toolkit.site_stamp import Stamper, encoded
from toolkit.vocabularies import ONTOLOGY_DIR, QUERIES_DIR

__all__ = ["HIDE", "NAV", "Theme", "generate_pages", "static_folder"]

SITE_DOCS = Path(__file__).resolve().parent.parent / "site" / "docs"

# Hand-written pages that introduce a generated page instead of standing alone.
_INTROS = {"data.md": DATA_PAGE, "linked-data.md": "linked-data/"}

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

# Material fetches "sitemap.xml" beside the target of every <link rel="alternate"> (it takes
# them for translations); an empty one beside each resource's RDF keeps that request from
# failing with a 404 in the browser console.
EMPTY_SITEMAP = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"></urlset>\n'
)

Key = tuple[str, int | None]


def link_or_copy(source: Path, target: Path) -> None:
    """A second name for a file the site serves as it is (the build's data files, the
    RDF dumps alone hundreds of megabytes at a thousand documents; the empty sitemap beside
    each page's RDF), or a copy where the file system cannot link. The build replaces its
    outputs whole and never writes into a file in place, so the two names cannot come to
    differ."""
    try:
        os.link(source, target)
    except FileExistsError:  # pages written again into the same folder
        target.unlink()
        link_or_copy(source, target)
    except OSError:
        shutil.copyfile(source, target)


def _write(docs: Path, path: str, text: str | bytes) -> None:
    target = docs / path
    data = text.encode("utf-8") if isinstance(text, str) else text
    try:
        target.write_bytes(data)
    except FileNotFoundError:
        # Folders are made on first use: a page writes several files into each.
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)


def _front_matter(meta: dict[str, Any]) -> dict[str, Any]:
    """A generated page's front matter, from the generator's: marked ``generated`` for
    ``site/hooks.py`` to put its HTML in place past Markdown (which would only scan it to
    pass it through), and ``search: exclude`` when its search entries are ours."""
    meta = meta | {"generated": True}
    if _indexed_here(meta):
        meta |= {"search": {"exclude": True}}
    return meta


def _indexed_here(meta: dict[str, Any]) -> bool:
    """Whether :func:`_write_page` makes the search entries of a page with the generator's
    front matter ``meta``: a page without a title of its own (the home) is left to the
    search plugin, which knows the title the theme gives it, and so is one that already
    says how the plugin treats it."""
    return "title" in meta and "search" not in meta


def _write_page(
    docs: Path, path: str, meta: dict[str, Any], body: list[str], held: dict[str, bytes]
) -> list[SearchEntry]:
    """A generated page (front matter from :func:`_front_matter`); a stamped one, which
    MkDocs never reads (:mod:`toolkit.site_stamp`), is not written: its content goes into
    ``held``, by source path and encoded as the page will hold it, for the stamper. Returns
    its search entries, which the search plugin is told to leave to us
    (:mod:`toolkit.site_search`)."""
    indexed = _indexed_here(meta)
    meta = _front_matter(meta)
    content = page({}, body)
    if Stamper.wants(meta):
        held[path] = encoded(content)
    else:
        _write(docs, path, front_matter(meta) + content)
    return page_entries(path.removesuffix("index.md"), meta["title"], content) if indexed else []


def static_folder(docs: Path) -> Path:
    """Where the files served beside the pages (RDF, CSV) are written: not in ``docs``,
    where MkDocs would only copy them one by one, but beside it, to be moved into the built
    site (:func:`toolkit.site.write_site`). Pages link them from HTML that MkDocs does not
    check, so MkDocs does not need to know them."""
    return docs.parent / "files"


def _rdf_links(stem: str) -> dict[str, Any]:
    """The front matter that links a page's RDF files (:func:`_rdf_files`)."""
    return {"rdf_turtle": f"{stem}.ttl", "rdf_jsonld_file": f"{stem}.jsonld"}


def _rdf_files(
    docs: Path, files: Mapping[tuple[str, str], tuple[bytes, bytes]]
) -> dict[str, bytes]:
    """Write each page's Turtle and JSON-LD (``files``, by the page's folder and the files'
    stem) beside it (front matter from :func:`_rdf_links` links them), and return the
    JSON-LD by source path, for the page's script element (``site/hooks.py`` reads it from
    the file for a page that is not stamped)."""
    folder = static_folder(docs)
    embedded = {}
    for (here, stem), (turtle, jsonld) in files.items():
        _write(folder, f"{here}{stem}.ttl", turtle)
        _write(folder, f"{here}{stem}.jsonld", jsonld)
        link_or_copy(_empty_sitemap(docs), folder / f"{here}sitemap.xml")
        embedded[here + "index.md"] = jsonld
    return embedded


def _empty_sitemap(docs: Path) -> Path:
    """The one empty sitemap (:data:`EMPTY_SITEMAP`), beside the docs folder: each page
    folder's is a link to it."""
    return docs.parent / "empty-sitemap.xml"


def generate_pages(
    disclosures: Sequence[Disclosure],
    findings: Sequence[Finding],
    docs: Path,
    *,
    config: SiteConfig,
    build_time: datetime,
    outputs: Path | None,
    theme: Theme,
    jobs: int = 1,
    checksums: Checksums | None = None,
    dumped: DumpedPages | None = None,
    scoped: ScopedTriples | None = None,
) -> list[SearchEntry]:
    """Write all pages of the site into ``docs``, but the stamped ones, which go to
    ``theme``; ``jobs`` processes make the project pages (the same files whatever it is).
    ``outputs`` is the build folder: its RDF dump, when there, is what the example queries
    run on (or ``scoped``, the triples of it they can match); ``checksums``, its files'
    checksums the build knows; ``dumped``, where its dumps hold the disclosure and project
    pages' RDF (else stated here). ``theme`` builds the site around the pages
    (:class:`Theme`). Returns the search entries of the pages it marked for the search
    plugin to skip (:mod:`toolkit.site_search`), in a fixed order."""
    base = config.base_url
    check_unique_disclosures(disclosures, base)
    by_disclosure: dict[Key, list[Finding]] = {}
    by_project: dict[tuple[str, int | None, str | None], list[Finding]] = {}
    for f in findings:
        by_disclosure.setdefault((f.department_code, f.year), []).append(f)
        by_project.setdefault((f.department_code, f.year, f.project_code), []).append(f)

    entries = _index_rows(disclosures, by_project)
    stamped = _stamped_pages(disclosures)
    # The pool's first tasks are what this process waits for: the data page's list of files
    # with their checksums, and the example queries' results (the longest task).
    tasks: list[_Task] = [
        _DownloadsTask(outputs, checksums),
        _QueriesTask(scoped or corpus_ntriples(disclosures, findings, base, outputs), base),
    ]
    tasks += [
        _ProjectTask(d, own, base, str(docs), dumped)
        for d, own in zip(disclosures, _findings_by_disclosure(disclosures, findings), strict=True)
    ]
    _empty_sitemap(docs).write_text(EMPTY_SITEMAP, encoding="utf-8")
    # Loaded before the pool forks (by the audit, in a build), so that workers share it.
    jieba_tokenizer()
    # One task at a time: a task is seconds (the queries) or tens of milliseconds (a
    # disclosure's pages), and the pool's results in input order are this process's cue.
    # They wait beside the pages, on the build's own disk, not in the system's temporary
    # folder: while MkDocs runs they are a gigabyte at a thousand documents.
    with parallel_map(_run, tasks, jobs, chunksize=1, scratch=docs.parent) as done:
        # The pool writes the project pages (nearly all of the site) while this process
        # writes the others.
        results = iter(done)
        held: dict[str, bytes] = {}  # the stamped pages' contents this process writes
        search = _other_pages(
            disclosures,
            findings,
            entries,
            by_disclosure,
            docs,
            build_time=build_time,
            held=held,
        )
        theme.prepare()  # while the pool is still on the tasks this process waits for
        downloads = cast(list[Download], next(results))
        queries = cast(list[ShownQuery], next(results))
        _data_pages(
            disclosures, docs, config=config, outputs=outputs, downloads=downloads, queries=queries
        )
        _copy_hand_written(docs)
        if stamped:  # MkDocs does not read them: it need not wait for the pool
            theme.build(stamped)
        found: list[SearchEntry] = []
        for result in results:
            entries_of, contents, embedded = cast(_ProjectPages, result)
            found += entries_of
            contents |= {path: held.pop(path) for path in embedded if path in held}
            theme.written({path: (contents[path], embedded[path]) for path in contents})
    # A department's page holds what each of its disclosures states about it.
    shares: dict[str, list[Triple]] = {}
    for d in disclosures:
        shares.setdefault(department_path(d.department_code), []).extend(department_share(d, base))
    pages = {(path, "department"): shares[path] for path in sorted(shares)}
    embedded = _rdf_files(docs, pages_files(pages))
    if stamped:
        theme.written({path: (held.pop(path), embedded[path]) for path in sorted(held)})
    else:
        theme.build(stamped)
    return found + search


class Theme(Protocol):
    """What builds the site around the generated pages (MkDocs, :mod:`toolkit.site`)."""

    def prepare(self) -> None:
        """Get ready to build (read the configuration): called while this process would
        otherwise wait for the pool."""

    def build(self, stamped: dict[str, dict[str, Any]]) -> None:
        """Build the site. ``stamped`` is the front matter, by source path, of the pages
        whose content is not in the docs folder (:mod:`toolkit.site_stamp`): it is called
        as soon as every other page is written, while the pool may still be writing them;
        with none stamped, once every page is written."""

    def written(self, pages: dict[str, tuple[bytes, bytes]]) -> None:
        """These stamped pages' files are written: here are their contents (encoded, as
        :func:`toolkit.site_stamp.encoded` does) and JSON-LD, by source path."""


def _stamped_pages(disclosures: Sequence[Disclosure]) -> dict[str, dict[str, Any]]:
    """The front matter of the pages to stamp, by source path; the pages' writers take
    their front matter from the same functions."""
    pages = {}
    single = len(disclosures) == 1
    for d in disclosures:
        pages[disclosure_path(d)] = _disclosure_meta(d, single=single)
        pages.setdefault(department_path(d.department_code), _department_meta(d))
        for p in d.projects:
            pages[project_path(d, p)] = _project_meta(p)
    metas = {here + "index.md": _front_matter(meta) for here, meta in sorted(pages.items())}
    return {path: meta for path, meta in metas.items() if Stamper.wants(meta)}


def _disclosure_meta(d: Disclosure, *, single: bool) -> dict[str, Any]:
    meta = {"title": esc(f"{d.department_name} {d.year}"), "hide": HIDE, "stamp": True}
    if single:
        meta["search"] = {"exclude": True}  # the home shows the same text
    return meta | _rdf_links("disclosure")


def _department_meta(d: Disclosure) -> dict[str, Any]:
    """A department's page is titled with the name its first disclosure gives."""
    return {"title": esc(d.department_name), "hide": HIDE, "stamp": True} | _rdf_links("department")


def _project_meta(p: Project) -> dict[str, Any]:
    return {"title": esc(p.name), "hide": HIDE, "stamp": True} | _rdf_links("project")


def _other_pages(
    disclosures: Sequence[Disclosure],
    findings: Sequence[Finding],
    entries: list[Entry],
    by_disclosure: dict[Key, list[Finding]],
    docs: Path,
    *,
    build_time: datetime,
    held: dict[str, bytes],
) -> list[SearchEntry]:
    """Every page but the projects' and the data and linked-data pages: disclosures,
    departments, home, project index and quality; their search entries. The RDF of the
    disclosure and department pages is the pool's (:func:`_write_project_pages`); their
    contents go into ``held`` (:func:`_write_page`)."""
    departments: dict[str, list[Disclosure]] = {}
    for d in disclosures:
        departments.setdefault(d.department_code, []).append(d)
    search: list[SearchEntry] = []
    single = len(disclosures) == 1
    for d in disclosures:
        here = disclosure_path(d)
        own = by_disclosure.get((d.department_code, d.year), [])
        body = disclosure_overview(d, own, here=here)
        meta = _disclosure_meta(d, single=single)
        search += _write_page(docs, here + "index.md", meta, body, held)
    for code, items in sorted(departments.items()):
        body = _department_body(items, by_disclosure)
        path = department_path(code) + "index.md"
        search += _write_page(docs, path, _department_meta(items[0]), body, held)

    if single:
        d = disclosures[0]
        own = by_disclosure.get((d.department_code, d.year), [])
        homes = [("", disclosure_overview(d, own, here=""))]
    else:
        homes = _corpus_home(disclosures, by_disclosure, findings)
    homes[0][1].append(f'<p class="jx-built">本站数据生成于 {build_time:%Y-%m-%d}。</p>')
    for number, (here, body) in enumerate(homes, 1):
        # No title on the home itself: the theme gives it the site name alone.
        meta = {"title": _numbered("部门与年度", number)} if number > 1 else {}
        search += _write_page(docs, here + "index.md", meta | {"hide": HIDE}, body, held)
    pages = paged("projects/", entries)
    intro = f"<p>共 {len(entries)} 个项目。点击表头可排序，点击项目名称查看详情。</p>"
    if len(pages) > 1:
        intro = (
            f"<p>共 {len(entries)} 个项目，每页 {len(pages[0].rows)} 个。点击表头可在本页内排序，"
            "点击项目名称查看详情；全部项目见数据下载中的 projects.csv。</p>"
        )
    for number, table_page in enumerate(pages, 1):
        here, nav = table_page.here, table_page.pager
        body = [
            '<h1 id="projects">项目一览</h1>',
            intro,
            nav,
            project_table(table_page.rows, here=here, corpus=not single),
            nav,
        ]
        meta = {"title": _numbered("项目一览", number), "hide": HIDE}
        search += _write_page(docs, here + "index.md", meta, body, held)
    for number, (here, body) in enumerate(quality_pages(disclosures, findings), 1):
        meta = {"title": _numbered("数据质量", number), "hide": HIDE}
        search += _write_page(docs, here + "index.md", meta, body, held)

    return search


def _numbered(title: str, number: int) -> str:
    """The title of page ``number`` of a paged table (:func:`toolkit.site_html.paged`)."""
    return title if number == 1 else f"{title}（第 {number} 页）"


def _data_pages(
    disclosures: Sequence[Disclosure],
    docs: Path,
    *,
    config: SiteConfig,
    outputs: Path | None,
    downloads: list[Download],
    queries: list[ShownQuery],
) -> None:
    """The data page (the build's files, ``downloads``) and the linked-data page (with the
    example ``queries``' results), each after its hand-written introduction."""
    base = config.base_url
    _rdf_files(docs, pages_files({(DATA_PAGE, "dataset"): dataset_triples(base)}))
    meta = _rdf_links("dataset")
    body = data_page_body(downloads, outputs_given=outputs is not None)
    _write(docs, DATA_PAGE + "index.md", _with_intro("data.md", meta, body))
    body = linked_data_page_body(
        disclosures,
        base=base,
        ontology=ONTOLOGY_DIR,
        queries=queries,
        endpoint=config.sparql_endpoint,
    )
    _write(docs, "linked-data/index.md", _with_intro("linked-data.md", {}, body))


def _index_rows(
    disclosures: Sequence[Disclosure],
    by_project: dict[tuple[str, int | None, str | None], list[Finding]],
) -> list[Entry]:
    """The project index's rows; two projects at one path are an error."""
    seen: set[str] = set()
    entries = []
    for d in disclosures:
        for p in d.projects:
            here = project_path(d, p)
            if here in seen:
                raise OutputError(f"two projects would share the page {here}", path=here)
            seen.add(here)
            entries.append(Entry(d, p, by_project.get((d.department_code, d.year, p.code), [])))
    return entries


@dataclass(frozen=True)
class _ProjectTask:
    disclosure: Disclosure
    findings: list[Finding]
    base: str
    docs: str
    dumped: DumpedPages | None


@dataclass(frozen=True)
class _DownloadsTask:
    """The build's files in ``outputs`` with their sizes and SHA-256 (the dumps are large:
    ``checksums`` has those the catalog read)."""

    outputs: Path | None
    checksums: Checksums | None


@dataclass(frozen=True)
class _QueriesTask:
    """The linked-data page's example queries, on ``graph`` (:func:`corpus_ntriples`, or
    the part of it they can match)."""

    graph: Path | bytes | ScopedTriples
    base: str


_ProjectPages = tuple[list[SearchEntry], dict[str, bytes], dict[str, bytes]]


_Task = _DownloadsTask | _QueriesTask | _ProjectTask


def _run(task: _Task) -> list[Download] | list[ShownQuery] | _ProjectPages:
    if isinstance(task, _DownloadsTask):
        return collect_downloads(task.outputs, task.checksums)
    if isinstance(task, _QueriesTask):
        return run_queries(QUERIES_DIR, task.graph, base=task.base, here="linked-data/")
    return _write_project_pages(task)


def _findings_by_disclosure(
    disclosures: Sequence[Disclosure], findings: Sequence[Finding]
) -> list[list[Finding]]:
    """Each disclosure's findings; one without a year belongs to its department's only year,
    as the RDF places it (:func:`toolkit.rdf.to_graph`)."""
    years: dict[str, set[int]] = {}
    for d in disclosures:
        if d.year is not None:
            years.setdefault(d.department_code, set()).add(d.year)
    grouped: dict[Key, list[Finding]] = {}
    for f in findings:
        year = f.year
        if year is None and len(years.get(f.department_code, ())) == 1:
            (year,) = years[f.department_code]
        grouped.setdefault((f.department_code, year), []).append(f)
    return [grouped.get((d.department_code, d.year), []) for d in disclosures]


def _write_project_pages(task: _ProjectTask) -> _ProjectPages:
    """Write the pages of one disclosure's projects, each with its RDF, and the RDF of the
    disclosure's page (whose HTML the main process writes): read from the dumps where they
    hold it, else stated here. Returns the projects' search entries and the stamped pages'
    contents and JSON-LD by source path, for the stamper.
    (The pool keeps a result in a file until this process takes it, so the contents do not
    wait in its memory while MkDocs runs: a gigabyte at a thousand documents.)"""
    d, base, docs = task.disclosure, task.base, Path(task.docs)
    paths = [project_path(d, p) for p in d.projects]
    pages = [(disclosure_path(d), "disclosure"), *((path, "project") for path in paths)]
    if task.dumped is not None:
        found = task.dumped.documents(here for here, _ in pages)
        embedded = _rdf_files(docs, {page: found[page[0]] for page in pages})
    else:
        # The disclosure's pages are serialised together: they share their vocabulary's terms.
        rdf_pages = disclosure_pages(d, task.findings, base)
        embedded = _rdf_files(docs, pages_files({page: rdf_pages[page[0]] for page in pages}))
        del rdf_pages
    by_project: dict[str | None, list[Finding]] = {}
    for f in task.findings:
        if f.year == d.year:
            by_project.setdefault(f.project_code, []).append(f)
    search: list[SearchEntry] = []
    contents: dict[str, bytes] = {}
    for p, here in zip(d.projects, paths, strict=True):
        own = by_project.get(p.code, [])
        tables = project_csv(d, p, own)
        titles = {name: title for name, (title, _) in tables.items()}
        body = project_page_body(d, p, own, iri=resource_iri(base, here), downloads=titles)
        search += _write_page(docs, here + "index.md", _project_meta(p), body, contents)
        for name, (_, data) in tables.items():
            (static_folder(docs) / here / name).write_bytes(data)
    return search, contents, embedded


def _department_body(items: list[Disclosure], by_disclosure: dict[Key, list[Finding]]) -> list[str]:
    code = items[0].department_code
    here = department_path(code)
    rows = []
    for d in sorted(items, key=lambda d: d.year or 0):
        own = by_disclosure.get((code, d.year), [])
        rows.append(
            f'<tr><td><a href="{relative(disclosure_path(d), here)}">{esc(d.year)}</a></td>'
            f'<td class="jx-num">{len(d.projects)}</td>'
            f'<td class="jx-num">{d.total_budget:f} {esc(d.currency_unit)}</td>'
            f"<td>{summary_badges(own, compact=True)}</td></tr>"
        )
    return [
        f'<h1 id="department">{esc(items[0].department_name)}</h1>',
        f"<p>部门编码 <code>{esc(code)}</code></p>",
        '<div class="jx-table-wrap"><table><thead><tr><th>预算年度</th>'
        "<th>项目数</th><th>预算总额</th><th>数据质量</th></tr></thead><tbody>",
        *rows,
        "</tbody></table></div>",
    ]


def _corpus_home(
    disclosures: Sequence[Disclosure],
    by_disclosure: dict[Key, list[Finding]],
    findings: Sequence[Finding],
) -> list[tuple[str, list[str]]]:
    """The home of a corpus, with its table of disclosures going on on further pages
    (``disclosures/2/``…: :func:`toolkit.site_html.paged`) in a large one; each page's
    folder and body."""
    ordered = sorted(disclosures, key=lambda d: (d.department_code, d.year or 0))
    bodies = []
    for number, (here, items, nav) in enumerate(paged("disclosures/", ordered, first=""), 1):
        rows = []
        for d in items:
            own = by_disclosure.get((d.department_code, d.year), [])
            department = relative(department_path(d.department_code), here)
            rows.append(
                f'<tr><td><a href="{department}">{esc(d.department_name)}</a></td>'
                f'<td><a href="{relative(disclosure_path(d), here)}">{esc(d.year)}</a></td>'
                f"<td>{esc(d.region or '')}</td>"
                f'<td class="jx-num">{len(d.projects)}</td>'
                f'<td class="jx-num" data-sort="{d.total_budget:f}">{d.total_budget:f} '
                f"{esc(d.currency_unit)}</td><td>{summary_badges(own, compact=True)}</td></tr>"
            )
        table = [
            nav,
            '<div class="jx-table-wrap jx-sortable"><table><thead><tr>'
            '<th>部门</th><th>预算年度</th><th>地区</th><th data-sort-method="number">项目数</th>'
            '<th data-sort-method="number">预算总额</th><th>数据质量</th></tr></thead><tbody>',
            *rows,
            "</tbody></table></div>",
            nav,
        ]
        if number > 1:
            bodies.append((here, ['<h1 id="disclosures">部门与年度</h1>', *table]))
            continue
        projects = sum(len(d.projects) for d in disclosures)
        body = [
            '<h1 id="home">预算绩效目标公开</h1>',
            f"<p>收录 {len(disclosures)} 份部门预算绩效目标，共 {projects} 个项目。</p>",
            '<h2 id="disclosures">部门与年度</h2>',
            *table,
            '<h2 id="quality">数据质量</h2>',
            summary_badges(findings),
        ]
        bodies.append((here, body))
    return bodies


_FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n", re.S)


def _with_intro(name: str, meta: dict[str, Any], body: list[str]) -> str:
    """A hand-written page of ``site/docs`` followed by generated HTML; ``meta`` joins the
    hand-written front matter."""
    source = SITE_DOCS / name
    intro = source.read_text(encoding="utf-8") if source.is_file() else ""
    found = _FRONT_MATTER.match(intro)
    written = found.group(1) if found else ""
    text = intro[found.end() :] if found else intro
    generated = page(meta, body)
    extra = _FRONT_MATTER.match(generated)
    lines = [line for line in (written, extra.group(1) if extra else "") if line]
    rest = generated[extra.end() :] if extra else generated
    head = "---\n" + "\n".join(lines) + "\n---\n" if lines else ""
    return head + text.strip() + "\n\n" + rest.lstrip()


def _copy_hand_written(docs: Path) -> None:
    for source in sorted(SITE_DOCS.rglob("*")):
        rel = source.relative_to(SITE_DOCS).as_posix()
        if source.is_file() and rel not in _INTROS:
            target = docs / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
