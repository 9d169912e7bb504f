"""The Word reader: the sample as a real .docx reads to the text export's model, and each Word
construct (merges, fields, revisions, hidden text, nesting, styles) reads as Word shows it."""

from __future__ import annotations

import io
import shutil
import zipfile
from pathlib import Path

import docx
import pytest
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

import toolkit
from toolkit.blocks import Cell, Heading, Location, Paragraph, Row, Table
from toolkit.readers.docx import DOCX_MEDIA_TYPE, read_docx_blocks
from toolkit.readers.text import decode, read_text_blocks
from toolkit.reading import read_blocks

from .docx_builder import docx_from_body, sample_docx


@pytest.fixture(scope="module")
def sample_docx_bytes(sample_path: Path) -> bytes:
    return sample_docx(sample_path)


def _as_disclosure(tmp_path: Path, data: bytes, sample_path: Path, name: str) -> Path:
    """Write ``data`` as ``name`` with the sample's metadata sidecar beside it."""
    path = tmp_path / name
    path.write_bytes(data)
    shutil.copy(sample_path.with_suffix(".meta.toml"), path.with_suffix(".meta.toml"))
    return path


def _text_blocks(sample_path: Path) -> list:
    return read_text_blocks(decode(sample_path.read_bytes())[0])


def _body(xml: str) -> list:
    return read_docx_blocks(docx_from_body(xml))


def _p(*runs: str, ppr: str = "") -> str:
    return f"<w:p>{ppr}{''.join(runs)}</w:p>"


def _r(text: str, rpr: str = "") -> str:
    return f'<w:r>{rpr}<w:t xml:space="preserve">{text}</w:t></w:r>'


def _tc(*content: str, tcpr: str = "") -> str:
    return f"<w:tc><w:tcPr>{tcpr}</w:tcPr>{''.join(content) or '<w:p/>'}</w:tc>"


def _tbl(*rows: list[str]) -> str:
    return "<w:tbl>" + "".join(f"<w:tr>{''.join(row)}</w:tr>" for row in rows) + "</w:tbl>"


# --- the sample ----------------------------------------------------------------------------


def test_sample_docx_reads_to_the_same_model_as_the_text_export(
    tmp_path: Path, sample_path: Path, sample_docx_bytes: bytes, sample: toolkit.Disclosure
) -> None:
    disclosure = toolkit.read(
        _as_disclosure(tmp_path, sample_docx_bytes, sample_path, "disclosure.docx")
    )
    assert disclosure == sample
    assert (len(disclosure.projects), disclosure.indicator_count) == (15, 75)
    assert str(disclosure.total_budget) == "1651.67"
    assert disclosure.source.media_type == DOCX_MEDIA_TYPE
    assert disclosure.source.encoding is None
    assert disclosure.warnings == []


def test_sample_docx_gives_the_text_exports_blocks(
    sample_path: Path, sample_docx_bytes: bytes
) -> None:
    assert read_docx_blocks(sample_docx_bytes) == _text_blocks(sample_path)


def test_sample_docx_has_real_merges_that_python_docx_would_repeat(
    sample_docx_bytes: bytes,
) -> None:
    word = docx.Document(io.BytesIO(sample_docx_bytes)).tables[0]
    repeated = [cell.text for cell in word.rows[3].cells]
    assert repeated[0] == "预算规模及资金用途"  # python-docx repeats the vertical merge
    assert len(set(repeated[1:])) == 1 and len(repeated) == 7  # and the horizontal span
    table = next(b for b in read_docx_blocks(sample_docx_bytes) if isinstance(b, Table))
    assert table.rows[3].texts == ["", repeated[1]]
    assert table.rows[9].texts[0] == "" and table.rows[8].texts[0] == "产出指标"


