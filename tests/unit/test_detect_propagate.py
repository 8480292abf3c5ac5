"""Corpus-wide propagation on hand-built spans: the label each spread form gets, what travels
to workers, and the forms found again in a document."""

from __future__ import annotations

import pickle

import pytest

from anonymiser.config.rules import Config
from anonymiser.detect.propagate import FormVotes, Spread, propagate
from anonymiser.link import FormPolicy
from anonymiser.model import Document, Span


def votes(config: Config) -> FormVotes:
    return FormVotes(FormPolicy.from_config(config), config.common_words, config.label_priority)


NER_PERSON, NER_PLACE = "fr.ner.spacy.person", "fr.ner.spacy.location"


def test_detect_propagate_a_form_takes_the_label_it_was_found_under_most(config: Config) -> None:
    text = "Kerhervé ici, Kerhervé là, et Kerhervé encore."
    spans = [Span.of(text, 0, 8, "PERSON", recognizer=NER_PERSON), Span.of(text, 14, 22, "PERSON", recognizer="x"),
             Span.of(text, 30, 38, "LOCATION", recognizer=NER_PLACE)]
    forms = votes(config).add(spans).forms()
    assert forms == {"kerherve": ("Kerhervé", "PERSON", NER_PERSON)}


def test_detect_propagate_a_tie_goes_to_label_priority(config: Config) -> None:
    text = "Trégastel et Trégastel."
    first, second = config.label_priority.index("PERSON"), config.label_priority.index("MUNICIPALITY")
    winner = "PERSON" if first < second else "MUNICIPALITY"
    spans = [Span.of(text, 0, 9, "PERSON", recognizer=NER_PERSON),
             Span.of(text, 13, 22, "MUNICIPALITY", recognizer="fr.municipality.gazetteer")]
    assert votes(config).add(spans).forms()["tregastel"][1] == winner


def test_detect_propagate_votes_add_up_in_steps(config: Config) -> None:
    text = "Kerhervé, Kerhervé."
    one = votes(config).add([Span.of(text, 0, 8, "PERSON")]).add([Span.of(text, 10, 18, "PERSON")])
    assert one.votes == votes(config).add([Span.of(text, 0, 8, "PERSON"), Span.of(text, 10, 18, "PERSON")]).votes


def test_detect_propagate_lower_case_forms_are_not_spread(config: Config) -> None:
    text = "la mairie et la mairie"
    assert votes(config).add([Span.of(text, 3, 9, "ORGANIZATION")]).forms() == {}


def test_detect_propagate_spread_ships_its_forms_not_its_automaton() -> None:
    spread = Spread({"kerherve": ("Kerhervé", "PERSON", NER_PERSON)})
    assert spread.recognizer is not None  # built once here
    shipped = pickle.loads(pickle.dumps(spread))
    assert shipped.forms == spread.forms and "recognizer" not in shipped.__dict__
    assert Spread().recognizer is None


def test_detect_propagate_finds_spread_forms_in_another_document_with_their_rule(config: Config) -> None:
    document = Document("b", "Hier, Kerhervé est passé voir Kerhervé.\n")
    spread = Spread({"kerherve": ("Kerhervé", "PERSON", "fr.person.first_last")})
    spans = propagate(document, (), (), None, spread, priority=config.label_priority,
                      common_words=config.common_words)
    assert [(s.text, s.label, s.recognizer, s.propagated) for s in spans] == \
        [("Kerhervé", "PERSON", "fr.person.first_last", True)] * 2
    assert all(document.text[s.start:s.end] == s.text for s in spans)


def test_detect_propagate_a_detection_in_place_stays_over_the_spread_form(config: Config) -> None:
    document = Document("b", "Hier, Kerhervé est passé voir Kerhervé.\n")
    detected = (Span.of(document.text, 6, 14, "PERSON", score=0.85, recognizer=NER_PERSON),)
    spread = Spread({"kerherve": ("Kerhervé", "PERSON", "fr.person.first_last")})
    spans = propagate(document, detected, (), None, spread, priority=config.label_priority,
                      common_words=config.common_words)
    assert [(s.start, s.recognizer, s.propagated) for s in spans] == \
        [(6, NER_PERSON, False), (30, "fr.person.first_last", True)]


