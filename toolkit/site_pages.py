"""The generated pages about disclosures and projects: overview, project index, project page.

Each function returns the HTML parts of one page (see :mod:`toolkit.site_html`); ``here`` is
the site-relative folder of the page being written, so that every link is relative and the
site works from any folder, on any host, offline.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from toolkit.charts import Bar, bar_chart, column_chart, top_with_rest
from toolkit.model import Disclosure, Indicator, Project, SpendingPlanEntry, Target
from toolkit.package import csv_bytes
from toolkit.package_rows import resource_rows
from toolkit.package_schema import package_resources
from toolkit.quality.finding import Finding
from toolkit.quality.summary import summarise
from toolkit.site_html import Cell, esc, field_zh, money, percent, relative, table
from toolkit.site_quality import findings_list, score_cell, summary_badges
from toolkit.site_rdf import department_path, disclosure_path, project_path
from toolkit.site_search import unindexed_heading
from toolkit.vocab import BY_CODE

__all__ = [
    "Entry",
    "disclosure_overview",
    "project_csv",
    "project_page_body",
    "project_table",
]

CHART_LIMIT = 30
_SYMBOL = {">=": "≥", "<=": "≤", "=": "=", ">": ">", "<": "<"}


@dataclass(frozen=True)
class Entry:
    """A project with its disclosure and its findings: one row of the project index."""

    disclosure: Disclosure
    project: Project
    findings: Sequence[Finding]


def _dl(rows: Sequence[tuple[str, str]]) -> str:
    """A definition list; values are trusted HTML."""
    items = "".join(f"<dt>{esc(k)}</dt><dd>{v}</dd>" for k, v in rows)
    return f'<dl class="jx-fields">{items}</dl>'


def _items(values: Sequence[str], ordered: bool = True) -> str:
    tag = "ol" if ordered else "ul"
    return f"<{tag}>" + "".join(f"<li>{esc(v)}</li>" for v in values) + f"</{tag}>"


def _maybe(text: str | None) -> str:
    return esc(text) if text else '<span class="jx-none">未填写</span>'


def disclosure_overview(
    disclosure: Disclosure, findings: Sequence[Finding], *, here: str, heading: bool = True
) -> list[str]:
    """The department's disclosure: facts, goals, measures, budget chart, quality summary.
    ``findings`` are this disclosure's."""
    d = disclosure
    unit = d.currency_unit
    parts = []
    if heading:
        year = f"{d.year} 年" if d.year is not None else ""
        parts.append(f'<h1 id="overview">{esc(d.department_name)} {year}预算绩效目标</h1>')
    dept_link = f'<a href="{relative(department_path(d.department_code), here)}">'
    facts = [
        (field_zh(Disclosure, "department_name"), f"{dept_link}{esc(d.department_name)}</a>"),
        (field_zh(Disclosure, "department_code"), f"<code>{esc(d.department_code)}</code>"),
        (field_zh(Disclosure, "year"), esc(d.year) if d.year is not None else "未注明"),
        (field_zh(Disclosure, "region"), _maybe(d.region)),
        ("预算总额", f'<strong class="jx-total">{esc(money(d.total_budget, unit))}</strong>'),
        ("项目数", esc(len(d.projects))),
        ("绩效指标数", esc(d.indicator_count)),
        (field_zh(Disclosure, "publisher"), _maybe(d.publisher)),
        (field_zh(Disclosure, "license"), _maybe(d.license)),
        (
            field_zh(Disclosure, "source"),
            f"{esc(d.source.file_name)}（SHA-256 <code>{esc(d.source.sha256)}</code>）",
        ),
    ]
    if d.source_url:
        facts.append((field_zh(Disclosure, "source_url"), f"<code>{esc(d.source_url)}</code>"))
    parts.append(_dl(facts))
    parts.append(f'<h2 id="overall-goal">{esc(field_zh(Disclosure, "overall_goal"))}</h2>')
    parts.append(f"<p>{_maybe(d.overall_goal)}</p>")
    parts.append(f'<h2 id="itemised-goals">{esc(field_zh(Disclosure, "itemised_goals"))}</h2>')
    parts.append(_items(d.itemised_goals) if d.itemised_goals else f"<p>{_maybe(None)}</p>")
    parts.append(f'<h2 id="safeguards">{esc(field_zh(Disclosure, "safeguard_measures"))}</h2>')
    parts.append(
        _items(d.safeguard_measures, ordered=False)
        if d.safeguard_measures
        else f"<p>{_maybe(None)}</p>"
    )
    parts.append('<h2 id="budget">各项目预算</h2>')
    bars = [Bar(p.name, p.budget_total, relative(project_path(d, p), here)) for p in d.projects]
    caption = f"各项目预算（{unit}），合计 {d.total_budget:f} {unit}"
    if bars:
        shown = top_with_rest(bars, CHART_LIMIT, "其余 {n} 个项目")
        parts.append(f'<figure class="jx-figure">{bar_chart(shown, unit=unit, caption=caption)}')
        parts.append(f"<figcaption>{esc(caption)}</figcaption></figure>")
    parts.append('<h2 id="quality">数据质量</h2>')
    parts.append(
        f"<p>{summary_badges(findings)}　"
        f'<a href="{relative("quality/", here)}">按规则和项目查看审核结果</a></p>'
    )
    parts.append('<h2 id="projects">项目一览</h2>')
    by_project = _findings_by_project(findings)
    entries = [Entry(d, p, by_project.get(p.code, ())) for p in d.projects]
    parts.append(project_table(entries, here=here, corpus=False))
    general = [f for f in findings if f.project_code is None]
    if general:
        parts.append(unindexed_heading(2, "findings", "部门层面的问题"))
        parts.append(findings_list(general, here=here))
    return parts


