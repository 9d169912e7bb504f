"""The Excel workbook of the data package, and the byte-stable zip archives it is made of.

CSV in UTF-8 opens garbled in some versions of Excel; the workbook carries the same rows, one
sheet per resource, with Chinese column titles. Source text is untrusted: a cell is always
written as text or a number, never as a formula, whatever it starts with.

openpyxl stamps the workbook and every zip entry with the current time; the workbook is
re-packed here with fixed times, so two builds of the same input are byte-identical.

openpyxl writes the styled header row and every sheet's frame; the data rows are spliced in
as the XML openpyxl would write for the same cells (inline strings), made here without a cell
object per value: openpyxl's cells were three quarters of the package's time. Text is written
in UTF-8 where openpyxl writes a character reference for every non-ASCII character: the same
document, in less than half the bytes to compress. tests/test_xlsx.py holds the two writers
to the same XML.
"""

from __future__ import annotations

import contextlib
import io
import re
import unicodedata
import zipfile
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from enum import Enum
from functools import lru_cache
from math import isinf, isnan
from types import NoneType
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.writer.excel import ExcelWriter

__all__ = ["Sheet", "workbook_bytes", "write_workbook", "write_zip", "zip_bytes"]

# Excel refuses longer cell texts; a disclosure never has them, a hostile file might.
MAX_CELL_CHARS = 32767
MAX_COLUMN_WIDTH = 60
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
_CHUNK = 1 << 20


@dataclass(frozen=True)
class Sheet:
    title: str
    header: Sequence[str]
    rows: Sequence[Sequence[Any]]


ZipEntry = tuple[str, bytes | Iterable[bytes]]


def write_zip(
    stream: IO[bytes],
    entries: Iterable[ZipEntry],
    date_time: datetime | None = None,
    *,
    stored: Collection[str] = (),
) -> None:
    """Write a zip archive of ``entries`` (name, data: bytes or an iterable of chunks) in
    order to the seekable ``stream``, every entry dated ``date_time`` (UTC; default
    1980-01-01, the earliest a zip can hold), with Unix mode 0644, deflated unless its name
    is in ``stored`` (data that is compressed already)."""
    stamp = ZIP_EPOCH
    if date_time is not None:
        stamp = date_time.astimezone(UTC).timetuple()[:6]
        stamp = max(stamp, ZIP_EPOCH)
    with zipfile.ZipFile(stream, "w") as archive:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_STORED if name in stored else zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = 0o100644 << 16
            if isinstance(data, bytes):
                archive.writestr(info, data)
                continue
            # Streamed: a large entry is compressed as it is made, never held whole.
            # force_zip64 off and a size known only at the end give the same bytes as
            # writestr for entries under 2 GiB (the local header is rewritten on close).
            with archive.open(info, "w") as entry:
                for chunk in data:
                    entry.write(chunk)


def zip_bytes(entries: Iterable[ZipEntry], date_time: datetime | None = None) -> bytes:
    """:func:`write_zip` into memory: the archive's bytes."""
    buffer = io.BytesIO()
    write_zip(buffer, entries, date_time)
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
    """Each column's width: its widest text (CJK characters count two), within bounds."""
    widths = [_display_width(h) for h in sheet.header]
    for column, values in enumerate(zip(*sheet.rows, strict=True)):
        texts = _distinct_texts(values)
        # ASCII text is as wide as it is long.
        ascii_width = max((len(text) for text in texts if text.isascii()), default=0)
        width = max(widths[column], ascii_width)
        # The rest longest first: every character is at most two columns wide, so once a
        # text is too short to widen the column, so are all that follow.
        for text in sorted((t for t in texts if not t.isascii()), key=len, reverse=True):
            if 2 * len(text) <= width or width >= MAX_COLUMN_WIDTH:
                break
            width = max(width, _display_width(text[:MAX_COLUMN_WIDTH]))
        widths[column] = width
    return [min(width + 2, MAX_COLUMN_WIDTH) for width in widths]


def _distinct_texts(values: tuple[Any, ...]) -> set[str]:
    """The texts of a column's values, each once: most columns repeat a few labels, codes
    or messages."""
    kinds = set(map(type, values))
    distinct = set(values)
    distinct.discard(None)
    if kinds <= {str, NoneType}:
        return distinct
    # Equal texts, or equal integers, are written alike; equal values of other kinds may not
    # be (1.0 and 1.00, True and 1), so those are each written out.
    if all(kind is int or kind is NoneType or issubclass(kind, str) for kind in kinds):
        return {_plain(value) for value in distinct}
    return {_plain(value) for value in values if value is not None}


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


def write_workbook(
    stream: IO[bytes], sheets: Sequence[Sheet], *, created: datetime, title: str
) -> None:
    """Write the workbook of ``sheets`` to the seekable ``stream``; ``created`` dates the
    document properties."""
    book = Workbook(write_only=True)
    try:
        frames = _frames(book, sheets, created=created, title=title)
    except BaseException:
        # A write-only sheet's writer is a generator inside an lxml element: left open, it
        # prints a traceback when it is collected (after a Ctrl-C, say).
        for ws in book.worksheets:
            with contextlib.suppress(Exception):
                ws.close()
        raise
    with zipfile.ZipFile(io.BytesIO(frames)) as written:
        entries: list[ZipEntry] = []
        for info in written.infolist():
            data = written.read(info)
            index = _SHEET_PATH.fullmatch(info.filename)
            if index is not None:
                entries.append((info.filename, _with_rows(data, sheets[int(index[1]) - 1])))
            else:
                entries.append((info.filename, data))
    write_zip(stream, entries, created)