def test_detect_propagate_spread_matches_made_into_spans_a_batch_at_a_time_are_the_same(config: Config,
                                                                                       monkeypatch) -> None:
    # the spread forms' matches become spans a batch at a time: batches of one give the spans
    # of one batch (a detection in place stays, the others are propagated, label decided)
    from anonymiser.detect import propagate as module
    from anonymiser.text.grid import GridRegion

    line = "Hier, Kerhervé est passé à Lorient voir Mme Kerhervé.\n"
    document = Document("b", line * 6 + "Question : Kerhervé ?\n")
    detected = tuple(Span.of(document.text, at + 6, at + 14, "PERSON", score=0.85, recognizer=NER_PERSON)
                     for at in range(0, len(line) * 6, len(line) * 2))
    grid = (GridRegion(len(line) * 6, len(line) * 6 + len("Question :"), "question"),)
    spread = Spread({"kerherve": ("Kerhervé", "PERSON", "fr.person.first_last"),
                     "lorient": ("Lorient", "MUNICIPALITY", "fr.municipality.gazetteer")},
                    labels={"lorient": "LOCATION"})

    def run() -> tuple[Span, ...]:
        return propagate(document, detected, grid, None, spread, priority=config.label_priority,
                         common_words=config.common_words)

    whole = run()
    monkeypatch.setattr(module, "PROPAGATION_BATCH", 1)
    assert run() == whole and len(whole) == 19 and sum(not s.propagated for s in whole) == 3
    assert {s.label for s in whole if s.text == "Lorient"} == {"LOCATION"}


def test_detect_propagate_keeps_a_detected_span_over_a_shorter_spread_one(config: Config) -> None:
    document = Document("b", "Le CCAS de Lorient a répondu.\n")
    detected = (Span.of(document.text, 3, 18, "ORGANIZATION", score=0.85, recognizer="fr.org.head_name"),)
    spread = Spread({"lorient": ("Lorient", "MUNICIPALITY", "fr.municipality.gazetteer")})
    spans = propagate(document, detected, (), None, spread, priority=config.label_priority,
                      common_words=config.common_words)
    assert spans == detected


# a person's form that is also a word, even standing alone: only the commune or place is taken there
@pytest.mark.parametrize("first_line", ["{form} est venu.", "{form}, c'est ça."])
def test_detect_propagate_an_ordinary_word_is_not_taken_at_a_sentence_start(config: Config, first_line: str) -> None:
    word = next(w for w in sorted(config.common_words) if w.isalpha() and len(w) > 4)
    form = word.capitalize()
    document = Document("b", f"{first_line.format(form=form)} On a parlé avec {form} hier.\n")
    spread = Spread({word: (form, "PERSON", "fr.person.first_name")})
    spans = propagate(document, (), (), None, spread, priority=config.label_priority,
                      common_words=config.common_words)
    assert [s.start for s in spans] == [document.text.rindex(form)]


@pytest.mark.parametrize("line, taken", [
    ("M. Garnier : Sens et le Sénonais, c'est chez nous.", True),   # "et" before a determiner
    ("Sens, c'est une belle ville.", True),
    ("Sens c'est plus calme.", True),
    ("tags:\n  - Sens\n  - voirie", True),                             # a list line of its own
    ("Sens interdit dans la rue du marché.", False),                  # the common noun goes on
    ("Sens et direction du courant, tout a changé.", False),
])
def test_detect_propagate_a_place_that_is_a_word_is_taken_at_a_sentence_start_standing_alone(
        config: Config, line: str, taken: bool) -> None:
    assert "sens" in config.common_words
    document = Document("b", f"{line}\nOn habite à Sens depuis longtemps.\n")
    spread = Spread({"sens": ("Sens", "MUNICIPALITY", "fr.municipality.gazetteer")})
    spans = propagate(document, (), (), None, spread, priority=config.label_priority,
                      common_words=config.common_words)
    first = document.text.index("Sens")
    assert [s.start for s in spans] == ([first] if taken else []) + [document.text.rindex("Sens")]


# -- what is spread, on what evidence ---------------------------------------------------------
def test_detect_propagate_a_tag_mis_tagged_once_is_not_spread(config: Config) -> None:
    text = "ENQ : et Kerlouan alors ?"
    spans = [Span.of(text, 0, 3, "LOCATION", recognizer=NER_PLACE), Span.of(text, 9, 17, "LOCATION",
                                                                           recognizer=NER_PLACE)]
    assert votes(config).add(spans, "a").forms() == {}


