"""evaluate: scores per label and per rule id, PERSON recall without speaker labels, and the
errors (with context) kept out of the screen report, on hand-built gold."""

from __future__ import annotations

import json

import pytest

from anonymiser.evaluate import (
    GoldDocument,
    GoldSpan,
    RuleScore,
    errors_lines,
    format_report,
    is_speaker_label,
    read_gold,
    score,
)
from anonymiser.model import Span

TEXT = "Isabelle Marchal voit la Ville de Poitiers."


def _gold() -> list[GoldDocument]:
    return [GoldDocument("d", TEXT, (GoldSpan(0, 16, "PERSON"), GoldSpan(25, 42, "ORGANIZATION"),
                                     GoldSpan(21, 24, "LOCATION", required=False)))]


def test_evaluate_full_partial_and_precision() -> None:
    predicted = [Span.of(TEXT, 0, 16, "PERSON"), Span.of(TEXT, 34, 42, "MUNICIPALITY"),
                 Span.of(TEXT, 17, 21, "PERSON")]
    report = score(_gold(), {"d": predicted})
    assert report.labels["PERSON"].recall == 1.0
    assert report.labels["ORGANIZATION"].recall == 0.0
    assert report.labels["ORGANIZATION"].partial_recall == 1.0
    assert report.labels["MUNICIPALITY"].precision == 1.0
    assert report.labels["PERSON"].precision == 0.5
    assert report.fully_masked == 0
    assert [m["label"] for m in report.misses] == ["ORGANIZATION"]


def test_evaluate_any_label_counts_for_masking_and_optional_is_neutral() -> None:
    predicted = [Span.of(TEXT, 0, 16, "ORGANIZATION"), Span.of(TEXT, 25, 42, "ORGANIZATION"),
                 Span.of(TEXT, 21, 24, "LOCATION")]
    report = score(_gold(), {"d": predicted})
    assert report.total.recall == 1.0
    assert report.fully_masked == 1
    assert "LOCATION" not in report.labels


# -- where the errors come from -----------------------------------------------------------------
INTERVIEW = ("Lucie Arnaud (ENQ) : et ensuite ?\n"
             "[Paul] On est allés chez Tressol avec Lucie.\n"
             "L.A. : d'accord.\n"
             "P. Roche : Lucie est venue, et Dr Morel aussi.\n")


def at(form: str, nth: int = 0) -> tuple[int, int]:
    """Offsets of the ``nth`` occurrence of ``form`` in ``INTERVIEW``."""
    start = -1
    for _ in range(nth + 1):
        start = INTERVIEW.index(form, start + 1)
    return start, start + len(form)


def _interview() -> list[GoldDocument]:
    spans = [GoldSpan(*at("Lucie Arnaud"), "PERSON"), GoldSpan(*at("Paul"), "PERSON"),
             GoldSpan(*at("Tressol"), "ORGANIZATION"), GoldSpan(*at("Lucie", 1), "PERSON"),
             GoldSpan(*at("L.A."), "PERSON"), GoldSpan(*at("P. Roche"), "PERSON"),
             GoldSpan(*at("Lucie", 2), "PERSON"), GoldSpan(*at("Morel"), "PERSON")]
    return [GoldDocument("e", INTERVIEW, tuple(spans))]


def _spans(*found: tuple[str, int, str, str, bool]) -> list[Span]:
    return [Span.of(INTERVIEW, *at(form, nth), label, recognizer=rule, propagated=propagated)
            for form, nth, label, rule, propagated in found]


@pytest.mark.parametrize(("form", "nth", "speaker"), [
    ("Lucie Arnaud", 0, True), ("Paul", 0, True), ("L.A.", 0, True), ("P. Roche", 0, True),
    ("Lucie", 1, False), ("Lucie", 2, False), ("Morel", 0, False), ("Tressol", 0, False)])
def test_evaluate_speaker_labels(form: str, nth: int, speaker: bool) -> None:
    assert is_speaker_label(INTERVIEW, *at(form, nth)) is speaker


def test_evaluate_person_recall_without_speaker_labels() -> None:
    predicted = _spans(("Lucie Arnaud", 0, "PERSON", "fr.person.speaker", False),
                       ("Paul", 0, "PERSON", "fr.person.speaker", False),
                       ("Lucie", 1, "PERSON", "fr.person.first_name", False))
    report = score(_interview(), {"e": predicted})
    assert report.labels["PERSON"].gold == 7 and report.labels["PERSON"].masked == 3
    person = report.person_without_speakers
    assert (person.gold, person.masked) == (3, 1)  # Lucie twice in speech, Morel
    assert report.to_dict()["person_without_speakers"] == {"gold": 3, "recall": 0.3333}
    assert "PERSON recall without speaker labels: 0.333 (1/3)" in format_report(report)


