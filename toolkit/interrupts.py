"""SIGTERM handled as Ctrl-C by the commands that serve until they are stopped."""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator

__all__ = ["terminate_as_interrupt"]


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
