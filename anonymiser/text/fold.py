"""Text folding shared by every matcher: accent-, case-, hyphen- and apostrophe-tolerant.

``fold`` is length-preserving (one output character per input character), so offsets
found in folded text are offsets in the original.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_SEPARATORS = {"-", "‐", "‑", "–", "—", "_", "\u00a0", "\u202f", "\t"}
_APOSTROPHES = {"’", "‘", "ʼ", "´", "`"}


@lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    if char in _SEPARATORS:
        return " "
    if char in _APOSTROPHES:
        return "'"
    base = unicodedata.normalize("NFD", char)[0].lower()
    return base if len(base) == 1 else char.lower()[:1] or char


class _FoldTable(dict[int, str]):
    """``str.translate`` table filled on first sight of each character (a pure cache)."""

    def __missing__(self, code: int) -> str:
        value = self[code] = _fold_char(chr(code))
        return value


class _OneLineTable(_FoldTable):
    """``_FoldTable`` with line ends as spaces."""

    def __missing__(self, code: int) -> str:
        value = self[code] = " " if code in (10, 13) else _fold_char(chr(code))
        return value


_FOLD = _FoldTable()
_FOLD_ONE_LINE = _OneLineTable()


def fold(text: str) -> str:
    """Lower-case, strip accents, hyphens to spaces, curly to straight apostrophes.

    >>> fold("Saint-Étienne’s")
    "saint etienne's"
    """
    return text.translate(_FOLD)


def fold_one_line(text: str) -> str:
    """``fold`` with line ends (``\\n``, ``\\r``) as spaces, in one pass: one copy of a long
    text, not one per replacement.

    >>> fold_one_line("Le Mans\\r\\nSaint-Lô")
    'le mans  saint lo'
    """
    return text.translate(_FOLD_ONE_LINE)


_SPACE_RUN = re.compile(" +")


@lru_cache(maxsize=1 << 16)
def fold_key(text: str) -> str:
    """Fold and collapse runs of spaces: the key under which a form is indexed."""
    return _SPACE_RUN.sub(" ", fold(text).strip())


_SPACES = re.compile(r"\s+")
_SPACE_BEFORE_MARK = re.compile(r" (?=[:;?!])")


def normalize(text: str) -> str:
    """``normalize_with_map(text)[0]``, without the map (fast: no loop in Python).

    >>> normalize("  Quel  est votre rôle ? ") == normalize_with_map("  Quel  est votre rôle ? ")[0]
    True
    """
    return _SPACE_BEFORE_MARK.sub("", _SPACES.sub(" ", fold(text))).strip(" ")


def normalize_with_map(text: str) -> tuple[str, list[int]]:
    """Fold, collapse white space, drop spaces before ``:;?!``; return the map to offsets.

    ``mapping[i]`` is the offset in ``text`` of the i-th normalised character.
    """
    out: list[str] = []
    mapping: list[int] = []
    for index, char in enumerate(fold(text)):
        if char.isspace():
            if not out or out[-1] == " ":
                continue
            out.append(" ")
            mapping.append(index)
            continue
        if char in ":;?!" and out and out[-1] == " ":
            out.pop()
            mapping.pop()
        out.append(char)
        mapping.append(index)
    while out and out[-1] == " ":
        out.pop()
        mapping.pop()
    return "".join(out), mapping


def is_word_char(char: str) -> bool:
    return char.isalnum()


def starts_upper(text: str) -> bool:
    for char in text:
        if char.isalpha():
            return char.isupper()
    return False
