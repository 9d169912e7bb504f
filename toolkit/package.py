"""The Frictionless data package: what journalists, auditors and citizens download.

    write_package(disclosures, folder, ...)  datapackage.json, one CSV per resource, a workbook
    zip_package(folder, zip_path)            the folder as one byte-stable zip
    validate_package(path)                   Frictionless validation + the rules it cannot say
    build_package(disclosures, folder, ...)  the three at once, as the build makes a package

The resources and their Table Schemas are declared in :mod:`toolkit.package_schema`, derived
from the model. Files are streamed into a hidden folder inside ``folder`` (never held whole
in memory) and moved into place together, so a refused or failed write leaves no
half-written package. The same input gives the same bytes: the creation time is passed in,
and nothing depends on the clock, the machine or the folder.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import Any

from toolkit.check import Problem
from toolkit.errors import OutputError
from toolkit.memory import frozen_heap
from toolkit.model import Disclosure
from toolkit.package_check import checking_tables, finish_validation, validate_package
from toolkit.package_files import Staging, write_zip_file
from toolkit.package_rows import disclosure_id, resource_rows
from toolkit.package_schema import CURRENCY_UNITS, ResourceSpec, package_resources
from toolkit.quality.finding import Finding
from toolkit.xlsx import Sheet, write_workbook

__all__ = [
    "DESCRIPTOR",
    "PACKAGE_VERSION",
    "build_package",
    "validate_package",
    "write_package",
    "zip_package",
]

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
KEYWORDS = ("预算绩效目标", "绩效指标", "项目支出", "budget", "performance indicators", "open data")
# The descriptor of the CSV files alone, which build_package validates while it writes the
# workbook; hidden, so never published nor zipped.
TABLES_DESCRIPTOR = ".tables.json"
_CSV_CHUNK_ROWS = 5000


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


def _csv_chunks(spec: ResourceSpec, rows: Sequence[Sequence[Any]]) -> Iterator[bytes]:
    """The CSV file of ``rows``, a few thousand rows at a time."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([c.name for c in spec.columns])
    for start in range(0, len(rows), _CSV_CHUNK_ROWS):
        # The csv module writes text, integers and None (as nothing) as cell_text would;
        # only the other values go through it.
        writer.writerows(
            [v if v is None or type(v) is str or type(v) is int else cell_text(v) for v in row]
            for row in rows[start : start + _CSV_CHUNK_ROWS]
        )
        yield buffer.getvalue().encode("utf-8")
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


def csv_bytes(spec: ResourceSpec, rows: Sequence[Sequence[Any]]) -> bytes:
    """The CSV file of one resource's ``rows``."""
    return b"".join(_csv_chunks(spec, rows))


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


def _timestamp(created: datetime) -> str:
    if created.tzinfo is None:
        raise ValueError("created must be timezone-aware")
    return created.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _source(d: Disclosure) -> dict[str, Any]:
    source: dict[str, Any] = {"title": f"{d.department_name} {d.year}: {d.source.file_name}"}
    if d.source_url:
        source["path"] = d.source_url
    source["sha256"] = d.source.sha256
    return source


