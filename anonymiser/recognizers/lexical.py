"""Regular-expression building blocks for French names, shared by the rule recognizers."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import Any

import ahocorasick

from anonymiser.text.fold import fold

UPPER = "A-ZÀ-ÖØ-Þ"
LOWER = "a-zß-öø-ÿœ"
# A capitalised word, possibly hyphenated or with an inner apostrophe: Marie-Claire, Saint-Herblain.
CAP = rf"[{UPPER}][{LOWER}]+(?:[-'’][{UPPER}{LOWER}][{LOWER}]*)*"
# An upper-case word of two letters or more: MARCHAL, LE-GOFF.
CAPS = rf"[{UPPER}]{{2,}}(?:[-'’][{UPPER}]+)*"
# Initials: I., J.-P., J.P.
INITIALS = rf"[{UPPER}]\.(?:\s?-?[{UPPER}]\.)*"
# A capitalised or upper-case token, or one starting with a digit (for "Lycée 2").
NAME_TOKEN = rf"(?:{CAP}|{CAPS})(?![\w'’-])"
# Horizontal space only: names never run across a line break.
SP = r"[ \t\u00a0\u202f]+"


def alternation(words: Iterable[str]) -> str:
    """A regex alternation of literal words, longest first; spaces match any white space,
    apostrophes match straight or curly ones."""
    escaped = []
    for word in sorted(set(words), key=lambda w: (-len(w), w)):
        pieces = []
        for char in word:
            if char == " ":
                pieces.append(SP)
            elif char in "'’":
                pieces.append("['’]")
            elif char in "-‐–":
                pieces.append("[-‐–]")
            else:
                pieces.append(re.escape(char))
        escaped.append("".join(pieces))
    return "(?:" + "|".join(escaped) + ")"


def case_variants(words: Iterable[str]) -> list[str]:
    """Each word as written, in lower case and with a capital: for case-sensitive patterns
    whose head word may start a sentence ("Rue", "Maire")."""
    out: list[str] = []
    for word in words:
        out += [word, word.lower(), word[:1].upper() + word[1:]]
    return list(dict.fromkeys(out))


def name_chain(connectors: Iterable[str]) -> str:
    """Capitalised tokens joined by spaces, hyphens or lower-case connectors (de, la, sur...),
    always ending on a capitalised token: "Pays de la Loire", "Les Acacias"."""
    link = alternation(connectors)
    return rf"{NAME_TOKEN}(?:(?:{SP}|-)(?:{link}(?:{SP}|(?<=['’])))?{NAME_TOKEN})*"


CONNECTORS = ("de", "du", "des", "d'", "de la", "de l'", "la", "le", "les", "l'", "sur", "sous",
              "en", "lès", "lez", "aux", "au", "à")


def sentence_initial(text: str, start: int) -> bool:
    """True when ``start`` begins a sentence, a line or a quoted turn."""
    index = start - 1
    while index >= 0 and text[index] in " \t\u00a0«\"“(-–—·•*":
        index -= 1
    return index < 0 or text[index] in ".!?:\n\r…"


class _Lines:
    """Where the lines of one text start and end, and what was found of each line: a test of
    the line around a span costs the line once, not once per span (a text in one line of a
    megabyte has thousands of candidate spans)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.breaks = [m.start() for m in re.finditer("\n", text)]
        self.found: dict[tuple[str, int, int], bool] = {}

    def around(self, start: int, end: int) -> tuple[int, int]:
        """The line (or lines) around ``[start, end)``: after the last line break before
        ``start``, up to the first at or after ``end``."""
        before = bisect.bisect_left(self.breaks, start)
        after = bisect.bisect_left(self.breaks, end)
        return (self.breaks[before - 1] + 1 if before else 0,
                self.breaks[after] if after < len(self.breaks) else len(self.text))


@lru_cache(maxsize=2)
def _lines(text: str) -> _Lines:
    return _Lines(text)


_LINE_END = re.compile(r"[ \t]*:?[ \t]*$", re.MULTILINE)


def alone_on_line(text: str, start: int, end: int) -> bool:
    """True when ``[start, end)`` stands alone on its line, a heading ("EXCUSÉS :", "- PRÉSENTS")."""
    return _LINE_END.match(text, end) is not None and not text[text.rfind("\n", 0, start) + 1:start].strip(" \t-–•*#")