def test_sample_docx_locations_are_paragraph_ordinals_and_table_cells(
    sample_docx_bytes: bytes,
) -> None:
    blocks = read_docx_blocks(sample_docx_bytes)
    lines = [block.location.line for block in blocks]
    assert lines == sorted(lines) and lines[0] == 1
    first_table = next(b for b in blocks if isinstance(b, Table))
    assert first_table.location.table == 1
    cell = first_table.rows[1].cells[1]
    assert cell.text == "917-0101-YCN-16DG"
    assert (cell.location.table, cell.location.row, cell.location.cell) == (1, 2, 2)
    assert str(first_table.rows[1].location) == "table 1, row 2"
    assert cell.location.line > first_table.location.line
    last_table = [b for b in blocks if isinstance(b, Table)][-1]
    assert last_table.location.table == 15


def test_indicators_from_word_know_their_table_and_row(
    tmp_path: Path, sample_path: Path, sample_docx_bytes: bytes, sample: toolkit.Disclosure
) -> None:
    path = _as_disclosure(tmp_path, sample_docx_bytes, sample_path, "disclosure.docx")
    second = toolkit.read(path).projects[0].indicators[1]
    assert (second.name, second.source.where) == ("扶助资金到位率", "table 1, row 10")
    assert sample.projects[0].indicators[1].source.where is None  # text has lines only


def test_a_zip_is_read_as_docx_whatever_its_suffix(sample_docx_bytes: bytes) -> None:
    blocks, media_type, encoding = read_blocks(sample_docx_bytes, suffix=".txt")
    assert (media_type, encoding) == (DOCX_MEDIA_TYPE, None)
    assert blocks == read_docx_blocks(sample_docx_bytes)


def test_indicator_grid_nested_in_a_cell_reads_like_a_flat_table(
    tmp_path: Path, sample_path: Path, sample: toolkit.Disclosure
) -> None:
    nested = sample_docx(sample_path, nest_indicators=True)
    assert read_docx_blocks(nested) != read_docx_blocks(sample_docx(sample_path))
    path = _as_disclosure(tmp_path, nested, sample_path, "nested.docx")
    assert toolkit.read(path) == sample


# --- fields --------------------------------------------------------------------------------