def _findings_by_project(findings: Sequence[Finding]) -> dict[str, list[Finding]]:
    grouped: dict[str, list[Finding]] = {}
    for finding in findings:
        if finding.project_code is not None:
            grouped.setdefault(finding.project_code, []).append(finding)
    return grouped


def project_table(entries: Sequence[Entry], *, here: str, corpus: bool) -> str:
    """The sortable table of projects; with ``corpus``, department and year columns too."""
    headers = [field_zh(Project, "code"), field_zh(Project, "name")]
    if corpus:
        headers += [field_zh(Disclosure, "department_name"), field_zh(Disclosure, "year")]
    headers += [field_zh(Project, "budget_total"), "指标数", "质量得分"]
    first_numeric = len(headers) - 3
    rows = []
    for entry in entries:
        d, p = entry.disclosure, entry.project
        link = relative(project_path(d, p), here)
        row: list[Cell | str] = [
            Cell(f"<code>{esc(p.code)}</code>", p.code),
            Cell(f'<a href="{link}">{esc(p.name)}</a>', p.name),
        ]
        if corpus:
            dept = relative(disclosure_path(d), here)
            row += [Cell(f'<a href="{dept}">{esc(d.department_name)}</a>', d.department_name)]
            row += [str(d.year or "")]
        budget = p.budget_total
        row += [
            Cell(esc(money(budget, d.currency_unit)), f"{budget:f}" if budget is not None else "")
        ]
        row += [str(len(p.indicators))]
        row += [score_cell(summarise(entry.findings, d, p))]
        rows.append(row)
    return table(headers, rows, sortable=True, numeric=range(first_numeric, len(headers)))


def _target_parsed(target: Target) -> str:
    if target.value is None and target.unit:
        return f"只有单位“{target.unit}”，没有数值"
    if target.value is None and target.comparator is None:
        return {"qualitative": "定性指标", "missing": "未填写"}.get(target.kind.value, "")
    return " ".join(
        part
        for part in (
            _SYMBOL.get(target.comparator.value, "") if target.comparator else "",
            f"{target.value:f}" if target.value is not None else "",
            target.unit or "",
        )
        if part
    )


