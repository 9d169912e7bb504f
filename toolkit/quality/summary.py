"""A project's quality at a glance, for the site: counts by severity and a score.

The score starts at 100 and loses ``ERROR_POINTS`` per error and ``WARNING_POINTS`` per
warning, never going below 0; info findings cost nothing. It says how much a reader should
doubt the project's targets, not how well the project spends its money.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from operator import attrgetter

from pydantic import BaseModel, ConfigDict, Field

from toolkit.model import Disclosure, Project, title
from toolkit.quality.finding import Finding, Severity

__all__ = ["ERROR_POINTS", "WARNING_POINTS", "QualitySummary", "summarise"]

ERROR_POINTS = 10
WARNING_POINTS = 3


class QualitySummary(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    department_code: str = Field(**title("部门编码", "department code"))
    year: int | None = Field(default=None, **title("预算年度", "budget year"))
    project_code: str = Field(**title("项目编码", "project code"))
    indicators: int = Field(ge=0, **title("指标数", "indicators"))
    errors: int = Field(ge=0, **title("错误", "errors"))
    warnings: int = Field(ge=0, **title("警告", "warnings"))
    infos: int = Field(ge=0, **title("提示", "notes"))
    flagged_indicators: int = Field(ge=0, **title("有问题的指标数", "indicators with findings"))
    rules: list[str] = Field(**title("触发的规则", "rules triggered"))
    score: int = Field(ge=0, le=100, **title("质量得分", "quality score"))


def summarise(
    findings: Iterable[Finding], disclosure: Disclosure, project: Project
) -> QualitySummary:
    """Count the findings about ``project`` (of ``disclosure``) and score them."""
    own = [
        f
        for f in findings
        if f.department_code == disclosure.department_code
        and f.year == disclosure.year
        and f.project_code == project.code
    ]
    counts = Counter(map(attrgetter("severity"), own))
    penalty = ERROR_POINTS * counts[Severity.ERROR] + WARNING_POINTS * counts[Severity.WARNING]
    return QualitySummary(
        department_code=disclosure.department_code,
        year=disclosure.year,
        project_code=project.code,
        indicators=len(project.indicators),
        errors=counts[Severity.ERROR],
        warnings=counts[Severity.WARNING],
        infos=counts[Severity.INFO],
        flagged_indicators=len(
            {f.indicator_ordinal for f in own if f.indicator_ordinal is not None}
        ),
        rules=sorted({f.rule for f in own}),
        score=max(0, 100 - penalty),
    )
