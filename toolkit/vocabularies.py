"""Namespaces of the published graph and the paths of the hand-written ontology files.

One place for the IRIs every RDF module shares (``rdf``, ``shacl``, ``sparql``, ``catalog``).
"""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph, Namespace
from rdflib.namespace import DCAT, DCTERMS, ORG, OWL, PROV, RDF, RDFS, SKOS, XSD

__all__ = [
    "BP",
    "BPC",
    "COMPARATORS",
    "CONTEXT_FILE",
    "DQV",
    "OA",
    "ONTOLOGY_DIR",
    "ONTOLOGY_FILE",
    "QUDT",
    "QUDT_UNITS",
    "QUERIES_DIR",
    "SCHEMA",
    "SCHEME_FILE",
    "SEVERITIES",
    "SHAPES_FILE",
    "SPDX",
    "TARGET_KINDS",
    "UNIT",
    "bind_prefixes",
]

ONTOLOGY_DIR = Path(__file__).resolve().parent.parent / "ontology"
ONTOLOGY_FILE = ONTOLOGY_DIR / "bp.ttl"
SCHEME_FILE = ONTOLOGY_DIR / "indicator-scheme.ttl"
SHAPES_FILE = ONTOLOGY_DIR / "shapes.ttl"
CONTEXT_FILE = ONTOLOGY_DIR / "context.jsonld"
QUERIES_DIR = ONTOLOGY_DIR / "queries"

BP = Namespace("https://example.org/jixiao/ontology/bp/v1#")
BPC = Namespace("https://example.org/jixiao/ontology/bp/v1/category/")
DQV = Namespace("http://www.w3.org/ns/dqv#")
OA = Namespace("http://www.w3.org/ns/oa#")
QUDT = Namespace("http://qudt.org/schema/qudt/")
UNIT = Namespace("http://qudt.org/vocab/unit/")
SCHEMA = Namespace("https://schema.org/")
SPDX = Namespace("http://spdx.org/rdf/terms#")

_PREFIXES = {
    "bp": BP,
    "bpc": BPC,
    "dcat": DCAT,
    "dcterms": DCTERMS,
    "dqv": DQV,
    "oa": OA,
    "org": ORG,
    "owl": OWL,
    "prov": PROV,
    "qudt": QUDT,
    "rdf": RDF,
    "rdfs": RDFS,
    "schema": SCHEMA,
    "skos": SKOS,
    "spdx": SPDX,
    "unit": UNIT,
    "xsd": XSD,
}

COMPARATORS = {
    ">=": BP.GreaterOrEqual,
    "<=": BP.LessOrEqual,
    "=": BP.Equal,
    ">": BP.Greater,
    "<": BP.Less,
}
TARGET_KINDS = {
    "quantitative": BP.Quantitative,
    "qualitative": BP.Qualitative,
    "missing": BP.Missing,
}
SEVERITIES = {"error": BP.Error, "warning": BP.Warning, "info": BP.Info}
# Units with a QUDT term; the rest (个, 人, 处, 亩, 万元/个 …) stay literals in bp:unit only.
QUDT_UNITS = {
    "%": UNIT.PERCENT,
    "年": UNIT.YR,
    "月": UNIT.MO,
    "天": UNIT.DAY,
    "日": UNIT.DAY,
    "小时": UNIT.HR,
    "公里": UNIT.KiloM,
    "千米": UNIT.KiloM,
    "米": UNIT.M,
    "平方米": UNIT.M2,
    "立方米": UNIT.M3,
    "公顷": UNIT.HA,
    "吨": UNIT.TONNE,
    "千克": UNIT.KiloGM,
}


def bind_prefixes(graph: Graph) -> Graph:
    """Bind the prefixes of the published files (and only those, so output does not depend on
    rdflib's defaults)."""
    for prefix, namespace in _PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)
    return graph
