"""The parts of a .docx that hold text outside its paragraphs: pseudonymised as units, or removed.

Pseudonymised (units after the paragraphs and link targets): the alt text of images and
shapes (``descr`` and ``title`` of ``wp:docPr`` and ``pic:cNvPr``, VML ``alt`` and
``o:title``) and hyperlink tooltips. Neutralised: object names (``Object 1``...) and
bookmark names that Word did not generate (``bookmark1``..., their references renamed with
them). Removed: the instructions of fields other than those without free text (the field is
replaced by the text it shows, pseudonymised with the paragraph), content-control ``alias``
and ``tag``, document variables, mail-merge settings and the attached template, the custom
properties part, custom XML data parts and the glossary (building blocks).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from docx.opc.package import OpcPackage
from docx.opc.part import Part, XmlPart
from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
VML = "urn:schemas-microsoft-com:vml"
OFFICE = "urn:schemas-microsoft-com:office:office"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
REMOVED_PACKAGE_RELS = {REL_NS + "custom-properties"}
REMOVED_PART_RELS = {REL_NS + "customXml", REL_NS + "glossaryDocument", REL_NS + "attachedTemplate"}
SETTINGS_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"
SETTINGS_REMOVED = {"docVars", "attachedTemplate", "mailMerge"}
# fields whose instruction holds no free text: kept; every other field becomes its shown text
KEPT_FIELDS = {"PAGE", "NUMPAGES", "SECTIONPAGES", "SECTION", "TOC", "REF", "PAGEREF", "NOTEREF", "SEQ",
               "DATE", "TIME", "PRINTDATE", "SAVEDATE", "CREATEDATE", "EDITTIME", "NUMWORDS", "NUMCHARS",
               "LISTNUM", "AUTONUM", "AUTONUMLGL", "AUTONUMOUT"}
# names Word makes up itself (_GoBack, _Toc123, _Ref456, _Hlk789): no text of anyone in them
GENERATED_BOOKMARK = re.compile(r"_(?:GoBack|Toc|Ref|Hlk|Hlt)?\d*")


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


FLD_CHAR, INSTR, DEL_INSTR = _w("fldChar"), _w("instrText"), _w("delInstrText")
FLD_SIMPLE, SDT_PR = _w("fldSimple"), _w("sdtPr")
FLD_TYPE, INSTR_ATTR, NAME_ATTR, VAL = _w("fldCharType"), _w("instr"), _w("name"), _w("val")
OBJECT_NAMES = {"docPr", "cNvPr"}


def _flat(value: str) -> str:
    return value.replace("\r", " ").replace("\n", " ")


class AttributeOwner:
    """A text-bearing attribute (alt text, tooltip): its value is a unit of its own."""

    def __init__(self, element: etree._Element, name: str) -> None:
        self.element, self.name = element, name
        self.text = _flat(element.get(name, ""))

    def write(self, text: str) -> None:
        self.element.set(self.name, text)


def attribute_owners(roots: Iterable[etree._Element]) -> list[AttributeOwner]:
    """The alt texts (images, shapes, VML) and hyperlink tooltips of the stories, in order."""
    owners: list[AttributeOwner] = []
    for root in roots:
        for element in root.iter():
            if not isinstance(element.tag, str):
                continue
            qname = etree.QName(element)
            if qname.localname in OBJECT_NAMES:
                names = ["descr", "title"]
            elif element.tag == _w("hyperlink"):
                names = [_w("tooltip")]
            elif qname.namespace == VML:
                names = ["alt", f"{{{OFFICE}}}title"]
            else:
                continue
            owners.extend(AttributeOwner(element, name) for name in names if element.get(name, "").strip())
    return owners


@dataclass
class _Field:
    begin: etree._Element
    instructions: list[etree._Element] = field(default_factory=list)
    marks: list[etree._Element] = field(default_factory=list)
    separated: bool = False


def _complex_fields(root: etree._Element) -> Iterator[_Field]:
    """The ``w:fldChar`` begin ... separate ... end fields of a story (nested ones too)."""
    open_fields: list[_Field] = []
    for element in root.iter(FLD_CHAR, INSTR, DEL_INSTR):
        if element.tag == FLD_CHAR:
            kind = element.get(FLD_TYPE)
            if kind == "begin":
                open_fields.append(_Field(element, marks=[element]))
            elif open_fields and kind == "separate":
                open_fields[-1].marks.append(element)
                open_fields[-1].separated = True
            elif open_fields and kind == "end":
                done = open_fields.pop()
                done.marks.append(element)
                yield done
        elif open_fields and not open_fields[-1].separated:
            open_fields[-1].instructions.append(element)


def _kept(instruction: str) -> bool:
    words = instruction.split()
    return bool(words) and words[0].upper() in KEPT_FIELDS


def _rename(instruction: str, names: dict[str, str]) -> str:
    if not names:
        return instruction
    pattern = re.compile(r"(?<![\w])(" + "|".join(map(re.escape, sorted(names, key=len, reverse=True)))
                         + r")(?![\w])")
    return pattern.sub(lambda m: names[m.group(1)], instruction)


def _remove(element: etree._Element) -> None:
    parent = element.getparent()
    if parent is not None:
        parent.remove(element)


def scrub_fields(root: etree._Element, bookmarks: dict[str, str]) -> None:
    """Fields with free text in their instruction (``AUTHOR "..."``, ``HYPERLINK "mailto:..."``,
    ``MERGEFIELD``...) become the text they show; the others keep their instruction, with
    renamed bookmarks renamed in it too."""
    for complex_field in list(_complex_fields(root)):
        instruction = "".join(e.text or "" for e in complex_field.instructions)
        if not _kept(instruction):
            for element in (*complex_field.marks, *complex_field.instructions):
                _remove(element)
            continue
        renamed = _rename(instruction, bookmarks)
        if renamed != instruction and complex_field.instructions:
            first, *rest = complex_field.instructions
            first.text = renamed
            for element in rest:
                element.text = ""
    for simple in list(root.iter(FLD_SIMPLE)):
        instruction = simple.get(INSTR_ATTR, "")
        if _kept(instruction):
            simple.set(INSTR_ATTR, _rename(instruction, bookmarks))
            continue
        parent = simple.getparent()
        if parent is None:
            continue
        position = parent.index(simple)
        for offset, child in enumerate(c for c in simple if c.tag != _w("fldData")):
            parent.insert(position + offset, child)
        parent.remove(simple)


def bookmark_names(roots: Iterable[etree._Element]) -> dict[str, str]:
    """The new name of every bookmark Word did not generate: ``bookmark1``, ``bookmark2``...
    in order of first appearance (a name given by hand may be anyone's)."""
    names: dict[str, str] = {}
    for root in roots:
        for start in root.iter(_w("bookmarkStart")):
            name = start.get(NAME_ATTR, "")
            if name and name not in names and not GENERATED_BOOKMARK.fullmatch(name):
                names[name] = f"bookmark{len(names) + 1}"
    return names


def scrub_story(root: etree._Element, bookmarks: dict[str, str], objects: Iterator[int]) -> None:
    """Rename bookmarks and objects, scrub fields and content-control names, in one story."""
    scrub_fields(root, bookmarks)
    for start in root.iter(_w("bookmarkStart")):
        name = start.get(NAME_ATTR, "")
        start.set(NAME_ATTR, bookmarks.get(name, name))
    for link in root.iter(_w("hyperlink")):
        anchor = link.get(_w("anchor"))
        if anchor is not None:
            link.set(_w("anchor"), bookmarks.get(anchor, anchor))
    for properties in root.iter(SDT_PR):
        for child in list(properties):
            if child.tag in (_w("alias"), _w("tag"), _w("dataBinding")):
                properties.remove(child)
    for element in root.iter():
        if isinstance(element.tag, str) and etree.QName(element).localname in OBJECT_NAMES \
                and element.get("name") is not None:
            element.set("name", f"Object {next(objects)}")


def drop_parts(package: OpcPackage) -> None:
    """Remove the custom properties, custom XML data, glossary and attached template (their
    relationships: a part nothing points to is not written), and the settings that hold
    text (document variables, mail merge, template)."""
    for rid in [rid for rid, rel in package.rels.items() if rel.reltype in REMOVED_PACKAGE_RELS]:
        del package.rels[rid]
    for part in list(package.iter_parts()):
        for rid in [rid for rid, rel in part.rels.items() if rel.reltype in REMOVED_PART_RELS]:
            del part.rels[rid]
        if part.content_type == SETTINGS_TYPE:
            _drop_settings(part)


def _drop_settings(part: Part) -> None:
    root = part.element if isinstance(part, XmlPart) else etree.fromstring(part.blob)
    for child in list(root):
        if isinstance(child.tag, str) and etree.QName(child).localname in SETTINGS_REMOVED:
            root.remove(child)
    if not isinstance(part, XmlPart):
        part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
