"""review/attention: the needs-attention analysis (low scores, possible misses, suspects, forms one
letter away, quasi-identifiers) on hand-built documents (no model)."""

from __future__ import annotations

import pytest

from anonymiser.model import Document
from anonymiser.review.attention import (
    LOW_SCORE,
    NEAR_FORM,
    POSSIBLE_MISS,
    QUASI,
    SUSPECT,
    NearForms,
    attention,
    candidates,
    one_edit,
)
from anonymiser.text.grid import GridRegion

from .reviewing import TEXT, demo_marks, mark


@pytest.mark.parametrize("a, b, expected", [
    ("marchal", "marchall", True), ("marchal", "marchel", True), ("marchal", "archal", True),
    ("marchal", "marchal", False), ("marchal", "marchalle", False), ("marchal", "mrachal", False),
])
def test_review_attention_one_edit(a: str, b: str, expected: bool) -> None:
    assert one_edit(a, b) is expected


def test_review_attention_near_forms_index_folds_case_and_accents() -> None:
    near = NearForms(5)
    near.add("Marchal", "PERSON", "PER-0001")
    near.add("Léa", "PERSON", "PER-0002")  # too short to be indexed
    assert near.find("Marchall") == [("Marchal", "PERSON", "PER-0001")]
    assert near.find("MARCHAL") == [] and near.find("Marchál") == []  # the same form, not a neighbour
    assert near.find("Lea") == [] and near.find("Merchal") == [("Marchal", "PERSON", "PER-0001")]


def test_review_attention_candidates_group_capitalised_words_outside_marks() -> None:
    text = "Hier, le Grain de Sel et Marchal ont vu Jean à Rezé."
    covered = [(text.index("Jean"), text.index("Jean") + 4)]
    found = [text[s:e] for s, e in candidates(text, covered, [GridRegion(0, 4, "grid")])]
    assert found == ["Grain de Sel", "Marchal", "Rezé"]


def test_review_attention_kinds(config) -> None:
    document = Document("d1", TEXT)
    marks = demo_marks()
    items = attention([(document, marks, ())], config)["d1"]
    kinds = [(i.kind, i.text) for i in items]
    assert (LOW_SCORE, "Poitiers") in kinds and not any(kind == "single" for kind, _t in kinds)  # masked once: fine
    assert (NEAR_FORM, "Marchall") in kinds  # one letter from a known form (the civility left out)
    near = next(i for i in items if i.kind == NEAR_FORM)
    assert near.near == "Marchal" and near.label == "PERSON" and near.near_entity == "PER-0001"
    assert (POSSIBLE_MISS, "Zorglub") in kinds
    assert not any(text in {"Elle", "La", "Ville"} for _k, text in kinds)  # ordinary words
    assert (QUASI, "2 300 habitants") in kinds and (QUASI, "1,2 millions d'euros") in kinds
    assert [i.kind for i in items] == sorted((i.kind for i in items),
                                             key=[LOW_SCORE, POSSIBLE_MISS, SUSPECT, NEAR_FORM, QUASI].index)


def test_review_attention_skips_checked_and_allowed(config) -> None:
    document = Document("d1", TEXT)
    marks = [demo_marks()[0], mark(TEXT, "Poitiers", "MUNICIPALITY", "COM-0001", index=1, score=0.5, mentions=1,
                                   checked=True)]
    items = attention([(document, marks, ())], config, allowed=lambda form: form == "Zorglub")["d1"]
    assert not any(i.text in {"Poitiers", "Zorglub"} for i in items)


def test_review_attention_near_form_once_per_pair(config) -> None:
    text = "Jean Marchal et Jean Marchall.\n"
    marks = [mark(text, "Jean Marchal", "PERSON", "PER-0001", index=0, mentions=3),
             mark(text, "Jean Marchall", "PERSON", "PER-0002", index=1, mentions=1)]
    items = [i for i in attention([(Document("d", text), marks, ())], config)["d"] if i.kind == NEAR_FORM]
    assert [(i.mark, i.text, i.near) for i in items] == [(1, "Marchall", "Marchal")]


