"""Chinese-aware text features for the relevance rules (DQ09, DQ15).

A text becomes a set of *features*: the words jieba finds with its bundled dictionary (two
characters or more, letters or CJK) plus the character bigrams inside longer words, so that
``人居环境`` still meets ``环境治理`` through ``环境``. Segmentation runs without the HMM, which
makes it depend on the dictionary alone: the same text always gives the same features.
Single characters and numbers carry no topic and are dropped.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache

from toolkit.segmenter import jieba_tokenizer

__all__ = ["bigrams", "features", "normalise", "words"]

_WORD = re.compile(r"[\u3400-\u9fffA-Za-z]")
_LETTERS = re.compile(r"^[\u3400-\u9fffa-z]+$")
_NOISE = re.compile(r"[\s\W_]+", re.UNICODE)


@lru_cache(maxsize=1 << 16)
def normalise(text: str) -> str:
    """Text folded for comparison: full-width to ASCII, lower case, no spaces or punctuation.

    Cached: the same names, descriptions and bases recur across projects and documents, and
    each rule folds them again."""
    return _NOISE.sub("", unicodedata.normalize("NFKC", text).lower())


@cache
def words(text: str) -> frozenset[str]:
    """The words of ``text`` that can carry a topic: two characters or more, with a letter."""
    folded = unicodedata.normalize("NFKC", text).lower()
    found = (word.strip() for word in jieba_tokenizer().cut(folded, HMM=False))
    return frozenset(word for word in found if len(word) >= 2 and _WORD.search(word))


@lru_cache(maxsize=1 << 16)
def bigrams(word: str) -> tuple[str, ...]:
    """The character pairs inside a word longer than two characters (letters only)."""
    if len(word) <= 2:
        return ()
    pairs = (word[i : i + 2] for i in range(len(word) - 1))
    return tuple(pair for pair in pairs if _LETTERS.match(pair))


@cache
def features(text: str) -> frozenset[str]:
    """The words of ``text`` and the bigrams inside its longer words."""
    found = set(words(text))
    for word in words(text):
        found.update(bigrams(word))
    return frozenset(found)
