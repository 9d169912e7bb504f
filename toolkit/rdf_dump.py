"""The RDF dumps (Turtle, N-Triples, JSON-LD) written chunk by chunk.

A chunk is the triples of a few documents. :func:`serialize_chunk` turns one into the three
texts (in a pool worker, for the build); :class:`DumpWriter` appends chunks to the three files
in the order given, so the whole graph is never in one process. Within a chunk the N-Triples
lines are sorted and distinct, Turtle is oxigraph's from those lines (one block per subject,
in their order), and JSON-LD is oxigraph's too (one node object per subject, in the lines'
order), with the prefixes of ``ontology/context.jsonld`` as compact IRIs and classes as
``@type``. A subject's triples must all be in one chunk (each chunk states its own documents'
nodes), so chunk after chunk the files describe the union of the chunks.

One chunk written with the header and footer is the whole document (:func:`whole_document`):
the dumps of a graph small enough for one chunk are what ``toolkit.rdf.serialize`` returns.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import TracebackType
from typing import Any

import pyoxigraph as ox

from toolkit.errors import OutputError
from toolkit.rdf_text import Triple, nt_lines
from toolkit.vocabularies import CONTEXT_FILE

__all__ = ["FORMATS", "Chunk", "DumpWriter", "serialize_chunk", "whole_document"]

FORMATS = ("ttl", "nt", "jsonld")


@cache
def _context() -> dict[str, Any]:
    return json.loads(CONTEXT_FILE.read_text(encoding="utf-8"))["@context"]


@cache
def _prefixes() -> dict[str, str]:
    """namespace → prefix, for compacting."""
    return {iri: name for name, iri in _context().items() if isinstance(iri, str)}


@dataclass(frozen=True)
class Chunk:
    """One chunk of the dumps: its N-Triples, its Turtle statements (each subject's block
    after a blank line), its JSON-LD node objects (joined by commas, without the array's
    brackets), the prefixes its IRIs use, and its number of distinct triples."""

    nt: bytes
    ttl: bytes
    jsonld: bytes
    prefixes: frozenset[str]
    triples: int


def serialize_chunk(triples: Iterable[Triple]) -> Chunk:
    """The three serialisations of ``triples`` (every subject's triples among them)."""
    lines = nt_lines(triples)
    text = "".join(lines)
    nt = text.encode("utf-8")
    prefixes = {name: iri for iri, name in _prefixes().items() if f"<{iri}" in text}
    return Chunk(
        nt=nt,
        ttl=_turtle(nt, prefixes),
        jsonld=_jsonld(nt),
        prefixes=frozenset(prefixes),
        triples=len(lines),
    )


def _turtle(nt: bytes, prefixes: dict[str, str]) -> bytes:
    """Turtle by oxigraph from the sorted N-Triples: rdflib's writer takes over thirty times
    as long. Statements come in the lines' order, so each subject's triples are together;
    a blank line goes before each subject's block (oxigraph escapes line breaks in literals,
    so a line not starting with a tab starts a block)."""
    if not nt:
        return b""
    body = ox.serialize(
        ox.parse(nt, format=ox.RdfFormat.N_TRIPLES), format=ox.RdfFormat.TURTLE, prefixes=prefixes
    )
    body = _PREFIX_LINES.sub(b"", body or b"")
    return b"\n" + _BLOCK_START.sub(b"\n\n", body.strip(b"\n")) + b"\n"


_PREFIX_LINES = re.compile(rb"^@prefix [^\n]*\n", re.MULTILINE)
_BLOCK_START = re.compile(rb"\n(?=[^\t\n])")


# --- JSON-LD -------------------------------------------------------------------------------

# Where an IRI starts in oxigraph's JSON-LD: a key (after "{" or ","; values are never bare
# strings there) or the value of "@id" or "@type". A literal's text cannot hold these
# sequences unescaped, so only IRIs are rewritten.
_IRI_START = re.compile(rb'(\{"|,"|"@id":"|"@type":")(https?://[^"]*[#/])')


def _jsonld(nt: bytes) -> bytes:
    """The node objects of the chunk, by oxigraph (expanded JSON-LD, one node per subject,
    in the lines' order), with every IRI under a prefix of the context written as a compact
    IRI (``bp:ordinal``): the same triples when read with the context, at a third the size.
    Without the array's brackets, so chunks join with a comma."""
    if not nt:
        return b""
    body = ox.serialize(ox.parse(nt, format=ox.RdfFormat.N_TRIPLES), format=ox.RdfFormat.JSON_LD)
    body = _IRI_START.sub(_compact_match, body or b"[]").strip()
    body = _TYPES.sub(_as_types, body)
    if not (body.startswith(b"[") and body.endswith(b"]")):
        raise OutputError("oxigraph wrote JSON-LD of an unexpected form")
    return body[1:-1]


# A node's classes, all IRIs, as "@type" (what search engines and most readers look for)
# rather than as rdf:type node references: the same triples.
_TYPES = re.compile(rb'"rdf:type":\[((?:\{"@id":"[^"\\]*"\},?)+)\]')
_TYPE_ID = re.compile(rb'\{"@id":("[^"\\]*")\}')


def _as_types(match: re.Match[bytes]) -> bytes:
    return b'"@type":[' + b",".join(_TYPE_ID.findall(match.group(1))) + b"]"


def _compact_match(match: re.Match[bytes]) -> bytes:
    return match.group(1) + _compact_namespace(match.group(2))


@cache
def _compact_namespace(namespace: bytes) -> bytes:
    # The greedy match ends at the IRI's last "#" or "/": a namespace of the context ends
    # so (rdflib's split, which takes the last "#" first, agrees on every IRI jixiao writes).
    prefix = _prefixes().get(namespace.decode())
    return f"{prefix}:".encode() if prefix else namespace


# --- whole documents -------------------------------------------------------------------------


def _ttl_header(prefixes: Iterable[str]) -> bytes:
    namespaces = {name: iri for iri, name in _prefixes().items()}
    return "".join(f"@prefix {p}: <{namespaces[p]}> .\n" for p in sorted(prefixes)).encode()


def _jsonld_head() -> bytes:
    context = json.dumps(_context(), ensure_ascii=False, indent=2, sort_keys=True)
    return ('{\n  "@context": ' + context.replace("\n", "\n  ") + ',\n  "@graph": [').encode()


def whole_document(chunk: Chunk, fmt: str) -> bytes:
    """One chunk as a whole document in ``fmt`` (``ttl``, ``nt`` or ``jsonld``)."""
    if fmt == "nt":
        return chunk.nt
    if fmt == "ttl":
        header = _ttl_header(chunk.prefixes)
        return header + (chunk.ttl if header else chunk.ttl.lstrip(b"\n"))
    if fmt == "jsonld":
        body = b"\n" + chunk.jsonld + b"\n  ]\n}\n" if chunk.jsonld else b"]\n}\n"
        return _jsonld_head() + body
    raise OutputError(f"unknown RDF format {fmt!r}: use ttl, nt or jsonld")


class DumpWriter:
    """Appends chunks to ``folder/data.{ttl,nt,jsonld}``, each written whole or not at all:
    the parts go to hidden files, renamed into place by :meth:`close`; leaving the block by
    an error removes them. Turtle's prefixes are declared once, in front, for every chunk's."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.prefixes: set[str] = set()
        self.triples = 0
        self._chunks = 0
        self._partial = {fmt: folder / f".data.{fmt}.partial" for fmt in FORMATS}
        try:
            folder.mkdir(parents=True, exist_ok=True)
            self._files = {fmt: path.open("wb") for fmt, path in self._partial.items()}
            self._files["jsonld"].write(_jsonld_head())
        except OSError as error:
            self._discard()
            raise OutputError(f"cannot write: {error.strerror}", path=folder) from error

    def __enter__(self) -> DumpWriter:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if kind is not None:
            self._discard()

    def add(self, chunk: Chunk) -> None:
        """Append one chunk (chunks in the order given)."""
        files = self._files
        files["nt"].write(chunk.nt)
        files["ttl"].write(chunk.ttl)
        if chunk.jsonld:
            files["jsonld"].write(b",\n" if self._chunks else b"\n")
            files["jsonld"].write(chunk.jsonld)
            self._chunks += 1
        self.prefixes |= chunk.prefixes
        self.triples += chunk.triples

    def add_parts(self, stem: Path, prefixes: frozenset[str], triples: int) -> None:
        """Append a chunk written into ``{stem}.ttl``, ``.nt`` and ``.jsonld`` (by a worker);
        the part files are removed once copied."""
        files = self._files
        for fmt in FORMATS:
            part = stem.with_name(f"{stem.name}.{fmt}")
            with part.open("rb", buffering=0) as source:
                if fmt == "jsonld":
                    if os.fstat(source.fileno()).st_size == 0:
                        continue
                    files[fmt].write(b",\n" if self._chunks else b"\n")
                    self._chunks += 1
                files[fmt].flush()
                _copy(source, files[fmt])
            part.unlink()
        self.prefixes |= prefixes
        self.triples += triples

    def close(self) -> list[Path]:
        """Finish the three files and move them into place; their paths."""
        files = self._files
        files["jsonld"].write(b"\n  ]\n}\n" if self._chunks else b"]\n}\n")
        for handle in files.values():
            handle.close()
        try:
            self._prepend_prefixes()
            written = []
            for fmt, partial in self._partial.items():
                path = self.folder / f"data.{fmt}"
                partial.replace(path)
                written.append(path)
        except OSError as error:
            self._discard()
            raise OutputError(f"cannot write: {error.strerror}", path=self.folder) from error
        return written

    def _prepend_prefixes(self) -> None:
        # The prefixes are known only once every chunk is in: the statements are copied
        # behind them (in the kernel, by copy_file_range where the file system allows).
        body = self._partial["ttl"]
        final = body.with_name(".data.ttl.final.partial")
        header = _ttl_header(self.prefixes)
        with body.open("rb", buffering=0) as source, final.open("wb") as target:
            target.write(header)
            if not header and source.read(1) != b"\n":
                source.seek(0)
            target.flush()
            _copy(source, target)
        final.replace(body)

    def _discard(self) -> None:
        for handle in getattr(self, "_files", {}).values():
            handle.close()
        for partial in self._partial.values():
            partial.unlink(missing_ok=True)
        self._partial["ttl"].with_name(".data.ttl.final.partial").unlink(missing_ok=True)


def _copy(source: Any, target: Any) -> None:
    size = os.fstat(source.fileno()).st_size - source.tell()
    try:
        while size > 0:
            copied = os.copy_file_range(source.fileno(), target.fileno(), size)
            if copied == 0:
                break
            size -= copied
    except (AttributeError, OSError):
        while block := source.read(1 << 20):
            target.write(block)
