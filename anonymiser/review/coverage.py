"""How well the review list covers what detection missed (pure): per document, the required
gold mentions ``run`` leaves in clear, how many an attention item overlaps, and the list's size
per 100 words. ``anonymiser evaluate --attention`` prints it."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from anonymiser.evaluate import GoldDocument, score
from anonymiser.model import Span
from anonymiser.review.attention import DocumentReview

_WORD = re.compile(r"\w+")


@dataclass
class DocumentCoverage:
    id: str
    words: int
    items: int
    misses: int = 0
    covered: int = 0
    uncovered: list[dict[str, Any]] = field(default_factory=list)  # id, start, end, label (no text)

    @property
    def per_100_words(self) -> float:
        return 100 * self.items / self.words if self.words else 0.0


@dataclass
class Coverage:
    documents: list[DocumentCoverage]

    @property
    def misses(self) -> int:
        return sum(d.misses for d in self.documents)

    @property
    def covered(self) -> int:
        return sum(d.covered for d in self.documents)

    @property
    def per_100_words(self) -> float:
        words = sum(d.words for d in self.documents)
        return 100 * sum(d.items for d in self.documents) / words if words else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {"misses": self.misses, "covered": self.covered, "items_per_100_words": round(self.per_100_words, 3),
                "documents": [{"id": d.id, "words": d.words, "items": d.items, "misses": d.misses,
                               "covered": d.covered, "items_per_100_words": round(d.per_100_words, 3),
                               "uncovered": d.uncovered} for d in self.documents]}


def word_count(text: str) -> int:
    return len(_WORD.findall(text))


def coverage(gold: Sequence[GoldDocument], reviews: Sequence[DocumentReview]) -> Coverage:
    """Score what ``reviews`` masked against ``gold``; a miss is covered when an attention item
    of its document overlaps it."""
    by_id = {r.document.id: r for r in reviews}
    masked: dict[str, Sequence[Span]] = {
        r.document.id: [Span.of(r.document.text, m.start, m.end, m.label) for m in r.marks] for r in reviews}
    report = score(gold, masked)
    documents = {g.id: DocumentCoverage(g.id, word_count(g.text), len(by_id[g.id].items) if g.id in by_id else 0)
                 for g in gold}
    for miss in report.misses:
        entry = documents[miss["document"]]
        entry.misses += 1
        review = by_id.get(miss["document"])
        items = review.items if review else ()
        if any(i.start < miss["end"] and miss["start"] < i.end for i in items):
            entry.covered += 1
        else:
            entry.uncovered.append({"id": miss["document"], "start": miss["start"], "end": miss["end"],
                                    "label": miss["label"]})
    return Coverage(list(documents.values()))


def format_coverage(result: Coverage) -> str:
    """The developer's table (English, label codes; offsets of uncovered misses, never their text)."""
    lines = [f"{'document':<32} {'words':>6} {'items':>6} {'per100':>7} {'covered':>9}"]
    for d in result.documents:
        lines.append(f"{d.id:<32} {d.words:>6} {d.items:>6} {d.per_100_words:>7.2f} {d.covered:>4}/{d.misses:<4}")
    lines.append(f"misses covered by the review list: {result.covered}/{result.misses}; "
                 f"items per 100 words: {result.per_100_words:.2f}")
    for d in result.documents:
        for u in d.uncovered:
            lines.append(f"  not in the list: {u['id']}:{u['start']}-{u['end']} {u['label']}")
    return "\n".join(lines)
