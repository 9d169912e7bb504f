"""MkDocs hook: a generated page's HTML goes straight into the page, past Markdown.

Generated pages (front matter ``generated: true``) are HTML written and escaped by
toolkit/site_generate.py; Python-Markdown would only scan such a page to pass it through
unchanged, and building its parser for every page cost as much again. This hook puts the
HTML in place of the Markdown rendering, before the theme and the search plugin see the page.
A page's JSON-LD is read from the file the page links (``rdf_jsonld_file``, in the folder
``files/`` beside the docs folder, toolkit.site_generate.static_folder) and made safe for its
script element here: kept out of the front matter, which MkDocs parses as YAML at a cost that
grows with the text, and written once rather than twice.

Stamped pages (project, disclosure and department pages, toolkit/site_stamp.py) are not in
the docs folder: when toolkit/site.py builds with a stamper, this hook adds them as empty
pages with the stamper's front matter, MkDocs renders the empty template
``jixiao-stamp.html`` for them and writes nothing, and the stamper keeps each page and its
template context to write its HTML after the build.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mkdocs.structure.files import File, Files, file_sort_key
from mkdocs.structure.toc import get_toc

from toolkit.site_rdf import script_safe
from toolkit.site_stamp import STAMP_TEMPLATE, Stamper, stamper_for


def on_env(env: Any, config: Any, files: Any) -> Any:
    stamper = stamper_for(config)
    if stamper is not None:
        stamper.env = env
    return env


def on_files(files: Any, config: Any) -> Any:
    stamper = stamper_for(config)
    if stamper is None or not stamper.pages:
        return files
    added = [File.generated(config, src_uri, content="") for src_uri in stamper.pages]
    # In the order MkDocs reads a docs folder: the sitemap lists the pages in it.
    return Files(sorted([*files, *added], key=file_sort_key))


def _stamper_of(page: Any, config: Any) -> Stamper | None:
    """The stamper that writes ``page`` after the build, if one does."""
    stamper = stamper_for(config)
    return stamper if stamper is not None and page.file.src_uri in stamper.pages else None


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    stamper = _stamper_of(page, config)
    if stamper is not None:
        page.meta = {**stamper.pages[page.file.src_uri], "template": STAMP_TEMPLATE}
    elif name := page.meta.get("rdf_jsonld_file"):
        folder = Path(config["docs_dir"]).parent / "files" / Path(page.file.src_uri).parent
        page.meta["rdf_jsonld"] = script_safe((folder / name).read_text(encoding="utf-8"))
    if page.meta.get("generated") is not True:
        return markdown

    def render(config: Any, files: Any) -> None:
        # What rendering a raw HTML block gives: the HTML, no table of contents, no
        # anchors or links for MkDocs to know (the generator checks its own links).
        page.content = markdown
        page.toc = get_toc([])
        page.present_anchor_ids = set()

    page.render = render
    return markdown


def on_page_context(context: Any, page: Any, config: Any, nav: Any) -> Any:
    stamper = _stamper_of(page, config)
    if stamper is not None:
        stamper.defer(page, context)
    return context


def on_post_page(output: str, page: Any, config: Any) -> str:
    # MkDocs writes no file for an empty output: the stamper writes this page.
    return "" if _stamper_of(page, config) is not None else output
