"""The resources of the data package: their columns and Table Schemas, from the model.

Every column that carries a model value names the model field it comes from; its type, zh/en
title, description and constraints are read from that field, so the package cannot drift from
the model (a test compares the two). Columns the model has no field for (keys, orders) and
the few constraints the package adds (``minimum`` 0 for amounts, ``enum`` of concept codes)
are declared here, once.

Keys are built from stable codes, like the IRIs of the RDF output::

    disclosure_id   {department_code}/{year}                  917003/2020
    project_id      {disclosure_id}/{project_code}            917003/2020/917-0101-YCN-16DG
    indicator_id    {project_id}/{ordinal}                    917003/2020/917-0101-YCN-16DG/3

A project code is unique within one disclosure and a disclosure is one department's document
for one year, so these ids are unique across departments and years; ``/`` is in none of the
codes (their patterns exclude it), so an id always splits back into its parts.
"""

from __future__ import annotations

import types
from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum
from typing import Annotated, Any, Literal, Union, get_args, get_origin

import annotated_types
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from toolkit.model import (
    CODE_PATTERN,
    DEPARTMENT_CODE_PATTERN,
    CategoryRef,
    Disclosure,
    Indicator,
    Project,
    SourceDocument,
    SpendingPlanEntry,
    Target,
)
from toolkit.quality.finding import Finding
from toolkit.vocab import LEVEL1, LEVEL2, Concept

__all__ = [
    "CURRENCY_UNITS",
    "Column",
    "ForeignKey",
    "ResourceSpec",
    "package_resources",
]

# English names of the currency units a disclosure may use; the zh name is the unit itself.
CURRENCY_UNITS = {"元": "yuan", "万元": "10,000 yuan"}
# Marks a column whose unit is the package's currency unit, known only when writing.
CURRENCY = "currency"


def _body(pattern: str) -> str:
    """A model pattern without its anchors: Table Schema patterns match the whole value."""
    return pattern.removeprefix("^").removesuffix("$")


YEAR_PATTERN = "[0-9]{4}"
DISCLOSURE_ID_PATTERN = f"{_body(DEPARTMENT_CODE_PATTERN)}/{YEAR_PATTERN}"
PROJECT_ID_PATTERN = f"{DISCLOSURE_ID_PATTERN}/{_body(CODE_PATTERN)}"
INDICATOR_ID_PATTERN = f"{PROJECT_ID_PATTERN}/[1-9][0-9]*"


@dataclass(frozen=True)
class Column:
    """One published column. ``source`` is the model field it carries (``None`` for keys and
    orders, which then declare ``title`` and ``type`` here); ``within`` is the field that
    holds a nested record (``Indicator.level1`` for ``CategoryRef.label``), whose title
    prefixes this one's. The remaining attributes add to what the model says."""

    name: str
    source: tuple[type[BaseModel], str] | None = None
    within: tuple[type[BaseModel], str] | None = None
    title: tuple[str, str] | None = None
    description: str | None = None
    type: str | None = None
    required: bool | None = None
    unique: bool = False
    pattern: str | None = None
    enum: tuple[str, ...] | None = None
    minimum: int | None = None
    unit: str | None = None

    def model_field(self) -> FieldInfo | None:
        if self.source is None:
            return None
        model, attribute = self.source
        return model.model_fields[attribute]

    def titles(self, currency_unit: str) -> tuple[str, str]:
        """Chinese and English titles, with the unit when the column has one."""
        zh, en = self.title or _titles(*self.source)  # type: ignore[misc]
        if self.within is not None:
            outer_zh, outer_en = _titles(*self.within)
            zh, en = f"{outer_zh}（{zh}）", f"{outer_en} ({en})"
        unit = self.unit_of(currency_unit)
        if unit is not None and unit not in zh:
            zh = f"{zh}（{unit}）"
        unit_en = CURRENCY_UNITS.get(unit, unit) if unit is not None else None
        if unit_en is not None and unit_en not in en:
            en = f"{en} ({unit_en})"
        return zh, en

    def unit_of(self, currency_unit: str) -> str | None:
        info = self.model_field()
        unit = self.unit or (_extra(info).get("unit") if info is not None else None)
        return currency_unit if unit == CURRENCY else unit

    def descriptor(self, currency_unit: str) -> dict[str, Any]:
        """The Table Schema field descriptor."""
        info = self.model_field()
        kind, values, required, constraints = "string", None, True, {}
        if info is not None:
            kind, values = _type_of(info.annotation)
            constraints = _constraints(info)
            required = _never_empty(info.annotation, kind, constraints, values)
        zh, en = self.titles(currency_unit)
        description = self.description or (info.description if info is not None else None)
        result: dict[str, Any] = {
            "name": self.name,
            "type": self.type or kind,
            "title": f"{zh} / {en}",
            "description": description or f"{zh} / {en}",
        }
        unit = self.unit_of(currency_unit)
        if unit is not None:
            result["unit"] = unit
        checks: dict[str, Any] = {"required": required if self.required is None else self.required}
        if self.unique:
            checks["unique"] = True
        pattern = self.pattern or constraints.pop("pattern", None)
        if pattern is not None:
            checks["pattern"] = pattern
        enum = self.enum or values
        if enum is not None:
            checks["enum"] = list(enum)
        if self.minimum is not None:
            checks["minimum"] = self.minimum
        checks.update(constraints)
        result["constraints"] = checks
        return result


