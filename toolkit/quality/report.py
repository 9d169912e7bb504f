"""Findings for people and programs: a CSV text and a grouped terminal report (rich).

Both show findings exactly as :func:`~toolkit.quality.audit` returns them. Text from the
disclosure goes into rich ``Text`` objects, never through rich markup.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from typing import Literal

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from toolkit.model import Disclosure, Project
from toolkit.quality.finding import Finding
from toolkit.quality.rules import RULES_BY_ID, SEVERITY_LABELS

__all__ = ["FINDING_COLUMNS", "findings_csv", "findings_report"]

Lang = Literal["zh", "en"]
FINDING_COLUMNS = list(Finding.model_fields)
_STYLES = {"error": "bold red", "warning": "yellow", "info": "cyan"}


def findings_csv(findings: Sequence[Finding]) -> str:
    """The findings as CSV, one column per :class:`Finding` field, in field order."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=FINDING_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for finding in findings:
        writer.writerow(
            {k: "" if v is None else v for k, v in finding.model_dump(mode="json").items()}
        )
    return buffer.getvalue()


def _title(field: str, lang: Lang) -> str:
    extra = Finding.model_fields[field].json_schema_extra
    assert isinstance(extra, dict)
    return str(extra[f"title_{lang}"])


def _project_table(project: Project, findings: list[Finding], lang: Lang) -> Table:
    table = Table(
        title=Text(f"{project.sequence}、{project.name} ({project.code})"),
        title_justify="left",
        expand=False,
    )
    for field in ("indicator_ordinal", "line", "rule", "severity", f"message_{lang}"):
        table.add_column(_title(field, lang), overflow="fold")
    table.add_column(_title(f"hint_{lang}", lang), overflow="fold")
    for finding in findings:
        severity = SEVERITY_LABELS[finding.severity][0 if lang == "zh" else 1]
        rule = RULES_BY_ID[finding.rule]
        table.add_row(
            Text(str(finding.indicator_ordinal or "")),
            Text(str(finding.line or "")),
            Text(f"{finding.rule} {rule.title_zh if lang == 'zh' else rule.title_en}"),
            Text(severity, style=_STYLES[finding.severity.value]),
            Text(finding.message_zh if lang == "zh" else finding.message_en),
            Text(finding.hint_zh if lang == "zh" else finding.hint_en),
        )
    return table


def _groups(
    findings: Sequence[Finding], disclosures: Sequence[Disclosure]
) -> Iterator[tuple[Disclosure, Project, list[Finding]]]:
    by_project: dict[tuple[str, int | None, str | None], list[Finding]] = {}
    for finding in findings:
        key = (finding.department_code, finding.year, finding.project_code)
        by_project.setdefault(key, []).append(finding)
    for disclosure in disclosures:
        for project in disclosure.projects:
            key = (disclosure.department_code, disclosure.year, project.code)
            if key in by_project:
                yield disclosure, project, by_project.pop(key)


def findings_report(
    findings: Sequence[Finding], disclosures: Sequence[Disclosure], lang: Lang = "zh"
) -> RenderableType:
    """One table per project with findings, under a heading per disclosure, and totals."""
    parts: list[RenderableType] = []
    current: Disclosure | None = None
    for disclosure, project, own in _groups(findings, disclosures):
        if disclosure is not current:
            current = disclosure
            parts.append(
                Text(
                    f"{disclosure.department_code} {disclosure.department_name} "
                    f"{disclosure.year or ''} · {disclosure.source.file_name}",
                    style="bold",
                )
            )
        parts.append(_project_table(project, own, lang))
    counts = {s: sum(1 for f in findings if f.severity is s) for s in SEVERITY_LABELS}
    if lang == "zh":
        total = f"共{len(findings)}条问题：" + "，".join(
            f"{SEVERITY_LABELS[s][0]}{n}条" for s, n in counts.items()
        )
    else:
        total = f"{len(findings)} findings: " + ", ".join(
            f"{n} {SEVERITY_LABELS[s][1]}" for s, n in counts.items()
        )
    parts.append(Text(total))
    return Group(*parts)
