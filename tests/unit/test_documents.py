import codecs

import pytest

from anonymiser.documents import read_document, write_document
from anonymiser.errors import DocumentError

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
def test_documents_encodings_round_trip(tmp_path, data: bytes, encoding: str) -> None:
    src = tmp_path / "e.txt"
    src.write_bytes(data)
    document = read_document(src)
    assert document.text == TEXT
    assert document.encoding == encoding
    write_document(document, document.text, tmp_path / "out" / "e.txt")
    assert (tmp_path / "out" / "e.txt").read_bytes() == data


@pytest.mark.parametrize(
    ("name", "data", "cause"),
    [
        ("empty.txt", b"", "empty file"),
        ("blank.txt", b"  \n\n", "empty file"),
        ("bin.txt", b"\x00\x01\x02PK", "binary"),
        ("e.doc", b"whatever", "unsupported file type"),
    ],
)
def test_documents_bad_input_is_one_line(tmp_path, name: str, data: bytes, cause: str) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(DocumentError) as info:
        read_document(path)
    message = str(info.value)
    assert cause in message and name in message and "\n" not in message
