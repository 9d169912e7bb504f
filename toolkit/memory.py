"""How the build keeps the memory and the collector's time of a whole corpus down.

The garbage collector. A corpus build holds millions of small objects (every project,
indicator and target of every document) for its whole life and creates millions more. With
the collector's default thresholds each young collection runs every 700 allocations and each
full one traverses the whole corpus: measured on 100 documents, collections took over half of
the parse stage's processor time (validating the workers' models: 0.87 s with them, 0.21 s
without). The models hold no reference cycles, so nothing is lost by collecting them less
often.

The models' field sets. pydantic gives every model instance a set of the names of the fields
it was given (``model_fields_set``, for ``exclude_unset``, which jixiao never uses): 728
bytes for an indicator, 40 % of the memory of the 1,000-document corpus read. Read models
share one set per class holding every field name instead (a validated assignment adds a name
that is already there, so the shared set never changes).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

from pydantic import BaseModel

__all__ = [
    "fewer_collections",
    "frozen_heap",
    "keep_out_of_collections",
    "share_field_sets",
]

# Young collections every this many net allocations instead of 700. Cyclic garbage is still
# collected, in fewer and larger batches; the full collections' own 25 % rule is unchanged.
YOUNG_THRESHOLD = 100_000


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Collect less often inside the block (and in workers forked inside it), and keep what
    :func:`keep_out_of_collections` froze in it frozen to its end."""
    thresholds = gc.get_threshold()
    gc.set_threshold(YOUNG_THRESHOLD, *thresholds[1:])
    try:
        with frozen_heap():
            yield
    finally:
        gc.set_threshold(*thresholds)


_frozen_depth = 0


@contextmanager
def frozen_heap() -> Iterator[None]:
    """Leave the objects that exist now out of full collections until the block ends (the
    outermost block, when they nest): a stage that makes millions of objects of its own (the
    findings, the package's rows) otherwise sets off several full passes over the corpus,
    seconds of work that free nothing. The stage's own objects are collected as usual."""
    global _frozen_depth
    gc.freeze()
    _frozen_depth += 1
    try:
        yield
    finally:
        _frozen_depth -= 1
        if _frozen_depth == 0:
            gc.unfreeze()


def keep_out_of_collections() -> None:
    """Move every object alive now out of the collector's reach until the outermost
    :func:`frozen_heap` ends: the corpus, once read, is never traversed again. Forked workers
    then also leave those objects' memory pages shared (a traversal writes to them)."""
    gc.freeze()


_FIELD_SETS: dict[type[BaseModel], set[str]] = {}


def share_field_sets(model: BaseModel) -> None:
    """Give ``model`` and every model inside it its class's shared set of all field names."""
    cls = type(model)
    names = _FIELD_SETS.get(cls)
    if names is None:
        names = _FIELD_SETS[cls] = set(cls.model_fields)
    object.__setattr__(model, "__pydantic_fields_set__", names)
    for value in model.__dict__.values():
        if isinstance(value, BaseModel):
            share_field_sets(value)
        elif isinstance(value, list):
            for item in value:
                if isinstance(item, BaseModel):
                    share_field_sets(item)
