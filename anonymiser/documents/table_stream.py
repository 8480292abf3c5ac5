"""A csv read a block of rows at a time, as its distinct units: what a run reads of a table of
any length (a million rows of open answers), without its whole text, its bytes or an object
per cell in memory.

``open_file`` (``documents.table``) makes a table's text: one unit per text cell of the chosen
columns, row by row, then one per column header. ``CsvUnits`` yields the same units, one at a
time, from the file, read ``BLOCK_ROWS`` rows at a time; ``read_distinct`` keeps each distinct
unit once (keyed by its text and the span an identifier column imposes on it, as
``detect.cells.distinct`` keys them), with how many units of the table each stands for
(``model.Repeats``): detection, propagation and linking read that document, and the table is
written by reading its units again (``run.tables.replace_streamed``). The encoding, separator
and line ending are those ``open_file`` and ``decode`` find, read from the file in pieces.
"""

from __future__ import annotations

import codecs
import re
from array import array
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from anonymiser.documents.table import BLOCK_ROWS, TableOptions, _cell_text, _read_csv, _separator
from anonymiser.documents.units import SEPARATOR
from anonymiser.errors import DocumentError
from anonymiser.i18n import N_
from anonymiser.model import Document, Layout, Repeats

READ_BYTES = 1 << 20  # bytes of the file decoded at a time to find its encoding
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")  # as ``text.decode``


def sniff(path: Path, shown: str) -> tuple[str, tuple[str, str]] | None:
    """The encoding ``text.decode`` would find for the file, and its csv dialect (separator,
    line ending), read a MiB at a time; None for a file ``decode`` must see whole (UTF-16).
    Raises ``decode``'s errors (empty, binary, unknown encoding)."""
    with path.open("rb") as handle:
        head = handle.read(READ_BYTES)
        if not head:
            raise DocumentError(shown, N_("empty file"))
        if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or b"\x00" in head:
            return None
        encoding = "utf-8-sig" if head.startswith(codecs.BOM_UTF8) else "utf-8"
        for attempt in (encoding, "cp1252"):
            handle.seek(0)
            found = _scan(handle, attempt, shown)
            if found is not None:
                return attempt, found
            if encoding != "utf-8":
                raise DocumentError(shown, N_("cannot decode as %(encoding)s"), encoding=encoding)
    raise DocumentError(shown, N_("unknown text encoding (not UTF-8, UTF-16 or Windows-1252)"))


def _scan(handle: Any, encoding: str, shown: str) -> tuple[str, str] | None:
    """The dialect of the file in ``encoding``, or None when it does not decode so."""
    decoder = codecs.getincrementaldecoder(encoding)()
    first, crlf, visible, last = "", False, False, ""
    while True:
        chunk = handle.read(READ_BYTES)
        if b"\x00" in chunk:
            return None  # UTF-16 further on: not streamed (``decode`` sees it whole)
        try:
            text = decoder.decode(chunk, final=not chunk)
        except UnicodeDecodeError:
            return None
        if _CONTROL.search(text):
            raise DocumentError(shown, N_("binary file (control characters)"))
        if not first and text:
            first = text  # the header line is in the first MiB
        crlf = crlf or "\r\n" in last + text[:1] or "\r\n" in text
        visible = visible or not text.isspace() and bool(text)
        last = text[-1:] or last
        if not chunk:
            break
    if not visible:
        raise DocumentError(shown, N_("empty file"))
    return _separator(first), "\r\n" if crlf else "\n"


