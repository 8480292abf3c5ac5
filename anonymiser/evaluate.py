"""Score predictions against gold annotations (format of ANNOTATION.md), per label.

A gold mention is *masked* when every letter and digit of it lies inside a predicted span
(whatever its label), *partly masked* when at least one does. A predicted span is *correct*
when it overlaps a gold span (required or optional); spans overlapping only optional gold
spans count neither way. A document is fully masked when all its required mentions are.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from anonymiser.errors import DocumentError
from anonymiser.i18n import N_
from anonymiser.model import LABELS, Span


@dataclass(frozen=True)
class GoldSpan:
    start: int
    end: int
    label: str
    required: bool = True


@dataclass(frozen=True)
class GoldDocument:
    id: str
    text: str
    spans: tuple[GoldSpan, ...]


@dataclass
class LabelScore:
    gold: int = 0
    masked: int = 0
    partial: int = 0
    predicted: int = 0
    correct: int = 0

    @property
    def recall(self) -> float:
        return self.masked / self.gold if self.gold else 1.0

    @property
    def partial_recall(self) -> float:
        return self.partial / self.gold if self.gold else 1.0

    @property
    def precision(self) -> float:
        return self.correct / self.predicted if self.predicted else 1.0


@dataclass
class Report:
    labels: dict[str, LabelScore] = field(default_factory=dict)
    documents: int = 0
    fully_masked: int = 0
    misses: list[dict[str, Any]] = field(default_factory=list)
    false_positives: list[dict[str, Any]] = field(default_factory=list)

    @property
    def total(self) -> LabelScore:
        total = LabelScore()
        for score in self.labels.values():
            total.gold += score.gold
            total.masked += score.masked
            total.partial += score.partial
            total.predicted += score.predicted
            total.correct += score.correct
        return total

    def to_dict(self) -> dict[str, Any]:
        def row(s: LabelScore) -> dict[str, Any]:
            return {"gold": s.gold, "recall": round(s.recall, 4), "partial_recall": round(s.partial_recall, 4),
                    "predicted": s.predicted, "precision": round(s.precision, 4)}

        return {
            "labels": {label: row(s) for label, s in sorted(self.labels.items())},
            "all": row(self.total),
            "documents": self.documents,
            "fully_masked": self.fully_masked,
            "misses": self.misses,
            "false_positives": self.false_positives,
        }


def read_gold(path: str | Path) -> list[GoldDocument]:
    """Read a gold JSONL file; offsets are checked against the text."""
    p = Path(path)
    try:
        lines = p.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise DocumentError(str(p), N_("cannot read gold file")) from exc
    documents = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
            text = raw["text"]
            spans = tuple(GoldSpan(int(s["start"]), int(s["end"]), s["label"], bool(s.get("required", True)))
                          for s in raw["spans"])
        except (ValueError, KeyError, TypeError) as exc:
            raise DocumentError(str(p), N_("bad gold record at line %(line)s"), line=number) from exc
        for s in spans:
            if not (0 <= s.start < s.end <= len(text)) or s.label not in LABELS:
                raise DocumentError(str(p), N_("bad gold span at line %(line)s"), line=number)
        documents.append(GoldDocument(str(raw["id"]), text, spans))
    return documents


def _covered(predicted: Sequence[Span], length: int) -> list[bool]:
    mask = [False] * length
    for span in predicted:
        for i in range(span.start, min(span.end, length)):
            mask[i] = True
    return mask


def score(gold: Iterable[GoldDocument], predictions: dict[str, Sequence[Span]]) -> Report:
    """Score ``predictions`` (document id -> spans) against ``gold``."""
    report = Report()
    for document in gold:
        predicted = list(predictions.get(document.id, ()))
        mask = _covered(predicted, len(document.text))
        report.documents += 1
        complete = True
        for g in document.spans:
            if not g.required:
                continue
            label = report.labels.setdefault(g.label, LabelScore())
            label.gold += 1
            chars = [i for i in range(g.start, g.end) if document.text[i].isalnum()]
            hit = [mask[i] for i in chars]
            if hit and all(hit):
                label.masked += 1
            else:
                complete = False
                report.misses.append({"document": document.id, "start": g.start, "end": g.end,
                                      "label": g.label, "text": document.text[g.start:g.end],
                                      "partial": any(hit)})
            if any(hit):
                label.partial += 1
        if complete:
            report.fully_masked += 1
        for span in predicted:
            overlapping = [g for g in document.spans if g.start < span.end and span.start < g.end]
            if overlapping and not any(g.required for g in overlapping):
                continue
            label = report.labels.setdefault(span.label, LabelScore())
            label.predicted += 1
            if overlapping:
                label.correct += 1
            else:
                report.false_positives.append({"document": document.id, "start": span.start, "end": span.end,
                                               "label": span.label, "text": span.text,
                                               "recognizer": span.recognizer})
    return report


def format_report(report: Report, *, show_misses: bool = True) -> str:
    lines = [f"{'label':<14} {'gold':>5} {'recall':>7} {'partial':>8} {'predicted':>9} {'precision':>9}"]
    for name, s in sorted(report.labels.items()):
        lines.append(f"{name:<14} {s.gold:>5} {s.recall:>7.3f} {s.partial_recall:>8.3f} "
                     f"{s.predicted:>9} {s.precision:>9.3f}")
    t = report.total
    lines.append(f"{'ALL':<14} {t.gold:>5} {t.recall:>7.3f} {t.partial_recall:>8.3f} {t.predicted:>9} "
                 f"{t.precision:>9.3f}")
    lines.append(f"documents fully masked: {report.fully_masked}/{report.documents}")
    if show_misses and report.misses:
        lines.append("misses:")
        for m in report.misses:
            lines.append(f"  {m['document']}:{m['start']}-{m['end']} {m['label']}"
                         f"{' (partial)' if m['partial'] else ''} {m['text']!r}")
    if show_misses and report.false_positives:
        lines.append("false positives:")
        for f in report.false_positives:
            lines.append(f"  {f['document']}:{f['start']}-{f['end']} {f['label']} {f['text']!r} [{f['recognizer']}]")
    return "\n".join(lines)
