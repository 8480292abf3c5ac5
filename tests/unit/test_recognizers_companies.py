"""recognizers/companies: a company said by its name alone where the sentence makes it one: after
"racheté par", or after "chez" with a word of trade or work in the sentence; "chez" a first name,
or with no such word, is someone's home (invented sentences, no spaCy model)."""

from __future__ import annotations

import pytest

from anonymiser.config.rules import Config
from anonymiser.recognizers import _given_names
from anonymiser.recognizers.companies import CompanyContext
from anonymiser.text.fold import fold


@pytest.fixture(scope="module")
def companies(config: Config) -> CompanyContext:
    blocked = frozenset(fold(w) for w in (*config.ner_stoplist, *config.civilities))
    return CompanyContext(config.org_company_acquired, (*config.org_company_words, *config.org_trade_heads),
                          _given_names(config), blocked)


def _names(companies: CompanyContext, text: str) -> list[str]:
    return [text[a:b] for a, b in companies.find(text)]


@pytest.mark.parametrize(("text", "expected"), [
    ("La fromagerie a été rachetée l'an dernier par Garrigoux.", ["Garrigoux"]),
    ("L'atelier a été repris par Vidalenc et Fils en mai.", ["Vidalenc et Fils"]),
    ("On achète le pain de chez Lestrade, le boulanger du coin.", ["Lestrade"]),
    ("J'ai bossé dix ans chez Vernhouset à la chaîne.", ["Vernhouset"]),
])
def test_recognizers_companies_the_sentence_makes_it_a_company(companies: CompanyContext, text: str,
                                                               expected: list[str]) -> None:
    assert _names(companies, text) == expected


@pytest.mark.parametrize("text", [
    "Ce soir on mange chez Vernhouset avec les cousins.",  # no word of trade or work: a home
    "J'ai bossé tout l'été chez Mathilde.",  # a first name: a person's home
    "Il est boulanger. Le soir on dîne chez Lestrade.",  # the trade word is in another sentence
    "Elle a été rachetée par un groupe.",  # no capitalised name after "par"
])
def test_recognizers_companies_no_company(companies: CompanyContext, text: str) -> None:
    assert _names(companies, text) == []


def test_recognizers_companies_without_word_lists_nothing_is_announced() -> None:
    empty = CompanyContext((), (), frozenset(), frozenset())
    assert list(empty.find("rachetée par Garrigoux, le pain de chez Lestrade le boulanger")) == []