@dataclass(frozen=True)
class ForeignKey:
    fields: tuple[str, ...]
    resource: str
    reference: tuple[str, ...]


@dataclass(frozen=True)
class ResourceSpec:
    """A resource of the package: one CSV file, one sheet of the workbook."""

    name: str
    title: tuple[str, str]
    description: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...] = ()
    foreign_keys: tuple[ForeignKey, ...] = field(default=())

    @property
    def path(self) -> str:
        return f"{self.name}.csv"

    def table_schema(self, currency_unit: str) -> dict[str, Any]:
        schema: dict[str, Any] = {"fields": [c.descriptor(currency_unit) for c in self.columns]}
        if self.primary_key:
            schema["primaryKey"] = list(self.primary_key)
        if self.foreign_keys:
            schema["foreignKeys"] = [
                {
                    "fields": list(fk.fields),
                    "reference": {"resource": fk.resource, "fields": list(fk.reference)},
                }
                for fk in self.foreign_keys
            ]
        return schema


def _extra(info: FieldInfo) -> dict[str, Any]:
    extra = info.json_schema_extra
    return extra if isinstance(extra, dict) else {}


def _titles(model: type[BaseModel], attribute: str) -> tuple[str, str]:
    extra = _extra(model.model_fields[attribute])
    return str(extra["title_zh"]), str(extra["title_en"])


def _strip_optional(annotation: Any) -> Any:
    if get_origin(annotation) in (Union, types.UnionType):
        (annotation,) = [a for a in get_args(annotation) if a is not type(None)]
    if get_origin(annotation) is Annotated:
        annotation = get_args(annotation)[0]
    return annotation


def _allows_none(annotation: Any) -> bool:
    return get_origin(annotation) in (Union, types.UnionType) and type(None) in get_args(annotation)


def _never_empty(
    annotation: Any, kind: str, constraints: dict[str, Any], enum: tuple[str, ...] | None
) -> bool:
    """Whether the model always holds a value the CSV writes as a non-empty cell: not
    optional, and for text, at least one character (an empty cell reads back as null)."""
    if _allows_none(annotation):
        return False
    if kind != "string" or constraints.get("minLength", 0) >= 1 or "pattern" in constraints:
        return True
    return enum is not None and all(enum)


def _type_of(annotation: Any) -> tuple[str, tuple[str, ...] | None]:
    """Table Schema type (and enum values) of a scalar model annotation."""
    inner = _strip_optional(annotation)
    if get_origin(inner) is Literal:
        return "string", tuple(str(a) for a in get_args(inner))
    if isinstance(inner, type) and issubclass(inner, Enum):
        return "string", tuple(str(m.value) for m in inner)
    for python, name in ((bool, "boolean"), (int, "integer"), (Decimal, "number"), (str, "string")):
        if inner is python:
            return name, None
    raise TypeError(f"no Table Schema type for {annotation!r}")


_BOUNDS = {
    annotated_types.Ge: ("ge", "minimum"),
    annotated_types.Le: ("le", "maximum"),
    annotated_types.Gt: ("gt", "exclusiveMinimum"),
    annotated_types.Lt: ("lt", "exclusiveMaximum"),
    annotated_types.MinLen: ("min_length", "minLength"),
    annotated_types.MaxLen: ("max_length", "maxLength"),
}


