"""documents/units: owners of text joined into units, one per line, and new text written back
into the owners whose text changed (hand-made owners)."""

from __future__ import annotations

import io
import zipfile

import pytest

from anonymiser.documents.units import Edit, EditError, Units, deterministic_zip, line_edits, non_empty
from anonymiser.errors import DocumentError


class Piece:
    def __init__(self, text: str) -> None:
        self.text, self.written = text, None

    def write(self, text: str) -> None:
        self.written = text


def test_documents_units_refuse_an_edit_across_units() -> None:
    units = Units([[Piece("Samia")], [Piece("Cherif")]])
    with pytest.raises(EditError, match="crosses"):
        units.write("Léa", [Edit(0, 12, 0, 3)])


def test_documents_units_without_edits_change_lines() -> None:
    a, b, c = Piece("Vu "), Piece("Samia"), Piece(" hier")
    Units([[a, b, c], [Piece("Rien")]]).write("Vu Léa hier\nRien")
    assert (a.written, b.written, c.written) == (None, "Léa", None)


def test_documents_units_text_joins_units_by_lines() -> None:
    units = Units([[Piece("Vu "), Piece("Odile")], [], [Piece("Fin")]])
    assert units.text == "Vu Odile\n\nFin"
    with pytest.raises(ValueError, match="separator"):
        Units([[Piece("deux\nlignes")]])


def test_documents_units_a_replacement_goes_word_by_word_or_to_the_first_owner() -> None:
    first, last, rest = Piece("Odile "), Piece("Brossard"), Piece(" parle.")
    Units([[first, last, rest]]).write("Léa Martin parle.", [Edit(0, 14, 0, 10)])
    assert (first.written, last.written, rest.written) == ("Léa ", "Martin", None)  # each word keeps its run
    first, last, rest = Piece("Odile "), Piece("Brossard"), Piece(" parle.")
    Units([[first, last, rest]]).write("[PERSONNE_1] parle.", [Edit(0, 14, 0, 12)])
    assert (first.written, last.written, rest.written) == ("[PERSONNE_1]", "", None)


def test_documents_units_refuse_overlapping_or_mismatched_edits() -> None:
    units = Units([[Piece("Odile Brossard")]])
    with pytest.raises(EditError, match="overlapping"):
        units.write("Léa Martin", [Edit(0, 10, 0, 5), Edit(6, 14, 4, 10)])
    with pytest.raises(EditError, match="do not match"):
        units.write("Léa Martin", [Edit(0, 5, 0, 3)])


def test_documents_units_line_edits_one_per_changed_line() -> None:
    old = "Vu Odile hier\nRien\nAvec Gaspard"
    new = "Vu Léa hier\nRien\nAvec Paul"
    assert line_edits(old, new) == [Edit(3, 8, 3, 6), Edit(24, 31, 22, 26)]
    assert new[22:26] == "Paul" and old[24:31] == "Gaspard"
    assert line_edits(old, old) == []
    with pytest.raises(EditError, match="one line per paragraph"):
        line_edits(old, "Vu Léa hier")


def test_documents_units_deterministic_zip_fixes_dates_and_keeps_order() -> None:
    source = io.BytesIO()
    with zipfile.ZipFile(source, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype", date_time=(2024, 5, 1, 10, 0, 0)), "application/x")
        archive.writestr(zipfile.ZipInfo("content.xml", date_time=(2024, 5, 2, 11, 0, 0)), "<p>2024</p>")
    out = deterministic_zip(source.getvalue(), rewrite={"content.xml": lambda data: data.replace(b"2024", b"1980")})
    infos = zipfile.ZipFile(io.BytesIO(out)).infolist()
    assert [(i.filename, i.date_time, i.compress_type) for i in infos] == [
        ("mimetype", (1980, 1, 1, 0, 0, 0), zipfile.ZIP_STORED),
        ("content.xml", (1980, 1, 1, 0, 0, 0), zipfile.ZIP_DEFLATED)]
    assert zipfile.ZipFile(io.BytesIO(out)).read("content.xml") == b"<p>1980</p>"
    assert deterministic_zip(source.getvalue()) == deterministic_zip(source.getvalue())


def test_documents_units_non_empty_refuses_a_document_without_text() -> None:
    assert non_empty("Odile\n", "e.docx") == "Odile\n"
    with pytest.raises(DocumentError, match="e.docx: empty document"):
        non_empty("\n \n", "e.docx")


def test_documents_units_one_owner_per_unit_writes_as_the_general_path() -> None:
    cells = ["Vu Odile hier", "", "Avec Gaspard Lenoir à Vierzon", "Rien"] * 50
    new = "\n".join(c.replace("Odile", "Léa").replace("Gaspard Lenoir", "Paul Girard") for c in cells)
    edits, shift, at = [], 0, 0
    for cell in cells:
        for old_form, new_form in (("Odile", "Léa"), ("Gaspard Lenoir", "Paul Girard")):
            if (found := cell.find(old_form)) >= 0:
                edits.append(Edit(at + found, at + found + len(old_form), at + found + shift,
                                  at + found + shift + len(new_form)))
                shift += len(new_form) - len(old_form)
        at += len(cell) + 1
    alone = [Piece(c) for c in cells]
    paired = [(Piece(c), Piece("")) for c in cells]  # two owners a unit: the general path
    Units([[p] for p in alone]).write(new, edits)
    Units([list(pair) for pair in paired]).write(new, edits)
    assert [p.written for p in alone] == [first.written for first, _ in paired]
    assert alone[0].written == "Vu Léa hier" and alone[1].written is None
    with pytest.raises(EditError, match="empty"):
        Units([[Piece("a")], [Piece("")]]).write("a\nb", [Edit(2, 2, 2, 3)])