def in_upper_line(text: str, start: int, end: int) -> bool:
    """True when the line around ``[start, end)`` is a heading written in capitals."""
    lines = _lines(text)
    line_start, line_end = lines.around(start, end)
    key = ("upper", line_start, line_end)
    if key not in lines.found:
        letters = [c for c in text[line_start:line_end] if c.isalpha()]
        lines.found[key] = len(letters) >= 12 and sum(c.isupper() for c in letters) / len(letters) > 0.8
    return lines.found[key]


_SMALL_WORDS = frozenset({"de", "du", "des", "la", "le", "les", "l", "d", "et", "en", "au", "aux", "à", "pour",
                          "sur", "dans", "avec", "par", "un", "une", "ce", "qu", "il",
                          # pronouns, possessives and auxiliaries: a heading's words, never a name's
                          # (no word of one letter: "E. Y." is a person's initials)
                          "se", "vous", "nous", "ils", "elles", "on", "sont", "est", "ont", "ses", "son",
                          "sa", "leur", "leurs", "nos", "notre", "vos", "votre", "qui", "ne", "pas"})


_FEAST = re.compile(r"(?:Saint|Sainte|St|Ste)-")
_FEAST_BEFORE = re.compile(r"(?<![\w'’-])la[ \t]+$")


def feast_day(text: str, start: int) -> bool:
    """True when a saint's name at ``start`` follows "la": a saint's day ("la fête de la
    Saint-Jean", "à la Sainte-Barbe"), not the commune or the place of that name."""
    return _FEAST.match(text, start) is not None and _FEAST_BEFORE.search(text, max(0, start - 4), start) is not None


def capitalised_small_word(surface: str) -> bool:
    """True when a word after the first is a small word written with a capital ("École Et
    Jeunesse"): a heading's Title Case, since a name keeps its small words in lower case."""
    words = re.findall(r"[^\W\d_]+", surface)
    if words and words[0] in {"Et", "Pour", "Dans", "Avec", "Par"}:
        return True  # a name never starts on a conjunction or one of these prepositions
    return any(w[:1].isupper() and w.lower() in _SMALL_WORDS for w in words[1:])


def in_heading_words(text: str, start: int, end: int) -> bool:
    """True when ``[start, end)`` lies in a Title Case line whose small words have capitals
    ("## Sport Et Loisirs"): every word of it is the heading's, none a name on its own."""
    if not in_title_case_line(text, start, end):
        return False
    lines = _lines(text)
    line_start, line_end = lines.around(start, end)
    key = ("small", line_start, line_end)
    if key not in lines.found:
        lines.found[key] = capitalised_small_word(text[line_start:line_end].lstrip("#>*-• \t"))
    return lines.found[key]


def in_title_case_line(text: str, start: int, end: int) -> bool:
    """True when the line around ``[start, end)`` is a heading in Title Case: every word
    capitalised, small words too ("Compte Rendu De L'Assemblée", "Fin De La Réunion"), or a
    Markdown heading or front-matter title with every word capitalised ("## Vie Associative").
    A name keeps its small words in lower case ("Comité de quartier", "Maison de la Vie")."""
    lines = _lines(text)
    line_start, line_end = lines.around(start, end)
    key = ("title", line_start, line_end)
    if key not in lines.found:
        lines.found[key] = _title_case(text, line_start, line_end)
    return lines.found[key]


def _title_case(text: str, start: int, end: int) -> bool:
    heading = _HEADING.match(text, start, end)
    words = []
    for token in _TOKEN.finditer(text, heading.end() if heading else start, end):
        word = token.group(0).strip("«»\"'’()[]:;,.!?–—-")
        if word[:1].isalpha():
            if not word[:1].isupper():
                return False  # read up to the first small letter only, not the whole line
            words.append(word)
    if len(words) < 2:
        return False
    return bool(heading) or any(w.lower() in _SMALL_WORDS for w in words[1:])


_TOKEN = re.compile(r"\S+")
# a function word written with a capital inside a line marks a heading ("Le CCAS À Vos Côtés",
# "Le Jardin Partagé S'agrandit"): a name keeps them in lower case ("le Val des Roses")
_HEADING_WORD = re.compile(r"(?<=[\w,)][ \t])(?:(?:À|Au|Aux|Vos|Nos|Votre|Notre|Pour|Avec|Dans|Son|Sa|Ses|Leur|Leurs"
                           r"|Se|Est|Sont|Qui)(?![\w'’-])|S['’][a-zà-ÿ])")


