"""`jixiao site` and `jixiao serve`: thin commands over build_site and serve_site."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import urllib.request
from pathlib import Path

from typer.testing import CliRunner

from toolkit.cli import app

from .conftest import EXAMPLE_CONFIG, SAMPLE

runner = CliRunner()


def test_site_command_builds_the_site_of_the_given_files(tmp_path):
    folder = tmp_path / "out" / "site"
    result = runner.invoke(
        app,
        [
            "site",
            str(SAMPLE),
            "-o",
            str(folder),
            "--title",
            "测试站点",
            "--base-url",
            "https://data.example.cn/jx",
        ],
    )
    assert result.exit_code == 0, result.output
    assert f"site written to {folder}" in result.stdout
    home = (folder / "index.html").read_text(encoding="utf-8")
    assert "<title>测试站点</title>" in home and "1651.67 万元" in home
    bridge = (folder / "project/2020/917-0102-YCN-LNQ3/index.html").read_text(encoding="utf-8")
    assert "https://data.example.cn/jx/project/2020/917-0102-YCN-LNQ3" in bridge


def test_site_command_reports_a_bad_file_on_one_line_with_exit_code_2(tmp_path):
    bad = tmp_path / "empty.txt"
    bad.write_text("这不是绩效目标表\n", encoding="utf-8")
    result = runner.invoke(app, ["site", str(bad), "-o", str(tmp_path / "site")])
    assert result.exit_code == 2
    assert result.stderr.startswith("jixiao: error: ") and len(result.stderr.splitlines()) == 1
    assert not (tmp_path / "site").exists()


def test_site_command_rejects_a_bad_base_url(tmp_path):
    result = runner.invoke(
        app, ["site", str(SAMPLE), "-o", str(tmp_path / "site"), "--base-url", "not a url"]
    )
    assert result.exit_code == 2
    assert "--base_url" in result.output or "--base-url" in result.output
    assert not (tmp_path / "site").exists()


def test_serve_builds_and_serves_the_site_on_loopback_and_prints_its_url(tmp_path):
    jixiao = Path(sys.executable).with_name("jixiao")
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "TMPDIR": str(scratch)}
    process = subprocess.Popen(
        [str(jixiao), "serve", str(EXAMPLE_CONFIG), "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=tmp_path,
        env=env,
    )
    try:
        line = process.stdout.readline()
        match = re.search(r"http://127\.0\.0\.1:\d+/", line)
        assert match, line + process.stderr.read() if process.poll() is not None else line
        with urllib.request.urlopen(match.group(0), timeout=10) as response:
            assert response.status == 200
            assert "1651.67 万元" in response.read().decode("utf-8")
        assert list(scratch.glob("jixiao-site-*")), "the site is built in the temporary folder"
    finally:
        process.terminate()
        process.wait(timeout=10)
        process.stdout.close()
        process.stderr.close()
    # Stopped by SIGTERM, as a service manager stops it, it leaves no site behind (jieba
    # keeps its own dictionary cache there).
    assert list(scratch.glob("jixiao-site-*")) == []
