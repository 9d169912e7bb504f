"""Property-based tests: the reader is total on mutated copies of the sample.

Whatever is done to the file (lines dropped, duplicated, truncated, bytes flipped, whitespace
added), ``toolkit.read`` returns a model or raises ``ParseError``, nothing else.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import toolkit
from toolkit.readers.text import read_text_blocks
from toolkit.targets import parse_target

from .conftest import SAMPLE

SAMPLE_BYTES = SAMPLE.read_bytes()
SAMPLE_LINES = SAMPLE_BYTES.split(b"\n")
PROPERTY_SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


def read_bytes(data: bytes):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "mutated.txt"
        path.write_bytes(data)
        try:
            return toolkit.read(path)
        except toolkit.ParseError as error:
            assert error.file == str(path)
            assert error.line is None or error.line >= 1
            return None


line_index = st.integers(min_value=0, max_value=len(SAMPLE_LINES) - 1)


@PROPERTY_SETTINGS
@given(st.lists(line_index, max_size=8))
def test_dropping_lines_gives_a_model_or_a_parse_error(indexes):
    lines = [line for i, line in enumerate(SAMPLE_LINES) if i not in set(indexes)]
    read_bytes(b"\n".join(lines))


@PROPERTY_SETTINGS
@given(st.lists(line_index, max_size=8))
def test_duplicating_lines_gives_a_model_or_a_parse_error(indexes):
    lines = list(SAMPLE_LINES)
    for i in sorted(indexes, reverse=True):
        lines.insert(i, lines[i])
    read_bytes(b"\n".join(lines))


@PROPERTY_SETTINGS
@given(st.integers(min_value=0, max_value=len(SAMPLE_BYTES)))
def test_truncating_anywhere_gives_a_model_or_a_parse_error(length):
    read_bytes(SAMPLE_BYTES[:length])


@PROPERTY_SETTINGS
@given(
    st.lists(
        st.tuples(st.integers(0, len(SAMPLE_BYTES) - 1), st.integers(0, 255)),
        min_size=1,
        max_size=6,
    )
)
def test_flipping_bytes_gives_a_model_or_a_parse_error(flips):
    data = bytearray(SAMPLE_BYTES)
    for position, value in flips:
        data[position] = value
    read_bytes(bytes(data))


@PROPERTY_SETTINGS
@given(st.lists(st.tuples(line_index, st.text(max_size=12)), max_size=5))
def test_inserting_arbitrary_lines_gives_a_model_or_a_parse_error(insertions):
    lines = list(SAMPLE_LINES)
    for i, text in sorted(insertions, reverse=True):
        lines.insert(i, text.encode("utf-8", "surrogatepass"))
    read_bytes(b"\n".join(lines))


@PROPERTY_SETTINGS
@given(st.sampled_from([" ", "\u3000", "  ", "\u3000 "]))
def test_whitespace_around_cells_does_not_change_the_model(padding):
    reference = toolkit.read(SAMPLE)
    padded = "\n".join(
        f"\t{padding}{line[1:]}{padding}" if line.startswith("\t") else line
        for line in SAMPLE.read_text(encoding="utf-8").split("\n")
    )
    padded_model = read_bytes(padded.encode("utf-8"))
    assert padded_model is not None
    assert padded_model.projects == reference.projects
    assert padded_model.department_code == reference.department_code


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from("\t\n\r 甲1、TC\\f"), max_size=200))
def test_block_splitter_is_total_on_arbitrary_text(text):
    for block in read_text_blocks(text):
        assert block.location.line >= 1


@given(st.text())
def test_target_parser_never_raises(text):
    parse_target(text)
