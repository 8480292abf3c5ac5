"""config/persons: the ``forms`` section of rules/persons.yaml, typed and validated (an error names
the key), and the ordinary words a first name of ``not_words`` is taken out of."""

from __future__ import annotations

import pytest

from anonymiser.config.persons import PersonForms
from anonymiser.config.rules import Config
from anonymiser.errors import ConfigError


def test_config_persons_section_is_validated() -> None:
    assert PersonForms.of(None, "persons.yaml") == PersonForms()
    assert PersonForms.of({"fillers": ["euh"], "max_word_rank": 10}, "persons.yaml").max_word_rank == 10
    for bad in ({"fillers": "euh"}, {"max_word_rank": "10"}, {"max_word_rank": True}, {"filers": []}, ["euh"]):
        with pytest.raises(ConfigError):
            PersonForms.of(bad, "persons.yaml")


@pytest.mark.parametrize(("data", "key"), [
    ({"kin_markers": ["la mère", 3]}, "forms.kin_markers"),  # a list of words only
    ({"max_surname_rank": -1}, "forms.max_surname_rank"),  # a rank is no negative number
    ({"fillers": ["euh"], "filers": ["bah"]}, "forms.filers"),  # an unknown key, named
])
def test_config_persons_an_error_names_the_key(data: dict[str, object], key: str) -> None:
    with pytest.raises(ConfigError) as error:
        PersonForms.of(data, "persons.yaml")
    assert key in str(error.value) and "persons.yaml" in str(error.value)


def test_config_persons_lists_are_tuples_in_their_order() -> None:
    forms = PersonForms.of({"short_forms": ["Seb", "Nath"], "nickname_verbs": ["surnommé"], "max_word_rank": 0},
                           "persons.yaml")
    assert forms.short_forms == ("Seb", "Nath") and forms.nickname_verbs == ("surnommé",)
    assert forms.fillers == () and forms.max_word_rank == 0


def test_config_persons_ordinary_words_less_the_first_names_that_are_none() -> None:
    forms = PersonForms(not_words=("Gilles", "Élise"))
    words = frozenset({"gilles", "élise", "rose", "pierre"})
    assert forms.ordinary_words(words) == frozenset({"rose", "pierre"})
    assert PersonForms().ordinary_words(words) == words


def test_config_persons_the_bundled_forms(config: Config) -> None:
    forms = config.person_forms
    assert "la mère" in forms.kin_markers and forms.max_word_rank > 0
    assert forms.fillers and all(isinstance(w, str) for w in forms.fillers)
