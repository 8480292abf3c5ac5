"""French phrase helpers: leading head words, roles split at their named tail, link words recomputed."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from anonymiser.text.fold import fold
from anonymiser.text.grammar import adjust

_ROLE_LINK = re.compile(r" (?:de la|de l['’]|du|des|de|d['’]|à la|à l['’]|au|aux|à|chez)(?: |(?<=['’]))",
                        re.IGNORECASE)


@dataclass(frozen=True)
class Role:
    """A role split into its family ("adjointe au commerce"), link (" de ") and tail ("Firminy")."""

    family: str
    link: str
    tail: str


def split_role(surface: str, org_heads: Iterable[str], role_heads: Iterable[str]) -> Role:
    """Split a role where a named place or organisation starts.

    >>> split_role("maire de Quimperlé", (), ("maire",))
    Role(family='maire', link=' de ', tail='Quimperlé')
    """
    heads = tuple(org_heads)
    first_word = len(surface.split(" ")[0])
    for match in _ROLE_LINK.finditer(surface):
        if match.start() < first_word - 1:
            continue
        after = surface[match.end():]
        if after[:1].isupper() or leading(after, heads, ignore_case=True):
            words = surface[:match.start()].split(" ")
            family = " ".join([words[0], *(w for w in words[1:] if w[:1].islower())])  # no "RSE", no name
            return Role(family, match.group(0), after)
    # no named tail: keep the title only; its domain ("économie circulaire", "à l'urbanisme")
    # is what points at one person, so it goes
    head = leading(surface, tuple(role_heads), ignore_case=True)
    return Role(head or surface.split(" ")[0], "", "")


def leading(text: str, heads: Iterable[str], *, ignore_case: bool = False) -> str:
    """The longest head that ``text`` starts with, as written in ``text`` ("" if none)."""
    folded = fold(text) if ignore_case else text
    for key in _longest_first(tuple(heads), ignore_case):
        if folded.startswith(key) and (len(text) == len(key) or not text[len(key)].isalnum()):
            return text[:len(key)]
    return ""


@lru_cache(maxsize=64)
def _longest_first(heads: tuple[str, ...], ignore_case: bool) -> tuple[str, ...]:
    """``heads`` as ``leading`` tries them: longest first, folded when case is ignored (the
    same few lists, for every mention)."""
    return tuple(fold(h) if ignore_case else h for h in sorted(heads, key=len, reverse=True))


def bare(name: str) -> str:
    """A place name without its own article ("Les Valières" -> "Valières")."""
    match = re.match(r"^(?:Le |La |Les |L['’])(?=[A-ZÀ-Þ])", name)
    return name[match.end():] if match else name


def join_after(before: str, name: str, *, label: str, name_article: bool = False) -> str:
    """``before`` + ``name`` with the link word recomputed ("Ville d'" + "Valmont" -> "Ville de Valmont")."""
    if not before.endswith((" ", "'", "’")):
        before += " "
    adjusted = adjust(before, name, label=label, name_article=name_article)
    return before[:len(before) - adjusted.consumed] + adjusted.text