def _frames(book: Workbook, sheets: Sequence[Sheet], *, created: datetime, title: str) -> bytes:
    """The workbook as openpyxl writes it with each sheet's header row only."""
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
    return buffer.getvalue()


def workbook_bytes(sheets: Sequence[Sheet], *, created: datetime, title: str) -> bytes:
    """The workbook of ``sheets`` as bytes; ``created`` dates the document properties."""
    buffer = io.BytesIO()
    write_workbook(buffer, sheets, created=created, title=title)
    return buffer.getvalue()


_SHEET_PATH = re.compile(r"xl/worksheets/sheet(\d+)\.xml")
_END_OF_HEADER = b"</row></sheetData>"
_CHUNK_ROWS = 2000
# The characters of ILLEGAL_CHARACTERS_RE, as the bytes that encode them.
_ILLEGAL_BYTES = bytes([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20)])


def _with_rows(frame: bytes, sheet: Sheet) -> Iterator[bytes]:
    """The sheet XML openpyxl wrote with its header row only, with ``sheet.rows`` after it."""
    head, found, tail = frame.partition(_END_OF_HEADER)
    if not found:
        raise ValueError("openpyxl wrote a sheet without its header row")
    yield head + b"</row>"
    letters = [get_column_letter(c) for c in range(1, len(sheet.header) + 1)]
    for start in range(0, len(sheet.rows), _CHUNK_ROWS):
        chunk = _rows_xml(sheet.rows[start : start + _CHUNK_ROWS], start + 2, letters)
        # A lone surrogate (which UTF-8 cannot carry) becomes a character reference, as
        # openpyxl writes every non-ASCII character.
        data = chunk.encode("utf-8", "xmlcharrefreplace")
        # Characters XML cannot carry become U+FFFD, as openpyxl does: done on the chunk,
        # whose markup has none of them, rather than cell by cell. In UTF-8 they are single
        # bytes that no other character uses, which bytes.translate finds fastest.
        if len(data.translate(None, _ILLEGAL_BYTES)) != len(data):
            data = ILLEGAL_CHARACTERS_RE.sub("\ufffd", chunk).encode("utf-8", "xmlcharrefreplace")
        yield data
    yield b"</sheetData>" + tail


def _rows_xml(rows: Sequence[Sequence[Any]], first: int, letters: Sequence[str]) -> str:
    """Rows numbered from ``first``, as openpyxl's write-only sheet writes :func:`_cells` of
    their values (before the illegal characters are replaced)."""
    parts: list[str] = []
    append = parts.append
    for number, values in enumerate(rows, start=first):
        row = str(number)
        append(f'<row r="{row}">')
        for letter, value in zip(letters, values, strict=True):
            if value is None:
                continue
            if type(value) is not str:
                append(_other_cell(letter + row, value))
            elif (
                # Most text needs nothing of what _text_cell does: said here, it is written
                # at half the cost.
                value
                and len(value) <= MAX_CELL_CHARS
                and value == value.strip()
                and "&" not in value
                and "<" not in value
                and ">" not in value
                and "\r" not in value
            ):
                append(f'<c r="{letter}{row}" t="inlineStr"><is><t>{value}</t></is></c>')
            else:
                append(_text_cell(letter + row, value))
        append("</row>")
    return "".join(parts)


def _text_cell(where: str, value: str) -> str:
    if not value:
        return f'<c r="{where}" t="inlineStr"></c>'
    if len(value) > MAX_CELL_CHARS:
        value = value[:MAX_CELL_CHARS]
    space = ""
    # Compared as openpyxl compares it, after the illegal characters (some of which count
    # as white space) are replaced.
    if value != value.strip() and (clean := _cell(value)) != clean.strip():
        space = ' xml:space="preserve"'
    if "&" in value:
        value = value.replace("&", "&amp;")
    if "<" in value:
        value = value.replace("<", "&lt;")
    if ">" in value:
        value = value.replace(">", "&gt;")
    if "\r" in value:
        value = value.replace("\r", "&#13;")
    return f'<c r="{where}" t="inlineStr"><is><t{space}>{value}</t></is></c>'


def _other_cell(where: str, value: Any) -> str:
    if isinstance(value, Enum):
        value = value.value
        if value is None:
            return ""
    if isinstance(value, str):
        return _text_cell(where, value)
    if isinstance(value, bool):
        return f'<c r="{where}" t="b"><v>{value:d}</v></c>'
    if isinstance(value, int | float | Decimal):
        # As openpyxl writes numbers: through a float, 16 significant digits.
        shown = "" if isnan(value) or isinf(value) else format(float(value), ".16g")
        return f'<c r="{where}" t="n"><v>{shown}</v></c>'
    raise TypeError(f"no workbook cell for a {type(value).__name__}")


def _plain(value: Any) -> str:
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)