def heading_words(text: str, start: int, end: int, common_words: frozenset[str]) -> bool:
    """True when ``[start, end)`` is ordinary words all written with a capital in a heading that
    capitalises its function words ("Vos Côtés" in "Le CCAS À Vos Côtés"); not a name written
    with its own small words ("Val des Roses") nor one that is no ordinary word."""
    lines = _lines(text)
    line_start, line_end = lines.around(start, end)
    key = ("heading", line_start, line_end)
    if key not in lines.found:
        lines.found[key] = _HEADING_WORD.search(text, line_start, line_end) is not None \
            and text[line_start:line_end].rstrip()[-1:] not in ".;"
    if not lines.found[key]:
        return False
    words = re.findall(r"[^\W\d_][\w'’-]*", text[start:end])
    return bool(words) and all(w[:1].isupper() and (w.lower() in common_words or w.lower() in _SMALL_WORDS
                                                    or w.lower().split("'")[-1] in common_words) for w in words)


# a Markdown heading or a front-matter title: "## Vie Associative", "title: Rapport Moral"
_HEADING = re.compile(r"[ \t]*(?:#{1,6}[ \t]+|title:[ \t]*[\"']?)")


# Letters whose case-insensitive matching ``fold`` follows (Latin-1, œ, punctuation): see Anchored.
_FOLDABLE = re.compile(r"[^\x00-\xff\u0152\u0153\u2010-\u2027\u202f\u20ac]")
_PIECE = re.compile(r"\w+")


def tagged_tokens(nlp_artifacts: Any, start: int, end: int, *, more_than: int = 0) -> list[Any] | None:
    """The parsed tokens over ``[start, end)`` with their part of speech (``pos_``, ``idx``,
    ``text``), run on demand (only the spans that ask pay for it: the engine's ``tagged`` tags
    them and a few tokens around); None without a parsed ``Doc``, or when the span has
    ``more_than`` tokens or fewer (then nothing is tagged)."""
    doc = getattr(nlp_artifacts, "tokens", None)
    if doc is None:
        return None
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) <= more_than:
        return None
    tagged = getattr(nlp_artifacts.nlp_engine, "tagged", None)
    if tagged is not None:
        return list(tagged(doc, span.start, span.end))
    tag = getattr(nlp_artifacts.nlp_engine, "part_of_speech", None)
    if tag is not None and not doc.has_annotation("POS"):
        doc = tag(doc)
    return list(doc[span.start:span.end])


@lru_cache(maxsize=2)
def anchor_text(text: str) -> str | None:
    """``fold(text)`` for ``Anchored.finditer``, or None when the text has letters whose
    case-insensitive matching ``fold`` does not follow (then patterns try every position).
    Kept for the last texts: every recognizer of the analyzer asks for the same one."""
    return None if _FOLDABLE.search(text) else fold(text)


class Anchored:
    """A pattern whose every match starts, at the start of a word, with one of ``words``.

    One automaton over the folded text finds where those words' first pieces start, and
    the pattern is tried there only: the same matches as ``pattern.finditer``, without
    trying a large case-insensitive alternation at every position of the text. A text with
    letters outside Latin-1 and œ falls back to ``finditer`` (case-insensitive matching has
    cases there that ``fold`` does not follow).
    """

    def __init__(self, pattern: re.Pattern[str], words: Iterable[str]) -> None:
        self.pattern = pattern
        firsts = {piece.group(0) for piece in (_PIECE.match(fold(w)) for w in words) if piece}
        self._automaton = ahocorasick.Automaton()
        for first in firsts:
            self._automaton.add_word(first, len(first))
        if firsts:
            self._automaton.make_automaton()
        self._empty = not firsts

    def finditer(self, text: str, folded: str | None) -> Iterator[re.Match[str]]:
        """Matches in ``text``; ``folded`` is ``anchor_text(text)`` (None: try every position)."""
        if self._empty or folded is None:
            yield from self.pattern.finditer(text)
            return
        starts = sorted({end - length + 1 for end, length in self._automaton.iter(folded)})
        last = 0
        for start in starts:
            if start < last or (start > 0 and folded[start - 1].isalnum()):
                continue
            match = self.pattern.match(text, start)
            if match:
                yield match
                last = max(match.end(), start + 1)
