"""The public API on invented sentences: ``Engine.detect``, ``Engine.pseudonymise``,
``Engine.review``, our recognizers in a plain Presidio ``AnalyzerEngine``, and an import of
``anonymiser`` that loads no model."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

import anonymiser
from anonymiser import Engine, KeyFile, Span
from anonymiser.recognizers import KnownEntityRecognizer, french_recognizers

TEXT = ("Entretien avec Mme Solenn Kerhervé, adjointe au maire de Landerneau.\n"
        "Elle travaille avec l'association Les Amis du Lavoir et avec Kerhervé fille.\n")


@pytest.mark.slow
def test_engine_detect_gives_spans_with_label_score_and_rule(engine: Engine) -> None:
    spans = engine.detect(TEXT)
    assert spans and all(isinstance(s, Span) and TEXT[s.start:s.end] == s.text for s in spans)
    assert {"PERSON", "ROLE", "ORGANIZATION"} <= {s.label for s in spans}
    assert all(s.recognizer and 0 < s.score <= 1 for s in spans)
    assert spans == sorted(spans, key=lambda s: s.start)
    # the bare surname of the second line is found again, as a run would
    assert any(s.text == "Kerhervé" and s.start > TEXT.index("\n") for s in spans)


@pytest.mark.slow
def test_engine_detect_finds_the_key_files_known_forms(engine: Engine) -> None:
    key = KeyFile.create()
    engine.pseudonymise({"a": "Zéphyrin Quéméner est venu.\n"}, key=key)  # now known
    # where no recognizer finds it (or not as a person), the key file's form is found
    text = "avec quéméner et QUÉMÉNER\n"
    known = [s for s in engine.detect(text, key=key) if s.text.lower() == "quéméner"]
    assert [(s.text, s.label, s.recognizer, s.propagated) for s in known] == \
        [("QUÉMÉNER", "PERSON", KnownEntityRecognizer.RULE_ID, True)]  # not the lower-case word
    # where a recognizer finds it as a person, that detection stays, with its own rule
    found = [s for s in engine.detect("On a revu Quéméner hier.\n", key=key) if s.text == "Quéméner"]
    assert [(s.label, s.propagated) for s in found] == [("PERSON", False)]
    assert found[0].recognizer != KnownEntityRecognizer.RULE_ID


@pytest.mark.slow
def test_engine_pseudonymise_named_texts(engine: Engine) -> None:
    key = KeyFile.create()
    done = engine.pseudonymise({"e1": TEXT, "e2": "Mme Kerhervé a répondu.\n"}, key=key)
    assert set(done.texts) == {"e1", "e2"}
    for name in ("Kerhervé", "Solenn", "Landerneau", "Les Amis du Lavoir"):
        assert all(name not in text for text in done.texts.values())
    assert done.texts["e2"].startswith("Mme ")  # the civility is kept
    assert len(key.entities) >= 3  # new entities are in the key file (in memory)
    mentions = [r for r in done.records if r["record"] == "mention"]
    assert {r["document"] for r in done.records} == {"e1", "e2"} and mentions
    dumped = json.dumps(done.records, ensure_ascii=False)
    assert "Kerhervé" not in dumped and "Lavoir" not in dumped
    again = engine.pseudonymise({"e1": TEXT, "e2": "Mme Kerhervé a répondu.\n"}, key=key)
    assert again.texts == done.texts  # same key file, same pseudonyms


@pytest.mark.slow
def test_engine_review_lists_marks_without_saving(engine: Engine) -> None:
    key = KeyFile.create()
    reviews = engine.review([anonymiser.Document("e1", TEXT, "e1.txt")], key=key)
    assert len(reviews) == 1
    review = reviews[0]
    assert review.marks and review.output != TEXT
    assert {m.text for m in review.marks} >= {"Kerhervé"}


@pytest.mark.slow
def test_engine_recognizers_work_in_a_plain_presidio_analyzer(engine: Engine) -> None:
    from presidio_analyzer import AnalyzerEngine

    analyzer = AnalyzerEngine(nlp_engine=engine.nlp_engine, supported_languages=["fr"])
    for recognizer in french_recognizers():
        analyzer.registry.add_recognizer(recognizer)
    found = {(r.entity_type, TEXT[r.start:r.end]) for r in analyzer.analyze(TEXT, language="fr")}
    assert ("ROLE", "adjointe au maire de Landerneau") in found
    assert ("ORGANIZATION", "Les Amis du Lavoir") in found
    assert any(label == "PERSON" and "Kerhervé" in text for label, text in found)
    assert any(label == "MUNICIPALITY" and text == "Landerneau" for label, text in found)


def test_engine_import_of_the_package_loads_no_model() -> None:
    code = ("import sys, anonymiser; assert anonymiser.KeyFile and anonymiser.Span; "
            "print(any(m.split('.')[0] in {'spacy', 'presidio_analyzer'} for m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


def test_engine_unknown_attribute_of_the_package() -> None:
    with pytest.raises(AttributeError):
        anonymiser.Nothing  # noqa: B018


def test_engine_first_names_in_a_text_are_kept_from_every_pseudonym(config) -> None:
    engine = Engine(config=config)  # no model needed
    assert engine.first_names_in("Nadia : on a vu Kheira et Jean-Pierre. une nadia, NADIA.") == \
        ("jean pierre", "kheira", "nadia")
