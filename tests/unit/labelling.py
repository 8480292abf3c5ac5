"""Shared by the label tests: the label evidence of the bundled rules, and hand-built spans."""

from __future__ import annotations

from anonymiser.config.rules import Config
from anonymiser.detect.labels import LabelEvidence
from anonymiser.link import FormPolicy
from anonymiser.model import Span


def label_evidence(config: Config) -> LabelEvidence:
    return LabelEvidence.from_config(config, FormPolicy.from_config(config).first_names)


def span(text: str, form: str, label: str, rule: str = "fr.org.capitalised_run", nth: int = 0) -> Span:
    """The ``nth`` occurrence (from 0) of ``form`` in ``text``, as a span of ``label`` found by ``rule``."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(form, start + 1)
    return Span.of(text, start, start + len(form), label, recognizer=rule)


def shown(spans: list[Span]) -> list[tuple[str, str]]:
    return [(s.text, s.label) for s in spans]
