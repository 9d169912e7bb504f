"""``jixiao serve``: build the site of a configuration and serve it on the loopback address."""

from __future__ import annotations

import contextlib
import functools
import signal
import tempfile
import threading
from collections.abc import Callable, Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from toolkit.config import BuildConfig
from toolkit.errors import OutputError
from toolkit.site import build_site

__all__ = ["serve_site"]


@contextlib.contextmanager
def _stopped_by_sigterm() -> Iterator[None]:
    """SIGTERM (``kill``, a service manager) stops the server as Ctrl-C does, so the built
    site in the temporary folder is removed; by default it would end the process on the
    spot and leave the whole site behind in the temporary folder."""
    if threading.current_thread() is not threading.main_thread():
        yield  # only the main thread can take a signal
        return

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        """One line per request would drown the URL the user needs."""


def serve_site(
    config: BuildConfig,
    *,
    port: int = 8000,
    host: str = "127.0.0.1",
    on_ready: Callable[[str], None] = print,
) -> None:
    """Build the site of ``config`` into a temporary folder and serve it until interrupted.

    The data page lists the files of the last ``jixiao build`` when ``config.output`` has
    them. ``on_ready`` receives the URL once the server listens (port 0 picks a free port).
    """
    with _stopped_by_sigterm(), tempfile.TemporaryDirectory(prefix="jixiao-site-") as scratch:
        paths = config.document_paths()
        folder = build_site(
            [path for path, _ in paths],
            Path(scratch) / "site",
            config=config.site,
            metadata=[meta for _, meta in paths],
            outputs=config.output if Path(config.output).is_dir() else None,
            build_time=config.build_time(),
        )
        handler = functools.partial(_Quiet, directory=str(folder))
        try:
            server = ThreadingHTTPServer((host, port), handler)
        except OSError as error:
            raise OutputError(f"cannot listen on {host}:{port}: {error.strerror}") from error
        with server:
            on_ready(f"http://{host}:{server.server_address[1]}/")
            with contextlib.suppress(KeyboardInterrupt):
                server.serve_forever()
