"""The RDF dumps (Turtle, N-Triples, JSON-LD) written chunk by chunk.

A chunk is the triples of a few documents (in a build, one page's chunk after another: see
below). :func:`serialize_chunk` turns one into the three texts (in a pool worker, for the
build); :class:`DumpWriter` appends chunks to the three files in the order given, so the
whole graph is never in one process. Within a chunk the N-Triples lines are sorted and
distinct; Turtle has one block per subject and JSON-LD one node object per subject, in the
lines' order, with the prefixes of ``ontology/context.jsonld`` as compact IRIs and classes as
``@type``. Both are laid out as oxigraph writes them, byte for byte (they once were
oxigraph's from the N-Triples): each distinct term is worded once, its Turtle by oxigraph,
and the blocks are joined in Python, which costs a third of parsing and serialising the
chunk twice. A subject's triples must all be in one chunk (each chunk states
its own documents' nodes), so chunk after chunk the files describe the union of the chunks.

One chunk written with the header and footer is the whole document (:func:`whole_document`):
the dumps of a graph small enough for one chunk are what ``toolkit.rdf.serialize`` returns,
and each page of the site is one. :func:`serialize_chunks` serialises several chunks at once,
each as it is alone, wording the terms they share once. The build's chunks are made of its
pages' chunks (:func:`serialize_pages`), so each page's Turtle and JSON-LD lie whole in the
dumps, where :class:`DumpWriter` records them (a :class:`Slice` each) and the site reads them
back (:class:`DumpedPages`) instead of serialising the page again.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from itertools import chain, islice
from json.encoder import encode_basestring  # json.dumps' own, for one string
from pathlib import Path
from types import TracebackType
from typing import Any, TypeVar

import pyoxigraph as ox

from toolkit.errors import OutputError
from toolkit.rdf_text import Lit, NtTexts, Row, Term, Triple, nt_rows, row_lines
from toolkit.vocabularies import CONTEXT_FILE

__all__ = [
    "FORMATS",
    "Chunk",
    "DumpWriter",
    "DumpedPages",
    "Slice",
    "append_part",
    "serialize_chunk",
    "serialize_chunks",
    "serialize_pages",
    "whole_document",
]

K = TypeVar("K")

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
    """One chunk of the dumps: its N-Triples (empty unless asked for: see
    :func:`serialize_chunks`), its Turtle statements (each subject's block after a blank
    line), its JSON-LD node objects (joined by commas, without the array's brackets), the
    prefixes its IRIs use, and its number of distinct triples."""

    nt: bytes
    ttl: bytes
    jsonld: bytes
    prefixes: frozenset[str]
    triples: int


def serialize_chunk(triples: Iterable[Triple], *, texts: NtTexts | None = None) -> Chunk:
    """The three serialisations of ``triples`` (every subject's triples among them).
    ``texts`` keeps each term's N-Triples for a caller that writes the terms again."""
    return _serialize([triples], NtTexts() if texts is None else texts, lines=True)[0]


@dataclass(frozen=True)
class Slice:
    """Where one page's chunk lies in a chunk or in the dumps: the offset and length of its
    Turtle statements (from its first subject: the blank line before it is not in the slice)
    and of its JSON-LD node objects, with the prefixes its text uses."""

    prefixes: frozenset[str]
    ttl: tuple[int, int]
    jsonld: tuple[int, int]

    def moved(self, ttl: int, jsonld: int) -> Slice:
        """The slice in a text where its chunk's starts ``ttl`` and ``jsonld`` bytes on."""
        return Slice(
            self.prefixes,
            (self.ttl[0] + ttl, self.ttl[1]),
            (self.jsonld[0] + jsonld, self.jsonld[1]),
        )


def serialize_pages(
    pages: Mapping[K, Iterable[Triple]], *, texts: NtTexts | None = None
) -> tuple[Chunk, dict[K, Slice]]:
    """One chunk made of each page's chunk (a page holds every triple of its subjects), one
    after the other, and where each page's lies in it: :func:`whole_document` of a page's
    slices is the page's own document, the very one :func:`serialize_chunk` gives for its
    triples alone. ``texts`` as for :func:`serialize_chunk`."""
    chunks = _serialize(pages.values(), NtTexts() if texts is None else texts, lines=True)
    slices: dict[K, Slice] = {}
    ttl_at = jsonld_at = 0
    objects = []
    for key, chunk in zip(pages, chunks, strict=True):
        if objects and chunk.jsonld:
            jsonld_at += 1  # the comma between two chunks' node objects
        slices[key] = Slice(
            chunk.prefixes, (ttl_at + 1, len(chunk.ttl) - 1), (jsonld_at, len(chunk.jsonld))
        )
        ttl_at += len(chunk.ttl)
        jsonld_at += len(chunk.jsonld)
        if chunk.jsonld:
            objects.append(chunk.jsonld)
    whole = Chunk(
        nt=b"".join(chunk.nt for chunk in chunks),
        ttl=b"".join(chunk.ttl for chunk in chunks),
        jsonld=b",".join(objects),
        prefixes=frozenset().union(*(chunk.prefixes for chunk in chunks)),
        triples=sum(chunk.triples for chunk in chunks),
    )
    return whole, slices


@dataclass(frozen=True)
class DumpedPages:
    """The pages whose RDF lies whole in the dumps of ``folder``: each page's :class:`Slice`
    by its key (:attr:`DumpWriter.slices`)."""

    folder: Path
    slices: Mapping[Any, Slice]

    def documents(self, keys: Iterable[K]) -> dict[K, tuple[bytes, bytes]]:
        """Each page's Turtle and JSON-LD documents, read from its slices of the dumps."""
        documents = {}
        with (
            (self.folder / "data.ttl").open("rb") as ttl,
            (self.folder / "data.jsonld").open("rb") as jsonld,
        ):
            for key in keys:
                where = self.slices[key]
                (ttl_at, ttl_size), (jsonld_at, jsonld_size) = where.ttl, where.jsonld
                chunk = Chunk(
                    nt=b"",
                    ttl=b"\n" + os.pread(ttl.fileno(), ttl_size, ttl_at),
                    jsonld=os.pread(jsonld.fileno(), jsonld_size, jsonld_at),
                    prefixes=where.prefixes,
                    triples=0,
                )
                documents[key] = (whole_document(chunk, "ttl"), whole_document(chunk, "jsonld"))
        return documents


def serialize_chunks(groups: Iterable[Iterable[Triple]], *, lines: bool = True) -> list[Chunk]:
    """One chunk per group of triples, each the very chunk :func:`serialize_chunk` makes of
    that group alone (its lines, its prefixes), with each distinct term worded once for all
    of them: the site's pages of one disclosure share their predicates, classes, concepts,
    the disclosure's IRI and common literals. Without ``lines`` the chunks' N-Triples are
    left empty (the pages publish Turtle and JSON-LD)."""
    return _serialize(groups, NtTexts(), lines=lines)


def _serialize(groups: Iterable[Iterable[Triple]], texts: NtTexts, *, lines: bool) -> list[Chunk]:
    # A group's terms are worded when it is serialised, those met in an earlier group
    # excepted: a term's words depend only on the namespaces its own N-Triples text starts
    # with, which every chunk holding the term declares, so the prefixes of the group that
    # first held it give the words any other group would. Each group's blocks are joined
    # while its rows are fresh in the cache, and the first group words every term that
    # ``texts`` already held, as a single chunk always did.
    words: dict[str, _Words] = {}
    worded = 0  # how many of texts' terms (in the order they came) have their words
    chunks = []
    for triples in groups:
        ordered = nt_rows(triples, texts)
        # The namespaces the chunk's text holds (inside a literal too, as oxigraph declares
        # them), looked for in each distinct term once: none spans two terms.
        terms = "\n".join(set(chain.from_iterable(ordered)))
        prefixes = {name: iri for iri, name in _prefixes().items() if f"<{iri}" in terms}
        del terms
        # The terms new in this group are the last ones in texts, which keeps their order.
        new = list(islice(reversed(texts.items()), len(texts) - worded))
        worded = len(texts)
        _words(reversed(new), prefixes, words)
        ttl, jsonld = _blocks(ordered, words)
        chunks.append(
            Chunk(
                nt="".join(row_lines(ordered)).encode() if lines else b"",
                ttl=ttl,
                jsonld=jsonld,
                prefixes=frozenset(prefixes),
                triples=len(ordered),
            )
        )
    return chunks


_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_BATCH_PREDICATE = " <urn:x:p> "
# A term's words: its Turtle, its JSON-LD as a node or key (a JSON string) and as a value
# (a value object); by its N-Triples text.
_Words = tuple[str, str, str]


def _blocks(ordered: list[Row], words: dict[str, _Words]) -> tuple[bytes, bytes]:
    """The chunk's Turtle and JSON-LD, one block per subject in the lines' order.

    Turtle: a blank line before each subject's block, ``;`` between its predicates, ``,``
    between a predicate's values (oxigraph's layout). JSON-LD: the node objects of
    expanded JSON-LD as oxigraph writes them (a key per predicate), with every IRI under
    a prefix of the context as a compact IRI (``bp:ordinal``: the same triples when read
    with the context, at a third the size) and classes as ``@type``; without the array's
    brackets, so chunks join with a comma."""
    if not ordered:
        return b"", b""
    ttl: list[str] = []
    js: list[str] = []
    to_ttl, to_js = ttl.append, js.append
    last_subject = last_predicate = ""
    types: list[str] | None = None
    for s, p, o in ordered:
        value = words[o]
        if s == last_subject:
            if p == last_predicate:
                to_ttl(" , " + value[0])
                if types is None:
                    to_js("," + value[2])
                else:
                    types.append(o)
                continue
            to_ttl(f" ;\n\t{'a' if p == _TYPE else words[p][0]} {value[0]}")
            to_js("]" if types is None else _json_types(types, words))
        else:
            verb = "a" if p == _TYPE else words[p][0]
            if last_subject:
                to_ttl(f" .\n\n{words[s][0]} {verb} {value[0]}")
                to_js("]}," if types is None else _json_types(types, words) + "},")
            else:
                to_ttl(f"\n{words[s][0]} {verb} {value[0]}")
            to_js('{"@id":' + words[s][1])
            last_subject = s
        last_predicate = p
        if p == _TYPE:
            types = [o]
        else:
            types = None
            to_js(f",{words[p][1]}:[{value[2]}")
    to_ttl(" .\n")
    to_js("]}" if types is None else _json_types(types, words) + "}")
    return "".join(ttl).encode("utf-8"), "".join(js).encode("utf-8")


def _json_types(types: list[str], words: dict[str, _Words]) -> str:
    """A node's classes: as ``@type`` when all are IRIs (what search engines and most
    readers look for), else as ``rdf:type`` values: the same triples."""
    if len(types) == 1:  # nearly every node: without the generator's cost
        node = words[types[0]]
        return f',"@type":[{node[1]}]' if node[1] else f',"rdf:type":[{node[2]}]'
    if any(not words[t][1] for t in types):
        return ',"rdf:type":[' + ",".join(words[t][2] for t in types) + "]"
    return ',"@type":[' + ",".join(words[t][1] for t in types) + "]"


def _words(
    terms: Iterable[tuple[Term, str]], prefixes: dict[str, str], words: dict[str, _Words]
) -> None:
    """Each term's words (see :data:`_Words`), into ``words`` by the term's N-Triples text
    (those already there are kept). Its Turtle is what oxigraph writes with ``prefixes``
    (prefixed names and their escapes, bare numbers and booleans, its escapes in strings),
    which is its N-Triples for an IRI under none of the prefixes and a string without a
    character to escape; the others go to oxigraph, one statement per term, on a subject of
    its own, all serialised at once. Line breaks in literals are escaped, so the k-th line
    is the k-th term's statement."""
    namespaces = tuple(prefixes.values())
    batch: dict[str, Term] = {}
    for term, text in terms:
        if text in words or text in batch:
            continue  # the same term as another (a URIRef and a str, say)
        if isinstance(term, Lit):
            if _same_in_turtle(term):
                words[text] = (text, "", _json_literal(term))
            else:
                batch[text] = term
        elif str.startswith(term, namespaces) or term.startswith("_:"):
            # (str's own: rdflib's URIRef.startswith takes no tuple)
            batch[text] = term
        else:
            node = _json_iri(term)
            words[text] = (text, node, f'{{"@id":{node}}}')
    if not batch:
        return
    statements = "".join(f"<urn:x:{k}>{_BATCH_PREDICATE}{text} .\n" for k, text in enumerate(batch))
    quads = ox.parse(statements.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)
    body = ox.serialize(quads, format=ox.RdfFormat.TURTLE, prefixes=prefixes) or b""
    lines = [
        line
        for line in body.decode("utf-8").split("\n")
        if line and not line.startswith("@prefix ")
    ]
    if len(lines) != len(batch):
        raise OutputError("oxigraph wrote Turtle of an unexpected form")
    for (text, term), line in zip(batch.items(), lines, strict=True):
        _subject, found, turtle = line.partition(_BATCH_PREDICATE)
        if not found or not turtle.endswith(" ."):
            raise OutputError("oxigraph wrote Turtle of an unexpected form")
        if isinstance(term, Lit):
            words[text] = (turtle[:-2], "", _json_literal(term))
        else:
            node = _json_iri(term)
            words[text] = (turtle[:-2], node, f'{{"@id":{node}}}')


# What Turtle and N-Triples write alike: a string (or a lowercase language-tagged string)
# without a character either escapes.
_ESCAPED = re.compile(r'[\x00-\x1f"\\\x7f]')
_LOWER_TAG = re.compile(r"[a-z]+(-[a-z0-9]+)*")


def _same_in_turtle(term: Lit) -> bool:
    if term.lang is not None:
        if _LOWER_TAG.fullmatch(term.lang) is None:
            return False
    elif term.datatype is not None and term.datatype != _XSD_STRING:
        return False
    return _ESCAPED.search(term.lexical) is None


def _json_literal(term: Lit) -> str:
    """A literal's value object, its keys in oxigraph's order."""
    text = encode_basestring(term.lexical)
    if term.lang is not None:
        return f'{{"@language":{encode_basestring(term.lang.lower())},"@value":{text}}}'
    if term.datatype is not None and term.datatype != _XSD_STRING:
        return f'{{"@type":{_json_iri(term.datatype)},"@value":{text}}}'
    return f'{{"@value":{text}}}'


def _json_iri(iri: str) -> str:
    """An IRI (or a blank node's ``_:`` name) as a JSON string, compact under the context's
    prefixes: the namespace is the IRI up to its last ``#`` or ``/`` (rdflib's split, which
    takes the last ``#`` first, agrees on every IRI jixiao writes)."""
    text = str(iri)
    scheme = 8 if text.startswith("https://") else 7 if text.startswith("http://") else 0
    end = max(text.rfind("#"), text.rfind("/"))
    if scheme and end >= scheme:
        prefix = _prefixes().get(text[: end + 1])
        if prefix is not None:
            text = f"{prefix}:{text[end + 1 :]}"
    return encode_basestring(text)


# --- whole documents -------------------------------------------------------------------------


def _ttl_header(prefixes: Iterable[str]) -> bytes:
    namespaces = {name: iri for iri, name in _prefixes().items()}
    return "".join(f"@prefix {p}: <{namespaces[p]}> .\n" for p in sorted(prefixes)).encode()


@cache  # every page's JSON-LD starts with it
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
        # Where each page's chunk lies in the files once closed (see add_parts).
        self.slices: dict[Any, Slice] = {}
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

    def add_parts(
        self,
        stem: Path,
        prefixes: frozenset[str],
        triples: int,
        slices: Mapping[Any, Slice] | None = None,
    ) -> None:
        """Append a chunk written into ``{stem}.ttl``, ``.nt`` and ``.jsonld`` (by a worker);
        the part files are removed once copied. ``slices`` are where its pages' chunks lie
        in it (:func:`serialize_pages`): :attr:`slices` has them, by the same keys, where
        they lie in the files."""
        files = self._files
        starts = {}
        for fmt in FORMATS:
            part = stem.with_name(f"{stem.name}.{fmt}")
            if fmt == "jsonld" and part.stat().st_size:
                files[fmt].write(b",\n" if self._chunks else b"\n")
                self._chunks += 1
            starts[fmt] = append_part(files[fmt], part)
        for key, where in (slices or {}).items():
            self.slices[key] = where.moved(starts["ttl"], starts.get("jsonld", 0))
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
            # The statements move by the header, or back by the blank line left out.
            shift = len(header) - source.tell()
            target.flush()
            _copy(source, target)
        final.replace(body)
        self.slices = {key: where.moved(shift, 0) for key, where in self.slices.items()}

    def _discard(self) -> None:
        for handle in getattr(self, "_files", {}).values():
            handle.close()
        for partial in self._partial.values():
            partial.unlink(missing_ok=True)
        self._partial["ttl"].with_name(".data.ttl.final.partial").unlink(missing_ok=True)


def append_part(target: Any, part: Path) -> int:
    """Append the file ``part`` (a worker's) to the open file ``target``, then remove it;
    where in ``target`` it starts."""
    target.flush()
    start: int = target.tell()
    with part.open("rb", buffering=0) as source:
        _copy(source, target)
    part.unlink()
    return start


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
