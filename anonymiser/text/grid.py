"""The interview grid: find its printed lines in a transcript, and the field of each offset.

Grid text (headings, questions, answer categories) is never personal data: detection
ignores it. Each mention is attributed to the nearest preceding grid question.
"""

from __future__ import annotations

import bisect
import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass

from anonymiser.text.fold import normalize, normalize_with_map

_BULLET = re.compile(r"^[\s·•◦▪\-\*–—]+")


@dataclass(frozen=True)
class GridRegion:
    """``text[start:end]`` is printed grid text; ``field`` is the grid line it reproduces."""

    start: int
    end: int
    field: str


def _clean(line: str) -> str:
    line = _BULLET.sub("", line).strip()
    return re.sub(r"\s*:\s*$", "", line).strip()


class Grid:
    """Matcher for one interview grid.

    >>> grid = Grid(["· Finalités affichées : "])
    >>> grid.regions("Finalités affichées: nourrir la ville\\n")
    [GridRegion(start=0, end=20, field='Finalités affichées')]
    """

    def __init__(self, lines: tuple[str, ...] | list[str], *, min_ratio: float = 0.88) -> None:
        entries = []
        for line in lines:
            field = _clean(line)
            norm, _ = normalize_with_map(field)
            if len(norm) >= 2:
                entries.append((norm, field))
        # Longest first, so that a full question wins over a heading it starts with.
        self._entries = sorted(set(entries), key=lambda e: (-len(e[0]), e[0]))
        self._min_ratio = min_ratio
        self._words = {entry: set(entry.split()) for entry, _field in self._entries}
        # candidates by first word (a line starts with a grid line only if their first words
        # agree) and by length (a near-identical line is about as long): most lines of a
        # transcript are then compared with no grid line at all
        self._by_first: dict[str, list[tuple[str, str]]] = {}
        for entry, field in self._entries:
            self._by_first.setdefault(_first_word(entry), []).append((entry, field))
        self._by_length = sorted((len(entry), index) for index, (entry, _f) in enumerate(self._entries))
        self._lengths = [length for length, _i in self._by_length]

    def __bool__(self) -> bool:
        return bool(self._entries)

    def regions(self, text: str) -> list[GridRegion]:
        """Grid text found at the start of lines of ``text`` (prefix or near-identical line)."""
        regions: list[GridRegion] = []
        offset = 0
        for line in text.splitlines(keepends=True):
            region = self._match_line(line, offset)
            if region is not None:
                regions.append(region)
            offset += len(line)
        return regions

    def _match_line(self, line: str, offset: int) -> GridRegion | None:
        bullet = _BULLET.match(line)
        skip = bullet.end() if bullet else 0
        body = line[skip:].rstrip("\r\n")
        norm = normalize(body)
        if not norm:
            return None
        for entry, field in self._by_first.get(_first_word(norm), ()):
            if norm.startswith(entry) and (len(norm) == len(entry) or not norm[len(entry)].isalnum()):
                end = normalize_with_map(body)[1][len(entry) - 1] + 1
                # Take the colon that closes a question, if any.
                rest = body[end:]
                colon = re.match(r"\s*[:?]", rest)
                if colon:
                    end += colon.end()
                return GridRegion(offset, offset + skip + end, field)
        stripped = re.sub(r"\s*:\s*$", "", norm)
        words = set(stripped.split())
        size = len(stripped)
        low = bisect.bisect_left(self._lengths, min(size - 4, size * 8 // 9) - 1)
        high = bisect.bisect_right(self._lengths, max(size + 4, size * 8 // 7) + 1)
        for _length, index in sorted(self._by_length[low:high], key=lambda item: item[1]):
            entry, field = self._entries[index]
            if abs(len(stripped) - len(entry)) > max(4, len(entry) // 8):
                continue
            entry_words = self._words[entry]
            if len(words & entry_words) * 2 < len(entry_words):
                continue  # cheap test first: most of the grid line's words must be there
            if difflib.SequenceMatcher(None, stripped, entry, autojunk=False).ratio() >= self._min_ratio:
                return GridRegion(offset, offset + skip + len(body), field)
        return None


def _first_word(text: str) -> str:
    """The leading run of letters and digits ("" when the text starts otherwise)."""
    match = _WORD.match(text)
    return match.group(0) if match else ""


_WORD = re.compile(r"\w+")


def field_at(regions: list[GridRegion], position: int) -> str:
    """The grid field of ``position``: the nearest region starting at or before it."""
    return Fields(regions).at(position)


class Fields:
    """``field_at`` for many positions: the regions' starts are listed once."""

    def __init__(self, regions: Sequence[GridRegion]) -> None:
        self.regions = regions
        self.starts = [r.start for r in regions]

    def at(self, position: int) -> str:
        index = bisect.bisect_right(self.starts, position) - 1
        return self.regions[index].field if index >= 0 else ""


def inside_grid(regions: list[GridRegion], start: int, end: int) -> bool:
    """True when ``[start, end)`` overlaps printed grid text."""
    return any(r.start < end and start < r.end for r in regions)