class _Writer:
    """One package's files, written into a :class:`Staging`: the CSV files first (they are
    all a validation needs), then the workbook and the descriptor."""

    def __init__(
        self,
        disclosures: Sequence[Disclosure],
        findings: Sequence[Finding],
        folder: Path,
        created: datetime,
        homepage: str,
        title: str | None,
    ) -> None:
        self.stamp = _timestamp(created)
        _refuse_unpublishable(disclosures, findings, folder)
        self.disclosures, self.findings = disclosures, findings
        self.created, self.homepage = created, homepage
        self.unit = _currency_unit(disclosures)
        self.name = _package_name(disclosures)
        self.title = title or _title(disclosures)
        self.rows: dict[str, list[tuple[Any, ...]]] = {}
        self.tables: list[dict[str, Any]] = []

    def write_tables(self, staging: Staging) -> list[str]:
        """Write one CSV file per resource; their names."""
        self.rows = resource_rows(self.disclosures, self.findings, self.unit)
        for spec in package_resources():
            size, sha256 = staging.write(spec.path, _csv_chunks(spec, self.rows[spec.name]))
            zh, en = spec.title
            self.tables.append(
                {
                    "name": spec.name,
                    "path": spec.path,
                    "title": f"{zh} / {en}",
                    "description": spec.description,
                    "format": "csv",
                    "mediatype": "text/csv",
                    "encoding": "utf-8",
                    "dialect": CSV_DIALECT,
                    "schema": spec.table_schema(self.unit),
                    "bytes": size,
                    "hash": f"sha256:{sha256}",
                }
            )
        return [table["name"] for table in self.tables]

    def write_tables_descriptor(self, staging: Staging) -> Path:
        """A hidden descriptor of the CSV files alone, to validate them by."""
        staging.write(TABLES_DESCRIPTOR, [_json(self._descriptor(self.tables))])
        return staging.path / TABLES_DESCRIPTOR

    def write_rest(self, staging: Staging) -> None:
        """Write the workbook (of the rows the CSV files were written from) and the
        descriptor."""
        specs = package_resources()
        sheets = [
            Sheet(
                spec.title[0], [c.titles(self.unit)[0] for c in spec.columns], self.rows[spec.name]
            )
            for spec in specs
        ]
        path = f"{self.name}.xlsx"
        with staging.open(path) as stream:
            write_workbook(stream, sheets, created=self.created, title=self.title)
        self.rows = {}
        size, sha256 = staging.digest(path)
        workbook = {
            "name": "workbook",
            "path": path,
            "type": "file",
            "title": "Excel 工作簿（每个资源一张工作表）/ Excel workbook, one sheet per resource",
            "format": "xlsx",
            "mediatype": XLSX_MEDIA_TYPE,
            "bytes": size,
            "hash": f"sha256:{sha256}",
        }
        staging.write(DESCRIPTOR, [_json(self._descriptor([*self.tables, workbook]))])

    def _descriptor(self, resources: list[dict[str, Any]]) -> dict[str, Any]:
        disclosures = self.disclosures
        return {
            "name": self.name,
            "title": self.title,
            "description": _description(disclosures, self.unit),
            "version": PACKAGE_VERSION,
            "created": self.stamp,
            "homepage": self.homepage,
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


def _json(descriptor: dict[str, Any]) -> bytes:
    return (json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


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
    writer = _Writer(disclosures, findings, folder, created, homepage, title)
    with frozen_heap(), Staging(folder) as staging:
        writer.write_tables(staging)
        writer.write_rest(staging)
        staging.commit()
    return folder / DESCRIPTOR


def build_package(
    disclosures: Sequence[Disclosure],
    folder: Path,
    *,
    zip_path: Path,
    findings: Sequence[Finding] = (),
    created: datetime,
    homepage: str,
    title: str | None = None,
    jobs: int = 1,
) -> list[Problem]:
    """:func:`write_package`, then :func:`zip_package` and :func:`validate_package`, at once:
    write the package into ``folder`` and its zip to ``zip_path``; return its problems.

    With ``jobs`` above 1, worker processes validate the CSV files as soon as they are
    written, while this process writes the workbook and the zip; the problems are those
    :func:`validate_package` reports, whatever ``jobs`` is. The zip holds the package's own
    files. Nothing is moved into place before every file is written and validated.
    """
    folder, zip_path = Path(folder), Path(zip_path)
    writer = _Writer(disclosures, findings, folder, created, homepage, title)
    with frozen_heap(), Staging(folder) as staging, Staging(zip_path.parent) as zipped:
        names = writer.write_tables(staging)
        tables = writer.write_tables_descriptor(staging)
        with checking_tables(tables, names, jobs) as gather:
            writer.write_rest(staging)
            published = sorted(name for name in staging.names if not name.startswith("."))
            with zipped.open(zip_path.name) as stream:
                write_zip_file(stream, staging.path, published, created)
            found = gather()
        # The workbook: the one resource the tables' descriptor lacks, and the last.
        problems = finish_validation(staging.path / DESCRIPTOR, found, ["workbook"])
        staging.commit()
        zipped.commit()
    return problems


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
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise OutputError(f"not a data package jixiao wrote: {error}", path=folder) from error
    with Staging(zip_path.parent) as staging:
        with staging.open(zip_path.name) as stream:
            names = [p.relative_to(folder).as_posix() for p in paths]
            write_zip_file(stream, folder, names, created)
        staging.commit()
    return zip_path
