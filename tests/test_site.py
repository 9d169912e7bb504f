"""The transparency website built from the sample: pages, links, RDF, downloads, safety,
determinism and scale. The browser tests are in test_site_browser.py."""

from __future__ import annotations

import gzip
import hashlib
import html
import json
import logging
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from rdflib import OWL, RDF, RDFS, Graph, Literal, URIRef
from rdflib.compare import isomorphic

import toolkit
import toolkit.site_html
from toolkit import rdf, site_generate
from toolkit.errors import OutputError
from toolkit.iris import page_path
from toolkit.model import Disclosure
from toolkit.package import write_package, zip_package
from toolkit.quality import audit
from toolkit.rdf import corpus_triples, to_graph, write_rdf
from toolkit.site_data import run_queries
from toolkit.site_generate import EMPTY_SITEMAP
from toolkit.site_quality import findings_list
from toolkit.site_queries import QUERY_ROW_LIMIT, shown_text
from toolkit.vocabularies import BP, ONTOLOGY_FILE, QUERIES_DIR

from .site_helpers import (
    BRIDGE,
    BRIDGE_PAGE,
    BUILD_TIME,
    CONFIG,
    HOSTILE_NAME,
    build,
    findings_for,
    hostile,
)
from .test_quality_sample import WATER

# rdflib's own JSON-LD parser builds a ConjunctiveGraph internally and warns about it.
pytestmark = pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")


