"""recognizers/organizations: organisations by head word, suffix, name run or acronym;
generic acronyms and headings left alone (hand-built texts, no spaCy model)."""

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
        ("avec le CCAS de Rezé depuis", "CCAS de Rezé"),
        ("la Ville de Poitiers finance", "Ville de Poitiers"),
        ("et Angers Loire Métropole aussi", "Angers Loire Métropole"),
        ("la Région Nouvelle-Aquitaine", "Région Nouvelle-Aquitaine"),
        # a sports club by its abbreviation before its town
        ("mon fils joue à l'US Plouay depuis trois ans", "US Plouay"),
        ("le FC Quimperlé a gagné dimanche", "FC Quimperlé"),
        # a known network's local branch by its place or its arrondissement, whatever the case of its later words
        ("heureusement le Secours populaire du huitième nous a prêté une salle", "Secours populaire du huitième"),
        ("le Secours populaire du 11e aussi", "Secours populaire du 11e"),
        ("on donne aux Restos du cœur de Plouay", "Restos du cœur de Plouay"),
        # a second complement of the head after "et de": one body
        ("je remercie la Communauté de communes du Kervec et de l'Aven pour leur soutien",
         "Communauté de communes du Kervec et de l'Aven"),
        # an acronym in mixed case, each small letter between capitals
        ("on a vu la CdK et la route est à elle", "CdK"),
        ("le SIVoK a voté le budget", "SIVoK"),
    ],
)
def test_recognizers_organizations_organization(recognizers, text: str, expected: str) -> None:
    assert ("ORGANIZATION", expected) in _found(recognizers["FrenchOrganizationRecognizer"], text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("nous sommes membres d'AMORCE, le réseau", "AMORCE"),
        ("avec Transports Yonne Express et d'autres", "Transports Yonne Express"),
        ("la Menuiserie Guérin & Fils a fermé", "Menuiserie Guérin & Fils"),
        ("la Mission locale angevine nous aide", "Mission locale angevine"),
        ("la Direction de l'attractivité économique, qui suit", "Direction de l'attractivité économique"),
        ("l'auto-école sociale Permis Solidaire 76 forme", "Permis Solidaire 76"),
    ],
)
def test_recognizers_organizations_organization_forms(recognizers, text: str, expected: str) -> None:
    assert ("ORGANIZATION", expected) in _found(recognizers["FrenchOrganizationRecognizer"], text)


@pytest.mark.parametrize(
    "text",
    ["Une SCIC et une SCOP, le PLU et l'ESS.", "Le bus jusqu'à la gare, puis le TER ou le TGV.", "Le compteur dit 12 kWh et 50 MHz, elle a un PhD.",
     "Le dossier est chez InCité.", "Statut : SCIC SAS, 600 sociétaires.", "C'est TRÈS important.", "TERRITOIRES COOPÉRATIFS – FOCUS GROUP N° 2"],
)
def test_recognizers_organizations_generic_acronyms_and_headings_not_found(recognizers, text: str) -> None:
    assert _found(recognizers["FrenchOrganizationRecognizer"], text) == []


def test_recognizers_organizations_headings_are_no_names(recognizers) -> None:
    recognizer = recognizers["FrenchOrganizationRecognizer"]
    text = "## Vie Associative\n\nPARTIE 2 : le bilan.\n\n### Fin De La Réunion\n\nAMORCE et le Réseau Compost Citoyen."
    surfaces = [t for _label, t in _found(recognizer, text)]
    assert "Vie Associative" not in surfaces and "PARTIE" not in surfaces and "Fin De La Réunion" not in surfaces
    assert "AMORCE" in surfaces


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("avec le comité des fêtes de Lavaur, qui prête ses tables", "comité des fêtes de Lavaur"),
        ("les résidents de l'EHPAD de Saint-Sulpice viennent", "EHPAD de Saint-Sulpice"),
        ("les élèves du lycée agricole de Castelnau-le-Lez ont planté", "lycée agricole de Castelnau-le-Lez"),
        ("L'Union des commerçants de Graulhet était là.", "Union des commerçants de Graulhet"),
        ("au foyer de jeunes travailleurs de Rodez, on anime", "foyer de jeunes travailleurs de Rodez"),
        ("le Comité de quartier Bellevue-Nord a été créé en 1981", "Comité de quartier Bellevue-Nord"),
        # five lower-case words between the kind and its place; a local society
        ("L'amicale des donneurs de sang bénévoles de Lavaur remercie",
         "amicale des donneurs de sang bénévoles de Lavaur"),
        ("la société de chasse de Graulhet organise", "société de chasse de Graulhet"),
    ],
)
def test_recognizers_organizations_a_kind_and_its_place_make_one_name(recognizers, text: str, name: str) -> None:
    assert ("ORGANIZATION", name) in _found(recognizers["FrenchOrganizationRecognizer"], text)


