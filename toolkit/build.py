"""The whole build: read every document, then write each output into ``build/``.

Outputs are written into a temporary folder beside the target and moved into place only when
every stage succeeded, so a failed build leaves the previous output untouched.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from toolkit.config import BuildConfig
from toolkit.model import Disclosure
from toolkit.reading import read

__all__ = ["BuildReport", "build"]


@dataclass
class BuildReport:
    output: Path
    documents: int = 0
    projects: int = 0
    indicators: int = 0
    stage_seconds: dict[str, float] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        lines = [
            f"built {self.output}: {self.documents} documents, {self.projects} projects, "
            f"{self.indicators} indicators"
        ]
        lines += [f"  {stage}: {seconds:.2f} s" for stage, seconds in self.stage_seconds.items()]
        lines += [f"  problem: {problem}" for problem in self.problems]
        return "\n".join(lines)


def _write_model(disclosures: list[Disclosure], folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    payload = [d.model_dump(mode="json") for d in disclosures]
    text = json.dumps(payload, ensure_ascii=False, indent=2, sort_keys=False) + "\n"
    (folder / "disclosures.json").write_text(text, encoding="utf-8")


def build(config: BuildConfig, *, output: Path | None = None) -> BuildReport:
    """Build every output of ``config`` into ``output`` (default: ``config.output``)."""
    target = Path(output or config.output).resolve()
    report = BuildReport(output=target)
    started = time.perf_counter()
    disclosures = [read(path, metadata=meta) for path, meta in config.document_paths()]
    report.stage_seconds["parse"] = time.perf_counter() - started
    report.documents = len(disclosures)
    report.projects = sum(len(d.projects) for d in disclosures)
    report.indicators = sum(d.indicator_count for d in disclosures)

    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
    staging.chmod(0o755)
    try:
        _write_model(disclosures, staging)
        _replace(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return report


def _replace(staging: Path, target: Path) -> None:
    previous = target.with_name(f".{target.name}-previous")
    shutil.rmtree(previous, ignore_errors=True)
    if target.exists():
        target.rename(previous)
    staging.rename(target)
    shutil.rmtree(previous, ignore_errors=True)
