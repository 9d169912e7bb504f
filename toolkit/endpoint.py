"""A SPARQL 1.1 Protocol endpoint over the embedded store: the Oxigraph server.

The ``oxigraph`` Python package installs the ``oxigraph`` server binary beside the Python
interpreter. ``jixiao serve --sparql`` runs ``oxigraph serve-read-only`` on the store, bound
to loopback, with the union of the named graphs as the default graph (like
:func:`toolkit.store.query_store`). Its URLs: ``/query`` (SPARQL queries), and, when it is
started writable, ``/update`` and ``/store`` (Graph Store Protocol).
"""

from __future__ import annotations

import contextlib
import http.client
import json
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import IO

from toolkit.errors import ConfigError, OutputError
from toolkit.interrupts import terminate_as_interrupt
from toolkit.store import STAMP, VOCABULARIES, default_graph_file, refresh_store

__all__ = [
    "SparqlServer",
    "free_port",
    "oxigraph_binary",
    "serve_build",
    "serve_sparql",
    "start_sparql_server",
]


def oxigraph_binary() -> Path:
    """The ``oxigraph`` server executable of this environment."""
    beside = Path(sys.executable).parent / "oxigraph"
    if beside.is_file():
        return beside
    found = shutil.which("oxigraph")
    if found is None:
        raise ConfigError(
            "the Oxigraph server is not installed (pip install oxigraph)", key="oxigraph"
        )
    return Path(found)


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port nothing listens on right now (the OS picks it)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])


@dataclass
class SparqlServer:
    """A running Oxigraph server; stop it with :meth:`stop` or by leaving a ``with`` block."""

    process: subprocess.Popen[bytes]
    host: str
    port: int

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    @property
    def query_url(self) -> str:
        return f"{self.url}/query"

    @property
    def store_url(self) -> str:
        return f"{self.url}/store"

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def __enter__(self) -> SparqlServer:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.stop()


def start_sparql_server(
    store_path: str | Path | None,
    *,
    host: str = "127.0.0.1",
    port: int = 0,
    read_only: bool = True,
    startup_timeout: float = 20.0,
) -> SparqlServer:
    """Start the Oxigraph server on ``store_path`` and return once it accepts connections.

    ``port=0`` picks a free port. ``read_only=False`` starts a writable server (in memory
    when ``store_path`` is None), which is what a publishing target looks like.
    """
    command = [str(oxigraph_binary()), "serve-read-only" if read_only else "serve"]
    if store_path is not None:
        command += ["--location", str(store_path)]
    elif read_only:
        raise ValueError("a read-only server needs a store")
    # A port picked free may be taken before the server binds it: then pick another.
    tries = 3 if port == 0 else 1
    for attempt in range(1, tries + 1):
        chosen = port or free_port(host)
        bind = f"[{host}]:{chosen}" if ":" in host else f"{host}:{chosen}"
        with tempfile.TemporaryFile() as log:
            process = subprocess.Popen(
                [*command, "--bind", bind, "--union-default-graph"],
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=log,
            )
            server = SparqlServer(process=process, host=host, port=chosen)
            try:
                _wait_until_listening(server, startup_timeout, log)
                return server
            except OutputError as error:
                server.stop()
                if "in use" not in str(error) or attempt == tries:
                    raise
            except BaseException:
                server.stop()
                raise
    raise AssertionError("unreachable")


def _wait_until_listening(server: SparqlServer, timeout: float, log: IO[bytes]) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            log.seek(0)
            said = [line.strip() for line in log.read().decode("utf-8", "replace").splitlines()]
            # Oxigraph says "Error: …" and may follow it with a stack backtrace.
            errors = [line for line in said if line.startswith("Error")] or [s for s in said if s]
            reason = errors[0] if errors else f"exit status {server.process.returncode}"
            raise OutputError(f"the Oxigraph server did not start: {reason}")
        if _answers_sparql(server):
            return
        time.sleep(0.05)
    raise OutputError(f"the Oxigraph server did not listen on {server.url} within {timeout:g} s")


def _answers_sparql(server: SparqlServer) -> bool:
    """Whether a SPARQL server answers on the port: a listening socket alone could be another
    program that took the port first."""
    probe = urllib.request.Request(
        f"{server.query_url}?query=ASK%7B%7D", headers={"Accept": "application/sparql-results+json"}
    )
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(probe, timeout=1) as response:
            return json.loads(response.read()).get("boolean") is True
    except (OSError, ValueError, http.client.HTTPException):
        return False


def serve_sparql(
    store_path: str | Path,
    host: str = "127.0.0.1",
    port: int = 0,
    *,
    source: str | Path | None = None,
    vocabularies: Sequence[str | Path] = VOCABULARIES,
    announce: Callable[[str], object] = print,
) -> None:
    """Serve the store read-only as a SPARQL endpoint until interrupted; print its URL.

    With ``source`` (the built ``data.nt``) and the ``vocabularies`` its queries need, the
    store is loaded first when it is missing or was loaded from other bytes.
    """
    store_path = Path(store_path)
    report = None
    if source is not None:
        report = refresh_store(source, store_path, vocabularies=vocabularies)
    if report is not None:
        graphs = f"{report.graphs} graph" + ("" if report.graphs == 1 else "s")
        announce(f"loaded {report.quads} triples in {graphs} into {store_path}")
    if not (store_path / STAMP).is_file():
        raise OutputError(
            "no store here (run `jixiao build`, then `jixiao serve --sparql`)", path=store_path
        )
    with start_sparql_server(store_path, host=host, port=port) as server:
        announce(f"SPARQL endpoint: {server.query_url}  (Ctrl-C stops it)")
        with contextlib.suppress(KeyboardInterrupt), terminate_as_interrupt():
            server.process.wait()


def serve_build(
    build_dir: str | Path = "build",
    *,
    host: str = "127.0.0.1",
    port: int = 0,
    announce: Callable[[str], object] = print,
) -> None:
    """``jixiao serve --sparql``: load ``build/store`` from the built graph and the ontology
    and indicator scheme if it is out of date, then serve it (see :func:`serve_sparql`)."""
    build_dir = Path(build_dir)
    serve_sparql(
        build_dir / "store",
        host,
        port,
        source=default_graph_file(build_dir),
        announce=announce,
    )
