"""The ``jixiao`` command: the CLI (:mod:`toolkit.cli`), loaded where a Ctrl-C is caught.

Loading the CLI imports every writer, which takes about a second; a Ctrl-C meanwhile (a
command typed wrong, say) printed Python's traceback. It now ends the command quietly, with
the exit code of an interrupt, as a Ctrl-C does once the command runs.
"""

from __future__ import annotations

import sys

__all__ = ["main"]

INTERRUPTED = 130  # 128 + SIGINT, what a shell reports


def main() -> None:
    try:
        from toolkit.cli import app
    except KeyboardInterrupt:
        sys.exit(INTERRUPTED)
    app()