def _category(label: str, concept: str | None) -> str:
    known = BY_CODE.get(concept) if concept else None
    if known is None:
        return f'{esc(label)} <span class="jx-flag">不在指标体系中</span>'
    if known.zh == label:
        return esc(label)
    return f"{esc(label)}（即“{esc(known.zh)}”）"


def _indicator_rows(indicators: Sequence[Indicator], findings: Sequence[Finding]) -> str:
    flagged = {f.indicator_ordinal for f in findings if f.indicator_ordinal is not None}
    headers = [
        field_zh(Indicator, "ordinal"),
        field_zh(Indicator, "name"),
        field_zh(Indicator, "description"),
        field_zh(Target, "raw"),
        "解读",
        field_zh(Indicator, "basis"),
    ]
    if any(i.weight is not None for i in indicators):
        headers.append(field_zh(Indicator, "weight"))
    rows = []
    for ind in indicators:
        mark = ' <a class="jx-flag" href="#findings">有问题</a>' if ind.ordinal in flagged else ""
        row: list[Cell | str] = [
            Cell(f'<span id="indicator-{ind.ordinal}">{ind.ordinal}</span>'),
            Cell(esc(ind.name) + mark),
            Cell(_maybe(ind.description)),
            Cell(f"<code>{esc(ind.target.raw)}</code>" if ind.target.raw else _maybe(None)),
            _target_parsed(ind.target),
            Cell(_maybe(ind.basis)),
        ]
        if len(headers) == 7:
            row.append(str(ind.weight) if ind.weight is not None else "—")
        rows.append(row)
    return table(headers, rows)


def _indicator_sections(project: Project, findings: Sequence[Finding]) -> list[str]:
    """Indicators grouped by level 1, then level 2, in the order the disclosure gives them."""
    groups: dict[tuple[str, str | None], dict[tuple[str, str | None], list[Indicator]]] = {}
    for ind in project.indicators:
        level1 = (ind.level1.label, ind.level1.concept)
        level2 = (ind.level2.label, ind.level2.concept)
        groups.setdefault(level1, {}).setdefault(level2, []).append(ind)
    parts = []
    for (label1, concept1), children in groups.items():
        parts.append(f'<h3 class="jx-level1">{_category(label1, concept1)}</h3>')
        for (label2, concept2), indicators in children.items():
            parts.append(f'<h4 class="jx-level2">{_category(label2, concept2)}</h4>')
            parts.append(_indicator_rows(indicators, findings))
    return parts


def _spending_plan(project: Project) -> list[str]:
    plan: list[SpendingPlanEntry] = project.spending_plan
    if not plan:
        return [f"<p>{_maybe(None)}</p>"]
    kind = "累计" if project.spending_plan_cumulative else "当期"
    caption = f"资金支出计划（{kind}支出占预算的百分比）"
    columns = [Bar(entry.period, entry.percent) for entry in plan]
    chart = column_chart(columns, unit="%", caption=caption, maximum=Decimal(100))
    rows = [[entry.period, percent(entry.percent)] for entry in plan]
    headers = [field_zh(SpendingPlanEntry, "period"), field_zh(SpendingPlanEntry, "percent")]
    return [
        f'<figure class="jx-figure">{chart}<figcaption>{esc(caption)}</figcaption></figure>',
        table(headers, rows, numeric=[1]),
    ]