@dataclass(frozen=True)
class CsvUnits:
    """The units of a csv (``open_file``'s, in its order), read from ``path`` again each time
    ``units`` is called. ``shown``: the path errors name."""

    path: Path
    shown: str
    options: TableOptions
    encoding: str
    dialect: tuple[str, str]

    def _chunks(self) -> Iterator[Any]:
        import pandas as pd
        chunks = _read_csv(self.path, self.encoding, self.shown, self.dialect[0], chunksize=BLOCK_ROWS)
        try:
            yield from chunks
        except (ValueError, pd.errors.ParserError) as exc:
            raise DocumentError(self.shown, N_("not a valid .csv (%(kind)s)"), kind=type(exc).__name__) from None

    def header(self) -> list[str]:
        first = next(self._chunks())
        return [str(c) for c in first.columns]

    def units(self) -> Iterator[tuple[str, str | None, str]]:
        """Per unit: its text as a line, its column (None for a header), and the label its
        column imposes on it ("" for none), cells first, then the headers written out."""
        options = self.options
        header: list[str] | None = None
        labels = dict(options.ids)
        wanted: list[tuple[int, str]] = []
        for chunk in self._chunks():
            if header is None:
                header = [str(c) for c in chunk.columns]
                check_columns(header, options, self.shown)
                chosen = set(options.unit_columns(header))
                wanted = [(index, name) for index, name in enumerate(header) if name in chosen]
            columns = [chunk.iloc[:, index].tolist() for index, _ in wanted]
            for row in range(len(chunk)):
                for (_index, name), column in zip(wanted, columns):
                    yield _cell_text(column[row], self.shown), name, labels.get(name, "")
        for name in header or ():
            if name not in options.drop and name.strip():
                yield _cell_text(name, self.shown), None, ""

    def headers(self, header: list[str]) -> tuple[tuple[str, str], ...]:
        return tuple(("column", name) for name in header if name not in self.options.drop and name.strip())


def check_columns(header: list[str], options: TableOptions, shown: str) -> None:
    named = [*(options.columns or ()), *(c for c, _ in options.ids), *options.drop]
    missing = sorted({c for c in named if c not in header})
    if missing:
        raise DocumentError(shown, N_("no column named %(columns)s"), columns=", ".join(repr(c) for c in missing))


def imposed(value: str, label: str) -> tuple[int, int, str] | None:
    """The span an identifier column imposes on a cell, in the cell (as ``open_file``)."""
    stripped = value.strip()
    if not label or not stripped:
        return None
    start = value.index(stripped)
    return start, start + len(stripped), label


def unit_key(value: str, own: tuple[int, int, str] | None) -> Any:
    """What tells distinct units apart: the text, and the span imposed on it if any."""
    return value if own is None else (value, *own)


def read_distinct(path: str | Path, *, relative: str, stem: str, options: TableOptions,
                  shown: str | None = None) -> Document | None:
    """The csv at ``path`` as the document of its distinct units (see the module's docstring),
    or None for one that must be read whole (UTF-16: ``documents.read_document``)."""
    p = Path(path)
    shown = shown or str(p)
    sniffed = sniff(p, shown)
    if sniffed is None:
        return None
    encoding, dialect = sniffed
    reader = CsvUnits(p, shown, options, encoding, dialect)
    index: dict[Any, int] = {}
    lines: list[str] = []
    counts: array[int] = array("q")
    starts: array[int] = array("q")
    spans: list[tuple[int, int, str]] = []
    headers: list[int] = []
    length = at = 0
    for value, column, label in reader.units():
        own = imposed(value, label)
        key = unit_key(value, own)
        found = index.get(key)
        if found is None:
            found = index[key] = len(lines)
            lines.append(value)
            starts.append(at)
            counts.append(0)
            if own is not None:
                spans.append((at + own[0], at + own[1], own[2]))
            at += len(value) + 1
        counts[found] += 1
        length += len(value) + 1
        if column is None:
            headers.append(found)
    del index
    header = reader.header()
    chosen = set(options.unit_columns(header))
    repeats = Repeats(counts, starts, max(0, length - 1), str(p), dialect, tuple(headers))
    layout = Layout("csv", b"", spans=tuple(spans), options=options,
                    columns=tuple(sorted(chosen, key=header.index)), headers=reader.headers(header), repeats=repeats)
    return Document(id=stem, text=SEPARATOR.join(lines), path=relative, encoding=encoding, layout=layout)
