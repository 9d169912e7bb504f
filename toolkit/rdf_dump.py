"""The RDF dumps (Turtle, N-Triples, JSON-LD) written chunk by chunk.

A chunk is the triples of a few documents. :func:`serialize_chunk` turns one into the three
texts (in a pool worker, for the build); :class:`DumpWriter` appends chunks to the three files
in the order given, so the whole graph is never in one process. Within a chunk the N-Triples
lines are sorted and distinct, Turtle is oxigraph's from those lines (one block per subject,
in their order), and JSON-LD has one node object per subject, sorted by ``@id``, compacted
with the prefixes of ``ontology/context.jsonld`` the way rdflib's JSON-LD writer compacts
them. A subject's triples must all be in one chunk (each chunk states its own documents'
nodes), so chunk after chunk the files describe the union of the chunks.

One chunk written with the header and footer is the whole document (:func:`whole_document`):
the dumps of a graph small enough for one chunk are what ``toolkit.rdf.serialize`` returns.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from json.encoder import encode_basestring  # type: ignore[attr-defined]
from pathlib import Path
from types import TracebackType
from typing import Any

import pyoxigraph as ox

from toolkit.errors import OutputError
from toolkit.rdf_text import XSD_STRING, Lit, Term, Triple, nt_line
from toolkit.vocabularies import CONTEXT_FILE

__all__ = ["FORMATS", "Chunk", "DumpWriter", "serialize_chunk", "whole_document"]

FORMATS = ("ttl", "nt", "jsonld")
_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_XSD = "http://www.w3.org/2001/XMLSchema#"
# rdflib's JSON-LD writer gives these as JSON numbers and booleans (its "native types").
_NATIVE = {f"{_XSD}integer": int, f"{_XSD}double": float, f"{_XSD}boolean": None}


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
    after a blank line), its JSON-LD node objects (indented for the ``@graph`` array, joined
    by ``,\\n``), the prefixes its IRIs use, and its number of distinct triples."""

    nt: bytes
    ttl: bytes
    jsonld: bytes
    prefixes: frozenset[str]
    triples: int


def serialize_chunk(triples: Iterable[Triple]) -> Chunk:
    """The three serialisations of ``triples`` (every subject's triples among them)."""
    by_line = {nt_line(triple): triple for triple in triples}
    lines = sorted(by_line)
    text = "".join(lines)
    nt = text.encode("utf-8")
    prefixes = {name: iri for iri, name in _prefixes().items() if f"<{iri}" in text}
    return Chunk(
        nt=nt,
        ttl=_turtle(nt, prefixes),
        jsonld=_jsonld([by_line[line] for line in lines]),
        prefixes=frozenset(prefixes),
        triples=len(lines),
    )


def _turtle(nt: bytes, prefixes: dict[str, str]) -> bytes:
    """Turtle by oxigraph from the sorted N-Triples: rdflib's writer takes over thirty times
    as long. Statements come in the lines' order, so each subject's triples are together."""
    if not nt:
        return b""
    body = ox.serialize(
        ox.parse(nt, format=ox.RdfFormat.N_TRIPLES), format=ox.RdfFormat.TURTLE, prefixes=prefixes
    )
    out = []
    # oxigraph escapes line breaks in literals, so every line is a prefix, the first line
    # of a subject's statements, or a tab-indented continuation of them.
    for line in (body or b"").decode("utf-8").split("\n"):
        if not line or line.startswith("@prefix"):
            continue
        out.append(line if line.startswith("\t") else f"\n{line}")
    return ("\n".join(out) + "\n").encode("utf-8")


# --- JSON-LD -------------------------------------------------------------------------------


def _split(iri: str) -> tuple[str, str]:
    # rdflib's split: at the last "#" if there is one, else the last "/", else ":".
    for delimiter in ("#", "/", ":"):
        at = iri.rfind(delimiter)
        if at > -1:
            return iri[: at + 1], iri[at + 1 :]
    return iri, ""


def _compact(iri: str) -> str:
    namespace, name = _split(iri)
    prefix = _prefixes().get(namespace)
    return f"{prefix}:{name}" if prefix else iri


_compact_term = cache(_compact)  # predicates, classes and datatypes: a few hundred at most


def _value(term: Term) -> Any:
    if not isinstance(term, Lit):
        return {"@id": term if term.startswith("_:") else _compact(term)}
    if term.lang is not None:
        return {"@language": term.lang, "@value": term.lexical}
    if term.datatype is None or term.datatype == XSD_STRING:
        return term.lexical
    if term.datatype in _NATIVE:
        native = _NATIVE[term.datatype]
        if native is None:
            return term.lexical in ("true", "1")
        return native(term.lexical)
    return {"@type": _compact_term(term.datatype), "@value": term.lexical}


def _jsonld(triples: Sequence[Triple]) -> bytes:
    nodes: dict[str, dict[str, list[Any]]] = {}
    for subject, p, o in triples:
        s = str(subject)  # an rdflib URIRef is not the same key as its text
        node = nodes.get(s)
        if node is None:
            node = nodes[s] = {}
        if p == _RDF_TYPE and not isinstance(o, Lit):
            node.setdefault("@type", []).append(_compact_term(o))
        else:
            node.setdefault(_compact_term(p), []).append(_value(o))
    texts = [_node_text(subject, nodes[subject]) for subject in sorted(nodes)]
    return ",\n".join(texts).encode("utf-8")


def _sort_key(value: Any) -> str:
    return json.dumps(value, sort_keys=True)


def _node_text(subject: str, properties: dict[str, list[Any]]) -> str:
    """A node object as ``json.dumps(…, indent=2, sort_keys=True, ensure_ascii=False)``
    writes it inside the ``@graph`` array, written directly: the indenting encoder is pure
    Python and many times slower."""
    members = [f'      "@id": {encode_basestring(subject)}']
    for key in sorted(properties):
        values = properties[key]
        if len(values) > 1:
            values = sorted(values, key=_sort_key)
            items = ",\n".join(f"        {_json(v, '        ')}" for v in values)
            members.append(f"      {encode_basestring(key)}: [\n{items}\n      ]")
        else:
            members.append(f"      {encode_basestring(key)}: {_json(values[0], '      ')}")
    return "    {\n" + ",\n".join(members) + "\n    }"


def _json(value: Any, indent: str) -> str:
    if isinstance(value, str):
        return encode_basestring(value)
    if isinstance(value, dict):
        inner = indent + "  "
        members = ",\n".join(
            f"{inner}{encode_basestring(k)}: {encode_basestring(value[k])}" for k in sorted(value)
        )
        return "{\n" + members + "\n" + indent + "}"
    return json.dumps(value)


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
