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

import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pandas loads only where a table or a summary is made (~0.25 s)
    import pandas as pd

from anonymiser.documents.text import decode
from anonymiser.documents.units import Edit, Units, deterministic_zip
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
    """One text cell of a data frame (``value``: its text when the cell holds a number)."""

    __slots__ = ("column", "frame", "row", "text")  # one per cell: a table has millions

    def __init__(self, frame: pd.DataFrame, row: int, column: int, path: str, value: str) -> None:
        self.frame, self.row, self.column = frame, row, column
        self.text = _cell_text(value, path)

    def write(self, text: str) -> None:
        self.frame.iat[self.row, self.column] = _raw_text(text)


class NameOwner:
    """A name the table gives itself: a column's header or a sheet's name, as an item of
    ``names`` (the new names are read from there when the table is written)."""

    __slots__ = ("index", "names", "text")

    def __init__(self, names: list[str], index: int, path: str) -> None:
        self.names, self.index = names, index
        self.text = _cell_text(names[index], path)

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
    units: Units
    fields: tuple[tuple[int, str], ...]
    spans: tuple[tuple[int, int, str], ...]
    columns: tuple[str, ...]
    dialect: tuple[str, str]  # csv: (separator, line terminator)
    headers: tuple[tuple[str, str], ...] = ()  # the name units after the cells: ("sheet" | "column", name)
    names: dict[str, tuple[list[str], list[str]]] = field(default_factory=dict)  # per sheet: [its name], headers


def _separator(text: str) -> str:
    """The separator of a csv: the most frequent of ``;`` ``,`` tab ``|`` in its header line."""
    header = text.lstrip("\ufeff").splitlines()[0] if text.strip() else ""
    counts = [(header.count(candidate), candidate) for candidate in (";", ",", "\t", "|")]
    best = max(counts, key=lambda pair: pair[0])
    return best[1] if best[0] else ","


def _frames_csv(data: bytes, path: str) -> tuple[dict[str, pd.DataFrame], tuple[str, str], str]:
    import pandas as pd
    text, encoding = decode(data, path)
    separator = _separator(text)
    terminator = "\r\n" if "\r\n" in text else "\n"
    try:
        frame = pd.read_csv(io.StringIO(text), sep=separator, dtype=str, keep_default_na=False,
                            na_filter=False)
    except (ValueError, pd.errors.ParserError) as exc:
        raise DocumentError(path, N_("not a valid .csv (%(kind)s)"), kind=type(exc).__name__) from None
    return {"": frame}, (separator, terminator), encoding


def _frames_xlsx(data: bytes, path: str) -> dict[str, pd.DataFrame]:
    import pandas as pd
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise DocumentError(path, N_("password-protected or legacy binary Excel file (save it as .xlsx)"))
    try:
        return pd.read_excel(io.BytesIO(data), sheet_name=None, dtype=object, engine="openpyxl")
    except Exception as exc:
        raise DocumentError(path, N_("not a valid .xlsx (%(kind)s)"), kind=type(exc).__name__) from None


def open_file(data: bytes, path: str, kind: str, options: TableOptions) -> tuple[TableFile, str]:
    """Open a table; returns it and the text encoding (csv) or ``utf-8`` (xlsx)."""
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
                owner = CellOwner(frame, row, index, path, cell if number is None else number)
                units.append([owner])
                fields.append((offset, name))
                value = owner.text
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
            title_owner = NameOwner(holder, index, path)
            units.append([title_owner])
            fields.append((offset, ""))
            headers.append((what, holder[index]))
            offset += len(title_owner.text) + 1
    return TableFile(sheets, Units(units), tuple(fields), tuple(spans),
                     tuple(sorted(wanted, key=header.index)), dialect, tuple(headers), names), encoding


def render(data: bytes, path: str, kind: str, options: TableOptions, text: str, edits: Sequence[Edit] | None,
           encoding: str) -> bytes:
    """The table with ``text`` written back cell by cell, dropped columns left out."""
    import pandas as pd
    opened, _ = open_file(data, path, kind, options)
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


def _sheet_name(name: str, taken: Mapping[str, object]) -> str:
    """A pseudonymised sheet name as Excel takes it: without ``[]:*?/\\``, at most 31
    characters, not one of the sheets already ``taken`` (a number is added)."""
    name = SHEET_FORBIDDEN.sub("-", name).strip()[:SHEET_LENGTH] or "Sheet"
    candidate, number = name, 2
    while candidate.casefold() in {t.casefold() for t in taken}:
        suffix = f" ({number})"
        candidate, number = name[:SHEET_LENGTH - len(suffix)] + suffix, number + 1
    return candidate