def test_detect_propagate_a_corpus_marker_is_never_spread_even_seen_twice(config: Config) -> None:
    one, two = "ENQ : et alors ?", "417PERS : oui, Enq."
    tally = votes(config).add([Span.of(one, 0, 3, "LOCATION", recognizer=NER_PLACE)], "a")
    tally.add([Span.of(two, 0, 7, "PERSON", recognizer=NER_PERSON), Span.of(two, 15, 18, "LOCATION",
                                                                            recognizer=NER_PLACE)], "b")
    tally.add([Span.of(two, 0, 7, "PERSON", recognizer="fr.person.speaker")], "c")
    assert tally.forms() == {}


def test_detect_propagate_a_form_seen_by_ner_twice_is_spread(config: Config) -> None:
    one, two = "On a vu Kerlouan hier.", "Puis Kerlouan encore."
    tally = votes(config).add([Span.of(one, 8, 16, "LOCATION", recognizer=NER_PLACE)], "a")
    assert tally.forms() == {}  # one place is not enough
    tally.add([Span.of(two, 5, 13, "LOCATION", recognizer=NER_PLACE)], "b")
    assert tally.forms() == {"kerlouan": ("Kerlouan", "LOCATION", NER_PLACE)}


def test_detect_propagate_two_places_in_one_document_count_but_one_place_twice_does_not(config: Config) -> None:
    text = "Kerlouan, puis Kerlouan."
    first = Span.of(text, 0, 8, "LOCATION", recognizer=NER_PLACE)
    assert votes(config).add([first], "a").add([first], "a").forms() == {}
    assert "kerlouan" in votes(config).add([first, Span.of(text, 15, 23, "LOCATION", recognizer=NER_PLACE)],
                                           "a").forms()


@pytest.mark.parametrize("form", ["Dr", "Pr", "M.", "Mme", "Docteur", "A.P.L", "Léo"])
def test_detect_propagate_titles_and_short_forms_are_never_spread(config: Config, form: str) -> None:
    text = f"{form} et {form}, puis {form}."
    starts = [i for i in range(len(text)) if text.startswith(form, i) and (i == 0 or not text[i - 1].isalpha())]
    spans = [Span.of(text, i, i + len(form), "LOCATION", recognizer=NER_PLACE) for i in starts]
    strong = [Span.of(text, i, i + len(form), "PERSON", recognizer="fr.person.first_name") for i in starts]
    assert votes(config).add(spans, "a").add(strong, "b").forms() == {}


def test_detect_propagate_a_name_rule_form_is_spread_with_its_rule_id(config: Config) -> None:
    text = "Mme Kerhervé est là."
    span = Span.of(text, 4, 12, "PERSON", recognizer="fr.person.civility_surname")
    forms = votes(config).add([span], "a").forms()
    assert forms == {"kerherve": ("Kerhervé", "PERSON", "fr.person.civility_surname")}
    document = Document("b", "Puis Kerhervé est parti.\n")
    spans = propagate(document, (), (), None, Spread(forms), priority=config.label_priority,
                      common_words=config.common_words)
    assert [(s.text, s.recognizer, s.propagated) for s in spans] == \
        [("Kerhervé", "fr.person.civility_surname", True)]


def test_detect_propagate_the_first_rule_in_corpus_order_names_the_form(config: Config) -> None:
    text = "Kerhervé et Kerhervé."
    tally = votes(config).add([Span.of(text, 0, 8, "PERSON", recognizer=NER_PERSON)], "a")
    tally.add([Span.of(text, 12, 20, "PERSON", recognizer="fr.person.first_last")], "b")
    assert tally.forms()["kerherve"][2] == NER_PERSON


def test_detect_propagate_a_propagated_span_is_no_evidence_of_its_own(config: Config) -> None:
    text = "Kerlouan et Kerlouan."
    spans = [Span.of(text, 0, 8, "LOCATION", recognizer=NER_PLACE, propagated=True),
             Span.of(text, 12, 20, "LOCATION", recognizer=NER_PLACE)]
    assert votes(config).add(spans, "a").forms() == {}
    known = [Span.of(text, 0, 8, "LOCATION", recognizer="key.known_form", propagated=True)]
    assert "kerlouan" in votes(config).add(known, "a").forms()


