"""Score predictions against gold annotations (format and rules: docs/annotation.en.md), per label.

A gold mention is *masked* when every letter and digit of it lies inside a predicted span
(whatever its label), *partly masked* when at least one does. A predicted span is *correct*
when it overlaps a gold span (required or optional); spans overlapping only optional gold
spans count neither way. A document is fully masked when all its required mentions are.

*Label agreement*: of the predicted spans that overlap a required gold mention, the share
that carry that mention's label, where MUNICIPALITY and LOCATION count as one family (a
place); the confusion table counts those spans by gold label and predicted label.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from anonymiser.errors import AnonymiserError, NotFoundError
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


# Labels that count as one in label agreement: a commune and another place.
LABEL_FAMILIES: dict[str, str] = {"MUNICIPALITY": "PLACE", "LOCATION": "PLACE"}


def label_family(label: str) -> str:
    """The family of a label for label agreement ("PLACE" for MUNICIPALITY and LOCATION)."""
    return LABEL_FAMILIES.get(label, label)


@dataclass
class Agreement:
    """Label agreement: predicted spans over a required gold mention (``spans``), those that
    carry its label's family (``agreeing``), and their count per (gold label, predicted label)."""

    spans: int = 0
    agreeing: int = 0
    confusion: Counter[tuple[str, str]] = field(default_factory=Counter)

    @property
    def rate(self) -> float:
        return self.agreeing / self.spans if self.spans else 1.0

    def add(self, gold_label: str, predicted_label: str) -> None:
        self.spans += 1
        self.agreeing += label_family(gold_label) == label_family(predicted_label)
        self.confusion[(gold_label, predicted_label)] += 1

    def to_dict(self) -> dict[str, Any]:
        table: dict[str, dict[str, int]] = {}
        for (gold, predicted), count in sorted(self.confusion.items()):
            table.setdefault(gold, {})[predicted] = count
        return {"spans": self.spans, "agreeing": self.agreeing, "rate": round(self.rate, 4),
                "families": {"PLACE": sorted(LABEL_FAMILIES)}, "confusion": table}

    def table(self) -> list[str]:
        """The confusion table for the screen: a row per gold label, a column per predicted label."""
        gold = sorted({g for g, _ in self.confusion})
        predicted = sorted({p for _, p in self.confusion})
        if not gold:
            return []
        corner = "gold \\ predicted"
        width = max(len(label) for label in (*gold, *predicted, corner))
        lines = [f"{corner:<{width}} " + " ".join(predicted)]
        for g in gold:
            lines.append(f"{g:<{width}} " + " ".join(f"{self.confusion[(g, p)]:>{len(p)}}" for p in predicted))
        return lines


@dataclass
class RuleScore:
    """What one rule id did: the required gold mentions it masked (fully masked, with a span
    of this rule over them; a mention masked by two rules counts for both), its spans, and
    those that are false positives (``propagated``: of them, the spans spread from a form
    found elsewhere)."""

    masked: int = 0
    predicted: int = 0
    false_positives: int = 0
    propagated: int = 0


@dataclass
class Report:
    """Scores per label and per rule id; ``misses`` and ``false_positives`` hold the text of
    each error and its context (private: written only to an errors file, never printed)."""

    labels: dict[str, LabelScore] = field(default_factory=dict)
    rules: dict[str, RuleScore] = field(default_factory=dict)
    person_without_speakers: LabelScore = field(default_factory=LabelScore)
    documents: int = 0
    fully_masked: int = 0
    misses: list[dict[str, Any]] = field(default_factory=list)
    false_positives: list[dict[str, Any]] = field(default_factory=list)
    agreement: Agreement = field(default_factory=Agreement)
    label_errors: list[dict[str, Any]] = field(default_factory=list)

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

    def to_dict(self, *, by_rule: bool = False) -> dict[str, Any]:
        """The scores, machine-readable; counts of errors, never their text."""
        def row(s: LabelScore) -> dict[str, Any]:
            return {"gold": s.gold, "recall": round(s.recall, 4), "partial_recall": round(s.partial_recall, 4),
                    "predicted": s.predicted, "precision": round(s.precision, 4)}

        person = self.person_without_speakers
        result: dict[str, Any] = {
            "labels": {label: row(s) for label, s in sorted(self.labels.items())},
            "all": row(self.total),
            "person_without_speakers": {"gold": person.gold, "recall": round(person.recall, 4)},
            "documents": self.documents,
            "fully_masked": self.fully_masked,
            "misses": len(self.misses),
            "false_positives": len(self.false_positives),
            "label_agreement": self.agreement.to_dict(),
        }
        if by_rule:
            result["rules"] = {rule: dataclasses.asdict(r) for rule, r in sorted(self.rules.items())}
        return result