def _constraints(info: FieldInfo) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for item in info.metadata:
        if type(item) in _BOUNDS:
            attribute, name = _BOUNDS[type(item)]
            found[name] = getattr(item, attribute)
        elif getattr(item, "pattern", None) is not None:
            found["pattern"] = _body(item.pattern)
    return found


def _amount(name: str) -> Column:
    return Column(name, (Project, name), minimum=0, unit=CURRENCY)


def _id(
    name: str,
    zh: str,
    en: str,
    pattern: str,
    form: str,
    *,
    key: bool = False,
    required: bool = True,
) -> Column:
    description = f"{zh}：{form} / {en}: {form}"
    return Column(
        name,
        title=(zh, en),
        description=description,
        pattern=pattern,
        unique=key,
        required=required,
    )


_DISCLOSURE_ID = ("披露编号", "disclosure id", DISCLOSURE_ID_PATTERN, "{department_code}/{year}")
_PROJECT_ID = ("项目标识", "project id", PROJECT_ID_PATTERN, "{disclosure_id}/{project_code}")
_INDICATOR_ID = ("指标标识", "indicator id", INDICATOR_ID_PATTERN, "{project_id}/{ordinal}")
_ORDER = ("顺序", "order")
_TEXT = ("内容", "text")
_GOAL_KINDS = {
    "overall": (Disclosure, "overall_goal"),
    "itemised": (Disclosure, "itemised_goals"),
    "safeguard": (Disclosure, "safeguard_measures"),
}
_FIRST_LINE = ("来源起始行", "first line in the source document")


def _order(description: str) -> Column:
    return Column("order", title=_ORDER, type="integer", minimum=1, description=description)


def _to_disclosures(target: str = "disclosure_id") -> ForeignKey:
    return ForeignKey((target,), "disclosures", ("disclosure_id",))


def _to_projects(target: str = "project_id") -> ForeignKey:
    return ForeignKey((target,), "projects", ("project_id",))


def _concept_column(name: str, level: str, concepts: dict[str, Concept]) -> Column:
    codes = "; ".join(f"{c.code} = {c.zh} / {c.en}" for c in concepts.values())
    return Column(
        name,
        (CategoryRef, "concept"),
        within=(Indicator, level),
        enum=tuple(concepts),
        description=f"指标体系中的类别代码 / concept of the indicator scheme: {codes}",
    )


def _goal_kind_description() -> str:
    parts = [f"{kind} = {' / '.join(_titles(*source))}" for kind, source in _GOAL_KINDS.items()]
    return "目标类别 / kind of goal: " + "; ".join(parts)


