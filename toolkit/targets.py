"""Target values (指标值) as written, to comparator, exact value and unit.

``parse_target`` is total: every string gives a :class:`~toolkit.model.Target` whose ``raw``
is the input verbatim. Forms (DOMAIN.md): ``≥90百分比``, ``＝１００％``, ``>=95%``,
``不低于95%``, ``95%以上``, ``1,250.5万元``, ``≥0万元/个``, a unit with no number (``个``),
qualitative text (``按照当地文件标准``), template placeholders (``**``, ``XX``) and empty.
"""

from __future__ import annotations

import functools
import re
from decimal import Decimal
from typing import Any

from toolkit.amounts import to_halfwidth
from toolkit.model import Comparator, Target, TargetKind

__all__ = [
    "KNOWN_UNITS",
    "PERCENT_UNITS",
    "is_placeholder",
    "parse_target",
    "target_fields",
]

PERCENT_UNITS = {"%", "百分比", "百分之"}
KNOWN_UNITS = {
    "%", "个", "处", "人", "人次", "户", "吨", "年", "天", "日", "月", "小时", "公里", "千米",
    "米", "亩", "元", "万元", "亿元", "元/人", "万元/个", "元/人·月", "次", "场", "项", "家",
    "所", "台", "套", "件", "份", "篇", "册", "本", "座", "条", "辆", "间", "平方米", "立方米",
    "公顷", "千克", "户次", "批", "期", "名", "位", "分",
}  # fmt: skip

_PREFIX_WORDS = [
    ("大于或等于", Comparator.GE),
    ("大于等于", Comparator.GE),
    ("不低于", Comparator.GE),
    ("不少于", Comparator.GE),
    ("不小于", Comparator.GE),
    ("至少", Comparator.GE),
    ("小于或等于", Comparator.LE),
    ("小于等于", Comparator.LE),
    ("不高于", Comparator.LE),
    ("不超过", Comparator.LE),
    ("不多于", Comparator.LE),
    ("不大于", Comparator.LE),
    ("最多", Comparator.LE),
    ("大于", Comparator.GT),
    ("高于", Comparator.GT),
    ("超过", Comparator.GT),
    ("多于", Comparator.GT),
    ("小于", Comparator.LT),
    ("低于", Comparator.LT),
    ("少于", Comparator.LT),
    ("等于", Comparator.EQ),
    ("达到", Comparator.GE),
    (">=", Comparator.GE),
    ("=>", Comparator.GE),
    ("≥", Comparator.GE),
    ("≧", Comparator.GE),
    ("<=", Comparator.LE),
    ("=<", Comparator.LE),
    ("≤", Comparator.LE),
    ("≦", Comparator.LE),
    ("==", Comparator.EQ),
    ("=", Comparator.EQ),
    (">", Comparator.GT),
    ("<", Comparator.LT),
]
_SUFFIX_WORDS = [
    ("及以上", Comparator.GE),
    ("以上", Comparator.GE),
    ("及以下", Comparator.LE),
    ("以下", Comparator.LE),
    ("以内", Comparator.LE),
    ("之内", Comparator.LE),
]
_NUMBER = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?")
_UNIT = re.compile(r"[^\d\s<>=≥≤≧≦,.;；，。、()（）]{1,8}")
_PLACEHOLDER = re.compile(r"^[*＊xX×Ｘ?？_＿.…/\-—]+$")


def is_placeholder(text: str) -> bool:
    """A template placeholder left in place of a value (``**``, ``XX``, ``×××``)."""
    return bool(_PLACEHOLDER.match(text.strip()))


def _strip_comparator(text: str) -> tuple[Comparator | None, str]:
    for word, comparator in _PREFIX_WORDS:
        if text.startswith(word):
            return comparator, text[len(word) :].lstrip()
    return None, text


def _strip_suffix(text: str) -> tuple[Comparator | None, str]:
    for word, comparator in _SUFFIX_WORDS:
        if text.endswith(word):
            return comparator, text[: -len(word)].rstrip()
    return None, text


def _normalise_unit(unit: str) -> str:
    return "%" if unit in PERCENT_UNITS else unit


def parse_target(raw: str | None) -> Target:
    """Parse one target cell. Never raises; what cannot be read is qualitative or missing."""
    return Target(**target_fields(raw))


def target_fields(raw: str | None) -> dict[str, Any]:
    """The fields of :func:`parse_target`'s Target, for building a model in one validation."""
    raw = raw or ""
    return {"raw": raw, **_meaning(raw)}


# Disclosures repeat a few hundred target texts (≥90%, 100%, 是) over and over: each is
# read once. The cache holds plain values, so no two indicators share a mutable Target.
@functools.lru_cache(maxsize=8192)
def _meaning(raw: str) -> dict[str, Any]:
    text = to_halfwidth(raw).strip()
    text = re.sub(r"\s+", "", text)
    if not text or is_placeholder(text):
        return {"kind": TargetKind.MISSING}
    if text in KNOWN_UNITS or text in PERCENT_UNITS:
        return {"unit": _normalise_unit(text), "kind": TargetKind.MISSING}

    comparator, rest = _strip_comparator(text)
    suffix_comparator, rest = _strip_suffix(rest)
    number = _NUMBER.match(rest)
    if number is None:
        return {"kind": TargetKind.QUALITATIVE}
    unit_text = rest[number.end() :]
    if unit_text and not _UNIT.fullmatch(unit_text):
        return {"kind": TargetKind.QUALITATIVE}
    if comparator is None:
        comparator = suffix_comparator
    elif suffix_comparator is not None and suffix_comparator != comparator:
        return {"kind": TargetKind.QUALITATIVE}
    return {
        "comparator": comparator,
        "value": Decimal(number.group().replace(",", "")),
        "unit": _normalise_unit(unit_text) if unit_text else None,
        "kind": TargetKind.QUANTITATIVE,
    }
