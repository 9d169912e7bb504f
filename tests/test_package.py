"""The data package of the sample: its files, rows, metadata, schemas, workbook and zip.

``pytest --update-golden tests/test_package.py`` rewrites the repository's ``datapackage/``
from the bundled example; review the diff before committing.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import time
import zipfile
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from frictionless import Package

import toolkit
from toolkit.build import build
from toolkit.config import load_config
from toolkit.errors import OutputError
from toolkit.metadata import DocumentMetadata
from toolkit.model import Disclosure
from toolkit.package import build_package, validate_package, write_package, zip_package
from toolkit.quality.finding import Finding, Severity

ROOT = Path(__file__).resolve().parent.parent
PUBLISHED = ROOT / "datapackage"
EXAMPLE_CONFIG = ROOT / "examples" / "jixiao.toml"
VARIANT = ROOT / "tests" / "variants" / "education-variant.txt"
CREATED = datetime(2026, 1, 1, tzinfo=UTC)
HOMEPAGE = "https://example.org/jixiao"
RESOURCES = [
    "disclosures",
    "department_goals",
    "projects",
    "spending_plan",
    "project_goals",
    "indicators",
    "findings",
]


def write(disclosures: list[Disclosure], folder: Path, **options: Any) -> Path:
    options = {"created": CREATED, "homepage": HOMEPAGE, **options}
    return write_package(disclosures, folder, **options)


def rows(folder: Path, resource: str) -> list[dict[str, str]]:
    with (folder / f"{resource}.csv").open(encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


def descriptor(folder: Path) -> dict[str, Any]:
    return json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))


def schema_field(folder: Path, resource: str, name: str) -> dict[str, Any]:
    (spec,) = [r for r in descriptor(folder)["resources"] if r["name"] == resource]
    (found,) = [f for f in spec["schema"]["fields"] if f["name"] == name]
    return found


def files_of(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory, sample: Disclosure) -> Path:
    folder = tmp_path_factory.mktemp("package")
    write([sample], folder)
    return folder


def test_the_sample_package_validates_with_no_errors_and_no_warnings(package: Path) -> None:
    report = Package(str(package / "datapackage.json")).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "message"])
    assert report.stats["errors"] == 0
    assert report.stats["warnings"] == 0
    assert report.stats["tasks"] == len(RESOURCES) + 1  # and the workbook
    assert validate_package(package) == []


def test_the_package_has_one_csv_per_resource_a_workbook_and_a_descriptor(package: Path) -> None:
    expected = {f"{r}.csv" for r in RESOURCES} | {"datapackage.json", "jixiao-917003-2020.xlsx"}
    assert set(files_of(package)) == expected
    assert [r["name"] for r in descriptor(package)["resources"]] == [*RESOURCES, "workbook"]


def test_row_counts_match_the_sample(package: Path) -> None:
    counts = {resource: len(rows(package, resource)) for resource in RESOURCES}
    assert counts == {
        "disclosures": 1,
        "department_goals": 1 + 9 + 5,
        "projects": 15,
        "spending_plan": 60,
        "project_goals": 29,
        "indicators": 75,
        "findings": 0,
    }


def test_project_values_are_written_exactly(package: Path) -> None:
    projects = {row["code"]: row for row in rows(package, "projects")}
    first = projects["917-0101-YCN-16DG"]
    assert first["project_id"] == "917003/2020/917-0101-YCN-16DG"
    assert first["disclosure_id"] == "917003/2020"
    assert (first["name"], first["budget_total"], first["fiscal_funds"]) == (
        "党组织活动经费",
        "17.54",
        "17.54",
    )
    assert first["other_funds"] == ""
    assert projects["917-0102-YCN-HV41"]["budget_total"] == "0.30"
    assert first["spending_plan_cumulative"] == "false"
    total = sum((Decimal(row["budget_total"]) for row in projects.values()), Decimal(0))
    assert total == Decimal("1651.67")


def test_spending_plan_keeps_an_empty_percent_empty(package: Path) -> None:
    plan = [r for r in rows(package, "spending_plan") if r["project_id"].endswith("8FBM")]
    assert [(r["order"], r["period"], r["percent"]) for r in plan] == [
        ("1", "3月底", "25.00"),
        ("2", "6月底", "25.00"),
        ("3", "10月底", "50.00"),
        ("4", "12月底", ""),
    ]


def test_indicators_carry_concept_codes_and_source_labels(package: Path) -> None:
    indicators = rows(package, "indicators")
    first = indicators[0]
    assert first == {
        "indicator_id": "917003/2020/917-0101-YCN-16DG/1",
        "project_id": "917003/2020/917-0101-YCN-16DG",
        "ordinal": "1",
        "level1_concept": "output",
        "level1_label": "产出指标",
        "level2_concept": "output-cost",
        "level2_label": "成本指标",
        "name": "农村部分计划生育家庭奖励扶助金发放标准",
        "description": "对符合条件的农村计划生育家庭发放奖励扶助金",
        "target_raw": "≥90百分比",
        "comparator": ">=",
        "value": "90",
        "unit": "%",
        "kind": "quantitative",
        "basis": "标准",
        "weight": "",
        "direction": "",
        "source_line": "81",
    }
    assert (
        sum(
            r["level1_label"] == "效果指标" and r["level1_concept"] == "outcome" for r in indicators
        )
        == 26
    )
    assert sum(r["kind"] == "missing" for r in indicators) == 7


def test_department_goals_keep_their_kind_and_order(package: Path, sample: Disclosure) -> None:
    goals = rows(package, "department_goals")
    assert [g["kind"] for g in goals] == ["overall"] + ["itemised"] * 9 + ["safeguard"] * 5
    assert goals[0]["text"] == sample.overall_goal
    assert (goals[3]["order"], goals[3]["text"]) == ("3", sample.itemised_goals[2])


def test_the_disclosure_row_names_its_source_and_license(package: Path, sample: Disclosure) -> None:
    (row,) = rows(package, "disclosures")
    assert row["source_sha256"] == sample.source.sha256
    assert (row["department_code"], row["year"], row["license"]) == ("917003", "2020", "CC-BY-4.0")
    assert (row["currency_unit"], row["region"]) == ("万元", "河北省定州市")


def test_csv_files_are_utf8_with_a_header_and_newline_line_ends(package: Path) -> None:
    for resource in RESOURCES:
        data = (package / f"{resource}.csv").read_bytes()
        text = data.decode("utf-8")
        assert not text.startswith("\ufeff")
        assert "\r" not in text
        assert text.endswith("\n")
        header = text.split("\n", 1)[0].split(",")
        fields = [f["name"] for f in schema_field_list(package, resource)]
        assert header == fields


def schema_field_list(folder: Path, resource: str) -> list[dict[str, Any]]:
    (spec,) = [r for r in descriptor(folder)["resources"] if r["name"] == resource]
    return spec["schema"]["fields"]


def test_package_metadata_names_license_source_publisher_and_time(
    package: Path, sample: Disclosure
) -> None:
    meta = descriptor(package)
    assert meta["name"] == "jixiao-917003-2020"
    assert meta["title"].startswith("河北省定州市西城区政府办公室 2020 年预算绩效目标 / ")
    zh, en = meta["description"].split("\n\n")
    assert "西城区政府办公室" in zh and "万元" in zh
    assert en.startswith("Budget performance goals of 1 department for 2020")
    assert meta["version"] == "1.0.0"
    assert meta["created"] == "2026-01-01T00:00:00Z"
    assert meta["homepage"] == HOMEPAGE
    assert meta["licenses"] == [{"name": "CC-BY-4.0"}]
    assert meta["contributors"] == [{"title": "定州市西城区政府办公室", "role": "publisher"}]
    assert meta["sources"] == [
        {"title": "西城区政府办公室 2020: disclosure.txt", "sha256": sample.source.sha256}
    ]
    assert {"预算绩效目标", "河北省定州市", "西城区政府办公室"} <= set(meta["keywords"])


def test_resources_declare_their_bytes_and_sha256(package: Path) -> None:
    import hashlib

    for resource in descriptor(package)["resources"]:
        data = (package / resource["path"]).read_bytes()
        assert resource["bytes"] == len(data)
        assert resource["hash"] == f"sha256:{hashlib.sha256(data).hexdigest()}"


def test_amounts_and_percents_state_their_unit(package: Path) -> None:
    budget = schema_field(package, "projects", "budget_total")
    assert budget["unit"] == "万元"
    assert budget["title"] == "预算数（万元） / budget total (10,000 yuan)"
    assert budget["constraints"] == {"required": False, "minimum": 0}
    percent = schema_field(package, "spending_plan", "percent")
    assert percent["unit"] == "%"
    assert percent["constraints"] == {"required": False, "minimum": 0, "maximum": 100}


def test_keys_join_the_resources(package: Path) -> None:
    schemas = {r["name"]: r.get("schema") for r in descriptor(package)["resources"]}
    assert schemas["projects"]["primaryKey"] == ["project_id"]
    assert schemas["spending_plan"]["primaryKey"] == ["project_id", "order"]
    assert schemas["department_goals"]["primaryKey"] == ["disclosure_id", "kind", "order"]
    references = {
        name: [(fk["fields"], fk["reference"]["resource"]) for fk in schema.get("foreignKeys", [])]
        for name, schema in schemas.items()
        if schema
    }
    assert references["indicators"] == [(["project_id"], "projects")]
    assert references["findings"] == [
        (["disclosure_id"], "disclosures"),
        (["project_id"], "projects"),
        (["indicator_id"], "indicators"),
    ]


def test_two_writes_of_the_same_input_are_byte_identical(
    package: Path, sample: Disclosure, tmp_path: Path
) -> None:
    write([sample], tmp_path)
    assert files_of(tmp_path) == files_of(package)


def test_a_write_at_another_wall_clock_time_gives_the_same_bytes(
    package: Path, sample: Disclosure, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # zipfile and openpyxl read the clock through time.time; move it back 25 years.
    moved = time.time() - 25 * 365 * 86400
    monkeypatch.setattr(time, "time", lambda: moved)
    write([sample], tmp_path)
    monkeypatch.undo()
    assert files_of(tmp_path) == files_of(package)


def test_the_workbook_is_dated_by_created_not_by_the_clock(package: Path) -> None:
    with zipfile.ZipFile(package / "jixiao-917003-2020.xlsx") as workbook:
        assert {info.date_time for info in workbook.infolist()} == {(2026, 1, 1, 0, 0, 0)}
        core = workbook.read("docProps/core.xml").decode()
    assert core.count("2026-01-01T00:00:00Z") == 2


def test_the_published_datapackage_folder_equals_a_fresh_build(
    tmp_path: Path, update_golden: bool
) -> None:
    # The published package is the build's, audit findings included; the slow stages that
    # do not touch it are left out.
    fresh = tmp_path / "build"
    build(load_config(EXAMPLE_CONFIG), output=fresh, jobs=1, skip=("rdf", "site"))
    if update_golden:
        shutil.rmtree(PUBLISHED, ignore_errors=True)
        shutil.copytree(fresh / "datapackage", PUBLISHED)
    assert files_of(PUBLISHED) == files_of(fresh / "datapackage")
    assert any(row["rule"] == "DQ09" for row in rows(PUBLISHED, "findings"))


def test_the_workbook_has_one_sheet_per_resource_with_chinese_titles(package: Path) -> None:
    book = openpyxl.load_workbook(package / "jixiao-917003-2020.xlsx")
    assert book.sheetnames == [
        "绩效目标公开文件",
        "部门整体绩效目标",
        "预算项目",
        "资金支出计划",
        "项目绩效目标",
        "绩效指标",
        "质量问题",
    ]
    projects = book["预算项目"]
    assert [c.value for c in projects[1]][:6] == [
        "项目标识",
        "披露编号",
        "序号",
        "项目编码",
        "项目名称",
        "预算数（万元）",
    ]
    assert projects.max_row == 16
    assert projects["F2"].value == pytest.approx(17.54)
    assert book["绩效指标"].max_row == 76


def test_workbook_cells_from_the_source_are_text_never_formulas(
    sample: Disclosure, tmp_path: Path
) -> None:
    hostile = sample.model_copy(deep=True)
    hostile.projects[0].name = '=HYPERLINK("http://evil.example","点击")'
    hostile.projects[1].name = "换页\x0c符"
    write([hostile], tmp_path)
    sheet = openpyxl.load_workbook(tmp_path / "jixiao-917003-2020.xlsx")["预算项目"]
    assert sheet["E2"].data_type == "s"
    assert sheet["E2"].value == '=HYPERLINK("http://evil.example","点击")'
    assert sheet["E3"].value == "换页\ufffd符"
    assert rows(tmp_path, "projects")[1]["name"] == "换页\x0c符"


def test_a_disclosure_without_a_license_is_refused_and_nothing_is_written(
    sample: Disclosure, tmp_path: Path
) -> None:
    unlicensed = sample.model_copy(update={"license": None})
    with pytest.raises(OutputError, match=r"disclosure.txt .* has no license"):
        write([unlicensed], tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_a_disclosure_without_a_year_is_refused(sample: Disclosure, tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="no budget year"):
        write([sample.model_copy(update={"year": None})], tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_the_same_department_and_year_twice_is_refused(sample: Disclosure, tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="917003/2020"):
        write([sample, sample], tmp_path)


def yuan(disclosure: Disclosure, code: str) -> Disclosure:
    """``disclosure`` as another department's, with amounts in 元."""
    copy = disclosure.model_copy(deep=True, update={"department_code": code, "currency_unit": "元"})
    for project in copy.projects:
        project.budget_total = Decimal("1250.60")
        project.fiscal_funds = Decimal("1250.60")
    return copy


