"""Tables (.csv, .xlsx) through pandas: one unit per text cell of the chosen columns.

``TableOptions`` names the free-text columns to pseudonymise (all columns when none is
named), the columns to drop from the output, and the identifier columns whose every cell
is one entity (a participant's name, a structure), replaced by that entity's pseudonym.
Each cell's column name is its field in the audit. A line break inside a cell is read as
U+2028 (``\\r`` as U+2029) so that each cell stays one line of the document text.

After the cells come the names a table gives itself, one unit each, so that a name there is
pseudonymised like any text: per sheet, the name of an .xlsx sheet, then the header of each
column written out. In .xlsx, a number in a chosen column that has the shape of a French
phone number (9 digits without the leading 0, or 33 and 9 digits) is read as a phone
number: ``0612345678``, one entity, written back as the pseudonym's text.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:  # pandas loads only where a table or a summary is made (~0.25 s)
    import pandas as pd

from anonymiser.documents.text import decode
from anonymiser.documents.units import SEPARATOR, Edit, Units, deterministic_zip
from anonymiser.errors import ConfigError, DocumentError
from anonymiser.i18n import N_
from anonymiser.model import LABELS

CELL_BREAKS = {"\n": "\u2028", "\r": "\u2029"}
SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
SHEET_LENGTH = 31  # Excel's limit on a sheet name
CORE_DATES = re.compile(rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)")
FIXED_DATE = b"1980-01-01T00:00:00Z"


@dataclass(frozen=True)
class TableOptions:
    """Which columns of a table are pseudonymised, dropped, or identifiers.

    >>> TableOptions.parse(columns="réponse, commentaire", ids="participant,structure=ORGANIZATION").ids
    (('participant', 'PERSON'), ('structure', 'ORGANIZATION'))
    """

    columns: tuple[str, ...] | None = None
    drop: tuple[str, ...] = ()
    ids: tuple[tuple[str, str], ...] = ()

    @classmethod
    def parse(cls, *, columns: str | None = None, drop: str | None = None, ids: str | None = None) -> TableOptions:
        def names(value: str | None) -> tuple[str, ...]:
            return tuple(n.strip() for n in (value or "").split(",") if n.strip())

        pairs = []
        for item in names(ids):
            column, _, label = item.partition("=")
            label = label.strip().upper() or "PERSON"
            if label not in LABELS:
                raise ConfigError("--id-columns", N_("unknown label %(label)s for identifier column"),
                                  label=repr(label))
            pairs.append((column.strip(), label))
        return cls(names(columns) if columns is not None else None, names(drop), tuple(pairs))

    def unit_columns(self, header: Sequence[str]) -> list[str]:
        id_columns = {c for c, _ in self.ids}
        return [c for c in header if c not in self.drop
                and (self.columns is None or c in self.columns or c in id_columns)]

    def describe(self, header: Sequence[str]) -> dict[str, Any]:
        return {"columns": self.unit_columns(header)}


def _cell_text(value: str, path: str) -> str:
    """A cell's text as one line of the document (its line breaks as U+2028, U+2029)."""
    if "\u2028" in value or "\u2029" in value:
        raise DocumentError(path, N_("a cell holds a Unicode line or paragraph separator"))
    for raw, mark in CELL_BREAKS.items():
        value = value.replace(raw, mark)
    return value


def _raw_text(text: str) -> str:
    for raw, mark in CELL_BREAKS.items():
        text = text.replace(mark, raw)
    return text


class CellOwner:
    """One text cell of a data frame (``text``: its text as a line; a number's text when it holds one)."""

    __slots__ = ("column", "frame", "row", "text")  # one per cell: a table has millions

    def __init__(self, frame: pd.DataFrame, row: int, column: int, text: str) -> None:
        self.frame, self.row, self.column, self.text = frame, row, column, text

    def write(self, text: str) -> None:
        self.frame.iat[self.row, self.column] = _raw_text(text)


