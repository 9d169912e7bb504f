"""The build's memory measures change nothing a user can see in the models."""

from __future__ import annotations

import gc
from decimal import Decimal

from toolkit.memory import (
    fewer_collections,
    frozen_heap,
    keep_out_of_collections,
    share_field_sets,
)
from toolkit.model import Disclosure


def test_models_sharing_field_sets_equal_and_dump_as_before(sample):
    copy = Disclosure.model_validate_json(sample.model_dump_json())
    before = copy.model_dump_json()
    share_field_sets(copy)
    assert copy == sample
    assert copy.model_dump_json() == before
    first, second = copy.projects[0].indicators[:2]
    assert first.__pydantic_fields_set__ is second.__pydantic_fields_set__
    assert (
        first.target.__pydantic_fields_set__
        is copy.projects[1].indicators[0].target.__pydantic_fields_set__
    )


def test_a_validated_assignment_to_a_shared_model_changes_that_model_alone(sample):
    copy = Disclosure.model_validate_json(sample.model_dump_json())
    share_field_sets(copy)
    first, second = copy.projects[0].indicators[:2]
    shared = set(first.__pydantic_fields_set__)
    first.weight = Decimal("5")
    assert first.weight == Decimal("5") and second.weight is None
    assert second.__pydantic_fields_set__ == shared


def test_fewer_collections_restores_the_collector_as_it_was():
    thresholds = gc.get_threshold()
    with fewer_collections():
        assert gc.get_threshold()[0] > thresholds[0]
        keep_out_of_collections()
        assert gc.get_freeze_count() > 0
    assert gc.get_threshold() == thresholds
    assert gc.get_freeze_count() == 0


def test_a_stage_s_frozen_heap_inside_the_build_s_keeps_the_corpus_frozen():
    with fewer_collections():
        keep_out_of_collections()
        frozen = gc.get_freeze_count()
        with frozen_heap():
            pass
        assert gc.get_freeze_count() >= frozen > 0
    assert gc.get_freeze_count() == 0
