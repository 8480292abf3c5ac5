"""Parse and render French person names: first names, initials, particles, surname, case."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from anonymiser.text.fold import fold

_INITIAL = re.compile(r"^[A-ZÀ-Þ]\.(?:-?[A-ZÀ-Þ]\.)*$")
_LAST_INITIAL = re.compile(r"^[A-ZÀ-Þ]\.$")
_PARTICLES = {"de", "du", "des", "d'", "le", "la", "les", "n'", "van", "von", "ben", "el", "al", "da", "dos", "di"}


@dataclass(frozen=True)
class PersonName:
    """A parsed surface form. Folded ``first``/``last`` are the linking keys."""

    first: str = ""       # folded first name(s), "jean pierre"
    initials: str = ""    # folded initials, "jp"
    last: str = ""        # folded surname with particles, "de la salle"
    first_surface: str = ""
    last_surface: str = ""
    initials_surface: str = ""
    upper_last: bool = False
    upper_first: bool = False
    surname_first: bool = False  # "KERGUELEN Yann": an upper-case surname, then the first name

    @property
    def last_initial(self) -> str:
        """The folded initial of a surname written as one ("Danièle V.": "v"), else ""."""
        return self.last[0] if _LAST_INITIAL.match(self.last_surface) else ""

    @property
    def shape(self) -> str:
        parts = []
        if self.first:
            parts.append("first")
        if self.initials:
            parts.append("initials")
        if self.last:
            parts.append("last")
        return "+".join(parts) or "empty"


def parse_name(surface: str, first_names: frozenset[str] | set[str]) -> PersonName:
    """Split a surface form into first name(s), initials and surname.

    >>> parse_name("Isabelle MARCHAL", {"isabelle"}).last
    'marchal'
    >>> parse_name("J.-P. Roussel", set()).initials
    'jp'
    """
    if isinstance(first_names, frozenset):  # a run parses the same forms again and again
        return _parse_remembered(surface, first_names)
    return _parse(surface, first_names)


@lru_cache(maxsize=1 << 16)
def _parse_remembered(surface: str, first_names: frozenset[str]) -> PersonName:
    return _parse(surface, first_names)


def _parse(surface: str, first_names: frozenset[str] | set[str]) -> PersonName:
    tokens = surface.split()
    if not tokens:
        return PersonName()
    initials = ""
    initials_surface = ""
    if _INITIAL.match(tokens[0]):
        initials_surface = tokens[0]
        initials = "".join(c for c in fold(tokens[0]) if c.isalpha())
        tokens = tokens[1:]
    firsts: list[str] = []
    surname_first = False
    if not initials and len(tokens) > 1:
        # a list or a register writes the surname first, in capitals: "KERGUELEN Yann", "LE GALL
        # Anne-Marie" (the capitals say which is the surname, even when it is also a first name)
        split = len(tokens)
        while split > 1 and not tokens[split - 1].isupper() and _is_first(tokens[split - 1], first_names):
            split -= 1
        if split < len(tokens) and all(_upper_word(t) for t in tokens[:split]):
            firsts, tokens, surname_first = tokens[split:], tokens[:split], True
    if not initials and not surname_first:
        while tokens and len(tokens) > 1 and _is_first(tokens[0], first_names):
            firsts.append(tokens.pop(0))
        if not firsts and len(tokens) == 1 and _is_first(tokens[0], first_names):
            firsts.append(tokens.pop(0))
    last_surface = " ".join(tokens)
    first_surface = " ".join(firsts)
    return PersonName(
        first=fold(first_surface),
        initials=initials,
        last=fold(last_surface),
        first_surface=first_surface,
        last_surface=last_surface,
        initials_surface=initials_surface,
        upper_last=bool(last_surface) and last_surface.isupper(),
        upper_first=bool(first_surface) and first_surface.isupper(),
        surname_first=surname_first,
    )


def _upper_word(token: str) -> bool:
    """A word in capitals (two letters at least): "KERGUELEN", "LE", "D'ARC"."""
    return token.isupper() and sum(c.isalpha() for c in token) >= 2


def as_surname(name: PersonName) -> PersonName:
    """A name of one word after a civility or title is a surname, even one that is also a first
    name ("M. Martin", "le Dr Morvan"): ``name`` so read; any other name as it is."""
    if not name.first or name.last or name.initials or " " in name.first_surface:
        return name
    return PersonName(last=name.first, last_surface=name.first_surface, upper_last=name.upper_first)


def first_name_keys(first_names: Iterable[str], not_names: Iterable[str]) -> frozenset[str]:
    """Folded first names for parsing, without words that are never first names ("La", "De")."""
    return frozenset(fold(n) for n in first_names) - {fold(w) for w in not_names}


def _is_first(token: str, first_names: frozenset[str] | set[str]) -> bool:
    key = fold(token)
    return key in first_names or all(part in first_names for part in key.split(" ") if part)


def render_name(mention: PersonName, first: str, last: str) -> str:
    """Render the pseudonym ``first last`` in the shape of the ``mention``.

    >>> render_name(parse_name("I. MARCHAL", set()), "Sophie", "Lambert")
    'S. LAMBERT'
    """
    parts = []
    if mention.initials_surface:
        pieces = re.split(r"[- ]", first)
        if len(mention.initials) > 1 and len(pieces) > 1:
            parts.append("-".join(p[0] + "." for p in pieces[: len(mention.initials)]))
        else:
            parts.append(first[0] + ".")
    names = []
    if mention.first_surface:
        names.append(first.upper() if mention.upper_first else first)
    if mention.last_initial:
        names.append(last[:1].upper() + ".")  # "Danièle V." -> "Sophie L."
    elif mention.last_surface:
        names.append(last.upper() if mention.upper_last else last)
    parts += names[::-1] if mention.surname_first else names
    if not parts:
        parts.append(f"{first} {last}")
    return " ".join(parts)
