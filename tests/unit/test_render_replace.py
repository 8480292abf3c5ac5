import pytest

from anonymiser.model import Entity, Span
from anonymiser.render.replace import replace_spans, restore


def test_replace_offsets_and_restore() -> None:
    text = "Isabelle voit Bruno à Rezé."
    e1 = Entity("PER-0001", "PERSON", "Isabelle", ("Isabelle",), "Léa")
    e2 = Entity("PER-0002", "PERSON", "Bruno", ("Bruno",), "Maximilien")
    e3 = Entity("COM-0001", "MUNICIPALITY", "Rezé", ("Rezé",), "[COMMUNE_1]")
    mentions = [(Span.of(text, 14, 19, "PERSON"), e2), (Span.of(text, 0, 8, "PERSON"), e1),
                (Span.of(text, 22, 26, "MUNICIPALITY"), e3)]
    out, reps = replace_spans(text, mentions, lambda s, e: e.pseudonym)
    assert out == "Léa voit Maximilien à [COMMUNE_1]."
    for r in reps:
        assert out[r.out_start:r.out_end] == r.replacement
        assert text[r.start:r.end] == r.original
    assert restore(out, [(r.out_start, r.out_end, r.original) for r in reps]) == text


def test_replace_span_checks_its_text() -> None:
    import pytest

    with pytest.raises(ValueError):
        replace_spans("abc", [(Span(0, 2, "PERSON", "zz"), Entity("P", "PERSON", "x", (), "y"))],
                      lambda s, e: "")


def test_replace_follow_takes_over_words_after_the_mention() -> None:
    text = "Alors la Bergerie, elle est fermée. Odile aussi."
    place = Entity("LOC-0001", "LOCATION", "Bergerie", (), "un lieu")
    person = Entity("PER-0001", "PERSON", "Odile", (), "Léa")
    mentions = [(Span.of(text, 9, 17, "LOCATION"), place), (Span.of(text, 36, 41, "PERSON"), person)]

    def follow(text: str, span: Span, entity: Entity, new: str, limit: int) -> tuple[int, str]:
        assert limit == (36 if entity is place else len(text))  # never up to the next mention
        return (len(", elle est fermée"), ", il est fermé") if entity is place else (0, "")

    out, reps = replace_spans(text, mentions, lambda s, e: e.pseudonym, follow=follow)
    assert out == "Alors la un lieu, il est fermé. Léa aussi."
    first = reps[0]
    assert (first.original, first.replacement, first.after, first.after_out) == (
        "Bergerie, elle est fermée", "un lieu, il est fermé", 17, 14)
    assert all(out[r.out_start:r.out_end] == r.replacement and text[r.start:r.end] == r.original for r in reps)
    assert restore(out, [(r.out_start, r.out_end, r.original) for r in reps]) == text


def test_replace_follow_never_reaches_the_next_mention() -> None:
    import pytest

    text = "la Bergerie et Odile."
    mentions = [(Span.of(text, 3, 11, "LOCATION"), Entity("L", "LOCATION", "x", (), "un lieu")),
                (Span.of(text, 15, 20, "PERSON"), Entity("P", "PERSON", "y", (), "Léa"))]
    with pytest.raises(ValueError):
        replace_spans(text, mentions, lambda s, e: e.pseudonym, follow=lambda t, s, e, n, limit: (limit, ""))


def test_replace_a_stretch_is_that_stretch_of_the_whole_replacement() -> None:
    text = "Léon Garrec part.\nNi Léon ni Maëlle.\nMaëlle Jaouen reste."
    entities = {"Léon Garrec": "A", "Léon": "B", "Maëlle": "C", "Maëlle Jaouen": "D"}
    mentions = []
    for form in sorted(entities, key=len, reverse=True):
        at = 0
        while (at := text.find(form, at)) >= 0:
            if not any(s.start <= at < s.end for s, _ in mentions):
                mentions.append((Span.of(text, at, at + len(form), "PERSON"),
                                 Entity(entities[form], "PERSON", form, (form,), f"<{entities[form]}>")))
            at += len(form)
    render = lambda span, entity: entity.pseudonym  # noqa: E731
    whole, replacements = replace_spans(text, mentions, render)
    cut = text.index("\n") + 1, text.rindex("\n") + 1
    pieces, found, out_at = [], [], 0
    for start, stop in zip((0, *cut), (*cut, len(text))):
        inside = [m for m in mentions if start <= m[0].start < stop]
        out, made = replace_spans(text, inside, render, start=start, stop=stop, out_start=out_at)
        pieces.append(out)
        found += made
        out_at += len(out)
    assert "".join(pieces) == whole == "<A> part.\nNi <B> ni <C>.\n<D> reste."
    assert found == replacements
    with pytest.raises(ValueError, match="outside"):
        replace_spans(text, mentions, render, start=0, stop=cut[0])
