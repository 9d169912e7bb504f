"""The synthetic corpus: deterministic for a seed, readable, as varied as DOMAIN.md says."""

from __future__ import annotations

import pytest

import toolkit
from benchmarks.generate import generate_corpus, generate_document


def test_the_same_seed_gives_the_same_bytes_and_another_seed_others():
    assert generate_document(4, seed=7) == generate_document(4, seed=7)
    assert generate_document(4, seed=7)[0] != generate_document(4, seed=8)[0]


def test_a_document_does_not_depend_on_the_corpus_size(tmp_path):
    small = generate_corpus(tmp_path / "small", 2, seed=1)
    large = generate_corpus(tmp_path / "large", 4, seed=1)
    assert small == large[:2]
    assert (tmp_path / "small" / small[1].file).read_bytes() == (
        tmp_path / "large" / large[1].file
    ).read_bytes()


def test_generated_documents_parse_with_the_expected_counts(tmp_path):
    documents = generate_corpus(tmp_path, 8, seed=0)
    for info in documents:
        disclosure = toolkit.read(tmp_path / info.file)
        assert len(disclosure.projects) == info.projects
        assert disclosure.indicator_count == info.indicators
        assert (disclosure.department_code, disclosure.year) == (info.department_code, info.year)
        assert 3 <= info.projects <= 40
        assert all(3 <= len(p.indicators) <= 25 for p in disclosure.projects)
        assert disclosure.warnings == []


def test_crlf_gb18030_and_bom_documents_are_generated_and_read():
    infos = [generate_document(i, seed=0)[1] for i in range(80)]
    assert any(i.newline == "\r\n" and i.encoding == "utf-8" for i in infos)
    assert any(i.encoding == "gb18030" for i in infos)
    assert any(i.bom for i in infos)


FORMS = (
    *("≥", "百分比", "＝１００％", "不低于", "%以上", "天以内", "万元/个", "元/人"),
    *("按照当地文件标准", "\tXX\n", "\t**\n", "\t个\n"),
    *("效果指标", "效益指标", "环境效益指标", "(10分)", "经济成本指标"),
    *("单位：元", "一季度", "上半年", "\t权重\n", "\t计量单位\n"),
)


@pytest.mark.parametrize("form", FORMS)
def test_every_target_form_and_layout_variant_occurs_in_a_corpus_of_sixty(form):
    text = "".join(
        generate_document(i, seed=0)[0].decode("utf-8-sig", errors="replace") for i in range(60)
    )
    assert form in text


def test_some_indicators_are_copied_into_unrelated_projects(tmp_path):
    [info] = generate_corpus(tmp_path, 1, seed=5)
    disclosure = toolkit.read(tmp_path / info.file)
    themes = {p.code: p.name[:3] for p in disclosure.projects}
    foreign = [
        (p.code, i.name)
        for p in disclosure.projects
        for i in p.indicators
        if i.description
        and themes[p.code] not in i.description
        and "群众" not in i.name
        and "资金到位率" not in i.name
    ]
    assert foreign
