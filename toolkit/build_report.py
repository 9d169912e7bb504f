"""What a build did: :class:`BuildReport`, written as ``report.json`` and summed up on the
terminal."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from toolkit import __version__

__all__ = ["BuildReport", "DocumentSummary", "Skipped"]


@dataclass(frozen=True)
class Skipped:
    """A document left out of a ``keep_going`` build, with where and why."""

    file: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line is not None else self.file
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class DocumentSummary:
    file: str
    sha256: str
    department_code: str
    department_name: str
    year: int | None
    projects: int
    indicators: int
    warnings: int


@dataclass
class BuildReport:
    """What a build did. :meth:`to_json` (written as ``report.json``) leaves out the timings
    and memory figures on purpose: report.json is an output like the others and must be
    byte-identical from run to run; the timings are in :meth:`summary` and in
    ``stage_seconds`` / ``peak_rss_kib`` for callers such as the benchmark."""

    output: Path
    build_time: datetime
    jobs: int = 1
    documents: list[DocumentSummary] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    triples: int | None = None
    findings: dict[str, int] | None = None
    validation: dict[str, dict[str, Any]] = field(default_factory=dict)
    stage_seconds: dict[str, float] = field(default_factory=dict)
    stage_cpu_seconds: dict[str, float] = field(default_factory=dict)
    peak_rss_kib: dict[str, tuple[int, int]] = field(default_factory=dict)
    input_bytes: int = 0

    @property
    def projects(self) -> int:
        return sum(d.projects for d in self.documents)

    @property
    def indicators(self) -> int:
        return sum(d.indicators for d in self.documents)

    @property
    def ok(self) -> bool:
        """True when every validation of the outputs passed (skipped documents aside)."""
        return all(result["ok"] for result in self.validation.values())

    def to_json(self) -> str:
        payload = {
            "generator": f"jixiao {__version__}",
            "build_time": self.build_time.isoformat().replace("+00:00", "Z"),
            "ok": self.ok,
            "totals": {
                "documents": len(self.documents),
                "skipped": len(self.skipped),
                "projects": self.projects,
                "indicators": self.indicators,
                "warnings": sum(d.warnings for d in self.documents),
                "triples": self.triples,
            },
            "findings": self.findings,
            "validation": self.validation,
            "stages": list(self.stage_seconds),
            "documents": [asdict(d) for d in self.documents],
            "skipped": [asdict(s) for s in self.skipped],
        }
        return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"

    def summary(self) -> str:
        """The terminal summary: totals, findings, validation, skipped documents, timings."""
        lines = [
            f"built {self.output}: {len(self.documents)} documents, {self.projects} projects, "
            f"{self.indicators} indicators"
            + (f", {self.triples} triples" if self.triples is not None else "")
        ]
        if self.findings is not None:
            counts = ", ".join(f"{n} {severity}" for severity, n in self.findings.items())
            lines.append(f"  findings: {counts or 'none'}")
        for name, result in self.validation.items():
            verdict = "valid" if result["ok"] else f"INVALID ({len(result['problems'])} problems)"
            lines.append(f"  {name}: {verdict}")
        total = sum(self.stage_seconds.values())
        timings = ", ".join(f"{stage} {s:.2f} s" for stage, s in self.stage_seconds.items())
        lines.append(f"  time: {total:.2f} s with {self.jobs} jobs ({timings})")
        if self.skipped:
            lines.append(f"  SKIPPED {len(self.skipped)} documents that could not be read:")
            lines += [f"    {skipped}" for skipped in self.skipped]
        return "\n".join(lines)
