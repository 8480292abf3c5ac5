"""MUNICIPALITY: an arrondissement said in words or digits ("dans le onzième", "le 7e",
"Paris quinze", "Lyon 3e", "dix-septième arrondissement").

An ordinal is an arrondissement only where it is used as a place name, not as an adjective:

- ``fr.municipality.arrondissement``: a city before it ("Paris quinze": the city is in the
  span), the word "arrondissement" after it, or a determiner of place before it ("le", "du",
  "côté"...) when nothing but a function word, a name or punctuation follows ("le troisième
  âge", "dix-huit ans", "le deuxième tour" are not places);
- ``fr.municipality.arrondissement_bare``: in a document that has at least one of those, an
  ordinal with no determiner ("vingtième ouais", "le douzième treizième") or after "au"/"du"
  (which may as well be a floor), unless a word before makes it something else ("en sixième"
  is a school year, "la deuxième" a person or a time). Near a word of buildings ("étage",
  "ascenseur") an ordinal is a floor, and so is one after "au" and a verb of living or going up
  ("elle est au quatrième", "on habite au cinquième").

The town hall of arrondissements is an ORGANIZATION, whole (``fr.org.arrondissement_town_hall``:
"la mairie des 2e et 3e arrondissements").

The evidence is the document's own: a transcript about school years has no arrondissement.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from presidio_analyzer import RecognizerResult

from anonymiser.recognizers.base import FrenchRecognizer, make_result
from anonymiser.recognizers.lexical import Anchored, alternation, anchor_text

RULE = "fr.municipality.arrondissement"
BARE_RULE = "fr.municipality.arrondissement_bare"
TOWN_HALL_RULE = "fr.org.arrondissement_town_hall"
_LETTERS = r"[^\W\d_]+"
_NUMERIC = r"(?:[1-9]|1\d|20)(?:er|e|è|ème|eme|ᵉ)"


def _words(items: Iterable[str]) -> frozenset[str]:
    return frozenset(item.lower() for item in items)


class ArrondissementRecognizer(FrenchRecognizer):
    """Arrondissements of the cities in ``cities``, from ``rules/spoken.yaml``."""

    def __init__(
        self,
        *,
        cities: tuple[str, ...],
        ordinals: tuple[str, ...],
        rare_ordinals: tuple[str, ...],
        cardinals: tuple[str, ...],
        before: tuple[str, ...],
        nouns: tuple[str, ...],
        after: tuple[str, ...],
        not_before: tuple[str, ...],
        weak_before: tuple[str, ...] = (),
        floor_words: tuple[str, ...] = (),
        floor_verbs: tuple[str, ...] = (),
        masculine_before: tuple[str, ...] = (),
        feminine_after: tuple[str, ...] = (),
        score: float = 0.85,
        bare_score: float = 0.75,
        supported_language: str = "fr",
    ) -> None:
        self.ordinals, self.rare = _words(ordinals), _words(rare_ordinals)
        self.cardinals = _words(cardinals)
        self.cities = frozenset(cities)
        self.before, self.nouns = _words(before), _words(n.rstrip(".") for n in nouns)
        self.after, self.not_before = _words(after), _words(not_before)
        self.weak_before = _words(weak_before)
        self.masculine_before, self.feminine_after = _words(masculine_before), _words(feminine_after)
        self._floor = re.compile(rf"(?<![\w-])(?i:{alternation(floor_words)})(?![\w-])") if floor_words else None
        self._floor_verb = re.compile(rf"(?<![\w-])(?i:{alternation(floor_verbs)})[ \t]+(?i:au)[ \t]+$") \
            if floor_verbs else None
        self.score, self.bare_score = score, bare_score
        words = alternation((*ordinals, *rare_ordinals, *cardinals))
        # an ordinal may be glued to the next word by the transcription ("seizièmequi")
        glued = rf"(?P<glued>{_LETTERS})?(?![\w-])"
        # words found by one automaton over the folded text (a large case-insensitive alternation
        # tried at every position costs more than the rest of this recognizer); digits by a regex
        self._word = Anchored(re.compile(rf"(?<![\w-])(?P<word>(?i:{words})){glued}"),
                              (*ordinals, *rare_ordinals, *cardinals))
        self._numeric = re.compile(rf"(?<![\w-])(?P<word>{_NUMERIC}){glued}")
        # the town hall of one or two arrondissements is their body: "la mairie du 5e
        # arrondissement", "la mairie des 2e et 3e arrondissements", "la mairie du onzième"
        ordinal = rf"(?:{_NUMERIC}|(?i:{alternation(ordinals)}))"
        self._town_hall = re.compile(
            rf"(?<![\w-])(?i:mairie)[ \t]+(?:du|des|de[ \t]+la)[ \t]+{ordinal}(?:[ \t]*(?:,|et)[ \t]*{ordinal})*"
            rf"(?:[ \t]+(?i:arrondissements?|secteur))?(?![\w-])")
        # a city, then the arrondissement: "arrivée de Paris du quinzième", "à Lyon dans le 3e"
        self._city_then = re.compile(
            rf"(?<![\w-])(?:{alternation(cities)})[ \t]*,?[ \t]+(?:du|dans[ \t]+le|le|au)[ \t]+$") if cities else None
        # ... or said earlier in the sentence: "un couple arrivé de Paris il y a deux ans, du onzième"
        self._city_in_sentence = re.compile(
            rf"(?<![\w-])(?:{alternation(cities)})(?![\w-])[^.!?\n]{{0,80}}$") if cities else None
        self._previous = re.compile(rf"(?P<word>{_LETTERS}|[\w.]+)[^\w\n]*$")
        self._next = re.compile(rf"[ \t]*(?:[+]+[ \t]*|\[[^\]\n]{{0,20}}\][ \t]*)*(?P<word>{_LETTERS})?")
        super().__init__(supported_entities=["MUNICIPALITY", "ORGANIZATION"], supported_language=supported_language,
                         name="ArrondissementRecognizer")

    def load(self) -> None:
        pass

    def _kind(self, word: str) -> str:
        lower = word.lower()
        if lower in self.ordinals:
            return "ordinal"
        if lower in self.rare:
            return "rare"
        if lower in self.cardinals:
            return "cardinal"
        return "numeric"

    def _follows_well(self, text: str, end: int, glued: str | None, before: str = "") -> tuple[bool, bool]:
        """(the next word lets the ordinal be a place, the next word names an arrondissement).

        A feminine noun after a masculine determiner and the ordinal ("le treizième rue") is no
        noun the ordinal qualifies: the ordinal stands alone, as a place."""
        if glued:
            return glued.lower() in self.after, False
        match = self._next.match(text, end)
        word = match.group("word") if match else None
        if not word:
            return True, False  # punctuation, a line break, the end
        lower = word.lower()
        if lower in self.nouns:
            return True, True
        if lower in self.feminine_after and before.lower() in self.masculine_before:
            return True, False
        return word[:1].isupper() or lower in self.after or lower in self.ordinals or lower in self.cardinals, False

    def _near_floor(self, text: str, start: int, end: int) -> bool:
        line_start = max(text.rfind("\n", max(start - 61, 0), start) + 1, start - 60)
        line_end = text.find("\n", end)
        line_end = min(line_end if line_end >= 0 else len(text), end + 60)
        return self._floor is not None and self._floor.search(text, line_start, line_end) is not None

    def analyze(self, text: str, entities: list[str], nlp_artifacts: Any = None) -> list[RecognizerResult]:
        strong: list[tuple[int, int]] = []
        bare: list[tuple[int, int]] = []
        folded = anchor_text(text)
        matches = sorted([*self._word.finditer(text, folded), *self._numeric.finditer(text)], key=lambda m: m.start())
        for match in matches:
            start, end = match.start("word"), match.end("word")
            kind = self._kind(match.group("word"))
            window = max(text.rfind("\n", max(start - 41, 0), start) + 1, start - 40)
            previous = self._previous.search(text[window:start])
            before = previous.group("word") if previous else ""
            ok_after, named = self._follows_well(text, end, match.group("glued"), before)
            if not named and self._floor is not None and self._near_floor(text, start, end):
                continue  # "au cinquième sans ascenseur", "le troisième étage"
            if not named and self._floor_verb is not None and self._floor_verb.search(text, max(0, start - 30), start):
                continue  # "elle est au quatrième", "j'habite au cinquième": a floor
            if before in self.cities and (kind != "rare" or named):
                strong.append((window + previous.start("word") if previous else start, end))
            elif named or (self._city_then is not None and kind != "cardinal"
                           and self._city_then.search(text, window, start)):
                strong.append((start, end))
            elif not ok_after or kind == "rare" or (kind == "cardinal" and before.lower() not in {"le", "du", "au"}):
                continue
            elif before.lower() in self.before:
                strong.append((start, end))
            elif before.lower() in self.weak_before and kind in {"ordinal", "numeric"}:
                if self._city_in_sentence is not None and not named \
                        and self._city_in_sentence.search(text, max(0, start - 100), start):
                    strong.append((start, end))  # the city of the sentence has arrondissements
                else:
                    bare.append((start, end))
            elif kind in {"ordinal", "numeric"} and before.lower() not in self.not_before \
                    and not before[:1].isdigit():
                bare.append((start, end))
        results = [make_result("MUNICIPALITY", s, e, self.score, rule_id=RULE, recognizer=self.name)
                   for s, e in strong]
        results += [make_result("ORGANIZATION", m.start(), m.end(), self.score, rule_id=TOWN_HALL_RULE,
                                recognizer=self.name) for m in self._town_hall.finditer(text)]
        if strong:
            results += [make_result("MUNICIPALITY", s, e, self.bare_score, rule_id=BARE_RULE, recognizer=self.name)
                        for s, e in bare]
        return results
