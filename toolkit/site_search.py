"""The site's search entries for generated pages, computed beside the pages, not by MkDocs.

Material's search plugin indexes a page by feeding its HTML to :class:`html.parser.HTMLParser`
and segmenting every Chinese run with jieba: for the generated pages that was most of the
MkDocs build, page by page in one process. Generated pages are marked ``search: exclude`` so
the plugin skips them; :func:`page_entries` makes the same entries in the process pool that
writes the pages, and :func:`merge_entries` adds them to ``search/search_index.json`` after
the plugin has written it.

:func:`page_entries` gives what the plugin gives (tests compare both on every page of the
sample site, and on generated markup). It reads the pages' own HTML with regular expressions
instead of the HTML parser, which is sound because the generator writes it: well-formed, every
text and attribute escaped. Most of a page is tables between headings: a stretch of whole
elements there is taken in a few passes over all of it, its tags replaced and its whitespace
collapsed as the parser would (:class:`_Reader`), and the rest a tag or text at a time as the
parser reads it. Markup it does not write (``<pre>``, scripts, styles, comments,
``data-search-`` attributes but the ``data-search-exclude`` of its headings) goes through the
plugin's own parser instead. Chinese runs are segmented as the plugin does, with each distinct
run cut once: field titles and categories recur on every page.
"""

from __future__ import annotations

import json
import re
from html import escape, unescape
from pathlib import Path

from toolkit.errors import OutputError
from toolkit.segmenter import jieba_tokenizer

