"""documents/docx_parts: every part of a .docx that holds text outside the paragraphs is
pseudonymised (alt text, tooltips) or removed (field instructions, bookmark and object names,
content-control names, custom properties, document variables...). The file is built by
hand, each part holding a name of its own, and every member of the output zip is searched."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from pathlib import Path

import docx
from lxml import etree

from anonymiser.documents import read_document, reverse_edits, write_document
from anonymiser.documents.docx_parts import GENERATED_BOOKMARK, bookmark_names

from .replacing import pseudonymise

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W, "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
      "pic": "http://schemas.openxmlformats.org/drawingml/2006/picture"}
# part -> the invented name it holds
REMOVED = {"custom": "Armelle Trévidic", "identifier": "Loïc Penven", "status": "Gwenaëlle Tanguy",
           "version": "Corentin Abgrall", "hyperlink base": "Maëlys Quillien", "template": "Ronan Gourvès",
           "bookmark": "Solenn_Prigent", "mailto": "tugdual.morvan@exemple.fr", "alias": "Katell Jaouen",
           "tag": "Riwal Cozic", "image name": "Mael Guivarch", "picture name": "Gael Riou",
           "variable": "Tanguy Pellen", "author argument": "Nolwenn Bihan", "username argument": "Erwan Caradec"}
PSEUDONYMISED = {"Nolwenn Bihan": "Léa Martin", "Erwan Caradec": "Paul Girard", "Enora Kerbrat": "Anne Roux",
                 "Titouan Madec": "Marc Petit", "Iwan Salaün": "Jean Morel", "Soizic Lannuzel": "Rose Blanc",
                 "Yuna Keraudren": "Lise Noir"}


def _png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0\0")) + chunk(b"IEND", b"")


def _field(instruction: str, shown: str) -> str:
    return (f'<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve">{instruction}'
            f'</w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>{shown}</w:t></w:r>'
            '<w:r><w:fldChar w:fldCharType="end"/></w:r>')


BODY = (
    '<w:p><w:r><w:t xml:space="preserve">Auteur : </w:t></w:r>' + _field(f' AUTHOR "{REMOVED["author argument"]}" ',
                                                                        "Nolwenn Bihan") + '</w:p>'
    '<w:p>' + _field(' HYPERLINK &quot;mailto:' + REMOVED["mailto"] + '&quot; ', "écrire ici") + '</w:p>'
    f'<w:p><w:fldSimple w:instr=\' USERNAME "{REMOVED["username argument"]}" \'><w:r><w:t>Erwan Caradec</w:t></w:r>'
    '</w:fldSimple></w:p>'
    f'<w:p><w:bookmarkStart w:id="7" w:name="{REMOVED["bookmark"]}"/><w:r><w:t>Le jardin.</w:t></w:r>'
    '<w:bookmarkEnd w:id="7"/></w:p>'
    '<w:p>' + _field(" REF " + REMOVED["bookmark"] + " \\h ", "Le jardin.") +
    f'<w:hyperlink w:anchor="{REMOVED["bookmark"]}" w:tooltip="Écrire à Soizic Lannuzel"><w:r><w:t>voir</w:t></w:r>'
    '</w:hyperlink></w:p>'
    '<w:p>' + _field(" PAGE ", "1") + '</w:p>'
    f'<w:sdt><w:sdtPr><w:alias w:val="{REMOVED["alias"]}"/><w:tag w:val="{REMOVED["tag"]}"/></w:sdtPr>'
    '<w:sdtContent><w:p><w:r><w:t>Une réponse.</w:t></w:r></w:p></w:sdtContent></w:sdt>'
    '<w:p><w:r><w:pict><v:shape xmlns:v="urn:schemas-microsoft-com:vml"'
    ' xmlns:o="urn:schemas-microsoft-com:office:office"'
    ' alt="Plan de Iwan Salaün" o:title="Carte de Yuna Keraudren"/></w:pict></w:r></w:p>'
)
CUSTOM = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Properties xmlns="http://schemas.openxmlformats.org/'
          'officeDocument/2006/custom-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/'
          'docPropsVTypes"><property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" name="Enquêté">'
          f'<vt:lpwstr>{REMOVED["custom"]}</vt:lpwstr></property></Properties>')


def build_docx_parts(path: Path) -> None:
    """A .docx with a name in every part that is not paragraph text."""
    document = docx.Document()
    props = document.core_properties
    props.identifier, props.content_status, props.version = (REMOVED["identifier"], REMOVED["status"],
                                                             REMOVED["version"])
    document.add_paragraph("Entretien du jeudi au jardin.")
    document.add_picture(io.BytesIO(_png()))
    saved = io.BytesIO()
    document.save(saved)
    members = {}
    with zipfile.ZipFile(saved) as archive:
        for name in archive.namelist():
            members[name] = archive.read(name)
    root = etree.fromstring(members["word/document.xml"])
    body = root.find("w:body", NS)
    fragment = etree.fromstring(f'<w:body xmlns:w="{W}">{BODY}</w:body>')
    for offset, element in enumerate(fragment):
        body.insert(offset, element)
    doc_pr = root.find(".//wp:docPr", NS)
    doc_pr.set("name", REMOVED["image name"])
    doc_pr.set("descr", "Portrait de Enora Kerbrat")
    doc_pr.set("title", "Titouan Madec au jardin")
    root.find(".//pic:cNvPr", NS).set("name", REMOVED["picture name"])
    members["word/document.xml"] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    app = members["docProps/app.xml"].decode()
    app = app.replace("<HyperlinkBase/>", f"<HyperlinkBase>{REMOVED['hyperlink base']}</HyperlinkBase>")
    app = app.replace("Normal.dotm", REMOVED["template"])
    app = app.replace("<vt:lpstr/>", f"<vt:lpstr>{REMOVED['custom']}</vt:lpstr>")
    members["docProps/app.xml"] = app.encode()
    settings = members["word/settings.xml"].decode()
    variables = f'<w:docVars><w:docVar w:name="enquete" w:val="{REMOVED["variable"]}"/></w:docVars>'
    members["word/settings.xml"] = settings.replace("</w:settings>", variables + "</w:settings>").encode()
    members["docProps/custom.xml"] = CUSTOM.encode()
    members["[Content_Types].xml"] = members["[Content_Types].xml"].replace(b"</Types>", (
        b'<Override PartName="/docProps/custom.xml" ContentType="application/vnd.openxmlformats-officedocument.'
        b'custom-properties+xml"/></Types>'))
    members["_rels/.rels"] = members["_rels/.rels"].replace(b"</Relationships>", (
        b'<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        b'custom-properties" Target="docProps/custom.xml"/></Relationships>'))
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)


def _leftovers(path: Path, names) -> list[tuple[str, str]]:
    found = []
    with zipfile.ZipFile(path) as archive:
        for member in archive.namelist():
            data = archive.read(member).decode("utf-8", "replace")
            for name in names:
                for word in name.replace("_", " ").replace("@", " ").replace(".", " ").split():
                    if len(word) >= 4 and word in data:
                        found.append((member, word))
    return found


def test_documents_docx_parts_every_name_is_gone_from_every_member(tmp_path) -> None:
    build_docx_parts(tmp_path / "in.docx")
    assert len(_leftovers(tmp_path / "in.docx", [*REMOVED.values(), *PSEUDONYMISED])) >= 20  # the file holds them
    document = read_document(tmp_path / "in.docx")
    output, replacements = pseudonymise(document.text, PSEUDONYMISED)
    write_document(document, output, tmp_path / "out.docx", edits=replacements)

    assert _leftovers(tmp_path / "out.docx", [*REMOVED.values(), *PSEUDONYMISED]) == []
    assert read_document(tmp_path / "out.docx").text == output
    assert "Marc Petit au jardin" in output and "Portrait de Anne Roux" in output and "Écrire à Rose Blanc" in output
    reopened = docx.Document(str(tmp_path / "out.docx"))  # still a Word file
    assert reopened.paragraphs[0].text == "Auteur : Léa Martin"


def test_documents_docx_parts_fields_bookmarks_and_objects(tmp_path) -> None:
    build_docx_parts(tmp_path / "in.docx")
    document = read_document(tmp_path / "in.docx")
    write_document(document, document.text, tmp_path / "out.docx")
    xml = zipfile.ZipFile(tmp_path / "out.docx").read("word/document.xml").decode()
    root = etree.fromstring(xml.encode())
    instructions = [e.text for e in root.iter(f"{{{W}}}instrText")]
    assert instructions == [" REF bookmark1 \\h ", " PAGE "]  # kept, the bookmark renamed with it
    assert [e.get(f"{{{W}}}name") for e in root.iter(f"{{{W}}}bookmarkStart")] == ["bookmark1"]
    assert [e.get(f"{{{W}}}anchor") for e in root.iter(f"{{{W}}}hyperlink")] == ["bookmark1"]
    assert root.find(".//wp:docPr", NS).get("name") == "Object 1"
    assert root.find(".//pic:cNvPr", NS).get("name") == "Object 2"
    assert "fldSimple" not in xml and "w:alias" not in xml and "w:tag " not in xml
    names = zipfile.ZipFile(tmp_path / "out.docx").namelist()
    assert "docProps/custom.xml" not in names and not any(n.startswith("customXml/") for n in names)
    assert b"custom.xml" not in zipfile.ZipFile(tmp_path / "out.docx").read("[Content_Types].xml")


def test_documents_docx_parts_alt_text_is_restored_by_reidentification(tmp_path) -> None:
    build_docx_parts(tmp_path / "in.docx")
    original = read_document(tmp_path / "in.docx")
    output, replacements = pseudonymise(original.text, PSEUDONYMISED)
    write_document(original, output, tmp_path / "p.docx", edits=replacements)
    pseudonymised = read_document(tmp_path / "p.docx")
    records = [{"record": "mention", "start": r.start, "end": r.end, "out_start": r.out_start,
                "out_end": r.out_end} for r in replacements]
    write_document(pseudonymised, original.text, tmp_path / "back.docx", edits=reverse_edits(records))
    assert read_document(tmp_path / "back.docx").text == original.text


def test_documents_docx_parts_generated_bookmarks_keep_their_names() -> None:
    assert all(GENERATED_BOOKMARK.fullmatch(n) for n in ("_GoBack", "_Toc123456", "_Ref99", "_Hlk5"))
    assert not any(GENERATED_BOOKMARK.fullmatch(n) for n in ("Solenn", "_Solenn", "Toc_Prigent"))
    root = etree.fromstring(f'<w:body xmlns:w="{W}"><w:bookmarkStart w:name="_GoBack"/>'
                            '<w:bookmarkStart w:name="B"/><w:bookmarkStart w:name="A"/><w:bookmarkStart w:name="B"/>'
                            '</w:body>')
    assert bookmark_names([root]) == {"B": "bookmark1", "A": "bookmark2"}
