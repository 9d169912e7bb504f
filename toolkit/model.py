"""The model: one validated record of a disclosure, the single source of truth.

Field names, types, zh/en titles and constraints live here; the Table Schemas of the data
package and the SHACL shapes are derived from or checked against these classes by tests.

Source locations are kept on every project and indicator but never take part in equality
(:class:`SourceLine` compares equal to any other), so a model read from ``.docx`` equals the
one read from its text export. The same holds for :class:`SourceDocument`: provenance, not
content.
"""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "CODE_PATTERN",
    "DEPARTMENT_CODE_PATTERN",
    "CategoryRef",
    "Comparator",
    "Disclosure",
    "Indicator",
    "ParseWarning",
    "Project",
    "SourceDocument",
    "SourceLine",
    "SpendingPlanEntry",
    "Target",
    "TargetKind",
]

# Codes become IRI path segments and file names: letters, digits, '-', '_', '.' only.
CODE_PATTERN = r"^[0-9A-Za-z][0-9A-Za-z._-]{0,63}$"
DEPARTMENT_CODE_PATTERN = r"^[0-9A-Za-z]{1,32}$"


def title(zh: str, en: str, description: str | None = None, **extra: Any) -> dict[str, Any]:
    """Field metadata shared by every writer: Chinese and English titles, optional unit."""
    schema: dict[str, Any] = {"title_zh": zh, "title_en": en, **extra}
    return {"title": en, "description": description or f"{zh} / {en}", "json_schema_extra": schema}


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=False, validate_assignment=True)


class _Provenance(_Record):
    """Provenance compares equal to any provenance of the same type."""

    def __eq__(self, other: object) -> bool:
        return isinstance(other, type(self))

    def __hash__(self) -> int:
        return hash(type(self))


class SourceLine(_Provenance):
    """Lines of the source (1-based, inclusive); for Word, paragraph ordinals."""

    first: int = Field(ge=0)
    last: int = Field(ge=0)
    where: str | None = Field(default=None, description="table/row/cell for tabular formats")


class SourceDocument(_Provenance):
    file_name: str = Field(**title("源文件名", "source file name"))
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$", **title("源文件SHA-256", "source file SHA-256"))
    media_type: str = Field(**title("源文件类型", "source media type"))
    encoding: str | None = Field(default=None, **title("源文件编码", "source text encoding"))


class ParseWarning(_Record):
    """Something the interpreter saw and could not place."""

    message: str
    line: int | None = None

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ParseWarning) and self.message == other.message

    def __hash__(self) -> int:
        return hash(self.message)


class Comparator(StrEnum):
    GE = ">="
    LE = "<="
    EQ = "="
    GT = ">"
    LT = "<"


class TargetKind(StrEnum):
    QUANTITATIVE = "quantitative"
    QUALITATIVE = "qualitative"
    MISSING = "missing"


class Target(_Record):
    """A target value (指标值): the verbatim text and what it means."""

    raw: str = Field(**title("指标值原文", "target as written"))
    comparator: Comparator | None = Field(default=None, **title("比较符", "comparator"))
    value: Decimal | None = Field(default=None, **title("指标值数值", "target value"))
    unit: str | None = Field(
        default=None, **title("计量单位", "unit", "normalised: 百分比 becomes %")
    )
    kind: TargetKind = Field(**title("指标值类型", "target kind"))


class CategoryRef(_Record):
    """A level-1 or level-2 category as written, and the scheme concept it names (if any)."""

    label: str = Field(**title("指标类别原文", "category label as written"))
    concept: str | None = Field(default=None, **title("指标类别代码", "category concept code"))


class Indicator(_Record):
    ordinal: int = Field(ge=1, **title("指标序号", "indicator ordinal within its project"))
    level1: CategoryRef = Field(**title("一级指标", "level-1 category"))
    level2: CategoryRef = Field(**title("二级指标", "level-2 category"))
    name: str = Field(**title("三级指标", "indicator name"))
    description: str | None = Field(default=None, **title("绩效指标描述", "description"))
    target: Target = Field(**title("指标值", "target"))
    basis: str | None = Field(default=None, **title("指标值确定依据", "basis of the target"))
    weight: Decimal | None = Field(default=None, ge=0, **title("权重/分值", "weight or score"))
    direction: str | None = Field(
        default=None,
        **title("指标方向", "direction", "正向: higher is better; 反向: lower is better"),
    )
    source: SourceLine = Field(**title("来源行", "source lines"))


class SpendingPlanEntry(_Record):
    period: str = Field(**title("支出时点", "period"))
    percent: Decimal | None = Field(
        default=None, ge=0, le=100, **title("支出比例（%）", "share of spending (%)", unit="%")
    )


Amount = Annotated[Decimal, Field(max_digits=24, decimal_places=8)]


class Project(_Record):
    sequence: int = Field(ge=1, **title("序号", "sequence number"))
    code: str = Field(pattern=CODE_PATTERN, **title("项目编码", "project code"))
    name: str = Field(min_length=1, **title("项目名称", "project name"))
    budget_total: Amount | None = Field(default=None, **title("预算数", "budget total"))
    fiscal_funds: Amount | None = Field(default=None, **title("财政资金", "fiscal funds"))
    other_funds: Amount | None = Field(default=None, **title("其他资金", "other funds"))
    use_of_funds: str | None = Field(default=None, **title("资金用途", "use of funds"))
    spending_plan: list[SpendingPlanEntry] = Field(
        default_factory=list, **title("资金支出计划", "spending plan")
    )
    spending_plan_cumulative: bool = Field(
        default=False, **title("累计支出计划", "spending plan is cumulative")
    )
    goals: list[str] = Field(default_factory=list, **title("绩效目标", "goals"))
    indicators: list[Indicator] = Field(default_factory=list, **title("绩效指标", "indicators"))
    source: SourceLine = Field(**title("来源行", "source lines"))


class Disclosure(_Record):
    """One department's performance-goal disclosure for one budget year."""

    department_code: str = Field(
        pattern=DEPARTMENT_CODE_PATTERN, **title("部门编码", "department code")
    )
    department_name: str = Field(min_length=1, **title("部门名称", "department name"))
    year: int | None = Field(default=None, ge=1990, le=2100, **title("预算年度", "budget year"))
    region: str | None = Field(default=None, **title("地区", "region"))
    currency_unit: Literal["元", "万元"] = Field(
        default="万元", **title("金额单位", "currency unit")
    )
    publisher: str | None = Field(default=None, **title("发布机构", "publisher"))
    license: str | None = Field(default=None, **title("许可协议", "license"))
    source_url: str | None = Field(default=None, **title("原始网址", "source URL"))
    source: SourceDocument = Field(**title("源文件", "source document"))
    overall_goal: str | None = Field(default=None, **title("总体绩效目标", "overall goal"))
    itemised_goals: list[str] = Field(
        default_factory=list, **title("分项绩效目标", "itemised goals")
    )
    safeguard_measures: list[str] = Field(
        default_factory=list, **title("工作保障措施", "safeguard measures")
    )
    projects: list[Project] = Field(default_factory=list, **title("预算项目", "projects"))
    warnings: list[ParseWarning] = Field(default_factory=list, **title("解析警告", "warnings"))

    @property
    def total_budget(self) -> Decimal:
        return sum((p.budget_total or Decimal(0) for p in self.projects), Decimal(0))

    @property
    def indicator_count(self) -> int:
        return sum(len(p.indicators) for p in self.projects)