def test_a_package_in_yuan_keeps_its_amounts_and_says_yuan(
    sample: Disclosure, tmp_path: Path
) -> None:
    write([yuan(sample, "918001")], tmp_path)
    assert rows(tmp_path, "projects")[0]["budget_total"] == "1250.60"
    assert schema_field(tmp_path, "projects", "budget_total")["unit"] == "元"
    assert validate_package(tmp_path) == []


def test_mixed_currency_units_are_published_in_wan_yuan_exactly(
    sample: Disclosure, tmp_path: Path
) -> None:
    write([sample, yuan(sample, "918001")], tmp_path)
    projects = rows(tmp_path, "projects")
    assert len(projects) == 30
    assert projects[0]["budget_total"] == "17.54"
    assert projects[15]["budget_total"] == "0.125060"
    assert projects[15]["project_id"] == "918001/2020/917-0101-YCN-16DG"
    assert schema_field(tmp_path, "projects", "budget_total")["unit"] == "万元"
    assert [r["currency_unit"] for r in rows(tmp_path, "disclosures")] == ["万元", "元"]
    assert descriptor(tmp_path)["name"] == "jixiao-performance-goals"
    assert validate_package(tmp_path) == []


def test_the_education_variant_joins_the_sample_with_amounts_in_wan_yuan(
    sample: Disclosure, tmp_path: Path
) -> None:
    metadata = DocumentMetadata(year=2021, license="CC-BY-4.0")
    variant = toolkit.read(VARIANT, metadata=metadata)
    write([sample, variant], tmp_path)
    project = rows(tmp_path, "projects")[15]
    assert project["project_id"] == "123456/2021/123-0301-JYJ-0001"
    assert (project["budget_total"], project["fiscal_funds"], project["other_funds"]) == (
        "125.000050",
        "100.000050",
        "25.0000",
    )
    indicator = rows(tmp_path, "indicators")[75]
    assert (indicator["level1_label"], indicator["level1_concept"]) == ("产出指标(50分)", "output")
    assert (indicator["weight"], indicator["direction"]) == ("20", "正向")
    assert validate_package(tmp_path) == []


