"""recognizers/base: results carry their rule id (explanation and metadata), and ``rule_id_of``
finds the most specific id of any Presidio result."""

from __future__ import annotations

from presidio_analyzer import AnalysisExplanation, RecognizerResult

from anonymiser.recognizers.base import RULE_ID_KEY, make_result, rule_id_of


def test_recognizers_base_make_result_names_its_rule() -> None:
    result = make_result("PERSON", 3, 17, 0.85, rule_id="fr.person.full_name", recognizer="FrenchPersonRecognizer")
    assert (result.entity_type, result.start, result.end, result.score) == ("PERSON", 3, 17, 0.85)
    assert result.recognition_metadata == {RecognizerResult.RECOGNIZER_NAME_KEY: "FrenchPersonRecognizer",
                                           RULE_ID_KEY: "fr.person.full_name"}
    explanation = result.analysis_explanation
    assert (explanation.recognizer, explanation.pattern_name, explanation.original_score) == (
        "FrenchPersonRecognizer", "fr.person.full_name", 0.85)
    assert explanation.textual_explanation == "rule fr.person.full_name"
    assert rule_id_of(result) == "fr.person.full_name"


def test_recognizers_base_rule_id_falls_back_to_the_pattern_then_the_recognizer() -> None:
    explained = RecognizerResult("PHONE_NUMBER", 0, 10, 0.5, analysis_explanation=AnalysisExplanation(
        recognizer="PhoneRecognizer", original_score=0.5, pattern_name="fr.phone.national"),
        recognition_metadata={RecognizerResult.RECOGNIZER_NAME_KEY: "PhoneRecognizer"})
    assert rule_id_of(explained) == "fr.phone.national"
    named = RecognizerResult("URL", 0, 10, 0.5,
                             recognition_metadata={RecognizerResult.RECOGNIZER_NAME_KEY: "UrlRecognizer"})
    assert rule_id_of(named) == "UrlRecognizer"
    assert rule_id_of(RecognizerResult("URL", 0, 10, 0.5)) == "unknown"