def project_page_body(
    disclosure: Disclosure,
    project: Project,
    findings: Sequence[Finding],
    *,
    iri: str,
    downloads: dict[str, str],
) -> list[str]:
    """Every field of a project, its spending plan, goals, indicators, findings, downloads."""
    d, p = disclosure, project
    here = project_path(d, p)
    unit = d.currency_unit
    overview = relative(disclosure_path(d), here)
    facts = [
        (field_zh(Project, "code"), f"<code>{esc(p.code)}</code>"),
        (field_zh(Project, "sequence"), esc(p.sequence)),
        (
            field_zh(Disclosure, "department_name"),
            f'<a href="{overview}">{esc(d.department_name)} {esc(d.year or "")}</a>',
        ),
        (field_zh(Project, "budget_total"), f"<strong>{esc(money(p.budget_total, unit))}</strong>"),
        (field_zh(Project, "fiscal_funds"), esc(money(p.fiscal_funds, unit))),
        (field_zh(Project, "other_funds"), esc(money(p.other_funds, unit))),
        (field_zh(Project, "use_of_funds"), _maybe(p.use_of_funds)),
        (
            field_zh(Project, "source"),
            esc(f"{d.source.file_name} 第 {p.source.first}–{p.source.last} 行"),
        ),
        ("资源标识（IRI）", f'<code class="jx-iri">{esc(iri)}</code>'),
    ]
    crumbs = (
        f'<nav class="jx-crumbs"><a href="{relative("", here)}">首页</a> › '
        f'<a href="{relative("projects/", here)}">项目一览</a> › {esc(p.code)}</nav>'
    )
    parts = [crumbs, f'<h1 id="project">{esc(p.name)}</h1>', _dl(facts)]
    parts.append(f'<h2 id="spending-plan">{esc(field_zh(Project, "spending_plan"))}</h2>')
    parts += _spending_plan(p)
    parts.append(f'<h2 id="goals">{esc(field_zh(Project, "goals"))}</h2>')
    parts.append(_items(p.goals) if p.goals else f"<p>{_maybe(None)}</p>")
    parts.append(
        f'<h2 id="indicators">{esc(field_zh(Project, "indicators"))}（{len(p.indicators)} 项）</h2>'
    )
    parts += _indicator_sections(p, findings) or [f"<p>{_maybe(None)}</p>"]
    parts.append(unindexed_heading(2, "findings", "数据质量问题"))
    summary = summarise(findings, d, p)
    parts.append(
        f'<p>质量得分 <strong class="jx-score">{summary.score}</strong>（满分 100）'
        f"：{summary_badges(findings)}。"
        f'<a href="{relative("quality/", here)}">审核规则与评分说明</a></p>'
    )
    if findings:
        parts.append(findings_list(findings, here=here, indicator_links=True))
    parts.append(unindexed_heading(2, "downloads", "下载"))
    links = [
        f'<li><a href="{esc(name)}" download>{esc(title)}（CSV）</a></li>'
        for name, title in downloads.items()
    ]
    parts.append(
        '<p>本项目在数据包各表中的行，格式与完整数据包相同：</p><ul class="jx-downloads">'
        + "".join(links)
        + '<li><a href="project.ttl">关联数据（RDF Turtle）</a></li>'
        '<li><a href="project.jsonld">关联数据（JSON-LD）</a></li>'
        "</ul>"
    )
    return parts


# The resources of the data package that hold a project's own rows.
PROJECT_RESOURCES = ("projects", "spending_plan", "project_goals", "indicators", "findings")


def project_csv(
    disclosure: Disclosure, project: Project, findings: Sequence[Finding]
) -> dict[str, tuple[str, bytes]]:
    """The project's rows of each data-package resource, as the package writes them:
    file name → (the resource's Chinese title, CSV bytes). Resources without a row for the
    project (no findings, no spending plan) are left out."""
    alone = disclosure.model_copy(update={"projects": [project]})
    rows = resource_rows([alone], findings, disclosure.currency_unit)
    files = {}
    for spec in package_resources():
        if spec.name in PROJECT_RESOURCES and rows[spec.name]:
            files[spec.path] = (spec.title[0], csv_bytes(spec, rows[spec.name]))
    return files
