"""Pure rules on the spans of one document: overlaps, grid text, conversion artefacts,
identifier cells, paragraph and cell boundaries."""

from __future__ import annotations

import bisect
import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import replace

from anonymiser.model import Document, Span
from anonymiser.text.grid import GridRegion

log = logging.getLogger(__name__)


def outside_grid(text: str, spans: Sequence[Span], regions: Sequence[GridRegion]) -> list[Span]:
    """Drop spans inside printed grid text; clip those that run out of it into an answer."""
    kept = []
    for span in spans:
        start = span.start
        for region in regions:
            if region.start <= start < region.end:
                start = region.end
        while start < span.end and not text[start].isalnum():
            start += 1
        if start >= span.end:
            continue
        if any(r.start < span.end and start < r.end for r in regions):
            continue
        surface = text[start:span.end]
        if start != span.start and not any(c.isupper() or c.isdigit() or c == "@" for c in surface):
            continue
        kept.append(span if start == span.start else span.moved(text, start, span.end))
    return kept


def resolve_overlaps(spans: Iterable[Span], priority: Sequence[str]) -> list[Span]:
    """One span per stretch of text: the longest, then the best score, then label priority. Sorted
    by offset. (Longest first keeps "CCAS de Rezé" whole over "Rezé", whichever is known.)"""
    rank = {label: index for index, label in enumerate(priority)}
    ordered = sorted(
        set(spans),
        key=lambda s: (-s.length, -s.score, rank.get(s.label, len(rank)), s.start, s.recognizer),
    )
    chosen: list[Span] = []
    dropped: list[Span] = []
    starts: list[int] = []  # the chosen spans, disjoint, by offset: one look-up per span
    ends: list[int] = []
    for span in ordered:
        at = bisect.bisect_left(starts, span.end)  # chosen spans that start before this one ends
        if at and ends[at - 1] > span.start:
            dropped.append(span)
        else:
            chosen.append(span)
            starts.insert(at, span.start)
            ends.insert(at, span.end)
    return sorted(_merge_partial_overlaps(chosen, dropped), key=lambda s: (s.start, s.end))


def _merge_partial_overlaps(chosen: list[Span], dropped: list[Span]) -> list[Span]:
    """A dropped span that sticks out of a chosen one ("vice-présidente à l'agriculture de la
    Communauté" / "Communauté de communes du Diois") widens it to their union, on one line,
    so that no detected letter is left unmasked."""
    result = list(chosen)
    changed = True
    while changed:
        changed = False
        for span in dropped:
            for kept in result:
                if not span.overlaps(kept) or (kept.start <= span.start and span.end <= kept.end):
                    continue
                start, end = min(kept.start, span.start), max(kept.end, span.end)
                others = [o for o in result if o is not kept and o.start < end and start < o.end]
                if any(not (start <= o.start and o.end <= end) for o in others):
                    continue
                text = kept.text if kept.start == start else span.text[: kept.start - span.start] + kept.text
                if end > kept.end:
                    text = text + span.text[len(span.text) - (end - kept.end):]
                if "\n" in text:
                    continue
                result = [o for o in result if o not in others]
                result[result.index(kept)] = replace(kept, start=start, end=end, text=text)
                changed = True
                break
            if changed:
                break
    return result


LAYOUT_RULE_ID = "document.identifier_cell"
# Markers that converters leave in exported text ("[bookmark: _GoBack]", "[bookmark: _Toc12]"):
# not personal data, and the names inside them are no person or organisation.
ARTEFACT = re.compile(r"\[bookmark: [^\]\n]*\]")


def without_artefacts(text: str, spans: Sequence[Span]) -> tuple[Span, ...]:
    """Drop spans that touch a conversion artefact such as ``[bookmark: _GoBack]``."""
    if "[bookmark: " not in text:
        return tuple(spans)
    marks = [(m.start(), m.end()) for m in ARTEFACT.finditer(text)]
    return tuple(s for s in spans if not any(s.start < end and start < s.end for start, end in marks))


def layout_spans(document: Document) -> list[Span]:
    """The spans a structured document imposes (identifier cells: one entity each)."""
    layout = document.layout
    if layout is None or not layout.spans:
        return []
    return [Span.of(document.text, start, end, label, score=1.0, recognizer=LAYOUT_RULE_ID)
            for start, end, label in layout.spans]


def split_at_units(document: Document, spans: Sequence[Span]) -> tuple[Span, ...]:
    """In a structured document each line is a paragraph or a cell: a span never crosses
    one. A span that does (rare: a pattern over a line end) is cut into one span per line."""
    if document.layout is None or not any("\n" in s.text for s in spans):
        return tuple(spans)
    text = document.text
    out: list[Span] = []
    for span in spans:
        start = span.start
        for piece in span.text.split("\n"):
            stripped = piece.strip()
            if stripped:
                begin = start + piece.index(stripped)
                out.append(span.moved(text, begin, begin + len(stripped)))
            start += len(piece) + 1
    return tuple(out)
