"""The interview grid: find its printed lines in a transcript, and the field of each offset;
infer it from a corpus whose grid is not given (the lines most documents print).

Grid text (headings, questions, answer categories) is never personal data: detection
ignores it. Each mention is attributed to the nearest preceding grid question.
"""

from __future__ import annotations

import bisect
import difflib
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from anonymiser.text.fold import fold, normalize, normalize_with_map

_BULLET = re.compile(r"^[\s·•◦▪\-\*–—]+")


@dataclass(frozen=True, slots=True)  # one per cell of a table: no __dict__ each
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
                end = _raw_end(body, len(entry))
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


def _raw_end(body: str, length: int) -> int:
    """Where, in ``body``, its first ``length`` normalised characters end (the last of them
    not a space). Normalised from the start of ``body`` only as far as needed: a character,
    once a character that is not a space follows it, keeps its place (only a space before a
    mark is dropped), so the map of a prefix agrees with the whole line's that far."""
    size = 2 * length + 16
    while True:
        norm, mapping = normalize_with_map(body[:size])
        if len(norm) >= length or size >= len(body):
            return mapping[length - 1] + 1
        size *= 2


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


_LETTERS = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
_PARTICLES = frozenset({"de", "du", "des", "d", "la", "le", "les", "l", "et"})


MIN_DOCUMENTS = 3  # a line is a grid line when printed in this many documents at least


def infer_lines(texts: Iterable[str], *, ordinary: frozenset[str], is_marker: Callable[[str], bool] = lambda s: False,
                max_length: int = 300) -> tuple[str, ...]:
    """The lines printed in most of ``texts`` (more than half, and at least 3): the grid of a
    corpus whose grid is not given. A line that names someone does not count (a capitalised
    word that is not an ``ordinary`` word, not first in a longer line: a speaker label, a
    name in a header), nor a transcript mark (``is_marker``). In first-seen order, as printed.

    >>> infer_lines(["Votre parcours ?\\nNadia : oui\\n"] * 3 + ["Votre parcours ?\\n"], ordinary=frozenset({"votre",
    ...             "parcours", "oui"}))
    ('Votre parcours ?',)
    """
    counts: dict[str, int] = {}
    shown: dict[str, str] = {}
    documents = 0
    for text in texts:
        documents += 1
        seen = set()
        for line in text.splitlines():
            field = _clean(line)
            key = normalize(field)
            if key in seen or not 2 <= len(key) <= max_length or not _LETTERS.search(field):
                continue
            seen.add(key)
            if key not in shown:
                if is_marker(field) or _names_someone(field, ordinary):
                    shown[key] = ""
                else:
                    shown[key] = line.strip()
            if shown[key]:
                counts[key] = counts.get(key, 0) + 1
    need = max(MIN_DOCUMENTS, documents // 2 + 1)
    return tuple(shown[key] for key, count in counts.items() if count >= need)


def _names_someone(line: str, ordinary: frozenset[str]) -> bool:
    words = _LETTERS.findall(line)
    for index, word in enumerate(words):
        if not word[:1].isupper() or (index == 0 and len(words) > 3):
            continue
        if word.lower() in _PARTICLES:
            continue
        parts = [p for p in re.split(r"['’-]", word) if p]
        if not all(p.lower() in ordinary or fold(p.lower()) in ordinary for p in parts):
            return True
    return False
