"""documents/odt: the texts of an .odt that are not paragraphs (alt text, field values, link
titles) are pseudonymised, and its names (bookmarks, objects, the template) are neutralised
or removed. The file is built by hand, each part holding a name of its own, and every member
of the output zip is searched."""

from __future__ import annotations

import zipfile
from pathlib import Path

from odf.draw import Frame, Image
from odf.meta import Template
from odf.opendocument import OpenDocumentText
from odf.svg import Desc, Title
from odf.text import A, BookmarkEnd, BookmarkRef, BookmarkStart, P, UserFieldDecl, UserFieldDecls, UserFieldGet

from anonymiser.documents import read_document, reverse_edits, write_document
from anonymiser.documents.odt import GENERATED_BOOKMARK

from .replacing import audit_like, pseudonymise

REMOVED = {"bookmark": "Solenn_Prigent", "object": "Mael Guivarch", "template title": "Armelle Trévidic",
           "template href": "corentin.abgrall"}
PSEUDONYMISED = {"Tanguy Pellen": "Léa Martin", "Enora Kerbrat": "Anne Roux", "Titouan Madec": "Marc Petit",
                 "Soizic Lannuzel": "Rose Blanc"}


def build_odt_parts(path: Path) -> None:
    """An .odt with a name in every part that is not paragraph text."""
    document = OpenDocumentText()
    document.meta.addElement(Template(href=f"file:///home/{REMOVED['template href']}/modele.ott",
                                      title=f"Modèle {REMOVED['template title']}", type="simple"))
    declarations = UserFieldDecls()
    declarations.addElement(UserFieldDecl(name="enquete", valuetype="string", stringvalue="Tanguy Pellen"))
    document.text.addElement(declarations)
    first = P(text="Entretien avec ")
    first.addElement(UserFieldGet(name="enquete", text="Tanguy Pellen"))
    document.text.addElement(first)
    marked = P()
    marked.addElement(BookmarkStart(name=REMOVED["bookmark"]))
    marked.addText("Le jardin.")
    marked.addElement(BookmarkEnd(name=REMOVED["bookmark"]))
    document.text.addElement(marked)
    see = P(text="Voir ")
    see.addElement(BookmarkRef(refname=REMOVED["bookmark"], referenceformat="text", text="Le jardin."))
    see.addElement(A(href=f"#{REMOVED['bookmark']}", title="Écrire à Soizic Lannuzel", text=" ici"))
    document.text.addElement(see)
    pictured = P(text="Une photo : ")
    frame = Frame(name=REMOVED["object"], anchortype="as-char", width="1cm", height="1cm")
    frame.addElement(Image(href="Pictures/p.png", type="simple", show="embed", actuate="onLoad"))
    frame.addElement(Title(text="Titouan Madec au jardin"))
    frame.addElement(Desc(text="Portrait de Enora Kerbrat"))
    pictured.addElement(frame)
    document.text.addElement(pictured)
    document.save(str(path))


def _leftovers(path: Path, names) -> list[tuple[str, str]]:
    found = []
    with zipfile.ZipFile(path) as archive:
        for member in archive.namelist():
            data = archive.read(member).decode("utf-8", "replace")
            found += [(member, word) for name in names for word in name.replace("_", " ").replace(".", " ").split()
                      if len(word) >= 4 and word in data]
    return found


def test_documents_odt_parts_every_name_is_gone_from_every_member(tmp_path) -> None:
    build_odt_parts(tmp_path / "in.odt")
    assert len(_leftovers(tmp_path / "in.odt", [*REMOVED.values(), *PSEUDONYMISED])) >= 12  # the file holds them
    document = read_document(tmp_path / "in.odt")
    output, replacements = pseudonymise(document.text, PSEUDONYMISED)
    write_document(document, output, tmp_path / "out.odt", edits=replacements)

    assert _leftovers(tmp_path / "out.odt", [*REMOVED.values(), *PSEUDONYMISED]) == []
    assert read_document(tmp_path / "out.odt").text == output
    assert output.split("\n")[-5:] == ["#bookmark1", "Léa Martin", "Écrire à Rose Blanc", "Marc Petit au jardin",
                                        "Portrait de Anne Roux"]
    content = zipfile.ZipFile(tmp_path / "out.odt").read("content.xml").decode()
    assert content.count('text:name="bookmark1"') == 2 and 'text:ref-name="bookmark1"' in content
    assert 'xlink:href="#bookmark1"' in content and 'draw:name="Object1"' in content
    assert "meta:template" not in zipfile.ZipFile(tmp_path / "out.odt").read("meta.xml").decode()

    back = read_document(tmp_path / "out.odt")
    write_document(back, document.text, tmp_path / "back.odt", edits=reverse_edits(audit_like(replacements)))
    assert read_document(tmp_path / "back.odt").text == document.text  # re-identification restores the texts


def test_documents_odt_parts_generated_bookmarks_keep_their_names() -> None:
    assert all(GENERATED_BOOKMARK.fullmatch(n) for n in ("__RefHeading___Toc12_34", "__RefHeading__5_6", "_GoBack"))
    assert not any(GENERATED_BOOKMARK.fullmatch(n) for n in ("Solenn", "_Prigent", "RefSolenn"))
