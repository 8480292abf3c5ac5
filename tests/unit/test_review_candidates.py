"""review/candidates: what is left in clear where a name may be, on invented sentences (no model)."""

from __future__ import annotations

import pytest

from anonymiser.model import Document
from anonymiser.review.attention import POSSIBLE_MISS, SUSPECT, attention
from anonymiser.review.candidates import (
    BESIDE_NAME,
    NAME_TAIL,
    INITIALS,
    NAME_LEXICON,
    name_tails,
    one_word_communes,
    sentence_start_names,
    suspects,
    tail_mentions,
)
from anonymiser.text.grid import GridRegion

from .reviewing import mark


def _items(config, text: str, marks=()):  # noqa: ANN001, ANN202
    return attention([(Document("d", text), list(marks), ())], config)["d"]


def _listed(config, text: str, marks=()) -> dict[str, str]:  # noqa: ANN001
    return {i.text: i.reason for i in _items(config, text, marks)}


@pytest.mark.parametrize("text", [
    "Travaillait-il déjà là-bas ? Regardez, on en parlait hier.\n",
    "Habite ici depuis longtemps. Pense que oui.\n",
    "Enquêtrice : Comment décririez-vous votre quartier ?\n",
])
def test_review_candidates_a_verb_at_a_sentence_start_is_not_listed(config, text: str) -> None:
    assert _items(config, text) == []


def test_review_candidates_a_capitalised_unknown_word_is_listed(config) -> None:
    items = _items(config, "On allait souvent vers Zorbanville le dimanche.\n")
    assert [(i.kind, i.text) for i in items] == [(POSSIBLE_MISS, "Zorbanville")]


def test_review_candidates_a_speaker_like_token_is_listed(config) -> None:
    text = "Enquêtrice : Et vous ?\nLudovic T. : Moi je suis arrivé en 2004.\n"
    marks = [mark(text, "Ludovic", "PERSON", "PER-0001")]
    listed = _listed(config, text, marks)
    assert listed == {"T": "review.speaker"}  # the initial left out of the mask, not the label
    assert "Enquêtrice" not in listed


def test_review_candidates_initials_and_ordinary_names_in_mid_sentence(config) -> None:
    listed = _listed(config, "Alors FB nous a dit que la fibre viendrait, et tu entends Rose hein.\n")
    assert listed == {"FB": INITIALS, "Rose": NAME_LEXICON}


def test_review_candidates_at_a_sentence_start_only_names(config) -> None:
    names = sentence_start_names(config)
    assert "pierre" in names and "parce" not in names
    listed = _listed(config, "Pierre est venu.\nMarche un peu plus loin.\nCôté budget, rien.\n")
    assert listed == {"Pierre": NAME_LEXICON}


@pytest.mark.parametrize("text, form, reason", [
    ("Moi j'ai grandi dans le onzième et puis voilà.\n", "onzième", "review.arrondissement"),
    ("On a habité le troisième, quatrième et onzième.\n", "troisième, quatrième et onzième",
     "review.arrondissement"),
    ("Je suis membre de l'association les amis du lavoir depuis dix ans.\n", "les amis du", "review.lower_case_name"),
    ("Il y a une association qui s'appelle graine de lin ici.\n", "graine de lin", "review.called"),
    ("Le maire de quartier est passé hier.\n", "maire de quartier", "review.role_of"),
    ("On s'est retrouvés sur l'île du moulin.\n", "moulin", "review.lower_place"),
    ("---\ntags:\n  - voirie\n  - Fontaine\n---\n", "Fontaine", "review.list_item"),  # a word, and a name
])
def test_review_candidates_patterns(config, text: str, form: str, reason: str) -> None:
    assert _listed(config, text).get(form) == reason


@pytest.mark.parametrize("text", [
    "Nous habitions au deuxième étage.\n",
    "C'était la troisième fois.\n",
    "Le troisième âge, ici, c'est important.\n",
    "L'association a organisé une fête.\n",
])
def test_review_candidates_patterns_leave_ordinary_phrases(config, text: str) -> None:
    assert _items(config, text) == []


def test_review_candidates_an_occupation_beside_a_masked_name(config) -> None:
    text = "Étaient là Paul Roche, médecin généraliste, et Léa Brun, elle aussi.\n"
    marks = [mark(text, "Paul Roche", "PERSON", "PER-0001", index=0), mark(text, "Léa Brun", "PERSON", "PER-0002", index=1)]
    found = suspects(text, [(m.start, m.end) for m in marks], [], config, ordinary=config.common_words,
                     persons=[(m.start, m.end) for m in marks])
    assert [(text[s.start:s.end], s.reason, s.label) for s in found] == [("médecin généraliste", BESIDE_NAME, "ROLE")]


def test_review_candidates_a_wholly_masked_stretch_or_grid_text_is_skipped(config) -> None:
    text = "Le maire de Landerneau est venu.\n"
    marks = [mark(text, "maire de Landerneau", "ROLE", "ROL-0001")]
    assert not [i for i in _items(config, text, marks) if i.kind == SUSPECT]
    found = suspects("Le maire de quartier.\n", [], [GridRegion(0, 22, "grid")], config, ordinary=config.common_words)
    assert found == []


def test_review_candidates_one_word_communes(config) -> None:
    communes = one_word_communes(config)
    assert "lilas" in communes and "sens" in communes
    assert "lilas" not in one_word_communes(config, min_population=5000)  # "Les Lilas" has an article


def test_review_candidates_the_lower_case_name_of_a_masked_body_said_alone_is_listed(config) -> None:
    assert name_tails(["comité de quartier plaine des sables"]) == {"quartier plaine des sables", "plaine des sables"}
    text = "Le comité de quartier plaine des sables a écrit.\nPhoto : La plaine des sables en hiver.\n"
    body = mark(text, "comité de quartier plaine des sables", "ORGANIZATION", "ORG-0001")
    listed = tail_mentions(text, [(body.start, body.end)], name_tails([body.text]))
    assert [(text[s.start:s.end], s.reason) for s in listed] == [("plaine des sables", NAME_TAIL)]
    assert tail_mentions(text, [(body.start, body.end)], frozenset()) == []


def test_review_candidates_a_list_name_or_a_header_line_is_no_occupation(config) -> None:
    text = "On livre Estrablin, Vienne et Pont-Évêque.\nEnquêtrice : Léa Brun\nEntretien E14 du 3 mai\n"
    marks = [mark(text, "Estrablin", "MUNICIPALITY", "MUN-0001"), mark(text, "Vienne", "MUNICIPALITY", "MUN-0002"),
             mark(text, "Pont-Évêque", "MUNICIPALITY", "MUN-0003"), mark(text, "Léa Brun", "PERSON", "PER-0001")]
    found = suspects(text, [(m.start, m.end) for m in marks], [], config, ordinary=config.common_words,
                     persons=[(m.start, m.end) for m in marks])
    assert [s for s in found if s.reason == BESIDE_NAME] == []


def test_review_candidates_a_headings_words_are_no_names(config) -> None:
    text = "## Sport Et Loisirs\n\nOn a parlé avec Loisirs hier.\n"
    starts = [i.start for i in _items(config, text) if text[i.start:i.end] == "Loisirs"]
    assert starts == [text.rindex("Loisirs")]  # the speech's, not the heading's
