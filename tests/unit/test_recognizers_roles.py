"""recognizers/roles: functions and their domain; generic roles left alone (hand-built texts, no spaCy model)."""

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
        ("M. Tessier, le maire de Lusignan, a réuni", "maire de Lusignan"),
        ("Nadia Haddad, Responsable Développement – Entreprises à la Communauté",
         "Responsable Développement – Entreprises"),
    ],
)
def test_recognizers_roles_role(recognizers, text: str, expected: str) -> None:
    assert ("ROLE", expected) in _found(recognizers["FrenchRoleRecognizer"], text)


def test_recognizers_roles_generic_role_not_found(recognizers) -> None:
    assert _found(recognizers["FrenchRoleRecognizer"], "les chefs d'entreprise et un élu sont venus") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("avec le vice-président aux déchets et à l'économie circulaire, qui", "vice-président aux déchets et à l'économie circulaire"),
        ("Marie-Claire Lebrun, l'adjointe à l'urbanisme de Rezé, est venue", "adjointe à l'urbanisme de Rezé"),
        ("co-président.e.s de l'association Terres de Seine Solidaires", "co-président.e.s de l'association Terres de Seine Solidaires"),
        ("Awa N'Diaye, conseillère en insertion professionnelle à la Mission locale", "conseillère en insertion professionnelle"),
        ("j'en ai parlé à leur DRH hier", "DRH"),
        ("Ma directrice de cabinet m'a dit", "directrice de cabinet"),
        ("le boulanger de Châtillon-en-Diois livre", "boulanger de Châtillon-en-Diois"),
        ("Annette Davin (chargée de projet ESS à Quimperlé)", "chargée de projet ESS"),
        # a trade at a named employer, a judicial post at its court
        ("Lui était boulanger chez Maison Kerbrat, elle travaillait", "boulanger chez Maison Kerbrat"),
        ("quand ils ont fermé j'étais typographe chez Kervoas et après", "typographe chez Kervoas"),
        ("je suis juge au tribunal de commerce de Plouay c'est bénévole", "juge au tribunal de commerce de Plouay"),
        # the title ends before "c'est" in speech
        ("et le président du comité des fêtes c'est Jean-Luc", "président du comité des fêtes"),
    ],
)
def test_recognizers_roles_role_forms(recognizers, text: str, expected: str) -> None:
    assert ("ROLE", expected) in _found(recognizers["FrenchRoleRecognizer"], text)


@pytest.mark.parametrize("text", [
    "j'étais conseiller municipal sous Yvonne Kerhervé à l'époque",
    "Je suis conseillère municipale sous Yvonne Kerhervé.",
    "je suis adjointe avec Marc Le Bihan depuis 2020",
    "je suis trésorière auprès de Marc Le Bihan",
])
def test_recognizers_roles_a_function_word_and_a_person_after_it_stay_out(recognizers, text: str) -> None:
    # (and "chez" before a person: someone's home, no employer: see the test below)
    found = _found(recognizers["FrenchRoleRecognizer"], text)
    words = (" sous", " avec", " auprès", "Kerhervé", "Bihan")
    assert not any(word in surface for _label, surface in found for word in words)


@pytest.mark.parametrize(
    "text",
    ["les adjoints aux sports se réunissent", "une chargée de mission ESS est arrivée", "je suis conseillère depuis huit ans"],
)
def test_recognizers_roles_generic_roles_not_found(recognizers, text: str) -> None:
    assert _found(recognizers["FrenchRoleRecognizer"], text) == []


@pytest.mark.parametrize(("text", "roles"), [
    # a signature or a caption: capitalised titles with capitalised words of their own
    ("Chargé de mission Habitat – Énergie, Référent Climat\n", ["Chargé de mission Habitat – Énergie", "Référent Climat"]),
    ("Responsable Qualité\n", ["Responsable Qualité"]),
    ("Contact : Coordinatrice Jeunesse et Sports, au bureau 3", ["Coordinatrice Jeunesse et Sports"]),
    # a name after the title is no part of it, and a bare title says nothing of whom
    ("Responsable Qualité Odile Kervec, au bureau", ["Responsable Qualité"]),
    ("Présidente\n", []),
    ("Trésorier Adjoint\n", []),
])
def test_recognizers_roles_a_capitalised_title_alone(recognizers, text: str, roles: list[str]) -> None:
    found = [t for label, t in _found(recognizers["FrenchRoleRecognizer"], text) if label == "ROLE"]
    assert [r for r in roles if r not in found] == [] and all(any(f in r or r in f for r in roles) for f in found)


