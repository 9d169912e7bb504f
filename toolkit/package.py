"""The Frictionless data package: what journalists, auditors and citizens download.

    write_package(disclosures, folder, ...)  datapackage.json, one CSV per resource, a workbook
    zip_package(folder, zip_path)            the folder as one byte-stable zip
    validate_package(path)                   Frictionless validation + the rules it cannot say

The resources and their Table Schemas are declared in :mod:`toolkit.package_schema`, derived
from the model. Files are built in memory and moved into place together, so a refused or
failed write leaves no half-written package. The same input gives the same bytes: the
creation time is passed in, and nothing depends on the clock, the machine or the folder.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import tempfile
from collections.abc import Sequence
from datetime import UTC, datetime
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import Any

from frictionless import FrictionlessException, Package

from toolkit.check import Problem
from toolkit.errors import OutputError
from toolkit.model import Disclosure
from toolkit.package_rows import disclosure_id, resource_rows
from toolkit.package_schema import CURRENCY_UNITS, ResourceSpec, package_resources
from toolkit.quality.finding import Finding
from toolkit.xlsx import Sheet, workbook_bytes, zip_bytes

__all__ = ["DESCRIPTOR", "PACKAGE_VERSION", "validate_package", "write_package", "zip_package"]

DESCRIPTOR = "datapackage.json"
# The version of the package's layout: bumped when a resource or a column changes.
PACKAGE_VERSION = "1.0.0"
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Stated, not sniffed: Frictionless guesses the delimiter of a CSV without a dialect.
CSV_DIALECT = {
    "delimiter": ",",
    "lineTerminator": "\n",
    "quoteChar": '"',
    "doubleQuote": True,
    "skipInitialSpace": False,
    "header": True,
}
FRICTIONLESS = "frictionless"
CROSS_FIELD = "cross-field"
KEYWORDS = ("预算绩效目标", "绩效指标", "项目支出", "budget", "performance indicators", "open data")


def cell_text(value: Any) -> str:
    """A value as written in the CSV: empty for null, decimals in plain notation with
    exactly the digits of the model, never through a float."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def csv_bytes(spec: ResourceSpec, rows: Sequence[Sequence[Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([c.name for c in spec.columns])
    writer.writerows([cell_text(v) for v in row] for row in rows)
    return buffer.getvalue().encode("utf-8")


def _refuse_unpublishable(
    disclosures: Sequence[Disclosure], findings: Sequence[Finding], folder: Path
) -> None:
    if not disclosures:
        raise OutputError("nothing to publish: no disclosure was given", path=folder)
    seen: set[str] = set()
    for d in disclosures:
        where = f"{d.source.file_name} ({d.department_code} {d.department_name})"
        if not d.license:
            raise OutputError(
                f"{where} has no license; set `license` in its NAME.meta.toml or in "
                "jixiao.toml (e.g. CC-BY-4.0) to publish it",
                path=folder,
            )
        if d.year is None:
            raise OutputError(
                f"{where} has no budget year; set `year` in its metadata to publish it",
                path=folder,
            )
        key = disclosure_id(d.department_code, d.year)
        if key in seen:
            raise OutputError(f"two disclosures of department/year {key}", path=folder)
        seen.add(key)
    for f in findings:
        key = disclosure_id(f.department_code, f.year)
        if key not in seen:
            raise OutputError(
                f"finding {f.rule} is about {key}, which is not published", path=folder
            )


def _currency_unit(disclosures: Sequence[Disclosure]) -> str:
    units = {d.currency_unit for d in disclosures}
    # Mixed units are published in 万元, the unit of most disclosures.
    return units.pop() if len(units) == 1 else "万元"


def _package_name(disclosures: Sequence[Disclosure]) -> str:
    if len(disclosures) == 1:
        d = disclosures[0]
        return f"jixiao-{d.department_code.lower()}-{d.year}"
    return "jixiao-performance-goals"


def _years(disclosures: Sequence[Disclosure]) -> str:
    years = sorted({d.year for d in disclosures if d.year is not None})
    if len(years) > 1 and years[-1] - years[0] == len(years) - 1:
        return f"{years[0]}–{years[-1]}"
    return "、".join(str(y) for y in years)


def _title(disclosures: Sequence[Disclosure]) -> str:
    years = _years(disclosures)
    if len(disclosures) == 1:
        d = disclosures[0]
        zh = f"{d.region or ''}{d.department_name} {years} 年预算绩效目标"
        return f"{zh} / Budget performance goals of department {d.department_code}, {years}"
    return f"{years} 年预算绩效目标 / Budget performance goals, {years}"


