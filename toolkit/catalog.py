"""The DCAT catalog of a build: ``catalog.ttl`` describing the dataset and each download.

Each distribution (CSV package, zip, xlsx, Turtle, N-Triples, JSON-LD) gets its IANA media
type, byte size, SHA-256 checksum (``spdx:checksum``, as DCAT 3 recommends) and license.
Download URLs are the files' paths below ``root`` (default: the folder above ``folder``)
under the site's base URL; no absolute local path reaches the output.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from urllib.parse import quote

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF, XSD

from toolkit.checksums import Checksums
from toolkit.errors import OutputError
from toolkit.iris import dataset_iri, part_iri
from toolkit.vocabularies import SPDX, bind_prefixes

__all__ = ["MEDIA_TYPES", "catalog_graph", "license_iri", "write_catalog"]

MEDIA_TYPES = {
    ".csv": "text/csv",
    ".json": "application/json",
    ".jsonld": "application/ld+json",
    ".nt": "application/n-triples",
    ".ttl": "text/turtle",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".zip": "application/zip",
}
_IANA = "https://www.iana.org/assignments/media-types/"


def license_iri(license: str) -> URIRef:
    """A license IRI: a URL as given, an SPDX identifier (``CC-BY-4.0``) as its SPDX page."""
    if license.startswith(("http://", "https://")):
        return URIRef(license)
    if not license or not all(ch.isalnum() or ch in ".+-" for ch in license):
        raise OutputError(f"license {license!r} is neither a URL nor an SPDX identifier")
    return URIRef(f"https://spdx.org/licenses/{license}")


def catalog_graph(
    distributions: Sequence[Path],
    *,
    base: str,
    license: str,
    build_time: datetime,
    root: Path,
    title: str = "预算绩效目标公开数据",
    checksums: Checksums | None = None,
) -> Graph:
    """The catalog as a graph; see :func:`write_catalog`."""
    checksums = checksums if checksums is not None else Checksums()
    graph = bind_prefixes(Graph(bind_namespaces="core"))
    dataset = dataset_iri(base)
    licence = license_iri(license)
    when = Literal(build_time.isoformat(), datatype=XSD.dateTime)
    graph.add((dataset, RDF.type, DCAT.Dataset))
    graph.add((dataset, DCTERMS.title, Literal(title, lang="zh")))
    graph.add((dataset, DCTERMS.license, licence))
    graph.add((dataset, DCTERMS.modified, when))
    for path in sorted(distributions, key=lambda p: p.resolve().as_posix()):
        try:
            relative = path.resolve().relative_to(root.resolve()).as_posix()
        except ValueError as error:
            raise OutputError(f"not inside the published folder {root}", path=path) from error
        media = MEDIA_TYPES.get(path.suffix.lower())
        if media is None:
            raise OutputError(f"no media type known for {path.suffix!r} files", path=path)
        try:
            stated = checksums.of(path)
        except OSError as error:
            raise OutputError(f"cannot read: {error.strerror}", path=path) from error
        node = part_iri(dataset, "distribution-" + quote(relative, safe="").replace("%", "_"))
        checksum = URIRef(f"{node}-checksum")
        graph.add((dataset, DCAT.distribution, node))
        graph.add((node, RDF.type, DCAT.Distribution))
        graph.add((node, DCTERMS.title, Literal(path.name)))
        graph.add((node, DCAT.downloadURL, URIRef(f"{base.rstrip('/')}/{quote(relative)}")))
        graph.add((node, DCAT.mediaType, URIRef(_IANA + media)))
        graph.add((node, DCAT.byteSize, Literal(str(stated.size), datatype=XSD.nonNegativeInteger)))
        graph.add((node, DCTERMS.license, licence))
        graph.add((node, DCTERMS.issued, when))
        graph.add((node, SPDX.checksum, checksum))
        graph.add((checksum, RDF.type, SPDX.Checksum))
        graph.add((checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
        graph.add((checksum, SPDX.checksumValue, Literal(stated.sha256, datatype=XSD.hexBinary)))
    return graph


def write_catalog(
    folder: Path,
    distributions: Sequence[Path],
    *,
    base: str,
    license: str,
    build_time: datetime,
    root: Path | None = None,
    checksums: Checksums | None = None,
) -> Path:
    """Write ``folder/catalog.ttl``: the DCAT dataset and one distribution per file.

    ``root`` is the folder published at ``base`` (default ``folder``'s parent); every
    distribution must lie inside it. ``checksums`` are asked for the files' checksums (the
    build's, which the site asks too). Returns the path written."""
    graph = catalog_graph(
        distributions,
        base=base,
        license=license,
        build_time=build_time,
        root=root if root is not None else folder.parent,
        checksums=checksums,
    )
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "catalog.ttl"
    partial = path.with_name(".catalog.ttl.partial")
    try:
        partial.write_bytes(graph.serialize(format="turtle", encoding="utf-8"))
        partial.replace(path)
    except OSError as error:
        partial.unlink(missing_ok=True)
        raise OutputError(f"cannot write: {error.strerror}", path=path) from error
    return path
