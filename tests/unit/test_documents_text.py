"""documents/text: plain text decoded from UTF-8 (with or without BOM), UTF-16 (with or without
BOM) or Windows-1252, written back in the same encoding with its line endings."""

from __future__ import annotations

import codecs

import pytest

from anonymiser.documents import read_document, write_document
from anonymiser.documents.text import decode
from anonymiser.errors import DocumentError

from .replacing import pseudonymise

TEXT = "Entretien avec Isabelle Marchal\r\nà Rezé, l’été.\r\n"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (TEXT.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8-sig"),
        (TEXT.encode("utf-16"), "utf-16"),
        (TEXT.encode("cp1252"), "cp1252"),
    ],
)
def test_documents_text_encodings_round_trip(tmp_path, data: bytes, encoding: str) -> None:
    src = tmp_path / "e.txt"
    src.write_bytes(data)
    document = read_document(src)
    assert document.text == TEXT
    assert document.encoding == encoding
    write_document(document, document.text, tmp_path / "out" / "e.txt")
    assert (tmp_path / "out" / "e.txt").read_bytes() == data



@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_documents_text_utf16_without_bom(tmp_path, encoding: str) -> None:
    text = "Entretien avec Samia Cherif\r\nà Rezé.\n"
    path = tmp_path / "e.txt"
    path.write_bytes(text.encode(encoding))
    document = read_document(path)
    assert (document.text, document.encoding) == (text, encoding)
    write_document(document, document.text, tmp_path / "o.txt")
    assert (tmp_path / "o.txt").read_bytes() == path.read_bytes()


def test_documents_text_markdown_keeps_mixed_line_endings(tmp_path) -> None:
    data = "# Entretien\r\n\r\nSamia Cherif\rà Rezé\n".encode()
    path = tmp_path / "e.md"
    path.write_bytes(data)
    document = read_document(path)
    output, replacements = pseudonymise(document.text)
    write_document(document, output, tmp_path / "o.md", edits=replacements)
    assert (tmp_path / "o.md").read_bytes() == "# Entretien\r\n\r\nLéa Martin\rà [COMMUNE_1]\n".encode()


def test_documents_text_decode_prefers_utf8_then_windows_1252() -> None:
    assert decode("Odile à Combelorge\n".encode(), "e.txt") == ("Odile à Combelorge\n", "utf-8")
    assert decode("Odile à Combelorge – été\n".encode("cp1252"), "e.txt") == ("Odile à Combelorge – été\n", "cp1252")
    assert decode(codecs.BOM_UTF8 + b"Odile\n", "e.txt") == ("Odile\n", "utf-8-sig")


@pytest.mark.parametrize(
    ("data", "cause"),
    [
        (b"", "empty file"),
        (b" \t\r\n", "empty file"),
        (codecs.BOM_UTF8, "empty file"),  # a BOM alone: no text at all
        (codecs.BOM_UTF16_LE + " \u00a0\u2028\n".encode("utf-16-le"), "empty file"),  # Unicode spaces only
        (b"Odile\x07Brossard\n", "control characters"),
        (b"O\x00d\x00i\x00l\x00e", "binary"),  # odd number of bytes: not UTF-16
        (b"\x00\x00\x00O\x00d\x00", "binary"),  # zeros on both sides: not UTF-16 text
        (codecs.BOM_UTF16_LE + b"\x00\xd8", "cannot decode as utf-16"),  # a lone surrogate
    ],
)
def test_documents_text_decode_refuses_without_the_text(data: bytes, cause: str) -> None:
    with pytest.raises(DocumentError) as info:
        decode(data, "secret.txt")
    message = str(info.value)
    assert cause in message and message.startswith("secret.txt: ") and "Brossard" not in message
    assert info.value.code == "E010"


def test_documents_text_a_pseudonym_the_encoding_cannot_hold_is_refused(tmp_path) -> None:
    path = tmp_path / "e.txt"
    path.write_bytes("Entretien à Rezé avec Samia Cherif\n".encode("cp1252"))
    document = read_document(path)
    assert document.encoding == "cp1252"
    with pytest.raises(DocumentError, match="cannot be written in cp1252"):
        write_document(document, "Entretien à Rezé avec Łucja Nowak\n", tmp_path / "o.txt")
    assert not (tmp_path / "o.txt").exists()
