"""OpenDocument text (.odt) through odfpy: one unit per paragraph or heading.

Every ``text:p`` and ``text:h`` (headers and footers of the master pages first, then the
body with its tables, lists, frames, notes, comments and tracked deletions) is a unit. Its
owners are its own text nodes, spaces (``text:s``), tabs and line breaks, inside spans,
links and fields, not those of a nested paragraph (note bodies, comments, text boxes).
Link targets come next, one unit each, then the texts that are not paragraphs: image and
shape titles and descriptions (``svg:title``, ``svg:desc``: the alt text), field values
(``office:string-value`` of user fields and variables) and link titles. Bookmark names that
the office suite did not generate become ``bookmark1``... (their references with them), object
names ``Object1``... Creators, titles, comment authors and the template are scrubbed; the
thumbnail (a picture of the first page) is not copied.
"""

from __future__ import annotations

import io
import re
import xml.dom
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from xml.parsers.expat import ExpatError

from odf.element import Element, Node, Text
from odf.opendocument import OpenDocument, load
from odf.text import LineBreak, S, Tab

from anonymiser.documents.units import SOFT_BREAK, Edit, Owner, Units, deterministic_zip, non_empty
from anonymiser.errors import DocumentError
from anonymiser.i18n import N_

TEXT_NS = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
OFFICE_NS = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
DC_NS = "http://purl.org/dc/elements/1.1/"
META_NS = "urn:oasis:names:tc:opendocument:xmlns:meta:1.0"
XLINK_NS = "http://www.w3.org/1999/xlink"
DRAW_NS = "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"
SVG_NS = "urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"
ODT_MIMETYPE = "application/vnd.oasis.opendocument.text"
PARAGRAPHS = {(TEXT_NS, "p"), (TEXT_NS, "h")}
# not part of the paragraph's own text: their paragraphs are units of their own
SKIPPED = {(TEXT_NS, "note"), (OFFICE_NS, "annotation"), (TEXT_NS, "tracked-changes")}
SKIPPED_NAMESPACES = {"urn:oasis:names:tc:opendocument:xmlns:drawing:1.0",
                      "urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"}
META_SCRUBBED = {(DC_NS, "creator"), (META_NS, "initial-creator"), (DC_NS, "title"), (DC_NS, "subject"),
                 (DC_NS, "description"), (META_NS, "keyword"), (META_NS, "printed-by"),
                 (META_NS, "user-defined"), (META_NS, "template")}
DESCRIPTIONS = {(SVG_NS, "title"), (SVG_NS, "desc")}
TEXT_ATTRIBUTES = ((OFFICE_NS, "string-value"), (OFFICE_NS, "title"), (XLINK_NS, "title"))
BOOKMARKS = {(TEXT_NS, "bookmark"), (TEXT_NS, "bookmark-start"), (TEXT_NS, "bookmark-end")}
# names the office suite makes up (__RefHeading___Toc12_34, _GoBack, _Toc5): no one's text in them
GENERATED_BOOKMARK = re.compile(r"_*(?:RefHeading_*)?(?:GoBack|Toc|Ref|Hlk|Hlt)?[\d_]*")
AUTHORS = {(DC_NS, "creator"), (META_NS, "creator-initials"),
           ("urn:org:documentfoundation:names:experimental:office:xmlns:loext:1.0", "sender-initials")}


def _literal(data: str) -> str:
    return data.replace("\r", " ").replace("\n", " ").replace("\t", " ")


class NodeOwner:
    """A text node, ``text:s``, ``text:tab`` or ``text:line-break`` of a paragraph."""

    def __init__(self, node: Node, text: str) -> None:
        self.node = node
        self.text = text

    def write(self, text: str) -> None:
        node = self.node
        parent = node.parentNode
        nodes = list(_nodes_for(text))
        if node.nodeType == xml.dom.Node.TEXT_NODE:
            # odfpy cannot remove a text node: it keeps the first text piece, or nothing
            first = nodes.pop(0).data if nodes and isinstance(nodes[0], Text) else ""
            node.data = first
            following = node.nextSibling
            for new in nodes:
                parent.insertBefore(new, following) if following is not None else parent.appendChild(new)
            return
        for new in nodes:
            parent.insertBefore(new, node)
        parent.removeChild(node)