class NameOwner:
    """A name the table gives itself: a column's header or a sheet's name, as an item of
    ``names`` (the new names are read from there when the table is written)."""

    __slots__ = ("index", "names", "text")

    def __init__(self, names: list[str], index: int, text: str) -> None:
        self.names, self.index, self.text = names, index, text

    def write(self, text: str) -> None:
        self.names[self.index] = _raw_text(text)


def phone_number(value: object) -> str | None:
    """A number that has the shape of a French phone number, as one (``0612345678``,
    ``+33612345678``); None for any other value.

    >>> phone_number(612345678), phone_number(33612345678), phone_number(41), phone_number(6.5)
    ('0612345678', '+33612345678', None, None)
    """
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if isinstance(value, float) and not value.is_integer():
        return None
    digits = str(int(value))
    if len(digits) == 9 and digits[0] != "0":
        return "0" + digits
    if len(digits) == 11 and digits.startswith("33") and digits[2] != "0":
        return "+" + digits
    return None


@dataclass
class TableFile:
    sheets: dict[str, pd.DataFrame]
    text: str
    fields: tuple[tuple[int, str], ...]
    spans: tuple[tuple[int, int, str], ...]
    columns: tuple[str, ...]
    dialect: tuple[str, str]  # csv: (separator, line terminator)
    headers: tuple[tuple[str, str], ...] = ()  # the name units after the cells: ("sheet" | "column", name)
    names: dict[str, tuple[list[str], list[str]]] = field(default_factory=dict)  # per sheet: [its name], headers
    units: Units | None = None  # with ``owners``: the cells and names, to be written back


def _separator(text: str) -> str:
    """The separator of a csv: the most frequent of ``;`` ``,`` tab ``|`` in its header line."""
    header = text.lstrip("\ufeff").splitlines()[0] if text.strip() else ""
    counts = [(header.count(candidate), candidate) for candidate in (";", ",", "\t", "|")]
    best = max(counts, key=lambda pair: pair[0])
    return best[1] if best[0] else ","


def _read_csv(data: bytes | Path, encoding: str, path: str, separator: str, chunksize: int | None = None) -> Any:
    """The frame of a csv (or its frames, ``chunksize`` rows each), parsed from its bytes (or
    its file): a ``StringIO`` of its text would hold it at four bytes a character while it is parsed."""
    import pandas as pd
    try:
        source = io.BytesIO(data) if isinstance(data, bytes) else data
        return pd.read_csv(source, sep=separator, dtype=str, keep_default_na=False,
                           na_filter=False, chunksize=chunksize, encoding=encoding)
    except (ValueError, pd.errors.ParserError) as exc:
        raise DocumentError(path, N_("not a valid .csv (%(kind)s)"), kind=type(exc).__name__) from None


def _dialect(text: str) -> tuple[str, str]:
    return _separator(text), "\r\n" if "\r\n" in text else "\n"


def _frames_csv(data: bytes, path: str) -> tuple[dict[str, pd.DataFrame], tuple[str, str], str]:
    text, encoding = decode(data, path)
    dialect = _dialect(text)
    del text
    return {"": _read_csv(data, encoding, path, dialect[0])}, dialect, encoding


def _frames_xlsx(data: bytes, path: str) -> dict[str, pd.DataFrame]:
    import pandas as pd
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise DocumentError(path, N_("password-protected or legacy binary Excel file (save it as .xlsx)"))
    try:
        return pd.read_excel(io.BytesIO(data), sheet_name=None, dtype=object, engine="openpyxl")
    except Exception as exc:
        raise DocumentError(path, N_("not a valid .xlsx (%(kind)s)"), kind=type(exc).__name__) from None