def test_review_attention_records_shape_and_id(config) -> None:
    from anonymiser.review.attention import DocumentReview, attention_records

    document = Document("entretiens/entretien_01.txt", TEXT)
    marks = demo_marks()
    items = attention([(document, marks, ())], config)[document.id]
    records = attention_records([DocumentReview(document, "", tuple(marks), tuple(items), (), ())])
    assert records and all(set(r) == {"id", "start", "end", "label", "reason"} for r in records)
    assert {r["id"] for r in records} == {"entretiens/entretien_01.txt"}
    zorglub = next(r for r in records if r["reason"] == POSSIBLE_MISS)
    assert TEXT[zorglub["start"]:zorglub["end"]] == "Zorglub" and zorglub["label"] == "PERSON"
    assert any(r["reason"] == "review.count_with_unit" for r in records)  # a rule's id as its reason


def test_review_attention_a_corpus_tag_left_in_clear_is_not_listed(config) -> None:
    text = "ENQ : et ensuite ?\nINT : on reprend.\nENQ : Kerlouan alors ?\n"
    items = attention([(Document("d", text), [], ())], config)["d"]
    assert not {i.text for i in items} & {"ENQ", "INT"}


CONVENTIONS = ("[00:00:05] ENQ : Bonjour, on commence ?\n"
               "00:00:09 Nadia Haddad : Oui. Je viens de Lorient (rires).\n"
               "INT : Et après ?\nQ : Vous étiez seule ?\n"
               "R : Non, avec XXX, enfin [...] je ne sais plus // on était trois.\n"
               "E1 : Le quartier a changé [rires].\nP2 : Moi aussi (silence).\n"
               "Enq. : Merci. (inaudible)\nL1 : [pause] Oui.\n417PERS : D'accord [00:12:34] voilà.\n")
TAGS = ("ENQ", "INT", "Q", "R", "XXX", "[...]", "//", "E1", "P2", "Enq.", "L1", "417PERS", "[00:12:34]",
        "(rires)", "[rires]", "(silence)", "(inaudible)", "[pause]", "00:00:09", "[00:00:05]")


@pytest.mark.slow
@pytest.mark.parametrize("with_project", [False, True])
def test_review_attention_transcript_conventions_are_never_masked_listed_or_organisations(
        engine, tmp_path, with_project) -> None:
    from anonymiser.keys.store import KeyFile

    if with_project:  # any project file: its grid, its strategies, its word lists
        (tmp_path / "grille.txt").write_text("Votre parcours ?\n", encoding="utf-8")
        (tmp_path / "p.toml").write_text('grid = "grille.txt"\n[strategies]\nORGANIZATION = "tag"\n'
                                         '[words]\nnever_mask = ["Lorient"]\norganizations = ["La Ruche"]\n',
                                         encoding="utf-8")
        engine = engine.with_project(tmp_path / "p.toml")
    [review] = engine.review([Document("conv", CONVENTIONS, "conv.txt")], key=KeyFile.create())
    masked = [CONVENTIONS[m.start:m.end] for m in review.marks]
    assert set(masked) <= ({"Nadia Haddad"} if with_project else {"Nadia Haddad", "Lorient"})
    assert [CONVENTIONS[i.start:i.end] for i in review.items] == []
    for tag in TAGS:
        assert tag in review.output


def test_review_attention_a_saints_day_is_no_possible_miss(config) -> None:
    text = "On prépare la fête de la Saint-Zorglub, puis Saint-Zorglub viendra.\n"
    items = attention([(Document("d", text), [], ())], config)["d"]
    assert [i.start for i in items if i.kind == POSSIBLE_MISS] == [text.rindex("Saint-Zorglub")]


def test_review_attention_a_towns_people_is_no_possible_miss(config) -> None:
    text = "Chers Zorglubois, les Zorglubiennes ont voté, et Zorglubois viendra demain.\n"
    items = attention([(Document("d", text), [], ())], config)["d"]
    assert [i.start for i in items if i.kind == POSSIBLE_MISS] == [text.rindex("Zorglubois")]
