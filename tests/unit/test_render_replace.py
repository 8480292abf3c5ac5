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
