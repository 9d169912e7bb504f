"""``jixiao serve``: build the site of a configuration and serve it on the loopback address."""

from __future__ import annotations

import contextlib
import functools
import tempfile
from collections.abc import Callable
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from toolkit.config import BuildConfig
from toolkit.errors import OutputError
from toolkit.interrupts import terminate_as_interrupt
from toolkit.site import build_site

__all__ = ["serve_site"]


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
    with terminate_as_interrupt(), tempfile.TemporaryDirectory(prefix="jixiao-site-") as scratch:
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
