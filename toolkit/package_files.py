"""The files of a data package, written all or none, streamed rather than held in memory.

    with Staging(folder) as staging:      a hidden folder inside ``folder``
        staging.write(name, chunks)       one file, hashed as it is written
        staging.commit()                  every file moved into ``folder`` at once

Leaving the block without a commit (an error, an interrupt) removes the hidden folder and
whatever it holds; ``folder`` is left as it was.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import IO

from toolkit.checksums import file_checksum
from toolkit.errors import OutputError
from toolkit.xlsx import write_zip

__all__ = ["Staging", "file_chunks", "write_zip_file"]

CHUNK_BYTES = 1 << 20
# Entries that are zip archives themselves gain nothing from being deflated again.
COMPRESSED_SUFFIXES = (".xlsx", ".zip")


class Staging:
    """Files written into a hidden folder inside ``folder``, moved into ``folder`` by
    :meth:`commit`. Names starting with a dot stay hidden: they are never moved."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self.names: list[str] = []
        self._path: Path | None = None

    @property
    def path(self) -> Path:
        if self._path is None:
            raise RuntimeError("Staging is used outside its with block")
        return self._path

    def __enter__(self) -> Staging:
        with self._errors():
            self.folder.mkdir(parents=True, exist_ok=True)
            self._path = Path(tempfile.mkdtemp(prefix=".staging-", dir=self.folder))
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        shutil.rmtree(self.path, ignore_errors=True)
        self._path = None
        if isinstance(error, OSError) and not isinstance(error, OutputError):
            raise self._output_error(error) from error

    def write(self, name: str, chunks: Iterable[bytes]) -> tuple[int, str]:
        """Write the file ``name`` from ``chunks``; its size and SHA-256 (hex)."""
        digest, size = hashlib.sha256(), 0
        with self.open(name) as stream:
            for chunk in chunks:
                digest.update(chunk)
                size += len(chunk)
                stream.write(chunk)
        return size, digest.hexdigest()

    @contextmanager
    def open(self, name: str) -> Iterator[IO[bytes]]:
        """The file ``name`` open to write (and seek, as a zip writer does)."""
        with self._errors(), (self.path / name).open("w+b") as stream:
            self.names.append(name)
            yield stream

    def digest(self, name: str) -> tuple[int, str]:
        """The size and SHA-256 (hex) of a file written here."""
        with self._errors():
            found = file_checksum(self.path / name)
        return found.size, found.sha256

    def commit(self) -> None:
        """Move every file not hidden into ``folder``, replacing files of the same name."""
        with self._errors():
            for name in self.names:
                if not name.startswith("."):
                    staged = self.path / name
                    staged.chmod(0o644)
                    os.replace(staged, self.folder / name)

    @contextmanager
    def _errors(self) -> Iterator[None]:
        try:
            yield
        except OSError as error:
            raise self._output_error(error) from error

    def _output_error(self, error: OSError) -> OutputError:
        return OutputError(
            f"cannot write the data package: {error.strerror or error}", path=self.folder
        )


def file_chunks(path: Path) -> Iterator[bytes]:
    """The bytes of the file at ``path``, a mebibyte at a time."""
    with path.open("rb") as stream:
        while chunk := stream.read(CHUNK_BYTES):
            yield chunk


def write_zip_file(
    stream: IO[bytes], folder: Path, names: Iterable[str], created: datetime
) -> None:
    """Zip the files ``names`` of ``folder`` (in that order, named by their path in
    ``folder``, dated ``created``) into ``stream``; a workbook is stored as it is, being a
    zip already."""
    ordered = list(names)
    write_zip(
        stream,
        ((name, file_chunks(folder / name)) for name in ordered),
        created,
        stored={name for name in ordered if name.endswith(COMPRESSED_SUFFIXES)},
    )
