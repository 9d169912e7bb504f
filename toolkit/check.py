"""Checks on the outputs, gathered into one :class:`Report`.

A package that fails Frictionless validation or a graph that fails SHACL is a *result*: the
report's ``ok`` is false and the CLI exits 1. Only an unusable input raises.

    check(path)   a data package folder or datapackage.json → Frictionless (+ cross-field rules)
                  a graph (.ttl, .nt, .jsonld)                → SHACL with the ontology and shapes
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from toolkit.errors import OutputError

__all__ = ["GRAPH_SUFFIXES", "Problem", "Report", "check"]

GRAPH_SUFFIXES = {".ttl", ".nt", ".jsonld", ".json-ld", ".rdf", ".xml"}


@dataclass(frozen=True)
class Problem:
    """One thing a check found wrong. ``where`` says where in the checked output
    (``resource projects, row 3, field code`` or a focus node and path)."""

    check: str
    where: str
    message: str
    severity: str = "error"


@dataclass
class Report:
    target: str
    checks: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not any(p.severity == "error" for p in self.problems)

    def to_json(self) -> str:
        payload = {
            "target": self.target,
            "ok": self.ok,
            "checks": self.checks,
            "problems": [asdict(p) for p in self.problems],
        }
        return json.dumps(payload, ensure_ascii=False, indent=2)


def check(path: str | Path) -> Report:
    """Validate a data package or a graph; the kind is told by the path."""
    path = Path(path)
    if not path.exists():
        raise OutputError("no such file or folder", path=path)
    report = Report(target=str(path))
    if path.is_dir() or path.name.endswith("datapackage.json"):
        from toolkit.package import validate_package

        report.checks.append("frictionless")
        report.problems.extend(validate_package(path))
    elif path.suffix.lower() in GRAPH_SUFFIXES:
        from toolkit.shacl import validate_graph_file

        report.checks.append("shacl")
        report.problems.extend(validate_graph_file(path))
    else:
        raise OutputError(
            "not a data package (folder or datapackage.json) or a graph (.ttl, .nt, .jsonld)",
            path=path,
        )
    return report
