"""The corpus's objects, left out of the garbage collector's full passes while a stage runs.

A corpus of a thousand documents is some fifteen million objects that live as long as the
build. Python's cyclic collector walks all of them on each full pass, and a stage that makes
a few million objects of its own (the findings, the package's rows) sets off several passes:
seconds of work that find nothing to free. :func:`frozen_heap` moves what exists on entry
into the collector's permanent generation (:func:`gc.freeze`) and back on exit; the stage's
own objects are collected as usual. A worker process forked inside the block inherits the
frozen objects and does not walk them either, so it does not copy the pages it shares with
this process.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["frozen_heap"]

_depth = 0


@contextmanager
def frozen_heap() -> Iterator[None]:
    """Leave the objects that exist now out of full collections until the block ends (the
    outermost block, when they nest)."""
    global _depth
    gc.freeze()
    _depth += 1
    try:
        yield
    finally:
        _depth -= 1
        if _depth == 0:
            gc.unfreeze()
