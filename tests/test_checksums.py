"""A file's checksum is read once, and read again when the file is no longer the same."""

from __future__ import annotations

import hashlib
import os
from collections import Counter
from pathlib import Path

import pytest

import toolkit.checksums
from toolkit.checksums import Checksum, Checksums, file_checksum


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """How many times each file's bytes were hashed, by name."""
    counted: Counter[str] = Counter()
    file_digest = hashlib.file_digest

    def counting(stream, digest):  # type: ignore[no-untyped-def]
        counted[Path(stream.name).name] += 1
        return file_digest(stream, digest)

    monkeypatch.setattr(toolkit.checksums.hashlib, "file_digest", counting)
    return counted


def test_a_checksum_is_the_size_and_sha256_of_the_bytes(tmp_path: Path) -> None:
    path = tmp_path / "data.nt"
    data = '<urn:x> <urn:y> "数据" .\n'.encode() * 1000
    path.write_bytes(data)
    assert Checksums().of(path) == Checksum(len(data), hashlib.sha256(data).hexdigest())
    assert file_checksum(path) == Checksums().of(path)  # a file met once: the same reading


def test_the_same_file_is_read_once(tmp_path: Path, reads: Counter[str]) -> None:
    path = tmp_path / "data.nt"
    path.write_bytes(b"a")
    checksums = Checksums()
    first = checksums.of(path)
    assert checksums.of(tmp_path / "." / "data.nt") == first
    assert reads == {"data.nt": 1}


def test_a_file_changed_since_is_read_again(tmp_path: Path, reads: Counter[str]) -> None:
    path = tmp_path / "data.nt"
    path.write_bytes(b"a")
    checksums = Checksums()
    checksums.of(path)
    status = path.stat()
    path.write_bytes(b"b")  # the same size: the time of change tells them apart
    os.utime(path, ns=(status.st_atime_ns, status.st_mtime_ns + 1))
    assert checksums.of(path).sha256 == hashlib.sha256(b"b").hexdigest()
    replaced = tmp_path / "other"
    replaced.write_bytes(b"c")
    os.utime(replaced, ns=(status.st_atime_ns, status.st_mtime_ns + 1))
    replaced.replace(path)  # another inode
    assert checksums.of(path).sha256 == hashlib.sha256(b"c").hexdigest()
    assert reads == {"data.nt": 3}


def test_a_missing_file_is_an_os_error_for_the_caller(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        Checksums().of(tmp_path / "gone.nt")
