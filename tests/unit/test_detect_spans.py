"""detect/spans: overlap resolution, grid filtering, conversion artefacts, identifier cells and
paragraph boundaries (pure, no model)."""

import random
from dataclasses import replace

from anonymiser.detect.spans import (
    heading_words,
    saint_day,
    LAYOUT_RULE_ID,
    layout_spans,
    outside,
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


def _merge_by_rescanning(chosen: list[Span], dropped: list[Span]) -> list[Span]:
    """The widening of partial overlaps as it was first written (every dropped span against
    every chosen one, from the start after each change): what the indexed one must equal."""
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


def test_detect_spans_partial_overlaps_merge_as_by_rescanning() -> None:
    rng = random.Random(19)
    labels = ["ROLE", "ORGANIZATION", "PERSON", "MUNICIPALITY"]
    for _ in range(400):
        text = "".join(rng.choice("abcde  \n") for _ in range(rng.randint(20, 80)))
        spans = []
        for _ in range(rng.randint(1, 14)):
            start = rng.randrange(len(text) - 1)
            end = min(len(text), start + rng.randint(1, 12))
            spans.append(Span.of(text, start, end, rng.choice(labels), score=rng.choice([0.5, 0.85, 0.99])))
        rank = {label: index for index, label in enumerate(PRIORITY)}
        ordered = sorted(set(spans), key=lambda s: (-s.length, -s.score, rank.get(s.label, 99), s.start, s.recognizer))
        chosen: list[Span] = []
        dropped: list[Span] = []
        for span in ordered:
            (dropped if any(span.overlaps(c) for c in chosen) else chosen).append(span)
        expected = sorted(_merge_by_rescanning(chosen, dropped), key=lambda s: (s.start, s.end))
        assert resolve_overlaps(spans, PRIORITY) == expected
        for span in expected:
            span.check(text)


def _outside_by_reading_every_region(text: str, spans: list[Span], regions: list[GridRegion]) -> list[Span]:
    """``outside_grid`` as it was first written (every span against every region)."""
    kept = []
    for span in spans:
        start = span.start
        for region in regions:
            if region.start <= start < region.end:
                start = region.end
        while start < span.end and not text[start].isalnum():
            start += 1
        if start >= span.end or any(r.start < span.end and start < r.end for r in regions):
            continue
        if start != span.start and not any(c.isupper() or c.isdigit() or c == "@" for c in text[start:span.end]):
            continue
        kept.append(span if start == span.start else span.moved(text, start, span.end))
    return kept


def test_detect_spans_outside_grid_as_by_reading_every_region() -> None:
    rng = random.Random(7)
    for _ in range(300):
        text = "".join(rng.choice("aB: \n") for _ in range(rng.randint(20, 60)))
        cuts = sorted(rng.sample(range(len(text) + 1), rng.randint(0, 8) * 2))
        regions = [GridRegion(a, b, "q") for a, b in zip(cuts[::2], cuts[1::2])]  # in order, disjoint
        if rng.random() < 0.3 and regions:  # regions that touch: the span moves past both
            regions = [GridRegion(r.start, regions[i + 1].start if i + 1 < len(regions) else r.end, "q")
                       for i, r in enumerate(regions)]
        spans = []
        for _ in range(rng.randint(1, 10)):
            start = rng.randrange(len(text))
            spans.append(Span.of(text, start, min(len(text), start + rng.randint(1, 10)), "PERSON"))
        assert outside_grid(text, spans, regions) == _outside_by_reading_every_region(text, spans, regions)


def test_detect_spans_outside_drops_the_spans_inside_a_range_as_by_reading_every_range() -> None:
    text = "la Banque de France et la France"
    bank, france, far = Span.of(text, 3, 19, "ORGANIZATION"), Span.of(text, 13, 19, "LOCATION"), \
        Span.of(text, 26, 32, "LOCATION")
    assert outside([bank, france, far], [(3, 19)]) == [far]
    assert outside([bank, france, far], []) == [bank, france, far]
    rng = random.Random(11)
    for _ in range(300):  # ranges in any order, overlapping, nested
        ranges = [(a, a + rng.randint(1, 15)) for a in (rng.randrange(40) for _ in range(rng.randint(0, 6)))]
        spans = [Span.of("x" * 60, a, a + rng.randint(1, 8), "PERSON") for a in (rng.randrange(50) for _ in range(8))]
        assert outside(spans, ranges) == [s for s in spans if not any(a <= s.start and s.end <= b for a, b in ranges)]


def _at(text: str, surface: str, label: str) -> Span:
    start = text.index(surface)
    return Span.of(text, start, start + len(surface), label, score=0.8)


def test_detect_spans_a_headings_small_words_with_capitals_are_no_name() -> None:
    text = "## Sport Et Loisirs\n\nLe club Sport et Loisirs de Vaurès recrute.\n## Vaurès En Fête\n"
    assert heading_words(text, _at(text, "Sport Et Loisirs", "ORGANIZATION"))
    assert heading_words(text, _at(text, "Et Loisirs", "LOCATION"))  # no name starts on "Et"
    assert not heading_words(text, _at(text, "Sport et Loisirs de Vaurès", "ORGANIZATION"))
    assert not heading_words(text, _at(text, "Vaurès", "MUNICIPALITY"))  # a name in a heading stays one
    assert not heading_words("Fin De La Réunion : contact@asso.fr", Span.of("x", 0, 1, "EMAIL_ADDRESS", score=1.0))
    signed = "Le club monte.\nR. L.\n"  # initials that sign a text, whatever their letters
    start = signed.index("R. L.")
    assert heading_words(signed, Span.of(signed, start, start + 5, "PERSON", score=0.8, recognizer="fr.ner.x"))
    assert not heading_words(signed, Span.of(signed, start, start + 5, "PERSON", score=0.8,
                                             recognizer="fr.person.signature"))


def test_detect_spans_a_headings_ordinary_words_found_by_their_capitals_are_no_name() -> None:
    text = ("Travaux\nLa Place : Un Bourg Plus Agréable\nIls Se Sont Installés\nLe Relais Vous Accueille\n"
            "Visite Au Relais Des Tilleuls\nRencontre À Vaurès\n")
    common = frozenset({"bourg", "plus", "agréable", "se", "sont", "installés", "tilleuls", "relais", "vous",
                        "accueille", "vaurès"})

    def by(surface: str, label: str, rule: str) -> Span:
        start = text.index(surface)
        return Span.of(text, start, start + len(surface), label, score=0.6, recognizer=rule)

    assert heading_words(text, by("Bourg Plus Agréable", "ORGANIZATION", "fr.org.head_name"), common)
    assert heading_words(text, by("Se Sont Installés", "ORGANIZATION", "fr.org.capitalised_run"), common)
    assert heading_words(text, by("Relais Vous Accueille", "ORGANIZATION", "fr.ner.spacy.organization"), common)
    # the rule's own evidence, or a word that is no ordinary word, keeps the name
    assert not heading_words(text, by("Vaurès", "MUNICIPALITY", "fr.municipality.gazetteer"), common)
    assert not heading_words(text, by("Tilleuls", "LOCATION", "fr.location.place_noun"), common)
    # in a sentence, capitals are evidence again
    sentence = "On a visité le Relais Vous Accueille hier."
    start = sentence.index("Relais")
    assert not heading_words(sentence, Span.of(sentence, start, start + 21, "ORGANIZATION", score=0.6,
                                               recognizer="fr.org.capitalised_run"), common)


def test_detect_spans_a_saints_day_is_no_place_nor_a_name() -> None:
    text = "Le comité prépare la fête de la Saint-Martin, puis on ira à Saint-Martin et à la Sainte-Barbe."
    feast = Span.of(text, text.index("Saint-Martin"), text.index("Saint-Martin") + 12, "MUNICIPALITY", score=0.85)
    commune_at = text.index("Saint-Martin", feast.end)
    assert saint_day(text, feast)
    assert not saint_day(text, Span.of(text, commune_at, commune_at + 12, "MUNICIPALITY", score=0.85))
    assert saint_day(text, _at(text, "Sainte-Barbe", "PERSON"))
    assert saint_day(text, _at(text, "comité prépare la fête de la Saint-Martin", "ORGANIZATION"))


def test_detect_spans_a_sports_division_is_never_masked(config) -> None:
    from anonymiser.detect.spans import never_masked
    text = "Les seniors montent en Régionale 2, les filles sont en Régional 3 et Pontivy en National 2."
    spans = [Span.of(text, text.index(w), text.index(w) + len(w), "LOCATION", score=0.8, recognizer="fr.ner")
             for w in ("Régionale", "Régional", "Pontivy")]
    assert [s.text for s in outside(spans, never_masked(text, config.never_mask))] == ["Pontivy"]
