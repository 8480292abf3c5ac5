"""ROLE ``fr.role.beside_name``: the shapes of a title said of a named person (roles.py).

- in brackets after the name, the whole of it in lower case ("Paul Terrier (premier adjoint,
  chargé des travaux)");
- before a colon and the name, also as an item of a list ("Cheffe de projet : Mme Roche",
  "- Trésorière : Yvette Caron ;"), or before a comma and the name after a list's colon or
  semicolon ("Bureau : présidente, Solène Morin ; trésorier, Paul Dubreuil");
- in an apposition ("Inès, qui est coordinatrice", "Maryse, la secrétaire de l'association",
  "Karim, qui était directeur", "Bernard, il est maire", "c'est Nathalie la secrétaire qui ...");
- bare between commas after a name, with what makes it specific ("Olivier, professeur de mécanique");
- with its article before the named person and a comma ("la directrice générale des services, Mme Roux").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from anonymiser.recognizers.lexical import SP, alternation

LOWER_WORD = r"[a-zß-öø-ÿœ][a-zß-öø-ÿœ'’-]*"
NAME = r"[A-ZÀ-ÖØ-Þ][\w'’.-]*"
_DETERMINERS = r"(?:(?:la|le|notre|sa|son|leur|votre)[ \t]+|l['’])"
# what is said of a person before the title: "qui est", "qui était", "il est", "elle a été"
_IS = r"(?:est|était|a[ \t]+été|avait[ \t]+été|sera|reste|est[ \t]+devenue?)"


@dataclass(frozen=True)
class Beside:
    """One shape; ``tag_checked`` when a title in it may be an interviewer's tag instead."""

    pattern: re.Pattern[str]
    tag_checked: bool = False


def beside_patterns(*, head: str, titled_head: str, link: str, chain: str, own: str,
                    civilities: tuple[str, ...], stop: tuple[str, ...]) -> list[Beside]:
    """The shapes of the module's docstring, built from the recognizer's pieces."""
    one = rf"{NAME}(?:[ \t](?:(?:de|du|des|le|la|d['’])[ \t]?)?{NAME}){{0,3}}"
    # what makes the title specific: "de l'association", "du centre social Les Tilleuls", "jeunesse"
    what = (rf"(?:{SP}(?:{link})(?:{SP}|(?<=['’]))(?:{LOWER_WORD}{SP}){{0,3}}?(?:{chain}|{LOWER_WORD}))?"
            rf"(?:{SP}{LOWER_WORD}){{0,2}}?")
    civility = alternation(civilities) if civilities else "(?!)"
    named = rf"(?:(?:{civility})[ \t]+{NAME}|{NAME}(?:[ \t]+(?:(?:de|du|le|la|d['’])[ \t]?)?{NAME}){{1,3}})"
    # a title's end: a punctuation mark, the line's end, or a word that opens what is said next
    stops = alternation(stop) if stop else "(?!)"
    ends = rf"(?=[ \t]*(?:[,;.()!?]|$)|{SP}(?:{stops}|à|au|aux)(?![\w'’-]))"
    bullet = r"(?:[-–—•*·][ \t]+)?"
    return [
        Beside(re.compile(rf"(?<![\w'’-]){one}[ \t]*\((?P<role>{head}{what}"
                          rf"(?:,[ \t]*[a-zß-öø-ÿœ][^()\n,A-ZÀ-Þ]{{0,60}}?)?)\)(?P<turn>[ \t]*:)?")),
        Beside(re.compile(rf"(?:^|(?<=[;(])|(?<=[;,(][ \t]))[ \t]*{bullet}(?P<role>{head}{what})[ \t]*:[ \t]*{named}"
                          rf"(?=[ \t]*(?:[,;.()]|$))", re.MULTILINE), tag_checked=True),
        Beside(re.compile(rf"(?:^[ \t]*{bullet}|[:;][ \t]*)(?P<role>{head}{what}),[ \t]*{named}"
                          rf"(?=[ \t]*(?:[,;.()]|$))", re.MULTILINE), tag_checked=True),
        Beside(re.compile(rf"(?<![\w'’-]){one},[ \t]*(?:qui[ \t]+{_IS}[ \t]+{_DETERMINERS}?|{_DETERMINERS})"
                          rf"(?P<role>{head}{what}){ends}", re.MULTILINE)),
        Beside(re.compile(rf"(?<![\w'’-]){one},[ \t]*(?:il|elle)[ \t]+{_IS}[ \t]+{_DETERMINERS}?"
                          rf"(?P<role>{head}{what}){ends}", re.MULTILINE)),
        Beside(re.compile(rf"(?<![\w'’-])(?i:c['’]est|c['’]était)[ \t]+{one}[ \t]+{_DETERMINERS}"
                          rf"(?P<role>{head}{what}){ends}", re.MULTILINE)),
        # before the named person, in an apposition: "la directrice générale des services, Mme Roux,"
        # (a title of two words or more: "le patron, M. Husson" says what he is to the speaker)
        Beside(re.compile(rf"(?<![\w'’-])(?i:{_DETERMINERS})(?P<role>(?=[^\s,]+[ \t]){head}{what}),[ \t]*{named}"
                          rf"(?=[ \t]*(?:[,;.()!?:]|$)|[ \t]+[a-zß-öø-ÿœ])", re.MULTILINE)),
        Beside(re.compile(rf"(?<![\w'’-]){NAME},[ \t]*(?P<role>{titled_head}{SP}(?:{link})(?:{SP}|(?<=['’]))"
                          rf"{own}{LOWER_WORD}(?:{SP}{own}{LOWER_WORD}){{0,3}})(?=[ \t]*[,;.()!?])")),
    ]
