"""review/coverage: misses of a run that the review list overlaps, items per 100 words (hand-built)."""

from __future__ import annotations

from anonymiser.evaluate import GoldDocument, GoldSpan
from anonymiser.model import Document
from anonymiser.review.attention import POSSIBLE_MISS, DocumentReview, Item
from anonymiser.review.coverage import coverage, format_coverage, word_count

from .reviewing import mark

TEXT = "Paul Roche habite dans le onzième avec Zorglub.\n"


def _review(items: tuple[Item, ...]) -> DocumentReview:
    marks = (mark(TEXT, "Paul Roche", "PERSON", "PER-0001"),)
    return DocumentReview(Document("e1", TEXT), "", marks, items, (), ())


def test_review_coverage_counts_covered_misses_and_density() -> None:
    onze = TEXT.index("onzième")
    gold = [GoldDocument("e1", TEXT, (GoldSpan(0, 10, "PERSON"), GoldSpan(onze, onze + 7, "MUNICIPALITY"),
                                      GoldSpan(TEXT.index("Zorglub"), TEXT.index("Zorglub") + 7, "PERSON")))]
    item = Item(POSSIBLE_MISS, TEXT.index("Zorglub"), TEXT.index("Zorglub") + 7, "Zorglub")
    result = coverage(gold, [_review((item,))])
    assert (result.misses, result.covered) == (2, 1)
    assert result.documents[0].uncovered == [{"id": "e1", "start": onze, "end": onze + 7, "label": "MUNICIPALITY"}]
    assert word_count(TEXT) == 8 and result.per_100_words == 100 / 8
    printed = format_coverage(result)
    assert "1/2" in printed and "onzième" not in printed and "Zorglub" not in printed  # offsets, never text
    assert result.to_dict()["covered"] == 1
