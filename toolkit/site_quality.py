"""The audit on the site: summary badges, finding lists and the quality page.

Rule titles, hints and severity labels come from the audit's catalogue
(:mod:`toolkit.quality.rules`); the per-project score from :func:`toolkit.quality.summarise`.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache
from operator import attrgetter

from toolkit import iris
from toolkit.errors import OutputError
from toolkit.model import Disclosure, Project
from toolkit.quality.finding import Finding, Severity
from toolkit.quality.relevance import labelled_project
from toolkit.quality.rules import RULES, SEVERITY_LABELS
from toolkit.quality.summary import QualitySummary, summarise
from toolkit.site_html import Cell, esc, field_zh, paged, relative, table
from toolkit.site_rdf import project_path

__all__ = [
    "QUALITY_PAGE",
    "findings_list",
    "quality_pages",
    "score_cell",
    "severity_counts",
    "summary_badges",
]

# The quality page (its first page: the rules' table).
QUALITY_PAGE = "quality/"

_ORDER = {severity: index for index, severity in enumerate(SEVERITY_LABELS)}
_ANY_BASE = "https://site.invalid"


def _label(severity: Severity) -> str:
    return SEVERITY_LABELS[severity][0]


def severity_counts(findings: Sequence[Finding]) -> Counter[Severity]:
    # (counted without a Python step per finding: the home page counts 319,478 of them at
    # 1,000 documents, and each disclosure's again on its page and its department's)
    return Counter(map(attrgetter("severity"), findings))


def summary_badges(findings: Sequence[Finding], *, compact: bool = False) -> str:
    """``错误 2 · 警告 5 · 提示 1`` as coloured badges, or a note that nothing was found."""
    counts = severity_counts(findings)
    if not counts:
        text = "无" if compact else "审核规则未发现问题。"
        return f'<span class="jx-ok">{text}</span>'
    badges = "".join(
        f'<span class="jx-badge jx-{severity.value}">{esc(_label(severity))} '
        f"{counts[severity]}</span>"
        for severity in SEVERITY_LABELS
        if counts[severity]
    )
    return f'<span class="jx-badges">{badges}</span>'


def score_cell(summary: QualitySummary) -> Cell:
    """The project's quality score with its badges, sortable by the score."""
    counts = {Severity.ERROR: summary.errors, Severity.WARNING: summary.warnings}
    counts[Severity.INFO] = summary.infos
    badges = "".join(
        f'<span class="jx-badge jx-{severity.value}">{esc(_label(severity))} {count}</span>'
        for severity, count in counts.items()
        if count
    )
    return Cell(f'<strong class="jx-score">{summary.score}</strong> {badges}', str(summary.score))


def _sorted(findings: Sequence[Finding]) -> list[Finding]:
    return sorted(
        findings,
        key=lambda f: (
            f.department_code,
            f.year or 0,
            f.project_code or "",
            f.indicator_ordinal or 0,
            _ORDER[f.severity],
            f.rule,
            f.message_zh,
        ),
    )


def _evidence(finding: Finding, here: str) -> str:
    """The figures behind a finding. The audit writes them as JSON; the projects that share
    an indicator (``shared_with``: "CODE NAME", or "DEPARTMENT/YEAR/CODE NAME" in another
    disclosure) become links, the other figures are already in the message."""
    if not finding.evidence:
        return ""
    try:
        data = json.loads(finding.evidence)
    except ValueError:
        data = None
    if not isinstance(data, dict):
        return f'<br><span class="jx-evidence">依据：{esc(finding.evidence)}</span>'
    shared = data.get("shared_with")
    if not isinstance(shared, list) or not shared or finding.year is None:
        return ""
    links = []
    for item in shared:
        other = labelled_project(str(item))
        year, title = finding.year, ""
        if other.department_code is not None:
            # Another disclosure's: on its own year's page, and the link says whose it is.
            year, title = other.year, f' title="{esc(item)}"'
        page = _project_page(year, other.code)
        if page is None:
            links.append(esc(item))
        else:
            links.append(
                f'<a href="{esc(relative(page, here))}"{title}>{esc(other.name or other.code)}</a>'
            )
    return '<br><span class="jx-evidence">相同指标还出现在：' + "、".join(links) + "</span>"


@lru_cache(maxsize=1 << 14)  # the projects named again and again in copied indicators' evidence
def _project_page(year: int | None, code: str) -> str | None:
    """The site path of the page of project ``code`` of ``year``; ``None`` when it cannot
    have one (no year, or a code no IRI can hold)."""
    if year is None:
        return None
    try:
        iri = iris.project_iri_for(_ANY_BASE, year, code)
    except OutputError:
        return None
    return iris.page_path(iri, _ANY_BASE) + "/"


