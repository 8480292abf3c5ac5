"""Replace (pure): mentions -> output text and replacements with input and output offsets.

Replacements are applied in one left-to-right pass (equivalent to Presidio's
replace-from-the-end), so output offsets are known and re-identification replays them
instead of searching strings.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

from anonymiser.model import Entity, Replacement, Span

Adjust = Callable[[str, int, Span, Entity, str], tuple[int, str]]
Follow = Callable[[str, Span, Entity, str, int], tuple[int, str]]


def replace_spans(text: str, mentions: Sequence[tuple[Span, Entity]],
                  render: Callable[[Span, Entity], str],
                  adjust: Adjust | None = None, follow: Follow | None = None, *, start: int = 0,
                  stop: int | None = None, out_start: int = 0) -> tuple[str, list[Replacement]]:
    """Apply every mention's rendered pseudonym; mentions must not overlap.

    With ``start`` and ``stop``, only ``text[start:stop]`` is rewritten (its mentions lie in
    it; one block of a table's lines): the output is that stretch's, and its replacements
    have the offsets they have in the whole text, output offsets counted from ``out_start``.

    ``adjust(text, cursor, span, entity, new)`` may take over characters just before the
    span (a function word whose form changes): it returns how many, and the new text of
    the whole range; it never reaches back before ``cursor``. ``follow(text, span, entity,
    new, limit)`` may take over characters just after it (words that agree with a neutral
    phrase), never reaching ``limit`` (the next mention): how many, and their new text.
    """
    pieces: list[str] = []
    replacements: list[Replacement] = []
    for before, replacement in iter_replaced(text, mentions, render, adjust, follow, start=start, stop=stop,
                                             out_start=out_start):
        pieces.append(before)
        if replacement is not None:
            pieces.append(replacement.replacement)
            replacements.append(replacement)
    return "".join(pieces), replacements


def iter_replaced(text: str, mentions: Sequence[tuple[Span, Entity]],
                  render: Callable[[Span, Entity], str],
                  adjust: Adjust | None = None, follow: Follow | None = None, *, start: int = 0,
                  stop: int | None = None, out_start: int = 0) -> Iterator[tuple[str, Replacement | None]]:
    """``replace_spans`` one mention at a time: the text before each replacement and the
    replacement (whose ``replacement`` follows it in the output), then the text after the
    last one with None. The output is these pieces in order: a long text's output and
    replacements need not all be held at once (``run.texts`` writes them as they come)."""
    ordered = sorted(mentions, key=lambda m: m[0].start)
    stop = len(text) if stop is None else stop
    cursor = start
    out_length = out_start
    for position, (span, entity) in enumerate(ordered):
        if span.start < cursor or span.end > stop:
            raise ValueError("overlapping mentions" if span.start < cursor else "a mention outside the stretch")
        span.check(text)
        new = render(span, entity)
        context = 0
        if adjust is not None:
            context, new = adjust(text, cursor, span, entity, new)
            if not 0 <= context <= span.start - cursor:
                raise ValueError("adjustment reaches before the previous replacement")
        after, agreed = 0, ""
        if follow is not None:
            limit = ordered[position + 1][0].start if position + 1 < len(ordered) else stop
            after, agreed = follow(text, span, entity, new, limit)
            if not 0 <= after <= limit - span.end:
                raise ValueError("agreement reaches the next replacement")
        start, end = span.start - context, span.end + after
        before = text[cursor:start]
        out_length += len(before)
        new += agreed
        yield before, Replacement(
            start=start, end=end, out_start=out_length, out_end=out_length + len(new),
            original=text[start:end], replacement=new, label=span.label, entity_id=entity.id,
            score=span.score, recognizer=span.recognizer, context=context, propagated=span.propagated,
            after=after, after_out=len(agreed),
        )
        out_length += len(new)
        cursor = end
    yield text[cursor:stop], None


def restore(text: str, replacements: Sequence[tuple[int, int, str]]) -> str:
    """Undo replacements given as ``(out_start, out_end, original)``, from the end."""
    for out_start, out_end, original in sorted(replacements, reverse=True):
        text = text[:out_start] + original + text[out_end:]
    return text
