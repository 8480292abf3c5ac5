"""Regular-expression building blocks for French names, shared by the rule recognizers."""

from __future__ import annotations

import re
from collections.abc import Iterable

UPPER = "A-ZÀ-ÖØ-Þ"
LOWER = "a-zß-öø-ÿœ"
# A capitalised word, possibly hyphenated or with an inner apostrophe: Marie-Claire, Saint-Herblain.
CAP = rf"[{UPPER}][{LOWER}]+(?:[-'’][{UPPER}{LOWER}][{LOWER}]*)*"
# An upper-case word of two letters or more: MARCHAL, LE-GOFF.
CAPS = rf"[{UPPER}]{{2,}}(?:[-'’][{UPPER}]+)*"
# Initials: I., J.-P., J.P.
INITIALS = rf"[{UPPER}]\.(?:\s?-?[{UPPER}]\.)*"
# A capitalised or upper-case token, or one starting with a digit (for "Lycée 2").
NAME_TOKEN = rf"(?:{CAP}|{CAPS})"


def alternation(words: Iterable[str]) -> str:
    """A regex alternation of literal words, longest first; spaces match any white space,
    apostrophes match straight or curly ones."""
    escaped = []
    for word in sorted(set(words), key=lambda w: (-len(w), w)):
        pattern = re.escape(word)
        pattern = pattern.replace(r"\ ", r"\s+").replace("'", "['’]").replace("’", "['’]")
        escaped.append(pattern)
    return "(?:" + "|".join(escaped) + ")"


def name_chain(connectors: Iterable[str]) -> str:
    """Capitalised tokens joined by spaces, hyphens or lower-case connectors (de, la, sur...),
    always ending on a capitalised token: "Pays de la Loire", "Les Acacias"."""
    link = alternation(connectors)
    return rf"{NAME_TOKEN}(?:(?:\s+|-)(?:{link}(?:\s+|(?<=['’])))?{NAME_TOKEN})*"


CONNECTORS = ("de", "du", "des", "d'", "de la", "de l'", "la", "le", "les", "l'", "sur", "sous",
              "en", "lès", "lez", "aux", "au", "à")


def sentence_initial(text: str, start: int) -> bool:
    """True when ``start`` begins a sentence, a line or a quoted turn."""
    index = start - 1
    while index >= 0 and text[index] in " \t\u00a0«\"“(-–—·•*":
        index -= 1
    return index < 0 or text[index] in ".!?:\n\r…"
