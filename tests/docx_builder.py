"""Word documents for the tests, built with python-docx the way Word lays them out.

``sample_docx`` turns the text export of the sample back into the Word document it came from:
one real table per project, the level-1 indicator cells merged vertically (``w:vMerge``), rows
with fewer cells than the grid spanning columns (``w:gridSpan``), multi-line cells as several
paragraphs or line breaks, and headings carrying real TC fields (hidden, as Word inserts them).
It adds what Word adds and a reader must see through: runs split mid-word, proofing marks,
bookmarks, full-width indentation, empty paragraphs, a page break, a page-number footer.

``docx_from_body`` wraps raw WordprocessingML body XML in a valid package for small cases.
"""

from __future__ import annotations

import io
from pathlib import Path

import docx
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.oxml.parser import OxmlElement
from lxml import etree

from toolkit.blocks import Heading, Paragraph, Row, Table
from toolkit.readers.text import decode, read_text_blocks


def _save(document: docx.document.Document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def docx_from_body(body_xml: str) -> bytes:
    """A .docx whose body is ``body_xml`` (elements in the ``w:`` namespace, no wrapper)."""
    document = docx.Document()
    body = document.element.body
    section = body.find(qn("w:sectPr"))
    for child in list(body):
        body.remove(child)
    wrapper = parse_xml(f"<w:body {nsdecls('w')}>{body_xml}</w:body>")
    for child in list(wrapper):
        body.append(child)
    if section is not None:
        body.append(section)
    return _save(document)


def _element(xml: str) -> etree._Element:
    return parse_xml(f"<w:wrap {nsdecls('w')}>{xml}</w:wrap>")[0]


def _run(text: str) -> etree._Element:
    run = OxmlElement("w:r")
    t = OxmlElement("w:t")
    t.text = text
    t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    run.append(t)
    return run


def _split_runs(paragraph: etree._Element, text: str, bookmark: int) -> None:
    """Word splits a paragraph into runs wherever proofing or editing touched it."""
    middle = len(text) // 2
    paragraph.append(_run(text[:middle]))
    paragraph.append(_element('<w:proofErr w:type="spellStart"/>'))
    paragraph.append(_element(f'<w:bookmarkStart w:id="{bookmark}" w:name="_Toc{bookmark}"/>'))
    paragraph.append(_run(text[middle:]))
    paragraph.append(_element(f'<w:bookmarkEnd w:id="{bookmark}"/>'))
    paragraph.append(_element('<w:proofErr w:type="spellEnd"/>'))


def _field_char(kind: str) -> etree._Element:
    return _element(f'<w:r><w:rPr><w:vanish/></w:rPr><w:fldChar w:fldCharType="{kind}"/></w:r>')


def _instruction(code: str) -> etree._Element:
    run = _element("<w:r><w:rPr><w:vanish/></w:rPr></w:r>")
    instr = OxmlElement("w:instrText")
    instr.text = code
    instr.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    run.append(instr)
    return run


def _heading(body: etree._Element, heading: Heading, ordinal: int) -> None:
    paragraph = OxmlElement("w:p")
    _split_runs(paragraph, heading.text, 1000 + ordinal)
    field = f' TC "{heading.text}" \\f {heading.field} \\l {heading.level} '
    if ordinal % 2:
        # A complex field split over runs, as Word writes one typed with Alt+Shift+O.
        paragraph.append(_field_char("begin"))
        paragraph.append(_instruction(field[:6]))
        paragraph.append(_instruction(field[6:]))
        paragraph.append(_field_char("end"))
    else:
        simple = OxmlElement("w:fldSimple")
        simple.set(qn("w:instr"), field)
        paragraph.append(simple)
    body.append(paragraph)


def _paragraph(body: etree._Element, text: str, bookmark: int = 0) -> etree._Element:
    paragraph = OxmlElement("w:p")
    if text:
        _split_runs(paragraph, text, bookmark)
    body.append(paragraph)
    return paragraph


def _cell_content(tc: etree._Element, text: str, use_breaks: bool) -> None:
    lines = text.split("\n")
    if use_breaks and len(lines) > 1:
        paragraph = OxmlElement("w:p")
        for index, line in enumerate(lines):
            if index:
                paragraph.append(_element("<w:r><w:br/></w:r>"))
            paragraph.append(_run(line))
        tc.append(paragraph)
    else:
        for line in lines:
            paragraph = OxmlElement("w:p")
            if line:
                paragraph.append(_run(line))
            tc.append(paragraph)
    if len(lines) > 1:
        tc.append(OxmlElement("w:p"))  # Word leaves an empty paragraph after a typed list


def _table(rows: tuple[Row, ...], ordinal: int, *, nest_indicators: bool) -> etree._Element:
    """One Word table; the last cell of a short row spans the rest of the grid, and an empty
    first cell under a cell of the same span continues it downwards (a vertical merge).

    With ``nest_indicators`` the indicator grid goes into a nested table, in a row of its own
    holding nothing else, as some templates do."""
    grid = max(len(row.cells) for row in rows)
    tbl = _element(
        '<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="0" w:type="auto"/>'
        "</w:tblPr></w:tbl>"
    )
    columns = OxmlElement("w:tblGrid")
    for _ in range(grid):
        column = OxmlElement("w:gridCol")
        column.set(qn("w:w"), str(9000 // grid))
        columns.append(column)
    tbl.append(columns)
    above: tuple[etree._Element, int, bool] | None = None  # first cell, its span, merged
    for position, row in enumerate(rows):
        if nest_indicators and row.texts[0] == "一级指标":
            tc = _element(f'<w:tc><w:tcPr><w:gridSpan w:val="{grid}"/></w:tcPr></w:tc>')
            tc.append(_table(rows[position:], ordinal, nest_indicators=False))
            tc.append(OxmlElement("w:p"))  # a cell ends with a paragraph
            tr = OxmlElement("w:tr")
            tr.append(tc)
            tbl.append(tr)
            break
        tr = OxmlElement("w:tr")
        count = len(row.cells)
        for index, cell in enumerate(row.cells):
            span = grid - count + 1 if index == count - 1 else 1
            tc = OxmlElement("w:tc")
            properties = OxmlElement("w:tcPr")
            width = OxmlElement("w:tcW")
            width.set(qn("w:w"), str(span * 9000 // grid))
            width.set(qn("w:type"), "dxa")
            properties.append(width)
            if span > 1:
                properties.append(_element(f'<w:gridSpan w:val="{span}"/>'))
            continues = index == 0 and not cell.text and above is not None and above[1] == span
            if continues and above is not None:
                if not above[2]:
                    above[0].find(qn("w:tcPr")).append(_element('<w:vMerge w:val="restart"/>'))
                properties.append(_element("<w:vMerge/>"))
            tc.append(properties)
            _cell_content(tc, cell.text, use_breaks=ordinal % 2 == 0)
            tr.append(tc)
            if index == 0:
                above = (above[0], above[1], True) if continues and above else (tc, span, False)
        tbl.append(tr)
    return tbl


def _page_number_footer(document: docx.document.Document) -> None:
    footer = document.sections[0].footer.paragraphs[0]._p
    footer.append(_element('<w:fldSimple w:instr=" PAGE "><w:r><w:t>1</w:t></w:r></w:fldSimple>'))


def sample_docx(text_export: Path, *, nest_indicators: bool = False) -> bytes:
    """The Word document the sample's text export was saved from (see the module docstring)."""
    blocks = read_text_blocks(decode(text_export.read_bytes())[0])
    document = docx.Document()
    body = document.element.body
    section = body.find(qn("w:sectPr"))
    body.remove(section)
    tables = headings = 0
    for block in blocks:
        if isinstance(block, Heading):
            headings += 1
            _heading(body, block, headings)
        elif isinstance(block, Paragraph):
            if block.text == "第二部分":
                _paragraph(body, "").append(_element('<w:r><w:br w:type="page"/></w:r>'))
            _paragraph(body, "\u3000\u3000" + block.text, block.location.line)
        elif isinstance(block, Table):
            tables += 1
            body.append(_table(block.rows, tables, nest_indicators=nest_indicators))
            _paragraph(body, "")
    body.append(section)
    _page_number_footer(document)
    return _save(document)
