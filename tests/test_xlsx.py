"""The workbook's data rows, written without openpyxl's cells, are the bytes openpyxl writes."""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, datetime
from decimal import Decimal
from enum import Enum

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


def test_hostile_cells_are_written_as_openpyxl_writes_them() -> None:
    sheets = [
        Sheet("甲", ["文本", "整数", "小数", "其他"], HOSTILE_ROWS),
        Sheet("empty", ["only a header"], []),
        Sheet("乙", ["a", "b", "c", "d"], list(reversed(HOSTILE_ROWS)) * 3),
    ]
    assert workbook_bytes(sheets, created=CREATED, title="t") == openpyxl_workbook(sheets)


def test_a_streamed_zip_entry_has_the_bytes_of_a_whole_one() -> None:
    chunks = [b"<a>", b"x" * 100_000, b"</a>"]
    assert zip_bytes([("a.xml", iter(chunks))], CREATED) == zip_bytes(
        [("a.xml", b"".join(chunks))], CREATED
    )
