"""jixiao.toml: every error names its key on one line; init writes a starter."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from toolkit.cli import app
from toolkit.config import load_config, starter_config, write_starter_config
from toolkit.errors import ConfigError, OutputError
from toolkit.reading import read

from .conftest import EXAMPLE_CONFIG, SAMPLE


def config_file(folder: Path, text: str) -> Path:
    shutil.copy(SAMPLE, folder / "d.txt")
    path = folder / "jixiao.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("", "documents"),
        ('[[documents]]\npath = "d.txt"\nyear = "twenty"\n', "documents.0.year"),
        ('[[documents]]\npath = "d.txt"\nyear = 1800\n', "documents.0.year"),
        ('[[documents]]\npath = "d.txt"\ncolour = "red"\n', "documents.0.colour"),
        ('[[documents]]\npath = "d.txt"\ncurrency_unit = "美元"\n', "documents.0.currency_unit"),
        ('titel = "x"\n[[documents]]\npath = "d.txt"\n', "titel"),
        ('[site]\nbase_url = "ftp://x"\n[[documents]]\npath = "d.txt"\n', "site.base_url"),
        (
            '[site]\nsparql_endpoint = "localhost:7878"\n[[documents]]\npath = "d.txt"\n',
            "site.sparql_endpoint",
        ),
        ('timestamp = "yesterday"\n[[documents]]\npath = "d.txt"\n', "timestamp"),
        ('[[documents]]\npath = "missing.txt"\n', "documents.0.path"),
        ('[[documents]]\npath = "*.docx"\n', "documents.0.path"),
        ('[[documents]]\npath = "d.txt"\n[[documents]]\npath = "*.txt"\n', "documents.1.path"),
        ('[audit]\ndisabled = ["DQ99"]\n[[documents]]\npath = "d.txt"\n', "audit.disabled"),
        (
            '[audit]\nlow_satisfaction = 120\n[[documents]]\npath = "d.txt"\n',
            "audit.low_satisfaction",
        ),
    ],
)
def test_a_wrong_or_missing_key_is_a_one_line_error_naming_it(tmp_path, text, key):
    path = config_file(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        load_config(path).document_paths()
    assert caught.value.key == key
    assert f"{key}: " in str(caught.value) and "\n" not in str(caught.value)


def test_a_toml_syntax_error_names_the_file_on_one_line(tmp_path):
    path = config_file(tmp_path, "[[documents]\n")
    with pytest.raises(ConfigError, match=r"jixiao\.toml: cannot read") as caught:
        load_config(path)
    assert "\n" not in str(caught.value)


def test_a_missing_configuration_points_to_init(tmp_path):
    with pytest.raises(ConfigError, match="jixiao init"):
        load_config(tmp_path / "nowhere.toml")


def test_per_document_overrides_and_corpus_defaults_reach_the_model(tmp_path):
    path = config_file(
        tmp_path,
        'publisher = "某市财政局"\nlicense = "CC0-1.0"\n'
        '[[documents]]\npath = "d.txt"\nyear = 2021\nregion = "某省某市"\n',
    )
    [(document, metadata)] = load_config(path).document_paths()
    disclosure = read(document, metadata=metadata)
    assert (disclosure.year, disclosure.region) == (2021, "某省某市")
    assert (disclosure.publisher, disclosure.license) == ("某市财政局", "CC0-1.0")


def test_a_document_s_own_publisher_wins_over_the_corpus_default(tmp_path):
    path = config_file(
        tmp_path, 'publisher = "默认"\n[[documents]]\npath = "d.txt"\npublisher = "自己"\n'
    )
    [(_, metadata)] = load_config(path).document_paths()
    assert metadata.publisher == "自己"


def test_the_build_time_is_the_timestamp_then_source_date_epoch_then_fixed(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    fixed = config_file(
        tmp_path, 'timestamp = 2024-05-01T08:00:00\n[[documents]]\npath = "d.txt"\n'
    )
    assert load_config(fixed).build_time() == datetime(2024, 5, 1, 8, tzinfo=UTC)
    epoch = config_file(tmp_path, '[[documents]]\npath = "d.txt"\n')
    assert load_config(epoch).build_time() == datetime.fromtimestamp(1700000000, tz=UTC)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "soon")
    with pytest.raises(ConfigError, match=r"^SOURCE_DATE_EPOCH: "):
        load_config(epoch).build_time()
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert load_config(epoch).build_time() == datetime(2026, 1, 1, tzinfo=UTC)


def test_the_audit_table_reaches_the_audit_settings(tmp_path):
    path = config_file(
        tmp_path,
        '[audit]\ndisabled = ["DQ13"]\nlow_satisfaction = 85\n[[documents]]\npath = "d.txt"\n',
    )
    settings = load_config(path).audit
    assert not settings.runs("DQ13") and settings.runs("DQ09")
    assert settings.low_satisfaction == 85


def test_the_bundled_example_configuration_loads():
    config = load_config(EXAMPLE_CONFIG)
    [(path, _)] = config.document_paths()
    assert path.resolve() == SAMPLE.resolve()
    assert config.site.base_url == "https://example.org/jixiao"


def test_the_starter_configuration_is_valid_once_a_document_is_in_place(tmp_path):
    written = write_starter_config(tmp_path / "corpus")
    assert written.read_text(encoding="utf-8") == starter_config()
    (tmp_path / "corpus" / "disclosures").mkdir()
    shutil.copy(SAMPLE, tmp_path / "corpus" / "disclosures" / "a.txt")
    [(path, _)] = load_config(written).document_paths()
    assert path.name == "a.txt"


def test_init_refuses_to_overwrite_a_configuration(tmp_path):
    (tmp_path / "jixiao.toml").write_text("# mine\n", encoding="utf-8")
    with pytest.raises(OutputError, match="not overwritten"):
        write_starter_config(tmp_path)
    assert (tmp_path / "jixiao.toml").read_text(encoding="utf-8") == "# mine\n"
    result = CliRunner().invoke(app, ["init", str(tmp_path)])
    assert result.exit_code == 2 and "not overwritten" in result.stderr


def test_cli_init_writes_the_starter(tmp_path):
    result = CliRunner().invoke(app, ["init", str(tmp_path / "new")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "new" / "jixiao.toml").read_text(encoding="utf-8") == starter_config()


def test_cli_reports_a_configuration_error_with_its_key_and_exit_2(tmp_path):
    path = config_file(tmp_path, '[[documents]]\npath = "d.txt"\nyear = 1800\n')
    result = CliRunner().invoke(app, ["build", str(path), "-o", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert "documents.0.year: " in result.stderr


def test_without_a_path_the_configuration_in_the_current_folder_is_used(tmp_path, monkeypatch):
    from toolkit.config import DEFAULT_CONFIG

    monkeypatch.chdir(tmp_path)
    assert load_config().root.resolve() == DEFAULT_CONFIG.parent.resolve()
    assert CliRunner().invoke(app, ["init", "."]).exit_code == 0
    assert load_config().root.resolve() == tmp_path.resolve()
