"""documents: read_document picks the reader by suffix and refuses in one line naming the file;
write_document, reverse_edits, collect_inputs and with_text (documents built by hand)."""

from __future__ import annotations

import io
import os
import zipfile

import pytest

from anonymiser.documents import (
    collect_inputs,
    read_document,
    render_document,
    reverse_edits,
    with_text,
    write_document,
)
from anonymiser.documents.units import Edit
from anonymiser.errors import DocumentError
from anonymiser.model import Document


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



def _encrypted_odt() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("META-INF/manifest.xml", '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:'
                         'opendocument:xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="content.xml">'
                         '<manifest:encryption-data/></manifest:file-entry></manifest:manifest>')
        archive.writestr("content.xml", b"\x8f\x01 ciphertext")
    return out.getvalue()


@pytest.mark.parametrize(
    ("name", "data", "cause"),
    [
        ("cut.docx", b"PK\x03\x04 truncated", "damaged zip"),
        ("locked.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64, "password-protected"),
        ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "unsupported file type '.doc'"),
        ("cut.odt", b"PK\x03\x04 truncated", "damaged zip"),
        ("locked.odt", _encrypted_odt(), "password-protected"),
        ("empty.docx", b"", "empty file"),
        ("cut.xlsx", b"PK\x03\x04 truncated", "not a valid .xlsx"),
    ],
)
def test_documents_unreadable_office_files_one_line(tmp_path, name: str, data: bytes, cause: str) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(DocumentError) as info:
        read_document(path)
    message = str(info.value)
    assert cause in message and name in message and "\n" not in message


def test_documents_unsupported_types_say_what_to_do(tmp_path) -> None:
    path = tmp_path / "entretien.rtf"
    path.write_bytes(b"{\\rtf1 Odile Brossard}")
    with pytest.raises(DocumentError) as info:
        read_document(path)
    message = str(info.value)
    assert "unsupported file type '.rtf'" in message and "save it as .docx" in message
    assert "Brossard" not in message and info.value.code == "E010"


def test_documents_id_is_the_stem_and_path_relative_to_the_root(tmp_path) -> None:
    folder = tmp_path / "corpus" / "vague1"
    folder.mkdir(parents=True)
    (folder / "E03.md").write_text("Odile Brossard à Combelorge.\n", encoding="utf-8")
    document = read_document(folder / "E03.md", root=tmp_path / "corpus")
    assert (document.id, document.path, document.encoding, document.layout) == (
        "E03", os.path.join("vague1", "E03.md"), "utf-8", None)
    assert read_document(folder / "E03.md").path == "E03.md"


def test_documents_write_creates_the_folder_and_replaces_atomically(tmp_path) -> None:
    document = Document("e", "Odile Brossard.\n", "e.txt")
    target = tmp_path / "out" / "deep" / "e.txt"
    write_document(document, "Léa Martin.\n", target, sync=False)
    assert target.read_text(encoding="utf-8") == "Léa Martin.\n"
    write_document(document, "[PERSONNE_1].\n", target)
    assert target.read_text(encoding="utf-8") == "[PERSONNE_1].\n"
    assert sorted(p.name for p in target.parent.iterdir()) == ["e.txt"]  # no temporary file left
    assert render_document(document, "Léa\n") == "Léa\n".encode()


def test_documents_reverse_edits_swap_input_and_output_offsets() -> None:
    records = [{"record": "document", "document": "e"},
               {"record": "mention", "start": 4, "end": 18, "out_start": 4, "out_end": 14},
               {"record": "mention", "start": 30, "end": 40, "out_start": 26, "out_end": 38}]
    assert reverse_edits(records) == [Edit(4, 14, 4, 18), Edit(26, 38, 30, 40)]
    assert reverse_edits([]) == []


def test_documents_collect_inputs_sorted_with_unsupported_kept_and_lock_files_ignored(tmp_path) -> None:
    corpus = tmp_path / "corpus"
    (corpus / "b").mkdir(parents=True)
    for name in ("b/E02.txt", "E01.docx", "~$E01.docx", ".~lock.E01.odt#", "E04.doc", "notes.json", "E03.CSV"):
        (corpus / name).write_bytes(b"x")
    single = tmp_path / "E09.txt"
    single.write_bytes(b"x")
    found = collect_inputs([str(corpus), str(single)])
    assert [(str(p.relative_to(tmp_path)), root) for p, root in found] == [
        (os.path.join("corpus", "E01.docx"), corpus), (os.path.join("corpus", "E03.CSV"), corpus),
        (os.path.join("corpus", "E04.doc"), corpus), (os.path.join("corpus", "b", "E02.txt"), corpus),
        ("E09.txt", None)]


def test_documents_with_text_keeps_the_document_but_its_text() -> None:
    document = Document("e", "Odile.\n", "e.txt", encoding="cp1252")
    changed = with_text(document, "Léa.\n")
    assert (changed.id, changed.path, changed.encoding, changed.text) == ("e", "e.txt", "cp1252", "Léa.\n")
    assert with_text(document, "Léa.\n", "utf-8").encoding == "utf-8"
    assert document.text == "Odile.\n"
