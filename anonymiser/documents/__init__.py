"""The only code that reads and writes documents: .txt/.md, .docx, .odt, .csv, .xlsx; .pdf in.

Every format is read into one ``Document`` whose text is what detection sees; structured
formats keep a ``Layout`` (one unit per line) so that ``write_document`` can put the new
text back paragraph by paragraph and run by run, in the same format. A text PDF is read
into a plain-text document (its path ends in ``.txt``): it comes out as text.
"""

from __future__ import annotations

import io
import os
import re
import zipfile
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import IO, Any, Protocol

from anonymiser.documents import docx, odt, pdf, table, table_stream
from anonymiser.documents.archive import OfficeLimits, check_expanded
from anonymiser.documents.files import atomic_write
from anonymiser.documents.table import TableOptions
from anonymiser.documents.text import TEXT_SUFFIXES, decode
from anonymiser.documents.units import Edit, EditError
from anonymiser.errors import DocumentError, NotFoundError
from anonymiser.i18n import N_, Message, os_error_text
from anonymiser.model import Document, Layout

STRUCTURED_SUFFIXES = (".docx", ".odt", ".csv", ".xlsx")
SUPPORTED_SUFFIXES = (*TEXT_SUFFIXES, *STRUCTURED_SUFFIXES, ".pdf")
# found in folders so that they are reported, not silently ignored
UNSUPPORTED = {".doc": N_("binary Word file: save it as .docx"), ".xls": N_("binary Excel file: save it as .xlsx"),
               ".rtf": N_("save it as .docx")}


class EditLike(Protocol):
    """What ``write_document`` needs of a replacement (``model.Replacement`` has it)."""

    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...
    @property
    def out_start(self) -> int: ...
    @property
    def out_end(self) -> int: ...


def read_document(path: str | os.PathLike[str], *, root: Path | None = None,
                  table_options: TableOptions | None = None, limits: OfficeLimits | None = None,
                  distinct_tables: bool = False) -> Document:
    """Read one document of any supported format; its id is the file stem. An office file
    over a cap of ``limits`` (default: ``OfficeLimits()``) is refused before it is read.
    ``distinct_tables``: a csv is read as its distinct units, a block of rows at a time
    (``table_stream``: what a run writes from), not whole."""
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        hint = UNSUPPORTED.get(suffix)
        raise DocumentError(str(p), N_("unsupported file type '%(suffix)s' (%(hint)s)") if hint
                            else N_("unsupported file type '%(suffix)s'"),
                            suffix=p.suffix or "-", hint=Message(hint or ""))
    if distinct_tables and suffix == ".csv":
        relative = str(p.relative_to(root)) if root else p.name
        try:
            read = table_stream.read_distinct(p, relative=relative, stem=p.stem,
                                              options=table_options or TableOptions())
        except FileNotFoundError as exc:
            raise NotFoundError(str(p), N_("file not found")) from exc
        except OSError as exc:
            raise DocumentError(str(p), N_("cannot read (%(reason)s)"), reason=os_error_text(exc)) from exc
        if read is not None:
            return read
    try:
        data = p.read_bytes()
    except FileNotFoundError as exc:  # a run skips it; re-identifying it stops (exit 2)
        raise NotFoundError(str(p), N_("file not found")) from exc
    except OSError as exc:
        raise DocumentError(str(p), N_("cannot read (%(reason)s)"), reason=os_error_text(exc)) from exc
    relative = str(p.relative_to(root)) if root else p.name
    if suffix in TEXT_SUFFIXES:
        text, encoding = decode(data, str(p))
        return Document(id=p.stem, text=text, path=relative, encoding=encoding)
    if not data:
        raise DocumentError(str(p), N_("empty file"))
    if suffix == ".pdf":
        return Document(id=p.stem, text=pdf.read_text(data, str(p)),
                        path=str(Path(relative).with_suffix(pdf.OUTPUT_SUFFIX)), encoding="utf-8")
    if suffix in (".docx", ".odt", ".xlsx"):
        check_expanded(data, str(p), limits or OfficeLimits())  # before any part is inflated
        refuse_dtd(data, str(p))
    if suffix in (".docx", ".odt"):
        module = docx if suffix == ".docx" else odt
        return Document(id=p.stem, text=module.read_text(data, str(p)), path=relative,
                        layout=Layout(suffix[1:], data))
    options = table_options or TableOptions()
    opened, encoding = table.open_file(data, str(p), suffix[1:], options)
    layout = Layout(suffix[1:], data, fields=opened.fields, spans=opened.spans, options=options,
                    columns=opened.columns, headers=opened.headers)
    return Document(id=p.stem, text=opened.text, path=relative, encoding=encoding, layout=layout)


