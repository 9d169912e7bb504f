"""The public transparency website: generate the MkDocs pages, then build them.

:func:`write_site` writes one page per project (at the path of the project's IRI), per
disclosure and per department, the home, project index, quality, data and linked-data pages,
copies the hand-written pages of ``site/docs/`` beside them into a folder next to the output
(never into ``site/``), and runs ``mkdocs build`` through MkDocs' Python API with the strict
configuration of ``site/mkdocs.yml``. MkDocs builds while the process pool is still writing
the project pages: those, and the disclosure and department pages, are stamped
(:mod:`toolkit.site_stamp`), their HTML written after the build. The site is built into a
staging folder and moved into place only when the build succeeded."""

from __future__ import annotations

import logging
import os
import shutil
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from toolkit.atomic import replace_folder
from toolkit.checksums import Checksums
from toolkit.config import DEFAULT_TIMESTAMP, SiteConfig
from toolkit.errors import OutputError
from toolkit.metadata import DocumentMetadata
from toolkit.model import Disclosure
from toolkit.quality.finding import Finding
from toolkit.rdf_dump import DumpedPages
from toolkit.segmenter import jieba_tokenizer
from toolkit.site_data import download_files
from toolkit.site_generate import NAV, generate_pages, link_or_copy, static_folder
from toolkit.site_html import esc
from toolkit.site_queries import ScopedTriples
from toolkit.site_search import merge_entries
from toolkit.site_stamp import Stamper, stamping

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig

__all__ = ["SITE_SOURCE", "build_site", "write_site"]

SITE_SOURCE = Path(__file__).resolve().parent.parent / "site"


def write_site(
    disclosures: Sequence[Disclosure],
    folder: Path,
    *,
    config: SiteConfig,
    findings: Sequence[Finding] = (),
    outputs: Path | None = None,
    build_time: datetime,
    jobs: int = 1,
    checksums: Checksums | None = None,
    dumped: DumpedPages | None = None,
    scoped: ScopedTriples | None = None,
) -> Path:
    """Generate the pages of ``disclosures`` and build the site into ``folder``.

    ``findings`` are the audit's; ``outputs`` is the build folder holding ``datapackage/``,
    ``datapackage.zip`` and ``rdf/``, whose files the data page lists (size, SHA-256) and the
    site serves; its ``rdf/data.nt``, the build's dump of these disclosures, is what the
    linked-data page's example queries run on (without it the graph is stated here).
    ``build_time`` dates the site and its sitemap, so two builds are identical.
    ``jobs`` processes generate the project pages; the site is the same whatever it is.
    ``checksums`` are asked for the checksums of ``outputs``' files (the build's: the
    catalog asked for the dumps' before, so they are not read again). ``dumped`` says where
    the dumps hold the RDF of the disclosure and project pages (the build's RDF stage wrote
    it page by page), which the pages then serve as it is, instead of stating it again;
    ``scoped``, the triples of the dump the example queries can match, which they load
    instead of the dump.
    Returns ``folder``; raises :class:`OutputError` when a page cannot be generated or
    MkDocs reports a problem (strict build).
    """
    folder = Path(folder).resolve()
    sources = folder.with_name(f"{folder.name}-pages")
    docs = sources / "docs"
    shutil.rmtree(sources, ignore_errors=True)
    docs.mkdir(parents=True)
    staging = folder.with_name(f".{folder.name}-staging")
    shutil.rmtree(staging, ignore_errors=True)

    theme = _Theme(docs, staging, config=config, build_time=build_time)
    try:
        search = generate_pages(
            disclosures,
            findings,
            docs,
            config=config,
            build_time=build_time,
            outputs=outputs,
            theme=theme,
            jobs=jobs,
            checksums=checksums,
            dumped=dumped,
            scoped=scoped,
        )
        merge_entries(staging, search)
        _move_files(static_folder(docs), staging)
        for path, source in download_files(outputs):
            target = staging / path
            target.parent.mkdir(parents=True, exist_ok=True)
            link_or_copy(source, target)
        replace_folder(staging, folder)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return folder


