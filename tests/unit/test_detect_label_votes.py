"""One label per form for a run, on hand-built spans of invented sentences: the votes of each
document added up whatever their order, the key file's label, every span given its form's label."""

from __future__ import annotations

import pytest

from anonymiser.config.rules import Config
from anonymiser.detect.label_votes import LabelVotes, document_votes, relabel
from anonymiser.detect.labels import LabelEvidence, label_key
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
    # a form the key file holds under two labels keeps the one the evidence gives: a second run
    # labels its mentions as the run that filled the key file did
    key.add(Entity("LOC-0001", "LOCATION", "Quervillac", ("Quervillac",), "Les Aulnes"))
    key.index("LOC-0001", [], ["form:LOCATION|quervillac"])
    assert votes.decide(key)["quervillac"] == "LOCATION"


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


def test_detect_label_votes_a_kind_in_capitals_and_one_word_gives_the_word_no_vote(evidence: LabelEvidence) -> None:
    # "MJC Kerlann" may be named after its neighbourhood: the word alone keeps its own evidence
    text = "Il joue à la MJC Kerlann. On habite à Kerlann depuis dix ans."
    spans = [span(text, "MJC Kerlann", "ORGANIZATION", "fr.org.head_name"),
             span(text, "Kerlann", "LOCATION", "fr.ner.spacy.location", nth=1)]
    votes = dict(((key, label), weight) for key, label, weight, _rules in document_votes(evidence, text, spans))
    assert ("kerlann", "ORGANIZATION") not in votes


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


# -- a coordination is of one kind; a speaker's name says its parts are a person --------------------
def _by_surface(evidence: LabelEvidence, text: str, spans: list[tuple[str, str, str]]) -> dict[str, str]:
    votes = LabelVotes(("ORGANIZATION", "PERSON", "MUNICIPALITY", "LOCATION"))
    built = [span(text, form, label, rule) for form, label, rule in spans]
    decided = votes.add(document_votes(evidence, text, built)).decide()
    return {s.text: decided[label_key(s.text)] for s in built}


@pytest.mark.parametrize(("text", "spans", "expected"), [
    # the members with no evidence of their own take the kind their fellows' evidence says
    ("Par ordre : familles Kerbrat, Le Guellec et Ouhadi.",
     [("Kerbrat", "PERSON", "fr.ner.spacy.person"), ("Le Guellec", "LOCATION", "fr.ner.spacy.location"),
      ("Ouhadi", "ORGANIZATION", "fr.ner.spacy.organization")],
     {"Kerbrat": "PERSON", "Le Guellec": "PERSON", "Ouhadi": "PERSON"}),
    ("Le prêt vient de la Banque Populaire Kervec et de la Nef.",
     [("Banque Populaire Kervec", "ORGANIZATION", "fr.org.head_name"), ("Nef", "LOCATION", "fr.location.article_name")],
     {"Banque Populaire Kervec": "ORGANIZATION", "Nef": "ORGANIZATION"}),
    ("Membre de : Kervec Solidaire, Quentaris (le réseau breton), et le Réseau Plomeur.",
     [("Kervec Solidaire", "PERSON", "fr.ner.spacy.person"), ("Quentaris", "PERSON", "fr.ner.spacy.person"),
      ("Réseau Plomeur", "ORGANIZATION", "fr.org.head_name")],
     {"Kervec Solidaire": "ORGANIZATION", "Quentaris": "ORGANIZATION", "Réseau Plomeur": "ORGANIZATION"}),
    # a member with evidence of its own keeps it
    ("On va à Quimperlé et chez Tanguy Kerbrat.",
     [("Quimperlé", "MUNICIPALITY", "fr.municipality.gazetteer"), ("Tanguy Kerbrat", "PERSON", "fr.person.first_last")],
     {"Quimperlé": "MUNICIPALITY", "Tanguy Kerbrat": "PERSON"}),
    # a comma alone is an apposition as often: "signé I. Kerbrat, ALM" is no coordination
    ("Le mot était signé « I. Kerbrat, ALM », voilà.",
     [("I. Kerbrat", "PERSON", "fr.person.initial_surname"), ("ALM", "ORGANIZATION", "fr.org.acronym")],
     {"I. Kerbrat": "PERSON", "ALM": "ORGANIZATION"}),
    # words between them that are no article or mark: two sentences' names, not one coordination
    ("On a vu la Banque Populaire Kervec et puis la Nef.",
     [("Banque Populaire Kervec", "ORGANIZATION", "fr.org.head_name"), ("Nef", "LOCATION", "fr.location.article_name")],
     {"Banque Populaire Kervec": "ORGANIZATION", "Nef": "LOCATION"}),
])
def test_detect_label_votes_a_coordination_is_of_one_kind(evidence: LabelEvidence, text: str,
                                                           spans: list[tuple[str, str, str]],
                                                           expected: dict[str, str]) -> None:
    assert _by_surface(evidence, text, spans) == expected


def test_detect_label_votes_a_speaker_name_says_its_parts_are_a_person(evidence: LabelEvidence) -> None:
    text = "ENQ : tu entends Lies hein\nAnne-Lies Kerbrat (ENQ) : oui\nAnne-Lies Kerbrat : bon"
    spans = [("Lies", "MUNICIPALITY", "fr.transcript.capitalised"),
             ("Anne-Lies Kerbrat", "PERSON", "fr.person.first_last")]
    assert _by_surface(evidence, text, spans)["Lies"] == "PERSON"
    # the same name inside a line is no turn of speech: no evidence for its parts
    inline = "ENQ : tu entends Lies hein, dit Anne-Lies Kerbrat : oui"
    assert _by_surface(evidence, inline, spans)["Lies"] == "MUNICIPALITY"
    # counted once a document, however many turns
    votes = dict(((k, lab), e) for k, lab, e, _r in document_votes(evidence, text, [span(text, f, lab, r)
                                                                                   for f, lab, r in spans]))
    assert votes[("lies", "PERSON")] == evidence.weights["civility"]
