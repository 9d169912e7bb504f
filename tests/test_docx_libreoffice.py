"""A .docx written by a word processor: LibreOffice rewrites the test's document from its own
model, the way an office suite round-trips a file, and jixiao reads it the same."""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

import toolkit
from toolkit.blocks import Block, Heading, Paragraph, Table
from toolkit.cli import app
from toolkit.readers.docx import read_docx_blocks

from .docx_builder import sample_docx

SOFFICE = shutil.which("soffice")

pytestmark = pytest.mark.skipif(
    SOFFICE is None,
    reason="LibreOffice is not installed: "
    "apt-get install -y --no-install-recommends libreoffice-writer-nogui",
)


@pytest.fixture(scope="module")
def profile(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A LibreOffice user profile of the tests' own, so runs never share or lock one."""
    return f"-env:UserInstallation={tmp_path_factory.mktemp('soffice-profile').as_uri()}"


def _soffice(profile: str, target: str, source: Path) -> Path:
    """``soffice --headless --convert-to TARGET SOURCE``, in the source's folder."""
    assert SOFFICE is not None
    subprocess.run(
        [SOFFICE, profile, "--headless", "--convert-to", target, source.name],
        cwd=source.parent,
        check=True,
        capture_output=True,
        timeout=300,
    )
    converted = source.with_suffix(f".{target}")
    assert converted.is_file(), f"soffice wrote no {converted.name}"
    return converted


def _place(folder: Path, sample_path: Path) -> Path:
    folder.mkdir()
    path = folder / "disclosure.docx"
    path.write_bytes(sample_docx(sample_path))
    shutil.copy(sample_path.with_suffix(".meta.toml"), folder / "disclosure.meta.toml")
    return path


def _outline(blocks: list[Block]) -> list[object]:
    """Blocks without the TC field identifier and level, which LibreOffice 7.4 rewrites
    (it drops ``\\f`` and shifts ``\\l``): the visible text and the table cells."""
    outline: list[object] = []
    for block in blocks:
        if isinstance(block, Table):
            outline.append([row.texts for row in block.rows])
        elif isinstance(block, Heading | Paragraph):
            outline.append(block.text)
    return outline


def test_a_docx_rewritten_by_libreoffice_reads_the_same(
    tmp_path: Path, sample_path: Path, sample: toolkit.Disclosure, profile: str
) -> None:
    original = _place(tmp_path / "ours", sample_path)
    odt = _soffice(profile, "odt", original)
    original.unlink()
    rewritten = _soffice(profile, "docx", odt)
    with zipfile.ZipFile(io.BytesIO(rewritten.read_bytes())) as archive:
        assert b"LibreOffice" in archive.read("docProps/app.xml")
    ours = sample_docx(sample_path)
    theirs = rewritten.read_bytes()
    assert _outline(read_docx_blocks(theirs)) == _outline(read_docx_blocks(ours))
    assert toolkit.read(rewritten) == sample


def test_the_advice_for_an_old_doc_file_works(
    tmp_path: Path, sample_path: Path, sample: toolkit.Disclosure, profile: str
) -> None:
    original = _place(tmp_path / "doc", sample_path)
    old = _soffice(profile, "doc", original)
    original.unlink()
    refused = CliRunner().invoke(app, ["parse", str(old)])
    assert refused.exit_code == 2
    assert "soffice --headless --convert-to docx" in refused.stderr
    converted = _soffice(profile, "docx", old)
    assert toolkit.read(converted) == sample
