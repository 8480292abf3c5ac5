"""The names one span holds (detect.members), on hand-built spans of invented sentences: a
lower-case kind before a commune, a first name or a place left out, a coordination cut into its
members; and ``LabelEvidence.settle`` does the same."""

from __future__ import annotations

import pytest

from anonymiser.config.rules import Config
from anonymiser.detect.labels import LabelEvidence
from anonymiser.detect.members import coordination, kind_of_place

from .labelling import label_evidence, shown, span


@pytest.fixture(scope="module")
def evidence(config: Config) -> LabelEvidence:
    return label_evidence(config)


@pytest.mark.parametrize(("text", "form", "expected"), [
    ("La tournée va vers Plouay et Scaër le mardi.", "Plouay et Scaër",
     [("Plouay", "MUNICIPALITY"), ("Scaër", "MUNICIPALITY")]),
    ("Entre Rezé, Plouay et Quimperlé il y a du monde.", "Rezé, Plouay et Quimperlé",
     [("Rezé", "MUNICIPALITY"), ("Plouay", "MUNICIPALITY"), ("Quimperlé", "MUNICIPALITY")]),
    ("Ce soir Léa et Baptiste se proposent.", "Léa et Baptiste", [("Léa", "PERSON"), ("Baptiste", "PERSON")]),
    ("Les deux, Nadia + Guillaume, sont venus.", "Nadia + Guillaume", [("Nadia", "PERSON"), ("Guillaume", "PERSON")]),
    # a name with "et" in it that is no list of communes or first names stays whole
    ("La droguerie Kervec et Fils ferme.", "Kervec et Fils", [("Kervec et Fils", "ORGANIZATION")]),
    # a body's head with two communes is two bodies said once: the first, and the second's commune
    ("Le CCAS de Plouay et de Scaër nous aide.", "CCAS de Plouay et de Scaër",
     [("CCAS de Plouay", "ORGANIZATION"), ("Scaër", "MUNICIPALITY")]),
    # ... one with two complements that are no communes is one body
    ("La Communauté de communes du Kervec et de l'Aven vote.", "Communauté de communes du Kervec et de l'Aven",
     [("Communauté de communes du Kervec et de l'Aven", "ORGANIZATION")]),
])
def test_detect_members_a_coordination_is_cut_into_its_members(evidence: LabelEvidence, text: str, form: str,
                                                                expected: list[tuple[str, str]]) -> None:
    assert shown(coordination(evidence, text, span(text, form, "ORGANIZATION"))) == expected
    assert shown(evidence.settle(text, [span(text, form, "ORGANIZATION")])) == expected


@pytest.mark.parametrize(("text", "form", "rule", "expected"), [
    ("Rendez-vous à la ville de Rezé demain.", "ville de Rezé", "fr.org.head_lower", [("Rezé", "MUNICIPALITY")]),
    ("Il est en stage dans une association de Fécamp.", "association de Fécamp", "fr.org.kind_of_place",
     [("Fécamp", "MUNICIPALITY")]),
    ("Elle travaille à la communauté de communes Nadia.", "communauté de communes Nadia", "fr.org.head_lower",
     [("Nadia", "PERSON")]),
    ("On parle du centre ville de Kerlouanec.", "ville de Kerlouanec", "fr.org.head_lower",
     [("Kerlouanec", "MUNICIPALITY")]),
    ("Il est né dans une clinique Cours de Kervec.", "clinique Cours de Kervec", "fr.org.head_lower",
     [("Cours de Kervec", "LOCATION")]),
    # with a definite article a kind and its place are one organisation ...
    ("La scierie Bois du Kervec embauche.", "scierie Bois du Kervec", "fr.org.head_lower",
     [("scierie Bois du Kervec", "ORGANIZATION")]),
    ("Le comité des fêtes de Plouay prépare la fête.", "comité des fêtes de Plouay", "fr.org.head_lower",
     [("comité des fêtes de Plouay", "ORGANIZATION")]),
    ("Ils iront au collège de Scaër.", "collège de Scaër", "fr.org.kind_of_place",
     [("collège de Scaër", "ORGANIZATION")]),
    # ... and a name that is not a commune stays with its head
    ("On passe au centre social Les Tilleuls Verts.", "centre social Les Tilleuls Verts", "fr.org.head_lower",
     [("centre social Les Tilleuls Verts", "ORGANIZATION")]),
])
def test_detect_members_a_place_after_a_lower_case_kind_is_the_place_alone(
        evidence: LabelEvidence, text: str, form: str, rule: str, expected: list[tuple[str, str]]) -> None:
    assert shown([kind_of_place(evidence, text, span(text, form, "ORGANIZATION", rule))]) == expected
    assert shown(evidence.settle(text, [span(text, form, "ORGANIZATION", rule)])) == expected


@pytest.mark.parametrize(("text", "form", "label"), [
    ("On va chez Kervec le soir.", "Kervec", "ORGANIZATION"),  # no coordination: the span as it is
    ("Rendez-vous à la ville de Rezé demain.", "ville de Rezé", "LOCATION"),  # only an organisation is cut
])
def test_detect_members_other_spans_are_left_as_they_are(evidence: LabelEvidence, text: str, form: str,
                                                         label: str) -> None:
    found = span(text, form, label, "fr.org.head_lower")
    assert coordination(evidence, text, found) == [found]
    assert kind_of_place(evidence, text, found) is found
