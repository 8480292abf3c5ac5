"""A person's span by the words a name is written with, as ``settle`` gives it, on hand-built
spans of invented sentences: a NER person without the speech around it, a surname in capitals
with its first name one person."""

from __future__ import annotations

import pytest

from anonymiser.config.rules import Config
from anonymiser.detect.label_votes import LabelVotes, document_votes
from anonymiser.detect.labels import LabelEvidence, label_key
from anonymiser.model import Span

from .labelling import label_evidence, shown, span


@pytest.fixture(scope="module")
def evidence(config: Config) -> LabelEvidence:
    return label_evidence(config)


def best(evidence: LabelEvidence, text: str, s: Span) -> str:
    votes = LabelVotes(("ROLE", "ORGANIZATION", "PERSON", "MUNICIPALITY", "LOCATION"))
    return votes.add(document_votes(evidence, text, [s])).decide()[label_key(s.text)]


# -- a person's words: speech around a NER name, a surname in capitals ---------------------------
@pytest.mark.parametrize(("text", "form", "expected"), [
    ("Karim : bah Étienne, tu sais.", "bah Étienne", [("Étienne", "PERSON")]),
    ("Karim : ouais Étienne aussi.", "ouais Étienne", [("Étienne", "PERSON")]),
    ("Lucie : non\nKarim : Étienne et moi", "Lucie : non\nKarim", [("Lucie", "PERSON")]),
    ("Il parlait de Julie sa voisine qui tient la gare.", "Julie sa voisine qui tient", [("Julie", "PERSON")]),
    ("On a retrouvé Bernard rue Kervec.", "Bernard rue", [("Bernard", "PERSON")]),
    # the lower-case particles of a name stay in it; lower-case words after a name with no first name too
    ("Il habitait près de Fabre d'Olivette.", "Fabre d'Olivette", [("Fabre d'Olivette", "PERSON")]),
    ("On achète à Terre de liens depuis.", "Terre de liens", [("Terre de liens", "PERSON")]),
    ("Bon, euh, voilà.", "euh", []),
])
def test_detect_labels_a_ner_person_is_its_name_alone(evidence: LabelEvidence, text: str, form: str,
                                                      expected: list[tuple[str, str]]) -> None:
    assert shown(evidence.settle(text, [span(text, form, "PERSON", "fr.ner.spacy.person")])) == expected


@pytest.mark.parametrize(("text", "spans", "expected"), [
    # an "acronym" before a first name is a surname in capitals: one person
    ("KERVEC Marie nous a reçus.", [("KERVEC", "ORGANIZATION", "fr.org.acronym")], [("KERVEC Marie", "PERSON")]),
    ("KERVEC Marie nous a reçus.", [("KERVEC", "ORGANIZATION", "fr.org.acronym"),
                                    ("Marie", "PERSON", "fr.person.first_name")], [("KERVEC Marie", "PERSON")]),
    ("Présents : LE GUEN Anne, Paul.", [("GUEN", "ORGANIZATION", "fr.org.acronym"),
                                        ("Anne", "PERSON", "fr.person.first_name")], [("LE GUEN Anne", "PERSON")]),
    ("On a vu LE GUEN Anne hier.", [("LE GUEN Anne", "ORGANIZATION", "fr.org.capitalised_run")],
     [("LE GUEN Anne", "PERSON")]),
    ("Merci à Anne KERVEC pour tout.", [("KERVEC", "ORGANIZATION", "fr.org.acronym")], [("Anne KERVEC", "PERSON")]),
    # a known acronym beside a first name stays a body; capitals after a first name in capitals too
    ("La CFDT Marie nous a aidés.", [("CFDT", "ORGANIZATION", "fr.org.acronym")], [("CFDT", "ORGANIZATION")]),
    ("KERVEC MARIE nous a reçus.", [("KERVEC", "ORGANIZATION", "fr.org.acronym")], [("KERVEC", "ORGANIZATION")]),
])
def test_detect_labels_a_surname_in_capitals_with_a_first_name_is_one_person(
        evidence: LabelEvidence, text: str, spans: list[tuple[str, str, str]], expected: list[tuple[str, str]]) -> None:
    found = [span(text, form, label, rule) for form, label, rule in spans]
    assert shown(evidence.settle(text, found)) == expected


def test_detect_labels_a_surname_in_capitals_votes_for_a_person(evidence: LabelEvidence) -> None:
    text = "Présents : KERVEC Marie, secrétaire."
    assert best(evidence, text, span(text, "KERVEC Marie", "ORGANIZATION", "fr.org.capitalised_run")) == "PERSON"