def open_file(data: bytes, path: str, kind: str, options: TableOptions, *,
              owners: bool = False) -> tuple[TableFile, str]:
    """Open a table; returns it and the text encoding (csv) or ``utf-8`` (xlsx). With
    ``owners``, its ``units`` know their cells, to write a new text back (``render``);
    without, only its text is made (no object per cell)."""
    if kind == "csv":
        sheets, dialect, encoding = _frames_csv(data, path)
    else:
        sheets, dialect, encoding = _frames_xlsx(data, path), (",", "\n"), "utf-8"
    header = [str(c) for frame in sheets.values() for c in frame.columns]
    named = [*(options.columns or ()), *(c for c, _ in options.ids), *options.drop]
    missing = sorted({c for c in named if c not in header})
    if missing:
        raise DocumentError(path, N_("no column named %(columns)s"),
                                columns=", ".join(repr(c) for c in missing))
    wanted = set(options.unit_columns(header))
    labels = dict(options.ids)
    units: list[list[CellOwner | NameOwner]] = []
    lines: list[str] = []
    fields: list[tuple[int, str]] = []
    spans: list[tuple[int, int, str]] = []
    offset = 0
    for frame in sheets.values():
        frame.columns = [str(c) for c in frame.columns]
        positions = [(index, name) for index, name in enumerate(frame.columns) if name in wanted]
        values = [frame.iloc[:, index].tolist() for index, _ in positions]  # one look-up a column, not a cell
        for row in range(len(frame)):
            for (index, name), column in zip(positions, values):
                cell = column[row]
                number = None if isinstance(cell, str) else phone_number(cell)
                if number is None and not isinstance(cell, str):
                    continue  # other numbers, dates and empty cells are not text
                value = _cell_text(cell if number is None else number, path)
                if owners:
                    units.append([CellOwner(frame, row, index, value)])
                lines.append(value)
                fields.append((offset, name))
                stripped = value.strip()
                label = "PHONE_NUMBER" if number is not None else labels.get(name)
                if label and stripped:
                    start = offset + value.index(stripped)
                    spans.append((start, start + len(stripped), label))
                offset += len(value) + 1
    names: dict[str, tuple[list[str], list[str]]] = {}
    headers: list[tuple[str, str]] = []
    for sheet, frame in sheets.items():
        title, kept = [sheet], [c for c in frame.columns if c not in options.drop]
        names[sheet] = (title, kept)
        owned = [(title, 0, "sheet")] if kind == "xlsx" else []
        owned += [(kept, index, "column") for index in range(len(kept))]
        for holder, index, what in owned:
            if not holder[index].strip():
                continue
            value = _cell_text(holder[index], path)
            if owners:
                units.append([NameOwner(holder, index, value)])
            lines.append(value)
            fields.append((offset, ""))
            headers.append((what, holder[index]))
            offset += len(value) + 1
    return TableFile(sheets, SEPARATOR.join(lines), tuple(fields), tuple(spans),
                     tuple(sorted(wanted, key=header.index)), dialect, tuple(headers), names,
                     Units(units) if owners else None), encoding


def render(data: bytes, path: str, kind: str, options: TableOptions, text: str, edits: Sequence[Edit] | None,
           encoding: str) -> bytes:
    """The table with ``text`` written back cell by cell, dropped columns left out."""
    import pandas as pd
    opened, _ = open_file(data, path, kind, options, owners=True)
    assert opened.units is not None
    opened.units.write(text, edits)
    sheets: dict[str, pd.DataFrame] = {}
    for name, frame in opened.sheets.items():
        title, kept = opened.names[name]
        frame = frame.drop(columns=[c for c in options.drop if c in frame.columns])
        frame.columns = kept
        sheets[_sheet_name(title[0], sheets) if kind == "xlsx" else name] = frame
    if kind == "csv":
        separator, terminator = opened.dialect
        out = sheets[""].to_csv(sep=separator, index=False, lineterminator=terminator)
        try:
            return out.encode(encoding)
        except UnicodeEncodeError:
            raise DocumentError(path, N_("a pseudonym cannot be written in %(encoding)s"), encoding=encoding) from None
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, frame in sheets.items():
            frame.to_excel(writer, sheet_name=name, index=False)
    return deterministic_zip(buffer.getvalue(), stored=(),
                             rewrite={"docProps/core.xml":
                                      lambda xml: CORE_DATES.sub(rb"\g<1>" + FIXED_DATE + rb"\g<3>", xml)})


BLOCK_ROWS = 4096  # rows of a csv parsed at a time when it is written back row by row
FLUSH_CHARS = 1 << 20  # characters of csv text encoded and written at a time


