"""The build's process pool: results in input order, items inherited by forked workers, and
results that come back whole even when the workers are interrupted."""

from __future__ import annotations

import errno
import os
import pickle
import select
import signal
import subprocess
import sys
import tempfile
from multiprocessing.queues import SimpleQueue
from multiprocessing.reduction import ForkingPickler
from pathlib import Path

import pytest

from toolkit.errors import OutputError
from toolkit.parallel import parallel_map

linux = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="workers fork on Linux")


def test_parallel_map_gives_results_in_input_order():
    items = [-5, 3, -1, 8, -2, 0, 7]
    with parallel_map(abs, items, 2) as results:
        assert list(results) == [abs(i) for i in items]


class _Unpicklable:
    """An item a worker can only have by inheriting it from the process that forked it."""

    def __init__(self, value: int) -> None:
        self.value = value

    def __reduce__(self) -> tuple[object, ...]:
        raise TypeError("this item cannot be pickled")


def _value(item: _Unpicklable) -> int:
    return item.value


@linux
def test_forked_workers_find_the_items_without_pickling_them():
    items = [_Unpicklable(i) for i in range(7)]
    with parallel_map(_value, items, 2, chunksize=1) as results:
        assert list(results) == list(range(7))


@linux
def test_each_pool_gives_its_own_items():
    first, second = [_Unpicklable(i) for i in range(4)], [_Unpicklable(-i) for i in range(5)]
    with parallel_map(_value, first, 2) as one:
        assert list(one) == [0, 1, 2, 3]
    with parallel_map(_value, second, 2) as other:
        assert list(other) == [0, -1, -2, -3, -4]
    # A pool opened beside another (whose threads rule out forking) is sent its items.
    with parallel_map(abs, [-1, -2], 2) as one, parallel_map(str, [3, 4, 5], 2) as other:
        assert list(other) == ["3", "4", "5"]
        assert list(one) == [1, 2]


def _megabyte(seed: int) -> bytes:
    return bytes([seed % 256]) * 1_000_000


def _deep_failure(depth: int) -> None:
    if depth:
        _deep_failure(depth - 1)
    raise ValueError("x" * 5_000)


def _interrupt_while_handling(_: int) -> None:
    """Ctrl-C while an error is handled: its traceback would show that error too."""
    try:
        _deep_failure(20)
    except ValueError:
        raise KeyboardInterrupt  # noqa: B904 (the context is the point)


@pytest.fixture
def whole_messages(monkeypatch: pytest.MonkeyPatch) -> None:
    """Workers (forked with this patch) fail a message the pool's pipe could take only in
    part: one that an interrupt could stop halfway, leaving the reader waiting for ever."""
    put = SimpleQueue.put

    def whole(queue: SimpleQueue, message: object) -> None:
        size = len(ForkingPickler.dumps(message))
        if size > select.PIPE_BUF:
            raise AssertionError(f"a worker sent a {size}-byte message")
        put(queue, message)

    monkeypatch.setattr(SimpleQueue, "put", whole)


@linux
@pytest.mark.usefixtures("whole_messages")
def test_large_results_come_back_whole_outside_the_pipe():
    with parallel_map(_megabyte, range(6), 2, chunksize=2) as results:
        assert [result[:2] for result in results] == [bytes([i]) * 2 for i in range(6)]


@linux
@pytest.mark.usefixtures("whole_messages")
def test_an_error_in_a_worker_is_raised_here_with_its_traceback_as_cause():
    with (
        pytest.raises(ValueError, match=r"^x+$") as raised,
        parallel_map(_deep_failure, [1, 50], 2, chunksize=1) as results,
    ):
        list(results)
    assert "_deep_failure" in str(raised.value.__cause__)


@linux
@pytest.mark.usefixtures("whole_messages")
def test_an_interrupt_in_a_worker_comes_back_in_a_whole_message():
    with (
        pytest.raises(KeyboardInterrupt),
        parallel_map(_interrupt_while_handling, [1, 2], 2, chunksize=1) as results,
    ):
        list(results)


