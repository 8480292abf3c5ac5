"""Entities the key file already holds: always found, in every document, whatever NER says.

A user-supplied list is a recognizer like any other (as in scrubadub).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from presidio_analyzer import RecognizerResult

from anonymiser.recognizers.base import FrenchRecognizer, make_result
from anonymiser.text.matching import PhraseIndex


class KnownEntityRecognizer(FrenchRecognizer):
    """Finds every known surface form ``(text, label, entity_id)``.

    Matching folds case and accents, but a form written with a capital only matches
    text written with a capital ("Rose" the person, not "rose" the colour), unless it is one
    of ``lower_ok`` (a person's name that is no French word: "raymond" in a careless transcript).
    """

    RULE_ID = "key.known_form"

    def __init__(self, forms: Iterable[tuple[str, str, str]], *, supported_language: str = "fr",
                 labels: tuple[str, ...] = (), lower_ok: frozenset[str] = frozenset()) -> None:
        forms = list(forms)
        self.lower_ok = lower_ok  # forms written with a capital that match lower-case text too
        self.index: PhraseIndex[tuple[str, str, str]] = PhraseIndex((f[0], f) for f in forms)
        entities = sorted(set(labels) | {f[1] for f in forms}) or ["PERSON"]
        super().__init__(supported_entities=entities, supported_language=supported_language,
                         name="KnownEntityRecognizer")

    def load(self) -> None:
        pass

    def matches(self, text: str) -> list[tuple[int, int, str, str]]:
        """``(start, end, label, entity_id)`` for every known form in ``text``."""
        out = []
        for match in self.index.find(text):
            surface = text[match.start:match.end]
            # a form known to the key file wins over one only seen in the corpus
            payloads = sorted(match.payloads, key=lambda p: (not p[2], p[1], p[2]))
            for form, label, entity_id in payloads:
                if form[:1].isupper() and not surface[:1].isupper() and form not in self.lower_ok:
                    continue
                out.append((match.start, match.end, label, entity_id))
                break
        return out

    def analyze(self, text: str, entities: list[str], nlp_artifacts: Any = None) -> list[RecognizerResult]:
        return [
            make_result(label, start, end, 1.0, rule_id=self.RULE_ID, recognizer=self.name)
            for start, end, label, _entity in self.matches(text)
        ]


class ProjectWordsRecognizer(KnownEntityRecognizer):
    """The forms a project file says are always masked, ``(text, label)``, found in every
    document (``project.always_mask``)."""

    RULE_ID = "project.always_mask"

    def __init__(self, forms: Iterable[tuple[str, str]], *, supported_language: str = "fr") -> None:
        super().__init__(((text, label, "") for text, label in forms), supported_language=supported_language)
        self.name = "ProjectWordsRecognizer"
