"""The site's search entries for generated pages, computed beside the pages, not by MkDocs.

Material's search plugin indexes a page by feeding its HTML to :class:`html.parser.HTMLParser`
and segmenting every Chinese run with jieba: for the generated pages that was most of the
MkDocs build, page by page in one process. Generated pages are marked ``search: exclude`` so
the plugin skips them; :func:`page_entries` makes the same entries in the process pool that
writes the pages, and :func:`merge_entries` adds them to ``search/search_index.json`` after
the plugin has written it.

:func:`page_entries` gives what the plugin gives (tests compare both on every page of the
sample site). It reads the pages' own HTML with one regular expression instead of the HTML
parser, which is sound because the generator writes it: well-formed, every text and attribute
escaped. Markup it does not write (``<pre>``, scripts, styles, comments, ``data-search-``
attributes) goes through the plugin's own parser instead. Chinese runs are segmented as the
plugin does, with each distinct run cut once: field titles and categories recur on every page.
"""

from __future__ import annotations

import json
import logging
import re
from functools import lru_cache
from html import escape, unescape
from pathlib import Path
from typing import Any

from toolkit.errors import OutputError

__all__ = [
    "SearchEntry",
    "exact_entries",
    "initialise_jieba",
    "merge_entries",
    "page_entries",
    "segment_chinese",
]

SearchEntry = dict[str, str]

_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
# The plugin's lists (material/plugins/search/plugin.py): tags kept in the text as markers,
# tags without an end.
_KEEP = frozenset({"p", "code", "pre", "li", "ol", "ul", "sub", "sup"})
_VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param"}
    | {"source", "track", "wbr"}
)
_TOKEN = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)([^>]*)>|([^<]+)")
_ID = re.compile(r'\sid="([^"]*)"')
# What the generator never writes and the fast reading does not model.
_UNUSUAL = re.compile(
    r"<(?:pre|script|style|object|textarea|!|\?)|data-search-|linenodiv|headerlink|<(?![a-zA-Z/])",
    re.I,
)
_HAN = None


def _han() -> Any:
    global _HAN
    if _HAN is None:
        from backrefs import bre

        _HAN = bre.compile(r"(\p{script: Han}+)", bre.UNICODE)
    return _HAN


@lru_cache(maxsize=1 << 16)
def _cut(run: str) -> str:
    import jieba

    return "\u200b" + "\u200b".join(jieba.cut(run.encode("utf-8"))) + "\u200b"


def segment_chinese(text: str) -> str:
    """``text`` with each run of Chinese characters cut into words by jieba and the words set
    apart by zero-width spaces, as Material's search plugin does (``_segment_chinese``)."""
    return _han().sub(lambda match: _cut(match.group(0)), text).strip("\u200b")


def initialise_jieba() -> None:
    """Load jieba's dictionary now, quietly: before the process pool forks, so that each
    worker does not load it again."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()


class _Section:
    __slots__ = ("depth", "heading", "id", "text", "title")

    def __init__(self, heading: str, depth: int) -> None:
        self.heading = heading
        self.depth = depth
        self.id: str | None = None
        self.title: list[str] = []
        self.text: list[str] = []


def _close_kept(data: list[str], tag: str) -> None:
    """The plugin's end of a kept tag: drop it with what follows when that is only
    whitespace, else write the end marker (it looks for the first start marker)."""
    index = data.index(f"<{tag}>")
    if any(not item.isspace() for item in data[index + 1 :]):
        data.append(f"</{tag}>")
    else:
        del data[index:]


def _sections(html: str) -> list[_Section]:
    """The plugin's reading of the page into sections, for markup the generator writes."""
    data: list[_Section] = []
    section: _Section | None = None
    context: list[str] = []
    for match in _TOKEN.finditer(html):
        closing, tag, attrs, text = match.groups()
        if text is not None:
            text = unescape(text)
            text = " " if text.isspace() else text.replace("\n", " ")
            if section is None:
                section = _Section("hx", 0)
                data.append(section)
            if section.heading in context:
                section.title.append(escape(text, quote=False))
            elif text.isspace():
                if not section.text or not section.text[-1].isspace():
                    section.text.append(text)
            else:
                section.text.append(escape(text, quote=False))
            continue
        tag = tag.lower()
        if not closing:
            if tag in _VOID:
                continue
            context.append(tag)
            if tag in _HEADINGS:
                found = _ID.search(attrs)
                if found:
                    depth = len(context)
                    if tag != "h1" and not data:
                        section = _Section("hx", depth)
                        data.append(section)
                    section = _Section(tag, depth)
                    if data:
                        section.id = unescape(found.group(1))
                    data.append(section)
            if section is None:
                section = _Section("hx", 0)
                data.append(section)
            if tag in _KEEP:
                (section.title if section.heading in context else section.text).append(f"<{tag}>")
            if not attrs.endswith("/"):
                continue
        if not context or context[-1] != tag:
            continue
        assert section is not None
        if section.depth > len(context):
            for previous in reversed(data):
                if previous.depth <= len(context):
                    section.depth = 1 << 30
                    section = previous
                    break
        context.pop()
        if tag in _KEEP:
            _close_kept(section.title if section.heading in context else section.text, tag)
    return data


def _entry(section_id: str | None, title: str, text: str, url: str) -> SearchEntry:
    location = f"{url}#{section_id}" if section_id else url
    return {
        "location": location,
        "title": segment_chinese(title.strip()),
        "text": segment_chinese(text.strip()),
    }


def page_entries(url: str, title: str, html: str) -> list[SearchEntry]:
    """The search entries of a generated page at ``url`` (site-relative, as MkDocs writes
    it) titled ``title`` (escaped HTML, as in its front matter) with the body ``html``: the
    entries Material's search plugin makes for a page without a Markdown table of contents."""
    if _UNUSUAL.search(html):
        return exact_entries(url, title, html)
    return [_entry(s.id, "".join(s.title) or title, "".join(s.text), url) for s in _sections(html)]


def exact_entries(url: str, title: str, html: str) -> list[SearchEntry]:
    """The entries as the plugin makes them, with its own HTML parser."""
    from material.plugins.search.plugin import Parser

    parser = Parser()
    parser.feed(html)
    parser.close()
    return [
        _entry(s.id, "".join(s.title) or title, "".join(s.text), url)
        for s in parser.data
        if not s.is_excluded()
    ]


def merge_entries(site: Path, entries: list[SearchEntry]) -> None:
    """Add ``entries`` to the search index the plugin wrote into ``site``, written as the
    plugin writes it (compact JSON, ASCII). The plugin's entries come last in its text, so
    ours are spliced in at the end rather than the whole index read and written again."""
    path = site / "search" / "search_index.json"
    text = path.read_text(encoding="utf-8")
    if not entries:
        return
    if not text.endswith("]}"):
        raise OutputError("the search plugin wrote an index of an unknown shape", path=path)
    ours = json.dumps(entries, separators=(",", ":"), default=str)[1:-1]
    joiner = "" if text.endswith("[]}") else ","
    path.write_text(f"{text[:-2]}{joiner}{ours}]}}", encoding="utf-8")