def test_recognizers_organizations_an_article_with_a_capital_inside_a_sentence_names(recognizers) -> None:
    found = _found(recognizers["FrenchOrganizationRecognizer"],
                   "On a ouvert La Tisserie il y a trois ans. La salle est grande, dit-elle.")
    assert ("ORGANIZATION", "Tisserie") in found
    assert not [t for _label, t in found if t == "salle"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("le ramassage est fait par les cars Delorme depuis", "Delorme"),  # a trade in lower case stays out
        ("on achetait le pain à la boulangerie Mougeot le matin", "Mougeot"),
        ("avec le Garage Peyrot et les autres", "Garage Peyrot"),  # with a capital it is the name
        ("l'EHPAD Les Tilleuls de Saint-Céré a fermé", "EHPAD Les Tilleuls de Saint-Céré"),
        ("on s'est rapprochés de Plateaux en Commun cette année", "Plateaux en Commun"),  # "en" inside a name
        ("il a été embauché par Fromageries Vialar l'an dernier", "Fromageries Vialar"),  # a trade in the plural
        ("une réunion avec le collectif Terre Vive hier", "collectif Terre Vive"),  # a body, whole
    ],
)
def test_recognizers_organizations_a_lower_case_trade_is_no_part_of_the_name(recognizers, text, expected) -> None:
    assert ("ORGANIZATION", expected) in _found(recognizers["FrenchOrganizationRecognizer"], text)


def test_recognizers_organizations_school_levels_diplomas_and_peoples_are_no_names(recognizers) -> None:
    text = "Les CM2 et les CE1 ont des LED, un numéro SIRET et un BTS. Y avait des Portugais des Espagnols partout."
    assert _found(recognizers["FrenchOrganizationRecognizer"], text) == []


def test_recognizers_organizations_a_civility_starts_no_name(recognizers) -> None:
    text = "Présents : Mme Perrotin Lebrun et M. Vannier Aubert, puis le Réseau Compost Citoyen."
    surfaces = [t for _label, t in _found(recognizers["FrenchOrganizationRecognizer"], text)]
    assert not any(s.startswith(("Mme", "M.")) for s in surfaces) and "Réseau Compost Citoyen" in surfaces


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("la convention avec le SDEC 58 pour l'éclairage", "SDEC 58"),
        ("le SMIRTOM 2B, qui collecte", "SMIRTOM 2B"),
        ("on a écrit au SIVOM 71.", "SIVOM 71"),
        ("la CAF 35 et la MSA ont répondu", "CAF 35"),
        ("on envoie au SICTOM 35 tonnes par an", "SICTOM"),  # a count, not a department
        ("le SIAEP 12 000 abonnés", "SIAEP"),
    ],
)
def test_recognizers_organizations_a_department_number_after_an_acronym_is_in_its_name(
        recognizers, text: str, expected: str) -> None:
    assert ("ORGANIZATION", expected) in _found(recognizers["FrenchOrganizationRecognizer"], text)