class CsvWriter:
    """A pseudonymised csv written to ``handle`` as its new text comes, as ``render`` would write
    it: the header row at once (``names``: the new text of the header units, see ``open_file``),
    then each row once the new lines of its cells have come (``feed``), dropped columns left out;
    ``close`` checks that every cell had its line. Memory: a block of rows, never the table."""

    def __init__(self, data: bytes | Path, path: str, options: TableOptions, names: Sequence[str], handle: IO[bytes],
                 encoding: str, dialect: tuple[str, str] | None = None) -> None:
        if dialect is None:
            assert isinstance(data, bytes)
            dialect = _dialect(decode(data, path)[0])
        separator, terminator = dialect
        self.path, self.encoding, self.handle = path, encoding, handle
        self._encoder = codecs.getincrementalencoder(encoding)()
        self._buffer = io.StringIO()
        self._csv = csv.writer(self._buffer, delimiter=separator, lineterminator=terminator,
                               quoting=csv.QUOTE_MINIMAL, quotechar='"', doublequote=True)
        chunks = iter(_read_csv(data, encoding, path, separator, chunksize=BLOCK_ROWS))
        first = next(chunks)
        header = [str(c) for c in first.columns]
        wanted = set(options.unit_columns(header))
        self._cells = [index for index, name in enumerate(header) if name in wanted]
        self._kept = [index for index, name in enumerate(header) if name not in options.drop]
        kept, new = [header[index] for index in self._kept], iter(names)
        try:
            self._csv.writerow([_raw_text(next(new)) if name.strip() else name for name in kept])
        except StopIteration:
            raise DocumentError(path, N_("edits do not match the new text")) from None
        if next(new, None) is not None:
            raise DocumentError(path, N_("edits do not match the new text"))
        self._rows = (row for chunk in itertools.chain([first], chunks)
                      for row in chunk.to_numpy(dtype=object).tolist())
        self._row: list[Any] | None = None
        self._at = 0

    def feed(self, lines: Iterable[str]) -> None:
        """The new text of the next cells, one line each, in the order of ``open_file``."""
        for line in lines:
            while self._row is None or self._at >= len(self._cells):
                self._next_row()
            assert self._row is not None
            self._row[self._cells[self._at]] = _raw_text(line)
            self._at += 1

    def close(self) -> None:
        """Write the rows left (they have no cell to rewrite) and what is buffered."""
        if self._row is not None:
            if self._at < len(self._cells):
                raise DocumentError(self.path, N_("edits do not match the new text"))
            self._emit(self._row)
        for row in self._rows:
            if self._cells:
                raise DocumentError(self.path, N_("edits do not match the new text"))
            self._emit(row)
        self._flush(final=True)

    def _next_row(self) -> None:
        if self._row is not None:
            self._emit(self._row)
        self._row, self._at = next(self._rows, None), 0
        if self._row is None:
            raise DocumentError(self.path, N_("edits do not match the new text"))

    def _emit(self, row: list[Any]) -> None:
        self._csv.writerow([row[index] for index in self._kept])
        if self._buffer.tell() >= FLUSH_CHARS:
            self._flush()

    def _flush(self, final: bool = False) -> None:
        try:
            self.handle.write(self._encoder.encode(self._buffer.getvalue(), final))
        except UnicodeEncodeError:
            raise DocumentError(self.path, N_("a pseudonym cannot be written in %(encoding)s"),
                                encoding=self.encoding) from None
        self._buffer.seek(0)
        self._buffer.truncate()


def _sheet_name(name: str, taken: Mapping[str, object]) -> str:
    """A pseudonymised sheet name as Excel takes it: without ``[]:*?/\\``, at most 31
    characters, not one of the sheets already ``taken`` (a number is added)."""
    name = SHEET_FORBIDDEN.sub("-", name).strip()[:SHEET_LENGTH] or "Sheet"
    candidate, number = name, 2
    while candidate.casefold() in {t.casefold() for t in taken}:
        suffix = f" ({number})"
        candidate, number = name[:SHEET_LENGTH - len(suffix)] + suffix, number + 1
    return candidate
