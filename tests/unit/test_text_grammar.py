"""Elision and contraction around a replacement (issue 4), as a table."""

import pytest

from anonymiser.text.grammar import adjust, article_shape, own_shape, prefix_candidates, vowel_sound

H_ASPIRE = frozenset({"havre", "hamon"})


@pytest.mark.parametrize(
    ("before", "new", "label", "name_article", "consumed", "text"),
    [
        # persons: elision follows the new first letter
        ("avec l'aide d'", "Sophie", "PERSON", False, 2, "de Sophie"),
        ("avec l’aide d’", "Sophie", "PERSON", False, 2, "de Sophie"),
        ("le bureau de ", "Élodie", "PERSON", False, 3, "d'Élodie"),
        ("le bureau de ", "Hélène", "PERSON", False, 3, "d'Hélène"),
        ("le bureau de ", "Hamon", "PERSON", False, 0, "Hamon"),
        ("le bureau de ", "Sophie", "PERSON", False, 0, "Sophie"),
        ("le bureau d'", "Élodie", "PERSON", False, 0, "Élodie"),
        ("parce qu'", "Sophie", "PERSON", False, 3, "que Sophie"),
        ("parce que ", "Élodie", "PERSON", False, 4, "qu'Élodie"),
        ("jusqu'", "Bruno", "PERSON", False, 6, "jusque Bruno"),
        ("aujourd'", "Isabelle", "PERSON", False, 0, "Isabelle"),  # not a function word
        ("D'", "Sophie", "PERSON", False, 2, "De Sophie"),
        # communes whose name has an article: "du Havre" (Le Havre)
        ("le port du ", "Valmont", "MUNICIPALITY", True, 3, "de Valmont"),
        ("le port du ", "Le Montac", "MUNICIPALITY", True, 3, "du Montac"),
        ("le port du ", "Les Marières", "MUNICIPALITY", True, 3, "des Marières"),
        ("le port du ", "Avcourt", "MUNICIPALITY", True, 3, "d'Avcourt"),
        ("il vit au ", "Valmont", "MUNICIPALITY", True, 3, "à Valmont"),
        ("il vit au ", "Le Montac", "MUNICIPALITY", True, 3, "au Montac"),
        ("on va dans le ", "Valmont", "MUNICIPALITY", True, 3, "Valmont"),
        ("Du ", "Valmont", "MUNICIPALITY", True, 3, "De Valmont"),
        # à / au / aux / en follow the new name
        ("il vit à ", "Le Montac", "MUNICIPALITY", False, 2, "au Montac"),
        ("il vit à ", "Les Marières", "MUNICIPALITY", False, 2, "aux Marières"),
        ("il vit à ", "La Roche", "MUNICIPALITY", False, 0, "La Roche"),
        ("il vit en ", "Valmont", "MUNICIPALITY", False, 3, "à Valmont"),
        ("la mairie de ", "Le Montac", "MUNICIPALITY", False, 3, "du Montac"),
        ("la mairie d'", "Valmont", "MUNICIPALITY", False, 2, "de Valmont"),
        ("la mairie de ", "Avcourt", "MUNICIPALITY", False, 3, "d'Avcourt"),
        ("jusqu’à ", "Le Montac", "MUNICIPALITY", False, 2, "au Montac"),
        # generalisations are indefinite noun phrases
        ("il vit à ", "une petite ville", "MUNICIPALITY", False, 2, "dans une petite ville"),
        ("il vit en ", "une petite ville", "MUNICIPALITY", False, 3, "dans une petite ville"),
        ("il vit au ", "une ville moyenne", "MUNICIPALITY", True, 3, "dans une ville moyenne"),
        ("le maire de ", "une petite ville", "MUNICIPALITY", False, 3, "d'une petite ville"),
        ("le port du ", "une grande ville", "MUNICIPALITY", True, 3, "d'une grande ville"),
        ("jusqu’à ", "une grande ville", "MUNICIPALITY", False, 0, "une grande ville"),
        ("membre de l'", "une association", "ORGANIZATION", False, 5, "d'une association"),
        ("financé par la ", "une association", "ORGANIZATION", False, 3, "une association"),
        ("travaille à la ", "une mission locale", "ORGANIZATION", False, 5, "à une mission locale"),
        (". L'", "une association", "ORGANIZATION", False, 2, "Une association"),
        # an article of the noun phrase stays, elided as the new name needs
        ("financé par la ", "Ville de Valmont", "ORGANIZATION", False, 0, "Ville de Valmont"),
        ("membre de l'", "Association Horizon", "ORGANIZATION", False, 0, "Association Horizon"),
        ("membre de l'", "[ORGANISATION_3]", "ORGANIZATION", False, 5, "de [ORGANISATION_3]"),
        ("membre du ", "[ORGANISATION_3]", "ORGANIZATION", False, 0, "[ORGANISATION_3]"),
        ("membre de la ", "Le Maillon", "ORGANIZATION", False, 6, "du Maillon"),
        ("né à ", "[COMMUNE_1]", "MUNICIPALITY", False, 0, "[COMMUNE_1]"),
        ("né au ", "[COMMUNE_1]", "MUNICIPALITY", True, 3, "à [COMMUNE_1]"),
        ("né au ", "[…]", "MUNICIPALITY", True, 3, "à […]"),
        ("en ", "Sophie", "PERSON", False, 0, "Sophie"),  # "en" is only changed before a place
        ("nous disent que la ", "un lieu", "LOCATION", False, 7, "qu'un lieu"),  # the article goes, "que" elides
        ("Lorsque l'", "une structure", "ORGANIZATION", False, 10, "Lorsqu'une structure"),
        ("le dossier de la ", "une association", "ORGANIZATION", False, 6, "d'une association"),
    ],
)
def test_grammar_adjust_table(before: str, new: str, label: str, name_article: bool, consumed: int,
                              text: str) -> None:
    result = adjust(before, new, label=label, name_article=name_article, h_aspire=H_ASPIRE)
    assert (result.consumed, result.text) == (consumed, text)
    output = before[:len(before) - result.consumed] + result.text
    assert "  " not in output and " ," not in output


