"""recognizers/named_after: an organisation named after its lower-case kind word, with an article
("le collectif la Ruche") or without one, capitalised ("l'association Roue libre Moselotte"); the
span is the name alone (invented sentences; a hand-tagged doc stands for the parsed text)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
import spacy

from anonymiser.config.rules import Config
from anonymiser.recognizers.named_after import NamedAfterHead


@pytest.fixture(scope="module")
def heads(config: Config) -> NamedAfterHead:
    return NamedAfterHead(config.org_named_after, config.org_named_after_stop)


def _parsed(text: str, pos: dict[str, str]) -> SimpleNamespace:
    """Parsed artefacts whose tokens have the part of speech of ``pos`` (a noun otherwise)."""
    doc = spacy.blank("fr").make_doc(text)
    for token in doc:
        token.pos_ = pos.get(token.text, "NOUN")
    return SimpleNamespace(tokens=doc, nlp_engine=SimpleNamespace())


@pytest.mark.parametrize(("text", "expected"), [
    ("Le samedi, le collectif la Ruche tient le marché.", ["Ruche"]),
    ("On a rejoint l'association les amis du moulin.", ["amis du moulin"]),
    ("Elle préside la coopérative les paniers de Lise, depuis mai.", ["paniers de Lise"]),
    ("Les petits vont à la crèche les lutins du parc le lundi.", ["lutins du parc"]),
])
def test_recognizers_named_after_a_name_after_a_kind_and_an_article(heads: NamedAfterHead, text: str,
                                                                    expected: list[str]) -> None:
    assert [text[a:b] for a, b in heads.find(text, None)] == expected


@pytest.mark.parametrize("text", [
    "On a vu l'Association Les Amis du moulin hier.",  # a capitalised head: the name's own rule
    "Il en parle avec l'association les amis qui viennent.",  # one lower-case word: the sentence's noun
    "Rien de prévu pour le collectif cette année.",  # no article, no name
    "T'as le comité des fêtes le président du comité, c'est lui.",  # a title after the article: a person's
])
def test_recognizers_named_after_no_name_after_the_kind(heads: NamedAfterHead, text: str) -> None:
    assert list(heads.find(text, None)) == []


def test_recognizers_named_after_the_name_ends_before_a_verb_of_the_parsed_text(heads: NamedAfterHead) -> None:
    text = "Ici l'association les amis du moulin organise la fête."
    assert [text[a:b] for a, b in heads.find(text, None)] == ["amis du moulin organise la fête"]
    parsed = _parsed(text, {"organise": "VERB", "du": "ADP"})
    assert [text[a:b] for a, b in heads.find(text, None, parsed)] == ["amis du moulin"]


def test_recognizers_named_after_an_article_before_a_verb_was_a_pronoun(heads: NamedAfterHead) -> None:
    text = "Le samedi, le club les accueille dans la grande salle."
    parsed = _parsed(text, {"accueille": "VERB", "dans": "ADP", "la": "DET"})
    assert list(heads.find(text, None, parsed)) == []


@pytest.mark.parametrize(("text", "expected"), [
    ("Il a monté l'association Roue libre Garonnette en mai.", ["Roue libre Garonnette"]),
    ("Elle anime l'association Vivre à l'Escalette le soir.", ["Vivre à l'Escalette"]),
    # one capitalised word: the organisations' recognizer says whether it is a name
    ("On a l'association Emmaüs pas loin.", ["Emmaüs"]),
])
def test_recognizers_named_after_a_bare_capitalised_name(heads: NamedAfterHead, text: str,
                                                         expected: list[str]) -> None:
    assert [text[a:b] for a, b in heads.find_bare(text, None)] == expected
    assert list(heads.find(text, None)) == []  # no article: not the first shape


def test_recognizers_named_after_no_kind_words_no_names() -> None:
    empty = NamedAfterHead((), ())
    text = "le collectif la Ruche et l'association Roue libre Garonnette"
    assert list(empty.find(text, None)) == [] and list(empty.find_bare(text, None)) == []
