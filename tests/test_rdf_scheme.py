"""The hand-written ontology files agree with the code: the SKOS scheme with toolkit/vocab.py,
the shapes' value lists and patterns with the scheme and the model, and every ontology term
is labelled and explained in Chinese and English."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import BaseModel
from rdflib import Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, SH, SKOS

from toolkit.model import CODE_PATTERN, DEPARTMENT_CODE_PATTERN, Project, SpendingPlanEntry
from toolkit.vocab import CONCEPTS, LEVEL1, LEVEL2, Concept
from toolkit.vocabularies import BP, BPC, ONTOLOGY_FILE, SCHEME_FILE, SHAPES_FILE


@pytest.fixture(scope="module")
def scheme() -> Graph:
    return Graph().parse(SCHEME_FILE)


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ONTOLOGY_FILE)


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return Graph().parse(SHAPES_FILE)


def labels(graph: Graph, node: URIRef, prop: URIRef) -> dict[str | None, set[str]]:
    found: dict[str | None, set[str]] = {}
    for value in graph.objects(node, prop):
        assert isinstance(value, Literal)
        found.setdefault(value.language, set()).add(str(value))
    return found


def test_the_scheme_has_exactly_the_concepts_of_vocab(scheme: Graph) -> None:
    in_file = {str(c)[len(str(BPC)) :] for c in scheme.subjects(RDF.type, SKOS.Concept)}
    assert in_file == {c.code for c in CONCEPTS}


@pytest.mark.parametrize("concept", CONCEPTS, ids=[c.code for c in CONCEPTS])
def test_each_concept_agrees_with_vocab(scheme: Graph, concept: Concept) -> None:
    node = BPC[concept.code]
    assert labels(scheme, node, SKOS.prefLabel) == {"zh": {concept.zh}, "en": {concept.en}}
    assert labels(scheme, node, SKOS.altLabel) == (
        {"zh": set(concept.aliases)} if concept.aliases else {}
    )
    assert str(scheme.value(node, SKOS.notation)) == concept.code
    assert scheme.value(node, BP.level).toPython() == concept.level
    broader = scheme.value(node, SKOS.broader)
    assert broader == (BPC[concept.broader] if concept.broader else None)
    since = scheme.value(node, BP.since)
    until = scheme.value(node, BP.until)
    assert (int(str(since)) if since else None) == concept.since
    assert (int(str(until)) if until else None) == concept.until
    is_top = (node, SKOS.topConceptOf, BPC[""]) in scheme
    assert is_top == (concept.level == 1)


def shape_property(shapes: Graph, path: URIRef) -> list:
    return [ps for ps in shapes.subjects(SH.path, path)]


def sh_in(shapes: Graph, path: URIRef) -> set[URIRef]:
    values: set[URIRef] = set()
    for ps in shape_property(shapes, path):
        listed = shapes.value(ps, SH["in"])
        if listed is not None:
            values |= set(Collection(shapes, listed))
    return values


def test_the_shapes_allow_exactly_the_scheme_concepts_per_level(shapes: Graph) -> None:
    assert sh_in(shapes, BP.level1) == {BPC[code] for code in LEVEL1}
    assert sh_in(shapes, BP.level2) == {BPC[code] for code in LEVEL2}


def test_the_shapes_use_the_model_code_patterns(shapes: Graph) -> None:
    def pattern(path: URIRef) -> set[str]:
        return {str(shapes.value(ps, SH.pattern)) for ps in shape_property(shapes, path)}

    assert pattern(BP.projectCode) == {CODE_PATTERN}
    assert pattern(SKOS.notation) >= {DEPARTMENT_CODE_PATTERN}


def test_every_ontology_term_has_labels_and_comments_in_both_languages(
    ontology: Graph,
) -> None:
    terms = {s for s in ontology.subjects() if isinstance(s, URIRef) and str(s).startswith(str(BP))}
    assert len(terms) > 60
    for term in terms:
        for prop in (RDFS.label, RDFS.comment):
            found = labels(ontology, term, prop)
            assert set(found) == {"zh", "en"}, f"{term} {prop}"
    assert (URIRef(str(BP)[:-1]), RDF.type, OWL.Ontology) in ontology
    used = set(Graph().parse(SCHEME_FILE).predicates()) | set(Graph().parse(SHAPES_FILE).objects())
    for term in (t for t in used if isinstance(t, URIRef) and str(t).startswith(str(BP))):
        assert term in terms, f"{term} is used but not defined in bp.ttl"


@pytest.mark.parametrize(
    ("model", "field", "prop"),
    [
        (Project, "code", BP.projectCode),
        (Project, "budget_total", BP.budgetTotal),
        (Project, "fiscal_funds", BP.fiscalFunds),
        (Project, "other_funds", BP.otherFunds),
        (Project, "use_of_funds", BP.useOfFunds),
        (Project, "spending_plan_cumulative", BP.spendingPlanCumulative),
        (SpendingPlanEntry, "period", BP.period),
        (SpendingPlanEntry, "percent", BP.percent),
    ],
)
def test_ontology_labels_are_the_model_titles(
    ontology: Graph, model: type[BaseModel], field: str, prop: URIRef
) -> None:
    extra = model.model_fields[field].json_schema_extra
    assert labels(ontology, prop, RDFS.label) == {
        "zh": {extra["title_zh"]},
        "en": {extra["title_en"]},
    }


@pytest.mark.parametrize("path", [ONTOLOGY_FILE, SCHEME_FILE, SHAPES_FILE], ids=lambda p: p.name)
def test_the_hand_written_turtle_parses_with_a_second_parser(path: Path) -> None:
    import pyoxigraph

    triples = list(pyoxigraph.parse(path=str(path), format=pyoxigraph.RdfFormat.TURTLE))
    assert len(triples) == len(Graph().parse(path))