def test_recognizers_roles_a_trade_in_a_street_points_at_one_person(recognizers) -> None:
    # the street is where the shop is: with it the trade says who (ANNOTATION.md: a trade tied to a place)
    text = "La couturière de la rue des Tanneurs a fermé, et le boulanger de Plouay aussi."
    assert _found(recognizers["FrenchRoleRecognizer"], text) == [
        ("ROLE", "couturière de la rue des Tanneurs"), ("ROLE", "boulanger de Plouay")]
    # a street further on is where something else is
    text = "une réunion à la demande de la présidente du comité de quartier au gymnase de la rue Kervec"
    assert _found(recognizers["FrenchRoleRecognizer"], text) == [("ROLE", "présidente du comité de quartier")]


def test_recognizers_roles_a_title_does_not_run_on_through_a_clause(recognizers) -> None:
    # the body named at the end of the sentence is no complement of the title
    text = "Le trésorier rappelle que l'aide de la communauté de communes du Pays de Kervec tarde."
    assert _found(recognizers["FrenchRoleRecognizer"], text) == []
    tied = "La trésorière du comité des fêtes de Kervec rappelle que l'aide tarde."
    assert ("ROLE", "trésorière du comité des fêtes de Kervec") in _found(recognizers["FrenchRoleRecognizer"], tied)


@pytest.mark.parametrize(
    ("text", "role"),
    [
        ("Le maire de quartier nous a reçus jeudi.", "maire de quartier"),
        ("la présidente du comité de quartier a pris la parole", "présidente du comité de quartier"),
        ("Le député de notre circonscription était là aussi.", "député de notre circonscription"),
        ("M. Roux, l'adjoint au maire de Vendôme chargé des sports et de la jeunesse, a dit oui.",
         "adjoint au maire de Vendôme chargé des sports et de la jeunesse"),
        ("La vice-présidente de Grand-Annecy en charge des mobilités a signé.",
         "vice-présidente de Grand-Annecy en charge des mobilités"),
    ],
)
def test_recognizers_roles_local_titles_and_their_charge(recognizers, text: str, role: str) -> None:
    assert ("ROLE", role) in _found(recognizers["FrenchRoleRecognizer"], text)


def test_recognizers_roles_local_titles_in_the_plural_are_generic(recognizers) -> None:
    assert _found(recognizers["FrenchRoleRecognizer"], "Les maires de quartier se réunissent chaque mois.") == []


@pytest.mark.parametrize(
    ("text", "role"),
    [
        ("Paul Vigneau (éleveur à Saint-Rome-de-Tarn) est venu.", "éleveur à Saint-Rome-de-Tarn"),
        ("Lise, institutrice à Bessines depuis 2010, organise la fête.", "institutrice à Bessines"),
        ("il était arboriculteur à Plouay, comme son père", "arboriculteur à Plouay"),
        ("et puis mon mandat de conseillère municipale à Montlaur, ça fait deux ans", "conseillère municipale à Montlaur"),
        ("Depuis mon mandat de conseillère municipale, je vois les choses autrement.", "conseillère municipale"),
        ("La secrétaire de mairie sera en congé en août.", "secrétaire de mairie"),
    ],
)
def test_recognizers_roles_at_a_place_and_the_respondents_own_post(recognizers, text: str, role: str) -> None:
    assert ("ROLE", role) in _found(recognizers["FrenchRoleRecognizer"], text)


def test_recognizers_roles_a_title_at_an_organisation_leaves_it_out(recognizers) -> None:
    found = _found(recognizers["FrenchRoleRecognizer"], "Elle est chargée de mission à la Région depuis mai.")
    assert not [t for _label, t in found if "Région" in t]


@pytest.mark.parametrize(
    ("text", "role"),
    [
        ("Gaspard Lemarchal (chargé de mission) était là aussi.", "chargé de mission"),
        ("Présents : Odile Brossard (trésorière), et d'autres.", "trésorière"),
        ("Cheffe de projet : Mme Roche ; secrétaire : M. Vannier.", "Cheffe de projet"),
        ("Responsable de l'antenne : Nadine Cazals\n", "Responsable de l'antenne"),
        ("On en a parlé avec Inès, qui est coordinatrice.", "coordinatrice"),
        ("Elle, c'est Maryse, la secrétaire de l'association, elle sait tout.", "secrétaire de l'association"),
        ("et Sandrine, maraîchère bio à Gramat, vend au marché", "maraîchère bio à Gramat"),  # a trade at a place
    ],
)
def test_recognizers_roles_a_title_said_of_a_named_person(recognizers, text: str, role: str) -> None:
    assert ("ROLE", role) in _found(recognizers["FrenchRoleRecognizer"], text)


