"""The audit on the site: the summary badges, finding lists and the quality page."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from toolkit.model import Disclosure, Project
from toolkit.quality.finding import Finding, Severity
from toolkit.site_html import Cell, esc, field_zh, relative, table
from toolkit.site_rdf import project_path

__all__ = ["SEVERITY_ZH", "findings_list", "quality_page_body", "severity_counts", "summary_badges"]

# The one place the severities get their Chinese names on the site.
SEVERITY_ZH = {Severity.ERROR: "错误", Severity.WARNING: "警告", Severity.INFO: "提示"}
_ORDER = {severity: index for index, severity in enumerate(SEVERITY_ZH)}


def rule_titles() -> dict[str, str]:
    """Rule id → its Chinese title, from :data:`toolkit.quality.RULES` when the audit
    provides it; empty otherwise (the page then shows the ids alone)."""
    try:
        from toolkit.quality import RULES  # type: ignore[attr-defined]
    except ImportError:
        return {}
    titles: dict[str, str] = {}
    items = RULES.values() if isinstance(RULES, dict) else RULES
    for rule in items:
        rule_id = getattr(rule, "id", None) or getattr(rule, "rule", None)
        title = getattr(rule, "title_zh", None) or getattr(rule, "name_zh", None)
        if rule_id and title:
            titles[str(rule_id)] = str(title)
    return titles


def severity_counts(findings: Sequence[Finding]) -> Counter[Severity]:
    return Counter(f.severity for f in findings)


def summary_badges(findings: Sequence[Finding], *, compact: bool = False) -> str:
    """``错误 2 · 警告 5 · 提示 1`` as coloured badges, or a note that nothing was found."""
    counts = severity_counts(findings)
    if not counts:
        text = "无" if compact else "审核规则未发现问题。"
        return f'<span class="jx-ok">{text}</span>'
    badges = "".join(
        f'<span class="jx-badge jx-{severity.value}">{esc(label)} {counts[severity]}</span>'
        for severity, label in SEVERITY_ZH.items()
        if counts[severity]
    )
    return f'<span class="jx-badges">{badges}</span>'


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


def findings_list(findings: Sequence[Finding], *, indicator_links: bool = False) -> str:
    """Each finding with its rule, severity, message, the indicator it concerns and a hint."""
    items = []
    for f in _sorted(findings):
        where = ""
        if f.indicator_ordinal is not None:
            label = f"第 {f.indicator_ordinal} 项指标"
            where = (
                f'<a href="#indicator-{f.indicator_ordinal}">{label}</a>：'
                if indicator_links
                else f"{label}："
            )
        evidence = (
            f'<br><span class="jx-evidence">依据：{esc(f.evidence)}</span>' if f.evidence else ""
        )
        items.append(
            f'<li class="jx-finding jx-{f.severity.value}">'
            f'<span class="jx-badge jx-{f.severity.value}">{esc(SEVERITY_ZH[f.severity])}</span> '
            f"<code>{esc(f.rule)}</code> {where}{esc(f.message_zh)}"
            f'<br><span class="jx-hint">建议：{esc(f.hint_zh)}</span>{evidence}</li>'
        )
    return '<ul class="jx-findings">' + "".join(items) + "</ul>"


def quality_page_body(
    disclosures: Sequence[Disclosure], findings: Sequence[Finding], *, here: str
) -> list[str]:
    """The audit by rule and by project."""
    parts = ['<h1 id="quality">数据质量</h1>']
    parts.append(
        "<p>每一条绩效目标都按审核规则逐条检查：指标是否归入正确的类别、指标值能否解读、"
        "单位是否规范、指标值确定依据是否具体、金额与支出计划是否相符等。"
        "问题分为错误、警告和提示三级，每条问题都附有修改建议。</p>"
    )
    parts.append(f"<p>共 {len(findings)} 条：{summary_badges(findings)}</p>")
    titles = rule_titles()
    by_rule: dict[str, Counter[Severity]] = {}
    projects_by_rule: dict[str, set[tuple[str, int | None, str]]] = {}
    for f in findings:
        by_rule.setdefault(f.rule, Counter())[f.severity] += 1
        if f.project_code is not None:
            projects_by_rule.setdefault(f.rule, set()).add(
                (f.department_code, f.year, f.project_code)
            )
    parts.append('<h2 id="by-rule">按规则</h2>')
    rows = []
    for rule in sorted(by_rule):
        counts = by_rule[rule]
        rows.append(
            [
                Cell(f"<code>{esc(rule)}</code>", rule),
                titles.get(rule, ""),
                *(str(counts[s]) for s in SEVERITY_ZH),
                str(len(projects_by_rule.get(rule, ()))),
            ]
        )
    headers = ["规则", "内容", *SEVERITY_ZH.values(), "涉及项目"]
    parts.append(
        table(headers, rows, sortable=True, numeric=[2, 3, 4, 5]) if rows else "<p>无。</p>"
    )
    parts.append('<h2 id="by-project">按项目</h2>')
    grouped: dict[tuple[str, int | None, str], list[Finding]] = {}
    for f in findings:
        if f.project_code is not None:
            grouped.setdefault((f.department_code, f.year, f.project_code), []).append(f)
    corpus = len(disclosures) > 1
    rows = []
    clean = 0
    for d in disclosures:
        for p in d.projects:
            own = grouped.get((d.department_code, d.year, p.code), [])
            if not own:
                clean += 1
                continue
            counts = severity_counts(own)
            link = relative(project_path(d, p), here) + "#findings"
            row: list[Cell | str] = [
                Cell(f"<code>{esc(p.code)}</code>", p.code),
                Cell(f'<a href="{link}">{esc(p.name)}</a>', p.name),
            ]
            if corpus:
                row += [f"{d.department_name} {d.year or ''}"]
            row += [str(counts[s]) for s in SEVERITY_ZH]
            row += [Cell(esc(" ".join(sorted({f.rule for f in own}))))]
            rows.append(row)
    headers = [field_zh(Project, "code"), field_zh(Project, "name")]
    if corpus:
        headers += [field_zh(Disclosure, "department_name")]
    first = len(headers)
    headers += [*SEVERITY_ZH.values(), "规则"]
    if rows:
        parts.append(table(headers, rows, sortable=True, numeric=range(first, first + 3)))
    parts.append(
        f"<p>另有 {clean} 个项目未发现问题。</p>" if rows else "<p>所有项目均未发现问题。</p>"
    )
    return parts