def test_recognizers_organizations_a_body_named_by_its_street_is_found_whole(recognizers) -> None:
    # the labels make it the street's name, a place (detect/labels.py, test_detect_labels.py)
    recognizer = recognizers["FrenchOrganizationRecognizer"]
    assert ("ORGANIZATION", "association de la rue de Brézé") in _found(
        recognizer, "on a monté l'association de la rue de Brézé avec eux")
    assert ("ORGANIZATION", "lycée agricole de Montmorillon") in _found(
        recognizer, "le lycée agricole de Montmorillon a planté les haies")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("La soirée sera animée par Grain de sel animation, comme l'an dernier.", ["Grain de sel animation"]),
        ("on a loué les camions de Berthaud transports pour le déménagement", ["Berthaud transports"]),
        ("Ce sont des services de proximité, la formation aussi.", []),
        ("Formation et animation : le programme du mois.", []),  # a sentence start, no name
        ("Merci à Paul, services techniques compris.", []),
    ],
)
def test_recognizers_organizations_a_name_and_its_activity_in_lower_case(recognizers, text, expected) -> None:
    results = recognizers["FrenchOrganizationRecognizer"].analyze(text, ["ORGANIZATION"], None)
    found = [text[r.start:r.end] for r in results if r.recognition_metadata["rule_id"] == "fr.org.activity_suffix"]
    assert found == expected


def test_recognizers_organizations_a_run_never_coordinates_two_names(recognizers) -> None:
    recognizer = recognizers["FrenchOrganizationRecognizer"]
    text = "on a eu Bouygues et Free puis chez Morel et Fils, avec Lin & Chanvre et l'asso de Vivre et Agir"
    runs = [t for _label, t in _found(recognizer, text)]
    assert "Bouygues et Free" not in runs and "Morel et Fils" in runs and "Lin & Chanvre" in runs
    assert "Vivre et Agir" in runs  # ordinary words with capitals: one name


@pytest.mark.parametrize(("text", "expected"), [
    ("L'ADMR de Morteau passe le matin.", "ADMR de Morteau"),
    ("il y a l'ADMR du plateau d'Orcières pour les aînés", "ADMR du plateau d'Orcières"),
    ("Le SIVOM de la vallée de l'Ognon gère la cantine.", "SIVOM de la vallée de l'Ognon"),
    # ... and a local body's kind in lower case with its place
    ("il était chauffeur à la fruitière de Mouthe pendant vingt ans", "fruitière de Mouthe"),
    ("j'en ai parlé à la mairie de Rezé hier", "mairie de Rezé"),
    ("elle travaille à la cave coopérative de Vouvray", "cave coopérative de Vouvray"),
])
def test_recognizers_organizations_a_local_body_with_its_place_is_one_name(recognizers, text, expected) -> None:
    # ANNOTATION.md: a place inside a body's name is part of the body's span
    assert ("ORGANIZATION", expected) in _found(recognizers["FrenchOrganizationRecognizer"], text)


def test_recognizers_organizations_a_first_name_alone_after_a_lower_case_head_is_no_body(recognizers) -> None:
    found = _found(recognizers["FrenchOrganizationRecognizer"], "c'est la secrétaire de mairie Ghislaine qui ouvre")
    assert not any("Ghislaine" in surface for _label, surface in found)


def test_recognizers_organizations_a_trade_in_lower_case_leaves_the_name(recognizers) -> None:
    found = _found(recognizers["FrenchOrganizationRecognizer"], "La droguerie Sabatier a été vendue l'an dernier.")
    assert ("ORGANIZATION", "Sabatier") in found


def test_recognizers_organizations_no_activity_name_runs_through_a_sentences_words(recognizers) -> None:
    found = _found(recognizers["FrenchOrganizationRecognizer"],
                   "On a fait une réunion à la mairie de Montbrison avec les services.")
    assert {surface for _label, surface in found} == {"mairie de Montbrison"}


def test_recognizers_organizations_a_firm_and_its_partners_in_lower_case(recognizers) -> None:
    found = _found(recognizers["FrenchOrganizationRecognizer"],
                   "c'est l'entreprise Kerhervé et fils qui a refait la toiture")
    assert ("ORGANIZATION", "Kerhervé et fils") in found


def test_recognizers_organizations_after_an_elided_article_only_a_name_right_after_the_head(recognizers) -> None:
    # "l'épicerie X" names the shop; "l'université de X" is left to the rules of a body and its place
    found = _found(recognizers["FrenchOrganizationRecognizer"], "avec l'épicerie Marchais et l'université de Vaurès")
    assert ("ORGANIZATION", "Marchais") in found
    assert ("ORGANIZATION", "Vaurès") not in found


