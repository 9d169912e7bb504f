"""MkDocs hook: a generated page's HTML goes straight into the page, past Markdown.

Generated pages (front matter ``generated: true``) are HTML written and escaped by
toolkit/site_generate.py; Python-Markdown would only scan such a page to pass it through
unchanged, and building its parser for every page cost as much again. This hook puts the
HTML in place of the Markdown rendering, before the theme and the search plugin see the page.
A page's JSON-LD is read from the file the page links (``rdf_jsonld_file``, in the folder
``files/`` beside the docs folder, toolkit.site_generate.static_folder) and made safe for its
script element here: kept out of the front matter, which MkDocs parses as YAML at a cost that
grows with the text, and written once rather than twice.

Pages marked ``stamp: true`` (project, disclosure and department pages) are rendered by the
theme once per kind and filled in page by page (toolkit/site_stamp.py): MkDocs renders the
empty template ``jixiao-stamp.html`` for them and the page's HTML replaces it afterwards.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mkdocs.structure.toc import get_toc

from toolkit.site_rdf import script_safe
from toolkit.site_stamp import STAMP_TEMPLATE, Stamper

# This build's shells (toolkit/site_stamp.py); a new build starts afresh (on_pre_build).
_stamper = Stamper()


def on_pre_build(config: Any) -> None:
    global _stamper
    _stamper = Stamper()


def on_env(env: Any, config: Any, files: Any) -> Any:
    _stamper.env = env
    return env


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    name = page.meta.get("rdf_jsonld_file")
    if name:
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
    if Stamper.wants(page):
        page.meta["template"] = STAMP_TEMPLATE
    return markdown


def on_page_context(context: Any, page: Any, config: Any, nav: Any) -> Any:
    if page.meta.get("template") == STAMP_TEMPLATE:
        _stamper.context = context
    return context


def on_post_page(output: str, page: Any, config: Any) -> str:
    if page.meta.get("template") != STAMP_TEMPLATE:
        return output
    return _stamper.page_html(page)
