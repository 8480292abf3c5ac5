"""recognizers/contacts: phone numbers, e-mail addresses (offline), postal addresses and URLs of any top-level domain
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
        ("Appelez le 02 41 87 55 10.", "02 41 87 55 10"),
        ("Portable : 06.12.34.56.78", "06.12.34.56.78"),
        ("ou le +33 6 12 34 56 78 !", "+33 6 12 34 56 78"),
    ],
)
def test_recognizers_contacts_phone(recognizers, text: str, expected: str) -> None:
    assert ("PHONE_NUMBER", expected) in _found(recognizers["FrPhoneRecognizer"], text)


def test_recognizers_contacts_email_offline(recognizers) -> None:
    text = "Écrivez à accueil@velocite-angers.fr pour tout."
    assert ("EMAIL_ADDRESS", "accueil@velocite-angers.fr") in _found(recognizers["FrEmailRecognizer"], text)


def test_recognizers_contacts_address(recognizers) -> None:
    text = "Le siège est au 12 rue des Lilas, 49000 Angers depuis 2019."
    assert ("ADDRESS", "12 rue des Lilas, 49000 Angers") in _found(recognizers["FrAddressRecognizer"], text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ils vivaient au 12 rue des Vanniers, près du pont", "12 rue des Vanniers"),
        ("elle habitait douze rue des Vanniers, près du pont", "douze rue des Vanniers"),  # said in words
        ("au vingt-trois bis avenue Firmin Laborde on", "vingt-trois bis avenue Firmin Laborde"),
        ("chez lui euh un rue de la Forge le sept mai", "un rue de la Forge"),
    ],
)
def test_recognizers_contacts_a_house_number_and_its_street(recognizers, text: str, expected: str) -> None:
    assert ("ADDRESS", expected) in _found(recognizers["FrAddressRecognizer"], text)


def test_recognizers_contacts_numbers_before_a_common_street_are_no_address(recognizers) -> None:
    text = "il y a deux rues plus loin, trois place du marché, et la rue de la Gare."
    assert _found(recognizers["FrAddressRecognizer"], text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [("site : www.kerlenn-energies.bzh.", "www.kerlenn-energies.bzh"), ("voir http://coop-ouest.bzh", "http://coop-ouest.bzh")],
)
def test_recognizers_contacts_url_any_tld(recognizers, text: str, expected: str) -> None:
    assert ("URL", expected) in _found(recognizers["FrUrlRecognizer"], text)
