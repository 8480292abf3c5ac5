"""config/rules: the typed sections; PseudonymRules.check_strategies accepts only the strategies
rules/pseudonyms.yaml allows per label, and its errors name the file (or option) and the label."""

from __future__ import annotations

import dataclasses

import pytest

from anonymiser.config.rules import STRATEGIES, Config, PatternRule, PseudonymRules
from anonymiser.errors import ConfigError


@pytest.fixture()
def rules(config: Config) -> PseudonymRules:
    allowed = {"PERSON": ("realistic", "tag", "redact"), "MUNICIPALITY": ("realistic", "generalise"), "URL": ()}
    return dataclasses.replace(config.pseudonym_rules, allowed=allowed)


def test_config_rules_check_strategies_accepts_allowed_choices(rules: PseudonymRules) -> None:
    choice = {"PERSON": "tag", "MUNICIPALITY": "generalise"}
    checked = rules.check_strategies(choice, "--strategy")
    assert checked == choice and checked is not choice  # a copy: the caller's dict is not kept
    assert rules.check_strategies({}, "--strategy") == {}


@pytest.mark.parametrize(("choice", "message"), [
    ({"NAME": "tag"}, "--strategy: unknown label 'NAME' in strategies"),
    ({"MUNICIPALITY": "tag"},
     "--strategy: strategy 'tag' is not allowed for MUNICIPALITY (allowed: realistic, generalise)"),
    ({"URL": "tag"}, "--strategy: strategy 'tag' is not allowed for URL (allowed: none)"),
    ({"ROLE": "redact"}, "--strategy: strategy 'redact' is not allowed for ROLE (allowed: none)"),
])
def test_config_rules_check_strategies_refuses_naming_where_and_the_label(rules: PseudonymRules, choice: dict[str, str],
                                                                          message: str) -> None:
    with pytest.raises(ConfigError) as info:
        rules.check_strategies(choice, "--strategy")
    assert str(info.value) == message and info.value.code == "E001"


def test_config_rules_bundled_strategies_are_allowed(config: Config) -> None:
    rules = config.pseudonym_rules
    assert rules.check_strategies(rules.strategies, "pseudonyms.yaml") == rules.strategies
    assert set(rules.strategies.values()) <= set(STRATEGIES)
    assert all(set(allowed) <= set(STRATEGIES) for allowed in rules.allowed.values())


def test_config_rules_sections_are_frozen(config: Config) -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        config.model = "autre"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        PatternRule("fr.phone", r"\d+", 0.5).score = 1.0  # type: ignore[misc]
    assert 0 <= config.review.low_score <= 1 and config.review.min_typo_length > 0


def test_config_rules_propagation_rules_are_checked_and_name_the_key(tmp_path) -> None:
    import pytest

    from anonymiser.config.rules import PropagationRules
    from anonymiser.errors import ConfigError

    good = {"strong_rules": ["fr.person.*"], "markers": ["ENQ"], "marker_patterns": [r"^\d+\w+$"], "min_places": 3}
    rules = PropagationRules.of(good, tmp_path / "propagation.yaml")
    assert rules.markers == frozenset({"enq"}) and rules.min_places == 3 and rules.min_letters == 4
    for bad, key in [({**good, "marker_patterns": ["("]}, "marker_patterns[0]"), ({**good, "markers": [True]}, "markers"),
                     ({**good, "min_places": 0}, "min_places")]:
        with pytest.raises(ConfigError, match=key.replace("[", r"\[").replace("]", r"\]")):
            PropagationRules.of(bad, tmp_path / "propagation.yaml")


def test_config_rules_the_bundled_propagation_rules(config) -> None:
    rules = config.propagation
    assert "fr.person.*" in rules.strong_rules and not any(r.startswith("fr.ner") for r in rules.strong_rules)
    assert {"enq", "xxx"} <= rules.markers and rules.min_letters == 4


@pytest.mark.parametrize("surface", ["ENQ", "Enq.", "INT", "Q", "R", "Interviewer", "E1", "P2", "E07", "417PERS",
                                     "[00:12:34]", "00:12:34", "XXX", "XXXX", "(inaudible)", "[...]", "[rires]",
                                     "(silence)", "(rires)", "[Rires]", " ENQ ", "ANIM.", "OBS", "Obs."])
def test_config_rules_transcript_conventions_are_recognised(config: Config, surface: str) -> None:
    assert config.is_convention(surface)


@pytest.mark.parametrize("surface", ["Nadia", "Lorient", "Mme Haddad", "Les Pousses du Moulin", "CCAS", "Q2 2024", "7e"])
def test_config_rules_names_are_not_conventions(config: Config, surface: str) -> None:
    assert not config.is_convention(surface)


def test_config_rules_keep_is_a_strategy_for_places_and_bodies_never_for_people(config: Config) -> None:
    assert "keep" in STRATEGIES
    allowed = config.pseudonym_rules.allowed
    assert {label for label, choices in allowed.items() if "keep" in choices} == {
        "ROLE", "ORGANIZATION", "MUNICIPALITY", "LOCATION"}


def test_config_rules_check_strategies_names_the_label_in_french(rules: PseudonymRules) -> None:
    from anonymiser.i18n import set_language

    with pytest.raises(ConfigError) as info:
        rules.check_strategies({"MUNICIPALITY": "tag"}, "--strategy")
    set_language("fr")
    assert "n'est pas permise pour Commune" in str(info.value) and "MUNICIPALITY" not in str(info.value)
