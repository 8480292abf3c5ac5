"""Contact data for French text: phones (+33 / 0X XX XX XX XX), e-mails, URLs, postal addresses.

E-mail validation uses ``tldextract`` with its bundled public-suffix snapshot only: no
network access, ever.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

import tldextract
from presidio_analyzer import Pattern, PatternRecognizer, RecognizerResult
from presidio_analyzer.predefined_recognizers import EmailRecognizer, UrlRecognizer

from anonymiser.config.rules import PatternRule


@lru_cache(maxsize=1)
def offline_tld_extractor() -> tldextract.TLDExtract:
    """A ``TLDExtract`` that never downloads: bundled snapshot, no cache directory."""
    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None, fallback_to_snapshot=True)


def _patterns(rules: tuple[PatternRule, ...]) -> list[Pattern]:
    return [Pattern(rule.id, rule.regex, rule.score) for rule in rules]


class FrPhoneRecognizer(PatternRecognizer):
    """French phone numbers: ``02 41 87 55 10``, ``06.12.34.56.78``, ``+33 6 12 34 56 78``."""

    def __init__(self, rules: tuple[PatternRule, ...], supported_language: str = "fr") -> None:
        super().__init__(
            supported_entity="PHONE_NUMBER", patterns=_patterns(rules), name="FrPhoneRecognizer",
            supported_language=supported_language, global_regex_flags=re.MULTILINE,
        )


class FrAddressRecognizer(PatternRecognizer):
    """Postal addresses: ``12 rue des Lilas, 49000 Angers``."""

    def __init__(self, rules: tuple[PatternRule, ...], supported_language: str = "fr") -> None:
        super().__init__(
            supported_entity="ADDRESS", patterns=_patterns(rules), name="FrAddressRecognizer",
            supported_language=supported_language, global_regex_flags=re.MULTILINE,
        )


class FrEmailRecognizer(EmailRecognizer):
    """Presidio's e-mail recognizer, validated against the offline suffix list."""

    def __init__(self, rule: PatternRule, supported_language: str = "fr") -> None:
        patterns = [Pattern(rule.id, p.regex, rule.score) for p in EmailRecognizer.PATTERNS]
        super().__init__(patterns=patterns, supported_language=supported_language,
                         name="FrEmailRecognizer")

    def analyze(self, text: str, entities: list[str], nlp_artifacts: Any = None,
                regex_flags: int | None = None) -> list[RecognizerResult]:
        if "@" not in text:  # most texts: no need to run the pattern at every position
            return []
        return super().analyze(text, entities, nlp_artifacts, regex_flags)

    def validate_result(self, pattern_text: str) -> bool:
        return offline_tld_extractor()(pattern_text.split("@")[-1]).fqdn != ""


class FrUrlRecognizer(UrlRecognizer):
    """URLs with our own patterns (``rules/contacts.yaml``): Presidio's generic pattern
    backtracks badly on long runs of dots, ours stay linear."""

    def __init__(self, rules: tuple[PatternRule, ...], supported_language: str = "fr") -> None:
        super().__init__(patterns=_patterns(rules), supported_language=supported_language,
                         name="FrUrlRecognizer")