def _description(disclosures: Sequence[Disclosure], unit: str) -> str:
    specs = package_resources()
    names = sorted({d.department_name for d in disclosures})
    who_zh = "、".join(names) if len(names) <= 3 else f"{len(names)} 个部门"
    count = len(names)
    who_en = f"{count} department" + ("s" if count > 1 else "")
    years = _years(disclosures)
    zh = (
        f"{who_zh} {years} 年部门整体绩效目标和项目支出绩效目标，由 jixiao 从公开文件中提取："
        f"{'、'.join(s.title[0] for s in specs)}。金额单位：{unit}。"
    )
    en = (
        f"Budget performance goals of {who_en} for {years}, extracted by jixiao from the "
        f"published disclosures: {', '.join(s.title[1] for s in specs)}. "
        f"Amounts in {CURRENCY_UNITS[unit]} ({unit})."
    )
    return f"{zh}\n\n{en}"


def _sorted_unique(values: Sequence[str | None]) -> list[str]:
    return sorted({v for v in values if v})


def _file_resource(name: str, path: str, data: bytes, **extra: Any) -> dict[str, Any]:
    return {
        "name": name,
        "path": path,
        **extra,
        "bytes": len(data),
        "hash": f"sha256:{hashlib.sha256(data).hexdigest()}",
    }


def _timestamp(created: datetime) -> str:
    if created.tzinfo is None:
        raise ValueError("created must be timezone-aware")
    return created.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def write_package(
    disclosures: Sequence[Disclosure],
    folder: Path,
    *,
    findings: Sequence[Finding] = (),
    created: datetime,
    homepage: str,
    title: str | None = None,
) -> Path:
    """Write the data package of ``disclosures`` (and their quality ``findings``) into
    ``folder``: ``datapackage.json``, one CSV per resource and an ``.xlsx`` workbook of the
    same rows. Returns the path of ``datapackage.json``.

    ``created`` (timezone-aware) is the package's creation time, fixed by the build so
    that builds are byte-identical. Raises :class:`~toolkit.errors.OutputError` without
    writing anything when a disclosure has no license or no year, or the folder cannot
    be written.
    """
    folder = Path(folder)
    stamp = _timestamp(created)
    _refuse_unpublishable(disclosures, findings, folder)
    unit = _currency_unit(disclosures)
    rows = resource_rows(disclosures, findings, unit)
    name = _package_name(disclosures)
    title = title or _title(disclosures)
    files: dict[str, bytes] = {}
    resources: list[dict[str, Any]] = []
    sheets: list[Sheet] = []
    for spec in package_resources():
        data = csv_bytes(spec, rows[spec.name])
        files[spec.path] = data
        zh, en = spec.title
        resources.append(
            _file_resource(
                spec.name,
                spec.path,
                data,
                title=f"{zh} / {en}",
                description=spec.description,
                format="csv",
                mediatype="text/csv",
                encoding="utf-8",
                dialect=CSV_DIALECT,
                schema=spec.table_schema(unit),
            )
        )
        header = [c.titles(unit)[0] for c in spec.columns]
        sheets.append(Sheet(zh, header, rows[spec.name]))
    workbook_path = f"{name}.xlsx"
    workbook = workbook_bytes(sheets, created=created, title=title)
    files[workbook_path] = workbook
    resources.append(
        _file_resource(
            "workbook",
            workbook_path,
            workbook,
            type="file",
            title="Excel 工作簿（每个资源一张工作表）/ Excel workbook, one sheet per resource",
            format="xlsx",
            mediatype=XLSX_MEDIA_TYPE,
        )
    )
    descriptor = {
        "name": name,
        "title": title,
        "description": _description(disclosures, unit),
        "version": PACKAGE_VERSION,
        "created": stamp,
        "homepage": homepage,
        "keywords": [
            *KEYWORDS,
            *_sorted_unique([d.region for d in disclosures]),
            *_sorted_unique([d.department_name for d in disclosures]),
        ],
        "licenses": [
            {"name": license} for license in _sorted_unique([d.license for d in disclosures])
        ],
        "contributors": [
            {"title": publisher, "role": "publisher"}
            for publisher in _sorted_unique([d.publisher for d in disclosures])
        ],
        "sources": [_source(d) for d in disclosures],
        "resources": resources,
    }
    text = json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n"
    files[DESCRIPTOR] = text.encode("utf-8")
    _write_files(folder, files)
    return folder / DESCRIPTOR


def _source(d: Disclosure) -> dict[str, Any]:
    source: dict[str, Any] = {"title": f"{d.department_name} {d.year}: {d.source.file_name}"}
    if d.source_url:
        source["path"] = d.source_url
    source["sha256"] = d.source.sha256
    return source