def test_detect_propagate_a_name_with_and_without_its_article_is_one_form_for_evidence(config: Config) -> None:
    one, two = "La Clé des Songes ouvre.", "Clé des Songes ferme."
    tally = votes(config).add([Span.of(one, 0, 17, "ORGANIZATION", recognizer="fr.org.capitalised_run")], "a")
    tally.add([Span.of(two, 0, 14, "ORGANIZATION", recognizer="fr.org.capitalised_run")], "b")
    assert set(tally.forms()) == {"la cle des songes", "cle des songes"}


def test_detect_propagate_a_longer_detection_elsewhere_is_a_second_place(config: Config) -> None:
    one, two = "On a vu Kerlouan hier.", "La MJC Kerlouan ouvre. Marie Kerhervé aussi."
    tally = votes(config).add([Span.of(one, 8, 16, "LOCATION", recognizer=NER_PLACE)], "a")
    tally.add([Span.of(two, 3, 15, "ORGANIZATION", recognizer="fr.org.capitalised_run")], "b")
    assert "kerlouan" in tally.forms()
    # the surname of one detected full name is one place, not two
    alone = votes(config).add([Span.of(two, 23, 37, "PERSON", recognizer=NER_PERSON)], "b")
    assert "kerherve" not in alone.forms()


def test_detect_propagate_a_text_seen_again_counts_as_the_first_time(config: Config) -> None:
    # the forms of a detected text are worked out once per label and text: the same text again,
    # under the same or another label, counts as it would in a tally that never saw it
    from collections import Counter

    text = "Mme Kerhervé, Kerhervé, Louise Kerhervé et Kerhervé."
    spans = [Span.of(text, 4, 12, "PERSON", recognizer=NER_PERSON), Span.of(text, 14, 22, "LOCATION", recognizer=NER_PLACE),
             Span.of(text, 24, 39, "PERSON", recognizer=NER_PERSON), Span.of(text, 43, 51, "PERSON", recognizer="x")]
    tally = votes(config)
    for span in spans:
        tally.add([span])
    separate = sum((votes(config).add([span]).votes for span in spans), Counter())
    assert tally.votes == separate and tally.votes[("kerherve", "LOCATION")] == 1
    assert tally.votes[("kerherve", "PERSON")] > 2 and tally.votes[("louise kerherve", "PERSON")] == 1


def test_detect_propagate_a_longer_form_holding_a_word_counts_as_before_and_keeps_few_places(config: Config) -> None:
    # "Kerlouan" by NER once, and "MJC Kerlouan" in many rows of a table: the longer detection
    # is a second place for the word, as before; its places are not all remembered
    text = "\n".join(["Kerlouan a changé."] + ["La MJC Kerlouan ouvre."] * 500)
    spans = [Span.of(text, 0, 8, "MUNICIPALITY", recognizer=NER_PLACE)]
    at = 0
    for _ in range(500):
        at = text.index("MJC Kerlouan", at + 1)
        spans.append(Span.of(text, at, at + 12, "ORGANIZATION", recognizer="fr.org.acronym"))
    counted = votes(config).add(spans, "table")
    assert counted.evident("kerlouan")
    policy = FormPolicy.from_config(config)
    assert all(len(held) <= policy.min_places for wholes in counted.inside.values() for held in wholes.values())
    assert not votes(config).add(spans[:1], "table").evident("kerlouan")


@pytest.mark.parametrize("weight", [1, 2, 5])
def test_detect_propagate_a_weighted_span_counts_as_as_many_places(config: Config, weight: int) -> None:
    """A table's distinct cell, read once, stands for each cell that repeats it: its span
    votes and is evidence as that many spans at as many places would be."""
    text = "Kerhervé est passé. Trégastel aussi."
    spans = [Span.of(text, 0, 8, "PERSON", recognizer=NER_PERSON), Span.of(text, 20, 29, "MUNICIPALITY",
                                                                           recognizer=NER_PLACE)]
    weighted = votes(config).add(spans, "t", [weight, 1])
    copies = [Span.of("x" * 10 * n + text, 10 * n, 10 * n + 8, "PERSON", recognizer=NER_PERSON) for n in range(weight)]
    repeated = votes(config).add([*copies, Span.of(text, 20, 29, "MUNICIPALITY", recognizer=NER_PLACE)], "t")
    assert weighted.votes == repeated.votes
    assert weighted.evident("kerherve") == repeated.evident("kerherve")
    assert weighted.evident("kerherve") is (weight >= weighted.policy.min_places or weighted.policy.strong(NER_PERSON))
    assert weighted.forms() == repeated.forms()


