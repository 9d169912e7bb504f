"""Every field of the model survives the round trip, not only those the sample fills: a
disclosure with every optional field set goes model → RDF (→ Turtle) → model unchanged, and a
test fails when a new model field is not given a value here (so it cannot be forgotten)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from pydantic import BaseModel
from rdflib import Graph

from toolkit.model import (
    CategoryRef,
    Comparator,
    Disclosure,
    Indicator,
    ParseWarning,
    Project,
    SourceDocument,
    SourceLine,
    SpendingPlanEntry,
    Target,
    TargetKind,
)
from toolkit.rdf import from_graph, serialize, to_graph
from toolkit.shacl import validate_graph

# rdflib's JSON-LD parser still builds a ConjunctiveGraph internally (rdflib 7.x).
pytestmark = pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")

BASE = "https://example.org/jixiao"


def full() -> Disclosure:
    indicator = Indicator(
        ordinal=1,
        level1=CategoryRef(label="成本指标(20分)", concept="cost"),
        level2=CategoryRef(label="经济成本指标", concept="economic-cost"),
        name="单位成本",
        description="每户改造成本",
        target=Target(
            raw="≤1.5万元/户",
            comparator=Comparator.LE,
            value=Decimal("1.5"),
            unit="万元/户",
            kind=TargetKind.QUANTITATIVE,
        ),
        basis="《改造标准》",
        weight=Decimal("20"),
        direction="反向",
        source=SourceLine(first=40, last=41, where="table 2, row 3"),
    )
    unknown = Indicator(
        ordinal=2,
        level1=CategoryRef(label="效率指标"),
        level2=CategoryRef(label="其他"),
        name="办理时限",
        target=Target(raw="", kind=TargetKind.MISSING),
        source=SourceLine(first=42, last=42),
    )
    project = Project(
        sequence=1,
        code="110-01.A_2",
        name="农村危房改造",
        budget_total=Decimal("1250.60"),
        fiscal_funds=Decimal("1000"),
        other_funds=Decimal("250.60"),
        # Untrusted text: quotes, backslashes, angle brackets, newlines, a control character.
        use_of_funds='改造"危房"\\ <b>x</b>\n第二行\t\x0b end',
        spending_plan=[
            SpendingPlanEntry(period="上半年", percent=Decimal("40")),
            SpendingPlanEntry(period="下半年", percent=Decimal("100")),
            SpendingPlanEntry(period="全年", percent=None),
        ],
        spending_plan_cumulative=True,
        goals=["改造危房100户", "年底前完成"],
        indicators=[indicator, unknown],
        source=SourceLine(first=30, last=50, where="table 2"),
    )
    return Disclosure(
        department_code="A110",
        department_name="某县住房和城乡建设局",
        year=2022,
        region="某省某县",
        currency_unit="元",
        publisher="某县财政局",
        license="CC0-1.0",
        source_url="https://example.gov.cn/a.docx",
        source=SourceDocument(
            file_name="a.docx", sha256="0" * 64, media_type="application/msword", encoding="gb18030"
        ),
        overall_goal="住有所居",
        itemised_goals=["目标一", "目标二"],
        safeguard_measures=["措施一"],
        projects=[project],
        warnings=[ParseWarning(message="stray line", line=7), ParseWarning(message="no line")],
    )


def unset_fields(model: BaseModel, where: str = "") -> list[str]:
    missing = []
    for name in type(model).model_fields:
        value = getattr(model, name)
        path = f"{where}{name}"
        if value is None or value == [] or value is False:
            missing.append(path)
        elif isinstance(value, BaseModel):
            missing += unset_fields(value, f"{path}.")
        elif isinstance(value, list) and isinstance(value[0], BaseModel):
            missing += unset_fields(value[0], f"{path}[0].")
    return missing


def test_the_full_disclosure_sets_every_field_of_the_model() -> None:
    # The second indicator, the third plan entry and the second warning are there to test
    # absent values; the first of each list sets everything.
    assert unset_fields(full()) == []


@pytest.mark.parametrize("through_turtle", [False, True])
def test_every_field_round_trips(through_turtle: bool) -> None:
    original = full()
    graph = to_graph([original], base=BASE)
    if through_turtle:
        graph = Graph().parse(data=serialize(graph, "ttl").decode(), format="turtle")
    [back] = from_graph(graph)
    assert back.model_dump() == original.model_dump()


def test_untrusted_text_survives_every_format_and_a_second_parser() -> None:
    import pyoxigraph

    graph = to_graph([full()], base=BASE)
    for fmt, oxi in [
        ("ttl", pyoxigraph.RdfFormat.TURTLE),
        ("nt", pyoxigraph.RdfFormat.N_TRIPLES),
        ("jsonld", pyoxigraph.RdfFormat.JSON_LD),
    ]:
        payload = serialize(graph, fmt)
        assert len(list(pyoxigraph.parse(payload, format=oxi))) == len(graph), fmt
        [back] = from_graph(
            Graph().parse(
                data=payload.decode(), format={"ttl": "turtle", "jsonld": "json-ld"}.get(fmt, fmt)
            )
        )
        assert back.projects[0].use_of_funds == full().projects[0].use_of_funds, fmt


def test_the_full_disclosure_conforms_apart_from_the_cumulative_plan_warning() -> None:
    results = validate_graph(to_graph([full()], base=BASE))
    assert [(r.severity, r.message_en) for r in results] == [
        ("warning", "the cumulative spending plan ends at empty, not 100")
    ]
