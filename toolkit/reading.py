"""``read``: any supported file to a :class:`~toolkit.model.Disclosure`.

The reader is chosen by the file's content and suffix; the interpreter is shared by all.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from toolkit.blocks import Block
from toolkit.errors import ParseError
from toolkit.interpret import interpret
from toolkit.metadata import DocumentMetadata, load_metadata, sidecar_path
from toolkit.model import Disclosure, SourceDocument
from toolkit.readers.docx import DOCX_MEDIA_TYPE, read_docx_blocks
from toolkit.readers.ooxml import looks_like_zip
from toolkit.readers.text import decode, read_text_blocks

__all__ = ["MAX_INPUT_BYTES", "read", "read_blocks"]

# A disclosure is a few hundred kilobytes; anything this large is not one.
MAX_INPUT_BYTES = 64 * 1024 * 1024

TEXT_MEDIA_TYPE = "text/plain"
# A password-protected .docx is an OLE2 file holding this stream (its name in UTF-16).
_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")


def read_blocks(data: bytes, *, suffix: str = ".txt") -> tuple[list[Block], str, str | None]:
    """The neutral blocks of a file's bytes, its media type and (for text) its encoding.

    The content decides: a zip archive is read as Word ``.docx`` whatever its name, and so is
    a file named ``.docx`` (which then fails clearly if it is not one).
    """
    if data.startswith(b"\xd0\xcf\x11\xe0") and _ENCRYPTED_PACKAGE in data:
        raise ParseError(
            "this Word file is password-protected; remove the password in Word "
            "(File → Info → Protect Document) and save it again as .docx",
            line=1,
        )
    if looks_like_zip(data):
        return read_docx_blocks(data), DOCX_MEDIA_TYPE, None
    if suffix.lower() == ".doc" or data.startswith(b"\xd0\xcf\x11\xe0"):
        raise ParseError(
            "this is an old Word .doc file; convert it to .docx first, e.g. "
            "`soffice --headless --convert-to docx FILE.doc`",
            line=1,
        )
    if suffix.lower() == ".docx":
        return read_docx_blocks(data), DOCX_MEDIA_TYPE, None
    text, encoding = decode(data)
    return read_text_blocks(text), TEXT_MEDIA_TYPE, encoding


def read(
    path: str | Path,
    *,
    metadata: DocumentMetadata | None = None,
) -> Disclosure:
    """Read one disclosure file into the model.

    Metadata comes from the sidecar ``NAME.meta.toml`` when there is one, with ``metadata``
    overriding it key by key. Raises :class:`~toolkit.errors.ParseError` naming the file and
    line when the file is not a disclosure jixiao can read.
    """
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_INPUT_BYTES:
            raise ParseError(
                f"the file is {size} bytes; a disclosure is far smaller", file=path, line=1
            )
        data = path.read_bytes()
    except IsADirectoryError as error:
        raise ParseError("this is a folder, not a file", file=path) from error
    except FileNotFoundError as error:
        raise ParseError("no such file", file=path) from error
    except OSError as error:
        raise ParseError(f"cannot read the file: {error.strerror}", file=path) from error
    sidecar = sidecar_path(path)
    base = load_metadata(sidecar) if sidecar.is_file() else DocumentMetadata()
    try:
        blocks, media_type, encoding = read_blocks(data, suffix=path.suffix)
        source = SourceDocument(
            file_name=path.name,
            sha256=hashlib.sha256(data).hexdigest(),
            media_type=media_type,
            encoding=encoding,
        )
        return interpret(blocks, source=source, metadata=base.merged(metadata))
    except ParseError as error:
        raise error.at(path) from error