def test_detect_propagate_a_lower_case_group_name_is_spread_without_its_kind_word(config: Config) -> None:
    text = "on a monté l'association les amis du moulin, puis le collectif la ruche"
    found = Span.of(text, 13, 43, "ORGANIZATION", recognizer="fr.org.head_article")
    bare = Span.of(text, text.index("ruche"), len(text), "ORGANIZATION", recognizer="fr.org.named_after_head")
    assert votes(config).add([found, bare]).forms() == {
        "amis du moulin": ("amis du moulin", "ORGANIZATION", "fr.org.head_article")}  # one word: no name
    document = Document("b", "Les amis du moulin font la fête, avec des amis du moulin.\n")
    spread = votes(config).add([found]).spread("fr")
    got = propagate(document, [], [], None, spread, priority=config.label_priority, common_words=config.common_words)
    assert [document.text[s.start:s.end] for s in got] == ["amis du moulin", "amis du moulin"]


def test_detect_propagate_a_lower_case_name_from_a_weak_rule_or_a_spread_is_not_spread(config: Config) -> None:
    text = "le groupe des amis du moulin"
    weak = Span.of(text, 10, 28, "ORGANIZATION", recognizer="fr.org.capitalised_run")
    spread = Span.of(text, 14, 28, "ORGANIZATION", recognizer="fr.org.head_article", propagated=True)
    assert votes(config).add([weak, spread]).forms() == {}


def test_detect_propagate_the_group_name_of_a_detection() -> None:
    from anonymiser.detect.propagate import group_name

    heads = frozenset({"association", "comite", "collectif"})
    assert group_name("association les amis du moulin", heads) == "amis du moulin"
    assert group_name("comité de quartier la source vive", heads) == "source vive"
    assert group_name("amis du moulin", heads) == "amis du moulin"
    assert group_name("association sportive", heads) == ""


def test_detect_propagate_a_persons_name_that_is_no_word_is_found_in_lower_case_too(config: Config) -> None:
    text = "Raymond répare tout. Rose aussi."
    spans = [Span.of(text, 0, 7, "PERSON", recognizer="fr.person.first_name"),
             Span.of(text, 21, 25, "PERSON", recognizer="fr.person.first_name")]
    spread = votes(config).add(spans, "a").spread(config.language)
    assert spread.lower_ok == frozenset({"Raymond"})  # "rose" is a word
    assert pickle.loads(pickle.dumps(spread)).lower_ok == spread.lower_ok
    document = Document("b", "on l'appelle le raymond des ordinateurs, une rose, et Raymond.\n")
    found = propagate(document, (), (), None, spread, priority=config.label_priority, common_words=config.common_words)
    assert [s.text for s in found] == ["raymond", "Raymond"]


def test_detect_propagate_a_commune_of_the_corpus_is_not_found_again_on_a_saints_day(config: Config) -> None:
    from anonymiser.link import form_key
    document = Document("b", "On prépare la fête de la Saint-Vivien, puis on monte à Saint-Vivien.\n")
    spread = Spread({form_key("MUNICIPALITY", "Saint-Vivien"): ("Saint-Vivien", "MUNICIPALITY", "fr.municipality.gazetteer")})
    spans = propagate(document, (), (), None, spread, priority=config.label_priority,
                      common_words=config.common_words)
    assert [(s.start, s.text) for s in spans] == [(55, "Saint-Vivien")]


def test_detect_propagate_a_hyphenated_form_is_not_found_across_a_headings_dash(config: Config) -> None:
    from anonymiser.link import form_key
    document = Document("b", "CONSEIL DE QUARTIER KERVEC – PLOUAY\nOn va à Kervec-Plouay demain.\n")
    spread = Spread({form_key("LOCATION", "Kervec-Plouay"): ("Kervec-Plouay", "LOCATION", "fr.ner.spacy.location")})
    spans = propagate(document, (), (), None, spread, priority=config.label_priority,
                      common_words=config.common_words)
    assert [s.text for s in spans] == ["Kervec-Plouay"]
