"""catalog.ttl describes each download with media type, size, SHA-256 and license."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import DCAT, DCTERMS

from toolkit.catalog import write_catalog
from toolkit.errors import OutputError
from toolkit.model import Disclosure
from toolkit.rdf import to_graph, write_rdf
from toolkit.shacl import validate_graph
from toolkit.vocabularies import SPDX

BASE = "https://example.org/jixiao"
WHEN = datetime(2026, 1, 1, tzinfo=UTC)


@pytest.fixture(scope="module")
def build(sample: Disclosure, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("build")
    files = write_rdf(to_graph([sample], base=BASE), root / "rdf")
    catalog = write_catalog(root / "rdf", files, base=BASE, license="CC-BY-4.0", build_time=WHEN)
    return root, catalog


def test_each_distribution_has_size_checksum_media_type_and_license(
    build: tuple[Path, Path],
) -> None:
    root, catalog = build
    graph = Graph().parse(catalog)
    distributions = sorted(graph.objects(URIRef(f"{BASE}/dataset"), DCAT.distribution))
    assert len(distributions) == 3
    by_url = {str(graph.value(d, DCAT.downloadURL)): d for d in distributions}
    node = by_url[f"{BASE}/rdf/data.ttl"]
    data = (root / "rdf" / "data.ttl").read_bytes()
    assert graph.value(node, DCAT.byteSize).toPython() == len(data)
    checksum = graph.value(node, SPDX.checksum)
    assert str(graph.value(checksum, SPDX.checksumValue)) == hashlib.sha256(data).hexdigest()
    assert str(graph.value(node, DCAT.mediaType)).endswith("/text/turtle")
    assert graph.value(node, DCTERMS.license) == URIRef("https://spdx.org/licenses/CC-BY-4.0")


def test_the_catalog_conforms_and_names_no_local_path(build: tuple[Path, Path]) -> None:
    root, catalog = build
    assert validate_graph(Graph().parse(catalog)) == []
    assert str(root) not in catalog.read_text(encoding="utf-8")


def test_a_distribution_outside_the_published_folder_is_refused(
    build: tuple[Path, Path], tmp_path: Path
) -> None:
    root, _ = build
    stray = tmp_path / "stray.ttl"
    stray.write_text("", encoding="utf-8")
    with pytest.raises(OutputError, match="not inside the published folder"):
        write_catalog(root / "rdf", [stray], base=BASE, license="CC-BY-4.0", build_time=WHEN)


def test_writing_the_catalog_twice_gives_the_same_bytes(build: tuple[Path, Path]) -> None:
    root, catalog = build
    first = catalog.read_bytes()
    files = sorted((root / "rdf").glob("data.*"), reverse=True)
    write_catalog(root / "rdf", files, base=BASE, license="CC-BY-4.0", build_time=WHEN)
    assert catalog.read_bytes() == first
