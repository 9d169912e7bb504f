"""Reader for Word ``.docx`` files: the same neutral blocks as the text export gives.

What a person sees in Word is what is read; what Word keeps but does not show is not:

- Paragraphs and tables in document order, including those inside content controls. Text
  boxes, drawings, headers, footers, footnotes and comments are outside the flow and skipped.
- Field codes (``w:fldSimple``, ``w:fldChar`` begin/separate/end with ``w:instrText``) are not
  text; a field's *result* is, unless it is hidden. A paragraph carrying a ``TC`` field is a
  :class:`Heading` (``\\f`` identifier, ``\\l`` level); so is one with a Word heading style or
  outline level.
- Tracked changes are read as accepted: inserted text (``w:ins``, ``w:moveTo``) is content,
  deleted text (``w:del``, ``w:moveFrom``) and deleted table rows are not. Hidden text
  (``w:vanish``) is not content.
- Merged cells come out as Word's text export shows them, so the interpreter sees the same
  rows from both: a horizontally merged cell (``w:gridSpan``, legacy ``w:hMerge``) once, a
  cell covered by a vertical merge (``w:vMerge`` continue) as an empty cell.
- A nested table is flattened into the table that holds it: its rows follow the row of the
  cell that holds it, and that cell keeps only its own paragraphs. Layouts that put the
  indicator grid inside a cell of the project table are therefore read like flat ones.
- Cell text joins the cell's paragraphs and line breaks (``w:br``, ``w:cr``) with ``\\n``,
  dropping empty lines; a body paragraph with line breaks becomes one block per line, as the
  text export writes it. Edge whitespace (full-width spaces included) is stripped.

Locations: ``line`` is the 1-based ordinal of the paragraph in document order (every ``w:p``
counts, table cells included); table content also has ``table`` (1-based ordinal of the
``w:tbl`` in document order, nested tables included), ``row`` and ``cell`` (1-based).

The file is untrusted: :mod:`toolkit.readers.ooxml` unpacks it within size and ratio limits and
parses its XML hardened; anything wrong is a :class:`ParseError`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from lxml import etree

from toolkit.blocks import Block, Cell, Heading, Location, Paragraph, Row, Table, clean_text
from toolkit.errors import ParseError
from toolkit.readers.ooxml import parse_xml, unpack

__all__ = ["DOCX_MEDIA_TYPE", "read_docx_blocks"]

DOCX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
DOCUMENT_PART = "word/document.xml"
STYLES_PART = "word/styles.xml"

_NAMESPACES = (
    "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "http://purl.oclc.org/ooxml/wordprocessingml/main",  # Strict Office Open XML
)

# The same characters the text reader strips, so both readers give equal blocks.
_TC_SWITCH = re.compile(r"\\(?P<switch>[a-zA-Z])\s*(?:\"(?P<quoted>[^\"]*)\"|(?P<bare>[^\s\\]+))?")
_TC_ENTRY = re.compile(r"^\s*TC\s+(?:\"(?P<quoted>[^\"]*)\"|(?P<bare>[^\s\\]+))?", re.IGNORECASE)
_HEADING_STYLE_NAME = re.compile(r"^heading\s*(?P<level>[1-9])$", re.IGNORECASE)
_FALSE = {"0", "false", "off"}


def read_docx_blocks(data: bytes) -> list[Block]:
    """The headings, paragraphs and tables of a ``.docx`` file's bytes, in document order.

    Raises :class:`ParseError` (without a file name; the caller adds it) when the bytes are
    not a readable Word document: not a zip, no ``word/document.xml``, malformed XML, or a
    zip that unpacks too large or too fast to be a disclosure.
    """
    parts = unpack(data, required=DOCUMENT_PART, optional=[STYLES_PART], kind="Word .docx")
    document = parse_xml(parts[DOCUMENT_PART], DOCUMENT_PART)
    namespace = etree.QName(document).namespace
    if namespace not in _NAMESPACES or etree.QName(document).localname != "document":
        raise ParseError(f"{DOCUMENT_PART} is not a WordprocessingML document")
    styles: dict[str, int] = {}
    if STYLES_PART in parts:
        styles = _heading_styles(parse_xml(parts[STYLES_PART], STYLES_PART), namespace)
    body = document.find(f"{{{namespace}}}body")
    if body is None:
        raise ParseError(f"{DOCUMENT_PART} has no body")
    walker = _Walker(namespace, styles)
    walker.body(body)
    return walker.blocks


def _heading_styles(styles: etree._Element, ns: str) -> dict[str, int]:
    """Paragraph style id → heading level, by built-in name (``heading 2``) or outline level,
    following ``w:basedOn``; each style is resolved once, so long chains stay linear."""
    w = f"{{{ns}}}"
    own: dict[str, int | None] = {}  # a level, 0 for body text, None to inherit
    based_on: dict[str, str] = {}
    for style in styles.iter(f"{w}style"):
        style_id = style.get(f"{w}styleId")
        if style.get(f"{w}type") != "paragraph" or not style_id:
            continue
        name = style.find(f"{w}name")
        outline = style.find(f"{w}pPr/{w}outlineLvl")
        match = _HEADING_STYLE_NAME.match(name.get(f"{w}val", "") if name is not None else "")
        if match:
            own[style_id] = int(match["level"])
        elif outline is not None:
            own[style_id] = _outline_level(outline, w) or 0
        else:
            own[style_id] = None
        parent = style.find(f"{w}basedOn")
        if parent is not None and parent.get(f"{w}val"):
            based_on[style_id] = parent.get(f"{w}val", "")
    resolved: dict[str, int] = {}
    for start in own:
        chain: list[str] = []
        on_chain: set[str] = set()
        current: str | None = start
        while current is not None and current not in resolved and current not in on_chain:
            chain.append(current)
            on_chain.add(current)
            if own.get(current) is not None:
                break
            current = based_on.get(current)
        if current is not None and current in resolved:
            level = resolved[current]
        else:
            level = (own.get(current) or 0) if current is not None else 0
        for style_id in chain:
            resolved[style_id] = level
    return {style_id: level for style_id, level in resolved.items() if level}


def _outline_level(element: etree._Element, w: str) -> int | None:
    value = element.get(f"{w}val", "")
    # Outline level 9 is body text; 0–8 are heading levels 1–9.
    return int(value) + 1 if value.isdigit() and int(value) < 9 else None


# --- the body ------------------------------------------------------------------------------


def _lines(text: str) -> list[str]:
    return [line for line in (clean_text(part) for part in text.split("\n")) if line]


@dataclass
class _Field:
    code: list[str] = field(default_factory=list)
    in_result: bool = False


@dataclass
class _ParagraphText:
    parts: list[str] = field(default_factory=list)
    instructions: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(self.parts)


@dataclass
class _Walker:
    ns: str
    heading_styles: dict[str, int]
    blocks: list[Block] = field(default_factory=list)
    paragraphs: int = 0
    tables: int = 0
    # Complex fields may span paragraphs (a table of contents does), so the stack lives here.
    fields: list[_Field] = field(default_factory=list)

    def tag(self, name: str) -> str:
        return f"{{{self.ns}}}{name}"

    def body(self, body: etree._Element) -> None:
        for element in self._flow(body):
            if element.tag == self.tag("p"):
                self.blocks.extend(self._paragraph_blocks(element))
            else:
                table = self._table(element)
                if table.rows:
                    self.blocks.append(table)

    def _flow(self, container: etree._Element) -> Iterator[etree._Element]:
        """Paragraphs and tables of a body or cell, looking inside content controls."""
        for child in container:
            if child.tag in (self.tag("p"), self.tag("tbl")):
                yield child
            elif child.tag in (self.tag("sdt"), self.tag("customXml")):
                content = child.find(self.tag("sdtContent"))
                yield from self._flow(content if content is not None else child)

    # paragraphs

    def _paragraph_blocks(self, p: etree._Element) -> list[Block]:
        self.paragraphs += 1
        location = Location(self.paragraphs)
        content = self._paragraph_text(p)
        lines = _lines(content.text)
        heading = self._heading(p, content, lines, location)
        if heading is not None:
            return [heading]
        return [Paragraph(line, location) for line in lines]

    def _heading(
        self, p: etree._Element, content: _ParagraphText, lines: list[str], location: Location
    ) -> Heading | None:
        visible = "".join(lines)
        for instruction in content.instructions:
            entry = _TC_ENTRY.match(instruction)
            if entry is None:
                continue
            switches = {
                m["switch"].lower(): m["quoted"] or m["bare"]
                for m in _TC_SWITCH.finditer(instruction[entry.end() :])
            }
            text = visible or clean_text(entry["quoted"] or entry["bare"] or "")
            if not text:
                continue
            level = switches.get("l") or ""
            identifier = switches.get("f")
            return Heading(
                text,
                int(level) if level.isdigit() and int(level) > 0 else 1,
                identifier.upper() if identifier else None,
                location,
            )
        level = self._style_level(p)
        if level is not None and visible:
            return Heading(visible, level, None, location)
        return None

    def _style_level(self, p: etree._Element) -> int | None:
        properties = p.find(self.tag("pPr"))
        if properties is None:
            return None
        outline = properties.find(self.tag("outlineLvl"))
        if outline is not None:
            return _outline_level(outline, f"{{{self.ns}}}")
        style = properties.find(self.tag("pStyle"))
        if style is None:
            return None
        return self.heading_styles.get(style.get(self.tag("val"), ""))

    def _paragraph_text(self, p: etree._Element) -> _ParagraphText:
        content = _ParagraphText()
        self._inline(p, content, hidden=False)
        return content

    def _inline(self, element: etree._Element, content: _ParagraphText, hidden: bool) -> None:
        t = self.tag
        for child in element:
            tag = child.tag
            if tag == t("r"):
                self._run(child, content, hidden or self._is_hidden(child))
            elif tag == t("fldSimple"):
                self._simple_field(child, content, hidden)
            elif tag in (t("del"), t("moveFrom"), t("pPr"), t("sdtPr"), t("rPr")):
                continue
            elif tag == t("sdt"):
                inner = child.find(t("sdtContent"))
                if inner is not None:
                    self._inline(inner, content, hidden)
            elif isinstance(tag, str) and etree.QName(tag).namespace == self.ns:
                # w:ins, w:moveTo, w:hyperlink, w:smartTag, w:customXml, w:dir, w:bdo …
                self._inline(child, content, hidden)

    def _is_hidden(self, run: etree._Element) -> bool:
        properties = run.find(self.tag("rPr"))
        if properties is None:
            return False
        for name in ("vanish", "specVanish"):
            flag = properties.find(self.tag(name))
            if flag is not None and flag.get(self.tag("val"), "true").lower() not in _FALSE:
                return True
        return False

    def _simple_field(self, element: etree._Element, content: _ParagraphText, hidden: bool) -> None:
        content.instructions.append(element.get(self.tag("instr"), ""))
        self._inline(element, content, hidden)

    def _run(self, run: etree._Element, content: _ParagraphText, hidden: bool) -> None:
        t = self.tag
        for child in run:
            tag = child.tag
            if tag == t("fldChar"):
                self._field_char(child.get(t("fldCharType"), ""), content)
                continue
            if tag == t("instrText"):
                if self.fields and not self.fields[-1].in_result:
                    self.fields[-1].code.append(child.text or "")
                continue
            if hidden or any(not f.in_result for f in self.fields):
                continue
            if tag == t("t"):
                content.parts.append(child.text or "")
            elif tag in (t("tab"), t("ptab")):
                content.parts.append("\t")
            elif tag == t("br"):
                # Page and column breaks are layout; the text export drops them (as \f) too.
                if child.get(t("type"), "textWrapping") == "textWrapping":
                    content.parts.append("\n")
            elif tag == t("cr"):
                content.parts.append("\n")
            elif tag == t("noBreakHyphen"):
                content.parts.append("-")

    def _field_char(self, kind: str, content: _ParagraphText) -> None:
        if kind == "begin":
            self.fields.append(_Field())
        elif kind == "separate" and self.fields:
            current = self.fields[-1]
            if not current.in_result:
                current.in_result = True
                content.instructions.append("".join(current.code))
        elif kind == "end" and self.fields:
            current = self.fields.pop()
            if not current.in_result:
                content.instructions.append("".join(current.code))

    # tables

    def _table(self, tbl: etree._Element) -> Table:
        self.tables += 1
        number = self.tables
        first_paragraph = self.paragraphs + 1
        rows = self._rows(tbl, number)
        return Table(tuple(rows), Location(first_paragraph, number))

    def _rows(self, tbl: etree._Element, number: int) -> list[Row]:
        rows: list[Row] = []
        ordinal = 0
        for tr in self._children(tbl, "tr"):
            deleted = tr.find(f"{self.tag('trPr')}/{self.tag('del')}") is not None
            first_paragraph = self.paragraphs + 1
            cells: list[Cell] = []
            nested: list[Row] = []
            if not deleted:
                ordinal += 1
            for tc in self._children(tr, "tc"):
                state = self._cell_state(tc)
                if deleted or state == "covered":
                    self._cell(tc)  # not shown, but walked so ordinals and fields stay right
                    continue
                line = self.paragraphs + 1
                text, inner_rows = self._cell(tc)
                if state == "continues":
                    # Word shows the merged cell's content once, in its first row.
                    text, inner_rows = "", []
                nested.extend(inner_rows)
                cells.append(Cell(text, Location(line, number, ordinal, len(cells) + 1)))
            if deleted:
                continue
            if cells:
                rows.append(Row(tuple(cells), Location(first_paragraph, number, ordinal)))
            rows.extend(nested)
        return rows

    def _children(self, parent: etree._Element, name: str) -> Iterator[etree._Element]:
        """Rows of a table or cells of a row, looking inside content controls."""
        for child in parent:
            if child.tag == self.tag(name):
                yield child
            elif child.tag in (self.tag("sdt"), self.tag("customXml")):
                content = child.find(self.tag("sdtContent"))
                yield from self._children(content if content is not None else child, name)

    def _cell(self, tc: etree._Element) -> tuple[str, list[Row]]:
        lines: list[str] = []
        nested: list[Row] = []
        for element in self._flow(tc):
            if element.tag == self.tag("p"):
                self.paragraphs += 1
                lines.extend(_lines(self._paragraph_text(element).text))
            else:
                self.tables += 1
                nested.extend(self._rows(element, self.tables))
        return "\n".join(lines), nested

    def _cell_state(self, tc: etree._Element) -> str:
        """``covered`` when Word shows no cell (a legacy horizontal-merge continuation or a
        deleted cell), ``continues`` under a vertical merge, else ``shown``."""
        properties = tc.find(self.tag("tcPr"))
        if properties is None:
            return "shown"
        if properties.find(self.tag("cellDel")) is not None or self._continues(
            properties.find(self.tag("hMerge"))
        ):
            return "covered"
        return "continues" if self._continues(properties.find(self.tag("vMerge"))) else "shown"

    def _continues(self, merge: etree._Element | None) -> bool:
        return merge is not None and merge.get(self.tag("val"), "continue") != "restart"