def read_gold(path: str | Path) -> list[GoldDocument]:
    """Read a gold JSONL file; offsets are checked against the text."""
    p = Path(path)
    try:
        lines = p.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError as exc:
        raise NotFoundError(str(p), N_("gold file not found")) from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise AnonymiserError(str(p), N_("cannot read gold file")) from exc
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
            raise AnonymiserError(str(p), N_("bad gold record at line %(line)s"), line=number) from exc
        for s in spans:
            if not (0 <= s.start < s.end <= len(text)) or s.label not in LABELS:
                raise AnonymiserError(str(p), N_("bad gold span at line %(line)s"), line=number)
        documents.append(GoldDocument(str(raw["id"]), text, spans))
    return documents


CONTEXT = 60  # characters of context on each side of an error, in the errors file

# A speaker label: a name that opens a line (after a dash, a time code or an opening bracket)
# and is followed by an optional tag in brackets and a colon, or closes its bracket:
# "Lucie Arnaud (ENQ) : ...", "[Lucie] ...", "L.A. : ...".
_SPEAKER_BEFORE = re.compile(r"(?:^|\n)[ \t]*(?:[-–—•*][ \t]*)?(?:\[[\d:.]+\][ \t]*)?(?P<open>[\[(]?)[ \t]*"
                             r"(?:(?:M|Mme|Mlle|Dr|Pr)\.?[ \t]+)?$")
_SPEAKER_AFTER = re.compile(r"[ \t]*(?:[\[(][^\])\n]{0,40}[\])][ \t]*)?:")
_SPEAKER_CLOSE = re.compile(r"[ \t]*[\])]")


