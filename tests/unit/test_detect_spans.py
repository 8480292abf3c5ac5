"""detect/spans: overlap resolution, grid filtering, conversion artefacts, identifier cells and
paragraph boundaries (pure, no model)."""

from anonymiser.detect.spans import (
    LAYOUT_RULE_ID,
    layout_spans,
    outside_grid,
    resolve_overlaps,
    split_at_units,
    without_artefacts,
)
from anonymiser.documents import with_text
from anonymiser.model import Document, Layout, Span
from anonymiser.text.grid import GridRegion

PRIORITY = ["EMAIL_ADDRESS", "ROLE", "ORGANIZATION", "PERSON", "MUNICIPALITY", "LOCATION"]


def test_detect_spans_longest_span_wins() -> None:
    text = "le CCAS de Rezé aide"
    spans = [Span.of(text, 3, 15, "ORGANIZATION", score=0.85), Span.of(text, 11, 15, "MUNICIPALITY", score=0.99)]
    assert [(s.text, s.label) for s in resolve_overlaps(spans, PRIORITY)] == [("CCAS de Rezé", "ORGANIZATION")]


def test_detect_spans_partial_overlaps_are_merged() -> None:
    text = "la vice-présidente à l'agriculture de la Communauté de communes du Diois parle"
    role = Span.of(text, 3, text.index("Communauté") + len("Communauté"), "ROLE", score=0.75)
    org = Span.of(text, text.index("Communauté"), text.index(" parle"), "ORGANIZATION", score=0.85)
    result = resolve_overlaps([role, org], PRIORITY)
    assert len(result) == 1 and result[0].text == text[3:text.index(" parle")]
    result[0].check(text)


def test_detect_spans_merge_never_crosses_lines() -> None:
    text = "Martin Dupont\nDupont Immobilier"
    a = Span.of(text, 0, 13, "PERSON", score=0.9)
    b = Span.of(text, 7, 17, "ORGANIZATION", score=0.5)
    assert [s.text for s in resolve_overlaps([a, b], PRIORITY)] == ["Martin Dupont"]


def test_detect_spans_spans_in_grid_text_are_dropped_or_clipped() -> None:
    text = "Prénom et nom : Nadia Haddad\n"
    region = GridRegion(0, 15, "Prénom et nom")
    spans = [Span.of(text, 0, 6, "PERSON"), Span.of(text, 10, 28, "PERSON")]
    assert [s.text for s in outside_grid(text, spans, [region])] == ["Nadia Haddad"]


def test_detect_spans_split_at_units_cuts_crossing_spans() -> None:
    text = "rue des\nLilas ici"
    document = Document("d", text, layout=Layout("docx"))
    span = Span.of(text, 4, 13, "ADDRESS")
    split = split_at_units(document, (span,))
    assert [s.text for s in split] == ["des", "Lilas"]
    assert split_at_units(Document("d", text), (span,)) == (span,)  # plain text: no units to respect
    assert with_text(document, text).layout is not None


def test_detect_spans_conversion_artefacts_are_not_masked() -> None:
    text = "Vu [bookmark: _GoBack] Isabelle.\n[bookmark: _Toc12]"
    spans = (Span.of(text, 14, 20, "PERSON"), Span.of(text, 23, 31, "PERSON"), Span.of(text, 45, 50, "ORGANIZATION"))
    kept = without_artefacts(text, spans)
    assert [s.text for s in kept] == ["Isabelle"]


# -- resolve_overlaps: longest, then score, then label priority ------------------------------------
def test_detect_spans_equal_length_the_best_score_wins() -> None:
    text = "à Rezé hier"
    low = Span.of(text, 2, 6, "MUNICIPALITY", score=0.6)
    high = Span.of(text, 2, 6, "LOCATION", score=0.9)
    assert resolve_overlaps([low, high], PRIORITY) == [high]
    assert resolve_overlaps([high, low], PRIORITY) == [high]  # the input order does not matter


def test_detect_spans_equal_length_and_score_the_label_priority_wins() -> None:
    text = "chez Morel Frères"
    person = Span.of(text, 5, 17, "PERSON", score=0.8)
    org = Span.of(text, 5, 17, "ORGANIZATION", score=0.8)
    assert resolve_overlaps([person, org], PRIORITY) == [org]  # ORGANIZATION comes before PERSON
    assert resolve_overlaps([person, org], ["PERSON", "ORGANIZATION"]) == [person]


