"""The neutral blocks every reader produces and the interpreter consumes.

Readers know a file format and nothing about budgets; the interpreter knows the disclosure
layout and nothing about file formats. These types are the whole contract between them.

Every block and cell carries a :class:`Location`. Locations never take part in equality, so
the blocks of a ``.docx`` and of its text export compare equal when their content does.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

__all__ = ["Block", "Cell", "Heading", "Location", "Paragraph", "Row", "Table", "clean_text"]

# Word pads cells and paragraphs with these; no reader keeps them at either end.
_PADDING = " \t\u3000\u00a0\ufeff\u200b"


def clean_text(text: str) -> str:
    """Text of a cell or paragraph as every reader gives it: no Word page or column breaks,
    no padding at either end."""
    return text.replace("\v", "").replace("\f", "").strip(_PADDING)


@dataclass(frozen=True, slots=True)
class Location:
    """Where something came from in its source file.

    ``line`` is always set: the 1-based line of a text file, or for formats without lines
    (Word) the 1-based ordinal of the paragraph in document order. ``table``, ``row`` and
    ``cell`` (1-based) are set for table content of formats that have real tables.
    """

    line: int
    table: int | None = None
    row: int | None = None
    cell: int | None = None

    def __str__(self) -> str:
        if self.table is None:
            return f"line {self.line}"
        parts = [f"table {self.table}"]
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.cell is not None:
            parts.append(f"cell {self.cell}")
        return ", ".join(parts)


@dataclass(frozen=True, slots=True)
class Heading:
    """A heading; ``field`` is the Word TC field identifier (``A``, ``C``) when there was one."""

    text: str
    level: int = 1
    field: str | None = None
    location: Location = dataclasses.field(default=Location(0), compare=False)


@dataclass(frozen=True, slots=True)
class Paragraph:
    text: str
    location: Location = dataclasses.field(default=Location(0), compare=False)


@dataclass(frozen=True, slots=True)
class Cell:
    """One table cell. ``text`` keeps its inner line breaks as ``\\n``; merged cells are
    resolved by the reader: a cell covered by a vertical merge is empty, as in the text export."""

    text: str
    location: Location = dataclasses.field(default=Location(0), compare=False)


@dataclass(frozen=True, slots=True)
class Row:
    cells: tuple[Cell, ...]
    location: Location = dataclasses.field(default=Location(0), compare=False)

    @property
    def texts(self) -> list[str]:
        return [cell.text for cell in self.cells]


@dataclass(frozen=True, slots=True)
class Table:
    rows: tuple[Row, ...]
    location: Location = dataclasses.field(default=Location(0), compare=False)


Block = Heading | Paragraph | Table
