"""`jixiao audit` through typer's runner: the same findings as the library, in three formats."""

from __future__ import annotations

import csv
import io
import json
import shutil

from typer.testing import CliRunner

import toolkit
from toolkit.cli import app
from toolkit.quality import Finding, audit
from toolkit.quality.report import findings_csv

from .conftest import SAMPLE
from .test_quality_sample import WATER

runner = CliRunner()


def library_findings(*paths) -> list[Finding]:
    return audit([toolkit.read(path) for path in paths])


def test_audit_json_prints_exactly_the_library_result():
    result = runner.invoke(app, ["audit", str(SAMPLE), "--format", "json"])
    assert result.exit_code == 0, result.output
    expected = [f.model_dump(mode="json") for f in library_findings(SAMPLE)]
    assert json.loads(result.stdout) == expected
    assert len(expected) == 220


def test_audit_csv_prints_one_row_per_finding_with_every_field():
    result = runner.invoke(app, ["audit", str(SAMPLE), str(WATER), "-f", "csv"])
    assert result.exit_code == 0
    assert result.stdout == findings_csv(library_findings(SAMPLE, WATER))
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert list(rows[0]) == list(Finding.model_fields)
    assert len(rows) == 223
    assert rows[-1]["project_code"] == "917-0102-YCN-URQF"  # 917003 sorts after 305012


def test_audit_table_groups_findings_by_project_in_chinese_by_default():
    result = runner.invoke(app, ["audit", str(WATER)], env={"COLUMNS": "250"})
    assert result.exit_code == 0
    out = result.stdout
    assert "305012 定州市水务局 2021 · water-2021.txt" in out
    assert "3、地下水监测站运行维护 (305-0101-SWJ-0003)" in out
    assert "DQ09 指标与项目无关" in out
    assert "农村饮水安全巩固提升工程 (305-0201" not in out  # no findings, no table
    assert "共3条问题：错误0条，警告3条，提示0条" in out


def test_audit_table_in_english():
    result = runner.invoke(app, ["audit", str(SAMPLE), "--lang", "en"], env={"COLUMNS": "250"})
    assert result.exit_code == 0
    assert "DQ09 indicator off-topic for its project" in result.stdout
    assert "220 findings: 7 error, 143 warning, 70 info" in result.stdout


def test_audit_shows_disclosure_text_literally_not_as_markup(tmp_path):
    text = WATER.read_text(encoding="utf-8").replace("节水宣传教育经费", "节水[red]宣传[/red]经费")
    shutil.copy(WATER.with_suffix(".meta.toml"), tmp_path / "water.meta.toml")
    (tmp_path / "water.txt").write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["audit", str(tmp_path / "water.txt")], env={"COLUMNS": "250"})
    assert result.exit_code == 0
    assert "节水[red]宣传[/red]经费" in result.stdout


def test_audit_of_a_missing_file_is_one_line_and_exit_code_2(tmp_path):
    result = runner.invoke(app, ["audit", str(tmp_path / "nope.txt")])
    assert result.exit_code == 2
    assert result.stderr.strip().endswith("nope.txt: no such file")
    assert len(result.stderr.strip().splitlines()) == 1
