"""The data page (downloads with sizes and checksums) and the linked-data page (IRI scheme,
ontology documentation, indicator scheme, example SPARQL queries with their results)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from rdflib import OWL, RDF, RDFS, Graph, URIRef
from rdflib.term import Node

from toolkit.checksums import Checksums
from toolkit.errors import OutputError
from toolkit.model import Disclosure
from toolkit.site_html import Cell, esc, table
from toolkit.site_queries import ShownQuery, endpoint_section, run_queries
from toolkit.site_rdf import department_path, disclosure_path, project_path, resource_iri
from toolkit.vocab import CONCEPTS

__all__ = [
    "DATA_PAGE",
    "Download",
    "collect_downloads",
    "data_page_body",
    "download_files",
    "linked_data_page_body",
    "run_queries",
]

# The data page is the page of the dataset's IRI, {base}/dataset; the published files keep
# their paths in the build folder ({base}/datapackage.zip, {base}/rdf/data.ttl), which are
# the download URLs the DCAT catalog gives.
DATA_PAGE = "dataset/"
# What each published file is, by name; files not listed are shown by their extension.
_DESCRIPTIONS = {
    "datapackage.zip": "完整数据包（ZIP，含全部 CSV 与说明）",
    "datapackage.json": "数据包描述（Frictionless Data Package）",
    "data.ttl": "全部 RDF 数据（Turtle）",
    "data.nt": "全部 RDF 数据（N-Triples）",
    "data.jsonld": "全部 RDF 数据（JSON-LD）",
    "catalog.ttl": "DCAT 数据目录（Turtle）",
}
_BY_SUFFIX = {
    ".csv": "表格（CSV，UTF-8）",
    ".xlsx": "Excel 工作簿",
    ".json": "JSON",
    ".md": "说明（Markdown）",
    ".ttl": "RDF（Turtle）",
}


@dataclass(frozen=True)
class Download:
    """A published file: its path under the build folder, size and SHA-256."""

    path: str
    source: Path
    size: int
    sha256: str


def download_files(outputs: Path | None) -> list[tuple[str, Path]]:
    """The data package, its zip and the RDF dumps found in ``outputs``: each file's path
    under ``outputs`` and the file, in a stable order."""
    if outputs is None:
        return []
    candidates: list[Path] = []
    for folder in ("datapackage", "rdf"):
        root = outputs / folder
        if root.is_dir():
            candidates += [p for p in root.rglob("*") if p.is_file()]
    if (outputs / "datapackage.zip").is_file():
        candidates.append(outputs / "datapackage.zip")
    return sorted((p.relative_to(outputs).as_posix(), p) for p in candidates)


def collect_downloads(outputs: Path | None, checksums: Checksums | None = None) -> list[Download]:
    """:func:`download_files` with each file's size and SHA-256, asked of ``checksums`` (the
    build's, which the catalog asked for the dumps' before)."""
    checksums = checksums if checksums is not None else Checksums()
    found = []
    for path, source in download_files(outputs):
        try:
            stated = checksums.of(source)
        except OSError as error:
            raise OutputError(f"cannot read: {error.strerror}", path=source) from error
        found.append(Download(path, source, stated.size, stated.sha256))
    return found


def _size(size: int) -> str:
    if size < 1024:
        return f"{size} 字节"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / 1024 / 1024:.1f} MB"


def data_page_body(downloads: Sequence[Download], *, outputs_given: bool) -> list[str]:
    parts = ['<h2 id="files">文件清单</h2>']
    if not downloads:
        reason = "构建时未生成数据包和 RDF 文件" if not outputs_given else "构建目录中没有数据文件"
        parts.append(
            f'<p class="jx-none">本次构建只生成了网站：{reason}，因此这里暂无可下载的文件。</p>'
        )
        return parts
    rows = []
    for item in downloads:
        name = item.path.rsplit("/", 1)[-1]
        suffix = "." + name.rsplit(".", 1)[-1] if "." in name else ""
        what = _DESCRIPTIONS.get(name) or _BY_SUFFIX.get(suffix, "文件")
        href = f"../{item.path}"
        rows.append(
            [
                Cell(f'<a href="{esc(href)}" download>{esc(item.path)}</a>', item.path),
                what,
                Cell(esc(_size(item.size)), str(item.size)),
                Cell(f'<code class="jx-hash">{item.sha256}</code>'),
            ]
        )
    parts.append(table(["文件", "内容", "大小", "SHA-256"], rows, sortable=True, numeric=[2]))
    parts.append(
        "<p>下载后可用 <code>sha256sum 文件名</code>（Windows："
        "<code>certutil -hashfile 文件名 SHA256</code>）核对校验值。</p>"
    )
    return parts


def _iri_scheme(disclosures: Sequence[Disclosure], base: str) -> str:
    rows: list[list[Cell | str]] = []
    examples: dict[str, str] = {}
    if disclosures and disclosures[0].projects:
        d = disclosures[0]
        p = d.projects[0]
        examples = {
            "department": department_path(d.department_code),
            "disclosure": disclosure_path(d),
            "project": project_path(d, p),
        }
    patterns = [
        ("部门", "department", "{base}/department/{部门编码}"),
        ("部门某年度的绩效目标公开", "disclosure", "{base}/disclosure/{部门编码}/{年度}"),
        ("预算项目", "project", "{base}/project/{年度}/{项目编码}"),
    ]
    for label, key, pattern in patterns:
        example = examples.get(key)
        link = (
            Cell(f'<a href="../{esc(example)}"><code>{esc(resource_iri(base, example))}</code></a>')
            if example
            else "—"
        )
        rows.append([label, Cell(f"<code>{esc(pattern)}</code>"), link])
    return table(["资源", "IRI 模式", "示例"], rows)


_CLASS_TYPES = (OWL.Class, RDFS.Class)
_PROPERTY_TYPES = (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, RDF.Property)


def _literal(graph: Graph, subject: Node, predicate: URIRef, lang: str) -> str:
    values = sorted(
        str(o) for o in graph.objects(subject, predicate) if getattr(o, "language", None) == lang
    )
    return values[0] if values else ""


def _term(graph: Graph, node: Node) -> str:
    try:
        return graph.namespace_manager.normalizeUri(node) if isinstance(node, URIRef) else str(node)
    except Exception:  # rdflib raises plain exceptions for IRIs it cannot abbreviate
        return str(node)


def _ontology_table(graph: Graph, types: Sequence[URIRef], with_domain: bool) -> str:
    subjects = sorted(
        {s for t in types for s in graph.subjects(RDF.type, t) if isinstance(s, URIRef)}
    )
    rows = []
    for s in subjects:
        row: list[Cell | str] = [
            Cell(f'<code id="{esc(_term(graph, s))}">{esc(_term(graph, s))}</code>', str(s)),
            _literal(graph, s, RDFS.label, "zh"),
            _literal(graph, s, RDFS.label, "en"),
            Cell(
                esc(_literal(graph, s, RDFS.comment, "zh"))
                + "<br>"
                + f'<span class="jx-en">{esc(_literal(graph, s, RDFS.comment, "en"))}</span>'
            ),
        ]
        if with_domain:
            for predicate in (RDFS.domain, RDFS.range):
                values = sorted(_term(graph, o) for o in graph.objects(s, predicate))
                row.append(Cell(" ".join(f"<code>{esc(v)}</code>" for v in values) or "—"))
        rows.append(row)
    headers = ["术语", "中文名", "英文名", "说明"] + (["定义域", "值域"] if with_domain else [])
    return table(headers, rows) if rows else "<p>无。</p>"


def _ontology_section(ontology: Path) -> list[str]:
    path = ontology / "bp.ttl"
    parts = ['<h2 id="ontology">本体（词汇表）</h2>']
    if not path.is_file():
        parts.append('<p class="jx-none">本体文件 ontology/bp.ttl 尚未发布。</p>')
        return parts
    graph = Graph()
    try:
        graph.parse(path, format="turtle")
    except Exception as error:  # rdflib raises many parser exception types
        raise OutputError(f"cannot read the ontology: {error}", path=path) from error
    parts.append("<p>数据使用的类与属性，由本体文件 <code>bp.ttl</code> 生成。</p>")
    parts.append('<h3 id="classes">类</h3>')
    parts.append(_ontology_table(graph, _CLASS_TYPES, with_domain=False))
    parts.append('<h3 id="properties">属性</h3>')
    parts.append(_ontology_table(graph, _PROPERTY_TYPES, with_domain=True))
    return parts


def _scheme_section() -> list[str]:
    rows = []
    for c in CONCEPTS:
        period = ""
        if c.since:
            period = f"{c.since} 年起"
        if c.until:
            period = f"至 {c.until} 年"
        rows.append(
            [
                Cell(f"<code>{esc(c.code)}</code>"),
                "一级" if c.level == 1 else "二级",
                c.zh,
                c.en,
                Cell(f"<code>{esc(c.broader)}</code>" if c.broader else "—"),
                "、".join(c.aliases) or "—",
                period or "—",
            ]
        )
    headers = ["代码", "层级", "中文名", "英文名", "上级", "别名", "适用年度"]
    return ['<h2 id="scheme">绩效指标体系</h2>', table(headers, rows)]


def linked_data_page_body(
    disclosures: Sequence[Disclosure],
    *,
    base: str,
    ontology: Path,
    queries: list[ShownQuery],
    endpoint: str | None = None,
) -> list[str]:
    parts = ['<h2 id="iri">IRI 规则</h2>', _iri_scheme(disclosures, base)]
    parts += _ontology_section(ontology)
    parts += _scheme_section()
    parts += endpoint_section(endpoint)
    parts.append('<h2 id="queries">SPARQL 查询示例</h2>')
    if not queries:
        parts.append('<p class="jx-none">暂无查询示例。</p>')
    for q in queries:
        anchor = "query-" + "".join(
            ch if ch.isalnum() else "-" for ch in q.name.removesuffix(".rq")
        )
        parts.append(f'<h3 id="{esc(anchor)}">{esc(q.title)}</h3>')
        parts.append(f'<pre class="jx-sparql"><code>{esc(q.text)}</code></pre>')
        shown = f"（显示前 {len(q.rows)} 行）" if q.total > len(q.rows) else ""
        parts.append(f"<p>在本站数据上的结果：{q.total} 行{shown}</p>")
        if q.rows:
            parts.append(table(q.headers, q.rows))
    return parts
