"""documents/docx: a .docx read as one line per paragraph (body, tables, headers, footers, comments,
link targets) and written back run by run, with its formatting, byte-identical, without authors.
Files are built by hand (``office.py``), replacements made by the real replace stage."""

from __future__ import annotations

import io
import zipfile

import docx
import pytest

from anonymiser.documents import read_document, reverse_edits, write_document
from anonymiser.errors import DocumentError

from .office import RED, build_docx, docx_paragraphs
from .replacing import LINES, audit_like, pseudonymise


def test_documents_docx_text_is_one_line_per_paragraph(tmp_path) -> None:
    path = tmp_path / "e.docx"
    build_docx(path, LINES, table_rows=[["Nom", "Mehdi Bouzid"], ["Commune", "Rezé"]],
               split_names=[("Samia", "Cherif")])
    document = read_document(path)
    assert document.layout is not None and document.layout.format == "docx"
    assert document.text.split("\n") == [
        "Confidentiel", "Transcription : Mehdi Bouzid", *LINES, "Nom", "Mehdi Bouzid", "Commune", "Rezé",
        "Relu par Samia Cherif", "Vérifier avec Mehdi Bouzid"]


def test_documents_docx_written_back_with_formatting(tmp_path) -> None:
    path = tmp_path / "e.docx"
    build_docx(path, LINES, table_rows=[["Nom", "Mehdi Bouzid"]], split_names=[("Samia", "Cherif")])
    document = read_document(path)
    output, replacements = pseudonymise(document.text)
    write_document(document, output, tmp_path / "out" / "e.docx", edits=replacements)
    result = tmp_path / "out" / "e.docx"

    assert read_document(result).text == output  # the reader sees what the writer meant
    paragraphs = docx_paragraphs(result)
    assert not any(form in p for p in paragraphs for form in ("Cherif", "Bouzid", "Rezé"))
    assert "[bookmark: _GoBack]" in "\n".join(paragraphs)
    reopened = docx.Document(str(result))
    body = reopened.paragraphs
    assert body[0].style.name == "Heading 1" and body[0].text == "Entretien avec Léa Martin"
    assert body[2].style.name == "List Bullet"
    split = [(r.text, r.bold, r.italic, r.underline, r.font.color.rgb) for r in body[1].runs]
    assert split == [("Présentation : ", None, None, None, None), ("Léa ", None, None, None, None),
                     ("Martin", True, True, True, RED),
                     (" travaille à [COMMUNE_1] avec Paul Girard.", None, None, None, None)]
    assert reopened.tables[0].cell(0, 1).text == "Paul Girard"
    assert any(r.font.highlight_color is not None and r.text == "Léa Martin" for r in body[-1].runs)
    assert reopened.sections[0].footer.paragraphs[0].text == "Transcription : Paul Girard"
    props = reopened.core_properties
    assert (props.author, props.last_modified_by, props.title) == ("", "", "")
    assert [(c.author, c.initials) for c in reopened.comments] == [("", "")]
    assert 'w:name="_GoBack"' in zipfile.ZipFile(result).read("word/document.xml").decode()
    for name in zipfile.ZipFile(result).namelist():
        data = zipfile.ZipFile(result).read(name)
        assert b"Cherif" not in data and b"Bouzid" not in data, name


def test_documents_docx_output_is_byte_identical(tmp_path) -> None:
    path = tmp_path / "e.docx"
    build_docx(path, LINES, split_names=[("Samia", "Cherif")])
    document = read_document(path)
    output, replacements = pseudonymise(document.text)
    write_document(document, output, tmp_path / "a.docx", edits=replacements)
    write_document(document, output, tmp_path / "b.docx", edits=replacements)
    assert (tmp_path / "a.docx").read_bytes() == (tmp_path / "b.docx").read_bytes()
    assert {i.date_time for i in zipfile.ZipFile(tmp_path / "a.docx").infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_documents_docx_reverse_restores_paragraphs_and_runs(tmp_path) -> None:
    path = tmp_path / "e.docx"
    build_docx(path, LINES, table_rows=[["Nom", "Mehdi Bouzid"]], split_names=[("Samia", "Cherif")])
    original = read_document(path)
    output, replacements = pseudonymise(original.text)
    write_document(original, output, tmp_path / "p.docx", edits=replacements)
    pseudonymised = read_document(tmp_path / "p.docx")
    write_document(pseudonymised, original.text, tmp_path / "r.docx", edits=reverse_edits(audit_like(replacements)))
    assert docx_paragraphs(tmp_path / "r.docx") == docx_paragraphs(path)
    runs = [(r.text, r.bold, r.italic) for r in docx.Document(str(tmp_path / "r.docx")).paragraphs[1].runs]
    assert runs == [(r.text, r.bold, r.italic) for r in docx.Document(str(path)).paragraphs[1].runs]


def test_documents_docx_mailto_link_target_is_a_unit(tmp_path) -> None:
    document = docx.Document()
    paragraph = document.add_paragraph("Écrire à ")
    r_id = document.part.relate_to("mailto:mehdi.bouzid@tss.fr", docx.opc.constants.RELATIONSHIP_TYPE.HYPERLINK,
                                   is_external=True)
    link = paragraph._p.makeelement(docx.oxml.ns.qn("w:hyperlink"), {docx.oxml.ns.qn("r:id"): r_id})
    run = paragraph.add_run("mehdi.bouzid@tss.fr")
    link.append(run._r)
    paragraph._p.append(link)
    document.save(str(tmp_path / "l.docx"))
    read = read_document(tmp_path / "l.docx")
    assert read.text == "Écrire à mehdi.bouzid@tss.fr\nmailto:mehdi.bouzid@tss.fr"
    output, replacements = pseudonymise(read.text)
    write_document(read, output, tmp_path / "o.docx", edits=replacements)
    xml = b"".join(zipfile.ZipFile(tmp_path / "o.docx").read(n) for n in zipfile.ZipFile(tmp_path / "o.docx").namelist())
    assert b"bouzid" not in xml and b"mailto:[EMAIL_1]" in xml


def test_documents_docx_not_a_word_file(tmp_path) -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("hello.txt", "Samia Cherif")
    (tmp_path / "x.docx").write_bytes(out.getvalue())
    with pytest.raises(DocumentError) as info:
        read_document(tmp_path / "x.docx")
    assert "x.docx" in str(info.value) and "Cherif" not in str(info.value)


@pytest.mark.parametrize("entity", [
    b'<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/hostname">]>',
    b'<!DOCTYPE w:document [<!ENTITY xxe "Samia Cherif">]>',
])
def test_documents_docx_a_part_with_a_dtd_is_refused_not_written_malformed(tmp_path, entity) -> None:
    build_docx(tmp_path / "i.docx", LINES)
    source = zipfile.ZipFile(tmp_path / "i.docx")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "word/document.xml":
                head, rest = data.split(b"?>", 1)
                data = head + b"?>" + entity + rest.replace(b"Samia", b"&xxe;", 1)
            archive.writestr(item, data)
    (tmp_path / "x.docx").write_bytes(out.getvalue())
    with pytest.raises(DocumentError) as info:
        read_document(tmp_path / "x.docx")
    assert "x.docx" in str(info.value) and "Cherif" not in str(info.value)
