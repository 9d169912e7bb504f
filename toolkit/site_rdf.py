"""Where each resource lives on the site, and the RDF its page carries.

The path of a page is the path of its resource's IRI (DESIGN.md, "Identifiers"): the project
``{base}/project/{year}/{code}`` is the page ``project/{year}/{code}/``. Paths come from
:mod:`toolkit.iris` and triples from :mod:`toolkit.rdf`, so the site and the RDF can never
disagree on an IRI.

Triples stay plain terms (:mod:`toolkit.rdf_text`) from the writer to the page's files: a
page's triples are those whose subject is its resource or one of its ``#parts``
(:func:`toolkit.iris.page_graphs`). In a build, the RDF stage writes the dumps page by page
and the site serves the disclosure and project pages' RDF from there; otherwise each
disclosure's triples are stated once, in the worker that writes its pages.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from toolkit import iris, rdf
from toolkit.iris import page_graphs
from toolkit.model import Disclosure, Project
from toolkit.quality.finding import Finding
from toolkit.rdf_text import Triple
from toolkit.site_serialize import ntriples_bytes

__all__ = [
    "RDF_DUMP",
    "Triple",
    "corpus_ntriples",
    "dataset_triples",
    "department_path",
    "department_share",
    "disclosure_pages",
    "disclosure_path",
    "project_path",
    "resource_iri",
    "script_safe",
    "script_safe_bytes",
]

# The build's N-Triples dump, under its outputs folder (toolkit.build).
RDF_DUMP = Path("rdf") / "data.nt"

# A page's path does not depend on the base: any base gives the same path.
_ANY_BASE = "https://site.invalid"


def _path(iri: str) -> str:
    return iris.page_path(iri, _ANY_BASE) + "/"


def project_path(disclosure: Disclosure, project: Project) -> str:
    """Site-relative folder of a project's page, e.g. ``project/2020/917-0101-YCN-16DG/``;
    :class:`~toolkit.errors.OutputError` for a disclosure without a year or an unsafe code."""
    return _path(iris.project_iri(_ANY_BASE, disclosure, project))


def disclosure_path(disclosure: Disclosure) -> str:
    return _path(iris.disclosure_iri(_ANY_BASE, disclosure))


def department_path(department_code: str) -> str:
    return _path(iris.department_iri(_ANY_BASE, department_code))


def resource_iri(base: str, path: str) -> str:
    """The IRI whose path is the page ``path``: ``{base}/project/2020/CODE``."""
    return f"{base.rstrip('/')}/{path.rstrip('/')}"


def disclosure_pages(
    d: Disclosure, findings: Sequence[Finding], base: str
) -> dict[str, list[Triple]]:
    """Every page ``d``'s triples land on, by site path, with its triples: the disclosure's,
    its department's share (the department page is the union of its disclosures' shares),
    and each project's (every triple about the project and its parts, with the audit's
    ``findings`` on them, as :func:`toolkit.rdf.project_triples` states them)."""
    writer = rdf.TripleWriter(base)
    writer.disclosure(d, str(iris.dataset_iri(base)))
    writer.findings(findings, [d])
    return page_graphs(writer.triples, base)


def department_share(d: Disclosure, base: str) -> list[Triple]:
    """What ``d`` states about its department: its share of the department's page."""
    writer = rdf.TripleWriter(base)
    writer.department(d)
    return writer.triples


def dataset_triples(base: str) -> list[Triple]:
    """The dataset page's triples, as the corpus graph states them (without a build time:
    the site is dated by its own page)."""
    writer = rdf.TripleWriter(base)
    writer.dataset(str(iris.dataset_iri(base)), None)
    return writer.triples


def corpus_ntriples(
    disclosures: Sequence[Disclosure],
    findings: Sequence[Finding],
    base: str,
    outputs: Path | None,
) -> Path | bytes:
    """The whole graph as N-Triples, for the example queries: the build's dump in
    ``outputs`` where there is one (a path, for the store to load), else made here."""
    if outputs is not None and (outputs / RDF_DUMP).is_file():
        return outputs / RDF_DUMP
    return ntriples_bytes(rdf.corpus_triples(disclosures, base=base, findings=findings))


# What script_safe escapes, and how.
_SCRIPT_ESCAPES = (
    ("<", "\\u003c"),
    (">", "\\u003e"),
    ("&", "\\u0026"),
    ("\u2028", "\\u2028"),
    ("\u2029", "\\u2029"),
)


def script_safe(text: str) -> str:
    """JSON text safe inside ``<script>``: ``<``, ``>`` and ``&`` become JSON escapes, so
    neither ``</script>`` nor ``<!--`` can end or change the element, and U+2028/9 cannot
    break old parsers. They occur only inside JSON strings, whose values are unchanged."""
    for character, escaped in _SCRIPT_ESCAPES:
        text = text.replace(character, escaped)
    return text


def script_safe_bytes(data: bytes) -> bytes:
    """:func:`script_safe` of UTF-8 JSON, on its bytes: the same bytes as encoding what
    :func:`script_safe` gives for the decoded text, without decoding it."""
    for character, escaped in _SCRIPT_ESCAPES:
        data = data.replace(character.encode("utf-8"), escaped.encode("ascii"))
    return data
