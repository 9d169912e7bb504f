"""The build configuration, ``jixiao.toml``: parsed with tomllib, validated by pydantic.

Paths in the file are relative to the file. A missing or wrong key is a one-line
:class:`~toolkit.errors.ConfigError` naming the key.
"""

from __future__ import annotations

import os
import tomllib
from datetime import UTC, datetime
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from toolkit.errors import ConfigError
from toolkit.metadata import DocumentMetadata

__all__ = ["DEFAULT_CONFIG", "BuildConfig", "DocumentEntry", "SiteConfig", "load_config"]

DEFAULT_CONFIG = Path(__file__).resolve().parent.parent / "examples" / "jixiao.toml"
DEFAULT_TIMESTAMP = datetime(2026, 1, 1, tzinfo=UTC)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SiteConfig(_Strict):
    title: str = "预算绩效目标公开"
    base_url: str = Field(default="https://example.org/jixiao", pattern=r"^https?://[^\s?#]+$")

    @field_validator("base_url")
    @classmethod
    def _no_trailing_slash(cls, value: str) -> str:
        return value.rstrip("/")


class DocumentEntry(DocumentMetadata):
    """One document (or a glob of documents) and what it does not say about itself."""

    path: str


class BuildConfig(_Strict):
    site: SiteConfig = SiteConfig()
    publisher: str | None = None
    license: str | None = None
    output: Path = Path("build")
    timestamp: datetime | None = Field(
        default=None, description="fixed build time; default SOURCE_DATE_EPOCH, then 2026-01-01"
    )
    documents: list[DocumentEntry] = Field(min_length=1)
    root: Path = Field(default=Path("."), exclude=True)

    def build_time(self) -> datetime:
        if self.timestamp is not None:
            return self.timestamp.astimezone(UTC)
        epoch = os.environ.get("SOURCE_DATE_EPOCH")
        if epoch:
            try:
                return datetime.fromtimestamp(int(epoch), tz=UTC)
            except ValueError as error:
                raise ConfigError(
                    "must be a whole number of seconds", key="SOURCE_DATE_EPOCH"
                ) from error
        return DEFAULT_TIMESTAMP

    def document_paths(self) -> list[tuple[Path, DocumentMetadata]]:
        """Every document with its metadata overrides, globs expanded, in a stable order."""
        found: list[tuple[Path, DocumentMetadata]] = []
        for index, entry in enumerate(self.documents):
            overrides = DocumentMetadata(**entry.model_dump(exclude={"path"}))
            overrides = overrides.model_copy(
                update={
                    k: v
                    for k, v in {"publisher": self.publisher, "license": self.license}.items()
                    if v is not None and getattr(overrides, k) is None
                }
            )
            pattern = entry.path
            if any(ch in pattern for ch in "*?["):
                matches = sorted(p for p in self.root.glob(pattern) if p.is_file())
                if not matches:
                    raise ConfigError(f"no file matches {pattern!r}", key=f"documents.{index}.path")
                found.extend((path, overrides) for path in matches)
            else:
                path = self.root / pattern
                if not path.is_file():
                    raise ConfigError(f"no such file: {path}", key=f"documents.{index}.path")
                found.append((path, overrides))
        return found


def load_config(path: Path | None = None) -> BuildConfig:
    """Load ``jixiao.toml`` (default: the bundled example's)."""
    path = Path(path) if path is not None else DEFAULT_CONFIG
    if path.is_dir():
        path = path / "jixiao.toml"
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as error:
        raise ConfigError(
            "no such configuration file (try `jixiao init DIR`)", file=path
        ) from error
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise ConfigError(f"cannot read the configuration: {error}", file=path) from error
    try:
        config = BuildConfig.model_validate({**data, "root": path.parent})
    except ValidationError as error:
        first = error.errors()[0]
        key = ".".join(str(part) for part in first["loc"])
        raise ConfigError(first["msg"], key=key, file=path) from error
    if not config.output.is_absolute():
        config = config.model_copy(update={"output": Path.cwd() / config.output})
    return config
