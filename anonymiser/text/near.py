"""Near names (pure): words within two edits of each other, found by their deletion
neighbourhoods (so that a key file can answer by keyed hash, without the original).

Two words within ``MAX_EDITS`` edits (Levenshtein) share a string made by deleting at most
``MAX_EDITS`` characters of each ("symmetric delete"); the converse does not hold (two words
four edits apart may share one too), so a look-up by neighbourhood may refuse a few names
that are farther away, never one that is closer. Where both words are known, ``close``
gives the exact answer (rapidfuzz).

>>> close("Diaby", "Diabi")
True
>>> sorted(deletions("Roy", 1))
['oy', 'ro', 'roy', 'ry']
"""

from __future__ import annotations

from rapidfuzz.distance import Levenshtein

from anonymiser.text.fold import fold

MAX_EDITS = 2
MIN_LETTERS = 3  # shorter words ("Li", "de") would be near almost every name


def deletions(word: str, edits: int = MAX_EDITS) -> set[str]:
    """``word`` folded, and every string made by deleting at most ``edits`` of its characters."""
    folded = fold(word)
    found = {folded}
    frontier = {folded}
    for _ in range(edits):
        frontier = {w[:i] + w[i + 1:] for w in frontier for i in range(len(w))}
        found |= frontier
    return found


def words_of(name: str) -> list[str]:
    """The words of ``name`` long enough to compare ("Le Goff" -> ["goff"])."""
    return [w for w in fold(name).replace("-", " ").replace("'", " ").replace("’", " ").split()
            if len(w) >= MIN_LETTERS]


def close(a: str, b: str, edits: int = MAX_EDITS) -> bool:
    """True when ``a`` and ``b`` (folded) are at most ``edits`` edits apart."""
    return Levenshtein.distance(fold(a), fold(b), score_cutoff=edits) <= edits


class NearIndex:
    """Real words, to ask whether a candidate is within ``MAX_EDITS`` of one of them."""

    def __init__(self, words: set[str] | frozenset[str] = frozenset()) -> None:
        self._by_deletion: dict[str, set[str]] = {}
        for word in sorted(words):
            self.add(word)

    def add(self, word: str) -> None:
        for part in words_of(word):
            for deleted in deletions(part):
                self._by_deletion.setdefault(deleted, set()).add(part)

    def near(self, name: str) -> bool:
        """True when a word of ``name`` is within ``MAX_EDITS`` edits of a real word."""
        for part in words_of(name):
            for deleted in deletions(part):
                if any(close(part, real) for real in self._by_deletion.get(deleted, ())):
                    return True
        return False
