"""One automaton for many phrases: gazetteers, key-file forms, corpus propagation.

Phrases are indexed under their folded key (``textnorm.fold_key``); matching runs on the
folded text, keeps whole-word matches only, and returns leftmost-longest matches.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Generic, TypeVar

import ahocorasick

from anonymiser.text.fold import fold_key, fold_one_line, is_word_char

T = TypeVar("T")


@dataclass(frozen=True, slots=True)  # one per match: hundreds of thousands in a long text
class PhraseMatch(Generic[T]):
    start: int
    end: int
    payloads: tuple[T, ...]


class PhraseIndex(Generic[T]):
    """Aho-Corasick index from folded phrases to payloads.

    >>> index = PhraseIndex([("Saint-Ismier", "commune")])
    >>> [(m.start, m.end) for m in index.find("à St Ismier, à saint ismier")]
    [(17, 29)]
    """

    def __init__(self, phrases: Iterable[tuple[str, T]]) -> None:
        grouped: dict[str, list[T]] = {}
        for phrase, payload in phrases:
            key = fold_key(phrase)
            if key:
                grouped.setdefault(key, []).append(payload)
        self._automaton = ahocorasick.Automaton()
        for key, payloads in grouped.items():
            self._automaton.add_word(key, (len(key), tuple(payloads)))
        self._size = len(grouped)
        if self._size:
            self._automaton.make_automaton()

    def __len__(self) -> int:
        return self._size

    def find(self, text: str) -> list[PhraseMatch[T]]:
        """Whole-word, leftmost-longest, non-overlapping matches in ``text``."""
        if not self._size:
            return []
        folded = _collapse_for_match(text)
        candidates: list[tuple[int, int, tuple[T, ...]]] = []
        for end_index, (length, payloads) in self._automaton.iter(folded):
            start, end = end_index - length + 1, end_index + 1
            if start > 0 and is_word_char(folded[start - 1]):
                continue
            if end < len(folded) and is_word_char(folded[end]):
                continue
            if _joined(text, start, end):
                continue
            candidates.append((start, end, payloads))
        candidates.sort(key=lambda c: (c[0], -(c[1] - c[0])))
        matches: list[PhraseMatch[T]] = []
        last_end = -1
        for start, end, payloads in candidates:
            if start >= last_end:
                matches.append(PhraseMatch(start, end, payloads))
                last_end = end
        return matches


_JOINERS = "-‐‑'’"


def _joined(text: str, start: int, end: int) -> bool:
    """True when the match is glued to a neighbouring word by a hyphen or an apostrophe
    in the original text ("Loire" in "Loire-Atlantique"), unless the phrase itself
    starts after an elision ("d'Angers" is still "Angers")."""
    after = end + 1 < len(text) and text[end] in _JOINERS and text[end + 1].isalnum()
    before = start >= 2 and text[start - 1] in "-‐‑" and text[start - 2].isalnum()
    return after or before


# texts up to this length are folded once for all the indexes that look in them (a document
# is searched by the gazetteers, the key file's forms and the never-masked phrases in turn);
# a longer text is folded at each call rather than kept in memory
_REMEMBERED = 50_000


def _collapse_for_match(text: str) -> str:
    """Fold without changing length; newlines become spaces so phrases may wrap lines."""
    return _collapsed(text) if len(text) <= _REMEMBERED else fold_one_line(text)


_collapsed = lru_cache(maxsize=16)(fold_one_line)
