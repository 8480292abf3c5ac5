"""Corpus-wide propagation on hand-built spans: the label each spread form gets, what travels
to workers, and the forms found again in a document."""

from __future__ import annotations

import pickle

from anonymiser.config.rules import Config
from anonymiser.detect.propagate import PROPAGATION_ID, FormVotes, Spread, propagate
from anonymiser.link import FormPolicy
from anonymiser.model import Document, Span


def votes(config: Config) -> FormVotes:
    return FormVotes(FormPolicy.from_config(config), config.common_words, config.label_priority)


def test_detect_propagate_a_form_takes_the_label_it_was_found_under_most(config: Config) -> None:
    text = "Kerhervé ici, Kerhervé là, et Kerhervé encore."
    spans = [Span.of(text, 0, 8, "PERSON"), Span.of(text, 14, 22, "PERSON"), Span.of(text, 30, 38, "LOCATION")]
    forms = votes(config).add(spans).forms()
    assert forms == {"kerherve": ("Kerhervé", "PERSON")}


def test_detect_propagate_a_tie_goes_to_label_priority(config: Config) -> None:
    text = "Trégastel et Trégastel."
    first, second = config.label_priority.index("PERSON"), config.label_priority.index("MUNICIPALITY")
    winner = "PERSON" if first < second else "MUNICIPALITY"
    spans = [Span.of(text, 0, 9, "PERSON"), Span.of(text, 13, 22, "MUNICIPALITY")]
    assert votes(config).add(spans).forms()["tregastel"][1] == winner


def test_detect_propagate_votes_add_up_in_steps(config: Config) -> None:
    text = "Kerhervé, Kerhervé."
    one = votes(config).add([Span.of(text, 0, 8, "PERSON")]).add([Span.of(text, 10, 18, "PERSON")])
    assert one.votes == votes(config).add([Span.of(text, 0, 8, "PERSON"), Span.of(text, 10, 18, "PERSON")]).votes


def test_detect_propagate_lower_case_forms_are_not_spread(config: Config) -> None:
    text = "la mairie et la mairie"
    assert votes(config).add([Span.of(text, 3, 9, "ORGANIZATION")]).forms() == {}


def test_detect_propagate_spread_ships_its_forms_not_its_automaton() -> None:
    spread = Spread({"kerherve": ("Kerhervé", "PERSON")})
    assert spread.recognizer is not None  # built once here
    shipped = pickle.loads(pickle.dumps(spread))
    assert shipped.forms == spread.forms and "recognizer" not in shipped.__dict__
    assert Spread().recognizer is None


def test_detect_propagate_finds_spread_forms_in_another_document(config: Config) -> None:
    document = Document("b", "Hier, Kerhervé est passé voir Kerhervé.\n")
    spread = Spread({"kerherve": ("Kerhervé", "PERSON")})
    spans = propagate(document, (), (), None, spread, priority=config.label_priority,
                      common_words=config.common_words)
    assert [(s.text, s.label, s.recognizer) for s in spans] == [("Kerhervé", "PERSON", PROPAGATION_ID)] * 2
    assert all(document.text[s.start:s.end] == s.text for s in spans)


def test_detect_propagate_keeps_a_detected_span_over_a_shorter_spread_one(config: Config) -> None:
    document = Document("b", "Le CCAS de Lorient a répondu.\n")
    detected = (Span.of(document.text, 3, 18, "ORGANIZATION", score=0.85, recognizer="fr.org.head_name"),)
    spread = Spread({"lorient": ("Lorient", "MUNICIPALITY")})
    spans = propagate(document, detected, (), None, spread, priority=config.label_priority,
                      common_words=config.common_words)
    assert spans == detected


def test_detect_propagate_an_ordinary_word_is_not_taken_at_a_sentence_start(config: Config) -> None:
    word = next(w for w in sorted(config.common_words) if w.isalpha() and len(w) > 4)
    form = word.capitalize()
    document = Document("b", f"{form} est venu. On a parlé avec {form} hier.\n")
    spread = Spread({word: (form, "PERSON")})
    spans = propagate(document, (), (), None, spread, priority=config.label_priority,
                      common_words=config.common_words)
    assert [s.start for s in spans] == [document.text.rindex(form)]
