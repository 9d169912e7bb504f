"""Reader for the plain-text export of a Word disclosure (Word: Save As → Plain Text).

The export writes each table cell on a line of its own that starts with a tab, ends a row with
a blank line, continues a multi-line cell on lines without the tab, and leaves Word TC field
codes (``… TC 总体绩效目标 \\f A \\l 1``) on headings and page numbers on lines of their own.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from charset_normalizer import from_bytes

from toolkit.blocks import Block, Cell, Heading, Location, Paragraph, Row, Table, clean_text
from toolkit.errors import ParseError

__all__ = ["decode", "read_text_blocks"]

_TC_FIELD = re.compile(
    r'\s*TC\s+"?(?P<entry>.*?)"?\s*\\f\s*(?P<field>\w)(?:\s*\\l\s*(?P<level>\d+))?[^\n]*$'
)
_PAGE_NUMBER = re.compile(r"^(?:\d{1,4}|-\s*\d{1,4}\s*-|第\s*\d{1,4}\s*页)$")
_CONTROL_BUDGET = 0.01
# C0 and C1 controls other than tab, line ends, form feed and vertical tab.
_CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")


def decode(data: bytes) -> tuple[str, str]:
    """Decode a text export, detecting the encoding: UTF-8 (with or without BOM), UTF-16 with
    BOM, GB18030, or what charset-normalizer recognises. Returns ``(text, encoding)``."""
    if not data.strip():
        raise ParseError("the file is empty", line=1)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as error:
            raise ParseError("broken UTF-16 text", line=_line_of(data, error.start)) from error
    if b"\x00" in data:
        raise ParseError(
            "this is a binary file, not a text export", line=_line_of(data, data.index(b"\x00"))
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as utf8_error:
        first_bad_byte = utf8_error.start
    else:
        _reject_binary(text)
        return text, "utf-8"
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        pass
    else:
        _reject_binary(text)
        return text, "gb18030"
    best = from_bytes(data).best()
    if best is None or best.encoding is None:
        raise ParseError(
            "not UTF-8, GB18030 or another text encoding jixiao recognises",
            line=_line_of(data, first_bad_byte),
        )
    text = str(best)
    _reject_binary(text)
    return text, best.encoding


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def _reject_binary(text: str) -> None:
    controls = _CONTROL_CHARACTERS.findall(text, 0, 65536)
    if len(controls) > max(2, min(len(text), 65536) * _CONTROL_BUDGET):
        first = _CONTROL_CHARACTERS.search(text)
        line = text.count("\n", 0, first.start() if first else 0) + 1
        raise ParseError("this looks like a binary file, not a text export", line=line)


@dataclass
class _TableBuilder:
    first_line: int
    rows: list[Row] = field(default_factory=list)
    cells: list[Cell] = field(default_factory=list)
    row_line: int = 0

    def add_cell(self, text: str, location: Location) -> None:
        if not self.cells:
            self.row_line = location.line
        self.cells.append(Cell(text, location))

    def continue_cell(self, text: str) -> None:
        last = self.cells[-1]
        joined = f"{last.text}\n{text}" if last.text else text
        self.cells[-1] = Cell(joined, last.location)

    def end_row(self) -> None:
        if self.cells:
            self.rows.append(Row(tuple(self.cells), Location(self.row_line)))
            self.cells = []

    def build(self) -> Table:
        self.end_row()
        return Table(tuple(self.rows), Location(self.first_line))


def _heading(text: str, line: int) -> Heading | None:
    match = _TC_FIELD.search(text)
    if match is None:
        return None
    visible = clean_text(text[: match.start()]) or clean_text(match["entry"])
    return Heading(visible, int(match["level"] or 1), match["field"].upper(), Location(line))


def _lines(text: str) -> Iterator[tuple[int, str]]:
    yield from enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"), 1)


def read_text_blocks(text: str) -> list[Block]:
    """Split decoded text into headings, paragraphs and tables, each with its line."""
    blocks: list[Block] = []
    table: _TableBuilder | None = None
    previous_was_cell = False
    for number, line in _lines(text):
        if line.startswith("\t"):
            if table is None:
                table = _TableBuilder(number)
            # One location for the line's cells: it is immutable, and a table has many.
            location = Location(number)
            for part in line[1:].split("\t"):
                table.add_cell(clean_text(part), location)
            previous_was_cell = True
            continue
        content = clean_text(line)
        if not content:
            if table is not None:
                table.end_row()
            previous_was_cell = False
            continue
        if table is not None and previous_was_cell:
            table.continue_cell(content)
            continue
        if _PAGE_NUMBER.match(content):
            continue
        if table is not None:
            blocks.append(table.build())
            table = None
        previous_was_cell = False
        blocks.append(_heading(content, number) or Paragraph(content, Location(number)))
    if table is not None:
        blocks.append(table.build())
    return blocks
