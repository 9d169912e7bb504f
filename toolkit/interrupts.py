"""Interrupts: SIGTERM handled as Ctrl-C by the commands that serve until they are stopped,
and a Ctrl-C that library code swallows raised again by the build."""

from __future__ import annotations

import contextlib
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from typing import Any

__all__ = ["interrupts_remembered", "terminate_as_interrupt"]


@contextlib.contextmanager
def terminate_as_interrupt() -> Iterator[None]:
    """Within the block, SIGTERM (``kill``, a service manager) raises KeyboardInterrupt as
    Ctrl-C does, so that the code around it cleans up (a server child stopped, a temporary
    folder removed); by default SIGTERM ends the process on the spot. Only the main thread
    can take a signal: elsewhere the block runs unchanged."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@contextlib.contextmanager
def interrupts_remembered() -> Iterator[Callable[[], None]]:
    """Within the block, Ctrl-C raises KeyboardInterrupt as usual, and is remembered: the
    function the block is given raises it again. Code that drops an exception raised inside
    it would otherwise lose the interrupt, and the build would go on to its end. pydantic-core
    does, validating a Decimal: Ctrl-C runs its handler at the first Python code met, which
    while a model is validated is often the named tuple of ``Decimal.as_tuple``.
    An error that leaves the block after a Ctrl-C leaves it as KeyboardInterrupt: code that
    raises another error in its place would otherwise show the user a traceback for their own
    Ctrl-C. pydantic-core does, writing a model to JSON (``PydanticSerializationError``). And
    a Ctrl-C that code can only report as "Exception ignored in: Decimal('85')", with its
    traceback (pydantic-core again), is not printed: it is remembered like the others.

    Only where Ctrl-C raises KeyboardInterrupt (the main thread, with Python's own handler):
    elsewhere the function does nothing. A block inside another (the build inside a command)
    is given the outer block's function: the outer block remembers for both."""
    current = signal.getsignal(signal.SIGINT)
    if isinstance(current, _Remembering):
        yield current.raise_if_pressed
        return
    if threading.current_thread() is not threading.main_thread() or (
        current is not signal.default_int_handler
    ):
        yield lambda: None
        return
    handler = _Remembering()

    def report_unraisable(unraisable: Any) -> None:
        if not issubclass(unraisable.exc_type, KeyboardInterrupt):
            reporting(unraisable)

    previous, reporting = signal.signal(signal.SIGINT, handler), sys.unraisablehook
    sys.unraisablehook = report_unraisable
    try:
        yield handler.raise_if_pressed
    except Exception as error:
        if handler.pressed:
            raise KeyboardInterrupt from error
        raise
    finally:
        signal.signal(signal.SIGINT, previous)
        sys.unraisablehook = reporting


class _Remembering:
    """Python's Ctrl-C handler (it raises KeyboardInterrupt) that remembers it ran."""

    def __init__(self) -> None:
        self.pressed = False

    def __call__(self, signum: int, frame: object) -> None:
        self.pressed = True
        raise KeyboardInterrupt

    def raise_if_pressed(self) -> None:
        if self.pressed:
            raise KeyboardInterrupt
