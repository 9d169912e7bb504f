"""Ctrl-C pressed where library code hides it, as pydantic-core does: what the tests of the
build and of the commands press."""

from __future__ import annotations

import os
import signal
from contextlib import suppress

import pydantic


def interrupt_swallowed() -> None:
    """Ctrl-C lands in code that drops the KeyboardInterrupt it raises, as pydantic-core
    does validating a Decimal."""
    with suppress(KeyboardInterrupt):
        os.kill(os.getpid(), signal.SIGINT)


class _PressedWhileSerialised(pydantic.BaseModel):
    value: int = 0

    @pydantic.field_serializer("value")
    def press(self, value: int) -> int:
        os.kill(os.getpid(), signal.SIGINT)
        return value


def interrupt_turned_into_an_error() -> None:
    """Ctrl-C lands in code that raises another error in its place, as pydantic-core does
    writing a model to JSON (``PydanticSerializationError: ... KeyboardInterrupt``)."""
    _PressedWhileSerialised().model_dump_json()


class _PressedWhenCollected:
    def __del__(self) -> None:
        os.kill(os.getpid(), signal.SIGINT)


def interrupt_only_printed() -> None:
    """Ctrl-C lands where Python can only print it ("Exception ignored in: …", a traceback),
    as in pydantic-core writing a Decimal."""
    _PressedWhenCollected()