@pytest.mark.parametrize(
    "text",
    [
        "Animatrice : Claire Morvan. Prise de notes : Paul Aubert.",  # the interviewer's tag is structure
        "Animatrice : Bonjour à tous, on commence ?",  # a speaker turn, no name after the colon
        "Une animatrice (bénévole) et un président, dit-on.",
    ],
)
def test_recognizers_roles_tags_turns_and_generic_titles_are_not_beside_a_name(recognizers, text: str) -> None:
    found = _found(recognizers["FrenchRoleRecognizer"], text)
    assert [t for label, t in found if label == "ROLE"] == []


@pytest.mark.parametrize(("text", "role"), [
    ("Le matin c'est la secrétaire d'accueil Ghislaine qui ouvre.", "secrétaire d'accueil"),
    ("On a eu une cheffe de projet Apolline Verchère pour trois communes.", "cheffe de projet"),
    ("j'appelle la conseillère du bailleur euh Yasmina quand ça coince", "conseillère du bailleur"),
    ("la directrice du centre social Les Mouettes est passée", "directrice du centre social Les Mouettes"),
    ("le directeur de l'école Jules Ferry a signé", "directeur de l'école Jules Ferry"),
])
def test_recognizers_roles_a_title_ends_before_the_persons_name(recognizers, text: str, role: str) -> None:
    # a first name after the title is the person's, unless the words before it name a body
    # whose name it is (a school named after a person); a first name alone never names a body
    roles = [t for label, t in _found(recognizers["FrenchRoleRecognizer"], text) if label == "ROLE"]
    assert max(roles, key=len) == role  # the longest one: what the overlaps keep


def test_recognizers_roles_a_hesitation_ends_no_title(recognizers) -> None:
    found = _found(recognizers["FrenchRoleRecognizer"], "on a vu l'adjointe aux finances euh Gaëlle hier")
    assert ("ROLE", "adjointe aux finances") in found


@pytest.mark.parametrize(("text", "role"), [
    ("Noémie, qui est enseignante à l'école Jean-Zay, fera le lien.", "enseignante à l'école Jean-Zay"),
    ("Il est animateur au centre social Les Mouettes depuis deux ans.", "animateur au centre social Les Mouettes"),
    ("Elle est infirmière à l'EHPAD Les Tilleuls de Pontrieux.", "infirmière à l'EHPAD Les Tilleuls de Pontrieux"),
])
def test_recognizers_roles_a_title_at_a_named_body(recognizers, text: str, role: str) -> None:
    assert ("ROLE", role) in _found(recognizers["FrenchRoleRecognizer"], text)


def test_recognizers_roles_a_title_at_a_named_body_after_a_determiner_is_generic(recognizers) -> None:
    found = _found(recognizers["FrenchRoleRecognizer"], "une enseignante à l'école Jean-Zay nous a aidés")
    assert [surface for label, surface in found if label == "ROLE"] == []


@pytest.mark.parametrize(("text", "role"), [
    ("mon mari il est président du club de rugby", "président du club de rugby"),
    ("j'ai été trésorière de l'amicale laïque pendant dix ans", "trésorière de l'amicale laïque"),
    ("la présidente de l'office de tourisme nous soutient", "présidente de l'office de tourisme"),
    # a staff title of a charge, at a body the text has named before
    ("Josiane a appelé la chargée de mécénat de la fondation hier", "chargée de mécénat de la fondation"),
    ("le chargé d'accueil de l'office de tourisme connaît tout le monde",
     "chargé d'accueil de l'office de tourisme"),
])
def test_recognizers_roles_a_title_of_a_local_body_said_without_its_name(recognizers, text: str, role: str) -> None:
    assert ("ROLE", role) in _found(recognizers["FrenchRoleRecognizer"], text)


@pytest.mark.parametrize(("text", "role"), [
    ("on a reçu la préfète déléguée pour l'égalité des chances l'an dernier",
     "préfète déléguée pour l'égalité des chances"),
    ("l'adjointe pour la culture nous a reçus", "adjointe pour la culture"),
])
def test_recognizers_roles_a_delegate_for_a_cause_and_a_time_after_it(recognizers, text: str, role: str) -> None:
    assert ("ROLE", role) in _found(recognizers["FrenchRoleRecognizer"], text)


@pytest.mark.slow
def test_recognizers_roles_a_domain_ends_before_a_verb(engine) -> None:
    text = "Et l'adjointe à la culture viendra jeudi.\n"
    assert [(s.label, s.text) for s in engine.detect(text)] == [("ROLE", "adjointe à la culture")]
    text = "Renseignements auprès de la conseillère municipale déléguée à la jeunesse, en mairie.\n"
    assert [(s.label, s.text) for s in engine.detect(text)] == [
        ("ROLE", "conseillère municipale déléguée à la jeunesse")]  # a participle is a title's word


