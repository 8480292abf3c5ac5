"""The long form of an acronym written beside it in brackets: "le SMEDAR (syndicat mixte
d'élimination des déchets de l'arrondissement de Rouen)", "l'association pour le maintien d'une
agriculture paysanne (AMAP)". The long form names the same body, place included (ANNOTATION.md),
so it is masked whole with the acronym.

A bracket is the acronym's long form when the acronym's letters are read, in order, off its
words: each letter opens a word, or goes on in the word the previous letter opened ("SIVOM":
Syndicat Intercommunal à VOcation Multiple); small words (de, la, à...) may be skipped, and
words after the last letter are the body's area ("... de la vallée du Lot"). At least two
thirds of the letters must open a word, the first one the long form's first word.
"""

from __future__ import annotations

import re

from anonymiser.text.fold import fold

# at most this many words in a long form
MAX_WORDS = 16
_SMALL = frozenset({"de", "du", "des", "d", "la", "le", "les", "l", "a", "au", "aux", "et", "en", "pour", "sur", "par",
                    "un", "une"})
_WORD = re.compile(r"[^\W\d_]+")
_INSIDE = re.compile(r"[ \t]*\((?P<long>[^()\n]{6,200})\)")
_BEFORE = re.compile(r"(?P<long>[^()\n.;:!?]{6,200}?)[ \t]*\($")


def spells(acronym: str, long_form: str) -> int:
    """How many words of ``long_form`` the letters of ``acronym`` are read off (0: not its long
    form). Words after the last letter's word are counted in."""
    letters = [c for c in fold(acronym) if c.isalpha()]
    words = [fold(w) for w in _WORD.findall(long_form)]
    if len(letters) < 2 or not words or len(words) > MAX_WORDS or words[0][:1] != letters[0]:
        return 0
    return len(words) if _read(letters, words, 1, 0, 1, 1) else 0


def _read(letters: list[str], words: list[str], letter: int, word: int, inside: int, opened: int) -> bool:
    """Whether ``letters[letter:]`` are read off ``words`` from ``words[word][inside:]`` on, with
    at least two thirds of all the letters opening a word (a search with backtracking: the long forms
    are short)."""
    if letter == len(letters):
        return opened * 3 >= len(letters) * 2
    wanted = letters[letter]
    found = words[word].find(wanted, inside)
    if found >= 0 and _read(letters, words, letter + 1, word, found + 1, opened):
        return True  # goes on in the current word
    for index in range(word + 1, len(words)):  # the next word, or one after small words
        if words[index][:1] == wanted and _read(letters, words, letter + 1, index, 1, opened + 1):
            return True
        if words[index] not in _SMALL:
            return False
    return False


def long_form_after(text: str, end: int, acronym: str) -> tuple[int, int] | None:
    """(start, end) of the long form in brackets right after an acronym ending at ``end``."""
    match = _INSIDE.match(text, end)
    if match is None or not spells(acronym, match.group("long")):
        return None
    long = match.group("long")
    start = match.start("long") + len(long) - len(long.lstrip())
    return start, match.start("long") + len(long.rstrip())


# an apposition after the acronym: ", le syndicat mixte des mobilités de l'aire grenobloise"
_APPOSITION = re.compile(r"[ \t]*,[ \t]+(?:(?:le|la|les|un|une|notre)[ \t]+|l['’][ \t]*)(?P<long>[^()\n.,;:!?]{6,200})")
# the sentence goes on after the long form: a relative pronoun, a verb, a filler
_CLAUSE = re.compile(r"(?<![\w'’-])(?:qui|que|qu['’]|dont|où|est|était|a|avait|ont|sont|fait|et|mais|donc|euh|ben|enfin"
                     r"|c['’]est|il|elle|ils|elles|on|nous|vous)(?![\w'’-])")


def long_form_apposition(text: str, end: int, acronym: str) -> tuple[int, int] | None:
    """(start, end) of the long form in apposition right after an acronym ending at ``end``: "le
    SMMAG, le syndicat mixte des mobilités de l'aire grenobloise, ..." (article left out)."""
    match = _APPOSITION.match(text, end)
    if match is None:
        return None
    long = match.group("long")
    clause = _CLAUSE.search(long)
    long = long[:clause.start()] if clause else long
    if not spells(acronym, long):
        return None
    start = match.start("long")
    return start, start + len(long.rstrip())


def long_form_before(text: str, start: int, end: int) -> tuple[int, int] | None:
    """(start, end) of the long form before an acronym in brackets at ``start``..``end``: the
    shortest run of words before "(" that the acronym spells, whole."""
    if start < 1 or text[start - 1] != "(" or text[end:end + 1] != ")":
        return None
    acronym = text[start:end]
    window = text[max(0, start - 201):start]
    words = list(_WORD.finditer(window))
    for first in range(len(words) - 1, max(-1, len(words) - MAX_WORDS - 1), -1):
        long = window[words[first].start():]
        if _BEFORE.match(long) and spells(acronym, long.rstrip(" \t(")):
            begin = start - len(window) + words[first].start()
            return begin, begin + len(long.rstrip(" \t("))
    return None


__all__ = ["long_form_after", "long_form_apposition", "long_form_before", "spells"]
