"""Unpacking an Office Open XML file (``.docx``, and ``.xlsx`` if a reader for it comes) safely.

Everything in the file is untrusted. The zip's entry count is bounded before its directory is
read; each part's declared size and compression ratio are checked before it is unpacked and
its actual size while it is; XML is parsed by lxml without DTDs, entities or network access,
within libxml2's default depth limit. Anything wrong is a :class:`ParseError` without a file
name (the caller adds it), never an exception from zipfile or lxml.
"""

from __future__ import annotations

import io
import lzma
import zipfile
import zlib
from collections.abc import Iterable

from lxml import etree

from toolkit.errors import ParseError

__all__ = [
    "MAX_COMPRESSION_RATIO",
    "MAX_UNPACKED_BYTES",
    "MAX_ZIP_ENTRIES",
    "looks_like_zip",
    "parse_xml",
    "unpack",
]

# A disclosure's parts are a few megabytes; these bound memory and time for hostile files.
MAX_UNPACKED_BYTES = 64 * 1024 * 1024
MAX_COMPRESSION_RATIO = 200
_RATIO_FLOOR = 1024 * 1024  # small parts may compress extremely well without being bombs
MAX_ZIP_ENTRIES = 10_000
_CHUNK = 1024 * 1024

_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
_ZIP_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    EOFError,
    OSError,
    RuntimeError,
    NotImplementedError,  # an unsupported compression method
    ValueError,
    zlib.error,
    lzma.LZMAError,
)
_PROLOG_BYTES = 8192
_DOCTYPE_MARKERS = tuple("<!DOCTYPE".encode(codec) for codec in ("utf-8", "utf-16-le", "utf-16-be"))


def looks_like_zip(data: bytes) -> bool:
    """True when the bytes start like a zip archive (which every Office Open XML file is)."""
    return data.startswith(_ZIP_MAGIC)


def unpack(
    data: bytes, *, required: str, optional: Iterable[str] = (), kind: str
) -> dict[str, bytes]:
    """The ``required`` part and whichever ``optional`` parts exist, by name.

    ``kind`` names the format in messages (``Word .docx``). All parts together may unpack to
    at most :data:`MAX_UNPACKED_BYTES`.
    """
    if not looks_like_zip(data):
        raise ParseError(f"not a {kind} file: it is not a zip archive")
    # Every entry has a central-directory header; counting their signature bounds the entry
    # list before zipfile builds it (a stray match in compressed data only over-counts).
    if data.count(b"PK\x01\x02") > MAX_ZIP_ENTRIES:
        raise ParseError(
            f"the {kind} file has more than {MAX_ZIP_ENTRIES} entries; not a disclosure"
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if required not in names:
                raise ParseError(f"a zip archive without {required}: not a {kind} document")
            budget = [MAX_UNPACKED_BYTES]
            return {
                name: _read_member(archive, name, budget)
                for name in (required, *optional)
                if name in names
            }
    except _ZIP_ERRORS as error:
        raise ParseError(f"a corrupt {kind} file (zip archive): {_first_line(error)}") from error


def _read_member(archive: zipfile.ZipFile, name: str, budget: list[int]) -> bytes:
    info = archive.getinfo(name)
    if info.flag_bits & 0x1:
        raise ParseError(f"{name} is encrypted inside the zip, which an office file never is")
    if info.file_size > budget[0]:
        raise ParseError(
            f"{name} unpacks to {info.file_size} bytes, over the {MAX_UNPACKED_BYTES} "
            "allowed; not a disclosure"
        )
    if info.file_size > _RATIO_FLOOR and (
        info.compress_size == 0 or info.file_size / info.compress_size > MAX_COMPRESSION_RATIO
    ):
        raise ParseError(
            f"{name} is compressed more than {MAX_COMPRESSION_RATIO}:1; refusing a likely zip bomb"
        )
    chunks: list[bytes] = []
    total = 0
    # The declared size may lie: count what actually comes out.
    with archive.open(info) as member:
        while chunk := member.read(_CHUNK):
            total += len(chunk)
            if total > info.file_size or total > budget[0]:
                raise ParseError(f"{name} unpacks to more than its declared size; refusing it")
            chunks.append(chunk)
    budget[0] -= total
    return b"".join(chunks)


def _first_line(error: BaseException | str) -> str:
    text = str(error).strip() or type(error).__name__
    return text.splitlines()[0]


def parse_xml(data: bytes, name: str) -> etree._Element:
    """The root element of a part, parsed by a hardened lxml parser."""
    # Refused before parsing, so an entity bomb is named as such; the parser is hardened and
    # the check after parsing catches a DOCTYPE hidden further down the prolog.
    if any(marker in data[:_PROLOG_BYTES] for marker in _DOCTYPE_MARKERS):
        raise ParseError(f"{name} declares a DOCTYPE, which office files never do; refusing it")
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as error:
        raise ParseError(f"{name} is malformed XML: {_first_line(error.msg)}") from error
    if root.getroottree().docinfo.doctype:
        raise ParseError(f"{name} declares a DOCTYPE, which office files never do; refusing it")
    return root
