"""recognizers/locations: named places after a place noun (rue, quai, tour); bare place nouns left alone
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
        ("elle habite la tour Bizet depuis", "Bizet"),
        ("nous sommes quai de la Fosse.", "Fosse"),
        ("entre la Loire et le Layon, on", "Layon"),
        ("dans la plaine du Var, il", "Var"),
        ("les familles des Musiciens et du centre", "Musiciens"),
        ("au 3 rue Jean-Jaurès on", "Jean-Jaurès"),
        ("ça se passe rue Jean-Jaurès à Brest.", "Jean-Jaurès"),  # the commune after "à" is not the street's
        ("le local est place du Marché au Faou.", "Marché"),
        # an adjective between the noun and the name
        ("Le marché couvert Saint-Roch rouvre en mai.", "Saint-Roch"),
        ("on se voit au jardin partagé des Capucines", "Capucines"),
        # a heading in Title Case capitalises the link
        ("Travaux\n\nChemin De La Borie-Kervec\nLe chemin sera fermé.", "Borie-Kervec"),
    ],
)
def test_recognizers_locations_location(recognizers, text: str, expected: str) -> None:
    found = _found(recognizers["FrenchLocationRecognizer"], text)
    assert ("LOCATION", expected) in found
    assert not any(expected in surface and surface != expected for _label, surface in found)


@pytest.mark.parametrize("text", ["Un parc calme.", "une rue calme", "la rivière déborde",
                                  "le marché couvert est fermé, Kevin le sait"])
def test_recognizers_locations_location_not_found(recognizers, text: str) -> None:
    assert _found(recognizers["FrenchLocationRecognizer"], text) == []


def test_recognizers_locations_figures_of_speech_and_events_are_no_places(recognizers) -> None:
    recognizer = recognizers["FrenchLocationRecognizer"]
    found = _found(recognizer, "On vient du Nord au Sud du quartier pour les Journées du patrimoine et chez les Chinois.")
    assert [t for label, t in found if t in {"Nord", "Sud", "Journées", "Chinois"}] == []
    fair = _found(recognizer, "Le marché de Noël et la salle des Fêtes ouvrent, rue de Kervec.")
    assert [t for _label, t in fair] == ["Kervec"]  # an event after a place noun is no place's name


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("elle habitait rue des Vanniers avec sa sœur", "Vanniers"),  # a link then a common noun
        ("on descendait la rue d'Aubrac le dimanche", "Aubrac"),  # an elided link
        ("l'école était vers le faubourg saint Lubin", "saint Lubin"),  # a saint in lower case
    ],
)
def test_recognizers_locations_a_link_or_a_lower_case_saint_after_the_place_noun(recognizers, text, expected) -> None:
    assert ("LOCATION", expected) in _found(recognizers["FrenchLocationRecognizer"], text)


def test_recognizers_locations_a_street_outscores_the_person_it_is_named_after(recognizers) -> None:
    text = "elle tient un café avenue Firmin Laborde depuis vingt ans, et un autre place Bellecour"
    results = recognizers["FrenchLocationRecognizer"].analyze(text, ["LOCATION"], None)
    scores = {text[r.start:r.end]: r.score for r in results}
    assert scores["Firmin Laborde"] > 0.9 and scores["Bellecour"] > 0.9


def test_recognizers_locations_titles_and_generic_names_are_no_places(recognizers) -> None:
    text = "Le Dr Lemaire et le Pr Vannier consultent place de l'Église, près de la rue de la Gare."
    assert _found(recognizers["FrenchLocationRecognizer"], text) == []


def test_recognizers_locations_a_capitalised_word_after_a_names_a_station_or_a_square(recognizers) -> None:
    text = "On descendait à Nation, puis jusqu'à République. À Noël on disait merci à Rose et à Monsieur Vial."
    found = _found(recognizers["FrenchLocationRecognizer"], text)
    assert ("LOCATION", "Nation") in found and ("LOCATION", "République") in found
    assert not any(t in {"Noël", "Rose", "Monsieur"} for _label, t in found)
    spoken = "Avant on vivait du côté de Convention, puis vers Bastille, près de Concorde ; vers Noël on part."
    found = _found(recognizers["FrenchLocationRecognizer"], spoken)
    assert [t for _label, t in found] == ["Convention", "Bastille", "Concorde"]


@pytest.mark.parametrize(("text", "expected"), [
    ("on se retrouve à la Maison des associations le lundi", "Maison des associations"),
    ("prochain match à la Halle olympique samedi", "Halle olympique"),
    ("l'espace d'accueil, au Dôme, aide aussi", "Dôme"),
])
def test_recognizers_locations_a_venue_by_its_capitalised_noun(recognizers, text: str, expected: str) -> None:
    assert expected in [s for _label, s in _found(recognizers["FrenchLocationRecognizer"], text)]


def test_recognizers_locations_a_lower_case_article_opening_a_turn_still_says_a_name(recognizers) -> None:
    text = "Enquêtrice : la Musette ça a commencé comment\nLa Poste est fermée\n"
    assert [s for _label, s in _found(recognizers["FrenchLocationRecognizer"], text)] == ["Musette"]


@pytest.mark.parametrize(("text", "expected"), [
    ("je suis née à Vernelle à l'Aubrinière précisément", "Aubrinière"),  # no space after an elided article
    ("on traversait l'Épinette pour aller au marché", "Épinette"),
    ("ça se passait à l' Orée, pas loin", "Orée"),  # a space typed after the apostrophe
])
def test_recognizers_locations_an_elided_article_then_a_capitalised_name(recognizers, text, expected) -> None:
    found = _found(recognizers["FrenchLocationRecognizer"], text)
    assert ("LOCATION", expected) in found
    assert [s for _label, s in found if s != expected] == []


def test_recognizers_locations_a_cardinal_point_after_an_article_is_no_place(recognizers) -> None:
    text = "ils viennent de l'Est, elle part vers l'Ouest et lui vit dans le Sud depuis."
    assert _found(recognizers["FrenchLocationRecognizer"], text) == []


def test_recognizers_locations_a_headings_capitalised_words_are_no_place(recognizers) -> None:
    text = "Un Conseil De Quartier Tout Neuf À Kerbrien\nLe conseil se réunit quartier Saint-Gwen.\n"
    assert [s for _label, s in _found(recognizers["FrenchLocationRecognizer"], text)] == ["Saint-Gwen"]


def test_recognizers_locations_a_generic_body_or_an_allowance_is_no_place(recognizers) -> None:
    text = "le Conseil d'administration a voté, puis l'Assemblée générale, et l'Allocation logement."
    assert _found(recognizers["FrenchLocationRecognizer"], text) == []


def test_recognizers_locations_national_allowances_are_never_masked(config) -> None:
    from anonymiser.detect.spans import never_masked

    text = "pour le RSA et la Prime d'Activité, puis l'Allocation Adulte Handicapé, rue Kervec"
    covered = [text[s:e] for s, e in never_masked(text, config.never_mask)]
    assert covered == ["Prime d'Activité", "Allocation Adulte Handicapé"]
