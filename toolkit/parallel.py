"""Work over a process pool, results in input order: the build's parallel stages.

Gathering results in input order (never as they complete) is what makes a build's output
byte-identical whatever ``jobs`` is.

Forked workers find the items in the memory they share with this process, and are sent only
their numbers. Sending the items themselves pickles them here and unpickles them in the
worker: for the site's pages of 100 documents (each task a disclosure and its findings, 18
MB) that was 0.57 s in this process and 0.91 s in the workers, an eighth of the stage.

Results come back the other way in files, and the pool's pipe carries only a few bytes per
chunk. A worker stopped halfway through writing a large result into that pipe left the pool's
reader waiting for the rest of it, and the build hung instead of stopping (CPython issue
125886); a pipe takes a message under 4 KB whole or not at all. The files also keep results
that this process has not taken yet out of its memory, where they would wait while it does
other work.

Ctrl-C reaches every process of the build. Workers leave it to this process, which stops
them at once: an idle worker interrupted while waiting for a task printed a traceback, and a
busy one could finish a task nobody wanted.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import signal
import sys
import tempfile
import threading
import traceback
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from functools import partial
from itertools import count
from pathlib import Path
from typing import Any, TypeVar

from toolkit.errors import OutputError

__all__ = ["default_jobs", "parallel_map", "uses_pool"]

T = TypeVar("T")
R = TypeVar("R")


def default_jobs() -> int:
    """The default parallelism: one process per core."""
    return os.cpu_count() or 1


def uses_pool(jobs: int, items: int) -> bool:
    """Whether `parallel_map` starts a pool for this many jobs and items."""
    return jobs > 1 and items > 1


@contextmanager
def parallel_map(
    function: Callable[[T], R],
    items: Sequence[T],
    jobs: int,
    *,
    chunksize: int | None = None,
    scratch: Path | None = None,
) -> Iterator[Iterator[R]]:
    """``map(function, items)`` over ``jobs`` processes, results in input order::

        with parallel_map(parse, paths, jobs) as results:
            for result in results: ...

    One job (or one item) runs in this process: no pool to start, and the same results.
    ``chunksize`` items go to a worker at a time (by default, about an eighth of a worker's
    share). Results wait in a folder made in ``scratch`` (by default the system's temporary
    folder) until they are taken. An exception ``function`` raises in a worker is raised
    here, with the worker's traceback as its cause.
    Leaving the block by an error or an interrupt stops the workers where they are, and
    leaving it anyhow waits for them to end, so no worker outlives the stage.
    """
    if not uses_pool(jobs, len(items)):
        yield map(function, items)
        return
    workers = min(jobs, len(items))
    context = _pool_context()
    if chunksize is None:
        # Chunks amortise the round trip; several per worker keep the load balanced.
        chunksize = max(1, len(items) // (workers * 8))
    key = next(_pools)
    try:
        results = tempfile.TemporaryDirectory(prefix="jixiao-results-", dir=scratch)
    except OSError as error:
        raise OutputError(f"cannot make a folder for the workers' results: {error}") from None
    with results as folder:
        executor = ProcessPoolExecutor(
            max_workers=workers, mp_context=context, initializer=_leave_interrupts
        )
        try:
            # The workers are forked, and the pool's threads started, at the first task: they
            # start with Ctrl-C held back, and a Ctrl-C meanwhile reaches this thread after.
            with _interrupts_held():
                if context.get_start_method() == "fork":
                    _FORKED[key] = (function, items)  # listed before the workers fork
                    work = partial(_forked_item, key, folder)
                    done = executor.map(work, range(len(items)), chunksize=chunksize)
                else:
                    work = partial(_sent_item, function, folder)
                    done = executor.map(work, enumerate(items), chunksize=chunksize)
            yield (_take(folder, index) for index, _ in enumerate(done))
        except BaseException:
            # Their results are not wanted. Safe: each message they send is written whole or
            # not at all, so the pool's reader is never left waiting for the rest of one.
            _stop_workers(executor)
            raise
        finally:
            # Before the folder goes: a worker may still be writing into it.
            executor.shutdown(wait=True, cancel_futures=True)
            _FORKED.pop(key, None)


# Each open pool's function and items, by the pool's own number: what its forked workers
# inherit. A pool forked while another is listed finds its own by its number.
_FORKED: dict[int, tuple[Callable[[Any], Any], Sequence[Any]]] = {}
_pools = count()


@contextmanager
def _interrupts_held() -> Iterator[None]:
    """Hold Ctrl-C back from this thread (on POSIX) within the block: threads started in it
    keep it held back for good, so that it always reaches this thread."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _leave_interrupts() -> None:
    """In a new worker: Ctrl-C is for the process that started the pool (and one that came
    while the worker started, held back, is dropped)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


def _stop_workers(executor: ProcessPoolExecutor) -> None:
    """Stop the pool's workers now, not after the tasks they are on. (Python 3.14 has
    ``terminate_workers`` for this; before it, the pool's own list of its processes.)"""
    terminate = getattr(executor, "terminate_workers", None)
    if terminate is not None:
        terminate()
        return
    for process in list((getattr(executor, "_processes", None) or {}).values()):
        process.terminate()


