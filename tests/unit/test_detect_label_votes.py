"""One label per form for a run, on hand-built spans of invented sentences: the votes of each
document added up whatever their order, the key file's label, every span given its form's label."""

from __future__ import annotations

import pytest

from anonymiser.config.rules import Config
from anonymiser.detect.label_votes import LabelVotes, document_votes, relabel
from anonymiser.detect.labels import LabelEvidence
from anonymiser.keys.store import KeyFile
from anonymiser.model import Entity

from .labelling import label_evidence, span


@pytest.fixture(scope="module")
def evidence(config: Config) -> LabelEvidence:
    return label_evidence(config)


# -- one label per form, for the run --------------------------------------------------------------
DOCUMENTS = ["Ils traînent vers Quervillac le soir.", "On appelle ça Quervillac.", "Quervillac, c'est loin."]


def _document(evidence: LabelEvidence, text: str) -> tuple[tuple[str, str, int, int], ...]:
    return document_votes(evidence, text, [span(text, "Quervillac", "PERSON", "fr.ner.spacy.person")])


def test_detect_label_votes_one_label_per_form_whatever_the_order_of_documents(evidence: LabelEvidence) -> None:
    priority = ("ORGANIZATION", "PERSON", "LOCATION")
    decisions = set()
    for order in ([0, 1, 2], [2, 1, 0], [1, 2, 0]):
        votes = LabelVotes(priority)
        for i in order:
            votes.add(_document(evidence, DOCUMENTS[i]))
        decisions.add(votes.decide()["quervillac"])
    # two NER hits and one "vers": the evidence outweighs the rules, in every order
    assert decisions == {"LOCATION"}
    # a subset that holds the evidence decides the same
    assert LabelVotes(priority).add(_document(evidence, DOCUMENTS[0])).decide()["quervillac"] == "LOCATION"


def test_detect_label_votes_the_key_file_label_wins(evidence: LabelEvidence) -> None:
    key = KeyFile.create()
    key.add(Entity("ORG-0001", "ORGANIZATION", "Quervillac", ("Quervillac",), "La Source"))
    key.index("ORG-0001", [], ["form:ORGANIZATION|quervillac"])
    votes = LabelVotes(("ORGANIZATION", "PERSON", "LOCATION"))
    for text in DOCUMENTS:
        votes.add(_document(evidence, text))
    assert votes.decide()["quervillac"] == "LOCATION"
    assert votes.decide(key)["quervillac"] == "ORGANIZATION"


def test_detect_label_votes_relabel_gives_every_name_span_its_form_label() -> None:
    text = "La Quervillac, Quervillac, et kervec@exemple.fr."
    spans = [span(text, "La Quervillac", "PERSON"), span(text, "Quervillac", "ORGANIZATION", nth=1),
             span(text, "kervec@exemple.fr", "EMAIL_ADDRESS", "fr.email")]
    out = relabel(spans, {"quervillac": "LOCATION", "kervec@exemple.fr": "PERSON"})
    assert [s.label for s in out] == ["LOCATION", "LOCATION", "EMAIL_ADDRESS"]
    assert [(s.start, s.end, s.recognizer) for s in out] == [(s.start, s.end, s.recognizer) for s in spans]



def test_detect_label_votes_a_headed_name_says_its_bare_name_is_an_organisation(evidence: LabelEvidence) -> None:
    text = "L'Association Les Genêts organise. On aide les Genêts, à Genêts même."
    spans = [span(text, "Association Les Genêts", "ORGANIZATION", "fr.org.head_name"),
             span(text, "Genêts", "MUNICIPALITY", "fr.municipality.gazetteer", nth=1)]
    votes = LabelVotes(("ORGANIZATION", "MUNICIPALITY")).add(document_votes(evidence, text, spans))
    assert votes.decide()["genets"] == "ORGANIZATION"


# -- a first name is the person named in full in the document -------------------------------------
def _decided(evidence: LabelEvidence, text: str, spans: list) -> dict[str, str]:
    votes = LabelVotes(("ORGANIZATION", "PERSON", "MUNICIPALITY", "LOCATION"))
    return votes.add(document_votes(evidence, text, spans)).decide()


def test_detect_label_votes_a_first_name_a_commune_is_called_is_the_person_named_in_full(
        evidence: LabelEvidence) -> None:
    text = "Le premier adjoint c'est Gilles Perrotin. Bon, j'en parle avec Gilles demain."
    spans = [span(text, "Gilles Perrotin", "PERSON", "fr.person.first_last"),
             span(text, "Gilles", "PERSON", "fr.person.first_name", nth=1)]
    assert evidence.commune("Gilles")  # the gazetteer alone would make it the commune
    assert _decided(evidence, text, spans)["gilles"] == "PERSON"
    # without the full name, the commune's gazetteer outweighs the first-name rule
    alone = "Bon, j'en parle avec Gilles demain."
    assert _decided(evidence, alone, [span(alone, "Gilles", "PERSON", "fr.person.first_name")])["gilles"] \
        == "MUNICIPALITY"


@pytest.mark.parametrize(("text", "full", "label", "rule"), [
    # a body whose name opens with a first name says nothing of the first name alone
    ("On travaille avec Roya Réemploi. La Roya déborde.", "Roya Réemploi", "PERSON", "fr.person.first_last"),
    # nor does a name the NER alone took for a person
    ("On travaille avec Roya Kervadec. La Roya déborde.", "Roya Kervadec", "PERSON", "fr.ner.spacy.person"),
])
def test_detect_label_votes_only_a_person_named_by_a_rule_of_persons_speaks_for_the_first_name(
        evidence: LabelEvidence, text: str, full: str, label: str, rule: str) -> None:
    spans = [span(text, full, label, rule), span(text, "Roya", "LOCATION", "fr.ner.spacy.location", nth=1)]
    assert _decided(evidence, text, spans)["roya"] == "LOCATION"
