"""A name said twice in a row is two mentions: a transcript's repetitions and self-corrections
("Kervec Kervec", "Lilas Les Lilas", "Porte de Kerbrat Porte de Kerbrac") cut into their members,
each labelled by its own evidence, also inside a coordination of them.

>>> from anonymiser.model import Span
>>> text = "on allait à Kervec Kervec le soir"
>>> [s.text for s in repeated(text, Span.of(text, 11, 24, "PERSON"))]
['Kervec', 'Kervec']
"""

from __future__ import annotations

import re

from anonymiser.model import Span
from anonymiser.text.fold import fold_key
from anonymiser.text.near import close

_TOKEN = re.compile(r"\S+")
_ARTICLE = frozenset({"le", "la", "les"})
# where a coordination of repetitions splits: "Kervec Kervec et Porte de Kerbrat Porte de Kerbrat"
_AND = re.compile(r"\s*,\s+|\s+et\s+")
# letters a word needs for a misspelt repetition, one edit away, to count ("Clignancourt", "Clingnancourt");
# shorter ones may be a first name and a surname made from it
_MIN_NEAR = 8


def repeated(text: str, span: Span) -> list[Span]:
    """``span`` cut into the names it repeats, or ``[span]`` when it repeats none; a coordination
    is cut too when each of its members is a repetition."""
    cuts = _halves(span.text)
    if cuts:
        return [_part(text, span, a, b) for a, b in cuts]
    bounds, start = [], 0
    for cut in _AND.finditer(span.text):
        bounds.append((start, cut.start()))
        start = cut.end()
    if not bounds:
        return [span]
    bounds.append((start, len(span.text)))
    halves = [_halves(span.text[a:b]) for a, b in bounds]
    if not all(halves):
        return [span]
    return [_part(text, span, a + x, a + y) for (a, _b), pairs in zip(bounds, halves, strict=True)
            for x, y in pairs]


def _halves(surface: str) -> list[tuple[int, int]]:
    """The offsets of the two halves of a name said twice ("Lilas Les Lilas": the second may open
    with an article the first lacks), else []."""
    tokens = list(_TOKEN.finditer(surface))
    n = len(tokens)
    for k in range(1, n // 2 + 1):
        second = tokens[k:]
        if len(second) == k + 1 and fold_key(second[0].group(0)) in _ARTICLE:
            second = second[1:]
        if len(second) != k or not second[0].group(0)[:1].isupper() or not tokens[0].group(0)[:1].isupper():
            continue
        if all(_same(a.group(0), b.group(0)) for a, b in zip(tokens[:k], second, strict=True)):
            return [(0, tokens[k - 1].end()), (tokens[k].start(), len(surface))]
    return []


def _same(a: str, b: str) -> bool:
    a, b = fold_key(a), fold_key(b)
    return a == b or (min(len(a), len(b)) >= _MIN_NEAR and close(a, b, 1))


def _part(text: str, span: Span, a: int, b: int) -> Span:
    return Span.of(text, span.start + a, span.start + b, span.label, score=span.score, recognizer=span.recognizer,
                   propagated=span.propagated)
