"""Builders of .docx, .odt and table files for the tests, by hand with python-docx, odfpy
and pandas (no fixture files: what is tested is visible here)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path

import docx
import pandas as pd
from docx.enum.text import WD_COLOR_INDEX
from docx.oxml.ns import qn
from docx.shared import RGBColor
from odf.dc import Creator, Title
from odf.meta import InitialCreator
from odf.office import Annotation
from odf.opendocument import OpenDocumentText
from odf.style import Footer, Header, MasterPage, PageLayout, Style, TextProperties
from odf.table import Table, TableCell, TableColumn, TableRow
from odf.text import (
    A,
    H,
    LineBreak,
    List,
    ListItem,
    Note,
    NoteBody,
    NoteCitation,
    P,
    S,
    Span,
    Tab,
)

RED = RGBColor(0xC0, 0x10, 0x10)


def add_split_name(paragraph, before: str, first: str, last: str, after: str) -> None:
    """``before`` + "first " plain + "last" bold, italic, underlined, red + ``after``."""
    paragraph.add_run(before)
    paragraph.add_run(first + " ")
    run = paragraph.add_run(last)
    run.bold = run.italic = run.underline = True
    run.font.color.rgb = RED
    paragraph.add_run(after)


def build_docx(path: Path, lines: Sequence[str], *, table_rows: Sequence[Sequence[str]] = (),
               split_names: Sequence[tuple[str, str]] = ()) -> None:
    """A Word interview: a heading, ``lines`` as paragraphs (grid lines starting with "·" as
    bullets; the first occurrence of each name of ``split_names`` split across two runs),
    a table, a header, a footer, a comment, a bookmark and filled-in properties."""
    document = docx.Document()
    props = document.core_properties
    props.author, props.last_modified_by, props.title = "Samia Cherif", "Mehdi Bouzid", "Entretien Cherif"
    document.sections[0].header.paragraphs[0].text = "Confidentiel"
    document.sections[0].footer.paragraphs[0].text = "Transcription : Mehdi Bouzid"
    pending = list(split_names)
    for index, line in enumerate(lines):
        if index == 0:
            document.add_heading(line, level=1)
            continue
        style = "List Bullet" if line.startswith("·") else None
        paragraph = document.add_paragraph(style=style)
        name = next((n for n in pending if f"{n[0]} {n[1]}" in line), None)
        if name is not None:
            pending.remove(name)
            before, _, after = line.partition(f"{name[0]} {name[1]}")
            add_split_name(paragraph, before, name[0], name[1], after)
        else:
            paragraph.add_run(line)
    if table_rows:
        table = document.add_table(rows=len(table_rows), cols=len(table_rows[0]))
        for r, row in enumerate(table_rows):
            for c, value in enumerate(row):
                table.cell(r, c).text = value
    last = document.add_paragraph("Relu par ")
    highlighted = last.add_run("Samia Cherif")
    highlighted.font.highlight_color = WD_COLOR_INDEX.YELLOW
    document.add_comment(highlighted, text="Vérifier avec Mehdi Bouzid", author="Samia Cherif", initials="SC")
    bookmark = last._p.makeelement(qn("w:bookmarkStart"), {qn("w:id"): "0", qn("w:name"): "_GoBack"})
    last._p.append(bookmark)
    last._p.append(last._p.makeelement(qn("w:bookmarkEnd"), {qn("w:id"): "0"}))
    document.save(str(path))


def docx_paragraphs(path: Path | bytes) -> list[str]:
    """Text of every paragraph Word shows: headers, footers, body, tables, comments."""
    document = docx.Document(io.BytesIO(path) if isinstance(path, bytes) else str(path))
    texts = []
    for section in document.sections:
        texts += [p.text for p in section.header.paragraphs] + [p.text for p in section.footer.paragraphs]
    texts += [p.text for p in document.paragraphs]
    texts += [p.text for table in document.tables for row in table.rows for cell in row.cells
              for p in cell.paragraphs]
    texts += [p.text for comment in document.comments for p in comment.paragraphs]
    return texts


def build_odt(path: Path, lines: Sequence[str], *, table_rows: Sequence[Sequence[str]] = (),
              split_names: Sequence[tuple[str, str]] = (), note: str = "", link: str = "") -> None:
    """An OpenDocument interview: heading, paragraphs (names split into a bold span),
    a list, a table, header and footer, a footnote, a comment, a link, meta data."""
    document = OpenDocumentText()
    bold = Style(name="Gras", family="text")
    bold.addElement(TextProperties(fontweight="bold", fontstyle="italic", color="#c01010"))
    document.automaticstyles.addElement(bold)
    layout = PageLayout(name="pm1")
    document.automaticstyles.addElement(layout)
    master = MasterPage(name="Standard", pagelayoutname=layout)
    header, footer = Header(), Footer()
    header.addElement(P(text="Confidentiel"))
    footer.addElement(P(text="Transcription : Mehdi Bouzid"))
    master.addElement(header)
    master.addElement(footer)
    document.masterstyles.addElement(master)
    document.meta.addElement(Creator(text="Samia Cherif"))
    document.meta.addElement(InitialCreator(text="Mehdi Bouzid"))
    document.meta.addElement(Title(text="Entretien Cherif"))
    pending = list(split_names)
    bullets = List()
    for index, line in enumerate(lines):
        if index == 0:
            document.text.addElement(H(outlinelevel=1, text=line))
            continue
        paragraph = P()
        name = next((n for n in pending if f"{n[0]} {n[1]}" in line), None)
        if name is not None:
            pending.remove(name)
            before, _, after = line.partition(f"{name[0]} {name[1]}")
            paragraph.addText(before + name[0] + " ")
            paragraph.addElement(Span(stylename=bold, text=name[1]))
            paragraph.addText(after)
        else:
            _add_text(paragraph, line)
        if line.startswith("·"):
            item = ListItem()
            item.addElement(paragraph)
            bullets.addElement(item)
            continue
        if bullets.childNodes:
            document.text.addElement(bullets)
            bullets = List()
        document.text.addElement(paragraph)
    if bullets.childNodes:
        document.text.addElement(bullets)
    if table_rows:
        table = Table(name="T1")
        table.addElement(TableColumn(numbercolumnsrepeated=len(table_rows[0])))
        for row in table_rows:
            table_row = TableRow()
            for value in row:
                cell = TableCell()
                cell.addElement(P(text=value))
                table_row.addElement(cell)
            table.addElement(table_row)
        document.text.addElement(table)
    last = P(text="Relu par Samia Cherif.")
    if note:
        footnote = Note(noteclass="footnote", id="ftn1")
        footnote.addElement(NoteCitation(text="1"))
        body = NoteBody()
        body.addElement(P(text=note))
        footnote.addElement(body)
        last.addElement(footnote)
    comment = Annotation()
    comment.addElement(Creator(text="Samia Cherif"))
    comment.addElement(P(text="Vérifier avec Mehdi Bouzid"))
    last.addElement(comment)
    if link:
        last.addText(" Contact : ")
        last.addElement(A(href=f"mailto:{link}", text=link))
    last.addElement(LineBreak())
    last.addText("Fin.")
    document.text.addElement(last)
    document.save(str(path))


def _add_text(paragraph: P, line: str) -> None:
    """Text with tabs as ``text:tab`` and runs of spaces as ``text:s``, as office suites write them."""
    for number, chunk in enumerate(line.split("\t")):
        if number:
            paragraph.addElement(Tab())
        for index, part in enumerate(chunk.split("  ")):
            if index:
                paragraph.addText(" ")
                paragraph.addElement(S())
            if part:
                paragraph.addText(part)


def write_table(path: Path, rows: Sequence[dict[str, object]], *, sep: str = ";", encoding: str = "utf-8") -> None:
    frame = pd.DataFrame(list(rows))
    if path.suffix == ".csv":
        path.write_bytes(frame.to_csv(sep=sep, index=False, lineterminator="\r\n").encode(encoding))
    else:
        frame.to_excel(path, index=False, sheet_name="Entretiens")
