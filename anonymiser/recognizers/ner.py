"""spaCy NER (fr_core_news_md) mapped to our labels and cleaned for interviews.

Presidio has already mapped spaCy's PER/ORG/LOC to PERSON/ORGANIZATION/LOCATION in the
``NlpArtifacts``; this recognizer trims articles and civilities, splits spans at line
breaks, drops stop-listed words, and turns a place found in the gazetteer into a
MUNICIPALITY.
"""

from __future__ import annotations

import re
from typing import Any

from presidio_analyzer import RecognizerResult

from anonymiser.recognizers.base import FrenchRecognizer, make_result
from anonymiser.recognizers.lexical import alternation, in_title_case_line, in_upper_line
from anonymiser.text.fold import fold_key
from anonymiser.text.matching import PhraseIndex

_INCLUSIVE = re.compile(r"(?:\.e\.s|\.e|·e·s|·e|\(e\)s?)$")



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
        supported_language: str = "fr",
    ) -> None:
        self.labels = set(labels)
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
        if not any(c.isupper() for c in surface) or sum(c.isalpha() for c in surface) < 2:
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
        inner_capitals = any(w[:1].isupper() for w in words[1:])
        place_adjective = any(self._demonym.search(w) for w in words[1:])
        if not inner_capitals and not place_adjective and all(self._common(w) for w in words):
            return False
        return True

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
                if label == "LOCATION" and self.communes is not None:
                    match = self.communes.find(surface)
                    if match and match[0].start == 0 and match[0].end == len(surface):
                        out_label = "MUNICIPALITY"
                results.append(make_result(out_label, start, end, min(score, self.score),
                                           rule_id=f"{self.rule_id}.{out_label.lower()}",
                                           recognizer=self.name))
        return results