def finding(**fields: Any) -> Finding:
    base = {
        "rule": "DQ05",
        "severity": Severity.WARNING,
        "department_code": "917003",
        "year": 2020,
        "message_zh": "指标值缺失",
        "message_en": "the target is missing",
        "hint_zh": "填写指标值",
        "hint_en": "state the target",
    }
    return Finding(**{**base, **fields})


def test_findings_are_written_with_keys_to_projects_and_indicators(
    sample: Disclosure, tmp_path: Path
) -> None:
    findings = [
        finding(project_code="917-0101-YCN-8FBM", indicator_ordinal=6, line=260),
        finding(rule="DQ11", severity=Severity.ERROR, project_code="917-0102-YCN-HV41"),
        finding(rule="DQ04", severity=Severity.INFO),
    ]
    write([sample], tmp_path, findings=findings)
    written = rows(tmp_path, "findings")
    assert [(r["project_id"], r["indicator_id"]) for r in written] == [
        ("917003/2020/917-0101-YCN-8FBM", "917003/2020/917-0101-YCN-8FBM/6"),
        ("917003/2020/917-0102-YCN-HV41", ""),
        ("", ""),
    ]
    assert (written[0]["severity"], written[0]["line"], written[0]["message_en"]) == (
        "warning",
        "260",
        "the target is missing",
    )
    assert validate_package(tmp_path) == []


