"""Corrupt, hostile and wrong Word files fail with one clear ParseError naming the file, through
the library and the CLI, quickly and without unpacking what they claim to hold."""

from __future__ import annotations

import functools
import io
import struct
import subprocess
import sys
import time
import tracemalloc
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

import toolkit
from toolkit.blocks import Heading
from toolkit.cli import app
from toolkit.readers.ooxml import MAX_UNPACKED_BYTES, MAX_ZIP_ENTRIES
from toolkit.reading import read_blocks

from .docx_builder import docx_from_body

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@functools.cache
def _valid() -> bytes:
    return docx_from_body("<w:p><w:r><w:t>正文</w:t></w:r></w:p>")


def _replace(data: bytes, name: str, content: bytes | None) -> bytes:
    """The package with one part replaced (or removed when ``content`` is None)."""
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            if info.filename != name:
                target.writestr(info.filename, source.read(info))
        if content is not None:
            target.writestr(name, content)
    return buffer.getvalue()


def _document(xml: bytes) -> bytes:
    return _replace(_valid(), "word/document.xml", xml)


def _patch_headers(data: bytes, name: bytes, patch: Callable[[bytearray, int, int], None]) -> bytes:
    """Apply ``patch(bytes, header_offset, field_base)`` to the local and central headers of
    ``name``: field_base is where the flags field sits in that header."""
    out = bytearray(data)
    for signature, flags_at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = 0
        while (start := out.find(signature, start)) != -1:
            name_at = 30 if signature == b"PK\x03\x04" else 46
            length_at = 26 if signature == b"PK\x03\x04" else 28
            (length,) = struct.unpack_from("<H", out, start + length_at)
            if out[start + name_at : start + name_at + length] == name:
                patch(out, start, start + flags_at)
            start += 4
    return bytes(out)


def _lying_sizes() -> bytes:
    """document.xml declares a quarter of its real size (local and central headers)."""

    def shrink(out: bytearray, _: int, flags: int) -> None:
        size_at = flags + 16  # uncompressed size follows flags, method, time, date, crc, csize
        (size,) = struct.unpack_from("<I", out, size_at)
        struct.pack_into("<I", out, size_at, size // 4)

    body = "".join(f"<w:p><w:r><w:t>第{i}段</w:t></w:r></w:p>" for i in range(2000))
    return _patch_headers(docx_from_body(body), b"word/document.xml", shrink)


def _flagged_encrypted() -> bytes:
    def encrypt(out: bytearray, _: int, flags: int) -> None:
        out[flags] |= 0x01

    return _patch_headers(_valid(), b"word/document.xml", encrypt)


def _unknown_method() -> bytes:
    def method(out: bytearray, _: int, flags: int) -> None:
        struct.pack_into("<H", out, flags + 2, 99)  # 99: AES, which zipfile cannot read

    return _patch_headers(_valid(), b"word/document.xml", method)


def _declared_bomb() -> bytes:
    """A document.xml of 65 MB of spaces: about 64 kB compressed."""
    head = f"<w:document {W}><w:body><w:p><w:r><w:t>".encode()
    tail = b"</w:t></w:r></w:p></w:body></w:document>"
    filler = b" " * (MAX_UNPACKED_BYTES + 1024 * 1024 - len(head) - len(tail))
    return _document(head + filler + tail)


def _ratio_bomb() -> bytes:
    head = f"<w:document {W}><w:body><w:p><w:r><w:t>".encode()
    return _document(head + b"0" * (4 * 1024 * 1024) + b"</w:t></w:r></w:p></w:body></w:document>")


def _many_entries() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", f"<w:document {W}><w:body/></w:document>")
        for index in range(MAX_ZIP_ENTRIES + 1):
            archive.writestr(f"x/{index}", b"")
    return buffer.getvalue()


def _spreadsheet() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
    return buffer.getvalue()


LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY a "哈哈哈哈哈哈哈哈">'
    + "".join(
        f'<!ENTITY {c} "{("&" + p + ";") * 10}">'
        for p, c in zip("abcdefgh", "bcdefghi", strict=True)
    )
    + f"]><w:document {W}><w:body><w:p><w:r><w:t>&i;</w:t></w:r></w:p></w:body></w:document>"
)
# Past the bytes checked before parsing: the hardened parser and the check after it refuse it.
EXTERNAL = (
    '<?xml version="1.0"?><!--'
    + " " * 9000
    + '--><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    f"<w:document {W}><w:body><w:p><w:r><w:t>&x;</w:t></w:r></w:p></w:body></w:document>"
)


def _too_deep() -> bytes:
    """Tables nested 300 deep: past the parser's depth limit, so the walk never recurses far."""
    inner = "<w:p/>"
    for _ in range(300):
        inner = f"<w:tbl><w:tr><w:tc>{inner}</w:tc></w:tr></w:tbl><w:p/>"
    return _document(f"<w:document {W}><w:body>{inner}</w:body></w:document>".encode())


@dataclass(frozen=True)
class Case:
    name: str
    suffix: str
    data: Callable[[], bytes]
    message: str


