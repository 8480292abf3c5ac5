"""recognizers/naming: names announced by a naming verb or by a group's head and an article
(invented sentences; the part-of-speech trimming is tested with the model in test_engine)."""

from __future__ import annotations

import pytest

from .recognizing import by_name, found


@pytest.fixture(scope="module")
def recognizer(config):
    return by_name(config)["NamingRecognizer"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("on va dans une association qui s'appelle les amis du lavoir.", [("ORGANIZATION", "les amis du lavoir")]),
        ("elle s'appelle Lan Mai et elle habite en face", [("PERSON", "Lan Mai")]),
        ("ça s'appelle La Fabrique", [("ORGANIZATION", "Fabrique")]),
        ("une école qui s'appelle saint Jean Eudes euh donc", [("ORGANIZATION", "saint Jean Eudes")]),
        ("ma rue s'appelle rue des Tanneurs", [("LOCATION", "rue des Tanneurs")]),
        ("le collectif les pieds dans le goudron, qui fait des balades",
         [("ORGANIZATION", "collectif les pieds dans le goudron")]),
        # an apposition says what the capitalised name with its article is
        ("Présents : Lucie Morel (La Tannerie, tiers-lieu de la vallée)", [("ORGANIZATION", "Tannerie")]),
        ("on était aux Peupliers, un quartier tout neuf", []),  # no article of its own: "aux"
        ("Les Peupliers, un quartier tout neuf à l'époque", [("LOCATION", "Peupliers")]),
        ("L'Étincelle, une association de quartier, nous prête la salle", [("ORGANIZATION", "Étincelle")]),
        # a group's name announced by the verb keeps its prepositions, not a last one
        ("y a une asso qui s'appelle Vélo pour tous, à Plabennec", [("ORGANIZATION", "Vélo pour tous")]),
        # with no head before the verb, a capitalised common noun and lower-case words is a body's name,
        # up to a new article; a first name stays a person's
        ("on a monté un truc qui s'appelle le Réseau des jardins bretons le RJB oui",
         [("ORGANIZATION", "Réseau des jardins bretons")]),
        ("une nouvelle est née : elle s'appelle Pierres et sentiers du Kerbrat et veut restaurer les murs",
         [("ORGANIZATION", "Pierres et sentiers du Kerbrat")]),
        ("elle s'appelle Rose et elle a dix ans", [("PERSON", "Rose")]),
        ("une association qui s'appelle Les Pieds dans le plat en 2019", [("ORGANIZATION", "Pieds dans le plat")]),
        # an electoral list or a council group by its motto and its town
        ("Groupe Agir pour Vitré (opposition) : nous regrettons", [("ORGANIZATION", "Agir pour Vitré")]),
        ("j'étais sur la liste « Vivre à Lannion » en 2020", [("ORGANIZATION", "Vivre à Lannion")]),
        # a list's name in quotes, whatever its words
        ("Yvonne T. (maire sortante, liste « Plouay en commun »), Sami H. (liste « Le Renouveau plouayen »)",
         [("ORGANIZATION", "Plouay en commun"), ("ORGANIZATION", "Le Renouveau plouayen")]),
        # a name with no article before a kind in apposition: no word of French, nor a first name
        ("On a demandé. TerreNeuve, la société d'économie mixte, rachète les murs.",
         [("ORGANIZATION", "TerreNeuve")]),
        ("on est allés à Kerbriand, une commune voisine, et à Trévenec, le quartier du port",
         [("MUNICIPALITY", "Kerbriand"), ("LOCATION", "Trévenec")]),
        # a group's name opened by a capitalised plural
        ("on travaille avec les Amis du tissage oui", [("ORGANIZATION", "Amis du tissage")]),
        ("Les Compagnons de la Vilaine, eux, font la fête.", [("ORGANIZATION", "Compagnons de la Vilaine")]),
        # a heading in title case capitalises the link as well
        ("Les Amis Du Vieux Pressoir\nLe repas aura lieu", [("ORGANIZATION", "Amis Du Vieux Pressoir")]),
        # in lower case, right after an association's head
        ("une association, les amis de la Chapelle, ouvre le clocher", [("ORGANIZATION", "amis de la Chapelle")]),
        ("l'asso des amies du vieux moulin, elle fait des visites", [("ORGANIZATION", "amies du vieux moulin")]),
    ],
)
def test_recognizers_naming_names_announced(recognizer, text: str, expected: list[tuple[str, str]]) -> None:
    assert found(recognizer, text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "il s'appelle comment déjà",
        "ça s'appelle comme ça",
        "ça s'appelait bon je sais plus",
        "c'est ce qu'on appelle la crise",  # lower case, and no head to say what it names
        "La Ville, commune nouvelle depuis peu, a voté",  # a common noun with a capital
        "La Fabrique ouvrira, association ou pas",  # no apposition right after the name
        "le groupe de travail pour Lannion se réunit",  # no motto: a common noun after the kind
        "on a fait une liste pour Noël",
        "Ensuite, l'association a voté le budget",  # a word of French before the comma
        "Lundi, la salle était pleine",
        "Marie, l'association t'attend",  # a first name: someone spoken to
        "je pars en vacances avec les amis de Paul",  # friends in lower case, no association's head
        "des amis du quartier sont venus",
        "t'as le comité des fêtes le président du comité des fêtes qui arrive",  # a title after the article
    ],
)
def test_recognizers_naming_nothing_named(recognizer, text: str) -> None:
    assert found(recognizer, text) == []