def test_evaluate_by_rule_masked_and_false_positives() -> None:
    predicted = _spans(("Lucie Arnaud", 0, "PERSON", "fr.person.speaker", False),
                       ("Lucie", 1, "PERSON", "fr.person.speaker", True),
                       ("ENQ", 0, "ORGANIZATION", "fr.ner.spacy.organization", False),
                       ("Dr", 0, "LOCATION", "fr.ner.spacy.location", True),
                       ("Tressol", 0, "ORGANIZATION", "fr.ner.spacy.organization", False))
    report = score(_interview(), {"e": predicted})
    assert report.rules["fr.person.speaker"] == RuleScore(masked=2, predicted=2, false_positives=0, propagated=0)
    assert report.rules["fr.ner.spacy.organization"] == RuleScore(masked=1, predicted=2, false_positives=1)
    assert report.rules["fr.ner.spacy.location"] == RuleScore(masked=0, predicted=1, false_positives=1,
                                                              propagated=1)
    rules = report.to_dict(by_rule=True)["rules"]
    assert rules["fr.ner.spacy.location"] == {"masked": 0, "predicted": 1, "false_positives": 1, "propagated": 1}
    assert "rules" not in report.to_dict()
    table = format_report(report, by_rule=True).split("rule ", 1)[1]
    rows = {line.split()[0]: line.split()[1:] for line in table.splitlines()[1:]}
    assert rows["fr.person.speaker"] == ["2", "2", "0", "0"] and rows["fr.ner.spacy.location"] == ["0", "1", "1", "1"]


def test_evaluate_a_mention_masked_by_two_rules_counts_for_both() -> None:
    predicted = [Span.of(TEXT, 0, 8, "PERSON", recognizer="fr.person.first_name"),
                 Span.of(TEXT, 9, 16, "PERSON", recognizer="fr.ner.spacy.person")]
    report = score(_gold(), {"d": predicted})
    assert report.rules["fr.person.first_name"].masked == report.rules["fr.ner.spacy.person"].masked == 1


def test_evaluate_errors_carry_60_characters_of_context_and_the_screen_report_no_text() -> None:
    text = "x" * 70 + " Kerlouan " + "y" * 70 + " ENQ " + "z" * 10
    start = text.index("Kerlouan")
    enq = text.index("ENQ")
    gold = [GoldDocument("d", text, (GoldSpan(start, start + 8, "MUNICIPALITY"),))]
    report = score(gold, {"d": [Span.of(text, enq, enq + 3, "LOCATION", recognizer="fr.ner.spacy.location")]})
    records = [json.loads(line) for line in errors_lines(report)]
    assert [r["kind"] for r in records] == ["miss", "false_positive"]
    miss, false_positive = records
    assert miss["text"] == "Kerlouan" and miss["before"] == text[start - 60:start]
    assert miss["after"] == text[start + 8:start + 68] and len(miss["after"]) == 60
    assert false_positive["recognizer"] == "fr.ner.spacy.location" and false_positive["after"] == " " + "z" * 10
    shown = format_report(report, by_rule=True) + json.dumps(report.to_dict(by_rule=True))
    assert "Kerlouan" not in shown and "ENQ" not in shown and "xxx" not in shown
    assert "misses: 1 (0 partial); false positives: 1" in format_report(report)
    assert report.to_dict()["misses"] == 1 and report.to_dict()["false_positives"] == 1


@pytest.mark.parametrize(("guide", "lang"), [("annotation.md", "fr"), ("annotation.en.md", "en")])
def test_evaluate_the_annotation_guide_is_shipped_cited_and_its_example_reads(guide: str, lang: str,
                                                                            tmp_path) -> None:
    """docs/ holds the guide in French and English; ``evaluate --help`` cites it in each language;
    the gold record it shows is one that ``read_gold`` takes, with the offsets it claims."""
    import re

    from click.testing import CliRunner

    from anonymiser.cli import cli

    from ..conftest import ROOT

    text = (ROOT / "docs" / guide).read_text(encoding="utf-8")
    assert all(f"`{label}`" in text for label in ("PERSON", "ROLE", "ORGANIZATION", "MUNICIPALITY", "LOCATION"))
    example = re.search(r"```json\n(.*?)```", text, flags=re.S)
    assert example, f"{guide} shows no gold record"
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps(json.loads(example.group(1)), ensure_ascii=False) + "\n", encoding="utf-8")
    (document,) = read_gold(gold)
    assert [document.text[s.start:s.end] for s in document.spans] == ["Quintard", "adjointe à la culture de Montbrison"]
    shown = CliRunner().invoke(cli, ["--lang", lang, "evaluate", "--help"], prog_name="anonymiser",
                               env={"COLUMNS": "200"})
    assert shown.exit_code == 0 and f"docs/{guide}" in shown.output and "ANNOTATION.md" not in shown.output


