"""recognizers/roles_speech: what the words before a title say of it (a determiner that makes it
anyone's unless one person is introduced, an auxiliary, a figure of speech), and the parsed
text's verbs that end a title's domain (invented sentences; a hand-tagged blank doc, no model)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
import spacy

from anonymiser.config.rules import Config
from anonymiser.recognizers.roles_speech import Before, before_verb

from .recognizing import by_name


@pytest.fixture(scope="module")
def before(config: Config) -> Before:
    found = by_name(config)["FrenchRoleRecognizer"]._before  # the one built from rules/roles.yaml
    assert isinstance(found, Before)
    return found


def _at(text: str, word: str) -> int:
    return text.index(word)


@pytest.mark.parametrize(("text", "word", "generic"), [
    ("Elle est une chargée de mission comme une autre.", "chargée", True),
    ("Les adjoints se réunissent le lundi.", "adjoints", True),
    ("Il y a une chargée de mission qui nous suit.", "chargée", False),  # one person introduced
    ("Chez nous on a un délégué du préfet pour le quartier.", "délégué", False),
    ("Demain la maire ouvre la séance.", "maire", False),  # a definite article: one person
])
def test_recognizers_roles_speech_a_determiner_makes_a_title_anyones(before: Before, text: str, word: str,
                                                                     generic: bool) -> None:
    assert before.generic(text, _at(text, word)) is generic


def test_recognizers_roles_speech_an_auxiliary_and_a_figure_of_speech(before: Before) -> None:
    text = "Cette année on a élu un bureau, et c'est un peu le maire du quartier."
    assert before.after_auxiliary(text, _at(text, "élu"))
    assert not before.after_auxiliary(text, _at(text, "bureau"))
    assert before.hedged(text, _at(text, "maire"))
    plain = "Hier le maire du quartier est passé."
    assert not before.hedged(plain, _at(plain, "maire"))


def test_recognizers_roles_speech_word_lists_are_read_folded() -> None:
    own = Before(generic=("Une",), introducers=("Il y a",), verb_before=("A",), hedges=("Comme La",))
    text = "il y a une secrétaire, une secrétaire, on a nommé, comme la secrétaire"
    first, second = text.index("secrétaire"), text.index("secrétaire", text.index("secrétaire") + 1)
    assert not own.generic(text, first) and own.generic(text, second)
    assert own.after_auxiliary(text, text.index("nommé"))
    assert own.hedged(text, text.rindex("secrétaire"))


def _parsed(text: str, pos: dict[str, str]) -> SimpleNamespace:
    doc = spacy.blank("fr").make_doc(text)
    for token in doc:
        token.pos_ = pos.get(token.text, "NOUN")
    return SimpleNamespace(tokens=doc, nlp_engine=SimpleNamespace())


def test_recognizers_roles_speech_a_domain_ends_before_a_verb() -> None:
    text = "l'adjointe à la culture viendra jeudi"
    start = text.index("à la")
    parsed = _parsed(text, {"viendra": "VERB", "à": "ADP", "la": "DET"})
    assert text[:before_verb(parsed, start, len(text))] == "l'adjointe à la culture"
    assert before_verb(None, start, len(text)) == len(text)  # no parsed text: the end unchanged
    # a participle is a title's word
    said = "conseillère municipale déléguée à la jeunesse"
    tagged = _parsed(said, {"déléguée": "VERB"})
    assert before_verb(tagged, said.index("municipale"), len(said)) == len(said)