def test_grammar_capital_at_sentence_start() -> None:
    assert adjust("Bonjour. ", "une petite ville", label="MUNICIPALITY", sentence_start=True).text == \
        "Une petite ville"
    assert adjust("il vit ", "une petite ville", label="MUNICIPALITY").text == "une petite ville"


def test_grammar_keeps_the_documents_apostrophe() -> None:
    assert adjust("le bureau de ", "Élodie", label="PERSON", apostrophe="’").text == "d’Élodie"


def test_grammar_prefix_candidates_cover_what_adjust_takes() -> None:
    """Re-identification tries these: every surface adjust may take over is among them."""
    for before in ("d'", "D’", "du ", "Du ", "de la ", "de l’", "au ", "aux ", "à ", "à la ", "en ", "qu'",
                   "que ", "la ", "l'", "les ", "jusqu'", "que la ", "Que l’", "lorsque les ",
                   "à L'", "de La "):  # the name's own article, with its capital ("à L'Isle")
        assert before in prefix_candidates(len(before))


def test_grammar_prefix_candidates_cover_a_title_case_heading() -> None:
    """A heading in title case ("Au Bord De L'Ariège"): what adjust takes there, re-identification can find."""
    for before, new in (("Au Bord De L'", "Belennes"), ("Les Jardins De La ", "Belennes"),
                        ("Un Pont À La ", "Belennes"), ("Retour Du ", "Arlanc"), ("Vivre Au ", "Arlanc")):
        taken = adjust(before, new, label="LOCATION").consumed
        assert taken, before
        assert before[-taken:] in prefix_candidates(taken)


@pytest.mark.parametrize(("word", "expected"), [("Élodie", True), ("Isabelle", True), ("Yves", True),
                                                 ("Hélène", True), ("Hamon", False), ("Sophie", False),
                                                 ("[COMMUNE_1]", False), ("[…]", False)])
def test_grammar_vowel_sound(word: str, expected: bool) -> None:
    assert vowel_sound(word, H_ASPIRE) is expected


@pytest.mark.parametrize(("before", "shape"), [
    ("on travaille avec la ", "F"), ("le dossier de la ", "F"), ("on monte à la ", "F"),
    ("on va au ", "M"), ("le pain du ", "M"), ("Le ", "M"),
    ("on parle des ", "P"), ("on va aux ", "P"), ("et les ", "P"),
    ("avec l'", "E"), ("de l’", "E"),
    ("grâce à ", ""), ("chez ", ""), ("d'", ""), ("", ""), ("une salle ", ""),
])
def test_grammar_article_shape(before: str, shape: str) -> None:
    assert article_shape(before) == shape


@pytest.mark.parametrize(("name", "shape"), [
    ("La Source", "F"), ("Le Phare", "M"), ("Les Alizés", "P"), ("L'Escale", "E"), ("L’Abri", "E"),
    ("Horizon", ""), ("Lebrun", ""), ("Lavoir", ""),
])
def test_grammar_own_shape(name: str, shape: str) -> None:
    assert own_shape(name) == shape