def _forked_item(key: int, folder: str, index: int) -> None:
    """In a forked worker: the pool's function applied to its item ``index``."""
    function, items = _FORKED[key]
    _keep(folder, index, function, items[index])


def _sent_item(function: Callable[[Any], Any], folder: str, item: tuple[int, Any]) -> None:
    """In a worker that was sent the item, with its number."""
    index, value = item
    _keep(folder, index, function, value)


class _Failed:
    """What ``function`` raised in a worker, and where (a traceback does not pickle)."""

    def __init__(self, error: Exception) -> None:
        self.error = error
        self.trace = "".join(traceback.format_exception(error))


class _WorkerTraceback(Exception):
    """The traceback of an exception raised in a worker, shown as its cause."""

    def __str__(self) -> str:
        return "\n" + str(self.args[0])


def _keep(folder: str, index: int, function: Callable[[Any], Any], item: Any) -> None:
    """Write ``function(item)``, or what it raised, into ``folder`` for :func:`_take`."""
    try:
        outcome: Any = function(item)
    except Exception as error:
        outcome = _Failed(error)
    except KeyboardInterrupt:
        # Sent back through the pipe, so without the long traceback that could make its
        # message too large to be written whole.
        raise KeyboardInterrupt from None
    path = os.path.join(folder, str(index))
    try:
        with open(path, "wb") as file:
            pickle.dump(outcome, file, protocol=pickle.HIGHEST_PROTOCOL)
    except OSError as error:  # a full disk, say
        raise OutputError(f"cannot keep a worker's result: {error.strerror}", path=path) from None


def _take(folder: str, index: int) -> Any:
    """The result of item ``index``, which its worker has written (:func:`_keep`)."""
    path = os.path.join(folder, str(index))
    try:
        with open(path, "rb") as file:
            outcome = pickle.load(file)
        os.unlink(path)
    except OSError as error:  # a failing disk, say
        raise OutputError(f"cannot read a worker's result: {error.strerror}", path=path) from None
    if isinstance(outcome, _Failed):
        raise outcome.error from _WorkerTraceback(outcome.trace)
    return outcome


def _pool_context() -> Any:
    """Fork when this process has no other thread: workers start at once, share what is
    already imported, and are our children (so ``RUSAGE_CHILDREN`` sees their memory). With
    threads about (a caller's), forking could copy a lock held by one of them into the
    worker, so workers then come from a fork server that has imported the reader once."""
    if sys.platform.startswith("linux"):
        if threading.active_count() == 1:
            return multiprocessing.get_context("fork")
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["toolkit.reading"])
        return context
    return multiprocessing.get_context("spawn")
