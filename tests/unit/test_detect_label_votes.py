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