def test_a_finding_about_a_disclosure_not_published_is_refused(
    sample: Disclosure, tmp_path: Path
) -> None:
    with pytest.raises(OutputError, match="DQ05 is about 999/2020"):
        write([sample], tmp_path, findings=[finding(department_code="999")])


def test_the_zip_holds_the_package_sorted_dated_and_byte_stable(
    package: Path, tmp_path: Path
) -> None:
    first = zip_package(package, tmp_path / "a.zip")
    second = zip_package(package, tmp_path / "b.zip")
    assert first.read_bytes() == second.read_bytes()
    with zipfile.ZipFile(first) as archive:
        names = archive.namelist()
        assert names == sorted(files_of(package))
        assert {i.date_time for i in archive.infolist()} == {(2026, 1, 1, 0, 0, 0)}
        assert archive.read("projects.csv") == (package / "projects.csv").read_bytes()
    assert Package(str(first)).validate().valid


@pytest.mark.parametrize("jobs", [1, 2])
def test_build_package_writes_zips_and_validates_as_the_three_functions_do(
    package: Path, sample: Disclosure, tmp_path: Path, jobs: int
) -> None:
    folder, zipped = tmp_path / "datapackage", tmp_path / "datapackage.zip"
    problems = build_package(
        [sample], folder, zip_path=zipped, created=CREATED, homepage=HOMEPAGE, jobs=jobs
    )
    assert problems == []
    assert files_of(folder) == files_of(package)
    assert zipped.read_bytes() == zip_package(package, tmp_path / "again.zip").read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "again.zip",
        "datapackage",
        "datapackage.zip",
    ]


