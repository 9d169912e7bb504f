"""Progress of a build, one stage at a time: a rich progress bar on a terminal, plain lines
otherwise (CI logs keep every line, and a bar redrawn with carriage returns is noise there).

The build only calls :meth:`Progress.stage` and :meth:`Stage.advance`; it never knows which
kind of display it has, and ``Progress.quiet()`` shows nothing (library use and tests).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO

__all__ = ["PlainProgress", "Progress", "RichProgress", "Stage", "for_terminal"]


class Stage:
    """One stage being shown; ``advance`` after each unit of work."""

    def advance(self, amount: int = 1) -> None:  # pragma: no cover - overridden
        return None


class Progress:
    """Shows nothing. The base of the two displays and the default of the library."""

    @contextmanager
    def stage(self, name: str, total: int | None = None) -> Iterator[Stage]:
        yield Stage()

    def note(self, message: str) -> None:
        """A line for the user between stages (a skipped document)."""
        return None

    @classmethod
    def quiet(cls) -> Progress:
        return cls()


class _PlainStage(Stage):
    # A line per tenth of the work at most: a 1,000-document log stays readable.
    def __init__(self, name: str, total: int | None, stream: TextIO) -> None:
        self.name, self.total, self.stream = name, total, stream
        self.done = 0
        self.step = max(1, (total or 0) // 10)
        self.next_report = self.step

    def advance(self, amount: int = 1) -> None:
        self.done += amount
        if (self.total or 0) >= 50 and self.next_report <= self.done < (self.total or 0):
            print(f"  {self.name}: {self.done}/{self.total}", file=self.stream, flush=True)
            self.next_report = self.done + self.step


class PlainProgress(Progress):
    """A line when a stage starts, a few while it runs, one when it ends (with its time)."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr

    @contextmanager
    def stage(self, name: str, total: int | None = None) -> Iterator[Stage]:
        count = f" ({total})" if total is not None else ""
        print(f"{name}{count} …", file=self.stream, flush=True)
        started = time.perf_counter()
        yield _PlainStage(name, total, self.stream)
        seconds = time.perf_counter() - started
        print(f"{name}: done in {seconds:.2f} s", file=self.stream, flush=True)

    def note(self, message: str) -> None:
        print(message, file=self.stream, flush=True)


class _RichStage(Stage):
    def __init__(self, bar: object, task: object) -> None:
        self.bar, self.task = bar, task
        self.drawn = 0.0

    def advance(self, amount: int = 1) -> None:
        self.bar.advance(self.task, amount)  # type: ignore[attr-defined]
        now = time.monotonic()
        if now - self.drawn > 0.1:  # ten frames a second, however fast the work goes
            self.bar.refresh()  # type: ignore[attr-defined]
            self.drawn = now


class RichProgress(Progress):
    """A rich progress bar per stage, left on screen when the stage ends."""

    def __init__(self, console: object) -> None:
        self.console = console

    @contextmanager
    def stage(self, name: str, total: int | None = None) -> Iterator[Stage]:
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            SpinnerColumn,
            TextColumn,
            TimeElapsedColumn,
        )
        from rich.progress import Progress as Bar

        columns = [SpinnerColumn(), TextColumn("{task.description:<10}"), BarColumn()]
        columns += [MofNCompleteColumn(), TimeElapsedColumn()]
        # No refresh thread (redrawn on each advance instead): the build forks its workers,
        # and a fork copies a thread's held locks into the child.
        with Bar(*columns, console=self.console, transient=False, auto_refresh=False) as bar:
            task = bar.add_task(name, total=total)
            yield _RichStage(bar, task)
            # A stage done in one step (writing the package) never advances: show it full.
            bar.update(task, total=total or 1, completed=total or 1)
            bar.refresh()

    def note(self, message: str) -> None:
        self.console.print(message, markup=False, highlight=False)  # type: ignore[attr-defined]


def for_terminal(console: object) -> Progress:
    """A bar on an interactive terminal, plain lines elsewhere (pipes, files, CI)."""
    if getattr(console, "is_terminal", False) and not getattr(console, "is_dumb_terminal", False):
        return RichProgress(console)
    return PlainProgress(getattr(console, "file", None))
