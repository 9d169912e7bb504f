"""The Table Schemas cannot drift from the model.

Each column is compared with the model field it names, as pydantic's own JSON Schema
describes that field (an independent reading of the model): titles, description, type,
required, pattern, bounds and enum. What the package adds to the model is listed here, and
every field of the published models is either a column or listed as published otherwise.
"""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import BaseModel

from toolkit.model import (
    CategoryRef,
    Disclosure,
    Indicator,
    Project,
    SourceDocument,
    SpendingPlanEntry,
    Target,
)
from toolkit.package_schema import Column, package_resources
from toolkit.quality.finding import Finding
from toolkit.vocab import LEVEL1, LEVEL2

UNIT = "万元"
MODELS = (
    Disclosure,
    SourceDocument,
    Project,
    SpendingPlanEntry,
    Indicator,
    CategoryRef,
    Target,
    Finding,
)
# Fields published as rows of their own resource or as several columns, not as one column.
NOT_A_COLUMN = {
    (Disclosure, "source"): "source_* columns of disclosures",
    (Disclosure, "overall_goal"): "department_goals, kind overall",
    (Disclosure, "itemised_goals"): "department_goals, kind itemised",
    (Disclosure, "safeguard_measures"): "department_goals, kind safeguard",
    (Disclosure, "projects"): "the projects resource",
    (Disclosure, "warnings"): "reading diagnostics, shown by `jixiao parse`, not data",
    (Project, "spending_plan"): "the spending_plan resource",
    (Project, "goals"): "the project_goals resource",
    (Project, "indicators"): "the indicators resource",
    (Project, "source"): "source_line",
    (Indicator, "level1"): "level1_concept and level1_label",
    (Indicator, "level2"): "level2_concept and level2_label",
    (Indicator, "target"): "target_raw, comparator, value, unit, kind",
    (Indicator, "source"): "source_line",
}
# What the package says beyond the model, on purpose.
ADDED = {
    ("projects", "budget_total"): {"minimum": 0},
    ("projects", "fiscal_funds"): {"minimum": 0},
    ("projects", "other_funds"): {"minimum": 0},
    ("indicators", "level1_concept"): {"enum": list(LEVEL1)},
    ("indicators", "level2_concept"): {"enum": list(LEVEL2)},
    ("disclosures", "year"): {"required": True},
    ("disclosures", "license"): {"required": True},
}


def model_columns() -> list[tuple[str, Column]]:
    return [
        (spec.name, column)
        for spec in package_resources()
        for column in spec.columns
        if column.source is not None
    ]


def json_property(model: type[BaseModel], attribute: str) -> tuple[dict[str, Any], list[dict]]:
    """The field's JSON Schema property and its non-null alternatives, references resolved."""
    schema = model.model_json_schema()
    prop = schema["properties"][attribute]
    branches = prop.get("anyOf", [prop])
    resolved = []
    for branch in branches:
        if "$ref" in branch:
            branch = schema["$defs"][branch["$ref"].rsplit("/", 1)[1]]
        if branch.get("type") != "null":
            resolved.append(branch)
    return prop, resolved


def expected_type(branches: list[dict[str, Any]]) -> str:
    types = {b.get("type") for b in branches}
    if types == {"number", "string"}:  # pydantic's Decimal
        return "number"
    (only,) = types
    return {"string": "string", "integer": "integer", "boolean": "boolean"}[only]


@pytest.mark.parametrize(
    ("resource", "column"),
    model_columns(),
    ids=[f"{r}.{c.name}" for r, c in model_columns()],
)
def test_each_column_says_what_its_model_field_says(resource: str, column: Column) -> None:
    model, attribute = column.source  # type: ignore[misc]
    prop, branches = json_property(model, attribute)
    field = column.descriptor(UNIT)
    constraints = dict(field["constraints"])
    for key, value in ADDED.get((resource, column.name), {}).items():
        assert constraints.pop(key) == value
    assert prop["title_zh"] in field["title"].split(" / ")[0]
    assert prop["title_en"] in field["title"].split(" / ")[1]
    if column.description is None:
        assert field["description"] == prop["description"]
    assert field["type"] == expected_type(branches)
    nullable = "anyOf" in prop and any(b.get("type") == "null" for b in prop["anyOf"])
    bounds = {k: v for b in branches for k, v in b.items() if k in ("minimum", "maximum")}
    pattern = next((b["pattern"] for b in branches if "pattern" in b), None)
    min_length = next((b["minLength"] for b in branches if "minLength" in b), None)
    enum = next((b["enum"] for b in branches if "enum" in b), None)
    never_empty = field["type"] != "string" or bool(pattern or min_length or enum)
    model_requires = not nullable and never_empty
    if "required" in ADDED.get((resource, column.name), {}):
        assert not model_requires  # the package is stricter than the model here
    else:
        assert constraints.pop("required") == model_requires
    if pattern is not None:
        assert constraints.pop("pattern") == pattern.removeprefix("^").removesuffix("$")
    if min_length is not None:
        assert constraints.pop("minLength") == min_length
    if enum is not None:
        assert constraints.pop("enum") == enum
    for key, value in bounds.items():
        assert constraints.pop(key) == value
    assert constraints == {}, "a constraint the model does not have"


def test_every_field_of_the_published_models_is_published() -> None:
    columns = {column.source for _, column in model_columns()}
    for model in MODELS:
        for attribute in model.model_fields:
            assert (model, attribute) in columns or (model, attribute) in NOT_A_COLUMN, (
                f"{model.__name__}.{attribute} is not in the package"
            )


def test_every_column_name_is_snake_case_and_unique_in_its_resource() -> None:
    for spec in package_resources():
        names = [c.name for c in spec.columns]
        assert len(set(names)) == len(names)
        assert all(n.isascii() and n == n.lower() and " " not in n for n in names)


def test_every_key_names_columns_of_its_resources() -> None:
    specs = {spec.name: spec for spec in package_resources()}
    for spec in specs.values():
        names = {c.name for c in spec.columns}
        assert set(spec.primary_key) <= names
        for fk in spec.foreign_keys:
            assert set(fk.fields) <= names
            target = specs[fk.resource]
            assert fk.reference == target.primary_key


def test_units_come_with_the_amounts_and_percents_only() -> None:
    units = {
        (spec.name, column.name): column.descriptor(UNIT).get("unit")
        for spec in package_resources()
        for column in spec.columns
    }
    assert {key: unit for key, unit in units.items() if unit} == {
        ("projects", "budget_total"): "万元",
        ("projects", "fiscal_funds"): "万元",
        ("projects", "other_funds"): "万元",
        ("spending_plan", "percent"): "%",
    }