CASES = [
    Case("text-named-docx", ".docx", lambda: "项目编码\n".encode(), "not a zip archive"),
    Case("empty", ".docx", lambda: b"", "not a zip archive"),
    Case("truncated", ".docx", lambda: _valid()[: len(_valid()) // 2], "corrupt Word .docx file"),
    Case("spreadsheet", ".docx", _spreadsheet, "without word/document.xml"),
    Case("zip-named-txt", ".txt", _spreadsheet, "without word/document.xml"),
    Case("malformed-xml", ".docx", lambda: _document(b"<w:document"), "malformed XML"),
    Case("not-wordml", ".docx", lambda: _document(b"<html/>"), "not a WordprocessingML"),
    Case("no-body", ".docx", lambda: _document(f"<w:document {W}/>".encode()), "has no body"),
    Case("billion-laughs", ".docx", lambda: _document(LAUGHS.encode()), "DOCTYPE"),
    Case("external-entity", ".docx", lambda: _document(EXTERNAL.encode()), "DOCTYPE"),
    Case("declared-bomb", ".docx", functools.cache(_declared_bomb), "over the 67108864 allowed"),
    Case("ratio-bomb", ".docx", functools.cache(_ratio_bomb), "compressed more than 200:1"),
    Case("lying-sizes", ".docx", functools.cache(_lying_sizes), "corrupt Word .docx file"),
    Case("encrypted-member", ".docx", _flagged_encrypted, "encrypted inside the zip"),
    Case("unknown-compression", ".docx", _unknown_method, "corrupt Word .docx file"),
    Case("too-deep", ".docx", _too_deep, "Excessive depth"),
    Case("many-entries", ".docx", functools.cache(_many_entries), "more than 10000 entries"),
    Case("not-a-disclosure", ".docx", _valid, "not a disclosure"),
    Case("empty-document", ".docx", lambda: docx_from_body(""), "not a disclosure"),
    Case("old-doc", ".doc", lambda: OLE2 + bytes(4096), "soffice --headless --convert-to docx"),
    Case(
        "password-protected",
        ".docx",
        lambda: OLE2 + bytes(512) + "EncryptedPackage".encode("utf-16-le") + bytes(512),
        "password-protected",
    ),
]


def test_the_hostile_cases_are_all_here() -> None:
    assert len(CASES) == 21
    assert len({case.name for case in CASES}) == len(CASES)


def _write(tmp_path: Path, case: Case) -> Path:
    path = tmp_path / f"bad-{case.name}{case.suffix}"
    path.write_bytes(case.data())
    return path


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_a_bad_word_file_raises_one_parse_error_naming_it(tmp_path: Path, case: Case) -> None:
    path = _write(tmp_path, case)
    started = time.perf_counter()
    with pytest.raises(toolkit.ParseError) as caught:
        toolkit.read(path)
    assert time.perf_counter() - started < 5
    assert caught.value.file == str(path)
    assert case.message in caught.value.message
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_a_bad_word_file_is_one_line_and_exit_2_from_the_cli(tmp_path: Path, case: Case) -> None:
    path = _write(tmp_path, case)
    result = CliRunner().invoke(app, ["parse", str(path)])
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"jixiao: error: {path}")
    assert case.message in lines[0]


@pytest.mark.parametrize(
    "case", [c for c in CASES if c.name.endswith("bomb")], ids=lambda c: c.name
)
def test_a_zip_bomb_is_refused_before_it_is_unpacked(tmp_path: Path, case: Case) -> None:
    data = case.data()
    tracemalloc.start()
    try:
        with pytest.raises(toolkit.ParseError):
            read_blocks(data, suffix=".docx")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 8 * 1024 * 1024, f"peak {peak} bytes while refusing a {len(data)}-byte file"


def test_an_old_doc_file_tells_how_to_convert_it_in_a_real_process(
    tmp_path: Path,
) -> None:
    path = tmp_path / "2020年绩效目标.doc"
    path.write_bytes(OLE2 + bytes(4096))
    result = subprocess.run(
        [sys.executable, "-m", "toolkit.cli", "parse", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines() == [
        f"jixiao: error: {path}:1: this is an old Word .doc file; convert it to .docx first, "
        "e.g. `soffice --headless --convert-to docx FILE.doc`"
    ]


def test_a_long_chain_of_based_on_styles_is_read_in_linear_time() -> None:
    count = 20_000
    styles = "".join(
        f'<w:style w:type="paragraph" w:styleId="s{i}"><w:name w:val="s{i}"/>'
        f'<w:basedOn w:val="s{i + 1}"/></w:style>'
        for i in range(count)
    )
    last = f'<w:style w:type="paragraph" w:styleId="s{count}"><w:name w:val="heading 2"/></w:style>'
    data = _replace(
        docx_from_body(
            '<w:p><w:pPr><w:pStyle w:val="s0"/></w:pPr><w:r><w:t>标题</w:t></w:r></w:p>'
        ),
        "word/styles.xml",
        f"<w:styles {W}>{styles}{last}</w:styles>".encode(),
    )
    started = time.perf_counter()
    (heading,) = read_blocks(data, suffix=".docx")[0]
    assert time.perf_counter() - started < 5
    assert heading == Heading("标题", 2)