def test_detect_spans_longest_wins_over_a_better_score() -> None:
    text = "la Mission locale de Lorient"
    whole = Span.of(text, 3, 28, "ORGANIZATION", score=0.5)
    town = Span.of(text, 21, 28, "MUNICIPALITY", score=1.0)
    assert resolve_overlaps([town, whole], PRIORITY) == [whole]


def test_detect_spans_disjoint_spans_are_kept_sorted_and_deduplicated() -> None:
    text = "Odile Brossard et Gaspard Lemarchal à Combelorge"
    a = Span.of(text, 0, 14, "PERSON", score=0.9)
    b = Span.of(text, 18, 35, "PERSON", score=0.7)
    c = Span.of(text, 38, 48, "MUNICIPALITY", score=0.99)
    assert resolve_overlaps([c, b, a, a, c], PRIORITY) == [a, b, c]
    assert resolve_overlaps([], PRIORITY) == []


def test_detect_spans_merged_span_keeps_the_chosen_label_and_its_text() -> None:
    text = "avec la directrice de la Maison des Lisse aujourd'hui"
    role = Span.of(text, 8, text.index(" Maison") + 7, "ROLE", score=0.7, recognizer="fr.role")
    org = Span.of(text, text.index("Maison"), text.index(" aujourd"), "ORGANIZATION", score=0.8,
                  recognizer="fr.org")
    assert role.length > org.length
    (merged,) = resolve_overlaps([org, role], PRIORITY)
    assert (merged.start, merged.end) == (8, text.index(" aujourd"))
    assert (merged.label, merged.recognizer, merged.score) == ("ROLE", "fr.role", 0.7)
    merged.check(text)


def test_detect_spans_an_unknown_label_ranks_after_the_priority_list() -> None:
    text = "site www.lisse.fr ok"
    url = Span.of(text, 5, 17, "URL", score=0.9)
    email = Span.of(text, 5, 17, "EMAIL_ADDRESS", score=0.9)
    assert resolve_overlaps([url, email], PRIORITY) == [email]  # URL is not in PRIORITY


# -- outside_grid ----------------------------------------------------------------------------------
def test_detect_spans_a_span_wholly_inside_the_grid_is_dropped() -> None:
    text = "Structure : Maison des Lisse\n"
    region = GridRegion(0, 11, "Structure")
    assert outside_grid(text, [Span.of(text, 0, 9, "ORGANIZATION")], [region]) == []


def test_detect_spans_a_clipped_span_needs_a_capital_or_a_digit() -> None:
    text = "Vos remarques : aucune\nVos remarques : Combelorge\n"
    first = GridRegion(0, 15, "Vos remarques")
    second = GridRegion(23, 38, "Vos remarques")
    spans = [Span.of(text, 4, 22, "LOCATION"), Span.of(text, 27, 49, "MUNICIPALITY", score=0.7, recognizer="r")]
    kept = outside_grid(text, spans, [first, second])
    assert [(s.text, s.score, s.recognizer) for s in kept] == [("Combelorge", 0.7, "r")]


def test_detect_spans_a_span_running_into_a_later_grid_line_is_dropped() -> None:
    text = "Odile Brossard Profession : agricultrice\n"
    region = GridRegion(15, 27, "Profession")
    span = Span.of(text, 6, 26, "PERSON")
    assert outside_grid(text, [span], [region]) == []
    untouched = Span.of(text, 0, 14, "PERSON")
    assert outside_grid(text, [untouched], [region]) == [untouched]


# -- layout_spans ----------------------------------------------------------------------------------
def test_detect_spans_layout_spans_are_the_identifier_cells() -> None:
    text = "Odile Brossard\nRien à signaler.\nGaspard Lemarchal"
    layout = Layout("csv", spans=((0, 14, "PERSON"), (32, 49, "PERSON")))
    spans = layout_spans(Document("t", text, layout=layout))
    assert [(s.text, s.label, s.score, s.recognizer) for s in spans] == [
        ("Odile Brossard", "PERSON", 1.0, LAYOUT_RULE_ID), ("Gaspard Lemarchal", "PERSON", 1.0, LAYOUT_RULE_ID)]
    assert layout_spans(Document("t", text)) == []
    assert layout_spans(Document("t", text, layout=Layout("docx"))) == []
