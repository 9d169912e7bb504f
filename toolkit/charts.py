"""SVG charts rendered at build time, so the site needs no chart script and works offline.

Charts are inline SVG strings: text stays selectable and searchable, colours come from the
site's stylesheet (classes ``jx-chart-*``), and every label is escaped. Geometry is computed
with :class:`~decimal.Decimal` and rounded to one decimal, so the same data gives the same
bytes. A chart is a picture of a table that the page also shows; it never stands alone.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from html import escape

__all__ = ["Bar", "bar_chart", "column_chart", "top_with_rest"]

_TENTH = Decimal("0.1")
_FONT = Decimal(13)  # px; labels are measured in multiples of it


@dataclass(frozen=True)
class Bar:
    """One bar: its label, its value (``None`` when the source gives none) and a link."""

    label: str
    value: Decimal | None
    href: str | None = None


def _num(value: Decimal) -> str:
    text = format(value.quantize(_TENTH, rounding=ROUND_HALF_UP), "f")
    return text[:-2] if text.endswith(".0") else text


def _text_width(text: str) -> Decimal:
    """Approximate rendered width in em: CJK and full-width characters are one em wide."""
    wide = sum(1 for ch in text if unicodedata.east_asian_width(ch) in "WF")
    return Decimal(wide) + Decimal("0.6") * (len(text) - wide)


def _fit(text: str, max_em: Decimal) -> str:
    """``text`` cut to ``max_em`` with an ellipsis; the full text goes in the SVG title."""
    if _text_width(text) <= max_em:
        return text
    out = ""
    for ch in text:
        if _text_width(out + ch + "…") > max_em:
            break
        out += ch
    return out + "…"


def _link(inner: str, href: str | None) -> str:
    return f'<a href="{escape(href)}">{inner}</a>' if href else inner


def top_with_rest(bars: Sequence[Bar], limit: int, rest_label: str) -> list[Bar]:
    """The ``limit`` largest bars in their original order, the others summed into one bar
    labelled ``rest_label`` (``{n}`` is replaced by their count): a chart stays readable
    however many projects a department has."""
    if len(bars) <= limit:
        return list(bars)
    ranked = sorted(range(len(bars)), key=lambda i: (-(bars[i].value or 0), i))
    keep = set(ranked[: limit - 1])
    rest = [bar for i, bar in enumerate(bars) if i not in keep]
    total = sum((bar.value or Decimal(0) for bar in rest), Decimal(0))
    kept = [bar for i, bar in enumerate(bars) if i in keep]
    return [*kept, Bar(rest_label.replace("{n}", str(len(rest))), total)]


def bar_chart(bars: Sequence[Bar], *, unit: str, caption: str) -> str:
    """Horizontal bars, one row per item, the value written after each bar."""
    width = Decimal(760)
    row = Decimal(28)
    label_em = min(Decimal(14), max((_text_width(b.label) for b in bars), default=Decimal(4)))
    label_px = (label_em + 1) * _FONT
    value_px = Decimal(110)
    bar_px = width - label_px - value_px
    top = max((b.value for b in bars if b.value is not None and b.value > 0), default=None)
    height = row * len(bars) + 8
    parts = [
        f'<svg class="jx-chart jx-bar-chart" role="img" width="{_num(width)}" '
        f'height="{_num(height)}" viewBox="0 0 {_num(width)} {_num(height)}" '
        f'xmlns="http://www.w3.org/2000/svg" aria-label="{escape(caption)}">',
        f"<title>{escape(caption)}</title>",
    ]
    for index, bar in enumerate(bars):
        y = row * index + 4
        value = bar.value if bar.value is not None and bar.value > 0 else Decimal(0)
        length = bar_px * value / top if top else Decimal(0)
        shown = "—" if bar.value is None else f"{bar.value:f} {unit}"
        label = _fit(bar.label, label_em)
        inner = (
            f"<title>{escape(bar.label)}：{escape(shown)}</title>"
            f'<text class="jx-chart-label" x="{_num(label_px - 8)}" y="{_num(y + 18)}" '
            f'text-anchor="end">{escape(label)}</text>'
            f'<rect class="jx-chart-bar" x="{_num(label_px)}" y="{_num(y + 4)}" '
            f'width="{_num(length)}" height="{_num(row - 10)}" rx="2"/>'
            f'<text class="jx-chart-value" x="{_num(label_px + length + 6)}" '
            f'y="{_num(y + 18)}">{escape(shown)}</text>'
        )
        parts.append(_link(f"<g>{inner}</g>", bar.href))
    parts.append("</svg>")
    return "".join(parts)


def column_chart(columns: Sequence[Bar], *, unit: str, caption: str, maximum: Decimal) -> str:
    """Vertical columns on a fixed scale (``maximum``), e.g. the share of spending by period."""
    slot = Decimal(96)
    plot = Decimal(160)
    left, top_pad, bottom = Decimal(40), Decimal(22), Decimal(30)
    width = left + slot * max(len(columns), 1) + 8
    height = top_pad + plot + bottom
    base = top_pad + plot
    parts = [
        f'<svg class="jx-chart jx-column-chart" role="img" width="{_num(width)}" '
        f'height="{_num(height)}" viewBox="0 0 {_num(width)} {_num(height)}" '
        f'xmlns="http://www.w3.org/2000/svg" aria-label="{escape(caption)}">',
        f"<title>{escape(caption)}</title>",
    ]
    for tick in (Decimal(0), maximum / 2, maximum):
        y = base - plot * tick / maximum
        parts.append(
            f'<line class="jx-chart-grid" x1="{_num(left)}" x2="{_num(width - 4)}" '
            f'y1="{_num(y)}" y2="{_num(y)}"/>'
            f'<text class="jx-chart-axis" x="{_num(left - 6)}" y="{_num(y + 4)}" '
            f'text-anchor="end">{_num(tick)}</text>'
        )
    for index, column in enumerate(columns):
        x = left + slot * index
        centre = x + slot / 2
        value = column.value if column.value is not None and column.value > 0 else Decimal(0)
        length = plot * min(value, maximum) / maximum
        shown = "—" if column.value is None else f"{column.value:f}{unit}"
        parts.append(
            f"<g><title>{escape(column.label)}：{escape(shown)}</title>"
            f'<rect class="jx-chart-bar" x="{_num(x + slot / 4)}" y="{_num(base - length)}" '
            f'width="{_num(slot / 2)}" height="{_num(length)}" rx="2"/>'
            f'<text class="jx-chart-value" x="{_num(centre)}" y="{_num(base - length - 6)}" '
            f'text-anchor="middle">{escape(shown)}</text>'
            f'<text class="jx-chart-label" x="{_num(centre)}" y="{_num(base + 20)}" '
            f'text-anchor="middle">{escape(_fit(column.label, Decimal(6)))}</text></g>'
        )
    parts.append("</svg>")
    return "".join(parts)
