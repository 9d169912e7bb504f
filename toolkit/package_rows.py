"""The model as rows: one list per resource of the data package, values in column order.

Keys follow :mod:`toolkit.package_schema`: ``{department_code}/{year}``, then the project
code, then the indicator ordinal. Values stay model values (``Decimal``, enums, ``None``);
the writers decide how each is spelled in a CSV cell or a workbook cell.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from decimal import Decimal
from operator import itemgetter
from typing import Any

from toolkit.model import Disclosure, Indicator
from toolkit.package_schema import package_resources
from toolkit.quality.finding import Finding

__all__ = ["disclosure_id", "resource_rows"]

Row = dict[str, Any]


def disclosure_id(department_code: str, year: int | None) -> str:
    """The key of one department's disclosure for one year."""
    return f"{department_code}/{year}"


def _scale(value: Decimal | None, factor: int) -> Decimal | None:
    # Exact: scaleb moves the decimal point, so 1250.60 元 becomes 0.125060 万元.
    return value.scaleb(factor) if value is not None and factor else value


def _disclosure_rows(d: Disclosure, did: str) -> Iterator[Row]:
    yield {
        "disclosure_id": did,
        "department_code": d.department_code,
        "department_name": d.department_name,
        "year": d.year,
        "region": d.region,
        "currency_unit": d.currency_unit,
        "publisher": d.publisher,
        "license": d.license,
        "source_url": d.source_url,
        "source_file_name": d.source.file_name,
        "source_sha256": d.source.sha256,
        "source_media_type": d.source.media_type,
        "source_encoding": d.source.encoding,
    }


def _department_goal_rows(d: Disclosure, did: str) -> Iterator[Row]:
    goals = {
        "overall": [d.overall_goal] if d.overall_goal else [],
        "itemised": d.itemised_goals,
        "safeguard": d.safeguard_measures,
    }
    for kind, texts in goals.items():
        for order, text in enumerate(texts, start=1):
            yield {"disclosure_id": did, "kind": kind, "order": order, "text": text}


def _project_rows(d: Disclosure, did: str, factor: int) -> dict[str, list[Row]]:
    names = ("projects", "spending_plan", "project_goals", "indicators")
    rows: dict[str, list[Row]] = {name: [] for name in names}
    for p in d.projects:
        pid = f"{did}/{p.code}"
        rows["projects"].append(
            {
                "project_id": pid,
                "disclosure_id": did,
                "sequence": p.sequence,
                "code": p.code,
                "name": p.name,
                "budget_total": _scale(p.budget_total, factor),
                "fiscal_funds": _scale(p.fiscal_funds, factor),
                "other_funds": _scale(p.other_funds, factor),
                "use_of_funds": p.use_of_funds,
                "spending_plan_cumulative": p.spending_plan_cumulative,
                "source_line": p.source.first,
            }
        )
        for order, entry in enumerate(p.spending_plan, start=1):
            rows["spending_plan"].append(
                {
                    "project_id": pid,
                    "order": order,
                    "period": entry.period,
                    "percent": entry.percent,
                }
            )
        for order, text in enumerate(p.goals, start=1):
            rows["project_goals"].append({"project_id": pid, "order": order, "text": text})
        rows["indicators"].extend(_indicator_row(pid, i) for i in p.indicators)
    return rows


def _indicator_row(pid: str, i: Indicator) -> Row:
    return {
        "indicator_id": f"{pid}/{i.ordinal}",
        "project_id": pid,
        "ordinal": i.ordinal,
        "level1_concept": i.level1.concept,
        "level1_label": i.level1.label,
        "level2_concept": i.level2.concept,
        "level2_label": i.level2.label,
        "name": i.name,
        "description": i.description,
        "target_raw": i.target.raw,
        "comparator": i.target.comparator,
        "value": i.target.value,
        "unit": i.target.unit,
        "kind": i.target.kind,
        "basis": i.basis,
        "weight": i.weight,
        "direction": i.direction,
        "source_line": i.source.first,
    }


# Read once: pydantic's class property builds its answer on every access.
_FINDING_FIELDS = tuple(Finding.model_fields)


def _finding_row(f: Finding) -> Row:
    did = disclosure_id(f.department_code, f.year)
    pid = f"{did}/{f.project_code}" if f.project_code is not None else None
    iid = f"{pid}/{f.indicator_ordinal}" if pid and f.indicator_ordinal is not None else None
    return {
        "disclosure_id": did,
        "project_id": pid,
        "indicator_id": iid,
        **{name: getattr(f, name) for name in _FINDING_FIELDS},
    }


def resource_rows(
    disclosures: Sequence[Disclosure], findings: Sequence[Finding], currency_unit: str
) -> dict[str, list[tuple[Any, ...]]]:
    """Every resource's rows, as tuples of values in column order.

    Amounts are given in ``currency_unit``; a disclosure in 元 published in 万元 has its
    amounts divided by 10,000 exactly.
    """
    getters = {spec.name: _getter([c.name for c in spec.columns]) for spec in package_resources()}
    rows: dict[str, list[tuple[Any, ...]]] = {name: [] for name in getters}

    def add(name: str, more: Iterable[Row]) -> None:
        # Each row's dictionary lives only until its tuple is made: holding every row twice
        # was most of the package stage's memory.
        rows[name].extend(map(getters[name], more))

    for d in disclosures:
        did = disclosure_id(d.department_code, d.year)
        factor = -4 if (d.currency_unit, currency_unit) == ("元", "万元") else 0
        add("disclosures", _disclosure_rows(d, did))
        add("department_goals", _department_goal_rows(d, did))
        for name, more in _project_rows(d, did, factor).items():
            add(name, more)
    add("findings", (_finding_row(f) for f in findings))
    return rows


def _getter(names: list[str]) -> Callable[[Row], tuple[Any, ...]]:
    """A row's values in the order of ``names``, as a tuple (itemgetter of one name would
    give the value alone)."""
    if len(names) == 1:
        return lambda row: (row[names[0]],)
    return itemgetter(*names)
