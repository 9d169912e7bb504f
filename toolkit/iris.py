"""IRIs of published resources, minted from the configured base URL and stable codes.

    {base}/department/{department-code}
    {base}/disclosure/{department-code}/{year}
    {base}/project/{year}/{project-code}
    {base}/project/{year}/{project-code}#indicator-{ordinal}     (and #plan-{n}, #goal-{n}, …)
    {base}/dataset

The path of an IRI (after the base, without the fragment) is the path of the resource's page
on the site, so ``page_path`` is how the site finds the page of any resource; parts of a
project (indicators, spending-plan entries, amounts) are hash IRIs on the project's page.

Codes come from untrusted documents. A code that is not a plain path segment (letters,
digits, ``.``, ``_``, ``-``; not ``.`` or ``..``) is rejected, never escaped, so that an IRI,
a page path and a file name are always the same string.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import urlsplit

from rdflib import URIRef

from toolkit.errors import ConfigError, OutputError
from toolkit.model import Disclosure, Indicator, Project
from toolkit.rdf_text import Triple

__all__ = [
    "dataset_iri",
    "department_iri",
    "disclosure_iri",
    "indicator_iri",
    "page_graphs",
    "page_path",
    "part_iri",
    "project_iri",
    "project_iri_for",
    "safe_segment",
]

# Characters RFC 3987 does not allow anywhere in an IRI.
_NOT_IN_IRIS = re.compile(r'[\x00-\x20<>"{}|\\^`\x7f]')
_SEGMENT = re.compile(r"^[0-9A-Za-z][0-9A-Za-z._-]{0,63}$")


def safe_segment(code: str, *, what: str = "code") -> str:
    """``code`` if it is safe as one IRI path segment and file name; else :class:`OutputError`."""
    if not _SEGMENT.match(code) or ".." in code:
        raise OutputError(
            f"{what} {code!r} cannot be used in an IRI: only letters, digits, '.', '_' and '-' "
            "are allowed (fix the code in the source or its metadata)"
        )
    return code


def _base(base: str) -> str:
    parts = urlsplit(base)
    if (
        parts.scheme not in ("http", "https")
        or not parts.netloc
        or parts.query
        or parts.fragment
        or _NOT_IN_IRIS.search(base)
    ):
        raise ConfigError(
            f"{base!r} is not an http(s) URL without query or fragment", key="site.base_url"
        )
    return base.rstrip("/")


def _year(disclosure: Disclosure) -> str:
    if disclosure.year is None:
        raise OutputError(
            f"disclosure {disclosure.department_code} has no budget year, so its IRIs cannot be "
            "minted: pass --year or set year in its .meta.toml"
        )
    return str(disclosure.year)


def dataset_iri(base: str) -> URIRef:
    """The dataset: everything one build publishes."""
    return URIRef(f"{_base(base)}/dataset")


def department_iri(base: str, department_code: str) -> URIRef:
    return URIRef(f"{_base(base)}/department/{safe_segment(department_code, what='department')}")


def disclosure_iri(base: str, disclosure: Disclosure) -> URIRef:
    code = safe_segment(disclosure.department_code, what="department")
    return URIRef(f"{_base(base)}/disclosure/{code}/{_year(disclosure)}")


def project_iri_for(base: str, year: int, project_code: str) -> URIRef:
    """A project's IRI from its budget year and code alone (findings carry only codes)."""
    return URIRef(f"{_base(base)}/project/{year}/{safe_segment(project_code, what='project')}")


def project_iri(base: str, disclosure: Disclosure, project: Project) -> URIRef:
    """``{base}/project/{year}/{project-code}``: also the path of the project's page."""
    return project_iri_for(base, int(_year(disclosure)), project.code)


def indicator_iri(
    base: str, disclosure: Disclosure, project: Project, indicator: Indicator
) -> URIRef:
    return part_iri(project_iri(base, disclosure, project), f"indicator-{indicator.ordinal}")


def part_iri(parent: URIRef, fragment: str) -> URIRef:
    """A part of a resource described on the same page (an indicator, an amount, a goal)."""
    return URIRef(f"{parent}#{fragment}")


def page_path(iri: str, base: str) -> str:
    """The site path of the page that describes ``iri``: the IRI's path below ``base``,
    without the fragment and without leading or trailing slashes
    (``project/2020/917-0101-YCN-16DG``). An IRI outside ``base`` is an :class:`OutputError`."""
    root = _base(base) + "/"
    text = str(iri).split("#", 1)[0]
    if not text.startswith(root):
        raise OutputError(f"{iri} is not under the site's base {base}")
    return text[len(root) :].strip("/")


def page_graphs(
    triples: Iterable[Triple], base: str, *, outside: list[Triple] | None = None
) -> dict[str, list[Triple]]:
    """``triples`` by the page that carries them (its site path, ``project/2020/CODE/``):
    the page of the subject's IRI (:func:`page_path`), in the order the pages first appear.
    Triples whose subject is outside ``base`` are on no page: they go into ``outside`` when
    given. One pass."""
    pages: dict[str, list[Triple]] = {}
    root = _base(base) + "/"
    start = len(root)
    # A subject has several triples: its page is found once, then looked up by the subject.
    by_subject: dict[str, list[Triple]] = {}
    nowhere: list[Triple] = [] if outside is None else outside
    for triple in triples:
        subject = triple[0]
        found = by_subject.get(subject)
        if found is None:
            if subject.startswith(root):
                path = subject.split("#", 1)[0][start:].strip("/") + "/"
                found = pages.setdefault(path, [])
            else:
                found = nowhere
            by_subject[subject] = found
        found.append(triple)
    return pages
