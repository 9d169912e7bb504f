"""The size and SHA-256 of the build's files, each file read once however many outputs
state them.

The DCAT catalog states a checksum for each download (``rdf/catalog.ttl``) and the site's
data page one for each file it lists: the same RDF dumps, 2.6 GB at 1,000 documents, which
the site read and hashed again (a third of a second of the site's CPU at 100 documents).
Both now ask one :class:`Checksums`, which remembers what it read: a file is read again
only when it is no longer the file that was read (another size, time of change or inode).
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

__all__ = ["Checksum", "Checksums", "file_checksum"]


@dataclass(frozen=True)
class Checksum:
    """A file's size in bytes and SHA-256 (hex)."""

    size: int
    sha256: str


class Checksums:
    """The checksum of each file asked for, read on the first ask and remembered. Pass one
    to each writer that states checksums of the same files; a forked worker inherits what
    it knows. An :class:`OSError` from reading the file is the caller's to report."""

    def __init__(self) -> None:
        self._known: dict[str, tuple[tuple[int, int, int, int], Checksum]] = {}

    def of(self, path: Path) -> Checksum:
        """The checksum of the file at ``path``."""
        key = os.path.abspath(path)
        with open(key, "rb") as stream:
            status = os.fstat(stream.fileno())
            identity = (status.st_dev, status.st_ino, status.st_size, status.st_mtime_ns)
            known = self._known.get(key)
            if known is not None and known[0] == identity:
                return known[1]
            checksum = _read(stream)
        self._known[key] = (identity, checksum)
        return checksum


def file_checksum(path: Path) -> Checksum:
    """The checksum of the file at ``path``, read now (a file met once)."""
    with open(path, "rb") as stream:
        return _read(stream)


def _read(stream: BinaryIO) -> Checksum:
    # A block at a time: the N-Triples dump alone is 1.5 GB at 1,000 documents.
    digest = hashlib.file_digest(stream, "sha256").hexdigest()
    return Checksum(stream.tell(), digest)
