from anonymiser.text.matching import PhraseIndex


def test_matching_tolerates_accents_case_hyphens() -> None:
    index = PhraseIndex([("Joué-lès-Tours", "c1"), ("Saint-Ismier", "c2")])
    text = "De JOUE LES TOURS à Saint Ismier."
    found = [(text[m.start:m.end], m.payloads) for m in index.find(text)]
    assert found == [("JOUE LES TOURS", ("c1",)), ("Saint Ismier", ("c2",))]


def test_matching_whole_words_only() -> None:
    index = PhraseIndex([("Eu", "c")])
    assert index.find("Europe et euros") == []
    assert [m.start for m in index.find("à Eu.")] == [2]


def test_matching_leftmost_longest() -> None:
    index = PhraseIndex([("Saint", "a"), ("Saint-Herblain", "b")])
    matches = index.find("Saint-Herblain")
    assert [(m.start, m.end, m.payloads) for m in matches] == [(0, 14, ("b",))]


def test_matching_empty_index() -> None:
    assert PhraseIndex([]).find("rien") == []


def test_text_matching_a_match_has_slots_not_a_dict_each() -> None:
    [match] = PhraseIndex([("Saint-Ismier", "commune")]).find("à Saint-Ismier")
    assert (match.start, match.end, match.payloads) == (2, 14, ("commune",)) and not hasattr(match, "__dict__")
