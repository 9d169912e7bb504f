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
either check is rendered by the theme page by page. A page whose content has no ``<h1`` or whose
title is empty, where the theme's output would depend on the value itself, is rendered by the
theme too. The tests compare every page of the sample and hostile sites with the theme's own
rendering.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

__all__ = ["STAMP_TEMPLATE", "Stamper"]

# What MkDocs renders for a stamped page: nothing (site/overrides/jixiao-stamp.html); the
# page's HTML is put in place after it (Stamper.page_html).
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


def _values(page: Any) -> dict[str, str]:
    return {
        "title": page.meta.get("title", ""),
        "url": page.canonical_url or "",
        "content": page.content or "",
        "jsonld": page.meta.get("rdf_jsonld", ""),
    }


def _fill(parts: list[str], values: dict[str, str]) -> str:
    """``parts`` alternate literal text and slot names (odd positions)."""
    return "".join(values[part] if index % 2 else part for index, part in enumerate(parts))


@dataclass
class Stamper:
    """One MkDocs build's shells, by kind; ``None`` for a kind the theme renders itself."""

    env: Any = None
    shells: dict[tuple[Any, ...], list[str] | None] = field(default_factory=dict)
    context: dict[str, Any] | None = None
    stamped: int = 0

    @staticmethod
    def wants(page: Any) -> bool:
        return page.meta.get("stamp") is True

    def page_html(self, page: Any) -> str:
        """The page's HTML, from its kind's shell or, failing that, from the theme."""
        assert self.env is not None and self.context is not None
        values = _values(page)
        key = self._kind(page)
        if key not in self.shells:
            self.shells[key] = self._shell(page, values)
        parts = self.shells[key]
        if parts is None or not values["title"] or "<h1" not in values["content"]:
            return self._render(page, values)
        self.stamped += 1
        return _fill(parts, values)

    def _kind(self, page: Any) -> tuple[Any, ...]:
        meta = tuple(
            sorted((k, repr(v)) for k, v in page.meta.items() if k not in ("title", "rdf_jsonld"))
        )
        return (page.url.count("/"), meta)

    def _render(self, page: Any, values: dict[str, str]) -> str:
        """The theme's rendering of ``page`` with ``values`` in place of its own."""
        meta, content, url = page.meta, page.content, page.canonical_url
        page.meta = {**meta, "title": values["title"], "rdf_jsonld": values["jsonld"]}
        page.content, page.canonical_url = values["content"], values["url"]
        try:
            return str(self.env.get_template(_THEME_TEMPLATE).render(self.context))
        finally:
            page.meta, page.content, page.canonical_url = meta, content, url

    def _shell(self, page: Any, values: dict[str, str]) -> list[str] | None:
        """The kind's shell, or ``None`` when it does not give the theme's own pages."""
        if "rdf_jsonld" not in page.meta or not page.canonical_url:
            return None
        text = self._render(page, _SENTINELS)
        parts = [_SLOT_OF.get(piece, piece) for piece in _SPLIT.split(text)]
        for probe in (values, _TRICKY):
            if _fill(parts, probe) != self._render(page, probe):
                return None
        return parts
