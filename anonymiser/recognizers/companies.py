"""A company said by its name alone where the sentence makes it one (``fr.org.company_context``):
after "racheté par", "repris par" ("la scierie a été rachetée l'an dernier par Tressol"), or
after "chez" with a word of trade or work near it in the sentence ("le pain de chez Lemarié,
le boulanger"; "j'ai bossé dix ans chez Vernhes"). Without such a word, "chez X" is someone's
home and stays the persons' rule's (``fr.person.chez``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from anonymiser.recognizers.lexical import CAP, SP, alternation
from anonymiser.text.fold import fold

COMPANY_CONTEXT = "fr.org.company_context"
_PARTNERS = r"(?:fils|frères|associés|cie|Fils|Frères|Associés|Cie)"
_NAME = (rf"(?P<name>{CAP}(?:(?:{SP}|-)(?:(?:de|du|des|d['’])(?:{SP}|(?<=['’])))?{CAP})*"
         rf"(?:{SP}(?:et|&){SP}{_PARTNERS})?)")
# the sentence around "chez X": up to this many characters on each side, on its line
_WINDOW = 60
_SENTENCE_END = re.compile(r"[.!?;\n]")


class CompanyContext:
    """Finds ``(start, end)`` of company names announced by the sentence."""

    def __init__(self, acquired: Iterable[str], trade_words: Iterable[str], first_names: frozenset[str],
                 blocked: frozenset[str]) -> None:
        acquired = tuple(acquired)
        # "rachetée l'an dernier par X": up to three words between the verb and "par"
        self._acquired = re.compile(
            rf"(?<![\w'’-])(?i:{alternation(acquired)})(?:{SP}[\w'’]+){{0,3}}?{SP}par{SP}{_NAME}(?![\w'’-])") \
            if acquired else None
        words = tuple(trade_words)
        self._trade = re.compile(rf"(?<![\w'’-])(?i:{alternation(words)})(?![\w'’-])") if words else None
        self._chez = re.compile(rf"(?<![\w'’-])chez{SP}{_NAME}(?![\w'’-])")
        self.first_names = first_names
        self.blocked = blocked

    def find(self, text: str) -> Iterator[tuple[int, int]]:
        if self._acquired is not None:
            for match in self._acquired.finditer(text):
                if self._name_ok(match.group("name")):
                    yield match.span("name")
        if self._trade is None:
            return
        for match in self._chez.finditer(text):
            if not self._name_ok(match.group("name")):
                continue
            before = text[max(0, match.start() - _WINDOW):match.start()]
            cut = max((m.end() for m in _SENTENCE_END.finditer(before)), default=0)
            after = text[match.end():match.end() + _WINDOW]
            stop = _SENTENCE_END.search(after)
            around = before[cut:] + " " + (after[:stop.start()] if stop else after)
            if self._trade.search(around):
                yield match.span("name")

    def _name_ok(self, name: str) -> bool:
        """Not a first name ("chez Mathilde"), not a word of the stoplist or a title."""
        first = fold(re.split(r"[\s-]", name, maxsplit=1)[0])
        return first not in self.first_names and first not in self.blocked
