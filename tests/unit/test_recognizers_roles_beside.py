"""recognizers/roles_beside: the shapes of a title said of a named person (in brackets after the
name, before a colon and the name, in an apposition, bare between commas with what makes it
specific), and which of them may be an interviewer's tag (invented sentences, no spaCy model)."""

from __future__ import annotations

import pytest

from anonymiser.config.rules import Config
from anonymiser.recognizers.roles_beside import Beside

from .recognizing import by_name


@pytest.fixture(scope="module")
def shapes(config: Config) -> list[Beside]:
    found = by_name(config)["FrenchRoleRecognizer"]._beside  # built from rules/roles.yaml
    assert found and all(isinstance(shape, Beside) for shape in found)
    return found


def _roles(shapes: list[Beside], text: str) -> list[tuple[str, bool]]:
    """Each title a shape finds in ``text``, and whether that shape is checked for a tag."""
    return [(m.group("role"), shape.tag_checked) for shape in shapes for m in shape.pattern.finditer(text)]


@pytest.mark.parametrize(("text", "expected"), [
    ("Hier Lucien Vautrin (premier adjoint, chargé des écoles) est passé.",
     [("premier adjoint, chargé des écoles", False)]),
    ("Cheffe de projet : Mme Castagnet", [("Cheffe de projet", True)]),
    ("- Trésorière : Odette Lambrot ;", [("Trésorière", True)]),
    ("Bureau : présidente, Noémie Farjon ; trésorier, Paul Ribaute", [("présidente", True), ("trésorier", True)]),
    ("On voit Yasmine, qui est coordinatrice, le mardi.", [("coordinatrice", False)]),
    ("Il y a Maryvonne, la secrétaire de l'association, qui sait.", [("secrétaire de l'association", False)]),
    ("Et Gaston, il est maire.", [("maire", False)]),
    ("Là c'est Nadège la secrétaire qui appelle.", [("secrétaire", False)]),
    ("On a Thibaut, professeur de mécanique, le jeudi.", [("professeur de mécanique", False)]),
    ("Il y a la directrice générale des services, Odile Barrère, qui signe.",
     [("directrice générale des services", False)]),
    ("Avec notre trésorière adjointe, Mme Lambrot on a compté.", [("trésorière adjointe", False)]),
])
def test_recognizers_roles_beside_a_title_said_of_a_named_person(shapes: list[Beside], text: str,
                                                                 expected: list[tuple[str, bool]]) -> None:
    assert _roles(shapes, text) == expected


@pytest.mark.parametrize("text", [
    "Hier Lucien Vautrin (en vacances) est passé.",  # no title in the brackets
    "Cheffe de projet : bonjour à tous.",  # no name after the colon
    "On voit Yasmine, qui est partie tôt.",  # no title in the apposition
    "On a Thibaut, professeur, le jeudi.",  # a bare title between commas says nothing specific
    "Une trésorière, Odile Barrère, est venue.",  # an indefinite article: no one's post
    "J'ai vu le patron, M. Husson, hier.",  # one word: what he is to the speaker
    "La secrétaire, elle est partie.",  # no name after the comma
])
def test_recognizers_roles_beside_no_title_beside_a_name(shapes: list[Beside], text: str) -> None:
    assert _roles(shapes, text) == []
