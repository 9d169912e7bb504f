"""Replace a folder by a fully written one, so readers never see half an output.

The new content is written into a staging folder beside the target; ``replace_folder`` swaps
it in with two renames, and puts the previous folder back if the second rename fails.
"""

from __future__ import annotations

import shutil
from pathlib import Path

__all__ = ["previous_of", "replace_folder"]


def previous_of(target: Path) -> Path:
    """Where the previous content of ``target`` waits between the two renames."""
    return target.with_name(f".{target.name}-previous")


def replace_folder(staging: Path, target: Path) -> None:
    """Move ``staging`` to ``target``, replacing what was there."""
    previous = previous_of(target)
    shutil.rmtree(previous, ignore_errors=True)
    moved_away = False
    try:
        if target.exists():
            target.rename(previous)
            moved_away = True
        staging.rename(target)
    except BaseException:
        if moved_away and not target.exists():
            previous.rename(target)
        raise
    shutil.rmtree(previous, ignore_errors=True)
