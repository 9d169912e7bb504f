"""A quality finding: one weak performance target (or project), named with where it is."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from toolkit.model import title

__all__ = ["Finding", "Severity"]


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


class Finding(BaseModel):
    """What a rule found. ``indicator_ordinal`` is set when the finding is about one indicator;
    ``evidence`` holds the figures behind it (similarity, projects that share the text)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    rule: str = Field(pattern=r"^DQ\d{2}$", **title("规则", "rule"))
    severity: Severity = Field(**title("严重程度", "severity"))
    department_code: str = Field(**title("部门编码", "department code"))
    year: int | None = Field(default=None, **title("预算年度", "budget year"))
    project_code: str | None = Field(default=None, **title("项目编码", "project code"))
    indicator_ordinal: int | None = Field(
        default=None, ge=1, **title("指标序号", "indicator ordinal")
    )
    line: int | None = Field(default=None, **title("来源行", "source line"))
    message_zh: str = Field(**title("问题（中文）", "message (Chinese)"))
    message_en: str = Field(**title("问题（英文）", "message (English)"))
    hint_zh: str = Field(**title("修改建议（中文）", "how to fix (Chinese)"))
    hint_en: str = Field(**title("修改建议（英文）", "how to fix (English)"))
    evidence: str | None = Field(default=None, **title("证据", "evidence"))
