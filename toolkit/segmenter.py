"""jieba, the Chinese word segmenter, loaded once per process, quietly.

The audit's relevance rules (:mod:`toolkit.quality.text`) and the site's search entries
(:mod:`toolkit.site_search`, as Material's search plugin does) both cut text with jieba's
default tokenizer and its bundled dictionary. One tokenizer for both loads the dictionary
once: a second took 0.45 s more and its own copy of the dictionary in memory, and the site's
happened while the build's other cores waited for its process pool.
"""

from __future__ import annotations

import logging
import warnings
from functools import cache
from typing import Any

__all__ = ["jieba_tokenizer"]


@cache
def jieba_tokenizer() -> Any:
    """jieba's default tokenizer (what ``jieba.cut`` uses), its dictionary loaded."""
    # jieba logs its dictionary loading at DEBUG level on stderr, and older builds import
    # pkg_resources, which warns on newer setuptools: neither says anything to our users.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        warnings.simplefilter("ignore", UserWarning)
        import jieba

        jieba.setLogLevel(logging.WARNING)
        jieba.initialize()
    return jieba.dt
