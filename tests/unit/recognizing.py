"""Shared by the recognizer tests: the French recognizers by name, and what one finds in a text."""

from __future__ import annotations

from presidio_analyzer import EntityRecognizer

from anonymiser.config.rules import Config
from anonymiser.recognizers import french_recognizers


def by_name(config: Config) -> dict[str, EntityRecognizer]:
    return {r.name: r for r in french_recognizers(config)}


def found(recognizer: EntityRecognizer, text: str) -> list[tuple[str, str]]:
    """``(label, surface)`` of each result of ``recognizer`` on ``text`` (no spaCy model)."""
    return [(r.entity_type, text[r.start:r.end]) for r in recognizer.analyze(text, None, None)]
