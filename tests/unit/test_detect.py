"""Overlap resolution and grid filtering (pure, no model)."""

from anonymiser.detect.spans import outside_grid, resolve_overlaps
from anonymiser.model import Span
from anonymiser.text.grid import GridRegion

PRIORITY = ["EMAIL_ADDRESS", "ROLE", "ORGANIZATION", "PERSON", "MUNICIPALITY", "LOCATION"]


def test_detect_longest_span_wins() -> None:
    text = "le CCAS de Rezé aide"
    spans = [Span.of(text, 3, 15, "ORGANIZATION", score=0.85), Span.of(text, 11, 15, "MUNICIPALITY", score=0.99)]
    assert [(s.text, s.label) for s in resolve_overlaps(spans, PRIORITY)] == [("CCAS de Rezé", "ORGANIZATION")]


def test_detect_partial_overlaps_are_merged() -> None:
    text = "la vice-présidente à l'agriculture de la Communauté de communes du Diois parle"
    role = Span.of(text, 3, text.index("Communauté") + len("Communauté"), "ROLE", score=0.75)
    org = Span.of(text, text.index("Communauté"), text.index(" parle"), "ORGANIZATION", score=0.85)
    result = resolve_overlaps([role, org], PRIORITY)
    assert len(result) == 1 and result[0].text == text[3:text.index(" parle")]
    result[0].check(text)


def test_detect_merge_never_crosses_lines() -> None:
    text = "Martin Dupont\nDupont Immobilier"
    a = Span.of(text, 0, 13, "PERSON", score=0.9)
    b = Span.of(text, 7, 17, "ORGANIZATION", score=0.5)
    assert [s.text for s in resolve_overlaps([a, b], PRIORITY)] == ["Martin Dupont"]


def test_detect_spans_in_grid_text_are_dropped_or_clipped() -> None:
    text = "Prénom et nom : Nadia Haddad\n"
    region = GridRegion(0, 15, "Prénom et nom")
    spans = [Span.of(text, 0, 6, "PERSON"), Span.of(text, 10, 28, "PERSON")]
    assert [s.text for s in outside_grid(text, spans, [region])] == ["Nadia Haddad"]
