"""The build configuration, ``jixiao.toml``: parsed with tomllib, validated by pydantic.

Paths of documents are relative to the file; ``output`` is relative to the folder jixiao runs
in. A missing or wrong key is a one-line :class:`~toolkit.errors.ConfigError` naming the key
(``documents.2.year: Input should be greater than or equal to 1990``).
"""

from __future__ import annotations

import os
import tomllib
from datetime import UTC, datetime
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from toolkit.errors import ConfigError, OutputError
from toolkit.metadata import DocumentMetadata
from toolkit.quality.config import AuditConfig

__all__ = [
    "CONFIG_NAME",
    "DEFAULT_CONFIG",
    "BuildConfig",
    "DocumentEntry",
    "SiteConfig",
    "load_config",
    "starter_config",
    "write_starter_config",
]

CONFIG_NAME = "jixiao.toml"
DEFAULT_CONFIG = Path(__file__).resolve().parent.parent / "examples" / CONFIG_NAME
DEFAULT_TIMESTAMP = datetime(2026, 1, 1, tzinfo=UTC)
_GLOB_CHARACTERS = "*?["


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SiteConfig(_Strict):
    title: str = Field(default="预算绩效目标公开", min_length=1)
    base_url: str = Field(default="https://example.org/jixiao", pattern=r"^https?://[^\s?#]+$")
    # Shown on the linked-data page: where the published graph can be queried.
    sparql_endpoint: str | None = Field(default=None, pattern=r"^https?://[^\s#<>\"]+$")

    @field_validator("base_url")
    @classmethod
    def _no_trailing_slash(cls, value: str) -> str:
        return value.rstrip("/")


class DocumentEntry(DocumentMetadata):
    """One document (or a glob of documents) and what it does not say about itself."""

    path: str = Field(min_length=1)


class BuildConfig(_Strict):
    site: SiteConfig = SiteConfig()
    publisher: str | None = None
    license: str | None = None
    output: Path = Path("build")
    timestamp: datetime | None = Field(
        default=None, description="fixed build time; default SOURCE_DATE_EPOCH, then 2026-01-01"
    )
    audit: AuditConfig = AuditConfig()
    documents: list[DocumentEntry] = Field(min_length=1)
    root: Path = Field(default=Path("."), exclude=True)

    @field_validator("timestamp")
    @classmethod
    def _utc(cls, value: datetime | None) -> datetime | None:
        # A naive time would otherwise be read in the builder's local zone: not reproducible.
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value

    def build_time(self) -> datetime:
        """The time every output states: ``timestamp``, else ``SOURCE_DATE_EPOCH``, else a
        fixed default; never the clock, so two builds are byte-identical."""
        if self.timestamp is not None:
            return self.timestamp.astimezone(UTC)
        epoch = os.environ.get("SOURCE_DATE_EPOCH")
        if epoch:
            try:
                return datetime.fromtimestamp(int(epoch), tz=UTC)
            except (ValueError, OverflowError, OSError) as error:
                raise ConfigError(
                    "must be a whole number of seconds since 1970", key="SOURCE_DATE_EPOCH"
                ) from error
        return DEFAULT_TIMESTAMP

    def document_paths(self) -> list[tuple[Path, DocumentMetadata]]:
        """Every document with its metadata overrides, globs expanded, in a stable order.

        A file listed twice (by two entries or overlapping globs) is a :class:`ConfigError`:
        it would give every one of its identifiers twice.
        """
        found: list[tuple[Path, DocumentMetadata]] = []
        listed_by: dict[Path, int] = {}
        for index, entry in enumerate(self.documents):
            key = f"documents.{index}.path"
            overrides = DocumentMetadata(**entry.model_dump(exclude={"path"}))
            defaults = {"publisher": self.publisher, "license": self.license}
            overrides = overrides.model_copy(
                update={
                    name: value
                    for name, value in defaults.items()
                    if value is not None and getattr(overrides, name) is None
                }
            )
            pattern = entry.path
            if Path(pattern).is_absolute() and any(ch in pattern for ch in _GLOB_CHARACTERS):
                raise ConfigError("a glob must be relative to the configuration file", key=key)
            if any(ch in pattern for ch in _GLOB_CHARACTERS):
                matches = sorted(p for p in self.root.glob(pattern) if p.is_file())
                if not matches:
                    raise ConfigError(f"no file matches {pattern!r}", key=key)
            else:
                path = self.root / pattern
                if not path.is_file():
                    raise ConfigError(f"no such file: {pattern}", key=key)
                matches = [path]
            for path in matches:
                resolved = path.resolve()
                if resolved in listed_by:
                    raise ConfigError(
                        f"{path.relative_to(self.root)} is already listed by "
                        f"documents.{listed_by[resolved]}.path",
                        key=key,
                    )
                listed_by[resolved] = index
                found.append((path, overrides))
        return found

    def relative(self, path: Path | str) -> str:
        """``path`` as written relative to the configuration file, for outputs and reports
        (an absolute path in an output would differ from machine to machine)."""
        path = Path(path)
        try:
            return path.resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return path.name