# -- label agreement ----------------------------------------------------------------------------
PLACES = "Nadia Keraudren habite Quimperlé, rue Kervec, et travaille chez Brasserie Tanguy."


def _places_gold() -> list[GoldDocument]:
    def span(form: str, label: str, required: bool = True) -> GoldSpan:
        start = PLACES.index(form)
        return GoldSpan(start, start + len(form), label, required)

    return [GoldDocument("p", PLACES, (span("Nadia Keraudren", "PERSON"), span("Quimperlé", "MUNICIPALITY"),
                                       span("Kervec", "LOCATION"), span("Brasserie Tanguy", "ORGANIZATION"),
                                       span("habite", "PERSON", required=False)))]


def _on_places(*found: tuple[str, str]) -> list[Span]:
    return [Span.of(PLACES, PLACES.index(form), PLACES.index(form) + len(form), label) for form, label in found]


def test_evaluate_label_agreement_counts_place_labels_as_one_family() -> None:
    predicted = _on_places(("Nadia Keraudren", "ORGANIZATION"), ("Quimperlé", "LOCATION"),
                           ("Kervec", "LOCATION"), ("Brasserie Tanguy", "ORGANIZATION"),
                           ("habite", "PERSON"), ("travaille", "PERSON"))
    agreement = score(_places_gold(), {"p": predicted}).agreement
    # "habite" overlaps an optional mention only and "travaille" no mention: neither counts
    assert (agreement.spans, agreement.agreeing) == (4, 3) and agreement.rate == 0.75
    assert agreement.confusion == {("PERSON", "ORGANIZATION"): 1, ("MUNICIPALITY", "LOCATION"): 1,
                                   ("LOCATION", "LOCATION"): 1, ("ORGANIZATION", "ORGANIZATION"): 1}


def test_evaluate_label_agreement_a_span_over_two_mentions_is_judged_by_its_family_then_overlap() -> None:
    # one span over a person and a commune agrees if it carries either label ...
    start, end = PLACES.index("Nadia"), PLACES.index("Quimperlé") + len("Quimperlé")
    agreement = score(_places_gold(), {"p": [Span.of(PLACES, start, end, "MUNICIPALITY")]}).agreement
    assert (agreement.spans, agreement.agreeing) == (1, 1)
    assert agreement.confusion == {("MUNICIPALITY", "MUNICIPALITY"): 1}
    # ... and else counts against the mention it overlaps most
    agreement = score(_places_gold(), {"p": [Span.of(PLACES, start, end, "ORGANIZATION")]}).agreement
    assert (agreement.spans, agreement.agreeing) == (1, 0)
    assert agreement.confusion == {("PERSON", "ORGANIZATION"): 1}


def test_evaluate_label_agreement_is_shown_as_a_rate_and_a_confusion_table_without_text() -> None:
    predicted = _on_places(("Nadia Keraudren", "ORGANIZATION"), ("Quimperlé", "MUNICIPALITY"),
                           ("Kervec", "LOCATION"), ("Brasserie Tanguy", "PERSON"))
    report = score(_places_gold(), {"p": predicted})
    shown = format_report(report)
    assert "label agreement: 0.500 (2/4 predicted spans over a required gold mention carry its label; " \
           "MUNICIPALITY and LOCATION count as one family)" in shown
    table = shown.split("gold \\ predicted", 1)[1].splitlines()
    assert table[0].split() == ["LOCATION", "MUNICIPALITY", "ORGANIZATION", "PERSON"]
    rows = {line.split()[0]: line.split()[1:] for line in table[1:]}
    assert rows == {"LOCATION": ["1", "0", "0", "0"], "MUNICIPALITY": ["0", "1", "0", "0"],
                    "ORGANIZATION": ["0", "0", "0", "1"], "PERSON": ["0", "0", "1", "0"]}
    as_dict = report.to_dict()["label_agreement"]
    assert as_dict["rate"] == 0.5 and as_dict["spans"] == 4 and as_dict["agreeing"] == 2
    assert as_dict["confusion"]["PERSON"] == {"ORGANIZATION": 1}
    assert as_dict["families"] == {"PLACE": ["LOCATION", "MUNICIPALITY"]}
    assert "Keraudren" not in shown + json.dumps(report.to_dict())
    # the disagreements, with their text, go to the private errors file only
    records = [json.loads(line) for line in errors_lines(report) if json.loads(line)["kind"] == "label"]
    assert [(r["text"], r["gold_label"], r["label"]) for r in records] == [
        ("Nadia Keraudren", "PERSON", "ORGANIZATION"), ("Brasserie Tanguy", "ORGANIZATION", "PERSON")]


def test_evaluate_label_agreement_without_spans_is_one_and_prints_no_table() -> None:
    report = score(_places_gold(), {"p": []})
    assert report.agreement.rate == 1.0 and report.agreement.table() == []
    assert "label agreement: 1.000 (0/0" in format_report(report)