@pytest.fixture(scope="module")
def site(sample: Disclosure, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("site") / "site"
    return build([sample], folder, findings=findings_for(sample))


@pytest.fixture(scope="module")
def hostile_site(sample: Disclosure, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build([hostile(sample)], tmp_path_factory.mktemp("hostile") / "site")


def read(site: Path, page: str) -> str:
    return (site / page / "index.html").read_text(encoding="utf-8")


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self._script: dict[str, str | None] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.links.append(value)
        if tag == "script":
            self._script = dict(attrs)

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self.scripts.append((self._script, data))

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._script = None


def parse(html: str) -> _Links:
    parser = _Links()
    parser.feed(html)
    return parser


def test_home_shows_the_department_the_total_budget_and_the_goals(site, sample):
    home = read(site, "")
    assert "1651.67 万元" in home
    assert "西城区政府办公室" in home and "河北省定州市" in home and "2020" in home
    assert sample.overall_goal[:20] in home
    assert all(goal in home for goal in sample.itemised_goals)
    assert all(measure in home for measure in sample.safeguard_measures)
    assert home.count('class="jx-chart-bar"') == 15  # one bar per project
    assert "错误 7" in home and "警告 143" in home and "提示 70" in home  # the audit's summary


def test_project_index_lists_every_project_with_its_link_budget_and_indicator_count(site):
    index = read(site, "projects")
    rows = re.findall(r"<tr><td", index)
    assert len(rows) == 15
    assert f'href="../{BRIDGE_PAGE}"' in index
    assert 'data-sort="388.84"' in index


def test_project_page_shows_every_field_goals_indicators_and_its_iri(site, sample):
    page = read(site, BRIDGE_PAGE)
    project = next(p for p in sample.projects if p.code == BRIDGE)
    assert "<h1" in page and project.name in page
    assert project.use_of_funds in page
    assert all(goal in page for goal in project.goals)
    for indicator in project.indicators:
        assert indicator.name in page and indicator.description in page
    article = page.split("<article", 1)[1].split("</article>", 1)[0]
    assert article.count("<code>≥90百分比</code>") == 3 and "≥ 90 %" in article  # raw, parsed
    assert "效果指标（即“效益指标”）" in page  # the legacy label and the scheme's
    assert page.count('class="jx-chart-bar"') == 4  # the spending plan chart
    assert "https://example.org/jixiao/project/2020/917-0102-YCN-LNQ3" in page


def test_project_page_lists_its_findings_with_hints_and_marks_the_indicators(site):
    page = read(site, BRIDGE_PAGE)
    assert "写明确定指标值的依据：计划、标准、文件或历史数据。" in page  # DQ10's hint
    assert "“完成率”与项目“韩家洼三座危桥经费”无关" in page  # DQ09
    # the projects that share the copied indicator, linked
    assert '相同指标还出现在：<a href="../917-0102-YCN-HV41/">电厂路绿化占地</a>' in page
    assert page.count(">有问题</a>") == 3
    assert 'href="#indicator-2"' in page and 'id="indicator-2"' in page
    assert "质量得分 <strong" in page


def test_quality_page_counts_findings_by_rule_and_by_project(site):
    page = read(site, "quality")
    assert all(f'<code id="DQ{n:02d}">' in page for n in range(1, 17))  # every rule
    assert "指标值确定依据缺失或过于笼统" in page  # the rule titles come from the catalogue
    assert f'href="../{BRIDGE_PAGE}#findings"' in page


def test_every_link_and_asset_of_every_page_exists(site):
    assert_links_resolve(site)


def assert_links_resolve(site: Path) -> None:
    # 404.html is served at any depth, so MkDocs links it absolutely, under the site URL.
    pages = sorted(p for p in site.rglob("*.html") if p.name != "404.html")
    assert len(pages) > 20
    for html_file in pages:
        for link in parse(html_file.read_text(encoding="utf-8")).links:
            parts = urlsplit(link)
            if parts.scheme or link.startswith(("#", "//")):
                continue
            target = (html_file.parent / unquote(parts.path)).resolve()
            if link.endswith("/") or parts.path in ("", "."):
                target = target / "index.html"
            assert target.exists(), f"{html_file.relative_to(site)} links to missing {link}"


def test_project_page_embeds_json_ld_with_the_same_triples_as_its_turtle(site):
    folder = site / BRIDGE_PAGE
    html = (folder / "index.html").read_text(encoding="utf-8")
    scripts = [
        text for attrs, text in parse(html).scripts if attrs.get("type") == "application/ld+json"
    ]
    assert len(scripts) == 1
    embedded = Graph().parse(data=scripts[0], format="json-ld")
    turtle = Graph().parse(folder / "project.ttl", format="turtle")
    assert len(turtle) > 5
    assert isomorphic(embedded, turtle)
    assert isomorphic(Graph().parse(folder / "project.jsonld", format="json-ld"), turtle)
    assert '<link rel="alternate" type="text/turtle" href="project.ttl">' in html


def test_project_downloads_are_its_rows_of_the_data_package(site, sample, tmp_path):
    package = tmp_path / "datapackage"
    write_package(
        [sample],
        package,
        findings=findings_for(sample),
        created=BUILD_TIME,
        homepage=CONFIG.base_url,
    )
    folder = site / BRIDGE_PAGE
    page = (folder / "index.html").read_text(encoding="utf-8")
    for name in ("projects.csv", "indicators.csv", "spending_plan.csv", "findings.csv"):
        lines = (package / name).read_text(encoding="utf-8").splitlines()
        own = [line for line in lines[1:] if f"/{BRIDGE}" in line]
        assert own, name
        assert (folder / name).read_text(encoding="utf-8").splitlines() == [lines[0], *own]
        assert f'href="{name}" download' in page
    assert len(own) == 10  # the bridge project's findings


def test_search_index_segments_chinese_so_that_weiqiao_is_a_token(site):
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert index["config"]["lang"] == ["zh"]
    titles = [doc["title"] for doc in index["docs"] if doc["location"].startswith(BRIDGE_PAGE)]
    assert titles and "危桥" in re.split(index["config"]["separator"], titles[0])


def test_site_loads_nothing_from_outside_and_uses_no_web_fonts(site):
    loads = re.compile(
        r'<(?:script|img|link(?![^>]*rel="(?:canonical|alternate)"))[^>]+(?:src|href)="([^"]+)"'
    )
    for html_file in site.rglob("*.html"):
        html = html_file.read_text(encoding="utf-8")
        for link in loads.findall(html):
            assert not urlsplit(link).scheme and not link.startswith("//"), f"{html_file}: {link}"
        assert "fonts.googleapis" not in html and "fonts.gstatic" not in html


def test_navigation_holds_a_few_pages_and_no_project(site):
    about = read(site, "about")
    assert "/project/" not in about and BRIDGE not in about


def test_page_size_does_not_grow_with_the_project_count(site, sample, tmp_path):
    many = sample.model_copy(deep=True)
    copies = []
    for round_ in range(3):
        for project in sample.projects:
            copy = project.model_copy(deep=True)
            copy.code = f"{project.code}-{round_}"
            copies.append(copy)
    many.projects = copies
    large = build([many], tmp_path / "large", findings=findings_for(sample))
    assert len(list((large / "project").rglob("index.html"))) == 45
    for page in ("about", "reading", BRIDGE_PAGE):
        other = f"{BRIDGE_PAGE[:-1]}-0/" if page == BRIDGE_PAGE else page
        assert len(read(large, other)) - len(read(site, page)) < 100, page


def test_two_builds_are_byte_identical(site, sample, tmp_path):
    again = build([sample], tmp_path / "again", findings=findings_for(sample))
    files = sorted(p.relative_to(site) for p in site.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(again) for p in again.rglob("*") if p.is_file())
    for name in files:
        assert (site / name).read_bytes() == (again / name).read_bytes(), name
    sitemap = gzip.decompress((site / "sitemap.xml.gz").read_bytes()).decode()
    assert "<lastmod>2026-01-01</lastmod>" in sitemap


def test_data_page_lists_each_output_file_with_size_and_checksum(sample, tmp_path):
    outputs = tmp_path / "build"
    write_package([sample], outputs / "datapackage", created=BUILD_TIME, homepage=CONFIG.base_url)
    zip_package(outputs / "datapackage", outputs / "datapackage.zip")
    (outputs / "rdf").mkdir()
    (outputs / "rdf" / "catalog.ttl").write_bytes(b"@prefix dcat: <http://www.w3.org/ns/dcat#> .\n")
    files = sorted(p for p in outputs.rglob("*") if p.is_file())
    assert len(files) >= 10
    site = build([sample], tmp_path / "site", outputs=outputs)
    page = read(site, "dataset")
    for path in files:
        name = path.relative_to(outputs).as_posix()
        data = path.read_bytes()
        assert f'href="../{name}"' in page
        assert hashlib.sha256(data).hexdigest() in page
        assert (site / name).read_bytes() == data  # where the DCAT catalog says it is
    assert "DCAT 数据目录" in page and "完整数据包（ZIP" in page


def test_data_files_are_copied_where_the_file_system_cannot_link_them(
    sample, tmp_path, monkeypatch
):
    outputs = tmp_path / "build"
    (outputs / "rdf").mkdir(parents=True)
    (outputs / "rdf" / "data.nt").write_bytes(b"<urn:a> <urn:b> <urn:c> .\n")

    def refuse(source: object, target: object) -> None:
        raise OSError("links are not supported here")

    monkeypatch.setattr("toolkit.site_generate.os.link", refuse)
    site = build([sample], tmp_path / "site", outputs=outputs)
    served = site / "rdf" / "data.nt"
    assert served.read_bytes() == b"<urn:a> <urn:b> <urn:c> .\n"
    assert not served.samefile(outputs / "rdf" / "data.nt")
    assert (site / BRIDGE_PAGE / "sitemap.xml").read_text(encoding="utf-8") == EMPTY_SITEMAP


def test_each_page_with_rdf_has_an_empty_sitemap_beside_it(site):
    # Material fetches sitemap.xml beside each <link rel="alternate"> (the RDF files).
    for page in (BRIDGE_PAGE, "disclosure/917003/2020/", "department/917003/", "dataset/"):
        assert (site / page / "sitemap.xml").read_text(encoding="utf-8") == EMPTY_SITEMAP, page


def test_data_page_says_when_there_is_nothing_to_download(site):
    assert "暂无可下载的文件" in read(site, "dataset")


def test_linked_data_page_documents_the_iri_scheme_and_the_indicator_scheme(site):
    page = read(site, "linked-data")
    assert "{base}/project/{年度}/{项目编码}" in page
    assert "服务对象满意度指标" in page and "recipient-satisfaction" in page


def test_linked_data_page_documents_every_term_of_the_ontology_in_both_languages(site):
    page = read(site, "linked-data")
    ontology = Graph().parse(ONTOLOGY_FILE)
    terms = {
        s
        for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
        for s in ontology.subjects(RDF.type, kind)
        if str(s).startswith(str(BP))
    }
    assert len(terms) > 40
    for term in terms:
        assert f'id="bp:{term.removeprefix(str(BP))}"' in page, term
        for label in ontology.objects(term, RDFS.label):
            assert html.escape(str(label)) in page, (term, label)


def test_linked_data_page_shows_each_example_query_with_its_result_on_this_data(site):
    page = read(site, "linked-data")
    queries = sorted(QUERIES_DIR.glob("*.rq"))
    assert len(queries) >= 3
    for query in queries:
        assert f'id="query-{query.stem}"' in page
    total = page.split('id="query-total-budget"', 1)[1].split("<h3", 1)[0]
    assert "1651.67" in total and "<td" in total


def test_query_results_link_the_iris_of_this_site_to_their_pages(sample, tmp_path):
    (tmp_path / "projects.rq").write_text(
        "# Projects\nPREFIX bp: <https://example.org/jixiao/ontology/bp/v1#>\n"
        "SELECT ?project WHERE { ?project a bp:Project } ORDER BY ?project\n",
        encoding="utf-8",
    )
    triples = corpus_triples([sample], base=CONFIG.base_url)
    (shown,) = run_queries(tmp_path, triples, base=CONFIG.base_url, here="linked-data/")
    assert shown.total == 15 and shown.title == "Projects"
    links = [row[0].html for row in shown.rows]
    assert f'<a href="../{BRIDGE_PAGE}"' in "".join(links)


def test_a_query_without_order_shows_its_first_rows_by_the_text_shown(sample, tmp_path):
    (tmp_path / "targets.rq").write_text(
        "PREFIX bp: <https://example.org/jixiao/ontology/bp/v1#>\n"
        "PREFIX schema: <https://schema.org/>\n"
        "SELECT ?raw ?value WHERE { ?i bp:target ?t . ?t bp:raw ?raw "
        "OPTIONAL { ?t bp:value ?value } }\n",
        encoding="utf-8",
    )
    triples = corpus_triples([sample], base=CONFIG.base_url)
    (shown,) = run_queries(tmp_path, triples, base=CONFIG.base_url, here="linked-data/")
    expected = sorted(_target_texts(sample))[:QUERY_ROW_LIMIT]
    assert shown.total == 75 and len(shown.rows) == QUERY_ROW_LIMIT
    assert [tuple(cell.sort or "" for cell in row) for row in shown.rows] == expected


def _target_texts(sample: Disclosure) -> list[tuple[str, str]]:
    """Each indicator's target as written and its number as the page shows it."""
    return [
        (i.target.raw, "" if i.target.value is None else shown_text(Literal(i.target.value)))
        for p in sample.projects
        for i in p.indicators
    ]


def test_a_broken_example_query_is_an_error_not_an_empty_result(sample, tmp_path):
    (tmp_path / "broken.rq").write_text("SELECT ?x WHERE { ?x", encoding="utf-8")
    with pytest.raises(OutputError, match=r"broken\.rq"):
        run_queries(
            tmp_path, corpus_triples([sample], base=CONFIG.base_url), base=CONFIG.base_url, here=""
        )


def test_a_broken_example_query_stops_the_site_whatever_the_jobs(sample, tmp_path, monkeypatch):
    """With two jobs the queries run in a pool worker: their error is still the build's."""
    (tmp_path / "queries").mkdir()
    (tmp_path / "queries" / "broken.rq").write_text("SELECT ?x WHERE { ?x", encoding="utf-8")
    monkeypatch.setattr(site_generate, "QUERIES_DIR", tmp_path / "queries")
    for jobs in (1, 2):
        with pytest.raises(OutputError, match=r"broken\.rq"):
            build([sample], tmp_path / f"site-{jobs}", findings=findings_for(sample), jobs=jobs)


def test_every_iri_of_the_published_graph_resolves_to_a_page_that_embeds_its_triples(site, sample):
    graph = to_graph([sample], base=CONFIG.base_url, findings=findings_for(sample))
    pages: dict[str, set] = {}
    for s, p, o in graph:
        if isinstance(s, URIRef) and str(s).startswith(CONFIG.base_url + "/"):
            pages.setdefault(page_path(s, CONFIG.base_url), set()).add((s, p, o))
    assert {"dataset", "department/917003", "disclosure/917003/2020", BRIDGE_PAGE[:-1]} <= set(
        pages
    )
    for path, triples in pages.items():
        html_file = site / path / "index.html"
        assert html_file.is_file(), path
        ((_, text),) = [
            s
            for s in parse(html_file.read_text(encoding="utf-8")).scripts
            if s[0].get("type") == "application/ld+json"
        ]
        embedded = set(Graph().parse(data=text, format="json-ld"))
        assert triples <= embedded, path


def test_hostile_text_is_escaped_everywhere(hostile_site):
    pages = {p: p.read_text(encoding="utf-8") for p in hostile_site.rglob("*.html")}
    everything = "\n".join(pages.values())
    assert "__pwned" in everything  # the text is there, as text
    for payload in ("<script>window.__pwned", "<img src=x", "<iframe", "<svg onload", "<b>≥90"):
        assert payload not in everything, payload
    assert "javascript:" not in "".join(
        link for html in pages.values() for link in parse(html).links
    )
    assert "<strong>x</strong>" not in everything and "**x**" in everything
    assert "不是标题</h1>" not in everything and "# 不是标题" in everything  # blank lines too
    assert "&lt;script&gt;window.__pwned = 1&lt;/script&gt;" in everything
    assert "{{ config }}" in everything


def test_hostile_project_name_survives_in_title_and_json_ld(hostile_site, sample):
    folder = hostile_site / f"project/2020/{sample.projects[0].code}"
    html = (folder / "index.html").read_text(encoding="utf-8")
    assert "<title>&lt;script&gt;window.__pwned = 1&lt;/script&gt;" in html
    ((_, text),) = [s for s in parse(html).scripts if s[0].get("type") == "application/ld+json"]
    assert "</script" not in text.lower()
    names = json.dumps(json.loads(text), ensure_ascii=False)
    assert json.dumps(HOSTILE_NAME, ensure_ascii=False)[1:-1] in names


def test_two_projects_with_one_iri_are_refused_and_nothing_is_written(sample, tmp_path):
    other = sample.model_copy(deep=True)
    other.department_code = "917004"  # same project codes, same year: same project IRIs
    with pytest.raises(OutputError, match="two"):
        build([sample, other], tmp_path / "site")
    with pytest.raises(OutputError, match="two"):
        build([sample, sample], tmp_path / "site")
    assert not (tmp_path / "site").exists()


def test_a_failed_mkdocs_build_is_one_error_and_leaves_the_previous_site(
    sample, tmp_path, monkeypatch
):
    import mkdocs.commands.build
    from mkdocs.exceptions import Abort

    folder = tmp_path / "site"
    folder.mkdir()
    (folder / "index.html").write_text("the previous site", encoding="utf-8")

    def strict_failure(config, **kwargs):
        logging.getLogger("mkdocs.structure.pages").warning("a link to 'nowhere.md' is broken")
        raise Abort("Aborted with 1 warnings in strict mode!")

    monkeypatch.setattr(mkdocs.commands.build, "build", strict_failure)
    with pytest.raises(OutputError, match=r"mkdocs build failed: a link to 'nowhere\.md'"):
        build([sample], folder)
    assert (folder / "index.html").read_text(encoding="utf-8") == "the previous site"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_a_corpus_lists_departments_and_years(sample, tmp_path):
    later = sample.model_copy(deep=True)
    later.year = 2021
    site = build([sample, later], tmp_path / "site")
    home = read(site, "")
    assert 'href="disclosure/917003/2020/"' in home and 'href="disclosure/917003/2021/"' in home
    department = read(site, "department/917003")
    assert "2020" in department and "2021" in department
    assert len(re.findall(r"<tr><td", read(site, "projects"))) == 30


def test_tables_of_every_project_go_on_over_pages_of_bounded_size(sample, tmp_path, monkeypatch):
    """The project index and the quality page's projects, at four rows a page: every
    project once, in order, on pages linked to each other, none of them growing with the
    corpus."""
    monkeypatch.setattr(toolkit.site_html, "ROWS_PER_PAGE", 4)
    later = sample.model_copy(deep=True)
    later.year = 2021
    findings = audit([sample, later])
    site = build([sample, later], tmp_path / "site", findings=findings)
    every = [p.code for d in (sample, later) for p in d.projects]
    flagged = {(f.year, f.project_code) for f in findings if f.project_code is not None}
    shown = {
        "projects": every,
        "quality": [
            p.code for d in (sample, later) for p in d.projects if (d.year, p.code) in flagged
        ],
    }
    for base, codes in shown.items():
        count = -(-len(codes) // 4)
        assert not (site / base / str(count + 1)).exists()
        found, sizes = [], []
        for number in range(1, count + 1):
            text = read(site, base if number == 1 else f"{base}/{number}")
            table = text.split('id="by-project"')[-1].split('id="projects"')[-1]
            rows = re.findall(r"<tr><td[^>]*><code>([^<]+)</code>", table)
            assert 1 <= len(rows) <= 4
            found += rows
            sizes.append(len(table))
            assert f"第 {number} / {count} 页" in text
            title = "项目一览" if base == "projects" else "数据质量"
            assert f"<title>{title}{f'（第 {number} 页）' if number > 1 else ''} - " in text
        assert found == codes
        assert max(sizes[:-1]) < 1.5 * min(sizes[:-1])  # full pages weigh alike
    assert '<code id="DQ01">' in read(site, "quality")
    assert '<code id="DQ01">' not in read(site, "quality/2")
    assert_links_resolve(site)  # the pagers' among them


def test_the_homes_table_of_disclosures_goes_on_over_pages_too(sample, tmp_path, monkeypatch):
    monkeypatch.setattr(toolkit.site_html, "ROWS_PER_PAGE", 1)
    later = sample.model_copy(deep=True)
    later.year = 2021
    site = build([sample, later], tmp_path / "site")
    home, second = read(site, ""), read(site, "disclosures/2")
    assert re.findall(r'<tr><td><a href="department/917003/">.*?href="([^"]+)"', home) == [
        "disclosure/917003/2020/"
    ]
    assert re.findall(r'<tr><td><a href="../../department/917003/">.*?href="([^"]+)"', second) == [
        "../../disclosure/917003/2021/"
    ]
    assert "第 1 / 2 页" in home and "第 2 / 2 页" in second
    assert "<title>部门与年度（第 2 页） - " in second
    assert '<h2 id="quality">' in home and '<h2 id="quality">' not in second
    assert not (site / "disclosures" / "3").exists()
    assert_links_resolve(site)


def _embedded(site: Path, path: str) -> set:
    ((_, text),) = [
        s
        for s in parse((site / path / "index.html").read_text(encoding="utf-8")).scripts
        if s[0].get("type") == "application/ld+json"
    ]
    return set(Graph().parse(data=text, format="json-ld"))


def test_in_a_corpus_each_page_embeds_exactly_its_share_of_the_graph(sample, tmp_path):
    later = sample.model_copy(deep=True)
    later.year = 2021
    later.department_name = "西城区人民政府办公室"  # a department renamed: both names stand
    findings = audit([sample, later])
    site = build([sample, later], tmp_path / "site", findings=findings, jobs=2)
    graph = to_graph([sample, later], base=CONFIG.base_url, findings=findings)
    pages: dict[str, set] = {}
    for s, p, o in graph:
        if str(s).startswith(CONFIG.base_url + "/"):
            pages.setdefault(page_path(s, CONFIG.base_url) + "/", set()).add((s, p, o))
    assert len(pages) == 2 * 15 + 4  # projects, two disclosures, the department, the dataset
    for path, triples in pages.items():
        assert _embedded(site, path) == triples, path
        turtle = (site / path / f"{path.split('/')[0]}.ttl").read_text(encoding="utf-8")
        assert set(Graph().parse(data=turtle, format="turtle")) == triples, path


def test_the_example_queries_run_on_the_builds_dump_without_stating_the_graph_again(
    sample, tmp_path, monkeypatch
):
    findings = findings_for(sample)
    unaided = build([sample], tmp_path / "unaided", findings=findings)
    outputs = tmp_path / "build"
    write_rdf(to_graph([sample], base=CONFIG.base_url, findings=findings), outputs / "rdf")

    def stated_again(*args: object, **kwargs: object) -> None:
        raise AssertionError("the corpus graph was stated again")

    monkeypatch.setattr(rdf, "corpus_triples", stated_again)
    site = build([sample], tmp_path / "site", findings=findings, outputs=outputs)
    assert read(site, "linked-data") == read(unaided, "linked-data")


def test_projects_of_other_departments_that_share_an_indicator_are_linked(sample):
    """The evidence names them ``DEPARTMENT/YEAR/CODE NAME``: each links to its own year's
    page (from the water bureau's 2021 project to the sample's 2020 ones)."""
    water = toolkit.read(WATER)
    [planted] = [f for f in audit([sample, water]) if f.project_code == "305-0101-SWJ-0003"]
    shared = json.loads(planted.evidence or "")["shared_with"]
    html = findings_list([planted], here="project/2021/305-0101-SWJ-0003/")
    assert (
        '<a href="../../2020/917-0101-YCN-16DG/" '
        'title="917003/2020/917-0101-YCN-16DG 党组织活动经费">党组织活动经费</a>'
    ) in html
    assert html.count('" title="917003/2020/') == len(shared) > 1  # every one linked