RESOURCES: tuple[ResourceSpec, ...] = (
    ResourceSpec(
        "disclosures",
        ("绩效目标公开文件", "disclosures"),
        "每行一份部门预算绩效目标公开文件 / one row per published disclosure",
        (
            _id("disclosure_id", *_DISCLOSURE_ID, key=True),
            Column("department_code", (Disclosure, "department_code")),
            Column("department_name", (Disclosure, "department_name")),
            # Publishing needs the year: it is part of every key.
            Column("year", (Disclosure, "year"), required=True),
            Column("region", (Disclosure, "region")),
            Column(
                "currency_unit",
                (Disclosure, "currency_unit"),
                description="源文件的金额单位 / the unit of amounts in the source document",
            ),
            Column("publisher", (Disclosure, "publisher")),
            Column("license", (Disclosure, "license"), required=True),
            Column("source_url", (Disclosure, "source_url")),
            Column("source_file_name", (SourceDocument, "file_name")),
            Column("source_sha256", (SourceDocument, "sha256")),
            Column("source_media_type", (SourceDocument, "media_type")),
            Column("source_encoding", (SourceDocument, "encoding")),
        ),
        primary_key=("disclosure_id",),
    ),
    ResourceSpec(
        "department_goals",
        ("部门整体绩效目标", "department goals"),
        "部门整体绩效目标：总体目标、分项目标、工作保障措施 / "
        "a department's overall goal, itemised goals and safeguard measures",
        (
            _id("disclosure_id", *_DISCLOSURE_ID),
            Column(
                "kind",
                title=("目标类别", "kind of goal"),
                description=_goal_kind_description(),
                enum=tuple(_GOAL_KINDS),
            ),
            _order("在同类目标中的顺序 / position among goals of the same kind"),
            Column(
                "text", title=_TEXT, description="目标原文 / the goal as written", required=False
            ),
        ),
        primary_key=("disclosure_id", "kind", "order"),
        foreign_keys=(_to_disclosures(),),
    ),
    ResourceSpec(
        "projects",
        _titles(Disclosure, "projects"),
        "每行一个预算项目 / one row per budget project",
        (
            _id("project_id", *_PROJECT_ID, key=True),
            _id("disclosure_id", *_DISCLOSURE_ID),
            Column("sequence", (Project, "sequence")),
            Column("code", (Project, "code")),
            Column("name", (Project, "name")),
            _amount("budget_total"),
            _amount("fiscal_funds"),
            _amount("other_funds"),
            Column("use_of_funds", (Project, "use_of_funds")),
            Column("spending_plan_cumulative", (Project, "spending_plan_cumulative")),
            Column("source_line", title=_FIRST_LINE, type="integer", minimum=0),
        ),
        primary_key=("project_id",),
        foreign_keys=(_to_disclosures(),),
    ),
    ResourceSpec(
        "spending_plan",
        _titles(Project, "spending_plan"),
        "每行一个项目的一个支出时点 / one row per project and period",
        (
            _id("project_id", *_PROJECT_ID),
            _order("支出时点在计划中的顺序 / position of the period in the plan"),
            Column("period", (SpendingPlanEntry, "period")),
            Column("percent", (SpendingPlanEntry, "percent")),
        ),
        primary_key=("project_id", "order"),
        foreign_keys=(_to_projects(),),
    ),
    ResourceSpec(
        "project_goals",
        ("项目绩效目标", "project goals"),
        "每行一条项目绩效目标 / one row per goal of a project",
        (
            _id("project_id", *_PROJECT_ID),
            _order("目标在项目中的顺序 / position of the goal in its project"),
            Column(
                "text", title=_TEXT, description="目标原文 / the goal as written", required=False
            ),
        ),
        primary_key=("project_id", "order"),
        foreign_keys=(_to_projects(),),
    ),
    ResourceSpec(
        "indicators",
        _titles(Project, "indicators"),
        "每行一个绩效指标 / one row per performance indicator",
        (
            _id("indicator_id", *_INDICATOR_ID, key=True),
            _id("project_id", *_PROJECT_ID),
            Column("ordinal", (Indicator, "ordinal")),
            _concept_column("level1_concept", "level1", LEVEL1),
            Column("level1_label", (CategoryRef, "label"), within=(Indicator, "level1")),
            _concept_column("level2_concept", "level2", LEVEL2),
            Column("level2_label", (CategoryRef, "label"), within=(Indicator, "level2")),
            Column("name", (Indicator, "name")),
            Column("description", (Indicator, "description")),
            Column("target_raw", (Target, "raw")),
            Column("comparator", (Target, "comparator")),
            Column("value", (Target, "value")),
            Column("unit", (Target, "unit")),
            Column("kind", (Target, "kind")),
            Column("basis", (Indicator, "basis")),
            Column("weight", (Indicator, "weight")),
            Column("direction", (Indicator, "direction")),
            Column("source_line", title=_FIRST_LINE, type="integer", minimum=0),
        ),
        primary_key=("indicator_id",),
        foreign_keys=(_to_projects(),),
    ),
    ResourceSpec(
        "findings",
        ("质量问题", "quality findings"),
        "质量审查发现的问题，每行一条 / one row per quality finding",
        (
            _id("disclosure_id", *_DISCLOSURE_ID),
            _id("project_id", *_PROJECT_ID, required=False),
            _id("indicator_id", *_INDICATOR_ID, required=False),
            *(Column(name, (Finding, name)) for name in Finding.model_fields),
        ),
        foreign_keys=(
            _to_disclosures(),
            _to_projects(),
            ForeignKey(("indicator_id",), "indicators", ("indicator_id",)),
        ),
    ),
)


def package_resources() -> tuple[ResourceSpec, ...]:
    """The resources of every jixiao data package, in publishing order."""
    return RESOURCES
