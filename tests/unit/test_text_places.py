import random

import pytest

from anonymiser.config.load import _pseudonym_rules
from anonymiser.config.rules import Config
from anonymiser.errors import ConfigError
from anonymiser.text.places import (
    Commune,
    CommuneRule,
    Gazetteer,
    describe_commune,
    invent_place,
    split_composed,
)

RULES = (
    CommuneRule("un arrondissement d'une grande ville", kind="arrondissement-municipal"),
    CommuneRule("une grande ville", min_population=100000),
    CommuneRule("une commune de la métropole", epci=("METRO",)),
    CommuneRule("une ville moyenne", min_population=20000),
    CommuneRule("une petite ville", min_population=3000),
    CommuneRule("une petite commune rurale"),
)


@pytest.mark.parametrize(
    ("commune", "expected"),
    [
        (Commune("Grandeville", "commune-actuelle", 250000, "METRO"), "une grande ville"),
        (Commune("Banlieue", "commune-actuelle", 40000, "METRO"), "une commune de la métropole"),
        (Commune("Moyenne", "commune-actuelle", 40000, "CA"), "une ville moyenne"),
        (Commune("Petite", "commune-actuelle", 12000, "CC"), "une petite ville"),
        (Commune("Hameau", "commune-actuelle", 300, "CC"), "une petite commune rurale"),
        (Commune("Ville 5e", "arrondissement-municipal", 60000, "METRO"), "un arrondissement d'une grande ville"),
        (None, "une commune"),
    ],
)
def test_places_describe_commune(commune, expected: str) -> None:
    assert describe_commune(commune, RULES, "une commune") == expected


def test_places_gazetteer_article_and_homonyms() -> None:
    gazetteer = Gazetteer([Commune("Le Havre", "commune-actuelle", 170000, "CU"),
                           Commune("Saint-Priest", "commune-actuelle", 600, "CC"),
                           Commune("Saint-Priest", "commune-actuelle", 48000, "METRO")])
    assert gazetteer.takes_article("Havre") and not gazetteer.takes_article("Le Havre")
    assert gazetteer.get("Havre").population == 170000
    assert gazetteer.get("saint priest").population == 48000  # the most populous homonym


def test_places_invented_names_are_never_real(config: Config) -> None:
    """Raw candidates may hit a real commune: the assignment stage skips those (checked here)."""
    gazetteer = Gazetteer(config.gazetteer)
    parts = config.pseudonym_rules.places
    names = [invent_place(random.Random(seed), parts) for seed in range(300)]
    real = [n for n in names if n in gazetteer]
    assert len(real) < len(names) // 4  # mostly invented already
    assert all(n[:1].isupper() and "  " not in n for n in names)


def test_places_split_composed() -> None:
    assert split_composed("Villeneuve-lès-Avignon", ("lès", "lez")) == ("Villeneuve", "-lès-", "Avignon")
    assert split_composed("Saint-Priest-en-Jarez", ("lès", "lez")) is None


def test_places_rules_errors_name_file_and_key(tmp_path) -> None:
    import yaml

    from anonymiser.config.load import DEFAULT_RULES

    data = yaml.safe_load((DEFAULT_RULES / "pseudonyms.yaml").read_text(encoding="utf-8"))
    path = tmp_path / "pseudonyms.yaml"
    data["strategies"]["PERSON"] = "generalise"
    with pytest.raises(ConfigError, match=r"pseudonyms.yaml: strategy 'generalise' is not allowed for PERSON"):
        _pseudonym_rules(data, path)
    data["strategies"]["PERSON"] = "realistic"
    data["allowed"]["ROLE"] = ["realistic", "scramble"]
    with pytest.raises(ConfigError, match=r"unknown strategy 'scramble' in 'allowed.ROLE'"):
        _pseudonym_rules(data, path)
