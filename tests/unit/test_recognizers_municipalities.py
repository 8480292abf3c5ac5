"""recognizers/municipalities: communes of the gazetteer, their variants, and ambiguous names only with evidence
(hand-built texts, no spaCy model)."""

from __future__ import annotations

import pytest

from .recognizing import by_name
from .recognizing import found as _found


@pytest.fixture(scope="module")
def recognizers(config):
    return by_name(config)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("On travaille à Saint Ismier.", ["Saint Ismier"]),
        ("On travaille à St-Ismier.", ["St-Ismier"]),
        ("Il habite JOUE LES TOURS.", ["JOUE LES TOURS"]),
        ("Le port du Havre est grand.", ["Havre"]),
        ("Nous sommes allés à Tours.", ["Tours"]),
        ("On a fait un tour d'horizon et des tours de garde.", []),
        ("Tours de garde, la commune-centre et ça n'a pas de sens.", []),
        ("On se promenait à Bois puis dans le Bois, près des Tours.", ["Bois"]),  # an article: the common noun
        ("Il y a Bois qui vient, on a Tours aussi, mais on va a Tours.", ["Tours"]),  # "a" the verb, "a" for "à"
        # a word-commune in a list of communes, before or after a sure one
        ("On livre Joigny, Sens et Auxerre.", ["Joigny", "Sens", "Auxerre"]),
        ("Paron ou Sens, au choix.", ["Paron", "Sens"]),
        ("Dans ce sens, Paron a raison. Sens interdit, Paron aussi.", ["Paron", "Paron"]),
        # a dateline: the commune, a comma, and a date on the line
        ("Sens, salle du conseil, 14 février 2024\nQ : Bonjour.", ["Sens"]),
        ("Tours, le 03/05/2022", ["Tours"]),
        ("Tours et détours, le 3 mai 2022.", []),
        ("- Pau, 12/01/2023, entretien n° 4", ["Pau"]),
        # a letter's signature: a first name, an initial, the writer's commune alone on its line
        ("Je pose la question à nos élus.\nMarie-Claude R., Sens\n\nCARNET", ["Sens"]),
        ("Il faut du courage.\nPaul D., Tours", ["Tours"]),
        ("Il faut du courage.\nPaul D., Tours de garde\n", []),  # the line goes on: no signature
    ],
)
def test_recognizers_municipalities_municipality(recognizers, text: str, expected: list[str]) -> None:
    found = [t for label, t in _found(recognizers["MunicipalityRecognizer"], text) if label == "MUNICIPALITY"]
    assert found == expected


def test_recognizers_municipalities_commune_variants() -> None:
    from anonymiser.recognizers.municipalities import commune_variants

    assert commune_variants("Saint-Étienne-de-Tinée") == [("Saint-Étienne-de-Tinée", "full"),
                                                          ("St-Étienne-de-Tinée", "full")]
    assert commune_variants("Le Havre") == [("Le Havre", "full"), ("Havre", "article-less")]
    assert commune_variants("Combelorge") == [("Combelorge", "full")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a verb of residence and "à": a commune even when the gazetteer does not have it
        ("Moi j'habite à Kervagnac depuis dix ans.", ["Kervagnac"]),
        ("elle est née à Trémouzy-le-Haut en 1950", ["Trémouzy-le-Haut"]),
        ("on s'est installés à Lavoûte-sur-Ondaine après", ["Lavoûte-sur-Ondaine"]),
        ("et là on est à Brévignac, tu vois", ["Brévignac"]),
        ("un cousin qui habite Ostrelbach, en Allemagne", ["Ostrelbach"]),  # "habite" needs no "à"
        ("il vit à La Ferrandière maintenant", ["La Ferrandière"]),  # its capitalised article with it
        # a first name, a feast, an ordinary word after the verb: not a commune
        ("elle habite à Mathilde, enfin chez Mathilde", []),
        ("on est à Noël bientôt et il vit à Fond, dit-il", []),
        ("elle habite à la Brévine", []),  # a lower-case article: the other rules' business
    ],
)
def test_recognizers_municipalities_after_a_verb_of_residence(recognizers, text: str, expected: list[str]) -> None:
    found = [t for label, t in _found(recognizers["MunicipalityRecognizer"], text) if label == "MUNICIPALITY"]
    assert found == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("les petits vont à L'Isle et les grands ailleurs", ["L'Isle"]),  # "Isle" is the gazetteer's
        ("on descend au Mans puis à La Rochelle", ["Mans", "La Rochelle"]),  # "au": the article it has lost
    ],
)
def test_recognizers_municipalities_a_capitalised_article_in_mid_sentence_is_the_communes(
        recognizers, text: str, expected: list[str]) -> None:
    found = [t for label, t in _found(recognizers["MunicipalityRecognizer"], text) if label == "MUNICIPALITY"]
    assert found == expected