def _nodes_for(text: str) -> Iterator[Node]:
    """ODF nodes for ``text``: spaces after a space as ``text:s``, tabs, line breaks."""
    buffer = ""
    index = 0
    while index < len(text):
        char = text[index]
        if char in ("\t", SOFT_BREAK) or (char == " " and buffer.endswith(" ")) or (char == " " and index == 0):
            if buffer:
                yield Text(buffer)
                buffer = ""
            if char == "\t":
                yield Tab()
            elif char == SOFT_BREAK:
                yield LineBreak()
            else:
                run = len(text) - index - len(text[index:].lstrip(" "))
                yield S(c=run) if run > 1 else S()
                index += run
                continue
        else:
            buffer += char
        index += 1
    if buffer:
        yield Text(buffer)


class AttributeOwner:
    """A text-bearing attribute (a field value, a link title): a unit of its own."""

    def __init__(self, element: Element, name: tuple[str, str]) -> None:
        self.element, self.name = element, name
        self.text = _literal(str(element.getAttrNS(*name)))

    def write(self, text: str) -> None:
        self.element.setAttrNS(self.name[0], self.name[1], text)


class LinkOwner:
    """The target of a link (``xlink:href``)."""

    def __init__(self, element: Element) -> None:
        self.element = element
        self.text = _literal(str(element.getAttrNS(XLINK_NS, "href")))

    def write(self, text: str) -> None:
        self.element.setAttrNS(XLINK_NS, "href", text)


def _elements(node: Node) -> Iterator[Element]:
    """Every element under ``node``, in document order."""
    for child in node.childNodes:
        if child.nodeType == xml.dom.Node.ELEMENT_NODE:
            yield child
            yield from _elements(child)


def _owners(element: Element) -> Iterator[NodeOwner]:
    """The own text pieces of a paragraph, not descending into nested paragraphs."""
    for child in element.childNodes:
        if child.nodeType == xml.dom.Node.TEXT_NODE:
            if child.data:
                yield NodeOwner(child, _literal(child.data))
            continue
        if child.nodeType != xml.dom.Node.ELEMENT_NODE:
            continue
        qname = child.qname
        if qname in PARAGRAPHS or qname in SKIPPED or qname[0] in SKIPPED_NAMESPACES:
            continue
        if qname == (TEXT_NS, "s"):
            yield NodeOwner(child, " " * int(child.getAttrNS(TEXT_NS, "c") or 1))
        elif qname == (TEXT_NS, "tab"):
            yield NodeOwner(child, "\t")
        elif qname == (TEXT_NS, "line-break"):
            yield NodeOwner(child, SOFT_BREAK)
        else:
            yield from _owners(child)


@dataclass
class OdtFile:
    document: OpenDocument
    units: Units


def _roots(document: OpenDocument) -> list[Node]:
    return [document.masterstyles, document.body]