@pytest.mark.parametrize("jobs", [1, 2])
def test_build_package_reports_the_problems_validate_package_reports(
    sample: Disclosure, tmp_path: Path, jobs: int
) -> None:
    stray = finding(project_code="NO-SUCH-PROJECT")
    folder = tmp_path / "datapackage"
    problems = build_package(
        [sample], folder, zip_path=tmp_path / "p.zip", findings=[stray], created=CREATED,
        homepage=HOMEPAGE, jobs=jobs,
    )  # fmt: skip
    assert [p.where for p in problems] == ["resource findings, row 2, field project_id"]
    assert problems == validate_package(folder)


def test_a_write_that_fails_halfway_leaves_no_file_behind(
    sample: Disclosure, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full_disk(*args: Any, **kwargs: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("toolkit.package.write_workbook", full_disk)
    with pytest.raises(OutputError, match="No space left on device"):
        write([sample], tmp_path / "package")
    with pytest.raises(OutputError, match="No space left on device"):
        build_package(
            [sample], tmp_path / "built", zip_path=tmp_path / "built.zip", created=CREATED,
            homepage=HOMEPAGE, jobs=2,
        )  # fmt: skip
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["built", "package"]


def test_zipping_a_folder_that_is_not_a_package_is_an_output_error(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="not a data package"):
        zip_package(tmp_path, tmp_path / "x.zip")


def test_a_write_into_an_unwritable_place_is_an_output_error(
    sample: Disclosure, tmp_path: Path
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(OutputError, match="cannot write the data package"):
        write([sample], blocker / "package")


def test_csv_cells_round_trip_through_the_csv_reader(package: Path, sample: Disclosure) -> None:
    text = (package / "projects.csv").read_text(encoding="utf-8")
    parsed = list(csv.reader(io.StringIO(text)))
    assert [row[8] for row in parsed[1:]] == [p.use_of_funds or "" for p in sample.projects]
