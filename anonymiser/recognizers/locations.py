"""LOCATION: named places that are not communes (docs/annotation.en.md: streets, valleys, rivers,
buildings, venues, regions as places, neighbourhoods).

Three rules: a place noun then a capitalised name ("rue Jean-Jaurès", "quai de la Fosse",
"la tour Bizet"); a known river, natural region, département or région announced by an
article or a preposition ("la Seine", "dans le Var"); and, with a low score, an article
then a capitalised word in mid-sentence ("les Couronneries", "à la Roseraie").
"""

from __future__ import annotations

import re
from typing import Any

from presidio_analyzer import RecognizerResult

from anonymiser.recognizers.base import FrenchRecognizer, make_result
from anonymiser.recognizers.lexical import (
    CAP,
    CONNECTORS,
    LOWER,
    SP,
    Anchored,
    alternation,
    anchor_text,
    case_variants,
    heading_words,
    in_title_case_line,
    name_chain,
    sentence_initial,
)
from anonymiser.text.fold import fold, fold_key
from anonymiser.text.matching import PhraseIndex

# cardinal points in pairs are a figure of speech, not places: "du Nord au Sud", "de l'Est à l'Ouest"
_POINT = r"(?:Nord|Sud|Est|Ouest)"
_POINTS = re.compile(rf"(?:du|de{SP}l['’])[ \t]*{_POINT}{SP}(?:au|à{SP}l['’]|jusqu['’]au)[ \t]*{_POINT}")
# "à Nation", "jusqu'à République": one capitalised word after "à" (not "à la", "à l'")
_AFTER_A = re.compile(rf"(?<![\w'’-])(?:(?:jusqu['’])?à|vers|(?:du|à){SP}côté{SP}de|près{SP}de){SP}"
                     rf"(?P<name>[A-ZÀ-ÖØ-Þ][a-zß-öø-ÿœ]+)(?![\w'’-])")
# a saint's name after a place noun is often written in lower case in speech: "faubourg saint Antoine"
_SAINT = r"(?:saint|sainte|st|ste)(?:[ \t]+|-)(?=[A-ZÀ-ÖØ-Þ])"


_AT_PLACE = re.compile(r" (?:à|au|aux) (?=[A-ZÀ-Þ])")

