"""Replace (pure): mentions -> output text and replacements with input and output offsets.

Replacements are applied in one left-to-right pass (equivalent to Presidio's
replace-from-the-end), so output offsets are known and re-identification replays them
instead of searching strings.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from anonymiser.model import Entity, Replacement, Span

Adjust = Callable[[str, int, Span, Entity, str], tuple[int, str]]


def replace_spans(text: str, mentions: Sequence[tuple[Span, Entity]],
                  render: Callable[[Span, Entity], str],
                  adjust: Adjust | None = None) -> tuple[str, list[Replacement]]:
    """Apply every mention's rendered pseudonym; mentions must not overlap.

    ``adjust(text, cursor, span, entity, new)`` may take over characters just before the
    span (a function word whose form changes): it returns how many, and the new text of
    the whole range; it never reaches back before ``cursor``.
    """
    ordered = sorted(mentions, key=lambda m: m[0].start)
    pieces: list[str] = []
    replacements: list[Replacement] = []
    cursor = 0
    out_length = 0
    for span, entity in ordered:
        if span.start < cursor:
            raise ValueError("overlapping mentions")
        span.check(text)
        new = render(span, entity)
        context = 0
        if adjust is not None:
            context, new = adjust(text, cursor, span, entity, new)
            if not 0 <= context <= span.start - cursor:
                raise ValueError("adjustment reaches before the previous replacement")
        start = span.start - context
        before = text[cursor:start]
        pieces.append(before)
        out_length += len(before)
        pieces.append(new)
        replacements.append(Replacement(
            start=start, end=span.end, out_start=out_length, out_end=out_length + len(new),
            original=text[start:span.end], replacement=new, label=span.label, entity_id=entity.id,
            score=span.score, recognizer=span.recognizer, context=context, propagated=span.propagated,
        ))
        out_length += len(new)
        cursor = span.end
    pieces.append(text[cursor:])
    return "".join(pieces), replacements


def restore(text: str, replacements: Sequence[tuple[int, int, str]]) -> str:
    """Undo replacements given as ``(out_start, out_end, original)``, from the end."""
    for out_start, out_end, original in sorted(replacements, reverse=True):
        text = text[:out_start] + original + text[out_end:]
    return text
