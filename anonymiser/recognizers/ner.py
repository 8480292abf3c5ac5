"""spaCy NER (fr_core_news_md) mapped to our labels and cleaned for interviews.

Presidio has already mapped spaCy's PER/ORG/LOC to PERSON/ORGANIZATION/LOCATION in the
``NlpArtifacts``; this recognizer trims articles and civilities, splits spans at line
breaks, drops stop-listed words, and turns a place found in the gazetteer into a
MUNICIPALITY.
"""

from __future__ import annotations

import re
from typing import Any

from presidio_analyzer import LocalRecognizer, RecognizerResult

from ..matching import PhraseIndex
from ..textnorm import fold_key
from .base import make_result
from .lexical import alternation

_LEADING = ["le", "la", "les", "l'", "d'", "de", "du", "des", "au", "aux", "à", "en", "chez", "et", "un", "une"]


class FrenchNerRecognizer(LocalRecognizer):
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
        supported_language: str = "fr",
    ) -> None:
        self.labels = set(labels)
        self.score = score
        self.rule_id = rule_id
        self.stoplist = {fold_key(s) for s in stoplist}
        self.communes = communes
        self.common_words = common_words
        lead = alternation(_LEADING + [c for c in civilities])
        self._leading = re.compile(rf"^(?:(?:{lead})(?:\s+|(?<=['’])|(?<=\.)))+", re.IGNORECASE)
        super().__init__(supported_entities=sorted(self.labels | {"MUNICIPALITY"}),
                         supported_language=supported_language, name="FrenchNerRecognizer")

    def load(self) -> None:  # noqa: D102
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

    def _keep(self, surface: str) -> bool:
        if not any(c.isupper() for c in surface) or sum(c.isalpha() for c in surface) < 2:
            return False
        key = fold_key(surface)
        if key in self.stoplist:
            return False
        words = surface.split()
        if len(words) == 1 and surface.lower() in self.common_words and not surface.isupper():
            return False
        return any(c.isalpha() for c in surface)

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
                if not self._keep(surface):
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