def test_the_results_folder_goes_with_the_pool(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    with parallel_map(abs, [-1, -2, -3], 2) as results:
        assert [folder.name[:15] for folder in tmp_path.iterdir()] == ["jixiao-results-"]
        assert list(results) == [1, 2, 3]
    with pytest.raises(ValueError), parallel_map(_deep_failure, [0, 0], 2) as results:
        list(results)
    assert list(tmp_path.iterdir()) == []


def test_results_wait_in_the_folder_they_are_given(tmp_path: Path):
    with parallel_map(abs, [-1, -2, -3], 2, scratch=tmp_path) as results:
        assert [folder.name[:15] for folder in tmp_path.iterdir()] == ["jixiao-results-"]
        assert list(results) == [1, 2, 3]
    assert list(tmp_path.iterdir()) == []


_CTRL_C = """
import multiprocessing, os, signal, sys, time
from toolkit.parallel import _interrupts_held, parallel_map

def slow(item):
    time.sleep(0.05)
    return item

try:
    with parallel_map(slow, range({items}), 2, chunksize=1) as results:
        for index, _ in enumerate(results):
            if index == 2:
                os.killpg(0, signal.SIGINT)  # Ctrl-C: every process of the foreground group
                time.sleep(5)
except KeyboardInterrupt:
    print("interrupted", len(multiprocessing.active_children()))
    sys.exit(130)
"""


@linux
@pytest.mark.parametrize(
    ("items", "workers"), [(200, "busy"), (3, "idle, waiting for a task")], ids=str
)
def test_ctrl_c_stops_the_pool_at_once_and_quietly(items: int, workers: str):
    """Ctrl-C reaches the workers too, busy or idle: the pool stops, no worker is left and
    none prints a traceback."""
    run = subprocess.run(
        [sys.executable, "-c", _CTRL_C.format(items=items)],
        capture_output=True,
        text=True,
        timeout=60,
        start_new_session=True,  # its own group, for killpg
        cwd=Path(__file__).resolve().parent.parent,
    )
    assert (run.returncode, run.stdout, run.stderr) == (130, "interrupted 0\n", "")


_HELD = """
import os, signal
from toolkit.parallel import _interrupts_held

reached = False
try:
    with _interrupts_held():
        os.kill(os.getpid(), signal.SIGINT)
        reached = True
except KeyboardInterrupt:
    print("raised after" if reached else "raised within")
"""


@pytest.mark.skipif(not hasattr(signal, "pthread_sigmask"), reason="POSIX signal masks")
def test_a_ctrl_c_held_back_while_workers_start_is_raised_after():
    # In a process of its own: a thread left by another test could take the signal.
    run = subprocess.run(
        [sys.executable, "-c", _HELD],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=Path(__file__).resolve().parent.parent,
    )
    assert (run.stdout, run.stderr) == ("raised after\n", "")


def _no_space(*args: object, **kwargs: object) -> None:
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


@linux
def test_a_result_that_cannot_be_kept_is_an_output_error(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(pickle, "dump", _no_space)  # in the workers too: they fork
    with (
        pytest.raises(OutputError, match="cannot keep a worker's result: No space left"),
        parallel_map(abs, [-1, -2], 2) as results,
    ):
        list(results)


def _unreadable(*args: object, **kwargs: object) -> None:
    raise OSError(errno.EIO, os.strerror(errno.EIO))


@linux
def test_a_result_that_cannot_be_read_back_is_an_output_error(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(pickle, "load", _unreadable)  # only this process reads results
    with (
        pytest.raises(OutputError, match="cannot read a worker's result: Input/output error"),
        parallel_map(abs, [-1, -2], 2) as results,
    ):
        list(results)


def test_no_folder_for_the_results_is_an_output_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "missing"))
    with (
        pytest.raises(OutputError, match="cannot make a folder for the workers' results"),
        parallel_map(abs, [-1, -2], 2) as results,
    ):
        list(results)
