"""MkDocs hook: a generated page's HTML goes straight into the page, past Markdown.

Generated pages (front matter ``generated: true``) are HTML written and escaped by
toolkit/site_generate.py; Python-Markdown would only scan such a page to pass it through
unchanged, and building its parser for every page cost as much again. This hook puts the
HTML in place of the Markdown rendering, before the theme and the search plugin see the page.
A page's JSON-LD, ready for a script element, waits in the folder ``bodies/`` beside the docs
folder, at the page's path plus ``.jsonld``: kept out of the front matter, which MkDocs parses
as YAML at a cost that grows with the text.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mkdocs.structure.toc import get_toc


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    if page.meta.get("rdf_jsonld_file"):
        jsonld = Path(config["docs_dir"]).parent / "bodies" / f"{page.file.src_uri}.jsonld"
        page.meta["rdf_jsonld"] = jsonld.read_text(encoding="utf-8")
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
