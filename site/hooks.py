"""MkDocs hook: a generated page's body goes straight into the page, past Markdown.

Generated pages are one raw HTML block, which Python-Markdown would scan tag by tag with its
HTML parser only to pass it through unchanged: a third of the MkDocs build. toolkit/site.py
writes such a page as its front matter and an empty block, and its HTML into the folder
``bodies/`` beside the docs folder, at the page's path plus ``.html``; this hook puts it back
before the theme and the search index see the page.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any


def on_page_content(html: str, page: Any, config: Any, files: Any) -> str:
    body = Path(config["docs_dir"]).parent / "bodies" / f"{page.file.src_uri}.html"
    if body.is_file():
        return body.read_text(encoding="utf-8")
    return html
