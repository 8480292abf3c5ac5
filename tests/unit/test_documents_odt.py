"""documents/odt: an .odt read as one line per paragraph and written back node by node, with its
styles, spaces and tabs, byte-identical whatever was written before (files built by hand)."""

from __future__ import annotations

import zipfile

from odf.opendocument import load as load_odt

from anonymiser.documents import read_document, reverse_edits, write_document

from .office import build_odt
from .replacing import LINES, audit_like, pseudonymise


def test_documents_odt_written_back_with_formatting(tmp_path) -> None:
    path = tmp_path / "e.odt"
    build_odt(path, LINES, table_rows=[["Nom", "Mehdi Bouzid"]], split_names=[("Samia", "Cherif")],
              note="Selon Mehdi Bouzid", link="mehdi.bouzid@tss.fr")
    document = read_document(path)
    assert document.text.split("\n") == [
        "Confidentiel", "Transcription : Mehdi Bouzid", *LINES, "Nom", "Mehdi Bouzid",
        "Relu par Samia Cherif. Contact : mehdi.bouzid@tss.fr\u2028Fin.", "Selon Mehdi Bouzid",
        "Vérifier avec Mehdi Bouzid", "mailto:mehdi.bouzid@tss.fr"]
    output, replacements = pseudonymise(document.text)
    write_document(document, output, tmp_path / "o.odt", edits=replacements)
    write_document(document, output, tmp_path / "o2.odt", edits=replacements)
    assert (tmp_path / "o.odt").read_bytes() == (tmp_path / "o2.odt").read_bytes()
    assert read_document(tmp_path / "o.odt").text == output

    archive = zipfile.ZipFile(tmp_path / "o.odt")
    assert archive.namelist()[0] == "mimetype" and archive.infolist()[0].compress_type == zipfile.ZIP_STORED
    for name in archive.namelist():
        data = archive.read(name)
        assert b"Cherif" not in data and b"Bouzid" not in data and b"bouzid" not in data, name
    content = load_odt(str(tmp_path / "o.odt")).contentxml().decode()
    assert '<text:span text:style-name="Gras">Martin</text:span>' in content
    assert "avec <text:s/>deux espaces" in content and "<text:tab/>" in content
    assert "<text:list>" in content and "<table:table-cell><text:p>Paul Girard</text:p>" in content


def test_documents_odt_reverse_restores_paragraphs(tmp_path) -> None:
    path = tmp_path / "e.odt"
    build_odt(path, LINES, table_rows=[["Nom", "Mehdi Bouzid"]], split_names=[("Samia", "Cherif")],
              note="Selon Mehdi Bouzid")
    original = read_document(path)
    output, replacements = pseudonymise(original.text)
    write_document(original, output, tmp_path / "p.odt", edits=replacements)
    pseudonymised = read_document(tmp_path / "p.odt")
    write_document(pseudonymised, original.text, tmp_path / "r.odt", edits=reverse_edits(audit_like(replacements)))
    assert read_document(tmp_path / "r.odt").text == original.text
    content = load_odt(str(tmp_path / "r.odt")).contentxml().decode()
    assert '<text:span text:style-name="Gras">Cherif</text:span>' in content


def test_documents_odt_output_does_not_depend_on_earlier_files(tmp_path) -> None:
    """odfpy declares every namespace the process has met: outputs must not show it."""
    from odf.draw import Frame, TextBox
    from odf.opendocument import OpenDocumentText
    from odf.text import P

    build_odt(tmp_path / "a.odt", LINES, split_names=[("Samia", "Cherif")])
    document = read_document(tmp_path / "a.odt")
    output, replacements = pseudonymise(document.text)
    write_document(document, output, tmp_path / "first.odt", edits=replacements)
    other = OpenDocumentText()
    frame = Frame(width="5cm", height="2cm", anchortype="paragraph")
    box = TextBox()
    box.addElement(P(text="Mehdi Bouzid"))
    frame.addElement(box)
    paragraph = P()
    paragraph.addElement(frame)
    other.text.addElement(paragraph)
    other.save(str(tmp_path / "b.odt"))
    second = read_document(tmp_path / "b.odt")
    assert second.text == "\nMehdi Bouzid"  # the text box is a paragraph of its own
    write_document(second, *pseudonymise(second.text)[:1], tmp_path / "b_out.odt")
    write_document(document, output, tmp_path / "again.odt", edits=replacements)
    assert (tmp_path / "again.odt").read_bytes() == (tmp_path / "first.odt").read_bytes()