@pytest.mark.slow
def test_recognizers_naming_a_group_name_ends_before_its_verb(engine) -> None:
    named = engine.detect("Le samedi, l'association les amis du lavoir vient vendre ses confitures.")
    assert [(s.label, s.text) for s in named if s.recognizer == "fr.org.head_article"] == [
        ("ORGANIZATION", "association les amis du lavoir")]
    pronoun = engine.detect("Le samedi, le club les accueille dans la grande salle.")
    assert [s for s in pronoun if s.recognizer == "fr.org.head_article"] == []


@pytest.mark.slow
def test_recognizers_naming_a_name_announced_keeps_a_rare_word_the_tagger_reads_as_a_verb(engine) -> None:
    # the tagger reads a rare adjective as a verb; the NER finds the same words: the announced name wins
    text = "avec un truc qu'on a créé en deux mille vingt qui s'appelle le Réseau des assos plouayennaises le RAP oui"
    got = [(s.label, s.text, s.recognizer) for s in engine.detect(text)]
    assert ("ORGANIZATION", "Réseau des assos plouayennaises", "fr.name.called") in got
    # a verb of French still ends a name
    named = engine.detect("Le samedi, l'association les amis du lavoir vient vendre ses confitures.")
    assert [s.text for s in named if s.label == "ORGANIZATION"] == ["association les amis du lavoir"]


@pytest.mark.slow
def test_recognizers_naming_a_neighbourhood_body_and_its_name_without_article(engine) -> None:
    named = engine.detect("Hier soir, le comité de quartier plaine des sables a envoyé une lettre au maire.")
    assert [(s.label, s.text) for s in named if s.recognizer == "fr.org.head_article"] == [
        ("ORGANIZATION", "comité de quartier plaine des sables")]
    for text in ("Le comité de quartier était présent et le conseil de quartier a voté.",
                 "Le comité de quartier de la ville a dit non."):
        assert [s for s in engine.detect(text) if s.recognizer == "fr.org.head_article"] == []


@pytest.mark.parametrize("text", ["nettoyage collectif le samedi 8 mars au jardin",
                                  "l'association la même année a repris la salle"])
def test_recognizers_naming_a_day_or_a_time_after_a_head_and_its_article_is_no_name(recognizer, text) -> None:
    assert [f for f in found(recognizer, text) if f[0] == "ORGANIZATION"] == []


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a lower-case name right after "l'association", "le collectif", with no article of its own
        ("on court avec l'association plougastel baskets (le dimanche matin) depuis un an",
         [("ORGANIZATION", "plougastel baskets")]),
        ("et l'association kerbrat en fête en minuscules c'est des jeunes du quartier",
         [("ORGANIZATION", "kerbrat en fête")]),
        ("je suis passée par le collectif vélorution cornouaille, ils réparent les vélos",
         [("ORGANIZATION", "vélorution cornouaille")]),
        # a filler of speech between the head and the name stays out of it
        ("on est allés voir l'association euh kerbrat à vélo en minuscules hein", [("ORGANIZATION", "kerbrat à vélo")]),
        ("l'association euh elle a beaucoup changé", []),
        # an adjective of the head, a verb, a pronoun, a noun said of any body: no name
        ("l'association sportive du quartier organise un tournoi", []),
        ("le collectif citoyen s'est réuni hier", []),
        ("l'association organise un repas tous les mois", []),
        ("l'association elle a beaucoup changé", []),
        ("l'association loi 1901 a été créée en mars", []),
        ("l'association membre du réseau a voté", []),
    ],
)
def test_recognizers_naming_lower_case_name_right_after_the_head(engine, text: str,
                                                                expected: list[tuple[str, str]]) -> None:
    got = [(s.label, s.text) for s in engine.detect(text) if s.recognizer == "fr.org.head_bare"]
    assert got == expected


@pytest.mark.slow
@pytest.mark.parametrize(("text", "name"), [
    ("On remercie l'Office municipal des sports pour son prêt de matériel.", "Office municipal des sports"),
    ("on est adhérents à la Fédération des foyers ruraux de la Creuse, la fédé", "Fédération des foyers ruraux de la Creuse"),
    ("c'est l'Association lozérienne pour l'emploi des jeunes. Personne ne dit le nom", "Association lozérienne pour l'emploi des jeunes"),
    ("on travaille avec l'Union des artisans et la mairie", "Union des artisans"),
    ("l'équipe joue dans la Ligue d'Auvergne de tennis de table depuis deux ans", "Ligue d'Auvergne de tennis de table"),
])
def test_recognizers_naming_a_kind_with_its_capital_opens_a_name_in_lower_case(engine, text: str, name: str) -> None:
    got = [(s.label, s.text) for s in engine.detect(text) if s.recognizer == "fr.org.capitalised_kind"]
    assert got == [("ORGANIZATION", name)]


@pytest.mark.slow
@pytest.mark.parametrize("text", [
    "Le Comité des fêtes prépare le bal et l'Office de tourisme les affiches.",  # a kind's own name
    "Association des parents d'élèves : réunion jeudi.",  # a heading's capital, at a line start
    "le Club a gagné dimanche",  # nothing in lower case after it
])
def test_recognizers_naming_a_kind_with_its_capital_and_no_name(engine, text: str) -> None:
    assert [s for s in engine.detect(text) if s.recognizer == "fr.org.capitalised_kind"] == []