def load_config(path: Path | None = None) -> BuildConfig:
    """Load ``jixiao.toml``; a folder means its jixiao.toml. Without a path: the one in the
    current folder if there is one (where `jixiao init .` put it), else the bundled example's."""
    if path is None:
        path = CONFIG_NAME if Path(CONFIG_NAME).is_file() else DEFAULT_CONFIG
    path = Path(path)
    if path.is_dir():
        path = path / CONFIG_NAME
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as error:
        raise ConfigError(
            "no such configuration file (`jixiao init DIR` writes one)", file=path
        ) from error
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise ConfigError(f"cannot read the configuration: {error}", file=path) from error
    if "root" in data:
        raise ConfigError("Extra inputs are not permitted", key="root", file=path)
    try:
        config = BuildConfig.model_validate({**data, "root": path.parent})
    except ValidationError as error:
        raise ConfigError.from_validation(error, file=path) from error
    if not config.output.is_absolute():
        config = config.model_copy(update={"output": Path.cwd() / config.output})
    return config


def starter_config() -> str:
    """The text of a commented starter ``jixiao.toml`` (what ``jixiao init`` writes)."""
    return _STARTER


def write_starter_config(folder: Path) -> Path:
    """Write a starter ``jixiao.toml`` into ``folder`` (created if needed); never overwrite."""
    folder = Path(folder)
    target = folder / CONFIG_NAME
    if target.exists():
        raise OutputError("already exists; not overwritten", path=target)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with target.open("x", encoding="utf-8") as handle:
            handle.write(_STARTER)
    except FileExistsError as error:
        raise OutputError("already exists; not overwritten", path=target) from error
    except OSError as error:
        raise OutputError(f"cannot write: {error.strerror}", path=target) from error
    return target


_STARTER = """\
# jixiao build configuration. Build with `jixiao build jixiao.toml` (or `jixiao build` in this
# folder's parent with the path). Paths of documents are relative to this file.

# Where the outputs go, relative to the folder jixiao runs in. The build writes beside it first
# and replaces it only when everything succeeded.
output = "build"

# The time the outputs state. Fixed, so two builds of the same input are byte-identical.
# Leave it out to use SOURCE_DATE_EPOCH (seconds since 1970), or else 2026-01-01.
timestamp = 2026-01-01T00:00:00Z

# Who publishes the data and under which license; a document's own metadata (its sidecar
# NAME.meta.toml or its entry below) takes precedence.
# publisher = "某某市财政局"
# license = "CC-BY-4.0"

[site]
title = "预算绩效目标公开"
# The public address of the site; identifiers (IRIs) are minted under it.
base_url = "https://example.org/jixiao"
# The public SPARQL 1.1 endpoint serving this data (`jixiao publish` loads a store), shown on
# the linked-data page with how to query it. Leave it out and the page tells how to run one.
# sparql_endpoint = "https://example.org/jixiao/sparql"

# The quality audit (rules DQ01–DQ16 of the README). Every key is optional.
[audit]
# disabled = ["DQ13"]          # rules that do not run
# low_satisfaction = 80        # DQ08: a satisfaction target below this % is unusually low
# weight_totals = [100, 90]    # DQ14: accepted totals of a project's indicator weights

# One [[documents]] table per document or glob (*, **, ?). Each may say what the documents do
# not say about themselves: year, region, department_code, department_name, currency_unit
# ("元" or "万元"), publisher, license, source_url.
[[documents]]
path = "disclosures/*.txt"
# year = 2024
# region = "河北省定州市"

# [[documents]]
# path = "2023/**/*.txt"
# year = 2023
"""
