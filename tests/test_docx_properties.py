"""Any table typed in Word reads to the same blocks from the .docx as from its text export."""

from __future__ import annotations

from xml.sax.saxutils import escape

from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.readers.docx import read_docx_blocks
from toolkit.readers.text import read_text_blocks

from .docx_builder import docx_from_body

# Edge whitespace of every kind both readers strip, CJK and ASCII content; no tabs, which the
# text export uses to separate cells.
ALPHABET = " \u3000\u00a0\ufeff\u200b项目编码预算数≥90%，、.ab1"
_BLANK = " \u3000\u00a0\ufeff\u200b"

lines = st.lists(st.text(ALPHABET, max_size=8), min_size=1, max_size=3)
cells = st.tuples(lines, st.booleans())  # the lines, and whether they are joined by w:br
rows = st.lists(st.lists(cells, min_size=1, max_size=4), min_size=1, max_size=4)


def _run(text: str) -> str:
    return f'<w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


def _cell_xml(cell_lines: list[str], with_breaks: bool) -> str:
    if with_breaks:
        return "<w:tc><w:p>" + "<w:r><w:br/></w:r>".join(map(_run, cell_lines)) + "</w:p></w:tc>"
    return "<w:tc>" + "".join(f"<w:p>{_run(line)}</w:p>" for line in cell_lines) + "</w:tc>"


def _export(table: list[list[tuple[list[str], bool]]]) -> str:
    """What Word's Save As Plain Text writes: a tab before each cell, continuation lines
    without it, a blank line after each row. (A blank line inside a cell would end the row in
    the export, so Word's export and jixiao both leave such lines out.)"""
    out: list[str] = []
    for row in table:
        for cell_lines, _ in row:
            shown = [line for line in cell_lines if line.strip(_BLANK)]
            out.append("\t" + (shown[0] if shown else ""))
            out.extend(shown[1:])
        out.append("")
    return "\n".join(out) + "\n"


@settings(max_examples=40, deadline=None)
@given(title=st.text(ALPHABET, max_size=10), table=rows)
def test_a_word_table_reads_like_its_text_export(
    title: str, table: list[list[tuple[list[str], bool]]]
) -> None:
    # A lone number is a page number to the text reader; in Word those live in footers.
    title = f"表{title}"
    body = f"<w:p>{_run(title)}</w:p><w:tbl>"
    for row in table:
        body += "<w:tr>" + "".join(_cell_xml(*cell) for cell in row) + "</w:tr>"
    body += "</w:tbl>"
    from_word = read_docx_blocks(docx_from_body(body))
    assert from_word == read_text_blocks(f"{title}\n{_export(table)}")
