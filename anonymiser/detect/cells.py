"""A table's distinct cells: each distinct cell text is detected once, its spans go to every cell of that text.

A table's text has one unit (a cell, then the names the table gives itself) per line, and
spreadsheets of open answers repeat many of them ("non", "RAS", one answer pasted in many
rows). ``distinct`` makes a document of the distinct units, in the order they first come;
``Distinct.spread`` puts the spans found there on every unit of the table that has the same
text (and, for an identifier cell, the same imposed span), in the table's order. A unit is
keyed by its text and by the span its layout imposes on it, so an identifier cell is never
taken for a free-text cell of the same text.
"""

from __future__ import annotations

import bisect
from array import array
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from typing import TypeVar

from anonymiser.documents.units import SEPARATOR
from anonymiser.model import Document, Layout, Span
from anonymiser.text.grid import GridRegion

TABLE_FORMATS = ("csv", "xlsx")
_Item = TypeVar("_Item", Span, GridRegion)


@dataclass(frozen=True)
class Distinct:
    """The distinct units of ``table`` as one document (``document``, one unit per line, with
    the imposed spans of its units), and for each unit of the table the distinct unit it
    repeats (``unit_of``, in table order); ``counts``: per distinct unit, how many units of
    the table it stands for."""

    table: Document
    document: Document
    unit_of: array[int]
    starts: tuple[int, ...]  # per distinct unit, its start in ``document.text``
    counts: tuple[int, ...]

    @property
    def repeats(self) -> bool:
        """Whether some unit of the table repeats another (else ``document`` is the table's text)."""
        return len(self.starts) < len(self.unit_of)

    def unit_at(self, offset: int) -> int:
        """The distinct unit that holds ``offset`` of ``document.text``."""
        return bisect.bisect_right(self.starts, offset) - 1

    def weights(self, spans: Sequence[Span]) -> list[int]:
        """Per span of ``document``, how many units of the table it stands for."""
        return [self.counts[self.unit_at(span.start)] for span in spans]

    def spread(self, spans: Sequence[Span]) -> list[Span]:
        """The spans of ``document`` on every unit of the table that repeats theirs, in offset order."""
        text = self.table.text
        return list(self._spread(spans, lambda s, start, end: s.moved(text, start, end)))

    def spread_regions(self, regions: Sequence[GridRegion]) -> list[GridRegion]:
        """As ``spread``, for the grid regions found in ``document``."""
        return list(self._spread(regions, lambda r, start, end: GridRegion(start, end, r.field)))

    def _spread(self, items: Sequence[_Item], build: Callable[[_Item, int, int], _Item]) -> Iterator[_Item]:
        """``build(item, start, end)``: the item at ``[start, end)`` of the table's text."""
        per_unit: dict[int, list[tuple[int, int, _Item]]] = {}
        for item in sorted(items, key=lambda i: (i.start, i.end)):
            unit = self.unit_at(item.start)
            base = self.starts[unit]
            per_unit.setdefault(unit, []).append((item.start - base, item.end - base, item))
        for start, unit in zip(_unit_starts(self.table.text), self.unit_of, strict=True):
            for low, high, item in per_unit.get(unit, ()):
                yield build(item, start + low, start + high)


def _unit_starts(text: str) -> Iterator[int]:
    """The offset of each unit (line) of a table's text."""
    at = 0
    while True:
        yield at
        found = text.find(SEPARATOR, at)
        if found < 0:
            return
        at = found + 1


def in_their_cells(text: str, spans: Sequence[Span]) -> list[Span]:
    """``spans`` of a table's ``text`` each cut at the end of the cell (line) it starts in: a
    pattern read over a line end (an address, then the next line) reads another cell, which
    in a table's distinct units is any cell (the order they first came in), not its neighbour."""
    out = []
    for span in spans:
        if SEPARATOR in span.text:
            head = span.text.split(SEPARATOR, 1)[0].rstrip()
            if not head.strip():
                continue
            span = span.moved(text, span.start, span.start + len(head))
        out.append(span)
    return out


def is_table(document: Document) -> bool:
    return document.layout is not None and document.layout.format in TABLE_FORMATS


def distinct(document: Document) -> Distinct:
    """The distinct units of the table ``document`` (see the module's docstring)."""
    layout = document.layout
    assert layout is not None
    text = document.text
    imposed = sorted(layout.spans)
    index: dict[tuple[str, int, int, str], int] = {}
    unit_of: array[int] = array("q")
    lines: list[str] = []
    spans: list[tuple[int, int, str]] = []
    starts: list[int] = []
    counts: list[int] = []
    out_at, next_span = 0, 0
    for start in _unit_starts(text):
        end = text.find(SEPARATOR, start)
        end = len(text) if end < 0 else end
        line = text[start:end]
        own: tuple[int, int, str] = (0, 0, "")
        if next_span < len(imposed) and imposed[next_span][0] < end + 1:
            first, last, label = imposed[next_span]
            own = (first - start, last - start, label)
            next_span += 1
        key = (line, *own)
        found = index.get(key)
        if found is None:
            found = index[key] = len(lines)
            lines.append(line)
            starts.append(out_at)
            counts.append(0)
            if own[2]:
                spans.append((out_at + own[0], out_at + own[1], own[2]))
            out_at += len(line) + 1
        counts[found] += 1
        unit_of.append(found)
    new_layout = Layout(layout.format, b"", spans=tuple(spans), options=layout.options, columns=layout.columns)
    view = replace(document, text=SEPARATOR.join(lines), layout=new_layout)
    return Distinct(document, view, unit_of, tuple(starts), tuple(counts))