__all__ = [
    "SearchEntry",
    "exact_entries",
    "merge_entries",
    "page_entries",
    "segment_chinese",
    "unindexed_heading",
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
# A start tag's attributes before "/>" when the parser reads it as an element that ends at
# once: names, and values quoted (an unquoted value would take the slash).
_ENDED_AT_ONCE = r"""(?:\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'))?)*\s*/"""
_SELF_CLOSING = re.compile(_ENDED_AT_ONCE)
_ID = re.compile(r'\sid="([^"]*)"')
# What the generator never writes and the fast reading does not model: elements whose
# content the plugin's parser reads as raw text, keeps as it is or skips; comments and the
# like; anything else after "<" than a tag name; markup the plugin treats specially by its
# attributes (the last searched for in the whole page, tags only where they are read a token
# at a time: _balanced leaves them out).
_RAW = ("object", "pre", "script", "style", "textarea")
_UNUSUAL_TAG = re.compile(
    r"<(?:[^a-zA-Z/]|/(?![a-zA-Z])|[pPsSoOtT](?i:re|cript|tyle|bject|extarea)|$)"
)
_UNUSUAL_WORD = re.compile(r"-(?i:search)-")
# The one such attribute the generator writes, on a heading with an id: the plugin leaves
# that heading's section out of the index (the audit's findings, the list of downloads).
_EXCLUDED_HEADING = re.compile(r'<h[1-6] id="[^"<>]*" data-search-exclude>')

# A heading with an id (it begins a section), of text only or its start tag alone. Other
# headings are elements like any other, unless the section's heading is of the same level.
_HEADING = re.compile(
    r"<(h[1-6])(\s[^>]*(?i:id)[^>]*(?<!/))>([^<]*)</\1>|<h[1-6](?=[\s/>])[^>]*(?i:id)[^>]*>"
)
_PLAIN_TAG = re.compile(r"<(?!/?(?:p|code|pre|li|ol|ul|sub|sup)[\s>])[^>]*>")
_KEPT_WITH_ATTRIBUTES = re.compile(r"<(/?(?:p|code|pre|li|ol|ul|sub|sup))\s[^>]*>")
# In the text of a stretch with its tags replaced, \x00 stands for a tag the plugin drops,
# \x01…\x02 around a kept tag's name for its marker, \x03 for a whitespace-only text node
# (or several with only dropped tags between: the plugin keeps the first of those). A page
# with any of them of its own is left to the plugin's parser.
_STAND_INS = ("\x00", "\x01", "\x02", "\x03")
_BLANK_NODES = re.compile(r"\x00\s+(?:\x00+\s+)*(?![^\x00\x01])")
_EMPTY_KEPT = re.compile(r"\x01[^/][^\x02]*\x02[\x00\x03]*\x01/")


def _balanced(levels: int) -> re.Pattern[str]:
    """Markup that is a sequence of text (without ``<`` or ``>``, which the generator
    escapes) and whole elements nested up to ``levels`` deep, each ended by its own end tag,
    as the plugin's parser reads them: every element pushed on its context is popped by its
    own end tag, so the context, and the section, are the same after as before."""
    void = "|".join(sorted(_VOID))
    other = "|".join(sorted(_RAW))
    kept = "|".join(sorted(_KEEP))
    # Pushed and popped at once: void elements in any form; others closed by "/>", unless
    # kept (see _ENDED_AT_ONCE).
    lone = (
        rf"<(?:{void})(?=[\s/>])[^>]*+>"
        rf"|<(?!(?:{kept}|{other})[\s/])[a-z][a-z0-9]*{_ENDED_AT_ONCE}>"
    )
    inner = rf"[^<>]++|{lone}"
    for level in range(levels):
        element = (
            rf"<(?!(?:{void}|{other})[\s/>])(?P<e{level}>[a-z][a-z0-9]*)(?:\s[^>]*+(?<!/))?>"
            rf"(?:{inner})*+</(?P=e{level})>"
        )
        inner = rf"[^<>]++|{element}|{lone}"
    return re.compile(rf"(?:{inner})*+")


# Deeper than the generator's tables (div, table, tbody, tr, td, a, code).
_BALANCED = _balanced(8)
# How many tags around runs of whole elements a stretch may have before it is read a
# token at a time (see _Reader._stretch).
_LONE_TAGS = 8
_HAN = None
# How many cut runs are kept: emptied when full, to bound a worker's memory.
_CACHED = 1 << 16


def _han() -> re.Pattern[str]:
    global _HAN
    if _HAN is None:
        from backrefs import bre

        _HAN = bre.compile_search(r"(\p{script: Han}+)", bre.UNICODE)
    return _HAN


class _Cuts(dict[str, str]):
    """Runs of Chinese characters cut into words, as the plugin sets them apart; each
    distinct run is cut once: field titles and categories recur on every page."""

    def __missing__(self, run: str) -> str:
        if len(self) >= _CACHED:
            self.clear()
        words = jieba_tokenizer().cut(run.encode("utf-8"))
        cut = self[run] = "\u200b" + "\u200b".join(words) + "\u200b"
        return cut


_CUTS = _Cuts()


def unindexed_heading(level: int, anchor: str, html: str) -> str:
    """A heading (``html``, escaped) whose section the search index leaves out, as Material's
    plugin leaves out a section whose heading is marked ``data-search-exclude``: the audit's
    findings and the downloads of a page repeat its own words and the rules' hints (three
    fifths of the index of 100 documents), which found every project again."""
    return f'<h{level} id="{escape(anchor)}" data-search-exclude>{html}</h{level}>'


def segment_chinese(text: str) -> str:
    """``text`` with each run of Chinese characters cut into words by jieba and the words set
    apart by zero-width spaces, as Material's search plugin does (``_segment_chinese``)."""
    parts = _han().split(text)
    # The runs are every other part: one lookup each rather than a Python call per match.
    parts[1::2] = map(_CUTS.__getitem__, parts[1::2])
    return "".join(parts).strip("\u200b")


class _Section:
    __slots__ = ("depth", "excluded", "heading", "id", "text", "title")

    def __init__(self, heading: str, depth: int, *, excluded: bool = False) -> None:
        self.heading = heading
        self.depth = depth
        self.excluded = excluded  # its heading is marked data-search-exclude
        self.id: str | None = None
        self.title: list[str] = []
        self.text: list[str] = []


def _close_kept(data: list[str], tag: str) -> None:
    """The plugin's end of a kept tag: drop it with what follows when that is only
    whitespace, else write the end marker. The plugin looks for the first start marker; one
    inside a stretch read in bulk has its end marker and some text after it in that stretch."""
    marker = f"<{tag}>"
    index = next((index for index, item in enumerate(data) if marker in item), None)
    if index is None:
        raise ValueError(f"{marker} is not in the section")  # as the plugin's list.index
    if data[index] != marker or any(not item.isspace() for item in data[index + 1 :]):
        data.append(f"</{tag}>")
    else:
        del data[index:]


class _Unusual(Exception):
    """Markup that _Reader does not model: the page is read by the plugin's own parser."""


class _Reader:
    """The plugin's reading of a page into sections, for markup the generator writes.

    Most of a page is the markup between headings: each such stretch is read by a few
    regular-expression passes over the whole of it (:meth:`_bulk`) when that is sure to give
    what the plugin gives, else a tag or text at a time as the plugin's parser reads them
    (:meth:`_tokens`), which is also how headings are read."""

    __slots__ = ("context", "data", "section")

    def __init__(self) -> None:
        self.data: list[_Section] = []
        self.section: _Section | None = None
        self.context: list[str] = []

    def read(self, html: str) -> list[_Section]:
        """The page's sections; raises _Unusual for markup this reading does not model."""
        start = 0
        for match in _HEADING.finditer(html):
            self._stretch(html, start, match.start())
            tag, attrs, text = match.groups()
            if "<" in (match.group()[1:] if tag is None else attrs):
                raise _Unusual
            if tag is None:
                self._tokens(html, match.start(), match.end())
            else:
                self._start(tag, attrs)
                if text:
                    self._text(text)
                self._end(tag)
            start = match.end()
        self._stretch(html, start, len(html))
        return self.data

    def _stretch(self, html: str, start: int, end: int) -> None:
        """Read ``html[start:end]``, markup without headings with an id: its runs of whole
        elements (:func:`_balanced`) in bulk, a tag that ends or leaves open an element around
        them (as the page's own ``<div>`` before its first heading and after its last) by
        itself. Only a few such tags are taken one by one before the rest is read a token at
        a time, as each means another pass over what follows.

        The stretch of a section left out of the index (:func:`unindexed_heading`) is not
        read at all when it is whole elements: it leaves the context as it found it, so the
        plugin's next heading and section are the same."""
        section = self.section
        if (
            section is not None
            and section.excluded
            and section.heading not in self.context
            and _BALANCED.match(html, start, end).end() == end
        ):
            if _UNUSUAL_TAG.search(html, start, end):
                raise _Unusual
            return
        passes = 0
        checked = False
        while start < end:
            section = self.section
            if section is not None and section.heading not in self.context:
                if passes == _LONE_TAGS:
                    break
                passes += 1
                stop = _BALANCED.match(html, start, end).end()
                if stop < end and html[stop] != "<":
                    break
                if stop > start:
                    if not self._bulk(html[start:stop]):
                        break
                    start = stop
                    if start == end:
                        return
            if not checked:
                if _UNUSUAL_TAG.search(html, start, end):
                    raise _Unusual
                checked = True
            token = _TOKEN.match(html, start, end)
            if token is None:
                break
            self._token(token)
            start = token.end()
        if not checked and _UNUSUAL_TAG.search(html, start, end):
            raise _Unusual
        self._tokens(html, start, end)

    def _bulk(self, chunk: str) -> bool:
        """Read ``chunk``, whole elements into the text of the current section, all at once
        unless a kept element in it is empty (the plugin drops it or not depending on what
        came before); else leave everything as it was and say so."""
        section = self.section
        assert section is not None
        if f"<{section.heading}" in chunk:
            return False  # an element of that name: its text would go to the section's title
        text = _KEPT_WITH_ATTRIBUTES.sub(_bare, _PLAIN_TAG.sub("\x00", chunk))
        # Only the kept tags are left with "<" and ">": they become \x01name\x02.
        text = "\x00" + text.replace("<", "\x01").replace(">", "\x02\x00")
        escaped = "&" in text
        if escaped:
            text = unescape(text)
        text = _BLANK_NODES.sub("\x00\x03", text)
        if _EMPTY_KEPT.search(text):
            return False
        data = section.text
        if data and data[-1].isspace():
            text = text.lstrip("\x00")
            if text.startswith("\x03"):
                text = text[1:]
        text = text.rstrip("\x00")
        blank = text.endswith("\x03")
        if blank:
            text = text[:-1]
        text = text.replace("\n", " ")
        if escaped:
            text = escape(text, quote=False)
        text = text.replace("\x00", "")
        if text:
            data.append(text.replace("\x01", "<").replace("\x02", ">").replace("\x03", " "))
        if blank:
            # An item of its own: the next text node looks at the last item for whitespace.
            data.append(" ")
        return True

    def _tokens(self, html: str, start: int, end: int) -> None:
        """Read ``html[start:end]`` a tag or text at a time."""
        for match in _TOKEN.finditer(html, start, end):
            self._token(match)

    def _token(self, match: re.Match[str]) -> None:
        closing, tag, attrs, text = match.groups()
        if text is not None:
            self._text(text)
        elif closing:
            self._end(tag.lower())
        else:
            self._start(tag.lower(), attrs)

    def _start(self, tag: str, attrs: str) -> None:
        if tag in _VOID:
            return
        data = self.data
        section = self.section
        context = self.context
        context.append(tag)
        if tag in _HEADINGS:
            found = _ID.search(attrs)
            if found:
                depth = len(context)
                if tag != "h1" and not data:
                    data.append(_Section("hx", depth))
                excluded = attrs.endswith(" data-search-exclude")  # as _EXCLUDED_HEADING writes it
                section = _Section(tag, depth, excluded=excluded)
                if data:
                    section.id = unescape(found.group(1))
                data.append(section)
        if section is None:
            section = _Section("hx", 0)
            data.append(section)
        self.section = section
        if tag in _KEEP:
            (section.title if section.heading in context else section.text).append(f"<{tag}>")
        if attrs.endswith("/"):
            if not _SELF_CLOSING.fullmatch(attrs):
                raise _Unusual
            self._end(tag)

    def _end(self, tag: str) -> None:
        context = self.context
        if not context or context[-1] != tag:
            return
        section = self.section
        assert section is not None
        if section.depth > len(context):
            # The element that held the section's heading ends: back to an outer section.
            for previous in reversed(self.data):
                if previous.depth <= len(context):
                    section.depth = 1 << 30
                    section = self.section = previous
                    break
        context.pop()
        if tag in _KEEP:
            _close_kept(section.title if section.heading in context else section.text, tag)

    def _text(self, text: str) -> None:
        text = unescape(text)
        text = " " if text.isspace() else text.replace("\n", " ")
        section = self.section
        if section is None:
            section = self.section = _Section("hx", 0)
            self.data.append(section)
        if section.heading in self.context:
            section.title.append(escape(text, quote=False))
        elif text.isspace():
            if not section.text or not section.text[-1].isspace():
                section.text.append(text)
        else:
            section.text.append(escape(text, quote=False))


def _bare(match: re.Match[str]) -> str:
    return f"<{match.group(1)}>"


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
    if (
        _UNUSUAL_WORD.search(_EXCLUDED_HEADING.sub("", html) if "data-search-" in html else html)
        or "linenodiv" in html
        or "headerlink" in html
        or any(character in html for character in _STAND_INS)
    ):
        return exact_entries(url, title, html)
    try:
        sections = _Reader().read(html)
    except _Unusual:
        return exact_entries(url, title, html)
    return [
        _entry(s.id, "".join(s.title) or title, "".join(s.text), url)
        for s in sections
        if not s.excluded
    ]


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


_BATCH = 1000


def merge_entries(site: Path, entries: list[SearchEntry]) -> None:
    """Add ``entries`` to the search index the plugin wrote into ``site``, as compact JSON as
    the plugin writes it, but in UTF-8: the plugin escapes every Chinese character as six
    ASCII ones, where UTF-8 takes three (the browser reads the index as UTF-8 whatever it
    holds). The plugin's entries come last in its text, so ours are spliced in at the end
    rather than the whole index read and written again."""
    path = site / "search" / "search_index.json"
    text = path.read_text(encoding="utf-8")
    if not entries:
        return
    if not text.endswith("]}"):
        raise OutputError("the search plugin wrote an index of an unknown shape", path=path)
    with path.open("w", encoding="utf-8") as index:
        index.write(text[:-2])
        joiner = "" if text.endswith("[]}") else ","
        # A batch at a time: as one text, the entries of a thousand documents' pages took
        # gigabytes, twice over.
        for start in range(0, len(entries), _BATCH):
            batch = entries[start : start + _BATCH]
            text = json.dumps(batch, separators=(",", ":"), default=str, ensure_ascii=False)
            index.write(joiner + text[1:-1])
            joiner = ","
        index.write("]}")
