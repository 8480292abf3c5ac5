"""recognizers/arrondissements: arrondissements said in words or digits, and the same words
when they are not places (invented sentences, no spaCy model)."""

from __future__ import annotations

import pytest

from .recognizing import by_name, found


@pytest.fixture(scope="module")
def recognizer(config):
    return by_name(config)["ArrondissementRecognizer"]


def _surfaces(recognizer, text: str) -> list[str]:
    return [surface for label, surface in found(recognizer, text) if label == "MUNICIPALITY"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Paul : on a grandi dans le quatorzième c'était calme", ["quatorzième"]),
        ("dans le onzième, puis on est partis du treizième en deux mille dix", ["onzième", "treizième"]),
        ("on est partis du treizième en deux mille dix", []),
        ("on habitait le douzième\nau cinquième sans ascenseur", ["douzième"]),  # a floor  # "du": maybe a floor, so only beside another
        ("j'ai habité le quinzième arrondissement pendant dix ans", ["quinzième"]),
        ("elle vit à Lyon 3e depuis peu", ["Lyon 3e"]),
        ("mais Paris quinze c'est pas pareil", ["Paris quinze"]),
        ("il a pris un studio dans le 7e et puis voilà", ["7e"]),
        ("le côté huitième de la gare", ["huitième"]),
        ("on se voit le dix-neuf mai", []),  # a date: a cardinal needs a function word after
        ("ils vont dans le dix-huit maintenant", ["dix-huit"]),
        ("dans le seizième, une amie du seizièmequi venait", ["seizième", "seizième"]),  # glued by the transcription
        # a feminine noun after "le" + ordinal: the speaker names the arrondissement, then a street
        ("Marc : moi c'était dans le treizième rue euh rue je sais plus", ["treizième"]),
        # the city, then its arrondissement
        ("une dame arrivée de Paris du quinzième je crois", ["quinzième"]),
        ("elles étaient à Lyon dans le 3e avant", ["3e"]),
        # ... said earlier in the sentence, the arrondissement after "du"
        ("un couple arrivé de Paris il y a deux ans, du douzième, qui cherchait le calme", ["douzième"]),
    ],
)
def test_recognizers_arrondissements_places(recognizer, text: str, expected: list[str]) -> None:
    assert _surfaces(recognizer, text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "il est né au dix-neuvième siècle",
        "on a voté pour le deuxième tour",
        "elle a dix-huit ans et passe en sixième",
        "la troisième fois ça a marché",
        "de la sixième à la terminale on était ensemble",
        "on a pris un deuxième café au comptoir",
        "le premier arrivé a gagné",
        "ils sont au cinquième étage",
        "elle habite la dixième rue à gauche",  # feminine determiner: an ordinal of the street
        "on a vu le neuvième film de la série",
        "il est arrivé de Lyon. Du quatrième il voit tout.",  # another sentence
    ],
)
def test_recognizers_arrondissements_not_places(recognizer, text: str) -> None:
    assert _surfaces(recognizer, text) == []


def test_recognizers_arrondissements_bare_ordinals_need_the_documents_own_evidence(recognizer) -> None:
    with_place = "Anne : on habitait dans le douzième\nMarc : douzième ouais et puis treizième quatorzième"
    assert _surfaces(recognizer, with_place) == ["douzième", "douzième", "treizième", "quatorzième"]
    rule_ids = [r.recognition_metadata["rule_id"] for r in recognizer.analyze(with_place, None, None)]
    assert rule_ids == ["fr.municipality.arrondissement"] + ["fr.municipality.arrondissement_bare"] * 3
    # the same words about school years, in a document that names no arrondissement
    school = "Anne : au collège donc sixième cinquième c'était dur\nMarc : en quatrième aussi"
    assert _surfaces(recognizer, school) == []


def test_recognizers_arrondissements_an_ordinal_after_a_verb_of_living_and_au_is_a_floor(recognizer) -> None:
    text = ("On vit dans le treizième. Ma tante est au quatrième, avec vue ; à Paris on habite au cinquième.\n"
            "Lui il vient du onzième et il travaille au quatrième arrondissement.")
    found = sorted((r.start, text[r.start:r.end]) for r in recognizer.analyze(text, None, None))
    assert found == [(15, "treizième"), (112, "onzième"), (139, "quatrième")]


@pytest.mark.parametrize(("text", "expected"), [
    ("elle est à la mairie du 5e arrondissement ce matin", "mairie du 5e arrondissement"),
    ("on va à la mairie des 1er et 4e arrondissements", "mairie des 1er et 4e arrondissements"),
    ("il travaille à la mairie du onzième depuis 2015", "mairie du onzième"),
])
def test_recognizers_arrondissements_the_town_hall_of_arrondissements_is_a_body(recognizer, text, expected) -> None:
    assert ("ORGANIZATION", expected) in found(recognizer, text)


def test_recognizers_arrondissements_a_village_town_hall_is_no_arrondissements(recognizer) -> None:
    assert [s for label, s in found(recognizer, "la mairie du village ferme le lundi") if label == "ORGANIZATION"] == []
