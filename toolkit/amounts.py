"""Amounts and percentages as written in disclosures: ``1,250.60``, ``１２５０．６``, ``25.00``."""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation

__all__ = ["parse_amount", "to_halfwidth"]

_NUMBER = re.compile(r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")


def to_halfwidth(text: str) -> str:
    """Fold full-width digits, letters, punctuation and the ideographic space to ASCII."""
    return unicodedata.normalize("NFKC", text)


def parse_amount(text: str | None) -> Decimal | None:
    """An exact decimal from a money or percent cell; ``None`` for an empty cell.

    Raises ``ValueError`` for text that is not a number, so the caller can report where.
    """
    if text is None:
        return None
    cleaned = to_halfwidth(text).strip().replace(" ", "")
    cleaned = cleaned.removesuffix("%").removesuffix("万元").removesuffix("元")
    if cleaned in {"", "-", "—", "/"}:
        return None
    if not _NUMBER.match(cleaned):
        raise ValueError(f"not a number: {text!r}")
    try:
        return Decimal(cleaned.replace(",", ""))
    except InvalidOperation as error:  # pragma: no cover - the pattern admits only numbers
        raise ValueError(f"not a number: {text!r}") from error
