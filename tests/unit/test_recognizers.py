"""recognizers: ``french_recognizers()`` builds every French recognizer from the rules, each one
usable in any Presidio ``AnalyzerEngine`` (the recognizers themselves: test_recognizers_<module>.py)."""

from __future__ import annotations

from presidio_analyzer import EntityRecognizer

from anonymiser.recognizers import french_recognizers
from anonymiser.recognizers.base import rule_id_of

EXPECTED = ["FrPhoneRecognizer", "FrEmailRecognizer", "FrUrlRecognizer", "FrAddressRecognizer",
            "FrenchPersonRecognizer", "PersonFormsRecognizer", "FrenchRoleRecognizer", "FrenchOrganizationRecognizer",
            "FrenchLocationRecognizer", "MunicipalityRecognizer", "ArrondissementRecognizer",
            "NamingRecognizer", "TranscriptNameRecognizer", "FrenchNerRecognizer"]


def test_recognizers_french_recognizers_all_from_the_rules(config) -> None:
    recognizers = french_recognizers(config)
    assert [r.name for r in recognizers] == EXPECTED
    assert all(isinstance(r, EntityRecognizer) and r.supported_language == config.language for r in recognizers)
    labels = {label for r in recognizers for label in r.supported_entities}
    assert {"PERSON", "ROLE", "ORGANIZATION", "MUNICIPALITY", "LOCATION", "EMAIL_ADDRESS", "PHONE_NUMBER", "URL",
            "ADDRESS"} <= labels


def test_recognizers_french_recognizers_default_to_the_bundled_rules(config) -> None:
    assert [r.name for r in french_recognizers()] == EXPECTED


def test_recognizers_every_result_names_its_rule(config) -> None:
    text = ("M. Tessier, le maire de Lusignan, a réuni le CCAS de Rezé au 12 rue des Lilas, 49000 Angers ; "
            "appelez le 02 41 87 55 10 ou écrivez à accueil@velocite-angers.fr.")
    results = [(r.name, result) for r in french_recognizers(config) for result in r.analyze(text, [], None)]
    names = {name for name, _result in results}
    assert {"FrPhoneRecognizer", "FrEmailRecognizer", "FrAddressRecognizer", "FrenchPersonRecognizer",
            "FrenchRoleRecognizer", "FrenchOrganizationRecognizer", "MunicipalityRecognizer"} <= names
    for name, result in results:
        rule = rule_id_of(result)
        assert rule and rule != "unknown", name
        assert 0 < result.score <= 1 and 0 <= result.start < result.end <= len(text)


def test_recognizers_corpus_markers_are_never_a_mention(config) -> None:
    text = "ENQ : et le CCAS de Rezé ?\nINT : XXX, on reprend.\n"
    results = [result for r in french_recognizers(config) if r.name != "FrenchNerRecognizer"
               for result in r.analyze(text, [], None)]
    found = {text[r.start:r.end] for r in results}
    assert "CCAS de Rezé" in found and not found & {"ENQ", "INT", "XXX"}
