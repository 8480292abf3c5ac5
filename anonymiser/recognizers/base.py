"""Shared helpers: our recognizers' base class, and results that carry their rule id (the audit names the rule)."""

from __future__ import annotations

from presidio_analyzer import AnalysisExplanation, LocalRecognizer, RecognizerResult

RULE_ID_KEY = "rule_id"


class FrenchRecognizer(LocalRecognizer):
    """A Presidio recognizer of ours, run in the analyzer's process."""

    # set by EntityRecognizer.__init__ (given, or the class name); declared here because
    # mypy cannot infer it from Presidio's code
    name: str


def make_result(label: str, start: int, end: int, score: float, *, rule_id: str,
                recognizer: str) -> RecognizerResult:
    """A ``RecognizerResult`` whose explanation and metadata name ``rule_id``."""
    explanation = AnalysisExplanation(
        recognizer=recognizer, original_score=score, pattern_name=rule_id,
        textual_explanation=f"rule {rule_id}",
    )
    return RecognizerResult(
        entity_type=label, start=start, end=end, score=score,
        analysis_explanation=explanation,
        recognition_metadata={
            RecognizerResult.RECOGNIZER_NAME_KEY: recognizer,
            RULE_ID_KEY: rule_id,
        },
    )


def rule_id_of(result: RecognizerResult) -> str:
    """The most specific id available: our rule id, the pattern name, or the recognizer."""
    metadata = result.recognition_metadata or {}
    if metadata.get(RULE_ID_KEY):
        return str(metadata[RULE_ID_KEY])
    explanation = result.analysis_explanation
    if explanation is not None and explanation.pattern_name:
        return str(explanation.pattern_name)
    return str(metadata.get(RecognizerResult.RECOGNIZER_NAME_KEY, "unknown"))