@pytest.mark.parametrize("text", [
    "hier le Directeur Général Jean Kerhervé a répondu au courrier",
    "on prépare le marché de Noël de Kerbonne avec les commerçants",
    "on a fait les Journées Portes Ouvertes du lycée",
    "on a eu le Prix de l'Innovation Sociale l'an dernier",
])
def test_recognizers_organizations_a_run_opened_by_a_title_or_an_event_is_no_body(recognizers, text: str) -> None:
    found = _found(recognizers["FrenchOrganizationRecognizer"], text)
    assert [s for _label, s in found if "Directeur" in s or "Noël" in s or "Journées" in s or "Prix" in s] == []


@pytest.mark.parametrize(("text", "expected"), [
    ("Le SIVOM (syndicat intercommunal à vocation multiple de la vallée du Lot) gère la cantine.",
     "syndicat intercommunal à vocation multiple de la vallée du Lot"),
    ("on adhère à l'association pour la sauvegarde des moulins de Mûr (ASMM) depuis",
     "association pour la sauvegarde des moulins de Mûr"),
])
def test_recognizers_organizations_the_long_form_of_an_acronym_in_brackets(recognizers, text, expected) -> None:
    assert ("ORGANIZATION", expected) in _found(recognizers["FrenchOrganizationRecognizer"], text)


def test_recognizers_organizations_a_generic_kind_s_long_form_is_no_name(recognizers) -> None:
    # an AMAP is a kind of association (rules/lexicons/sigles_generiques.txt): its long form is no one's name
    text = "on adhère à l'association pour le maintien d'une agriculture paysanne (AMAP) de Mûr"
    found = _found(recognizers["FrenchOrganizationRecognizer"], text)
    assert ("ORGANIZATION", "association pour le maintien d'une agriculture paysanne") not in found


def test_recognizers_organizations_a_letterhead_in_capitals_opened_by_a_head(recognizers) -> None:
    text = ("ASSOCIATION LES AMIS DU VIEUX LAVOIR\nCOMITÉ DES FÊTES DE SAINT-GILDAS – Compte rendu\n"
            "UNION SPORTIVE\n")
    names = [s for label, s in _found(recognizers["FrenchOrganizationRecognizer"], text) if label == "ORGANIZATION"]
    assert {"ASSOCIATION LES AMIS DU VIEUX LAVOIR", "COMITÉ DES FÊTES DE SAINT-GILDAS"} <= set(names)
    assert "UNION SPORTIVE" not in names  # a head and an ordinary word: no name


@pytest.mark.parametrize(("text", "expected"), [
    # a line in capitals that the next line says is a body, by its legal status or its kind
    ("LES BRICOLEURS DU KERBRAT\nAssociation inscrite au registre des associations\n", ["BRICOLEURS DU KERBRAT"]),
    ("LA PETITE OURSE\nAssociation loi 1901 – Compte rendu\n", ["PETITE OURSE"]),
    ("KERVOAS SOLIDAIRES\nCollectif d'habitants du quartier\n", ["KERVOAS SOLIDAIRES"]),
    # a heading of ordinary words over a paragraph that opens with a kind: no name
    ("VIE ASSOCIATIVE\nAssociation des parents : la kermesse aura lieu.\n", []),
    ("LES BRICOLEURS\nassociation du quartier\n", []),  # the kind in lower case goes on a sentence
])
def test_recognizers_organizations_a_line_in_capitals_over_its_kind(recognizers, text: str,
                                                                    expected: list[str]) -> None:
    found = _found(recognizers["FrenchOrganizationRecognizer"], text)
    assert [s for label, s in found if label == "ORGANIZATION" and s.isupper()] == expected


