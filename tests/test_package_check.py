"""Checking a data package: broken packages are reported with resource, row and field, and
the ``package`` and ``check`` commands run over the library.

Each broken package is the sample's with one cell changed and its declared hash and size
updated, so the one problem planted is the only one reported. Rows are counted as
Frictionless counts them: the header is row 1.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import shutil
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from frictionless import Package
from typer.testing import CliRunner

from toolkit.check import Problem, check
from toolkit.cli import app
from toolkit.errors import OutputError
from toolkit.model import Disclosure
from toolkit.package import validate_package, write_package
from toolkit.package_check import _problem, _sum_problems

CREATED = datetime(2026, 1, 1, tzinfo=UTC)
runner = CliRunner()


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory, sample: Disclosure) -> Path:
    folder = tmp_path_factory.mktemp("pristine")
    write_package([sample], folder, created=CREATED, homepage="https://example.org/jixiao")
    return folder


@pytest.fixture
def package(pristine: Path, tmp_path: Path) -> Path:
    folder = tmp_path / "package"
    shutil.copytree(pristine, folder)
    return folder


def edit(folder: Path, resource: str, row: int, field: str, value: str) -> None:
    """Set one cell (``row`` counted with the header as row 1), keeping the descriptor's
    size and hash true to the new file."""
    path = folder / f"{resource}.csv"
    records = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    records[row - 1][records[0].index(field)] = value
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(records)
    data = buffer.getvalue().encode("utf-8")
    path.write_bytes(data)
    descriptor_path = folder / "datapackage.json"
    descriptor = json.loads(descriptor_path.read_text(encoding="utf-8"))
    for spec in descriptor["resources"]:
        if spec["name"] == resource:
            spec["bytes"] = len(data)
            spec["hash"] = f"sha256:{hashlib.sha256(data).hexdigest()}"
    descriptor_path.write_text(json.dumps(descriptor, ensure_ascii=False), encoding="utf-8")


def places(problems: list[Problem]) -> list[tuple[str, str]]:
    """Where each problem is, and its kind: the Frictionless error type or the check."""
    return [
        (
            p.where,
            p.message.rsplit("[", 1)[-1].rstrip("]") if p.check == "frictionless" else p.check,
        )
        for p in problems
    ]


def test_a_bad_project_code_is_reported_at_its_row_and_field(package: Path) -> None:
    edit(package, "projects", 3, "code", "917 0101/YCN")
    problems = validate_package(package)
    assert places(problems) == [("resource projects, row 3, field code", "constraint-error")]
    assert "pattern" in problems[0].message
    assert problems[0].severity == "error"


def test_a_dangling_foreign_key_is_reported_at_its_row_and_field(package: Path) -> None:
    edit(package, "indicators", 5, "project_id", "917003/2020/NO-SUCH-PROJECT")
    assert places(validate_package(package)) == [
        ("resource indicators, row 5, field project_id", "foreign-key")
    ]


def test_a_negative_amount_breaks_the_minimum_and_the_sum(package: Path) -> None:
    edit(package, "projects", 4, "budget_total", "-62.40")
    problems = validate_package(package)
    assert places(problems) == [
        ("resource projects, row 4, field budget_total", "constraint-error"),
        ("resource projects, row 4, field budget_total", "cross-field"),
    ]
    assert 'constraint "minimum" is "0"' in problems[0].message
    assert problems[1].check == "cross-field"
    assert problems[1].message == (
        "fiscal_funds + other_funds = 62.40 + 0 = 62.40, but budget_total is -62.40"
    )


def test_fiscal_plus_other_funds_must_equal_the_total(package: Path) -> None:
    edit(package, "projects", 2, "other_funds", "1.00")
    (problem,) = validate_package(package)
    assert problem == Problem(
        "cross-field",
        "resource projects, row 2, field budget_total",
        "fiscal_funds + other_funds = 17.54 + 1.00 = 18.54, but budget_total is 17.54",
    )


def test_a_concept_code_outside_the_scheme_is_reported(package: Path) -> None:
    edit(package, "indicators", 2, "level1_concept", "outputs")
    problems = validate_package(package)
    assert places(problems) == [
        ("resource indicators, row 2, field level1_concept", "constraint-error")
    ]
    assert "enum" in problems[0].message


def test_a_duplicate_key_is_reported(package: Path) -> None:
    edit(package, "project_goals", 3, "order", "1")
    assert places(validate_package(package)) == [("resource project_goals, row 3", "primary-key")]


def test_an_edited_file_with_a_stale_hash_is_reported_for_its_resource(package: Path) -> None:
    path = package / "projects.csv"
    path.write_bytes(path.read_bytes().replace(b"17.54,17.54", b"17.54,17.55"))
    kinds = places(validate_package(package))
    assert ("resource projects", "hash-count") in kinds
    assert ("resource projects, row 2, field budget_total", "cross-field") in kinds


def test_a_missing_csv_is_reported_not_raised(package: Path) -> None:
    (package / "findings.csv").unlink()
    problems = validate_package(package)
    assert ("resource findings", "scheme-error") in places(problems)


def test_a_broken_descriptor_is_a_problem_of_the_package(package: Path) -> None:
    (package / "datapackage.json").write_text("{not json", encoding="utf-8")
    (problem,) = validate_package(package)
    assert problem.where == "package"
    assert "package-error" in problem.message


def test_an_unsafe_resource_path_is_reported(package: Path) -> None:
    descriptor_path = package / "datapackage.json"
    descriptor = json.loads(descriptor_path.read_text(encoding="utf-8"))
    descriptor["resources"][0]["path"] = "../../etc/passwd"
    descriptor_path.write_text(json.dumps(descriptor), encoding="utf-8")
    problems = validate_package(package)
    assert [p.where for p in problems] == ["package"]
    assert "not safe" in problems[0].message


def frictionless_problems(folder: Path) -> list[Problem]:
    """The reference: Frictionless's own ``Package.validate``, in one process, its report
    said as validate_package says it."""
    package = Package(str(folder / "datapackage.json"))
    report = package.validate()
    problems = [_problem(e) for e in report.errors]
    problems += [Problem("frictionless", "package", w, "warning") for w in report.warnings]
    for task in report.tasks:
        problems += [_problem(e, task.name) for e in task.errors]
        where = f"resource {task.name}"
        problems += [Problem("frictionless", where, w, "warning") for w in task.warnings]
    return problems + _sum_problems(package)


@pytest.mark.parametrize("jobs", [1, 2])
def test_validating_resource_by_resource_reports_what_package_validate_reports(
    package: Path, jobs: int
) -> None:
    edit(package, "projects", 4, "budget_total", "-62.40")
    edit(package, "project_goals", 3, "order", "1")
    edit(package, "indicators", 5, "project_id", "917003/2020/NO-SUCH-PROJECT")
    edit(package, "indicators", 2, "level1_concept", "outputs")
    edit(package, "department_goals", 2, "kind", "whatever")
    findings = package / "findings.csv"
    findings.write_bytes(findings.read_bytes() + b"stray,row\n")  # and a stale hash
    problems = validate_package(package, jobs=jobs)
    assert problems == frictionless_problems(package)
    resources = {p.where.split(",")[0] for p in problems}
    assert resources >= {f"resource {name}" for name in ("projects", "indicators", "findings")}


def test_a_folder_without_a_descriptor_is_an_output_error(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match=r"no datapackage\.json here"):
        validate_package(tmp_path)


def test_check_dispatches_a_package_folder_and_its_descriptor(package: Path) -> None:
    assert check(package).ok
    assert check(package / "datapackage.json").checks == ["frictionless"]
    edit(package, "projects", 3, "code", "bad code")
    report = check(package)
    assert not report.ok
    assert [p.where for p in report.problems] == ["resource projects, row 3, field code"]


# The commands ----------------------------------------------------------------------------


def test_package_command_writes_a_valid_package(sample_path: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["package", str(sample_path), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert f"wrote {tmp_path / 'out' / 'datapackage.json'}" in result.output
    assert validate_package(tmp_path / "out") == []


def test_package_command_output_equals_the_library_output(
    sample_path: Path, pristine: Path, tmp_path: Path
) -> None:
    result = runner.invoke(
        app,
        ["package", str(sample_path), "-o", str(tmp_path), "--created", "2026-01-01T00:00:00Z"],
    )
    assert result.exit_code == 0, result.output
    for path in pristine.iterdir():
        assert (tmp_path / path.name).read_bytes() == path.read_bytes(), path.name


def test_package_command_refuses_a_disclosure_without_license(
    sample_path: Path, tmp_path: Path
) -> None:
    bare = tmp_path / "bare.txt"
    shutil.copyfile(sample_path, bare)  # no bare.meta.toml beside it: no license
    result = runner.invoke(app, ["package", str(bare), "--year", "2020", "-o", str(tmp_path / "o")])
    assert result.exit_code == 2
    assert result.output.startswith("jixiao: error: ")
    assert "has no license" in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert not (tmp_path / "o").exists()


def test_package_command_rejects_a_time_that_is_not_iso_8601(
    sample_path: Path, tmp_path: Path
) -> None:
    result = runner.invoke(
        app, ["package", str(sample_path), "-o", str(tmp_path), "--created", "yesterday"]
    )
    assert result.exit_code == 2
    assert "not an ISO 8601 time" in result.output


def test_check_command_exits_0_on_a_valid_package(pristine: Path) -> None:
    result = runner.invoke(app, ["check", str(pristine)])
    assert result.exit_code == 0, result.output
    assert "valid (frictionless), 0 problems" in result.output


def test_check_command_shows_resource_row_and_field_and_exits_1(package: Path) -> None:
    edit(package, "projects", 3, "code", "[red]bad code")
    result = runner.invoke(app, ["check", str(package)])
    assert result.exit_code == 1
    assert "invalid (frictionless), 1 problem" in result.output
    assert "resource projects, row 3, field code" in result.output
    assert "[red]" in result.output  # printed as text, not as markup


def test_check_command_json_is_exactly_the_report(package: Path) -> None:
    edit(package, "indicators", 5, "project_id", "917003/2020/NOPE")
    result = runner.invoke(app, ["check", str(package), "--format", "json"])
    assert result.exit_code == 1
    assert result.stdout == check(package).to_json() + "\n"
    assert json.loads(result.stdout)["problems"][0]["where"] == (
        "resource indicators, row 5, field project_id"
    )


def test_check_command_on_a_missing_path_exits_2(tmp_path: Path) -> None:
    result = runner.invoke(app, ["check", str(tmp_path / "nothing")])
    assert result.exit_code == 2
    assert "no such file or folder" in result.output


def test_the_installed_command_packages_and_checks_in_a_real_process(
    sample_path: Path, tmp_path: Path
) -> None:
    command = [sys.executable, "-m", "toolkit.cli"]
    written = subprocess.run(
        [*command, "package", str(sample_path), "-o", str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert written.returncode == 0, written.stderr
    checked = subprocess.run(
        [*command, "check", str(tmp_path), "--format", "json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert checked.returncode == 0, checked.stderr
    assert json.loads(checked.stdout) == {
        "target": str(tmp_path),
        "ok": True,
        "checks": ["frictionless"],
        "problems": [],
    }
