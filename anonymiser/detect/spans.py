"""Pure rules on the spans of one document: overlaps, grid text, conversion artefacts,
identifier cells, paragraph and cell boundaries."""

from __future__ import annotations

import bisect
import heapq
import itertools
import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import replace
from functools import lru_cache

from anonymiser.model import Document, Span
from anonymiser.recognizers.lexical import capitalised_small_word, feast_day, in_title_case_line
from anonymiser.recognizers.naming import OPENED
from anonymiser.recognizers.organizations import LETTERHEAD
from anonymiser.recognizers.person_forms import SIGNATURE
from anonymiser.text.grid import GridRegion
from anonymiser.text.matching import PhraseIndex

log = logging.getLogger(__name__)


def outside_grid(text: str, spans: Sequence[Span], regions: Sequence[GridRegion]) -> list[Span]:
    """Drop spans inside printed grid text; clip those that run out of it into an answer.
    ``regions`` are in text order and disjoint (as ``Grid.regions`` gives them): each span
    looks up the few near it."""
    starts = [region.start for region in regions]
    ends = [region.end for region in regions]
    kept = []
    for span in spans:
        start = span.start
        at = bisect.bisect_right(starts, start) - 1  # the last region that starts at or before
        while 0 <= at < len(regions) and regions[at].start <= start < regions[at].end:
            start = regions[at].end  # a region that starts where this one ends follows it
            at += 1
        while start < span.end and not text[start].isalnum():
            start += 1
        if start >= span.end:
            continue
        after = bisect.bisect_right(ends, start)  # the first region that ends after ``start``
        if after < len(regions) and regions[after].start < span.end:
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
    so that no detected letter is left unmasked.

    Dropped spans are tried in order, each against the chosen spans it overlaps in the order
    they were chosen; after a widening, the first dropped span is tried again. Only a dropped
    span that overlaps the widened span can decide otherwise than before, so only those are
    tried again (``_Disjoint`` finds them): linear in the spans, not quadratic."""
    result = _Disjoint(chosen)
    pending = _Starts(dropped)
    todo = list(range(len(dropped)))  # a heap of the dropped spans to try, by their order
    waiting = set(todo)
    while todo:
        index = heapq.heappop(todo)
        waiting.discard(index)
        widened = _widen(dropped[index], result)
        if widened is None:
            continue
        for other in pending.overlapping(widened.start, widened.end):
            if other not in waiting:
                waiting.add(other)
                heapq.heappush(todo, other)
    return result.spans()


def _widen(span: Span, result: _Disjoint) -> Span | None:
    """Widen the first chosen span that ``span`` sticks out of (see above), if any may be."""
    for rank, kept in result.overlapping_spans(span.start, span.end):
        if kept.start <= span.start and span.end <= kept.end:
            continue
        start, end = min(kept.start, span.start), max(kept.end, span.end)
        others = [(r, o) for r, o in result.overlapping_spans(start, end) if r != rank]
        if any(not (start <= o.start and o.end <= end) for _r, o in others):
            continue
        text = kept.text if kept.start == start else span.text[: kept.start - span.start] + kept.text
        if end > kept.end:
            text = text + span.text[len(span.text) - (end - kept.end):]
        if "\n" in text:
            continue
        for r, _o in others:
            result.remove(r)
        widened = replace(kept, start=start, end=end, text=text)
        result.put(rank, widened)
        return widened
    return None


class _Disjoint:
    """Disjoint spans, each under a rank (the order it was chosen in), found by offset."""

    def __init__(self, spans: Sequence[Span]) -> None:
        self.by_rank = dict(enumerate(spans))
        ordered = sorted(self.by_rank.items(), key=lambda item: item[1].start)
        self.starts = [span.start for _r, span in ordered]
        self.ranks = [rank for rank, _s in ordered]

    def overlapping_spans(self, start: int, end: int) -> list[tuple[int, Span]]:
        """The spans that overlap ``[start, end)``, by rank."""
        found = []
        at = bisect.bisect_left(self.starts, end) - 1  # the last span that starts before ``end``
        while at >= 0 and self.by_rank[self.ranks[at]].end > start:
            found.append((self.ranks[at], self.by_rank[self.ranks[at]]))
            at -= 1
        return sorted(found, key=lambda item: item[0])

    def remove(self, rank: int) -> None:
        span = self.by_rank.pop(rank)
        at = bisect.bisect_left(self.starts, span.start)
        del self.starts[at], self.ranks[at]

    def put(self, rank: int, span: Span) -> None:
        if rank in self.by_rank:
            self.remove(rank)
        at = bisect.bisect_left(self.starts, span.start)
        self.starts.insert(at, span.start)
        self.ranks.insert(at, rank)
        self.by_rank[rank] = span

    def spans(self) -> list[Span]:
        return [self.by_rank[rank] for rank in sorted(self.by_rank)]


class _Starts:
    """Spans (overlapping or not) by start: the indexes of those that overlap a stretch."""

    def __init__(self, spans: Sequence[Span]) -> None:
        self.spans = spans
        self.order = sorted(range(len(spans)), key=lambda index: spans[index].start)
        self.starts = [spans[index].start for index in self.order]
        self.longest = max((span.length for span in spans), default=0)

    def overlapping(self, start: int, end: int) -> list[int]:
        low = bisect.bisect_right(self.starts, start - self.longest)
        high = bisect.bisect_left(self.starts, end)
        return [index for index in self.order[low:high] if self.spans[index].end > start]


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


_CONTACTS = frozenset({"EMAIL_ADDRESS", "PHONE_NUMBER", "URL", "ADDRESS"})


# rules that find a name by its capitals alone: in a Title Case heading capitals say nothing
_BY_CAPITALS = ("fr.org.capitalised_run", "fr.org.capital_article", "fr.org.head_name", "fr.ner.",
                "fr.transcript.capitalised")


def heading_words(text: str, span: Span, common_words: frozenset[str] = frozenset()) -> bool:
    """True for a name span that takes in a heading's small words written with a capital, in
    a Title Case line ("## École Et Jeunesse", "Fin De La Réunion"): a name keeps those words
    in lower case, so these are the heading's words, not one name. Also true for a body or a
    place found by its capitals alone whose every word is an ordinary French word, in such a
    line ("Un Cœur De Ville Plus Agréable", "Ils Se Sont Installés"): the heading's words."""
    if span.label in _CONTACTS or span.recognizer in (LETTERHEAD, SIGNATURE, OPENED) \
            or not in_title_case_line(text, span.start, span.end):
        return False  # a letterhead in capitals is a body's name, found by its head word; "R. L." signs;
        # a group's name opened by its plural keeps a heading's capitals ("Les Amis Du Musée")
    if capitalised_small_word(span.text):
        return True
    words = re.findall(r"[^\W\d_]+", span.text)
    return (span.label in ("ORGANIZATION", "LOCATION") and span.recognizer.startswith(_BY_CAPITALS)
            and bool(words) and all(w.lower() in common_words for w in words))