@pytest.mark.parametrize(("text", "expected"), [
    # one capitalised word right after a lower-case kind: a name when it is no French word
    ("L'association Kervoas'Rando propose une sortie.", ["Kervoas'Rando"]),
    ("avec l'association Kerbrat-Vélo on roule", ["Kerbrat-Vélo"]),
    ("L'association Marche organise", []),  # a word of French
    ("L'association Nadia organise", []),  # a first name: a person
])
def test_recognizers_organizations_one_word_after_a_lower_case_kind(recognizers, text: str,
                                                                    expected: list[str]) -> None:
    found = recognizers["FrenchOrganizationRecognizer"].analyze(text, ["ORGANIZATION"], None)
    got = [text[r.start:r.end] for r in found if r.recognition_metadata.get("rule_id") == "fr.org.named_after_head"]
    assert got == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a capitalised noun and a place's adjective that is no French word: a local body
    ("Contact en mairie.\n\nLa Lyre plouayenne Recrute\nL'harmonie cherche des musiciens.", ["Lyre plouayenne"]),
    ("on a gagné avec la Boule kerbratienne hier", ["Boule kerbratienne"]),
    ("on joue à la boule lyonnaise le dimanche", []),  # a French phrase
    ("la Marie plouayenne est venue", []),  # a first name
])
def test_recognizers_organizations_a_noun_and_a_local_adjective(recognizers, text: str, expected: list[str]) -> None:
    found = recognizers["FrenchOrganizationRecognizer"].analyze(text, ["ORGANIZATION"], None)
    assert [text[r.start:r.end] for r in found if r.recognition_metadata.get("rule_id") == "fr.org.noun_demonym"] \
        == expected


def test_recognizers_organizations_a_kind_before_a_clause_names_nothing(recognizers) -> None:
    text = "L'association s'appelle les jardins de la Garenne, c'est tout petit."
    assert [s for label, s in _found(recognizers["FrenchOrganizationRecognizer"], text)
            if label == "ORGANIZATION" and "appelle" in s] == []


def test_recognizers_organizations_french_words_in_capitals_side_by_side_are_a_heading(recognizers) -> None:
    text = ("RÉUNION PUBLIQUE — Revitalisation du centre\nOn a vu AMORCE et le SMICTOM.\nUN HABITANT : oui\n"
            "le dossier de la MEL\nMél : accueil@exemple.fr\n")
    names = [s for label, s in _found(recognizers["FrenchOrganizationRecognizer"], text) if label == "ORGANIZATION"]
    assert names == ["AMORCE", "SMICTOM", "MEL"]  # "Mél", a label of contact data, blocks no "MEL"



def test_recognizers_organizations_a_word_in_capitals_alone_on_its_line_or_before_a_code(recognizers) -> None:
    text = ("ENTRETIEN E12 — la vie du bourg\nEXCUSÉS :\n- Mme Kervec\nPRÉSENTS\nOn a vu la SAGE du bassin, "
            "AMORCE et la FOIRE\n")
    names = [s for label, s in _found(recognizers["FrenchOrganizationRecognizer"], text) if label == "ORGANIZATION"]
    assert names == ["E12", "SAGE", "AMORCE", "FOIRE"]  # the code goes later (detect.labels' codes)


@pytest.mark.parametrize(("text", "expected"), [
    ("un atelier avec le lycée professionnel Jean-Baptiste-Kléber le jeudi", "lycée professionnel Jean-Baptiste-Kléber"),
    ("à la maison de la nature du Ried le mercredi", "maison de la nature du Ried"),
])
def test_recognizers_organizations_a_kinds_adjective_and_more_kinds(recognizers, text, expected) -> None:
    assert ("ORGANIZATION", expected) in _found(recognizers["FrenchOrganizationRecognizer"], text)


