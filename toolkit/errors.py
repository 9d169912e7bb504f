"""The one exception tree of jixiao.

An exception means the job could not be done; weak data is a *finding*, not an exception.

    JixiaoError                 base; ``code`` is stable and documented in the README
    ├── ParseError              a source document cannot be read (file, line)
    ├── ConfigError             the build configuration is wrong (key)
    ├── OutputError             an output cannot be written or read back (path)
    └── PublishError            a remote store refused or could not be reached (graph)

The CLI catches ``JixiaoError`` in one place and prints ``str(error)`` on one line; anything
else is a bug and crashes loudly.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # errors.py stays importable without pydantic's weight at run time
    from pydantic import ValidationError

__all__ = [
    "ConfigError",
    "JixiaoError",
    "OutputError",
    "ParseError",
    "PublishError",
]


def first_validation_problem(error: ValidationError) -> tuple[str, str, object]:
    """The first problem pydantic reports: dotted location, message, the value given."""
    first = error.errors()[0]
    where = ".".join(str(part) for part in first["loc"])
    return where, first["msg"], first.get("input")


class JixiaoError(Exception):
    """Base of every error jixiao raises on purpose."""

    code = "JX000"


class ParseError(JixiaoError):
    """A source document is not a disclosure jixiao can read.

    ``str()`` gives ``FILE:LINE: message`` so editors and terminals can jump to the place.
    """

    code = "JX100"

    def __init__(self, message: str, *, file: str | Path | None = None, line: int | None = None):
        self.message = message
        self.file = str(file) if file is not None else None
        self.line = line
        super().__init__(self._render())

    def _render(self) -> str:
        where = self.file or "<input>"
        if self.line is not None:
            where = f"{where}:{self.line}"
        return f"{where}: {self.message}"

    def at(self, file: str | Path) -> ParseError:
        """The same error attributed to ``file`` (readers raise before they know the name)."""
        return ParseError(self.message, file=file, line=self.line)


class ConfigError(JixiaoError):
    """The build configuration is missing a key or has a wrong value."""

    code = "JX200"

    def __init__(self, message: str, *, key: str | None = None, file: str | Path | None = None):
        self.message = message
        self.key = key
        self.file = str(file) if file is not None else None
        prefix = f"{self.file}: " if self.file else ""
        where = f"{key}: " if key else ""
        super().__init__(f"{prefix}{where}{message}")

    @classmethod
    def from_validation(cls, error: ValidationError, *, file: str | Path) -> ConfigError:
        """The first problem of a configuration or metadata file, naming its key."""
        key, message, _ = first_validation_problem(error)
        return cls(message, key=key or "(top level)", file=file)


class OutputError(JixiaoError):
    """An output could not be written, or an input to a check is not what it should be."""

    code = "JX300"

    def __init__(self, message: str, *, path: str | Path | None = None):
        self.message = message
        self.path = str(path) if path is not None else None
        super().__init__(f"{self.path}: {message}" if self.path else message)


class PublishError(JixiaoError):
    """A SPARQL store could not be reached or refused a graph."""

    code = "JX400"

    def __init__(self, message: str, *, graph: str | None = None):
        self.message = message
        self.graph = graph
        super().__init__(f"{graph}: {message}" if graph else message)