def _write_files(folder: Path, files: dict[str, bytes]) -> None:
    """Write every file beside its target first, then move them all into place."""
    staged: list[tuple[Path, Path]] = []
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for name, data in files.items():
            handle, temporary = tempfile.mkstemp(prefix=f".{name}.", dir=folder)
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
            os.chmod(temporary, 0o644)
            staged.append((Path(temporary), folder / name))
        for temporary, target in staged:
            os.replace(temporary, target)
    except OSError as error:
        for temporary, _ in staged:
            temporary.unlink(missing_ok=True)
        raise OutputError(
            f"cannot write the data package: {error.strerror or error}", path=folder
        ) from error


def zip_package(folder: Path, zip_path: Path) -> Path:
    """Zip the package in ``folder`` (its files at the root of the archive, sorted, each
    dated by the package's ``created`` time) into ``zip_path``; byte-stable."""
    folder, zip_path = Path(folder), Path(zip_path)
    try:
        descriptor = json.loads((folder / DESCRIPTOR).read_text(encoding="utf-8"))
        created = datetime.fromisoformat(descriptor["created"])
        paths = sorted(
            p
            for p in folder.rglob("*")
            if p.is_file() and not p.name.startswith(".") and p.resolve() != zip_path.resolve()
        )
        entries = [(p.relative_to(folder).as_posix(), p.read_bytes()) for p in paths]
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise OutputError(f"not a data package jixiao wrote: {error}", path=folder) from error
    _write_files(zip_path.parent, {zip_path.name: zip_bytes(entries, created)})
    return zip_path


def _where(resource: str | None, error: Any = None) -> str:
    parts = [f"resource {resource}"] if resource else ["package"]
    row = getattr(error, "row_number", None)
    if row is not None:
        parts.append(f"row {row}")
    fields = getattr(error, "field_names", None) or [getattr(error, "field_name", None)]
    fields = [f for f in fields if f]
    if fields:
        parts.append(f"field {', '.join(fields)}")
    return ", ".join(parts)


def _problem(error: Any, resource: str | None = None) -> Problem:
    # Where is said apart, so the message is the error's title and note (plus the cell),
    # not Frictionless's sentence that repeats the row and field positions.
    in_row = getattr(error, "row_number", None) is not None
    message = f"{error.title}: {error.note}" if in_row and error.note else error.message
    cell = getattr(error, "cell", None)
    if cell is not None and f'"{cell}"' not in message:
        message = f'{message}; the cell is "{cell}"'
    return Problem(FRICTIONLESS, _where(resource, error), f"{message} [{error.type}]")


def _sum_problems(package: Package) -> list[Problem]:
    """fiscal_funds + other_funds = budget_total, row by row: a rule across fields, which a
    Table Schema cannot state. Empty amounts count as 0 unless the total itself is empty."""
    names = ("budget_total", "fiscal_funds", "other_funds")
    problems: list[Problem] = []
    try:
        if not package.has_resource("projects"):
            return []
        resource = package.get_resource("projects").to_copy()
        if resource.schema is None or not set(names) <= set(resource.schema.field_names):
            return []
        # The foreign keys were checked by Frictionless; reading without them needs no lookup.
        resource.schema.foreign_keys = []
        with resource:
            for row in resource.row_stream:
                total, fiscal, other = (row[n] for n in names)
                if total is None or (fiscal is None and other is None):
                    continue
                parts = fiscal or Decimal(0), other or Decimal(0)
                if sum(parts, Decimal(0)) != total:
                    problems.append(
                        Problem(
                            CROSS_FIELD,
                            f"resource projects, row {row.row_number}, field budget_total",
                            f"fiscal_funds + other_funds = {parts[0]} + {parts[1]} = "
                            f"{sum(parts, Decimal(0))}, but budget_total is {total}",
                        )
                    )
    except FrictionlessException:
        return problems  # the resource cannot be read; Frictionless has said why
    return problems


def validate_package(path: Path) -> list[Problem]:
    """Validate the data package in folder ``path`` (or the ``datapackage.json`` at ``path``)
    with Frictionless, then check the rules a Table Schema cannot state.

    Each problem says where it is (``resource projects, row 3, field code``; rows are counted
    as Frictionless counts them, the header being row 1). Raises
    :class:`~toolkit.errors.OutputError` only when there is no descriptor to read.
    """
    path = Path(path)
    descriptor = path / DESCRIPTOR if path.is_dir() else path
    if not descriptor.is_file():
        raise OutputError(f"no {DESCRIPTOR} here", path=descriptor)
    try:
        package = Package(str(descriptor))
        report = package.validate()
    except FrictionlessException as exception:
        return [_problem(e) for e in exception.reasons or [exception.error]]
    problems = [_problem(e) for e in report.errors]
    problems += [Problem(FRICTIONLESS, "package", w, "warning") for w in report.warnings]
    for task in report.tasks:
        problems += [_problem(e, task.name) for e in task.errors]
        problems += [Problem(FRICTIONLESS, _where(task.name), w, "warning") for w in task.warnings]
    return problems + _sum_problems(package)