def is_speaker_label(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` is a speaker label (see ``_SPEAKER_BEFORE``)."""
    line_start = text.rfind("\n", 0, start) + 1
    before = _SPEAKER_BEFORE.search(text, max(0, line_start - 1), start)
    if before is None or before.end() != start:
        return False
    if before.group("open"):
        return _SPEAKER_CLOSE.match(text, end) is not None or _SPEAKER_AFTER.match(text, end) is not None
    return _SPEAKER_AFTER.match(text, end) is not None


def _error(document: GoldDocument, start: int, end: int, label: str, **extra: Any) -> dict[str, Any]:
    text = document.text
    return {"document": document.id, "start": start, "end": end, "label": label, "text": text[start:end],
            "before": text[max(0, start - CONTEXT):start], "after": text[end:end + CONTEXT], **extra}


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
            masked = bool(hit) and all(hit)
            speaker = g.label == "PERSON" and is_speaker_label(document.text, g.start, g.end)
            if g.label == "PERSON" and not speaker:
                report.person_without_speakers.gold += 1
                report.person_without_speakers.masked += masked
            if masked:
                label.masked += 1
                for rule_id in sorted({s.recognizer for s in predicted if s.start < g.end and g.start < s.end}):
                    report.rules.setdefault(rule_id, RuleScore()).masked += 1
            else:
                complete = False
                report.misses.append(_error(document, g.start, g.end, g.label, partial=any(hit),
                                            speaker_label=speaker))
            if any(hit):
                label.partial += 1
        if complete:
            report.fully_masked += 1
        for span in predicted:
            overlapping = [g for g in document.spans if g.start < span.end and span.start < g.end]
            if overlapping and not any(g.required for g in overlapping):
                continue
            required = [g for g in overlapping if g.required]
            if required:
                gold_label = _gold_label(span, required)
                report.agreement.add(gold_label, span.label)
                if label_family(gold_label) != label_family(span.label):
                    report.label_errors.append(_error(document, span.start, span.end, span.label,
                                                      recognizer=span.recognizer, gold_label=gold_label,
                                                      propagated=span.propagated))
            label = report.labels.setdefault(span.label, LabelScore())
            rule = report.rules.setdefault(span.recognizer, RuleScore())
            label.predicted += 1
            rule.predicted += 1
            if overlapping:
                label.correct += 1
            else:
                rule.false_positives += 1
                rule.propagated += span.propagated
                report.false_positives.append(_error(document, span.start, span.end, span.label,
                                                     recognizer=span.recognizer, propagated=span.propagated))
    return report


def _gold_label(span: Span, gold: Sequence[GoldSpan]) -> str:
    """The gold label a predicted span is judged against: that of an overlapping mention of
    its family if there is one, else that of the mention it overlaps most (first on a tie)."""
    for g in gold:
        if label_family(g.label) == label_family(span.label):
            return g.label
    return max(gold, key=lambda g: min(g.end, span.end) - max(g.start, span.start)).label


def format_report(report: Report, *, by_rule: bool = False) -> str:
    """The report for the screen: scores and counts, never the text of an error."""
    lines = [f"{'label':<14} {'gold':>5} {'recall':>7} {'partial':>8} {'predicted':>9} {'precision':>9}"]
    for name, s in sorted(report.labels.items()):
        lines.append(f"{name:<14} {s.gold:>5} {s.recall:>7.3f} {s.partial_recall:>8.3f} "
                     f"{s.predicted:>9} {s.precision:>9.3f}")
    t = report.total
    lines.append(f"{'ALL':<14} {t.gold:>5} {t.recall:>7.3f} {t.partial_recall:>8.3f} {t.predicted:>9} "
                 f"{t.precision:>9.3f}")
    person = report.person_without_speakers
    lines.append(f"PERSON recall without speaker labels: {person.recall:.3f} ({person.masked}/{person.gold})")
    lines.append(f"documents fully masked: {report.fully_masked}/{report.documents}")
    partial = sum(1 for m in report.misses if m["partial"])
    lines.append(f"misses: {len(report.misses)} ({partial} partial); false positives: {len(report.false_positives)}"
                 " (see --errors FILE)")
    a = report.agreement
    lines.append("")
    lines.append(f"label agreement: {a.rate:.3f} ({a.agreeing}/{a.spans} predicted spans over a required gold "
                 "mention carry its label; MUNICIPALITY and LOCATION count as one family)")
    lines += a.table()
    if by_rule:
        lines.append("")
        lines.append(f"{'rule':<32} {'masked':>7} {'predicted':>9} {'false pos.':>10} {'propagated':>10}")
        for name, r in sorted(report.rules.items()):
            lines.append(f"{name or '(none)':<32} {r.masked:>7} {r.predicted:>9} {r.false_positives:>10} "
                         f"{r.propagated:>10}")
    return "\n".join(lines)


def errors_lines(report: Report) -> list[str]:
    """Every miss, false positive and label disagreement, one JSON object a line, with its context (private)."""
    records = [{"kind": "miss", **m} for m in report.misses]
    records += [{"kind": "false_positive", **f} for f in report.false_positives]
    records += [{"kind": "label", **e} for e in report.label_errors]
    records.sort(key=lambda r: (r["document"], r["start"], r["end"], r["kind"]))
    return [json.dumps(r, ensure_ascii=False, sort_keys=True) for r in records]