def open_file(data: bytes, path: str) -> OdtFile:
    """Open an .odt from bytes; unreadable files raise a one-line ``DocumentError``."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            mimetype = archive.read("mimetype").decode("ascii", "replace").strip() if "mimetype" in names else ""
            manifest = archive.read("META-INF/manifest.xml") if "META-INF/manifest.xml" in names else b""
    except zipfile.BadZipFile:
        raise DocumentError(path, N_("not a valid .odt (damaged zip)")) from None
    if b"encryption-data" in manifest:
        raise DocumentError(path, N_("password-protected document"))
    if mimetype != ODT_MIMETYPE:
        raise DocumentError(path, N_("not an OpenDocument text (.odt)"))
    try:
        document = load(io.BytesIO(data))
    except (ExpatError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise DocumentError(path, N_("not a valid .odt (%(kind)s)"), kind=type(exc).__name__) from None
    except Exception as exc:
        raise DocumentError(path, N_("cannot read .odt (%(kind)s)"), kind=type(exc).__name__) from None
    _neutralise_names(document)
    units: list[list[Owner]] = []
    links: list[list[Owner]] = []
    others: list[list[Owner]] = []
    for root in _roots(document):
        for element in _elements(root):
            if element.qname in PARAGRAPHS:
                units.append(list(_owners(element)))
            elif element.qname in DESCRIPTIONS:
                others.append(list(_owners(element)))
            elif element.getAttrNS(XLINK_NS, "href") and element.qname[1] == "a":
                links.append([LinkOwner(element)])
            others.extend([AttributeOwner(element, name)] for name in TEXT_ATTRIBUTES
                          if (element.getAttrNS(*name) or "").strip())
    return OdtFile(document, Units(units + links + others))


def _neutralise_names(document: OpenDocument) -> None:
    """Bookmarks the office suite did not generate are renamed ``bookmark1``... in order of
    first appearance, with their references (``text:bookmark-ref``, ``#name`` links); every
    ``draw:name`` becomes ``Object1``... (a name given by hand may be anyone's)."""
    elements = [e for root in _roots(document) for e in _elements(root)]
    bookmarks: dict[str, str] = {}
    for element in elements:
        name = element.getAttrNS(TEXT_NS, "name") if element.qname in BOOKMARKS else None
        if name and name not in bookmarks and not GENERATED_BOOKMARK.fullmatch(name):
            bookmarks[name] = f"bookmark{len(bookmarks) + 1}"
    objects: dict[str, str] = {}
    for element in elements:
        if element.qname in BOOKMARKS:
            name = element.getAttrNS(TEXT_NS, "name")
            element.setAttrNS(TEXT_NS, "name", bookmarks.get(name, name))
        elif element.qname == (TEXT_NS, "bookmark-ref"):
            name = element.getAttrNS(TEXT_NS, "ref-name")
            element.setAttrNS(TEXT_NS, "ref-name", bookmarks.get(name, name))
        href = element.getAttrNS(XLINK_NS, "href")
        if href and href.startswith("#"):
            target, bar, rest = href[1:].partition("|")
            element.setAttrNS(XLINK_NS, "href", "#" + bookmarks.get(target, target) + bar + rest)
        name = element.getAttrNS(DRAW_NS, "name")
        if name is not None:
            objects.setdefault(name, f"Object{len(objects) + 1}")
            element.setAttrNS(DRAW_NS, "name", objects[name])
    for element in elements:
        following = element.getAttrNS(DRAW_NS, "chain-next-name")
        if following is not None:
            element.setAttrNS(DRAW_NS, "chain-next-name", objects.get(following, ""))


def read_text(data: bytes, path: str) -> str:
    return non_empty(open_file(data, path).units.text, path)


def render(data: bytes, path: str, text: str, edits: Sequence[Edit] | None) -> bytes:
    """The .odt bytes with ``text`` written back node by node, metadata scrubbed."""
    opened = open_file(data, path)
    opened.units.write(text, edits)
    document = opened.document
    for child in list(document.meta.childNodes):
        if getattr(child, "qname", None) in META_SCRUBBED:
            document.meta.removeChild(child)
    for root in (*_roots(document), document.automaticstyles):
        for element in _elements(root):
            if element.qname in AUTHORS:
                for child in element.childNodes:
                    if child.nodeType == xml.dom.Node.TEXT_NODE:
                        child.data = ""
    document.thumbnail = None
    out = io.BytesIO()
    document.write(out)
    return deterministic_zip(out.getvalue(), rewrite={name: sorted_namespaces for name in XML_ENTRIES})


XML_ENTRIES = ("content.xml", "styles.xml", "meta.xml", "settings.xml", "META-INF/manifest.xml")
_ROOT_TAG = re.compile(rb"<(?![?!])[^>]*>")
_XMLNS = re.compile(rb'\s+xmlns(?::[\w.-]+)?="[^"]*"')


def sorted_namespaces(xml: bytes) -> bytes:
    """The root element's namespace declarations, those in use only, in sorted order.

    odfpy declares every namespace the process has met so far, in the order it met them:
    without this, an output would depend on the files handled before it. A prefix counts
    as used when ``prefix:`` appears anywhere else (also in attribute values, as formulas do).

    >>> sorted_namespaces(b'<?xml version="1.0"?><a:r xmlns:c="u3" xmlns:b="u2" xmlns:a="u1" b:v="1"/>')
    b'<?xml version="1.0"?><a:r xmlns:a="u1" xmlns:b="u2" b:v="1"/>'
    """
    root = _ROOT_TAG.search(xml)
    if root is None:
        return xml
    tag = root.group(0)
    declarations = _XMLNS.findall(tag)
    if not declarations:
        return xml
    rest = _XMLNS.sub(b"", tag)
    elsewhere = xml[:root.start()] + rest + xml[root.end():]
    used = [d.strip() for d in declarations
            if b":" not in d.split(b"=")[0] or d.split(b"=")[0].split(b":")[1] + b":" in elsewhere]
    name = re.match(rb"<[^\s/>]+", rest)
    if name is None:  # not a tag odfpy writes
        return xml
    name_end = name.end()
    ordered = b"".join(b" " + d for d in sorted(used))
    return xml[:root.start()] + rest[:name_end] + ordered + rest[name_end:] + xml[root.end():]
