"""Rule recognizers on hand-built texts (no spaCy model needed)."""

import pytest

from anonymiser.recognizers import french_recognizers


@pytest.fixture(scope="module")
def recognizers(config):
    return {r.name: r for r in french_recognizers(config)}


def _found(recognizer, text: str) -> list[tuple[str, str]]:
    return [(r.entity_type, text[r.start:r.end]) for r in recognizer.analyze(text, None, None)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Appelez le 02 41 87 55 10.", "02 41 87 55 10"),
        ("Portable : 06.12.34.56.78", "06.12.34.56.78"),
        ("ou le +33 6 12 34 56 78 !", "+33 6 12 34 56 78"),
    ],
)
def test_recognizers_phone(recognizers, text: str, expected: str) -> None:
    assert ("PHONE_NUMBER", expected) in _found(recognizers["FrPhoneRecognizer"], text)


def test_recognizers_email_offline(recognizers) -> None:
    text = "Écrivez à accueil@velocite-angers.fr pour tout."
    assert ("EMAIL_ADDRESS", "accueil@velocite-angers.fr") in _found(recognizers["FrEmailRecognizer"], text)


def test_recognizers_address(recognizers) -> None:
    text = "Le siège est au 12 rue des Lilas, 49000 Angers depuis 2019."
    assert ("ADDRESS", "12 rue des Lilas, 49000 Angers") in _found(recognizers["FrAddressRecognizer"], text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Quand M. Tessier est arrivé", "Tessier"),
        ("J'ai vu Isabelle Marchal hier", "Isabelle Marchal"),
        ("avec J.-P. ROUSSEL et d'autres", "J.-P. ROUSSEL"),
        ("Anne de La Salle nous a reçus", "Anne de La Salle"),
        ("Mme N'Diaye est venue", "N'Diaye"),
        ("Nadia : oui, tout à fait.", "Nadia"),
        ("avec Bruno Kerleau du CCAS de Poitiers", "Bruno Kerleau"),
    ],
)
def test_recognizers_person(recognizers, text: str, expected: str) -> None:
    assert ("PERSON", expected) in _found(recognizers["FrenchPersonRecognizer"], text)


@pytest.mark.parametrize("text", ["Enquêtrice : alors ?", "La Région finance.", "Les chefs d'entreprise"])
def test_recognizers_person_not_found(recognizers, text: str) -> None:
    assert _found(recognizers["FrenchPersonRecognizer"], text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("M. Tessier, le maire de Lusignan, a réuni", "maire de Lusignan"),
        ("Nadia Haddad, Responsable Développement – Entreprises à la Communauté",
         "Responsable Développement – Entreprises"),
    ],
)
def test_recognizers_role(recognizers, text: str, expected: str) -> None:
    assert ("ROLE", expected) in _found(recognizers["FrenchRoleRecognizer"], text)


def test_recognizers_generic_role_not_found(recognizers) -> None:
    assert _found(recognizers["FrenchRoleRecognizer"], "les chefs d'entreprise et un élu sont venus") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("avec le CCAS de Rezé depuis", "CCAS de Rezé"),
        ("la Ville de Poitiers finance", "Ville de Poitiers"),
        ("et Angers Loire Métropole aussi", "Angers Loire Métropole"),
        ("la Région Nouvelle-Aquitaine", "Région Nouvelle-Aquitaine"),
    ],
)
def test_recognizers_organization(recognizers, text: str, expected: str) -> None:
    assert ("ORGANIZATION", expected) in _found(recognizers["FrenchOrganizationRecognizer"], text)


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
    ],
)
def test_recognizers_municipality(recognizers, text: str, expected: list[str]) -> None:
    found = [t for label, t in _found(recognizers["MunicipalityRecognizer"], text) if label == "MUNICIPALITY"]
    assert found == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("elle habite la tour Bizet depuis", "Bizet"),
        ("nous sommes quai de la Fosse.", "Fosse"),
        ("entre la Loire et le Layon, on", "Layon"),
        ("dans la plaine du Var, il", "Var"),
        ("les familles des Musiciens et du centre", "Musiciens"),
        ("au 3 rue Jean-Jaurès on", "Jean-Jaurès"),
    ],
)
def test_recognizers_location(recognizers, text: str, expected: str) -> None:
    assert ("LOCATION", expected) in _found(recognizers["FrenchLocationRecognizer"], text)


@pytest.mark.parametrize("text", ["Un parc calme.", "une rue calme", "la rivière déborde"])
def test_recognizers_location_not_found(recognizers, text: str) -> None:
    assert _found(recognizers["FrenchLocationRecognizer"], text) == []


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
    ],
)
def test_recognizers_role_forms(recognizers, text: str, expected: str) -> None:
    assert ("ROLE", expected) in _found(recognizers["FrenchRoleRecognizer"], text)


@pytest.mark.parametrize(
    "text",
    ["les adjoints aux sports se réunissent", "une chargée de mission ESS est arrivée", "je suis conseillère depuis huit ans"],
)
def test_recognizers_generic_roles_not_found(recognizers, text: str) -> None:
    assert _found(recognizers["FrenchRoleRecognizer"], text) == []


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
def test_recognizers_organization_forms(recognizers, text: str, expected: str) -> None:
    assert ("ORGANIZATION", expected) in _found(recognizers["FrenchOrganizationRecognizer"], text)


@pytest.mark.parametrize(
    "text",
    ["Une SCIC et une SCOP, le PLU et l'ESS.", "C'est TRÈS important.", "TERRITOIRES COOPÉRATIFS – FOCUS GROUP N° 2"],
)
def test_recognizers_generic_acronyms_and_headings_not_found(recognizers, text: str) -> None:
    assert _found(recognizers["FrenchOrganizationRecognizer"], text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [("site : www.kerlenn-energies.bzh.", "www.kerlenn-energies.bzh"), ("voir http://coop-ouest.bzh", "http://coop-ouest.bzh")],
)
def test_recognizers_url_any_tld(recognizers, text: str, expected: str) -> None:
    assert ("URL", expected) in _found(recognizers["FrUrlRecognizer"], text)
