"""A name said twice in a row is two mentions, on invented transcript lines."""

from __future__ import annotations

import pytest

from anonymiser.config.rules import Config
from anonymiser.detect.repeats import repeated
from anonymiser.model import Span

from .labelling import label_evidence, shown, span


@pytest.mark.parametrize(("text", "form", "parts"), [
    ("c'était Kerbellec Kerbellec tu es né où", "Kerbellec Kerbellec", ["Kerbellec", "Kerbellec"]),
    # a self-correction that adds the name's article
    ("ça va jusqu'aux Lilas Les Lilas aussi", "Lilas Les Lilas", ["Lilas", "Les Lilas"]),
    # names of several words, one letter apart when long enough (a misspelling of the transcript)
    ("entre Porte de Kerlandrieux Porte de Kerlandrieu y a un bout", "Porte de Kerlandrieux Porte de Kerlandrieu",
     ["Porte de Kerlandrieux", "Porte de Kerlandrieu"]),
    # a coordination of repetitions: every member
    ("entre Saint-Ouen Saint-Ouen et Porte de Kervec Porte de Kervec là", "Saint-Ouen Saint-Ouen et Porte de Kervec "
     "Porte de Kervec", ["Saint-Ouen", "Saint-Ouen", "Porte de Kervec", "Porte de Kervec"]),
])
def test_detect_repeats_a_name_said_twice_is_two_mentions(text: str, form: str, parts: list[str]) -> None:
    found = repeated(text, span(text, form, "LOCATION", "fr.transcript.capitalised"))
    assert [s.text for s in found] == parts
    assert all(s.label == "LOCATION" and s.recognizer == "fr.transcript.capitalised" for s in found)


@pytest.mark.parametrize(("text", "form"), [
    ("J'ai vu Bernard Bernardin hier.", "Bernard Bernardin"),  # a surname made from a first name
    ("On a vu Martin Martine hier.", "Martin Martine"),  # too short to be a misspelling
    ("C'est Porte de Kervec et Plouay.", "Porte de Kervec et Plouay"),  # one member repeats nothing
    ("Chez Kervec Kervec-Plouay.", "Kervec Kervec-Plouay"),
    ("Le Goff", "Le Goff"),
])
def test_detect_repeats_other_names_stay_whole(text: str, form: str) -> None:
    s = span(text, form, "PERSON", "fr.person.first_last")
    assert repeated(text, s) == [s]


def test_detect_repeats_settle_cuts_a_repetition_of_a_document(config: Config) -> None:
    evidence = label_evidence(config)
    text = "donc c'était Kerbellec Kerbellec"
    whole = Span.of(text, text.index("Kerbellec"), len(text), "PERSON", recognizer="fr.ner.spacy.person")
    assert shown(evidence.settle(text, [whole])) == [("Kerbellec", "PERSON"), ("Kerbellec", "PERSON")]
