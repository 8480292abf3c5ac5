"""Presidio recognizers for French interviews. Each can be added to any ``AnalyzerEngine``."""

from .contacts import FrAddressRecognizer, FrEmailRecognizer, FrPhoneRecognizer, FrUrlRecognizer
from .known import KnownEntityRecognizer
from .locations import FrenchLocationRecognizer
from .municipalities import MunicipalityRecognizer
from .ner import FrenchNerRecognizer
from .organizations import FrenchOrganizationRecognizer
from .persons import FrenchPersonRecognizer
from .roles import FrenchRoleRecognizer

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
