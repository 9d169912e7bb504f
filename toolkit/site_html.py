"""HTML building blocks for the generated site pages, every text escaped.

Generated pages are Markdown files whose body is a single raw HTML block: Python-Markdown
leaves a raw HTML block alone, so text from a disclosure (a project named ``**x**`` or
``<script>``) is escaped once here, for HTML, and never read as Markdown. A raw block ends
at a blank line, so nothing here emits one (:func:`page` checks).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal
from functools import cache
from html import escape
from typing import Any, NamedTuple

from pydantic import BaseModel

__all__ = [
    "ROWS_PER_PAGE",
    "Cell",
    "TablePage",
    "esc",
    "field_zh",
    "front_matter",
    "money",
    "page",
    "paged",
    "percent",
    "relative",
    "table",
]


# What esc() changes. Most texts have none of it (half a million at 100 documents): one
# search instead of seven copies.
_TO_ESCAPE = re.compile("[<>&\"'\r\n]")


def esc(text: object) -> str:
    """Text as HTML: ``<``, ``>``, ``&`` and both quotes escaped, and line breaks written as
    character references so that a blank line in a disclosure cannot end the raw block."""
    plain = str(text)
    if _TO_ESCAPE.search(plain) is None:
        return plain
    return escape(plain, quote=True).replace("\r", "&#13;").replace("\n", "&#10;")


@cache  # asked for 80,000 times at 100 documents, of a few dozen fields
def field_zh(model: type[BaseModel], name: str) -> str:
    """The Chinese title of a model field: labels come from the model, never retyped."""
    extra = model.model_fields[name].json_schema_extra
    assert isinstance(extra, dict)
    return str(extra["title_zh"])


def money(value: Decimal | None, unit: str) -> str:
    return "—" if value is None else f"{value:f} {unit}"


def percent(value: Decimal | None) -> str:
    return "—" if value is None else f"{value:f}%"


def relative(target: str, start: str) -> str:
    """The link from the page at directory ``start`` to ``target`` (both site-relative,
    ``""`` for the root); directory targets end with ``/``.

    What ``posixpath.relpath`` gives, from the paths' segments alone: relpath asks the
    operating system for the working directory on every call, and a project page makes
    dozens of links."""
    to = [part for part in target.split("/") if part and part != "."]
    here = [part for part in start.split("/") if part and part != "."]
    common = 0
    for a, b in zip(to, here, strict=False):
        if a != b:
            break
        common += 1
    link = "/".join([".."] * (len(here) - common) + to[common:]) or "."
    if target.endswith("/") or target == "":
        link = "./" if link == "." else link + "/"
    return link


# The rows of a table of the whole corpus's projects (the project index, the quality page's
# projects) that one page holds: the table goes on on the next page, so that no page grows
# with the corpus (500 rows: about 300 KB of HTML).
ROWS_PER_PAGE = 500


class TablePage(NamedTuple):
    """One page of a paged table (:func:`paged`)."""

    here: str  # its folder
    rows: Sequence[Any]
    pager: str  # its links to the others; empty when there is no other


def paged(base: str, rows: Sequence[Any], *, first: str | None = None) -> list[TablePage]:
    """``rows`` cut into pages of :data:`ROWS_PER_PAGE`, in folders ``first`` (by default
    ``base`` itself), then ``{base}2/``, ``{base}3/``… (one page, maybe empty, for no
    rows), each with its pager."""
    cuts = range(0, len(rows), ROWS_PER_PAGE) or [0]
    folders = [base if first is None else first]
    folders += [f"{base}{n}/" for n in range(2, len(cuts) + 1)]
    return [
        TablePage(here, rows[start : start + ROWS_PER_PAGE], _pager(folders, number))
        for number, (here, start) in enumerate(zip(folders, cuts, strict=True), 1)
    ]


def _pager(folders: Sequence[str], number: int) -> str:
    """From page ``number`` (from 1) of ``folders``, links to the first, previous, next and
    last pages (not to every page: its size stays bounded); nothing when there is one."""
    if len(folders) < 2:
        return ""
    here = folders[number - 1]

    def link(to: int, text: str) -> str:
        return f'<a href="{relative(folders[to - 1], here)}">{text}</a>'

    parts = [link(1, "第一页"), link(number - 1, "上一页")] if number > 1 else []
    parts.append(f"<span>第 {number} / {len(folders)} 页</span>")
    if number < len(folders):
        parts += [link(number + 1, "下一页"), link(len(folders), "最后一页")]
    return '<nav class="jx-pager" aria-label="分页">' + " ".join(parts) + "</nav>"


class Cell:
    """A table cell: trusted ``html`` (already escaped) and an optional sort key."""

    __slots__ = ("html", "sort")

    def __init__(self, html: str, sort: str | None = None):
        self.html = html
        self.sort = sort


def table(
    headers: Sequence[str],
    rows: Iterable[Sequence[Cell | str]],
    *,
    sortable: bool = False,
    numeric: Sequence[int] = (),
) -> str:
    """A table; plain ``str`` cells are escaped, :class:`Cell` cells are trusted HTML."""
    # Material styles only tables without a class, so the marker sits on the wrapper.
    classes = "jx-table-wrap jx-sortable" if sortable else "jx-table-wrap"
    number = ' data-sort-method="number"'
    head = "".join(
        f"<th{number if i in numeric else ''}>{esc(h)}</th>" for i, h in enumerate(headers)
    )
    body = []
    for row in rows:
        cells = []
        for i, cell in enumerate(row):
            align = ' class="jx-num"' if i in numeric else ""
            if isinstance(cell, Cell):
                sort = f' data-sort="{esc(cell.sort)}"' if cell.sort is not None else ""
                cells.append(f"<td{align}{sort}>{cell.html}</td>")
            else:
                cells.append(f"<td{align}>{esc(cell)}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return (
        f'<div class="{classes}"><table><thead><tr>{head}</tr></thead>'
        f"<tbody>\n" + "\n".join(body) + "\n</tbody></table></div>"
    )


def front_matter(meta: dict[str, Any]) -> str:
    """YAML front matter; values are written as JSON (ASCII-escaped), which YAML reads as
    plain strings whatever they contain."""
    lines = [f"{key}: {json.dumps(value, ensure_ascii=True)}" for key, value in meta.items()]
    return "---\n" + "\n".join(lines) + "\n---\n\n"


def page(meta: dict[str, Any], body: Sequence[str]) -> str:
    """A Markdown page made of one raw HTML block. ``meta['title']`` must be escaped HTML:
    the theme prints it without escaping."""
    html = "\n".join(part for part in body if part)
    assert "\n\n" not in html and not any(line.isspace() for line in html.split("\n")), (
        "a blank line would end the raw HTML block"
    )
    head = front_matter(meta) if meta else ""
    return head + '<div class="jx-page">\n' + html + "\n</div>\n"
