"""config/spoken: rules/spoken.yaml typed and validated (hand-built mappings)."""

from __future__ import annotations

import copy

import pytest
import yaml

from anonymiser.config.load import bundled_rules
from anonymiser.config.spoken import SpokenRules
from anonymiser.errors import ConfigError


@pytest.fixture(scope="module")
def data() -> dict:
    return yaml.safe_load((bundled_rules() / "spoken.yaml").read_text(encoding="utf-8"))


def test_config_spoken_bundled_rules_load(data) -> None:
    rules = SpokenRules.from_data(data, "spoken.yaml")
    assert "onzième" in rules.arrondissements.ordinals
    assert rules.transcript_names.min_turns >= 2 and 0 < rules.transcript_names.lowercase_share <= 1
    assert "s'appelle" in rules.naming.verbs


def test_config_spoken_markers_match_whole_detections_only(data) -> None:
    rules = SpokenRules.from_data(data, "spoken.yaml")
    assert rules.is_marker("417PERS") and rules.is_marker("[rires]") and rules.is_marker("00:12:34")
    assert not rules.is_marker("Perrine") and not rules.is_marker("XXe arrondissement")


def test_config_spoken_nationalities_in_every_form(data) -> None:
    forms = SpokenRules.from_data(data, "spoken.yaml").nationality_forms()
    assert {"chinois", "chinoise", "chinoises", "italien", "italienne", "italiens", "belge", "belges"} <= forms


@pytest.mark.parametrize(
    ("path", "value", "key"),
    [
        (("arrondissements", "ordinals"), "onzième", "arrondissements.ordinals"),
        (("transcript_names", "min_turns"), "five", "transcript_names.min_turns"),
        (("naming", "max_words"), True, "naming.max_words"),
        (("markers",), ["(unclosed"], "markers[0]"),
    ],
)
def test_config_spoken_bad_values_name_their_key(data, path, value, key) -> None:
    bad = copy.deepcopy(data)
    target = bad
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value
    with pytest.raises(ConfigError) as error:
        SpokenRules.from_data(bad, "spoken.yaml")
    assert key in str(error.value)
