"""Presidio recognizers for French interviews. Each can be added to any ``AnalyzerEngine``."""

from anonymiser.recognizers.contacts import (
    FrAddressRecognizer,
    FrEmailRecognizer,
    FrPhoneRecognizer,
    FrUrlRecognizer,
)
from anonymiser.recognizers.known import KnownEntityRecognizer
from anonymiser.recognizers.locations import FrenchLocationRecognizer
from anonymiser.recognizers.municipalities import MunicipalityRecognizer
from anonymiser.recognizers.ner import FrenchNerRecognizer
from anonymiser.recognizers.organizations import FrenchOrganizationRecognizer
from anonymiser.recognizers.persons import FrenchPersonRecognizer
from anonymiser.recognizers.roles import FrenchRoleRecognizer

__all__ = [
    "FrAddressRecognizer",
    "FrEmailRecognizer",
    "FrPhoneRecognizer",
    "FrUrlRecognizer",
    "FrenchLocationRecognizer",
    "FrenchNerRecognizer",
    "FrenchOrganizationRecognizer",
    "FrenchPersonRecognizer",
    "FrenchRoleRecognizer",
    "KnownEntityRecognizer",
    "MunicipalityRecognizer",
]
