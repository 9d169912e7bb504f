"""Malformed inputs: one clear ``FILE:LINE: message``, exit code 2, no traceback, no output."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

import toolkit
from toolkit.cli import app

FOLDER = Path(__file__).resolve().parent / "malformed"
EXPECTED = json.loads((FOLDER / "expected.json").read_text(encoding="utf-8"))
CASES = sorted(EXPECTED)


def test_every_malformed_file_has_an_expectation_and_there_are_twelve():
    files = sorted(p.name for p in FOLDER.iterdir() if p.name != "expected.json")
    assert files == CASES
    assert len(CASES) == 12


@pytest.mark.parametrize("name", CASES)
def test_library_raises_parse_error_with_file_and_line(name):
    expected = EXPECTED[name]
    with pytest.raises(toolkit.ParseError) as caught:
        toolkit.read(FOLDER / name)
    error = caught.value
    assert error.file == str(FOLDER / name)
    assert error.line == expected["line"]
    assert re.search(expected["message"], error.message), error.message
    assert str(error).startswith(f"{FOLDER / name}:{expected['line']}: ")


@pytest.mark.parametrize("name", CASES)
def test_cli_prints_one_line_and_exits_2(name):
    result = CliRunner().invoke(app, ["parse", str(FOLDER / name)])
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"jixiao: error: {FOLDER / name}:{EXPECTED[name]['line']}: ")
    assert result.stdout == ""


def test_a_real_process_shows_no_traceback():
    path = FOLDER / "truncated-mid-table.txt"
    result = subprocess.run(
        [sys.executable, "-m", "toolkit.cli", "parse", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1


def test_missing_file_and_folder_are_parse_errors(tmp_path):
    with pytest.raises(toolkit.ParseError, match="no such file"):
        toolkit.read(tmp_path / "absent.txt")
    with pytest.raises(toolkit.ParseError, match="folder"):
        toolkit.read(tmp_path)
