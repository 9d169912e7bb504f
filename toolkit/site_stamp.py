"""The theme's page rendered once per kind of generated page, then filled in page by page.

A site of a thousand projects has a thousand project pages that differ, in the theme's HTML
around their content, only in four values: the title, the canonical URL, the content and the
JSON-LD. Rendering Material's templates for each of them was most of the MkDocs build. Pages
marked ``stamp: true`` in their front matter (project, disclosure and department pages) are
instead rendered once per kind (the same front matter apart from those values, at the same
depth) with a sentinel in place of each value, and every page of the kind is that shell with
its own values put in.

A shell is used only after it has proved itself on the first page of its kind: filled with that
page's values it must equal the theme's own rendering of the page, and filled with values full
of markup, entities and quotes it must equal the theme's rendering of those (so no template
filters, escapes or truncates a value: the theme prints each one as it is). A kind that fails
either check is rendered by the theme page by page. A page whose content has no ``<h1`` or with an
empty value, where the theme's output would depend on the value itself, is rendered by the
theme too. The tests compare every page of the sample and hostile sites with the theme's own
rendering.

The stamped pages are also the ones MkDocs never reads: it gets each as an empty page with its
front matter (:func:`stamping`, ``site/hooks.py``), renders nothing for it and writes nothing,
so it can build the rest of the site while the process pool is still making them.
:meth:`Stamper.fill` then writes each page, given its content and JSON-LD, into the folder of
files beside the docs (:func:`toolkit.site_generate.static_folder`).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from toolkit.site_rdf import script_safe_bytes

__all__ = ["STAMP_TEMPLATE", "Stamper", "encoded", "stamper_for", "stamping"]

# What MkDocs renders for a stamped page: nothing (site/overrides/jixiao-stamp.html); the
# page's HTML is written after the build (Stamper.fill).
STAMP_TEMPLATE = "jixiao-stamp.html"
_THEME_TEMPLATE = "main.html"

_SLOTS = ("title", "url", "content", "jsonld")
# Private-use characters never written by the generator (every text is escaped) nor the theme.
_SENTINELS = {slot: f"\ue000jixiao-{slot}\ue001" for slot in _SLOTS}
# The theme adds a heading when the content has none: the content's sentinel has one.
_SENTINELS["content"] = f'<h1 id="jixiao">{_SENTINELS["content"]}</h1>'
_SPLIT = re.compile("(" + "|".join(re.escape(s) for s in _SENTINELS.values()) + ")")
_SLOT_OF = {sentinel: slot for slot, sentinel in _SENTINELS.items()}
# Values a filter or an escape would change; long, for one that truncates.
_TRICKY = {
    "title": "&lt;b&gt;“标题” &amp; &quot;x&quot; &#39;y&#39; " * 12,
    "url": 'https://x.invalid/a/b/?q=1&r=<s>&t="u"',
    "content": '<h1 id="t">&amp; <b>粗</b></h1>\n<p>' + "&lt;script&gt; " * 40 + "</p>",
    "jsonld": '{"@id":"https://x.invalid/a","name":"\\u003c/script\\u003e &amp;"}',
}


def encoded(html: str) -> bytes:
    """HTML text as the bytes of a page: UTF-8, with a character UTF-8 cannot hold (a lone
    surrogate in a disclosure) as a character reference. Encoding the parts of a page one by
    one gives the bytes of the whole."""
    return html.encode("utf-8", errors="xmlcharrefreplace")


def _fill(parts: list[str], values: dict[str, str]) -> str:
    """``parts`` alternate literal text and slot names (odd positions)."""
    return "".join(values[part] if index % 2 else part for index, part in enumerate(parts))


# The builds running in this process, by site folder: how the hooks find their stamper.
_BUILDS: dict[str, Stamper] = {}


@contextmanager
def stamping(site_dir: Path | str, pages: Mapping[str, dict[str, Any]]) -> Iterator[Stamper]:
    """During a MkDocs build into ``site_dir``: the stamped ``pages`` (front matter by source
    path, ``project/2020/X/index.md``) that MkDocs builds empty, and their shells."""
    key = os.path.abspath(site_dir)
    stamper = _BUILDS[key] = Stamper(dict(pages))
    try:
        yield stamper
    finally:
        del _BUILDS[key]


def stamper_for(config: Mapping[str, Any]) -> Stamper | None:
    """The stamper of the MkDocs build whose configuration is ``config``, if it stamps.
    (MkDocs makes ``site_dir`` absolute as :func:`os.path.abspath` does, without a system
    call: the hooks ask for every page.)"""
    return _BUILDS.get(os.path.abspath(config["site_dir"]))


@dataclass
class Stamper:
    """One MkDocs build's stamped pages and shells by kind (``None`` for a kind the theme
    renders itself)."""

    pages: dict[str, dict[str, Any]]
    env: Any = None
    deferred: dict[str, tuple[Any, dict[str, Any]]] = field(default_factory=dict)
    shells: dict[tuple[Any, ...], list[str] | None] = field(default_factory=dict)
    # The shells' literal text as bytes, slot names left as they are.
    encoded_shells: dict[tuple[Any, ...], list[Any]] = field(default_factory=dict)
    stamped: int = 0

    @staticmethod
    def wants(meta: Mapping[str, Any]) -> bool:
        return meta.get("stamp") is True

    def defer(self, page: Any, context: dict[str, Any]) -> None:
        """Keep a page MkDocs built empty, with its template context, for :meth:`fill`."""
        self.deferred[page.file.src_uri] = (page, context)

    def fill(self, files: Path, pages: Mapping[str, tuple[bytes, bytes]]) -> None:
        """Write the HTML of each of ``pages`` (by source path: its content, encoded by
        :func:`encoded`, and its JSON-LD) into ``files/<page>/index.html``, as MkDocs writes
        a page. A stamped page is put together from bytes: its content is not decoded and
        encoded again."""
        for src_uri, (content, jsonld) in pages.items():
            page, context = self.deferred[src_uri]
            title, url = page.meta.get("title", ""), page.canonical_url or ""
            jsonld = script_safe_bytes(jsonld)
            parts = self._encoded_shell(page, context, title, url, content, jsonld)
            if parts is None:
                values = {
                    "title": title,
                    "url": url,
                    "content": content.decode("utf-8"),
                    "jsonld": jsonld.decode("utf-8"),
                }
                html = encoded(self.page_html(page, context, values))
            else:
                self.stamped += 1
                values_b = {"title": encoded(title), "url": encoded(url)}
                values_b |= {"content": content, "jsonld": jsonld}
                html = b"".join(values_b[p] if i % 2 else p for i, p in enumerate(parts))
            target = files / src_uri.removesuffix("index.md") / "index.html"
            try:
                target.write_bytes(html)
            except FileNotFoundError:  # the page's RDF, written first, makes its folder
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(html)

    def _encoded_shell(
        self,
        page: Any,
        context: dict[str, Any],
        title: str,
        url: str,
        content: bytes,
        jsonld: bytes,
    ) -> list[Any] | None:
        """The page's shell with its literal text encoded, when :meth:`page_html` would
        fill it in; else None."""

        def values() -> dict[str, str]:  # only for the first page of a kind
            decoded = {"content": content.decode("utf-8"), "jsonld": jsonld.decode("utf-8")}
            return {"title": title, "url": url} | decoded

        complete = bool(title and url and content and jsonld) and b"<h1" in content
        key, parts = self._shell_of(page, context, complete, values)
        if parts is None:
            return None
        if key not in self.encoded_shells:
            self.encoded_shells[key] = [
                part if index % 2 else encoded(part) for index, part in enumerate(parts)
            ]
        return self.encoded_shells[key]

    def page_html(self, page: Any, context: dict[str, Any], values: dict[str, str]) -> str:
        """The page's HTML with ``values``, from its kind's shell or, failing that, from the
        theme."""
        assert self.env is not None
        complete = all(values.values()) and "<h1" in values["content"]
        _, parts = self._shell_of(page, context, complete, lambda: values)
        if parts is None:
            return self._render(page, context, values)
        self.stamped += 1
        return _fill(parts, values)

    def _shell_of(
        self,
        page: Any,
        context: dict[str, Any],
        complete: bool,
        values: Callable[[], dict[str, str]],
    ) -> tuple[tuple[Any, ...], list[str] | None]:
        """The page's kind and the kind's shell, made on its first page from ``values()``;
        no shell for a page that is not ``complete`` (an empty value, or a content without a
        heading, makes the theme print other things)."""
        key = self._kind(page)
        if not complete:
            return key, None
        if key not in self.shells:
            self.shells[key] = self._shell(page, context, values())
        return key, self.shells[key]

    def _kind(self, page: Any) -> tuple[Any, ...]:
        meta = tuple(
            sorted((k, repr(v)) for k, v in page.meta.items() if k not in ("title", "rdf_jsonld"))
        )
        return (page.url.count("/"), meta)

    def _render(self, page: Any, context: dict[str, Any], values: dict[str, str]) -> str:
        """The theme's rendering of ``page`` with ``values``, as MkDocs renders a page (the
        page active while it renders)."""
        meta, content, url = page.meta, page.content, page.canonical_url
        page.meta = {**meta, "title": values["title"], "rdf_jsonld": values["jsonld"]}
        page.content, page.canonical_url = values["content"], values["url"]
        page.active = True
        try:
            return str(self.env.get_template(_THEME_TEMPLATE).render(context))
        finally:
            page.meta, page.content, page.canonical_url = meta, content, url
            page.active = False

    def _shell(
        self, page: Any, context: dict[str, Any], values: dict[str, str]
    ) -> list[str] | None:
        """The kind's shell, or ``None`` when it does not give the theme's own pages."""
        text = self._render(page, context, _SENTINELS)
        parts = [_SLOT_OF.get(piece, piece) for piece in _SPLIT.split(text)]
        for probe in (values, _TRICKY):
            if _fill(parts, probe) != self._render(page, context, probe):
                return None
        return parts