def test_tc_field_makes_a_heading_without_its_code() -> None:
    complex_field = (
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        '<w:r><w:instrText xml:space="preserve"> TC "1、甲绩效目标表" </w:instrText></w:r>'
        '<w:r><w:instrText xml:space="preserve">\\f c \\l 2 </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    )
    simple = '<w:fldSimple w:instr=" TC 总体目标 \\f A "/>'
    assert _body(
        _p(_r("1、甲绩效目标表"), complex_field) + _p(_r("一、总体目标"), simple) + _p(simple)
    ) == [
        Heading("1、甲绩效目标表", 2, "C"),
        Heading("一、总体目标", 1, "A"),
        Heading("总体目标", 1, "A"),  # no visible text: the entry
    ]


def test_field_results_are_text_and_field_codes_are_not() -> None:
    nested_code = (
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        "<w:r><w:instrText> IF </w:instrText></w:r>"
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        "<w:r><w:instrText> MERGEFIELD 年度 </w:instrText></w:r>"
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        + _r("旧值")
        + '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
        '<w:r><w:instrText> = "" "" "2020" </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        + _r("2020")
        + '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    )
    simple = '<w:fldSimple w:instr=" DATE "><w:r><w:t>年度</w:t></w:r></w:fldSimple>'
    assert _body(_p(_r("预算年度："), nested_code, simple)) == [Paragraph("预算年度：2020年度")]


def test_hidden_field_results_and_hidden_text_are_not_content() -> None:
    hidden = "<w:rPr><w:vanish/></w:rPr>"
    field = (
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        "<w:r><w:instrText> REF 备注 </w:instrText></w:r>"
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        + _r("内部备注", hidden)
        + '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    )
    shown = '<w:rPr><w:vanish w:val="0"/></w:rPr>'
    assert _body(_p(_r("可见"), field, _r("隐藏", hidden), _r("也可见", shown))) == [
        Paragraph("可见也可见")
    ]


def test_a_field_spanning_paragraphs_keeps_its_result_paragraphs() -> None:
    toc = _p(
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>',
        '<w:r><w:instrText> TOC \\o "1-3" </w:instrText></w:r>',
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>',
        _r("目录一"),
    ) + _p(_r("目录二"), '<w:r><w:fldChar w:fldCharType="end"/></w:r>')
    assert _body(toc + _p(_r("正文"))) == [
        Paragraph("目录一"),
        Paragraph("目录二"),
        Paragraph("正文"),
    ]


# --- revisions -----------------------------------------------------------------------------


def test_deleted_revisions_are_not_content_and_inserted_ones_are() -> None:
    author = 'w:id="1" w:author="审核" w:date="2020-01-01T00:00:00Z"'
    paragraph = _p(
        _r("预算数"),
        f"<w:del {author}><w:r><w:delText>17.54</w:delText></w:r></w:del>",
        f"<w:del {author}>{_r('有的程序在删除里写 w:t')}</w:del>",
        f"<w:ins {author}>{_r('18.00')}</w:ins>",
        f"<w:moveFrom {author}>{_r('移走')}</w:moveFrom>",
        f"<w:moveTo {author}>{_r('万元')}</w:moveTo>",
    )
    deleted_row = f"<w:tr><w:trPr><w:del {author}/></w:trPr>{_tc(_p(_r('删除的行')))}</w:tr>"
    table = f"<w:tbl><w:tr>{_tc(_p(_r('保留')))}</w:tr>{deleted_row}</w:tbl>"
    blocks = _body(paragraph + table)
    assert blocks[0] == Paragraph("预算数18.00万元")
    assert blocks[1] == Table((Row((Cell("保留"),)),))


# --- tables --------------------------------------------------------------------------------


def test_merged_cells_read_as_the_text_export_shows_them() -> None:
    table = _tbl(
        [_tc(_p(_r("产出指标")), tcpr='<w:vMerge w:val="restart"/>'), _tc(_p(_r("数量指标")))],
        [_tc(tcpr="<w:vMerge/>"), _tc(_p(_r("质量指标")))],
        [_tc(_p(_r("合并后残留")), tcpr='<w:vMerge w:val="continue"/>'), _tc(_p(_r("时效指标")))],
        [_tc(_p(_r("合计")), tcpr='<w:gridSpan w:val="2"/>')],
        [_tc(_p(_r("旧式")), tcpr='<w:hMerge w:val="restart"/>'), _tc(tcpr="<w:hMerge/>")],
    )
    assert [row.texts for row in _body(table)[0].rows] == [
        ["产出指标", "数量指标"],
        ["", "质量指标"],
        ["", "时效指标"],  # Word shows a merged cell's content once, from its first row
        ["合计"],
        ["旧式"],
    ]


def test_cell_text_keeps_its_line_breaks_and_drops_empty_lines() -> None:
    cell = _tc(
        _p(_r("1、按进度支出"), "<w:r><w:br/></w:r>", _r("2、保证发放到位")),
        "<w:p/>",
        _p(_r("\u30003、其他\u3000")),
        _p(_r("接着"), '<w:r><w:br w:type="page"/></w:r>', _r("写")),
    )
    assert _body(_tbl([cell]))[0].rows[0].texts == [
        "1、按进度支出\n2、保证发放到位\n3、其他\n接着写"
    ]


def test_a_body_paragraph_with_line_breaks_is_one_block_per_line_like_the_text_export() -> None:
    paragraph = _p(_r("第一行"), "<w:r><w:cr/></w:r>", _r("第二行"), "<w:r><w:br/></w:r>")
    assert _body(paragraph) == read_text_blocks("第一行\n第二行\n")


def test_edge_whitespace_is_stripped_as_the_text_reader_strips_it() -> None:
    padding = " \t\u3000\u00a0\ufeff\u200b"
    text = f"{padding}单位：万元{padding}"
    assert _body(_p(_r(text))) == read_text_blocks(text) == [Paragraph("单位：万元")]


def test_nested_table_rows_follow_the_row_that_holds_them() -> None:
    inner = _tbl([_tc(_p(_r("一级指标"))), _tc(_p(_r("二级指标")))])
    outer = _tbl(
        [_tc(_p(_r("项目编码"))), _tc(_p(_r("X-1")))],
        [_tc(_p(_r("绩效指标")), inner, "<w:p/>"), _tc()],
        [_tc(_p(_r("备注"))), _tc()],
    )
    (table,) = _body(_p(_r("前言")) + outer)[1:]
    assert [row.texts for row in table.rows] == [
        ["项目编码", "X-1"],
        ["绩效指标", ""],
        ["一级指标", "二级指标"],
        ["备注", ""],
    ]
    assert table.rows[2].cells[1].location == Location(line=6, table=2, row=1, cell=2)
    assert table.rows[3].location == Location(line=9, table=1, row=3)


def test_content_controls_are_read_through() -> None:
    body = (
        f"<w:sdt><w:sdtPr/><w:sdtContent>{_p(_r('控件段落'))}</w:sdtContent></w:sdt>"
        + _p(f"<w:sdt><w:sdtContent>{_r('行内')}</w:sdtContent></w:sdt>", _r("控件"))
        + "<w:tbl><w:sdt><w:sdtContent><w:tr>"
        + f"<w:sdt><w:sdtContent>{_tc(_p(_r('单元格')))}</w:sdtContent></w:sdt>"
        + "</w:tr></w:sdtContent></w:sdt></w:tbl>"
    )
    assert _body(body) == [
        Paragraph("控件段落"),
        Paragraph("行内控件"),
        Table((Row((Cell("单元格"),)),)),
    ]


# --- headings by style ---------------------------------------------------------------------


def test_word_heading_styles_and_outline_levels_make_headings() -> None:
    body = (
        _p(_r("第一部分"), ppr='<w:pPr><w:pStyle w:val="Heading1"/></w:pPr>')
        + _p(_r("总体目标"), ppr='<w:pPr><w:pStyle w:val="Heading2"/></w:pPr>')
        + _p(_r("大纲"), ppr='<w:pPr><w:outlineLvl w:val="2"/></w:pPr>')
        + _p(_r("正文"), ppr='<w:pPr><w:pStyle w:val="Heading1"/><w:outlineLvl w:val="9"/></w:pPr>')
        + _p(_r("普通"), ppr='<w:pPr><w:pStyle w:val="Normal"/></w:pPr>')
    )
    assert _body(body) == [
        Heading("第一部分", 1),
        Heading("总体目标", 2),
        Heading("大纲", 3),
        Paragraph("正文"),
        Paragraph("普通"),
    ]


def test_a_style_based_on_a_heading_is_a_heading_unless_it_says_body_text() -> None:
    document = docx.Document()
    heading = document.styles.add_style("项目标题", WD_STYLE_TYPE.PARAGRAPH)
    heading.base_style = document.styles["Heading 3"]
    derived = document.styles.add_style("项目子标题", WD_STYLE_TYPE.PARAGRAPH)
    derived.base_style = heading
    body = document.styles.add_style("标题样的正文", WD_STYLE_TYPE.PARAGRAPH)
    body.base_style = document.styles["Heading 1"]
    body.element.get_or_add_pPr().append(parse_xml(f'<w:outlineLvl {nsdecls("w")} w:val="9"/>'))
    document.add_paragraph("1、甲绩效目标表", style="项目标题")
    document.add_paragraph("（一）分项", style="项目子标题")
    document.add_paragraph("说明", style="标题样的正文")
    buffer = io.BytesIO()
    document.save(buffer)
    assert read_docx_blocks(buffer.getvalue()) == [
        Heading("1、甲绩效目标表", 3),
        Heading("（一）分项", 3),
        Paragraph("说明"),
    ]


def test_strict_open_xml_documents_are_read() -> None:
    strict = "http://purl.oclc.org/ooxml/wordprocessingml/main"
    xml = f'<w:document xmlns:w="{strict}"><w:body>{_p(_r("严格"))}</w:body></w:document>'
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", xml)
    assert read_docx_blocks(buffer.getvalue()) == [Paragraph("严格")]