def findings_list(findings: Sequence[Finding], *, here: str, indicator_links: bool = False) -> str:
    """Each finding with its rule, severity, message, the indicator it concerns and a hint."""
    items = []
    rules = relative(QUALITY_PAGE, here)
    for f in _sorted(findings):
        where = ""
        if f.indicator_ordinal is not None:
            label = f"第 {f.indicator_ordinal} 项指标"
            where = (
                f'<a href="#indicator-{f.indicator_ordinal}">{label}</a>：'
                if indicator_links
                else f"{label}："
            )
        items.append(
            f'<li class="jx-finding jx-{f.severity.value}">'
            f'<span class="jx-badge jx-{f.severity.value}">{esc(_label(f.severity))}</span> '
            f'<a href="{rules}#{esc(f.rule)}"><code>{esc(f.rule)}</code></a> '
            f"{where}{esc(f.message_zh)}"
            f'<br><span class="jx-hint">建议：{esc(f.hint_zh)}</span>{_evidence(f, here)}</li>'
        )
    return '<ul class="jx-findings">' + "".join(items) + "</ul>"


def quality_pages(
    disclosures: Sequence[Disclosure], findings: Sequence[Finding]
) -> list[tuple[str, list[str]]]:
    """The quality pages, each with its folder: every rule of the audit with what it found,
    then the projects with findings, the table going on on further pages
    (:func:`toolkit.site_html.paged`) in a large corpus."""
    parts = ['<h1 id="quality">数据质量</h1>']
    parts.append(
        "<p>每一条绩效目标都按下列审核规则逐条检查。问题分为错误、警告和提示三级，"
        "每条问题都附有修改建议。项目的质量得分从 100 分起，每个错误扣 10 分、每个警告扣 3 分，"
        "提示不扣分；它说明指标写得是否规范、可衡量，而不是评价项目本身。</p>"
    )
    parts.append(f"<p>共 {len(findings)} 条：{summary_badges(findings)}</p>")
    by_rule = Counter(map(attrgetter("rule", "severity"), findings))
    projects_by_rule = Counter(
        rule
        for rule, *_ in {
            (f.rule, f.department_code, f.year, f.project_code)
            for f in findings
            if f.project_code is not None
        }
    )
    parts.append('<h2 id="by-rule">按规则</h2>')
    rows = []
    for rule in RULES:
        rows.append(
            [
                Cell(f'<code id="{esc(rule.id)}">{esc(rule.id)}</code>', rule.id),
                Cell(f'{esc(rule.title_zh)}<br><span class="jx-hint">{esc(rule.hint_zh)}</span>'),
                *(str(by_rule[rule.id, s]) for s in SEVERITY_LABELS),
                str(projects_by_rule[rule.id]),
            ]
        )
    headers = ["规则", "内容与修改建议", *(_label(s) for s in SEVERITY_LABELS), "涉及项目"]
    parts.append(table(headers, rows, sortable=True, numeric=[2, 3, 4, 5]))
    flagged, clean = _flagged_projects(disclosures, findings)
    pages = paged(QUALITY_PAGE, flagged)
    bodies = []
    for number, (here, projects, nav) in enumerate(pages, 1):
        body = parts if number == 1 else ['<h1 id="quality">数据质量</h1>']
        body += ['<h2 id="by-project">按项目</h2>', nav]
        if flagged:
            body.append(_by_project(projects, here, corpus=len(disclosures) > 1))
        body.append(nav)
        if number == len(pages):
            body.append(
                f"<p>另有 {clean} 个项目未发现问题。</p>"
                if flagged
                else "<p>所有项目均未发现问题。</p>"
            )
        bodies.append((here, body))
    return bodies


_Flagged = tuple[Disclosure, Project, list[Finding]]


def _flagged_projects(
    disclosures: Sequence[Disclosure], findings: Sequence[Finding]
) -> tuple[list[_Flagged], int]:
    """The projects with findings, with them, in input order; how many have none."""
    grouped: dict[tuple[str, int | None, str], list[Finding]] = {}
    for f in findings:
        if f.project_code is not None:
            grouped.setdefault((f.department_code, f.year, f.project_code), []).append(f)
    flagged = []
    clean = 0
    for d in disclosures:
        for p in d.projects:
            own = grouped.get((d.department_code, d.year, p.code), [])
            if own:
                flagged.append((d, p, own))
            else:
                clean += 1
    return flagged, clean


def _by_project(projects: Sequence[_Flagged], here: str, *, corpus: bool) -> str:
    rows = []
    for d, p, own in projects:
        link = relative(project_path(d, p), here) + "#findings"
        row: list[Cell | str] = [
            Cell(f"<code>{esc(p.code)}</code>", p.code),
            Cell(f'<a href="{link}">{esc(p.name)}</a>', p.name),
        ]
        if corpus:
            row.append(f"{d.department_name} {d.year}")
        row.append(score_cell(summarise(own, d, p)))
        row.append(Cell(esc(" ".join(sorted({f.rule for f in own})))))
        rows.append(row)
    headers = [field_zh(Project, "code"), field_zh(Project, "name")]
    if corpus:
        headers.append(field_zh(Disclosure, "department_name"))
    headers += ["质量得分", "规则"]
    return table(headers, rows, sortable=True, numeric=[len(headers) - 2])
