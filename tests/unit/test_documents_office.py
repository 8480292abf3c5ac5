"""Structured documents without the model: .docx, .odt, .csv, .xlsx read into text, written
back with replacements (the real ``replace_spans``), reopened with the same libraries."""

from __future__ import annotations

import io
import re
import zipfile

import docx
import pandas as pd
import pytest
from odf.opendocument import load as load_odt

from anonymiser.detect.spans import split_at_units, without_artefacts
from anonymiser.documents import (
    TableOptions,
    read_document,
    reverse_edits,
    with_text,
    write_document,
)
from anonymiser.documents.units import Edit, EditError, Units
from anonymiser.errors import DocumentError
from anonymiser.model import Document, Entity, Layout, Span
from anonymiser.render.replace import replace_spans

from .office import RED, build_docx, build_odt, docx_paragraphs, write_table

LINES = [
    "Entretien avec Samia Cherif",
    "Présentation : Samia Cherif travaille à Rezé avec Mehdi Bouzid.",
    "· Finalités affichées : jardiner ensemble, avec  deux espaces.",
    "Tabulation\tpuis fin. [bookmark: _GoBack]",
]
PSEUDONYMS = {"Samia Cherif": "Léa Martin", "Mehdi Bouzid": "Paul Girard", "Rezé": "[COMMUNE_1]",
              "Cherif": "Martin", "Bouzid": "Girard", "mehdi.bouzid@tss.fr": "[EMAIL_1]"}


def pseudonymise(text: str, table: dict[str, str] = PSEUDONYMS):
    """Replace every form of ``table`` (longest first) with the real replace stage."""
    pattern = re.compile("|".join(re.escape(k) for k in sorted(table, key=len, reverse=True)))
    entity = Entity("X-0001", "PERSON", "x", ("x",), "y")
    mentions = [(Span.of(text, m.start(), m.end(), "PERSON"), entity) for m in pattern.finditer(text)]
    return replace_spans(text, mentions, lambda span, _e: table[span.text])


def audit_like(replacements) -> list[dict[str, object]]:
    return [{"record": "mention", "start": r.start, "end": r.end, "out_start": r.out_start,
             "out_end": r.out_end} for r in replacements]


# -- docx ----------------------------------------------------------------------------------
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


# -- odt -----------------------------------------------------------------------------------
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


# -- tables --------------------------------------------------------------------------------
ROWS = [{"participant": "Samia Cherif", "âge": 41, "réponse": "Je travaille avec Mehdi Bouzid\nà Rezé.",
         "courriel": "s@x.fr"},
        {"participant": "Mehdi Bouzid", "âge": 38, "réponse": "Rien.", "courriel": "m@x.fr"}]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_documents_tables_columns_ids_and_drop(tmp_path, suffix: str) -> None:
    path = tmp_path / f"t{suffix}"
    write_table(path, ROWS)
    options = TableOptions.parse(columns="réponse", drop="courriel", ids="participant")
    document = read_document(path, table_options=options)
    assert document.text == "Samia Cherif\nJe travaille avec Mehdi Bouzid\u2028à Rezé.\nMehdi Bouzid\nRien."
    assert document.layout is not None
    assert [name for _, name in document.layout.fields] == ["participant", "réponse", "participant", "réponse"]
    second = document.text.index("\nMehdi") + 1
    assert document.layout.spans == ((0, 12, "PERSON"), (second, second + 12, "PERSON"))
    output, replacements = pseudonymise(document.text)
    write_document(document, output, tmp_path / "out" / path.name, edits=replacements)
    written = tmp_path / "out" / path.name
    frame = (pd.read_csv(written, sep=";", dtype=str, keep_default_na=False) if suffix == ".csv"
             else pd.read_excel(written, dtype=object))
    assert list(frame.columns) == ["participant", "âge", "réponse"]
    assert list(frame["participant"]) == ["Léa Martin", "Paul Girard"]
    assert frame["réponse"][0] == "Je travaille avec Paul Girard\nà [COMMUNE_1]."
    assert str(frame["âge"][0]) == "41"
    again = read_document(written, table_options=TableOptions(tuple(document.layout.columns)))
    assert again.text == output
    write_document(document, output, tmp_path / f"again{suffix}", edits=replacements)
    assert (tmp_path / f"again{suffix}").read_bytes() == written.read_bytes()


def test_documents_tables_unknown_column_is_refused(tmp_path) -> None:
    path = tmp_path / "t.csv"
    write_table(path, ROWS)
    with pytest.raises(DocumentError, match="no column named 'verbatim'"):
        read_document(path, table_options=TableOptions.parse(columns="verbatim"))


def test_documents_csv_keeps_encoding_and_separator(tmp_path) -> None:
    path = tmp_path / "t.csv"
    write_table(path, ROWS, sep=";", encoding="cp1252")
    document = read_document(path)
    assert document.encoding == "cp1252"
    write_document(document, document.text, tmp_path / "same.csv")
    assert (tmp_path / "same.csv").read_bytes() == path.read_bytes()


# -- text encodings and line endings -------------------------------------------------------
@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_documents_utf16_without_bom(tmp_path, encoding: str) -> None:
    text = "Entretien avec Samia Cherif\r\nà Rezé.\n"
    path = tmp_path / "e.txt"
    path.write_bytes(text.encode(encoding))
    document = read_document(path)
    assert (document.text, document.encoding) == (text, encoding)
    write_document(document, document.text, tmp_path / "o.txt")
    assert (tmp_path / "o.txt").read_bytes() == path.read_bytes()


def test_documents_markdown_keeps_mixed_line_endings(tmp_path) -> None:
    data = "# Entretien\r\n\r\nSamia Cherif\rà Rezé\n".encode()
    path = tmp_path / "e.md"
    path.write_bytes(data)
    document = read_document(path)
    output, replacements = pseudonymise(document.text)
    write_document(document, output, tmp_path / "o.md", edits=replacements)
    assert (tmp_path / "o.md").read_bytes() == "# Entretien\r\n\r\nLéa Martin\rà [COMMUNE_1]\n".encode()


# -- unreadable documents ------------------------------------------------------------------
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


def test_documents_docx_not_a_word_file(tmp_path) -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("hello.txt", "Samia Cherif")
    (tmp_path / "x.docx").write_bytes(out.getvalue())
    with pytest.raises(DocumentError) as info:
        read_document(tmp_path / "x.docx")
    assert "x.docx" in str(info.value) and "Cherif" not in str(info.value)


# -- units ---------------------------------------------------------------------------------
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


def test_documents_split_at_units_cuts_crossing_spans() -> None:
    text = "rue des\nLilas ici"
    document = Document("d", text, layout=Layout("docx"))
    span = Span.of(text, 4, 13, "ADDRESS")
    split = split_at_units(document, (span,))
    assert [s.text for s in split] == ["des", "Lilas"]
    assert split_at_units(Document("d", text), (span,)) == (span,)  # plain text: no units to respect
    assert with_text(document, text).layout is not None


def test_documents_conversion_artefacts_are_not_masked() -> None:
    text = "Vu [bookmark: _GoBack] Isabelle.\n[bookmark: _Toc12]"
    spans = (Span.of(text, 14, 20, "PERSON"), Span.of(text, 23, 31, "PERSON"), Span.of(text, 45, 50, "ORGANIZATION"))
    kept = without_artefacts(text, spans)
    assert [s.text for s in kept] == ["Isabelle"]


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