def saint_day(text: str, span: Span) -> bool:
    """True for a name span that is a saint's day ("à la Sainte-Barbe"), or a body's span
    that ends on one ("le comité des fêtes prépare la fête de la Saint-Jean")."""
    if span.label not in _CONTACTS and feast_day(text, span.start):
        return True
    tail = max(span.text.rfind(" la Saint"), span.text.rfind(" la Sainte"), span.text.rfind(" la St"))
    return span.label == "ORGANIZATION" and tail > 0 and feast_day(text, span.start + tail + 4)


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


@lru_cache(maxsize=8)
def _never_index(phrases: frozenset[str]) -> PhraseIndex[str]:
    return PhraseIndex((phrase, phrase) for phrase in sorted(phrases))


def never_masked(text: str, phrases: frozenset[str]) -> list[tuple[int, int]]:
    """Where the phrases a project never masks are in ``text`` (whole words, case and accents
    folded), as ``(start, end)``."""
    if not phrases:
        return []
    return [(m.start, m.end) for m in _never_index(phrases).find(text)]


def outside(spans: Iterable[Span], ranges: Sequence[tuple[int, int]]) -> list[Span]:
    """``spans`` but those that lie inside one of ``ranges`` ("France" in "Banque de France").
    Each span looks up the ranges that start at or before it (by bisection, with the furthest
    end among them), not every range: a long text has thousands of each."""
    if not ranges:
        return list(spans)
    ordered = sorted(ranges)
    starts = [start for start, _end in ordered]
    reach = list(itertools.accumulate((end for _start, end in ordered), max))
    return [s for s in spans if (at := bisect.bisect_right(starts, s.start) - 1) < 0 or reach[at] < s.end]
