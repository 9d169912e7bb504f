"""The text-export reader: encodings, line ends, TC fields, page numbers, cells."""

from __future__ import annotations

import pytest

import toolkit
from toolkit.blocks import Heading, Paragraph, Table
from toolkit.errors import ParseError
from toolkit.readers.text import decode, read_text_blocks


def blocks_of(text: str):
    return read_text_blocks(text)


def test_tc_field_codes_are_removed_from_headings():
    [heading] = blocks_of("一、总体绩效目标 TC 总体绩效目标 \\f A \\l 1 \n")
    assert heading == Heading("一、总体绩效目标", level=1, field="A")


def test_a_lone_number_line_is_a_page_number_and_not_content():
    blocks = blocks_of("第一部分\n\n12\n第二部分\n")
    assert blocks == [Paragraph("第一部分"), Paragraph("第二部分")]


def test_cells_rows_and_multi_line_cells():
    text = "\t绩效目标\n\t1、按进度支出\n2、保证发放到位\n\n\t\n\t25.00\n\n"
    [table] = blocks_of(text)
    assert isinstance(table, Table)
    assert [row.texts for row in table.rows] == [
        ["绩效目标", "1、按进度支出\n2、保证发放到位"],
        ["", "25.00"],
    ]


def test_every_cell_knows_its_line():
    [table] = blocks_of("标题\n\t甲\n\t乙\n\n\t丙\n")[1:]
    assert [cell.location.line for row in table.rows for cell in row.cells] == [2, 3, 5]


def test_full_width_spaces_around_cells_are_stripped():
    [table] = blocks_of("\t\u3000\u3000项目名称\u3000\n")
    assert table.rows[0].texts == ["项目名称"]


def test_a_line_after_a_blank_line_ends_the_table():
    blocks = blocks_of("\t甲\n\n正文\n")
    assert isinstance(blocks[0], Table)
    assert blocks[1] == Paragraph("正文")


@pytest.mark.parametrize(
    ("encode", "expected"),
    [
        (lambda t: t.encode("utf-8"), "utf-8"),
        (lambda t: b"\xef\xbb\xbf" + t.encode("utf-8"), "utf-8"),
        (lambda t: t.encode("gb18030"), "gb18030"),
        (lambda t: t.encode("utf-16"), "utf-16"),
    ],
    ids=["utf-8", "utf-8-bom", "gb18030", "utf-16-bom"],
)
def test_encodings_are_detected(encode, expected):
    text, encoding = decode(encode("第二部分\n预算项目绩效目标\n\t项目编码\n"))
    assert text.lstrip("\ufeff").startswith("第二部分")
    assert encoding == expected


@pytest.mark.parametrize(
    "variant",
    ["utf-8-bom", "gb18030", "crlf", "cr", "gb18030-crlf", "utf-16"],
)
def test_encoding_and_line_end_variants_give_the_identical_model(tmp_path, sample_path, variant):
    text = sample_path.read_text(encoding="utf-8")
    if "crlf" in variant:
        text = text.replace("\n", "\r\n")
    if variant == "cr":
        text = text.replace("\n", "\r")
    data = {
        "utf-8-bom": lambda: b"\xef\xbb\xbf" + text.encode("utf-8"),
        "gb18030": lambda: text.encode("gb18030"),
        "crlf": lambda: text.encode("utf-8"),
        "cr": lambda: text.encode("utf-8"),
        "gb18030-crlf": lambda: text.encode("gb18030"),
        "utf-16": lambda: text.encode("utf-16"),
    }[variant]()
    copy = tmp_path / "disclosure.txt"
    copy.write_bytes(data)
    reference = toolkit.read(sample_path)
    disclosure = toolkit.read(copy, metadata=toolkit.DocumentMetadata(year=2020))
    assert disclosure.model_dump(exclude={"source", "region", "publisher", "license"}) == (
        reference.model_dump(exclude={"source", "region", "publisher", "license"})
    )
    # Source lines are provenance, excluded from equality: check them explicitly.
    assert [p.source.model_dump() for p in disclosure.projects] == [
        p.source.model_dump() for p in reference.projects
    ]


def test_binary_input_is_refused_with_its_line():
    with pytest.raises(ParseError, match="binary") as caught:
        decode("第一部分\n第二部分\n".encode() + b"\x00\x01\x02")
    assert caught.value.line == 3


def test_undecodable_bytes_name_their_line():
    data = "第一行\n第二行\n".encode() + bytes(range(0x80, 0xA0)) * 4 + b"\x81"
    with pytest.raises(ParseError) as caught:
        decode(data)
    assert caught.value.line == 3
