"""Chinese-aware text features for the relevance rules (DQ09, DQ15).

A text becomes a set of *features*: the words jieba finds with its bundled dictionary (two
characters or more, letters or CJK) plus the character bigrams inside longer words, so that
``人居环境`` still meets ``环境治理`` through ``环境``. Segmentation runs without the HMM, which
makes it depend on the dictionary alone: the same text always gives the same features.
Single characters and numbers carry no topic and are dropped.
"""

from __future__ import annotations

import logging
import re
import unicodedata
import warnings
from functools import cache

__all__ = ["features", "normalise"]

_WORD = re.compile(r"[\u3400-\u9fffA-Za-z]")
_LETTERS = re.compile(r"^[\u3400-\u9fffa-z]+$")
_NOISE = re.compile(r"[\s\W_]+", re.UNICODE)


@cache
def _tokenizer():  # type: ignore[no-untyped-def]
    # jieba logs its dictionary loading at DEBUG level on stderr, and older builds import
    # pkg_resources, which warns on newer setuptools: neither says anything to our users.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        warnings.simplefilter("ignore", UserWarning)
        import jieba

        jieba.setLogLevel(logging.WARNING)
        tokenizer = jieba.Tokenizer()
        tokenizer.initialize()
    return tokenizer


def normalise(text: str) -> str:
    """Text folded for comparison: full-width to ASCII, lower case, no spaces or punctuation."""
    return _NOISE.sub("", unicodedata.normalize("NFKC", text).lower())


@cache
def features(text: str) -> frozenset[str]:
    """The words (and inner bigrams of long words) of ``text``."""
    found: set[str] = set()
    folded = unicodedata.normalize("NFKC", text).lower()
    for word in _tokenizer().cut(folded, HMM=False):
        word = word.strip()
        if len(word) < 2 or not _WORD.search(word):
            continue
        found.add(word)
        if len(word) > 2:
            pairs = (word[i : i + 2] for i in range(len(word) - 1))
            found.update(pair for pair in pairs if _LETTERS.match(pair))
    return frozenset(found)
