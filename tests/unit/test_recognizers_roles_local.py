"""recognizers/roles_local: a title of one local body or unit said without its name (a unit of the
place, an arrondissement, a body with its article, where one works, a subject between); bare, a
kind of work (invented sentences; a hand-tagged blank doc stands for the parsed text, no model)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
import spacy

from anonymiser.config.rules import Config
from anonymiser.recognizers.roles_local import LocalTitles

from .recognizing import by_name


@pytest.fixture(scope="module")
def local(config: Config) -> LocalTitles:
    found = by_name(config)["FrenchRoleRecognizer"]._local  # the one built from rules/roles.yaml
    assert isinstance(found, LocalTitles)
    return found


def _titles(local: LocalTitles, text: str, parsed: object = None) -> list[str]:
    return [text[a:b] for a, b in local.finditer(text, None, parsed)]


@pytest.mark.parametrize(("text", "expected"), [
    ("Hier on a vu le maire de quartier, il passait.", ["maire de quartier"]),
    ("C'est l'animatrice jeunesse du centre social qui vient.", ["animatrice jeunesse du centre social"]),
    ("La secrétaire de mairie est partie en congé.", ["secrétaire de mairie"]),
    ("Elle a écrit à la maire du onzième pour la salle.", ["maire du onzième"]),
    ("Il a parlé au maire du 8e arrondissement.", ["maire du 8e arrondissement"]),
    ("Il faut voir la directrice de l'école demain.", ["directrice de l'école"]),
    ("Il a appelé la directrice d'une école voisine.", ["directrice d'une école"]),
    ("Elle était institutrice à l'école du bourg.", ["institutrice à l'école du bourg"]),
    ("C'est la prof de maths du collège qui l'a dit.", ["prof de maths du collège"]),
    ("Mon frère est président du club de rugby.", ["président du club de rugby"]),
])
def test_recognizers_roles_local_a_title_of_one_local_body(local: LocalTitles, text: str,
                                                           expected: list[str]) -> None:
    assert _titles(local, text) == expected


@pytest.mark.parametrize("text", [
    "Être directrice d'école, c'est du travail.",  # bare: a kind of work
    "Elle voulait être secrétaire d'une école.",  # one of many without the title's article
    "Le maire parle du village avec fierté.",  # a bare word after a title that takes no domain
])
def test_recognizers_roles_local_no_title_of_one_body(local: LocalTitles, text: str) -> None:
    assert _titles(local, text) == []


def test_recognizers_roles_local_a_verb_of_the_parsed_text_is_no_domain(local: LocalTitles) -> None:
    text = "Voilà l'animatrice parle du centre social souvent."
    doc = spacy.blank("fr").make_doc(text)
    for token in doc:
        token.pos_ = "VERB" if token.text == "parle" else "NOUN"
    parsed = SimpleNamespace(tokens=doc, nlp_engine=SimpleNamespace())
    assert _titles(local, text) == ["animatrice parle du centre social"]  # read as a domain without the parse
    assert _titles(local, text, parsed) == []
