"""What a document does not say about itself: year, region, publisher, license.

A disclosure ``NAME.txt`` (or ``NAME.docx``) may have a sidecar ``NAME.meta.toml``; the build
configuration and the CLI may override any of its keys.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from toolkit.errors import ConfigError
from toolkit.model import DEPARTMENT_CODE_PATTERN

__all__ = ["DocumentMetadata", "load_metadata", "sidecar_path"]


class DocumentMetadata(BaseModel):
    model_config = ConfigDict(extra="forbid")

    department_code: str | None = Field(default=None, pattern=DEPARTMENT_CODE_PATTERN)
    department_name: str | None = None
    year: int | None = Field(default=None, ge=1990, le=2100)
    region: str | None = None
    currency_unit: Literal["元", "万元"] | None = None
    publisher: str | None = None
    license: str | None = None
    source_url: str | None = None

    def merged(self, overrides: DocumentMetadata | None) -> DocumentMetadata:
        """These values, with every key that ``overrides`` sets taking precedence."""
        if overrides is None:
            return self
        return self.model_copy(update=overrides.model_dump(exclude_none=True))


def sidecar_path(document: Path) -> Path:
    return document.with_name(f"{document.stem}.meta.toml")


def load_metadata(path: Path) -> DocumentMetadata:
    """Read a metadata TOML file; a wrong key or value is a :class:`ConfigError` naming it."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise ConfigError(f"cannot read metadata: {error}", file=path) from error
    try:
        return DocumentMetadata.model_validate(data)
    except ValidationError as error:
        raise ConfigError.from_validation(error, file=path) from error