class FrenchLocationRecognizer(FrenchRecognizer):
    """Rule-based LOCATION recognizer built from ``rules/locations.yaml``."""

    def __init__(
        self,
        *,
        place_nouns: tuple[str, ...],
        links: tuple[str, ...],
        names: tuple[str, ...],
        evidence_before: tuple[str, ...],
        score: float,
        blocked_words: frozenset[str] = frozenset(),
        not_places: frozenset[str] = frozenset(),
        streets: tuple[str, ...] = (),
        street_score: float = 0.95,
        generic: frozenset[str] = frozenset(),
        civilities: tuple[str, ...] = (),
        common_words: frozenset[str] = frozenset(),
        first_names: frozenset[str] = frozenset(),
        adjectives: tuple[str, ...] = (),
        supported_language: str = "fr",
    ) -> None:
        self.common_words = common_words
        self.first_names = {fold(n) for n in first_names}
        self.generic = {fold(w) for w in generic}
        self.civilities = {fold(c).rstrip(".") for c in civilities}
        self.streets = {fold(w) for w in streets}
        self.street_score = street_score
        self.not_places = {fold(w) for w in not_places}
        chain = name_chain(CONNECTORS)
        nouns = alternation(case_variants(place_nouns))
        link = alternation(links)
        # an adjective may come between the noun and its name: "le marché couvert Beaux-Arts"; a
        # heading in Title Case capitalises the link ("Chemin De La Borie-Basse")
        adjective = rf"(?:{SP}(?:{alternation(adjectives)})(?![\w'’-]))?" if adjectives else ""
        self._noun_name = Anchored(re.compile(
            rf"(?<![\w-])(?:{nouns}){adjective}(?:{SP}(?i:{link})(?:{SP}|(?<=['’])))?(?:{SP})?"
            rf"(?P<name>(?:{_SAINT})?{chain})"), place_nouns)
        # "{SP}?" would be a lazy "one or more" (SP ends in "+"): the elided article takes no
        # space ("à l'Épeule"), the others one
        self._article_name = re.compile(
            rf"(?<![\w'’-])(?:(?:les|des|la|le|aux|au|à{SP}la|du){SP}|(?:à{SP})?l['’][ \t]*)"
            rf"(?!{_POINT}(?![\w'’-]))(?P<name>{CAP}(?:-{CAP})*)(?![\w'’-])")
        # a capitalised place noun names a venue with its complement in lower case: "la Maison des
        # associations", "la Cité des métiers", "la Halle olympique"
        self.venue_nouns = {fold(n) for n in place_nouns}
        self._venue_tail = re.compile(
            rf"(?:{SP}(?:des|du|de{SP}la|de{SP}l['’]|d['’])(?:{SP}|(?<=['’]))[{LOWER}][{LOWER}-]+"
            rf"|{SP}[{LOWER}][{LOWER}-]+(?:ique|ive|if|al|ale|aire|elle|el|ien|ienne|ois|oise|é|ée))(?![\w'’-])")
        self.index: PhraseIndex[str] = PhraseIndex((n, n) for n in names)
        evidence = sorted({fold_key(e) for e in evidence_before}, key=len, reverse=True)
        self._evidence = re.compile(r"(?:^|[\s'’(])(?:" + "|".join(re.escape(e) for e in evidence) + r")[\s'’]*$")
        self.blocked = {fold(w) for w in blocked_words}
        self.score = score
        super().__init__(supported_entities=["LOCATION"], supported_language=supported_language,
                         name="FrenchLocationRecognizer")

    def load(self) -> None:
        pass

    def analyze(self, text: str, entities: list[str], nlp_artifacts: Any = None) -> list[RecognizerResult]:
        results = self._places(text)
        figures = [m.span() for m in _POINTS.finditer(text)]
        return [r for r in results if not any(s <= r.start and r.end <= e for s, e in figures)]

    def _places(self, text: str) -> list[RecognizerResult]:
        results = self._after_a(text)
        for match in self._noun_name.finditer(text, anchor_text(text)):
            start, end = match.span("name")
            if fold(text[start:end]) in self.blocked or fold(text[start:end]) in self.generic:
                continue  # "place de l'Église": every town has one
            if fold(re.split(r"[\s'’-]", text[start:end], maxsplit=1)[0]) in self.not_places:
                continue  # "le marché de Noël", "la salle des Fêtes": an event, not the place's name
            if heading_words(text, start, end, self.common_words):
                continue  # "Un Conseil De Quartier Tout Neuf À ...": a heading's words
            at = _AT_PLACE.search(text, start, end)  # "rue Jean-Jaurès à Brest": the street ends before "à"
            end = at.start() if at else end
            noun = fold(re.split(r"[\s'’]", match.group(0), maxsplit=1)[0])
            # after "rue", "avenue": the street's name even when it is a person's ("rue Victor-Hugo")
            score = self.street_score if noun in self.streets else self.score
            results.append(self._result(start, end, score, "fr.location.place_noun"))
        for place in self.index.find(text):
            surface = text[place.start:place.end]
            if not surface[:1].isupper():
                continue
            before = fold(text[max(0, place.start - 15):place.start])
            if self._evidence.search(before):
                results.append(self._result(place.start, place.end, self.score, "fr.location.named_place"))
        for match in self._article_name.finditer(text):
            start, end = match.span("name")
            if sentence_initial(text, match.start()) and not text[match.start()].islower():
                continue  # a lower-case article opening a turn ("E : la Musette ça a commencé") still says a name
            tail = self._venue_tail.match(text, end) if fold(text[start:end]) in self.venue_nouns else None
            if tail is not None and not in_title_case_line(text, start, tail.end()):
                results.append(self._result(start, tail.end(), 0.5, "fr.location.article_name"))
                continue
            if fold(text[start:end]) in self.blocked:
                continue
            if fold(text[start:end]).rstrip(".") in self.civilities or fold(text[start:end]) in self.generic:
                continue  # "le Dr Lemaire": a title; "la Gare": every town has one
            if fold(text[start:end]) in self.not_places or heading_words(text, start, end, self.common_words):
                continue  # "les Chinois", "un Hongrois": people of a country, not a place; a heading's words
            results.append(self._result(start, end, 0.5, "fr.location.article_name"))
        return results

    def _after_a(self, text: str) -> list[RecognizerResult]:
        """A French word with a capital after "à" (or "vers", "du côté de", "près de") in mid-sentence
        names a place, as a station or a square said alone: "on descendait à Nation", "jusqu'à
        République", "du côté de Convention" (not "à Noël", "à Rose")."""
        results = []
        for match in _AFTER_A.finditer(text):
            start, end = match.span("name")
            word = text[start:end]
            folded = fold(word)
            if word.lower() not in self.common_words or folded in self.first_names or folded in self.not_places:
                continue
            if folded in self.blocked or folded in self.generic or folded.rstrip(".") in self.civilities \
                    or sentence_initial(text, match.start()):
                continue
            if in_title_case_line(text, start, end):
                continue
            results.append(self._result(start, end, 0.5, "fr.location.after_a"))
        return results

    def _result(self, start: int, end: int, score: float, rule_id: str) -> RecognizerResult:
        return make_result("LOCATION", start, end, score, rule_id=rule_id, recognizer=self.name)
