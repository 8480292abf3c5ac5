from anonymiser.evaluate import GoldDocument, GoldSpan, score
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
