"""recognizers/persons: names after a civility, full names, initials, particles, speakers; ordinary words left alone
(hand-built texts, no spaCy model)."""

from __future__ import annotations

import pytest

from .recognizing import by_name
from .recognizing import found as _found


@pytest.fixture(scope="module")
def recognizers(config):
    return by_name(config)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Quand M. Tessier est arrivé", "Tessier"),
        ("J'ai vu Isabelle Marchal hier", "Isabelle Marchal"),
        ("avec J.-P. ROUSSEL et d'autres", "J.-P. ROUSSEL"),
        ("Anne de La Salle nous a reçus", "Anne de La Salle"),
        ("Mme N'Diaye est venue", "N'Diaye"),
        ("Nadia : oui, tout à fait.", "Nadia"),
        ("avec Bruno Kerleau du CCAS de Poitiers", "Bruno Kerleau"),
    ],
)
def test_recognizers_persons_person(recognizers, text: str, expected: str) -> None:
    assert ("PERSON", expected) in _found(recognizers["FrenchPersonRecognizer"], text)


@pytest.mark.parametrize("text", ["Enquêtrice : alors ?", "La Région finance.", "Les chefs d'entreprise"])
def test_recognizers_persons_person_not_found(recognizers, text: str) -> None:
    assert _found(recognizers["FrenchPersonRecognizer"], text) == []
