"""`jixiao parse` and `jixiao build` through typer's runner and a real process."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest
from typer.testing import CliRunner

import toolkit
import toolkit.cli
from toolkit.cli import app
from toolkit.interrupts import interrupts_remembered

from .conftest import EXAMPLE_CONFIG, SAMPLE
from .interrupt_helpers import (
    interrupt_only_printed,
    interrupt_swallowed,
    interrupt_turned_into_an_error,
)

runner = CliRunner()


def test_parse_json_prints_exactly_the_library_result():
    result = runner.invoke(app, ["parse", str(SAMPLE), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == toolkit.read(SAMPLE).model_dump(mode="json")


def test_parse_summary_lists_projects_and_totals():
    result = runner.invoke(app, ["parse", str(SAMPLE)], terminal_width=200)
    assert result.exit_code == 0
    assert "韩家洼三座危桥经费" in result.stdout
    assert "15 projects, 75 indicators, total budget 1651.67 万元" in result.stdout


def test_parse_several_files_gives_a_json_list(tmp_path):
    second = tmp_path / "copy.txt"
    shutil.copy(SAMPLE, second)
    result = runner.invoke(app, ["parse", str(SAMPLE), str(second), "-f", "json"])
    payload = json.loads(result.stdout)
    assert [d["source"]["file_name"] for d in payload] == ["disclosure.txt", "copy.txt"]


def test_year_and_region_options_override_the_metadata():
    result = runner.invoke(
        app, ["parse", str(SAMPLE), "-f", "json", "--year", "2021", "--region", "河北省"]
    )
    payload = json.loads(result.stdout)
    assert (payload["year"], payload["region"]) == (2021, "河北省")
    assert payload["publisher"] == "定州市西城区政府办公室"


def test_parse_in_a_real_process_prints_the_summary():
    result = subprocess.run(
        [sys.executable, "-m", "toolkit.cli", "parse", str(SAMPLE)],
        capture_output=True,
        text=True,
        check=True,
        env={"COLUMNS": "200", "PATH": "/usr/bin:/bin"},
    )
    assert "917-0101-YCN-16DG" in result.stdout
    assert result.stderr == ""


def test_build_writes_the_model_json_under_the_output_folder(tmp_path):
    result = runner.invoke(app, ["build", str(EXAMPLE_CONFIG), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    payload = json.loads((tmp_path / "out" / "disclosures.json").read_text(encoding="utf-8"))
    assert payload == [toolkit.read(SAMPLE).model_dump(mode="json")]


def test_version():
    result = runner.invoke(app, ["--version"])
    assert result.stdout.strip() == f"jixiao {toolkit.__version__}"


def test_rich_markup_in_a_project_name_is_printed_as_text(tmp_path):
    # Regression: a project named "[/bold]…" made rich raise a MarkupError (a traceback).
    hostile = SAMPLE.read_text(encoding="utf-8").replace("党组织活动经费", "[/bold]党组织[red]活动")
    path = tmp_path / "hostile.txt"
    path.write_text(hostile, encoding="utf-8")
    result = runner.invoke(app, ["parse", str(path)], terminal_width=200)
    assert result.exit_code == 0, result.output
    assert "[/bold]党组织[red]" in result.stdout  # shown literally (the cell may wrap after it)


def test_a_year_out_of_range_is_a_usage_error_not_a_traceback():
    result = runner.invoke(app, ["parse", str(SAMPLE), "--year", "1800"])
    assert result.exit_code == 2
    assert "--year" in result.output
    assert "1990" in result.output
    assert isinstance(result.exception, SystemExit)


@pytest.mark.parametrize(
    "arguments",
    [
        ["rdf", str(SAMPLE), "--base", "http://a b"],
        ["rdf", str(SAMPLE), "--base", "http://example.org/<x>"],
        ["serve", "--port", "99999"],
    ],
    ids=["space-in-base", "angle-brackets-in-base", "port-out-of-range"],
)
def test_bad_option_values_exit_2_without_a_traceback(arguments):
    # Regressions: each of these once ended in a traceback.
    result = runner.invoke(app, arguments)
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit)


@pytest.mark.parametrize(
    ("press", "exit_code"), [(interrupt_turned_into_an_error, 130), (interrupt_only_printed, 0)]
)
def test_a_ctrl_c_that_library_code_hides_shows_no_traceback(press, exit_code, monkeypatch):
    """pydantic-core turns a Ctrl-C that lands while it writes a model into its own error:
    the command ends as interrupted (130). One it can only print is not printed (and the
    command, a short one, goes on)."""
    original = toolkit.cli.disclosure_json

    def pressed(disclosure):  # type: ignore[no-untyped-def]
        press()
        return original(disclosure)

    monkeypatch.setattr(toolkit.cli, "disclosure_json", pressed)
    result = runner.invoke(app, ["parse", str(SAMPLE), "--format", "json"])
    assert result.exit_code == exit_code
    assert "Traceback" not in result.output and "Exception ignored" not in result.output
    assert "Error" not in result.output


def test_a_ctrl_c_swallowed_inside_the_build_of_a_command_is_still_remembered():
    """The build's own block, inside the command's, is given the command's memory."""
    with interrupts_remembered() as outer, interrupts_remembered() as inner:
        assert inner == outer
        interrupt_swallowed()
        with pytest.raises(KeyboardInterrupt):
            inner()
