"""MkDocs hook: a generated page's body goes straight into the page, past Markdown.

Generated pages are HTML written by toolkit/site_generate.py, escaped there; Python-Markdown
would only scan such a page to pass it through unchanged, and building its parser for every
page cost as much again. The generator writes such a page as its front matter (title, hide,
RDF file names) and an empty block, and its HTML into the folder ``bodies/`` beside the docs
folder, at the page's path plus ``.html``; this hook puts it in place of the Markdown
rendering, before the theme and the search plugin see the page. The page's JSON-LD, ready for
a script element, waits at the page's path plus ``.jsonld`` in the same folder: kept out of
the front matter, which MkDocs parses as YAML.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mkdocs.structure.toc import get_toc


def _sidecar(config: Any, page: Any, suffix: str) -> Path:
    return Path(config["docs_dir"]).parent / "bodies" / f"{page.file.src_uri}{suffix}"


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    jsonld = _sidecar(config, page, ".jsonld")
    if jsonld.is_file():
        page.meta["rdf_jsonld"] = jsonld.read_text(encoding="utf-8")
    body = _sidecar(config, page, ".html")
    if body.is_file():
        html = body.read_text(encoding="utf-8")

        def render(config: Any, files: Any) -> None:
            # What rendering the empty block gives, with the body as content: no table of
            # contents, no anchors from Markdown, no links for MkDocs to check.
            page.content = html
            page.toc = get_toc([])
            page.present_anchor_ids = set()

        page.render = render
    return markdown
