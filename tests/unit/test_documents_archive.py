"""documents/archive: an office file over a cap (XML expanded, parts, expansion ratio) is
refused with one line naming it, before any of it is read; read_document applies it."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from anonymiser.documents import read_document
from anonymiser.documents.archive import MB, OfficeLimits, check_expanded
from anonymiser.errors import DocumentError
from tests.unit.office import build_docx


def _zip(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return out.getvalue()


def test_documents_archive_an_ordinary_file_passes(tmp_path: Path) -> None:
    path = tmp_path / "a.docx"
    build_docx(path, ["Mme Kerhervé est passée à Landerneau."])
    check_expanded(path.read_bytes(), "a.docx", OfficeLimits())
    assert "Kerhervé" in read_document(path).text


@pytest.mark.parametrize(("limits", "words"), [
    (OfficeLimits(max_parts=3), ["4 parts", "cap of 3", "office.max_parts"]),
    (OfficeLimits(max_expanded=1 * MB), ["expands to 2 MB", "cap of 1 MB", "office.max_expanded_mb"]),
    (OfficeLimits(max_ratio=50, ratio_from=MB), ["times its size", "cap of 50 times", "office.max_ratio"]),
])
def test_documents_archive_over_a_cap_is_refused_in_one_line(limits: OfficeLimits, words: list[str]) -> None:
    data = _zip({f"word/part{i}.xml": b"<w:t>a</w:t>" * (MB // 24) for i in range(4)})  # 2 MB, deflates ~500x
    with pytest.raises(DocumentError) as refused:
        check_expanded(data, "bombe.docx", limits)
    line = str(refused.value)
    assert "\n" not in line and "bombe.docx" in line
    assert all(word in line for word in words), line


def test_documents_archive_under_every_cap_passes_and_a_damaged_zip_is_left_to_its_reader() -> None:
    data = _zip({f"word/part{i}.xml": b"<w:t>a</w:t>" * (MB // 24) for i in range(4)})
    check_expanded(data, "x.docx", OfficeLimits(max_parts=4, max_expanded=2 * MB, max_ratio=1000, ratio_from=MB))
    check_expanded(b"PK\x03\x04 not a zip", "x.docx", OfficeLimits(max_parts=1))


def test_documents_archive_read_document_refuses_before_reading(tmp_path: Path) -> None:
    bomb = tmp_path / "bombe.docx"
    bomb.write_bytes(_zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:t>a</w:t>" * (12 * MB // 12)}))
    with pytest.raises(DocumentError, match="bombe.docx.*office.max_ratio"):
        read_document(bomb)  # 12 MB of XML in a few KB: the default ratio cap
    with pytest.raises(DocumentError, match="office.max_expanded_mb"):
        read_document(bomb, limits=OfficeLimits(max_expanded=10 * MB))
    sheet = tmp_path / "t.xlsx"
    sheet.write_bytes(bomb.read_bytes())
    with pytest.raises(DocumentError, match="t.xlsx.*office.max_parts"):
        read_document(sheet, limits=OfficeLimits(max_parts=1))