def test_recognizers_organizations_a_known_network_and_its_local_branch(recognizers) -> None:
    text = "On a eu un prêt de France Active Bretagne pour démarrer."
    assert ("ORGANIZATION", "France Active Bretagne") in _found(recognizers["FrenchOrganizationRecognizer"], text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("on a monté l'association les amis du lavoir en 2010", ["amis du lavoir"]),
        ("le collectif la Ruche organise un repas", ["Ruche"]),  # a capitalised name: its capitalised words
        ("l'amicale les anciens de la forge, et puis le bal", ["anciens de la forge"]),
        ("je suis dans la coopérative les paniers d'ici qui livre", ["paniers d'ici"]),
        ("le comité de quartier la Source et nous", ["Source"]),
        # a day, a pronoun, a verb after the article: the sentence goes on, no name
        ("nettoyage collectif le samedi 8 mars", []),
        ("l'association les a aidés, le groupe la même année", []),
        ("l'Association Les Genêts", []),  # a capitalised head: its own rule takes the name whole
    ],
)
def test_recognizers_organizations_named_after_a_lower_case_head(recognizers, text: str, expected) -> None:
    results = recognizers["FrenchOrganizationRecognizer"].analyze(text, None, None)
    assert [text[r.start:r.end] for r in results
            if r.recognition_metadata.get("rule_id") == "fr.org.named_after_head"] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # kinds of local body that, with their place, are one organisation: the whole name
        ("on va à la maison des habitants de Kerbrien le mardi", "maison des habitants de Kerbrien"),
        ("elle est à la maison de retraite de Saint-Alvère depuis", "maison de retraite de Saint-Alvère"),
        ("le centre d'animation de Lagraulet organise", "centre d'animation de Lagraulet"),
        ("au centre médico-social de Plouvénec on", "centre médico-social de Plouvénec"),
        ("la gendarmerie de Plouvénec a appelé", "gendarmerie de Plouvénec"),
        ("les pompiers du centre de secours de Kerbrien", "centre de secours de Kerbrien"),
        ("la résidence autonomie de Lagraulet, puis", "résidence autonomie de Lagraulet"),
        ("La Maison des habitants du Breil ouvre", "Maison des habitants du Breil"),
        ("la Maison de retraite Les Tilleuls accueille", "Maison de retraite Les Tilleuls"),
    ],
)
def test_recognizers_organizations_a_local_body_with_its_place(recognizers, text: str, expected: str) -> None:
    found = _found(recognizers["FrenchOrganizationRecognizer"], text)
    assert ("ORGANIZATION", expected) in found


def test_recognizers_organizations_a_local_body_alone_is_no_name(recognizers) -> None:
    text = "La maison de retraite ferme. La gendarmerie est venue. Le centre de loisirs est plein."
    assert _found(recognizers["FrenchOrganizationRecognizer"], text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("on travaille avec le SMBAL, le syndicat mixte des bus de l'agglomération de Lorvan qui gère tout",
         "syndicat mixte des bus de l'agglomération de Lorvan"),
        ("la CCPV, la communauté de communes du pays de Vérac, a voté", "communauté de communes du pays de Vérac"),
    ],
)
def test_recognizers_organizations_a_long_form_in_apposition_after_its_acronym(recognizers, text, expected) -> None:
    assert ("ORGANIZATION", expected) in _found(recognizers["FrenchOrganizationRecognizer"], text)


def test_recognizers_organizations_an_apposition_that_the_acronym_does_not_spell_is_no_long_form(recognizers) -> None:
    text = "le SMBAL, la commune et nous"
    assert [s for _label, s in _found(recognizers["FrenchOrganizationRecognizer"], text)] == ["SMBAL"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("on passe chez le carrossier, Vernhes et fils a fermé", "Vernhes et fils"),  # partners in lower case
        ("il bosse au Garage Vernhes et frères depuis", "Garage Vernhes et frères"),
        ("on achète le pain chez Lemarquis, le boulanger", "Lemarquis"),  # a trade in the sentence
        ("j'ai bossé six ans chez Tréguier avant", "Tréguier"),
        ("la scierie a été rachetée par Tressolin l'an dernier", "Tressolin"),
    ],
)
def test_recognizers_organizations_a_company_by_its_name(recognizers, text: str, expected: str) -> None:
    assert ("ORGANIZATION", expected) in _found(recognizers["FrenchOrganizationRecognizer"], text)


def test_recognizers_organizations_chez_a_first_name_or_without_trade_is_a_home(recognizers) -> None:
    text = "on va chez Mathilde ce soir. On dîne chez Vernhes demain."
    assert _found(recognizers["FrenchOrganizationRecognizer"], text) == []