def build_site(
    paths: Sequence[Path],
    folder: Path,
    *,
    config: SiteConfig | None = None,
    metadata: Sequence[DocumentMetadata | None] | DocumentMetadata | None = None,
    outputs: Path | None = None,
    build_time: datetime = DEFAULT_TIMESTAMP,
) -> Path:
    """Read ``paths``, audit them and build their site into ``folder`` (``jixiao site``).

    ``metadata`` overrides what the documents do not say: one value for all of them, or one
    per path.
    """
    from toolkit.quality import audit
    from toolkit.reading import read

    if metadata is None or isinstance(metadata, DocumentMetadata):
        overrides: Sequence[DocumentMetadata | None] = [metadata] * len(paths)
    else:
        overrides = metadata
    disclosures = [read(path, metadata=meta) for path, meta in zip(paths, overrides, strict=True)]
    return write_site(
        disclosures,
        folder,
        config=config or SiteConfig(),
        findings=audit(disclosures),
        outputs=outputs,
        build_time=build_time,
    )


def _move_files(files: Path, site: Path) -> None:
    """Move the files generated beside the pages into the built site: renames, not copies
    (both folders are beside the output folder), of whole folders where the site has none
    (MkDocs writes no folder for a stamped page)."""
    for root, folders, names in os.walk(files):
        target = site / Path(root).relative_to(files)
        target.mkdir(parents=True, exist_ok=True)
        for name in sorted(names):
            os.replace(os.path.join(root, name), target / name)
        for name in sorted(folders):
            if not (target / name).exists():
                os.replace(os.path.join(root, name), target / name)
                folders.remove(name)
        folders.sort()


class _Theme:
    """MkDocs, building the site into ``site_dir`` around the stamped pages, each of which
    the stamper writes as soon as its files are (:class:`toolkit.site_generate.Theme`)."""

    def __init__(self, docs: Path, site_dir: Path, *, config: SiteConfig, build_time: datetime):
        self.docs, self.site_dir = docs, site_dir
        self.config, self.build_time = config, build_time
        self.settings: MkDocsConfig | None = None
        self.stamper: Stamper | None = None

    def prepare(self) -> None:
        self.settings = _mkdocs_config(
            self.docs, self.site_dir, config=self.config, build_time=self.build_time
        )

    def build(self, stamped: dict[str, dict[str, Any]]) -> None:
        if self.settings is None:
            self.prepare()
        assert self.settings is not None
        with stamping(self.site_dir, stamped) as stamper:
            _mkdocs_build(self.settings, build_time=self.build_time)
        self.stamper = stamper

    def written(self, pages: dict[str, tuple[bytes, bytes]]) -> None:
        if self.stamper is not None:
            self.stamper.fill(static_folder(self.docs), pages)


class _Warnings(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextmanager
def _source_date(build_time: datetime) -> Iterator[None]:
    """MkDocs dates the sitemap and its gzip header from SOURCE_DATE_EPOCH."""
    previous = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(int(build_time.timestamp()))
    try:
        yield
    finally:
        if previous is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = previous


@contextmanager
def _mkdocs_errors(site_dir: Path) -> Iterator[None]:
    """MkDocs' failures as an :class:`OutputError` with the warnings it logged (strict)."""
    from mkdocs.exceptions import MkDocsException

    handler = _Warnings()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    try:
        yield
    except MkDocsException as error:
        detail = "; ".join(handler.messages) or str(error)
        raise OutputError(f"mkdocs build failed: {detail}", path=site_dir) from error
    finally:
        logger.removeHandler(handler)


def _mkdocs_config(
    docs: Path, site_dir: Path, *, config: SiteConfig, build_time: datetime
) -> MkDocsConfig:
    from mkdocs.config import load_config

    with _mkdocs_errors(site_dir), _source_date(build_time):
        return load_config(
            config_file=str(SITE_SOURCE / "mkdocs.yml"),
            docs_dir=str(docs),
            site_dir=str(site_dir),
            site_name=esc(config.title),
            site_url=config.base_url + "/",
            nav=NAV,
            strict=True,
        )


def _mkdocs_build(settings: MkDocsConfig, *, build_time: datetime) -> None:
    from mkdocs.commands.build import build

    jieba_tokenizer()  # loaded, and quiet: the search plugin cuts the hand-written pages
    with _mkdocs_errors(Path(settings["site_dir"])), _source_date(build_time):
        build(settings)
