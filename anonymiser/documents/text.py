"""Plain text (.txt, .md): encodings detected and written back as they came, line endings kept.

Reading and writing files is in ``documents/__init__.py``; this module decodes bytes.
"""

from __future__ import annotations

import codecs
import re

from anonymiser.errors import DocumentError
from anonymiser.i18n import N_

TEXT_SUFFIXES = (".txt", ".md")


def decode(data: bytes, path: str) -> tuple[str, str]:
    """Decode bytes: UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252.

    Returns ``(text, encoding)``; raises ``DocumentError`` for empty or binary input.
    """
    if not data:
        raise DocumentError(path, N_("empty file"))
    if data.startswith(codecs.BOM_UTF8):
        encoding = "utf-8-sig"
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    elif b"\x00" in data:
        utf16 = _utf16_without_bom(data)
        if utf16 is None:
            raise DocumentError(path, N_("binary file (not text)"))
        encoding = utf16
    else:
        encoding = "utf-8"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        if encoding != "utf-8":
            raise DocumentError(path, N_("cannot decode as %(encoding)s"), encoding=encoding) from None
        try:
            text = data.decode("cp1252")
            encoding = "cp1252"
        except UnicodeDecodeError:
            raise DocumentError(path, N_("unknown text encoding (not UTF-8, UTF-16 or Windows-1252)")) from None
    if _CONTROL.search(text):
        raise DocumentError(path, N_("binary file (control characters)"))
    if not text or text.isspace():  # ``not text.strip()``, without a copy of a long text
        raise DocumentError(path, N_("empty file"))
    return text, encoding


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")  # control characters but tab and line ends


def _utf16_without_bom(data: bytes) -> str | None:
    """``utf-16-le`` or ``-be`` when the zero bytes are those of Latin text in UTF-16, else None."""
    if len(data) % 2:
        return None
    pairs = len(data) // 2
    even_zeros = data[0::2].count(0)
    odd_zeros = data[1::2].count(0)
    if odd_zeros >= 0.6 * pairs and even_zeros == 0:
        return "utf-16-le"
    if even_zeros >= 0.6 * pairs and odd_zeros == 0:
        return "utf-16-be"
    return None
