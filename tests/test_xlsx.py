"""The workbook's data rows, written without openpyxl's cells, are the XML openpyxl writes
(in UTF-8 where openpyxl writes character references)."""

from __future__ import annotations

import gc
import io
import sys
import zipfile
from datetime import UTC, datetime
from decimal import Decimal
from enum import Enum
from xml.etree.ElementTree import canonicalize

import pytest
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.writer.excel import ExcelWriter

from toolkit.xlsx import Sheet, _cells, _widths, workbook_bytes, zip_bytes

CREATED = datetime(2026, 1, 1, tzinfo=UTC)


class Colour(Enum):
    RED = "红"


HOSTILE_ROWS = [
    ["plain", 1, Decimal("1651.67"), None],
    ["", 0, Decimal("0.000125060"), True],
    ["=SUM(A1:A9)", -7, Decimal("12345678901234567890.123"), False],
    ["a & b < c > d \"q\" 's'", 10**20, Decimal("-0.5"), Colour.RED],
    ["  leading and trailing  ", 3, Decimal("1E+3"), "\t"],
    ["line\nbreak\r\nand tab\t", 4, 2.5, " "],
    ["控制\x00字符\x1f与表情😀", 5, Decimal("100"), "＜全角＞"],
    ["x" * 40000, 6, None, "&amp; already escaped"],
]


def openpyxl_workbook(sheets: list[Sheet]) -> bytes:
    """The workbook as openpyxl alone writes it: one cell object per value."""
    book = Workbook(write_only=True)
    for sheet in sheets:
        ws = book.create_sheet(title=sheet.title[:31])
        for column, width in enumerate(_widths(sheet), start=1):
            ws.column_dimensions[get_column_letter(column)].width = width
        ws.freeze_panes = "A2"
        ws.auto_filter.ref = f"A1:{get_column_letter(len(sheet.header))}{len(sheet.rows) + 1}"
        ws.append(_cells(ws, sheet.header, Font(bold=True)))
        for row in sheet.rows:
            ws.append(_cells(ws, row))
    stamp = CREATED.replace(tzinfo=None)
    book.properties.creator = "jixiao"
    book.properties.title = "t"
    book.properties.created = stamp
    book.properties.modified = stamp
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(book, archive).save()
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as written:
        entries = [(info.filename, written.read(info)) for info in written.infolist()]
    return zip_bytes(entries, CREATED)


def entries(workbook: bytes) -> list[tuple[str, tuple[int, ...], str]]:
    """Each entry's name, date and canonical XML (C14N: character references resolved)."""
    with zipfile.ZipFile(io.BytesIO(workbook)) as archive:
        return [
            (info.filename, info.date_time, canonicalize(archive.read(info).decode("utf-8")))
            for info in archive.infolist()
        ]


def test_hostile_cells_are_written_as_openpyxl_writes_them() -> None:
    sheets = [
        Sheet("甲", ["文本", "整数", "小数", "其他"], HOSTILE_ROWS),
        Sheet("empty", ["only a header"], []),
        Sheet("乙", ["a", "b", "c", "d"], list(reversed(HOSTILE_ROWS)) * 3),
    ]
    ours = workbook_bytes(sheets, created=CREATED, title="t")
    assert entries(ours) == entries(openpyxl_workbook(sheets))
    assert ours == workbook_bytes(sheets, created=CREATED, title="t")


def test_data_rows_are_utf8_text_not_character_references() -> None:
    workbook = workbook_bytes([Sheet("甲", ["文本"], [["预算"]])], created=CREATED, title="t")
    with zipfile.ZipFile(io.BytesIO(workbook)) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml")
    assert "<t>预算</t>".encode() in sheet


def test_a_column_is_as_wide_as_its_widest_text_however_equal_the_values() -> None:
    # 1.0 and 1.00000000 are equal decimals; the second is written wider.
    rows = [[Decimal("1.0"), "甲"], [Decimal("1.00000000"), "甲乙丙"], [None, None]]
    assert _widths(Sheet("s", ["a", "b"], rows)) == [10 + 2, 6 + 2]
    assert _widths(Sheet("s", ["a", "b"], [[True, 1], [1, True]])) == [4 + 2, 4 + 2]
    assert _widths(Sheet("s", ["a"], [["x" * 100]])) == [60]


def test_a_streamed_zip_entry_has_the_bytes_of_a_whole_one() -> None:
    chunks = [b"<a>", b"x" * 100_000, b"</a>"]
    assert zip_bytes([("a.xml", iter(chunks))], CREATED) == zip_bytes(
        [("a.xml", b"".join(chunks))], CREATED
    )


def test_a_workbook_stopped_halfway_leaves_no_open_sheet_to_complain_when_collected(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """After a Ctrl-C while openpyxl writes, its sheets' writers (generators inside lxml
    elements) printed a traceback when the garbage collector closed them."""
    complaints: list[object] = []
    monkeypatch.setattr(sys, "unraisablehook", complaints.append)

    def interrupted(*args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(ExcelWriter, "save", interrupted)
    sheets = [Sheet("a", ["x", "y"], [[1, 2]]), Sheet("b", ["z"], [[3]])]
    with pytest.raises(KeyboardInterrupt):
        workbook_bytes(sheets, created=CREATED, title="t")
    gc.collect()
    assert complaints == []