def test_recognizers_organizations_a_headings_capitalised_words_are_no_name(recognizers) -> None:
    text = ("Le CCAS de Vernay À Vos Côtés\nDemandes d'aide.\n"
            "Au Val des Roses, Le Jardin Partagé S'agrandit\nOn plante.\n"
            "Le jardin ouvre à Vos Côtés pour les Jeunes Pousses.\n")
    found = [s for _label, s in _found(recognizers["FrenchOrganizationRecognizer"], text)]
    assert "Vos Côtés" not in found[:3] and "Jardin Partagé" not in found and "Le Jardin Partagé" not in found
    assert "CCAS de Vernay" in found and "Val des Roses" in found  # a name keeps its small words in lower case
    assert found.count("Vos Côtés") == 1 and "Jeunes Pousses" in found  # in a sentence, a run stays


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("avec l'association Vivre à l'Escale qui fait les repas", ["Vivre à l'Escale"]),
        ("avec l'association Roue libre Kervec, c'est Olivier", ["Roue libre Kervec"]),  # to its last capital
        ("l'association Emmaüs organise", []),  # one word: the head's own rules
        ("l'association Pierre Martin, président", []),  # a first name: a person
    ],
)
def test_recognizers_organizations_a_capitalised_name_right_after_a_lower_case_head(recognizers, text, expected):
    results = recognizers["FrenchOrganizationRecognizer"].analyze(text, None, None)
    assert [text[r.start:r.end] for r in results
            if r.recognition_metadata.get("rule_id") == "fr.org.named_after_head"] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("les Jardins partagés de la Brelandière et l'épicerie", "Jardins partagés de la Brelandière"),
        ("on voit la régie de Vaulx-le-Haut et celle", "régie de Vaulx-le-Haut"),
        ("avec l'ESAT de Marmagne qui ferait", "ESAT de Marmagne"),  # a generic acronym with its place
        ("le Cercle d'éducation physique d'Ozerieux voilà", "Cercle d'éducation physique d'Ozerieux"),
    ],
)
def test_recognizers_organizations_more_kinds_of_local_body(recognizers, text: str, expected: str) -> None:
    assert ("ORGANIZATION", expected) in _found(recognizers["FrenchOrganizationRecognizer"], text)


def test_recognizers_organizations_gardens_in_lower_case_are_no_body(recognizers) -> None:
    text = "il y a les jardins partagés de la vallée de Kerbrien"
    assert _found(recognizers["FrenchOrganizationRecognizer"], text) == []


@pytest.mark.parametrize(("text", "expected"), [
    # a chain's local shop or branch by its place, and a chain alone
    ("les lots viennent du Super U de Plouay et du Crédit Agricole de Gourin",
     ["Super U de Plouay", "Crédit Agricole de Gourin"]),
    ("les dons de l'Intermarché de Rostrenen et du Carrefour Market de Pacé",
     ["Intermarché de Rostrenen", "Carrefour Market de Pacé"]),  # two chains: two shops, not one
    ("on allait au Leclerc le samedi", ["Leclerc"]),
    # an establishment by its kind's acronym and its name
    ("les repas sont faits par l'ESAT Les Ajoncs de Lanester", ["ESAT Les Ajoncs de Lanester"]),
])
def test_recognizers_organizations_chains_and_establishments_by_their_acronym(recognizers, text, expected) -> None:
    found = {surface for label, surface in _found(recognizers["FrenchOrganizationRecognizer"], text)
             if label == "ORGANIZATION"}
    assert set(expected) <= found and not any(" et " in surface for surface in found)


def test_recognizers_organizations_a_chains_name_in_lower_case_is_a_common_noun(recognizers) -> None:
    found = _found(recognizers["FrenchOrganizationRecognizer"], "la route est coupée au carrefour des Quatre Vents")
    assert not any(surface.startswith("carrefour") for _label, surface in found)  # a crossroads


def test_recognizers_organizations_a_civility_ends_a_bodys_name(recognizers) -> None:
    text = "par l'inspectrice de la circonscription de La Souterraine Mme Touati. Le Dr Bonnefoy est parti."
    found = _found(recognizers["FrenchOrganizationRecognizer"], text)
    assert not any("Mme" in surface or "Dr" in surface or surface == "Le" for _label, surface in found)