@pytest.mark.parametrize(("text", "role"), [
    ("Étaient présents Luc Barrat (premier adjoint, chargé des travaux), et d'autres.", "premier adjoint, chargé des travaux"),
    ("Mathieu Kessler, chargé de prévention des déchets au SMICTOM du Ried, est venu.",
     "chargé de prévention des déchets"),
    ("L'ancien gérant de la quincaillerie, Aloyse, continue.", "gérant de la quincaillerie"),
    ("on a le pain du boulanger du bourg tous les matins", "boulanger du bourg"),
    ("contact avec la correspondante locale de Sélestat", "correspondante locale de Sélestat"),
    ("le chantier est suivi par l'architecte des Bâtiments de France", "architecte des Bâtiments de France"),
    ("avec le lycée : Olivier, professeur de mécanique cycle, y amène ses élèves", "professeur de mécanique cycle"),
])
def test_recognizers_roles_charges_shops_and_local_posts(recognizers, text: str, role: str) -> None:
    assert ("ROLE", role) in _found(recognizers["FrenchRoleRecognizer"], text)


@pytest.mark.parametrize("text", [
    "elle veut être vétérinaire et le fils des voisins Enzo aussi",  # a determiner opens another phrase
    "je suis pas adjointe hein je tiens à le dire",
    "il est chargé de faire les courses",  # a task, not a post
    "c'est l'adjointe c'est elle qui gère",
])
def test_recognizers_roles_no_title_runs_into_another_phrase(recognizers, text: str) -> None:
    found = [s for label, s in _found(recognizers["FrenchRoleRecognizer"], text) if label == "ROLE"]
    assert not any(" le " in s or "hein" in s or "faire" in s or "c'" in s for s in found), found


@pytest.mark.parametrize("text", ["elle était infirmière chez Mme Kerbrat", "il était boulanger chez Paul Kerbrat"])
def test_recognizers_roles_chez_a_person_is_no_employer(recognizers, text: str) -> None:
    assert not any("chez" in surface for _label, surface in _found(recognizers["FrenchRoleRecognizer"], text))


@pytest.mark.parametrize(("text", "role"), [
    ("et moi je suis déléguée aux écoles, aux cantines et aux transports scolaires, voilà",
     "déléguée aux écoles, aux cantines et aux transports scolaires"),
    ("l'adjoint à la voirie, à la propreté et aux espaces verts, Gérald Mouchet", "adjoint à la voirie, à la propreté et aux espaces verts"),
])
def test_recognizers_roles_a_title_over_the_domains_it_lists(recognizers, text: str, role: str) -> None:
    assert ("ROLE", role) in _found(recognizers["FrenchRoleRecognizer"], text)


def test_recognizers_roles_a_list_with_another_link_is_no_more_domain(recognizers) -> None:
    # "au maire" after "aux travaux": another link, another phrase
    found = _found(recognizers["FrenchRoleRecognizer"], "j'étais adjoint aux travaux, au maire je disais non")
    assert ("ROLE", "adjoint aux travaux") in found


@pytest.mark.parametrize(("text", "role"), [
    # a title with its rank
    ("et je suis troisième adjointe chargée des écoles depuis 2020", "troisième adjointe chargée des écoles"),
    ("le 2e vice-président aux mobilités a parlé", "2e vice-président aux mobilités"),
    # a body's name ends before the person the title is said of, with no comma
    ("et la présidente des Petits Loups Aurélie Fradet a écrit", "présidente des Petits Loups"),
    ("l'inspectrice de la circonscription de Guéret Mme Touati a appelé", "inspectrice de la circonscription de Guéret"),
])
def test_recognizers_roles_ranks_and_the_person_after_a_body(recognizers, text: str, role: str) -> None:
    assert ("ROLE", role) in _found(recognizers["FrenchRoleRecognizer"], text)


def test_recognizers_roles_a_body_named_after_a_person_keeps_its_name(recognizers) -> None:
    found = _found(recognizers["FrenchRoleRecognizer"], "elle est directrice de l'école Marie Curie depuis mars")
    assert ("ROLE", "directrice de l'école Marie Curie") in found


def test_recognizers_roles_a_time_word_is_no_kind_of_body(recognizers) -> None:
    found = _found(recognizers["FrenchRoleRecognizer"], "je regrette la présidente d'avant Ginette elle a tout fait")
    assert not any("Ginette" in surface for _label, surface in found)


@pytest.mark.parametrize(("text", "absent"), [
    ("Minh il est pharmacien maintenant à Montrouge depuis deux ans", "maintenant"),  # an adverb of the sentence
    ("je suis infirmière de métier j'ai travaillé à l'hôpital de Saint-Palais", "j'ai"),  # a clause after it
])
def test_recognizers_roles_a_title_stops_before_the_sentence_goes_on(recognizers, text: str, absent: str) -> None:
    assert not any(absent in surface for _label, surface in _found(recognizers["FrenchRoleRecognizer"], text))