_COMMENT = re.compile(rb"<!--.*?-->", re.DOTALL)
_ROOT = re.compile(rb"<[^?!]")
PROLOG_BYTES = 1 << 20  # a prolog longer than this is not looked into further


def _declares_dtd(member: IO[bytes]) -> bool:
    """Whether the XML read from ``member`` has a ``<!DOCTYPE`` before its root element."""
    head = b""
    while len(head) < PROLOG_BYTES:
        chunk = member.read(1 << 16)
        head += chunk
        prolog = _COMMENT.sub(b"", head)
        root = _ROOT.search(prolog)
        if b"<!DOCTYPE" in (prolog if root is None else prolog[:root.start()]):
            return True
        if root is not None or not chunk:
            return False
    return False


def refuse_dtd(data: bytes, path: str) -> None:
    """Refuse an office file one of whose XML parts declares a document type (a DTD): its
    entities (``&xxe;``, external or not) would be written back unresolved, or resolved."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for item in archive.infolist():
                if item.filename.endswith((".xml", ".rels")):
                    with archive.open(item) as member:
                        if _declares_dtd(member):
                            raise DocumentError(path, N_("an XML part declares a document type (DTD): refused"))
    except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError, EOFError, ValueError, zlib.error):
        return  # not a readable zip: the format's own reader says so


def render_document(document: Document, text: str, edits: Sequence[EditLike] | None = None) -> bytes:
    """The bytes of ``document`` with its text replaced by ``text``, in its own format.

    ``edits`` (the replacements that turned ``document.text`` into ``text``) say where each
    new piece goes: in the first run of the replaced span. Without them, one edit per
    changed line is derived.
    """
    layout = document.layout
    if layout is None:
        try:
            return text.encode(document.encoding)
        except UnicodeEncodeError:
            raise DocumentError(document.path, N_("a pseudonym cannot be written in %(encoding)s"),
                                encoding=document.encoding) from None
    changes = None if edits is None else [Edit(e.start, e.end, e.out_start, e.out_end) for e in edits]
    try:
        if layout.format == "docx":
            return docx.render(layout.data, document.path, text, changes)
        if layout.format == "odt":
            return odt.render(layout.data, document.path, text, changes)
        return table.render(layout.data, document.path, layout.format, layout.options, text, changes,
                            document.encoding)
    except EditError as exc:
        raise DocumentError(document.path, exc.args[0]) from None


def write_document(document: Document, text: str, path: str | os.PathLike[str], *,
                   edits: Sequence[EditLike] | None = None, sync: bool = True, private: bool = False) -> None:
    """Write ``text`` atomically to ``path`` in the document's own format and encoding
    (``sync=False``: the caller makes a batch of files durable at once, ``sync_files``).
    ``private`` (restored originals): the file is 0600 and its folder 0700."""
    data = render_document(document, text, edits)
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True, mode=0o700 if private else 0o777)
    if private:
        os.chmod(p.parent, 0o700)
    atomic_write(p, data, mode=0o600 if private else 0o644, sync=sync)


def reverse_edits(records: Sequence[Mapping[str, Any]]) -> list[Edit]:
    """The edits that re-identification applies: each pseudonym back to its original span."""
    return [Edit(int(r["out_start"]), int(r["out_end"]), int(r["start"]), int(r["end"]))
            for r in records if r.get("record") == "mention"]


def collect_inputs(paths: list[str]) -> list[tuple[Path, Path | None]]:
    """Expand files and folders into ``(file, root folder or None)``, sorted for determinism.

    In folders, files of a known but unsupported type (.doc) are kept so that they are
    reported and skipped, not silently ignored; Office lock files (``~$x.docx``) are ignored.
    """
    wanted = (*SUPPORTED_SUFFIXES, *UNSUPPORTED)
    found: list[tuple[Path, Path | None]] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            for child in sorted(p.rglob("*")):
                if child.is_file() and child.suffix.lower() in wanted and not child.name.startswith(("~$", ".~lock")):
                    found.append((child, p))
        else:
            found.append((p, None))
    return found


def with_text(document: Document, text: str, encoding: str | None = None) -> Document:
    """The same document (and layout) with another text."""
    return replace(document, text=text, encoding=encoding or document.encoding)


__all__ = ["SUPPORTED_SUFFIXES", "OfficeLimits", "TableOptions", "collect_inputs", "read_document", "render_document",
           "reverse_edits", "with_text", "write_document"]
