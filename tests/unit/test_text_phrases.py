"""text/phrases.py: leading head words, roles split at their named tail, link words recomputed."""

from __future__ import annotations

import pytest

from anonymiser.text.phrases import Role, bare, join_after, leading, split_role


@pytest.mark.parametrize(("text", "heads", "ignore_case", "expected"), [
    ("Centre social des Lilas", ("Centre", "Centre social"), False, "Centre social"),  # longest head first
    ("CENTRE social", ("centre", "centre social"), True, "CENTRE social"),  # as written in the text
    ("centre social", ("Centre",), False, ""),  # case counts unless ignored
    ("Centres sociaux", ("Centre",), False, ""),  # whole words only
    ("Centre", ("Centre",), False, "Centre"),  # the whole text
    ("Centre-ville", ("Centre",), False, "Centre"),  # a hyphen ends a word
    ("Maison des associations", (), True, ""),
])
def test_phrases_leading(text: str, heads: tuple[str, ...], ignore_case: bool, expected: str) -> None:
    assert leading(text, heads, ignore_case=ignore_case) == expected


def test_phrases_leading_accepts_any_iterable() -> None:
    assert leading("Mairie de Valmont", iter(["Mairie"])) == "Mairie"
    assert leading("Mairie de Valmont", ["mairie"], ignore_case=True) == "Mairie"


@pytest.mark.parametrize(("surface", "org_heads", "role_heads", "expected"), [
    ("maire de Quimperlé", (), ("maire",), Role("maire", " de ", "Quimperlé")),
    ("président d'Emmaüs", (), (), Role("président", " d'", "Emmaüs")),
    ("directrice de la Mission locale", ("Mission locale",), (), Role("directrice", " de la ", "Mission locale")),
    # an organisation head starts the tail even in lower case
    ("directrice de la mission locale", ("Mission locale",), (), Role("directrice", " de la ", "mission locale")),
    # a lower-case domain is not a tail: it goes on to the next link word; capitalised words go
    ("chargée de mission RSE de Valmont", (), (), Role("chargée de mission", " de ", "Valmont")),
    # no named tail: the title only (the domain points at one person)
    ("adjointe au commerce", (), ("adjointe",), Role("adjointe", "", "")),
    ("adjointe à l'urbanisme", (), ("adjointe",), Role("adjointe", "", "")),
    ("conseillère départementale déléguée", (), ("conseillère départementale",),
     Role("conseillère départementale", "", "")),
    ("animatrice culturelle", (), (), Role("animatrice", "", "")),  # no known head: the first word
])
def test_phrases_split_role(surface: str, org_heads: tuple[str, ...], role_heads: tuple[str, ...],
                            expected: Role) -> None:
    assert split_role(surface, org_heads, role_heads) == expected


@pytest.mark.parametrize(("name", "expected"), [
    ("Les Valières", "Valières"),
    ("La Rochelle", "Rochelle"),
    ("Le Havre", "Havre"),
    ("L'Isle", "Isle"),
    ("L’Isle", "Isle"),
    ("Lens", "Lens"),  # not an article
    ("Le mans", "Le mans"),  # an article only before a capital
    ("Valmont", "Valmont"),
])
def test_phrases_bare(name: str, expected: str) -> None:
    assert bare(name) == expected


@pytest.mark.parametrize(("before", "name", "label", "name_article", "expected"), [
    ("de ", "Isabelle", "PERSON", False, "d'Isabelle"),  # elision before a vowel
    ("de ", "Hélène", "PERSON", False, "d'Hélène"),
    ("Ville d'", "Valmont", "MUNICIPALITY", False, "Ville de Valmont"),  # and back before a consonant
    ("maire de ", "Avignon", "MUNICIPALITY", True, "maire d'Avignon"),
    ("Ville de ", "Le Havre", "MUNICIPALITY", True, "Ville du Havre"),  # de + le
    ("à ", "Le Havre", "MUNICIPALITY", True, "au Havre"),  # à + le
    ("rue de ", "Les Marières", "LOCATION", True, "rue des Marières"),  # de + les
    ("Grand", "Valmont", "ORGANIZATION", False, "Grand Valmont"),  # a space is added
    ("directrice de la ", "Mission locale", "ORGANIZATION", False, "directrice de la Mission locale"),
])
def test_phrases_join_after(before: str, name: str, label: str, name_article: bool, expected: str) -> None:
    assert join_after(before, name, label=label, name_article=name_article) == expected
