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
    # the executive of the body the interview is about, said bare
    ("bon, je suis vice-président, oui, aux finances", "vice-président"),
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


@pytest.mark.parametrize(("text", "role"), [
    ("J'ai parlé à la directrice d'une école, elle était d'accord.", "directrice d'une école"),
    ("la directrice de l'école maternelle a accepté", "directrice de l'école maternelle"),
    ("le garagiste du coin répare tout", "garagiste du coin"),
    ("la présidente de l'association des commerçants a pris position",
     "présidente de l'association des commerçants"),
    ("le président de l'agglo a dit non", "président de l'agglo"),
    ("le vice-président de la com com est d'accord", "vice-président de la com com"),
    ("la présidente du département est venue inaugurer", "présidente du département"),
    ("le chef de la brigade de gendarmerie m'a appelé", "chef de la brigade de gendarmerie"),
    ("le directeur de l'usine a annoncé des licenciements", "directeur de l'usine"),
    ("la directrice de la maison de retraite est très bien", "directrice de la maison de retraite"),
    ("l'entraîneur du club de hand est là tous les soirs", "entraîneur du club de hand"),
    ("le gardien du stade ouvre à 8 h", "gardien du stade"),
    # a subject or a domain between the title and the body
    ("la prof de maths du collège est partie", "prof de maths du collège"),
    ("l'animatrice jeunesse du centre social prépare l'été", "animatrice jeunesse du centre social"),
])
def test_roles_a_title_of_one_body_said_without_its_name(roles, text: str, role: str) -> None:
    assert role in roles(text)


@pytest.mark.parametrize("text", [
    "une directrice d'école m'a dit que c'était dur",  # a kind of work, with or without a determiner
    "il voulait devenir directeur d'école",
    "les chefs d'entreprise se plaignent",
    "le président d'association doit écouter tout le monde",
    "on n'a pas de boulanger au village",
    "les présidents de club se réunissent",
    "le maire parle du village avec fierté",  # a verb between, no domain of the title
])
def test_roles_a_kind_of_work_or_a_verb_before_a_body_is_no_title(roles, text: str) -> None:
    assert roles(text) == []


@pytest.mark.parametrize("text", [
    "il faudrait être secrétaire d'un syndicat pour comprendre",  # one of many, said of nobody
    "le maire d'une commune de mille habitants, c'est tout faire",  # a unit of the place: no one of many
])
def test_roles_one_of_many_bodies_is_nobody_in_particular(roles, text: str) -> None:
    assert roles(text) == []


@pytest.mark.parametrize(("text", "role"), [
    ("et puis Lucien le président des jardins nous a aidés", "président des jardins"),
    ("Hélène, c'est la directrice de la régie, elle connaît tout", "directrice de la régie"),
    ("la mairie d'arrondissement c'est bien, le maire du 3e vient souvent", "maire du 3e"),
    ("on en a parlé au maire du onzième la semaine dernière", "maire du onzième"),
    # one person introduced by what the speaker has ("on a un", "il y a une"), with what makes it one post
    ("on a un délégué du préfet pour les quartiers prioritaires qui suit ça", "délégué du préfet pour les quartiers prioritaires"),
    ("il y a une chargée de mission de la Région qui vient", "chargée de mission de la Région"),
    # the speaker's own title at a named employer: the title alone, the employer is its own span
    ("et moi je suis gardienne chez Habitat Sud depuis dix ans", "gardienne"),
])
def test_roles_bodies_districts_and_one_person_introduced(roles, text: str, role: str) -> None:
    assert role in roles(text)


@pytest.mark.parametrize("text", [
    "Mourad c'est un peu le maire du quartier, il sait tout",  # a figure of speech
    "elle fait comme la présidente du club, elle décide",
    "il y a un conseiller qui passe",  # introduced, but bare
    "on a changé de responsable d'agence trois fois en cinq ans",
])
def test_roles_figures_of_speech_and_bare_titles_introduced(roles, text: str) -> None:
    assert roles(text) == []


def test_roles_a_transcript_marker_is_no_name_of_a_body(roles) -> None:
    found = roles("il est trésorier de trois associations XXX enfin bon")
    assert not any("XXX" in surface for surface in found)


@pytest.mark.parametrize(("text", "role"), [
    ("La commissaire du secteur devait venir, elle s'est excusée.", "commissaire du secteur"),
    ("le dernier chef d'équipe de l'ardoisière a coupé le ruban", "chef d'équipe de l'ardoisière"),
    # the area a post covers belongs to it
    ("explique Jean Roux, technicien de l'ONF pour le secteur de Kaysersberg.",
     "technicien de l'ONF pour le secteur de Kaysersberg"),
    ("la conseillère du Département pour le canton de Vic est venue", "conseillère du Département pour le canton de Vic"),
])
def test_roles_a_post_of_a_works_or_an_area(roles, text: str, role: str) -> None:
    assert role in roles(text)


@pytest.mark.parametrize(("text", "role"), [
    ("le premier magistrat de la commune était absent", "premier magistrat de la commune"),
    ("le président du syndicat agricole est contre", "président du syndicat agricole"),
    ("elle était institutrice à l'école du bourg", "institutrice à l'école du bourg"),
    ("on a rencontré le chef de cabinet du préfet", "chef de cabinet du préfet"),
    ("le président de la chasse ne veut pas", "président de la chasse"),
])
def test_roles_periphrases_workplaces_and_the_person_a_post_serves(roles, text: str, role: str) -> None:
    assert role in roles(text)


@pytest.mark.parametrize(("text", "role"), [
    ("je travaille comme animatrice au centre social depuis 2018", "animatrice au centre social"),
    ("j'ai été élu maire en 2014, et réélu après", "maire"),
    ("j'ai commencé comme secrétaire de mairie à mi-temps", "secrétaire de mairie"),
    ("c'est mon premier mandat d'adjointe aux solidarités", "adjointe aux solidarités"),
])
def test_roles_the_post_one_was_taken_on_for_or_elected_to(roles, text: str, role: str) -> None:
    assert role in roles(text)


@pytest.mark.parametrize("text", [
    "je travaille comme animatrice, c'est tout",  # a kind of work, tied to no body
    "j'ai été élue en 2020",
])
def test_roles_taken_on_as_a_kind_of_work_is_no_post(roles, text: str) -> None:
    assert roles(text) == []
