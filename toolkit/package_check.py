"""Checking a data package: Frictionless validation, resource by resource, and the rules a
Table Schema cannot state.

    validate_package(path, jobs=1)      every problem of the package at ``path``
    checking_tables(descriptor, names)  the same for some of its resources, started at once
                                        in a process pool (the build validates the CSV files
                                        while it writes the workbook)
    finish_validation(descriptor, ...)  the descriptor and the other resources, then all

Frictionless's own ``Package.validate`` checks the descriptor, then each resource in turn; it
cannot check resources in parallel when they have foreign keys (``parallel=True`` falls back
to one process), and ours all do. Each resource is validated here as that loop validates it,
in a process of its own when ``jobs`` allows: the resource of a freshly loaded package, with
the package for its foreign-key lookups, the default checklist and error limit. Every row of
every resource is read; the problems and their order are what ``Package.validate`` reports.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from frictionless import Checklist, FrictionlessException, Package
from frictionless.settings import DEFAULT_LIMIT_ERRORS

from toolkit.check import Problem
from toolkit.errors import OutputError
from toolkit.memory import frozen_heap
from toolkit.parallel import parallel_map

__all__ = [
    "CROSS_FIELD",
    "FRICTIONLESS",
    "Found",
    "checking_tables",
    "finish_validation",
    "validate_package",
]

DESCRIPTOR = "datapackage.json"
FRICTIONLESS = "frictionless"
CROSS_FIELD = "cross-field"
# The task of the rule across fields, beside the resources' names.
_SUMS = ":sums"
_SUM_FIELDS = ("budget_total", "fiscal_funds", "other_funds")


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
    problems: list[Problem] = []
    try:
        if not package.has_resource("projects"):
            return []
        resource = package.get_resource("projects").to_copy()
        if resource.schema is None or not set(_SUM_FIELDS) <= set(resource.schema.field_names):
            return []
        # The foreign keys were checked by Frictionless; reading without them needs no lookup.
        resource.schema.foreign_keys = []
        with resource:
            for row in resource.row_stream:
                total, fiscal, other = (row[n] for n in _SUM_FIELDS)
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


@dataclass(frozen=True)
class Found:
    """What validation found, in the order ``Package.validate`` reports it: the reports' own
    errors, their warnings, each resource's problems, then the sums across fields."""

    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    sums: list[Problem] = field(default_factory=list)

    def extended(self, other: Found) -> Found:
        """These findings followed by ``other``'s (resources later in the descriptor)."""
        return Found(
            self.errors + other.errors,
            self.warnings + other.warnings,
            self.problems + other.problems,
            self.sums + other.sums,
        )

    def all(self) -> list[Problem]:
        return [*self.errors, *self.warnings, *self.problems, *self.sums]


def _check_one(task: tuple[str, str]) -> Found:
    """Validate one resource of the package described at ``descriptor`` as
    ``Package.validate`` does (or check the sums): in a pool worker, or in this process."""
    descriptor, name = task
    package = Package(descriptor)
    if name == _SUMS:
        return Found(sums=_sum_problems(package))
    report = package.get_resource(name).validate(Checklist(), limit_errors=DEFAULT_LIMIT_ERRORS)
    problems: list[Problem] = []
    for task_report in report.tasks:
        problems += [_problem(e, task_report.name) for e in task_report.errors]
        problems += [
            Problem(FRICTIONLESS, _where(task_report.name), w, "warning")
            for w in task_report.warnings
        ]
    return Found(
        [_problem(e) for e in report.errors],
        [Problem(FRICTIONLESS, "package", w, "warning") for w in report.warnings],
        problems,
    )


def _cost(descriptor: dict[str, Any], name: str) -> int:
    """About how much a resource's validation reads: its file and those its foreign keys
    look up. The largest start first, so that no worker is left alone with one at the end."""
    resources = [r for r in descriptor.get("resources", []) if isinstance(r, dict)]
    sizes = {r.get("name"): r.get("bytes") if isinstance(r.get("bytes"), int) else 0
             for r in resources}  # fmt: skip
    resource = next((r for r in resources if r.get("name") == name), {})
    schema = resource.get("schema")
    keys = schema.get("foreignKeys", []) if isinstance(schema, dict) else []
    looked_up = {
        fk["reference"].get("resource")
        for fk in keys
        if isinstance(fk, dict) and isinstance(fk.get("reference"), dict)
    }
    return sizes.get(name, 0) + sum(sizes.get(other, 0) for other in looked_up)


@contextmanager
def checking_tables(
    descriptor: Path, names: Sequence[str], jobs: int, *, sums: bool = True
) -> Iterator[Callable[[], Found]]:
    """Start validating the resources ``names`` of the package described at ``descriptor``
    (and the sums across fields, unless not ``sums``) over ``jobs`` processes; the function
    yielded waits for what they found, resources in the order of ``names``.

    The workers only read the files. With one job the checks run when the function is
    called, in this process."""
    try:
        parsed = json.loads(descriptor.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        parsed = {}
    parsed = parsed if isinstance(parsed, dict) else {}
    order = sorted(range(len(names)), key=lambda i: (-_cost(parsed, names[i]), i))
    tasks = [(str(descriptor), names[i]) for i in order]
    tasks += [(str(descriptor), _SUMS)] if sums else []
    # A forked worker's collector would walk every object this process holds, and so copy
    # the memory they share; frozen, they are left alone.
    with frozen_heap(), parallel_map(_check_one, tasks, jobs) as results:

        def gather() -> Found:
            found = list(results)
            by_name = dict(zip(order, found, strict=False))
            total = Found()
            for index in range(len(names)):
                total = total.extended(by_name[index])
            return total.extended(found[-1]) if sums else total

        yield gather


def _load(descriptor: Path) -> Package | list[Problem]:
    """The package, or the problems of a descriptor that cannot be loaded or is invalid (as
    ``Package.validate`` finds them before any resource), with the sums if it loaded."""
    try:
        package = Package(str(descriptor))
    except FrictionlessException as exception:
        return [_problem(e) for e in exception.reasons or [exception.error]]
    try:
        package.to_descriptor(validate=True)
    except FrictionlessException as exception:
        return [_problem(e) for e in exception.to_errors()] + _sum_problems(package)
    return package


def finish_validation(descriptor: Path, tables: Found, rest: Sequence[str]) -> list[Problem]:
    """What :func:`validate_package` reports for the package described at ``descriptor``,
    given what :func:`checking_tables` found for its first resources: the descriptor is
    checked, and the resources ``rest``, which follow those in it, validated here."""
    package = _load(descriptor)
    if isinstance(package, list):
        return package
    found = tables
    for name in rest:
        found = found.extended(_check_one((str(descriptor), name)))
    return found.all()


def validate_package(path: Path, *, jobs: int = 1) -> list[Problem]:
    """Validate the data package in folder ``path`` (or the ``datapackage.json`` at ``path``)
    with Frictionless, then check the rules a Table Schema cannot state; ``jobs`` processes
    validate its resources (the problems are the same whatever it is).

    Each problem says where it is (``resource projects, row 3, field code``; rows are counted
    as Frictionless counts them, the header being row 1). Raises
    :class:`~toolkit.errors.OutputError` only when there is no descriptor to read.
    """
    path = Path(path)
    descriptor = path / DESCRIPTOR if path.is_dir() else path
    if not descriptor.is_file():
        raise OutputError(f"no {DESCRIPTOR} here", path=descriptor)
    package = _load(descriptor)
    if isinstance(package, list):
        return package
    with checking_tables(descriptor, package.resource_names, jobs) as gather:
        return gather().all()
