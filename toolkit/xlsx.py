"""The Excel workbook of the data package, and the byte-stable zip archives it is made of.

CSV in UTF-8 opens garbled in some versions of Excel; the workbook carries the same rows, one
sheet per resource, with Chinese column titles. Source text is untrusted: a cell is always
written as text or a number, never as a formula, whatever it starts with.

openpyxl stamps the workbook and every zip entry with the current time; the workbook is
re-packed here with fixed times, so two builds of the same input are byte-identical.

openpyxl writes the styled header row and every sheet's frame; the data rows are spliced in
as the same XML openpyxl would write (inline strings, ASCII with character references), made
here without a cell object per value: openpyxl's cells were three quarters of the package's
time. tests/test_xlsx.py holds the two writers to the same bytes.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from enum import Enum
from functools import lru_cache
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.compat import safe_string
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.writer.excel import ExcelWriter

__all__ = ["Sheet", "workbook_bytes", "zip_bytes"]

# Excel refuses longer cell texts; a disclosure never has them, a hostile file might.
MAX_CELL_CHARS = 32767
MAX_COLUMN_WIDTH = 60
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)


@dataclass(frozen=True)
class Sheet:
    title: str
    header: Sequence[str]
    rows: Sequence[Sequence[Any]]


def zip_bytes(
    entries: Iterable[tuple[str, bytes | Iterable[bytes]]], date_time: datetime | None = None
) -> bytes:
    """A zip archive of ``entries`` (name, data: bytes or an iterable of chunks) in order,
    with every entry dated ``date_time`` (UTC; default 1980-01-01, the earliest a zip can
    hold) and Unix mode 0644."""
    stamp = ZIP_EPOCH
    if date_time is not None:
        stamp = date_time.astimezone(UTC).timetuple()[:6]
        stamp = max(stamp, ZIP_EPOCH)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = 0o100644 << 16
            if isinstance(data, bytes):
                archive.writestr(info, data)
                continue
            # Streamed: a large sheet is compressed as it is made, never held whole.
            # force_zip64 off and a size known only at the end give the same bytes as
            # writestr for entries under 2 GiB (the local header is rewritten on close).
            with archive.open(info, "w") as stream:
                for chunk in data:
                    stream.write(chunk)
    return buffer.getvalue()


@lru_cache(maxsize=65536)
def _display_width(text: str) -> int:
    # Cached: identifiers, labels and units repeat on most rows.
    if text.isascii():
        return len(text)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _cell(value: Any) -> Any:
    if isinstance(value, Enum):
        value = value.value
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("\ufffd", value)[:MAX_CELL_CHARS]
    return value


def _widths(sheet: Sheet) -> list[int]:
    widths = [_display_width(h) for h in sheet.header]
    for row in sheet.rows:
        for column, value in enumerate(row):
            if value is None:
                continue
            shown = _plain(value)
            # Every character is at most two columns wide: skip what cannot widen the column.
            if 2 * len(shown) > widths[column] and widths[column] < MAX_COLUMN_WIDTH:
                widths[column] = max(widths[column], _display_width(shown[:MAX_COLUMN_WIDTH]))
    return [min(width + 2, MAX_COLUMN_WIDTH) for width in widths]


def _cells(ws: Any, values: Sequence[Any], font: Font | None = None) -> list[WriteOnlyCell]:
    cells = []
    for raw in values:
        cell = WriteOnlyCell(ws, value=_cell(raw))
        if isinstance(cell.value, str):
            # openpyxl makes a formula of any text starting with "=".
            cell.data_type = "s"
        if font is not None:
            cell.font = font
        cells.append(cell)
    return cells


def workbook_bytes(sheets: Sequence[Sheet], *, created: datetime, title: str) -> bytes:
    """The workbook of ``sheets`` as bytes; ``created`` dates the document properties."""
    book = Workbook(write_only=True)
    bold = Font(bold=True)
    for sheet in sheets:
        ws = book.create_sheet(title=sheet.title[:31])
        for column, width in enumerate(_widths(sheet), start=1):
            ws.column_dimensions[get_column_letter(column)].width = width
        ws.freeze_panes = "A2"
        ws.auto_filter.ref = f"A1:{get_column_letter(len(sheet.header))}{len(sheet.rows) + 1}"
        ws.append(_cells(ws, sheet.header, bold))
    stamp = created.astimezone(UTC).replace(tzinfo=None)
    book.properties.creator = "jixiao"
    book.properties.title = title
    book.properties.created = stamp
    book.properties.modified = stamp
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(book, archive).save()
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as written:
        entries: list[tuple[str, bytes | Iterable[bytes]]] = []
        for info in written.infolist():
            data = written.read(info)
            index = _SHEET_PATH.fullmatch(info.filename)
            if index is not None:
                entries.append((info.filename, _with_rows(data, sheets[int(index[1]) - 1])))
            else:
                entries.append((info.filename, data))
    return zip_bytes(entries, created)


_SHEET_PATH = re.compile(r"xl/worksheets/sheet(\d+)\.xml")
_END_OF_HEADER = b"</row></sheetData>"
# libxml2's escapes in text written in ASCII; every other non-ASCII character becomes a
# character reference on encoding.
_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})
_CHUNK_ROWS = 2000


def _with_rows(frame: bytes, sheet: Sheet) -> Iterator[bytes]:
    """The sheet XML openpyxl wrote with its header row only, with ``sheet.rows`` after it."""
    head, found, tail = frame.partition(_END_OF_HEADER)
    if not found:
        raise ValueError("openpyxl wrote a sheet without its header row")
    yield head + b"</row>"
    letters = [get_column_letter(c) for c in range(1, len(sheet.header) + 1)]
    chunk: list[str] = []
    for number, row in enumerate(sheet.rows, start=2):
        chunk.append(_row_xml(number, row, letters))
        if len(chunk) == _CHUNK_ROWS:
            yield "".join(chunk).encode("ascii", "xmlcharrefreplace")
            chunk = []
    yield "".join(chunk).encode("ascii", "xmlcharrefreplace")
    yield b"</sheetData>" + tail


def _row_xml(number: int, values: Sequence[Any], letters: Sequence[str]) -> str:
    """One row as openpyxl's write-only sheet writes it for :func:`_cells` of ``values``."""
    parts = [f'<row r="{number}">']
    for letter, raw in zip(letters, values, strict=True):
        value = _cell(raw)
        if value is None:
            continue
        where = f"{letter}{number}"
        if isinstance(value, str):
            if not value:
                parts.append(f'<c r="{where}" t="inlineStr"></c>')
                continue
            space = ' xml:space="preserve"' if value != value.strip() else ""
            text = value.translate(_ESCAPES)
            parts.append(f'<c r="{where}" t="inlineStr"><is><t{space}>{text}</t></is></c>')
        elif isinstance(value, bool):
            parts.append(f'<c r="{where}" t="b"><v>{safe_string(value)}</v></c>')
        elif isinstance(value, int | float | Decimal):
            parts.append(f'<c r="{where}" t="n"><v>{safe_string(value)}</v></c>')
        else:
            raise TypeError(f"no workbook cell for a {type(value).__name__}")
    parts.append("</row>")
    return "".join(parts)


def _plain(value: Any) -> str:
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)
