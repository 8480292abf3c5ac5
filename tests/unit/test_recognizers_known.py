"""recognizers/known: the key file's forms found in every document, folding case and accents, a
capitalised form only on capitalised text, the key file's own forms first."""

from __future__ import annotations

from anonymiser.recognizers.base import rule_id_of
from anonymiser.recognizers.known import KnownEntityRecognizer

FORMS = [("Rose Vallet", "PERSON", "PER-0001"), ("Rose", "PERSON", "PER-0001"),
         ("Combelorge", "MUNICIPALITY", "COM-0001"), ("maison des lisse", "ORGANIZATION", "ORG-0001")]


def test_recognizers_known_finds_every_form_folding_accents() -> None:
    recognizer = KnownEntityRecognizer(FORMS)
    text = "Rose Vallet habite COMBELORGE ; Rose passe à la Maison des Lisse."
    found = [(text[s:e], label, entity) for s, e, label, entity in recognizer.matches(text)]
    assert found == [("Rose Vallet", "PERSON", "PER-0001"), ("COMBELORGE", "MUNICIPALITY", "COM-0001"),
                     ("Rose", "PERSON", "PER-0001"), ("Maison des Lisse", "ORGANIZATION", "ORG-0001")]


def test_recognizers_known_capitalised_form_needs_a_capital() -> None:
    recognizer = KnownEntityRecognizer(FORMS)
    assert recognizer.matches("une rose et une maison des lisse") == [(16, 32, "ORGANIZATION", "ORG-0001")]


def test_recognizers_known_a_key_file_form_wins_over_a_corpus_only_one() -> None:
    recognizer = KnownEntityRecognizer([("Lisse", "LOCATION", ""), ("Lisse", "ORGANIZATION", "ORG-0002")])
    assert recognizer.matches("vers la Lisse") == [(8, 13, "ORGANIZATION", "ORG-0002")]


def test_recognizers_known_results_name_the_key_file_rule() -> None:
    recognizer = KnownEntityRecognizer(FORMS, labels=("ROLE",))
    assert recognizer.name == "KnownEntityRecognizer"
    assert recognizer.supported_entities == ["MUNICIPALITY", "ORGANIZATION", "PERSON", "ROLE"]
    (result,) = recognizer.analyze("À Combelorge.", [], None)
    assert (result.entity_type, result.start, result.end, result.score) == ("MUNICIPALITY", 2, 12, 1.0)
    assert rule_id_of(result) == KnownEntityRecognizer.RULE_ID == "key.known_form"
    empty = KnownEntityRecognizer([])
    assert empty.supported_entities == ["PERSON"] and empty.matches("Rose") == []
