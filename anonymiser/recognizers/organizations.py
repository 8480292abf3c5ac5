"""ORGANIZATION by head word or suffix over a capitalised name, whole name kept:
"Ville de Poitiers", "CCAS de Rezé", "Association Vélo Cité Angers", "Nantes Métropole"."""

from __future__ import annotations

import re
from typing import Any

from presidio_analyzer import LocalRecognizer, RecognizerResult

from .base import make_result
from .lexical import CONNECTORS, alternation, name_chain


class FrenchOrganizationRecognizer(LocalRecognizer):
    """Rule-based ORGANIZATION recognizer built from ``rules/organizations.yaml``."""

    def __init__(
        self,
        *,
        heads: tuple[str, ...],
        suffixes: tuple[str, ...],
        prefixes: tuple[str, ...],
        names: tuple[str, ...],
        score: float,
        supported_language: str = "fr",
    ) -> None:
        chain = name_chain(CONNECTORS)
        link = alternation(["de", "du", "des", "d'", "de la", "de l'"])
        head = alternation(heads)
        lower_heads = alternation(h[0].lower() + h[1:] for h in heads if not h.isupper())
        self._rules = [
            ("fr.org.head_name", re.compile(rf"(?<![\w-])(?:{head})(?:\s+{link}\s*|\s+|(?<=['’]))(?:{chain})")),
            ("fr.org.head_lower", re.compile(rf"(?<=\s)(?:{lower_heads})(?:\s+{link}\s*|\s+)(?:{chain})")),
            ("fr.org.name_suffix", re.compile(rf"(?<![\w-])(?:{chain})\s+(?:{alternation(suffixes)})(?![\w-])")),
            ("fr.org.prefix_name", re.compile(rf"(?<![\w-])(?:{alternation(prefixes)})\s+(?:{chain})")),
            ("fr.org.known_name", re.compile(rf"(?<![\w-]){alternation(names)}(?![\w-])")),
        ]
        self.score = score
        super().__init__(supported_entities=["ORGANIZATION"], supported_language=supported_language,
                         name="FrenchOrganizationRecognizer")

    def load(self) -> None:  # noqa: D102
        pass

    def analyze(self, text: str, entities: list[str], nlp_artifacts: Any = None) -> list[RecognizerResult]:
        results = []
        for rule_id, pattern in self._rules:
            for match in pattern.finditer(text):
                results.append(make_result("ORGANIZATION", match.start(), match.end(), self.score,
                                           rule_id=rule_id, recognizer=self.name))
        return results
