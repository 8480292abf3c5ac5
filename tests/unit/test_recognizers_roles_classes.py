"""recognizers/roles: the classes of issue 15 (a role that points at one person), each with
invented sentences, and the generic roles that stay unmasked (no spaCy model)."""

from __future__ import annotations

import pytest

from .recognizing import by_name
from .recognizing import found as _found


@pytest.fixture(scope="module")
def roles(config):
    recognizer = by_name(config)["FrenchRoleRecognizer"]
    return lambda text: [surface for label, surface in _found(recognizer, text) if label == "ROLE"]


@pytest.mark.parametrize(("text", "role"), [
    ("quand j'étais conseiller municipal, on n'avait pas de budget", "conseiller municipal"),
    ("j'ai été maire pendant douze ans, ici", "maire"),
    ("depuis que je suis maire, je dors moins", "maire"),
    ("moi je suis conseillère municipale depuis 2014", "conseillère municipale"),
    ("je suis aussi présidente du club de foot", "présidente du club de foot"),
    ("je suis également trésorière de l'association", "trésorière de l'association"),
    ("je suis devenue présidente de l'asso en 2019", "présidente de l'asso"),
    ("Quand j'étais adjoint aux sports, on a refait le stade.", "adjoint aux sports"),
    ("mon mandat d'adjointe aux finances m'a pris du temps", "adjointe aux finances"),
    ("mon mandat de maire se termine en mars", "maire"),
])
def test_roles_the_respondents_own_mandate(roles, text: str, role: str) -> None:
    assert role in roles(text)


@pytest.mark.parametrize("text", [
    "je suis conseillère depuis huit ans",  # a bare title that is no mandate in itself
    "quand on est maire, on est seul",  # anyone who is
    "je voulais être infirmière quand j'étais petite",
    "le métier de maire a changé",
    "j'ai été technicien de maintenance pendant vingt ans",  # a kind of work, tied to no body
    "j'étais directrice commerciale avant",
])
def test_roles_a_bare_title_of_nobody_in_particular(roles, text: str) -> None:
    assert roles(text) == []


@pytest.mark.parametrize(("text", "role"), [
    ("Étaient présents : Léa Bastide (animatrice), Hugo Fabre (trésorier).", "animatrice"),
    ("M. Colin (trésorier adjoint) présente le budget.", "trésorier adjoint"),
    ("Rapporteur : Mme Vidal\n", "Rapporteur"),
    ("- Trésorière : Yvette Caron ;\n", "Trésorière"),
    ("• Secrétaire adjointe : Mme Léonie Ferrand\n", "Secrétaire adjointe"),
    ("Bureau élu : présidente, Solène Morin ; trésorier, Paul Dubreuil.", "présidente"),
    ("Bureau élu : présidente, Solène Morin ; trésorier, Paul Dubreuil.", "trésorier"),
])
def test_roles_in_brackets_after_a_colon_or_in_a_list(roles, text: str, role: str) -> None:
    assert role in roles(text)


@pytest.mark.parametrize(("text", "role"), [
    ("Bernard, il est maire, donc il sait.", "maire"),
    ("Sylvie, elle est secrétaire de mairie depuis vingt ans", "secrétaire de mairie"),
    ("Karim, qui était directeur à l'époque, a dit non.", "directeur"),
    ("c'est Nathalie la secrétaire qui a les clés", "secrétaire"),
    ("Marc, c'est notre trésorier, il tient les comptes.", "trésorier"),
])
def test_roles_a_bare_title_said_of_a_named_person(roles, text: str, role: str) -> None:
    assert role in roles(text)


@pytest.mark.parametrize("text", [
    "on a élu un nouveau bureau avec des bénévoles",  # a verb, no title
    "ils ont élu leurs représentants",
    "Animatrice : Claire Morvan. Prise de notes : Paul Aubert.",  # the interviewer's tag stays structure
])
def test_roles_a_participle_or_a_tag_is_no_title(roles, text: str) -> None:
    assert roles(text) == []
