"""Plain-text documents: encodings detected and written back as they came, line endings kept."""

from __future__ import annotations

import codecs
import os
from pathlib import Path

from ..errors import DocumentError
from ..keyfile import atomic_write
from ..model import Document

SUPPORTED_SUFFIXES = (".txt", ".md")


def decode(data: bytes, path: str) -> tuple[str, str]:
    """Decode bytes: UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252.

    Returns ``(text, encoding)``; raises ``DocumentError`` for empty or binary input.
    """
    if not data:
        raise DocumentError(path, "empty file")
    if data.startswith(codecs.BOM_UTF8):
        encoding = "utf-8-sig"
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    else:
        if b"\x00" in data:
            raise DocumentError(path, "binary file (not text)")
        encoding = "utf-8"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        if encoding != "utf-8":
            raise DocumentError(path, f"cannot decode as {encoding}") from None
        try:
            text = data.decode("cp1252")
            encoding = "cp1252"
        except UnicodeDecodeError:
            raise DocumentError(path, "unknown text encoding (not UTF-8, UTF-16 or Windows-1252)") from None
    if any(ord(c) < 32 and c not in "\t\n\r\f" for c in text):
        raise DocumentError(path, "binary file (control characters)")
    if not text.strip():
        raise DocumentError(path, "empty file")
    return text, encoding


def read_document(path: str | os.PathLike[str], *, root: Path | None = None) -> Document:
    """Read one text document; its id is the file stem."""
    p = Path(path)
    if p.suffix.lower() not in SUPPORTED_SUFFIXES:
        raise DocumentError(str(p), f"unsupported file type '{p.suffix or 'none'}'")
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise DocumentError(str(p), f"cannot read ({exc.strerror})") from exc
    text, encoding = decode(data, str(p))
    relative = str(p.relative_to(root)) if root else p.name
    return Document(id=p.stem, text=text, path=relative, encoding=encoding)


def write_document(document: Document, text: str, path: str | os.PathLike[str]) -> None:
    """Write ``text`` atomically with the document's own encoding (newlines untouched)."""
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(p, text.encode(document.encoding), mode=0o644)


def collect_inputs(paths: list[str]) -> list[tuple[Path, Path | None]]:
    """Expand files and folders into ``(file, root folder or None)``, sorted for determinism."""
    found: list[tuple[Path, Path | None]] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            for child in sorted(p.rglob("*")):
                if child.is_file() and child.suffix.lower() in SUPPORTED_SUFFIXES:
                    found.append((child, p))
        else:
            found.append((p, None))
    return found
