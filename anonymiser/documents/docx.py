"""Word .docx documents through python-docx: one unit per paragraph, one owner per run.

Every ``w:p`` of the stories Word shows (headers, footers, body with its tables and text
boxes, footnotes, endnotes, comments) is a unit, in that order; its own runs (also those
inside hyperlinks, fields, tracked changes and content controls, not those of a nested
paragraph) are its owners. External hyperlink targets (``mailto:...``) come next, one unit
each, then alt texts and tooltips (``docx_parts``). Document properties, comment and
revision authors are scrubbed; field instructions, bookmark and object names, content-control
names and the parts that hold other text are removed or neutralised (``docx_parts``).
"""

from __future__ import annotations

import io
import itertools
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from docx import Document as open_docx
from docx.document import Document as WordDocument
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.package import OpcPackage
from docx.opc.part import Part, XmlPart
from docx.opc.rel import _Relationship
from lxml import etree

from anonymiser.documents import docx_parts
from anonymiser.documents.units import SOFT_BREAK, Edit, Owner, Units, deterministic_zip, non_empty
from anonymiser.errors import DocumentError
from anonymiser.i18n import N_

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


P, R, T, DEL_TEXT = _w("p"), _w("r"), _w("t"), _w("delText")
ATOMS = {_w("t"): None, _w("delText"): None, _w("tab"): "\t", _w("ptab"): "\t", _w("br"): SOFT_BREAK,
         _w("cr"): SOFT_BREAK, _w("noBreakHyphen"): "\u2011"}
WML = "application/vnd.openxmlformats-officedocument.wordprocessingml."
# stories in reading order: headers and footers first (they precede the first grid question)
STORY_ORDER = {WML + "header+xml": 0, WML + "footer+xml": 1, WML + "document.main+xml": 2,
               WML + "footnotes+xml": 3, WML + "endnotes+xml": 4, WML + "comments+xml": 5}
CORE_TYPE = "application/vnd.openxmlformats-package.core-properties+xml"
APP_TYPE = "application/vnd.openxmlformats-officedocument.extended-properties+xml"
CORE_SCRUBBED = ("creator", "lastModifiedBy", "title", "subject", "keywords", "description", "category",
                 "identifier", "contentStatus", "version")
APP_SCRUBBED = ("Company", "Manager", "HyperlinkBase", "Template")
APP_REMOVED = ("TitlesOfParts", "HeadingPairs")  # the title again, and how many titles
AUTHOR_ATTRIBUTES = {"author", "initials", "userId"}
THUMBNAIL = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/thumbnail"


def _atom_text(atom: etree._Element) -> str:
    fixed = ATOMS[atom.tag]
    if fixed is not None:
        return fixed
    return (atom.text or "").replace("\r", " ").replace("\n", " ")


class RunOwner:
    """One ``w:r``: its text atoms (``w:t``, ``w:tab``, ``w:br``...) make its text."""

    def __init__(self, run: etree._Element) -> None:
        self.run = run
        self.text = "".join(_atom_text(child) for child in run if child.tag in ATOMS)

    def write(self, text: str) -> None:
        atoms = [child for child in self.run if child.tag in ATOMS]
        deleted = any(atom.tag == DEL_TEXT for atom in atoms)
        position = self.run.index(atoms[0]) if atoms else len(self.run)
        for atom in atoms:
            self.run.remove(atom)
        for offset, element in enumerate(_atoms_for(text, DEL_TEXT if deleted else T)):
            self.run.insert(position + offset, element)


def _atoms_for(text: str, text_tag: str) -> Iterator[etree._Element]:
    buffer = ""
    specials = {"\t": _w("tab"), SOFT_BREAK: _w("br"), "\u2011": _w("noBreakHyphen")}
    for char in text + "\0":
        if char in specials or char == "\0":
            if buffer:
                element = etree.Element(text_tag)
                element.text = buffer
                element.set(XML_SPACE, "preserve")
                yield element
                buffer = ""
            if char != "\0":
                yield etree.Element(specials[char])
        else:
            buffer += char


class LinkOwner:
    """The target of an external hyperlink relationship (``mailto:...``, ``https://...``)."""

    def __init__(self, relationship: _Relationship) -> None:
        self.relationship = relationship
        self.text = str(relationship.target_ref)

    def write(self, text: str) -> None:
        self.relationship._target = text  # python-docx keeps it there


def _own_runs(element: etree._Element) -> Iterator[etree._Element]:
    """Runs of a paragraph, in order, without descending into nested paragraphs."""
    for child in element:
        if child.tag == R:
            yield child
        elif child.tag != P and isinstance(child.tag, str):
            yield from _own_runs(child)


@dataclass
class DocxFile:
    """An opened .docx, its XML stories and its units."""

    document: WordDocument
    roots: list[tuple[Part, etree._Element]]
    units: Units


def _story_root(part: Part) -> etree._Element:
    if isinstance(part, XmlPart):
        return part.element
    return etree.fromstring(part.blob)


def open_file(data: bytes, path: str) -> DocxFile:
    """Open a .docx from bytes; unreadable files raise a one-line ``DocumentError``."""
    if data.startswith(OLE_MAGIC):
        raise DocumentError(path, N_("password-protected or legacy binary Word file (save it as .docx)"))
    try:
        document = open_docx(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise DocumentError(path, N_("not a valid .docx (damaged zip)")) from None
    except (KeyError, ValueError, etree.XMLSyntaxError) as exc:
        raise DocumentError(path, N_("not a valid .docx (%(kind)s)"), kind=type(exc).__name__) from None
    except Exception as exc:
        raise DocumentError(path, N_("cannot read .docx (%(kind)s)"), kind=type(exc).__name__) from None
    package = document.part.package
    stories = sorted((p for p in package.iter_parts() if p.content_type in STORY_ORDER),
                     key=lambda p: (STORY_ORDER[p.content_type], str(p.partname)))
    try:
        roots = [(part, _story_root(part)) for part in stories]
    except etree.XMLSyntaxError:
        raise DocumentError(path, N_("not a valid .docx (damaged XML)")) from None
    units: list[list[Owner]] = []
    for _part, root in roots:
        for paragraph in root.iter(P):
            units.append([RunOwner(run) for run in _own_runs(paragraph)])
    for part, _root in roots:
        for rel in part.rels.values():
            if rel.is_external and rel.reltype == RT.HYPERLINK:
                units.append([LinkOwner(rel)])
    units.extend([owner] for owner in docx_parts.attribute_owners(root for _part, root in roots))
    try:
        layout = Units(units)
    except ValueError:
        raise DocumentError(path, N_("unexpected line break in a paragraph")) from None
    return DocxFile(document, roots, layout)


def read_text(data: bytes, path: str) -> str:
    return non_empty(open_file(data, path).units.text, path)


def render(data: bytes, path: str, text: str, edits: Sequence[Edit] | None) -> bytes:
    """The .docx bytes with ``text`` written back run by run, metadata scrubbed."""
    opened = open_file(data, path)
    opened.units.write(text, edits)
    bookmarks = docx_parts.bookmark_names(root for _part, root in opened.roots)
    objects = itertools.count(1)
    for part, root in opened.roots:
        docx_parts.scrub_story(root, bookmarks, objects)
        _scrub_authors(root)
        if not isinstance(part, XmlPart):
            part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    package = opened.document.part.package
    _scrub_properties(package)
    _drop_thumbnail(package)
    docx_parts.drop_parts(package)
    out = io.BytesIO()
    opened.document.save(out)
    return deterministic_zip(out.getvalue())


def _scrub_authors(root: etree._Element) -> None:
    for element in root.iter():
        for name in list(element.attrib):
            if etree.QName(name).localname in AUTHOR_ATTRIBUTES:
                element.set(name, "")


def _scrub_properties(package: OpcPackage) -> None:
    """Clear who wrote the file and what it is called (core and extended properties, found
    by content type: some writers use relationship types python-docx does not know), and
    the authors in every other Word part (``people.xml``, extended comments)."""
    for part in package.iter_parts():
        content_type = part.content_type
        if content_type in STORY_ORDER:
            continue
        names: tuple[str, ...]
        if content_type == CORE_TYPE:
            names = CORE_SCRUBBED
        elif content_type == APP_TYPE:
            names = APP_SCRUBBED
        elif content_type.startswith(WML) and content_type.endswith("+xml"):
            names = ()
        else:
            continue
        root = part.element if isinstance(part, XmlPart) else etree.fromstring(part.blob)
        for element in list(root):
            if isinstance(element.tag, str) and content_type == APP_TYPE \
                    and etree.QName(element).localname in APP_REMOVED:
                root.remove(element)
            elif isinstance(element.tag, str) and etree.QName(element).localname in names:
                for child in list(element):
                    element.remove(child)
                element.text = ""
        _scrub_authors(root)
        if not isinstance(part, XmlPart):
            part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _drop_thumbnail(package: OpcPackage) -> None:
    """A thumbnail is a picture of the first page: it is not copied to the output."""
    rels = package.rels
    for rid in [rid for rid, rel in rels.items() if rel.reltype == THUMBNAIL]:
        del rels[rid]
