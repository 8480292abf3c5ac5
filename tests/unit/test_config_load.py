"""anonymiser.config: loading rules/ into typed sections; errors name the file and the key.

Each test loads a small rules folder of its own: the shipped YAML files with hand-made word lists
and tables (a few invented rows), so that a load takes milliseconds and a change shows clearly.
"""

from __future__ import annotations

import dataclasses
import gzip
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from anonymiser.config import DEFAULT_RULES, load_config
from anonymiser.config.load import _review_rules, bundled_rules
from anonymiser.config.rules import Config, PatternRule, PseudonymRules, ReviewRules
from anonymiser.errors import ConfigError
from anonymiser.text.places import Commune

from ..conftest import ROOT

TABLES = {
    "gazetteers/communes.tsv": "code\tnom\ttype\tdepartement\tregion\tepci\tpopulation\tliaison\n"
                               "99001\tValbrune-sur-Lisse\tcommune-actuelle\t99\t99\t299000001\t1200\t5\n"
                               "99002\tCombelorge\tcommune-actuelle\t99\t99\t\t\t5\n",
    "gazetteers/epci.tsv": "code\tnom\ttype\tpopulation\n299000001\tCC du Val de Lisse\tCC\t9000\n",
    "gazetteers/departements.tsv": "code\tnom\tregion\tchef_lieu\tzone\tliaison\tavec_article\tavec_charniere\n"
                                   "99\tHaute-Lisse\t99\t99001\tmetro\t5\tla Haute-Lisse\tde la Haute-Lisse\n",
    "gazetteers/regions.tsv": "code\tnom\tchef_lieu\tzone\tliaison\tavec_article\tavec_charniere\n"
                              "99\tVal-de-Lisse\t99001\tmetro\t5\tle Val-de-Lisse\tdu Val-de-Lisse\n",
    "lexicons/prenoms.tsv": "prenom\tgenre\tdecennie\trang\nOdile\tF\t1950\t120\nGaspard\tM\t\t\n",
    "lexicons/noms.tsv": "nom\trang\nBrossard\t1\nLemarchal\t2\n",
    "lexicons/ner_stoplist.txt": "# comment\nGrille\n\nRemarques\n",
    "lexicons/sigles_generiques.txt": "# comment\nSCOP\nESS\n",
    "lexicons/dispositifs.txt": "# comment\nFonds Vert\n",
    "grid/grille_territoires_cooperatifs.txt": "Parlez-moi de votre parcours.\n\nQuels projets menez-vous ?\n",
}


@pytest.fixture()
def rules(tmp_path: Path) -> Path:
    """A complete rules folder: the shipped YAML, hand-made tables and word lists."""
    root = tmp_path / "rules"
    root.mkdir()
    for path in DEFAULT_RULES.glob("*.yaml"):
        shutil.copy2(path, root / path.name)
    for name, text in TABLES.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    with gzip.open(root / "lexicons" / "mots_francais.txt.gz", "wt", encoding="utf-8") as handle:
        handle.write("maison\nchemin\nverger\n")
    return root


def edit(root: Path, name: str, change: Callable[[dict[str, Any]], object]) -> Path:
    path = root / name
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def config_error(root: Path) -> ConfigError:
    with pytest.raises(ConfigError) as caught:
        load_config(root)
    assert caught.value.code == "E001"
    return caught.value


# -- loading ------------------------------------------------------------------------------------
def test_config_load_reads_every_file_into_typed_sections(rules: Path) -> None:
    config = load_config(rules)
    assert isinstance(config, Config) and config.rules_dir == rules.resolve()
    assert (config.model, config.language, config.batch_size) == ("fr_core_news_md", "fr", 32)
    limits = config.office_limits
    assert (limits.max_expanded, limits.max_parts, limits.max_ratio) == (200 * 2**20, 10_000, 100)
    assert config.ner_mapping["PER"] == "PERSON" and config.ner_stoplist == frozenset({"Grille", "Remarques"})
    assert config.grid_lines == ("Parlez-moi de votre parcours.", "Quels projets menez-vous ?")
    assert config.communes == (("Valbrune-sur-Lisse", "99001", 1200), ("Combelorge", "99002", None))
    assert config.gazetteer[0] == Commune("Valbrune-sur-Lisse", "commune-actuelle", 1200, "CC")
    assert config.gazetteer[1].population == 0 and config.gazetteer[1].epci_type == ""
    assert config.common_words == frozenset({"maison", "chemin", "verger"})  # read from the .gz
    assert {"Haute-Lisse", "Val-de-Lisse"} <= set(config.location_names)  # names from the tables
    assert config.first_names == {"Odile": "F", "Gaspard": "M"}
    assert config.first_name_info == {"Odile": ("1950", 120), "Gaspard": ("", 10**9)}
    assert config.surnames == ("Brossard", "Lemarchal")
    assert config.generic_acronyms == frozenset({"SCOP", "ESS"})
    assert config.never_mask == frozenset({"fonds vert"})  # folded: compared with the text folded
    assert config.tags["PERSON"] == "PERSONNE"
    assert all(isinstance(rule, PatternRule) for rules_ in config.contact_patterns.values() for rule in rules_)
    assert isinstance(config.pseudonym_rules, PseudonymRules) and isinstance(config.review, ReviewRules)
    assert config.pseudonym_rules.strategies["PERSON"] in config.pseudonym_rules.allowed["PERSON"]
    assert 0 <= config.review.low_score <= 1
    assert config.person_scores and all(isinstance(score, float) for score in config.person_scores.values())
    with pytest.raises(dataclasses.FrozenInstanceError):
        config.model = "autre"  # type: ignore[misc]


def test_config_load_is_cached_per_folder(rules: Path) -> None:
    assert load_config(rules) is load_config(str(rules)) is load_config(rules / ".." / "rules")


def test_config_load_optional_tables_may_be_absent(rules: Path) -> None:
    for name in ("gazetteers/communes.tsv", "gazetteers/epci.tsv", "lexicons/prenoms.tsv", "lexicons/noms.tsv",
                 "lexicons/mots_francais.txt.gz"):
        (rules / name).unlink()
    config = load_config(rules)
    assert (config.communes, config.gazetteer, config.first_names, config.surnames) == ((), (), {}, ())
    assert config.common_words == frozenset()


# -- where the rules come from --------------------------------------------------------------------
def test_config_load_default_rules_are_the_bundled_ones(monkeypatch) -> None:
    monkeypatch.delenv("ANONYMISER_RULES", raising=False)
    assert bundled_rules() == DEFAULT_RULES == ROOT / "rules"  # in a checkout: its own top-level rules/
    assert load_config().rules_dir == DEFAULT_RULES.resolve()


def test_config_load_environment_variable_then_argument_override_the_bundled_rules(rules: Path, tmp_path: Path,
                                                                       monkeypatch) -> None:
    monkeypatch.setenv("ANONYMISER_RULES", str(rules))
    assert load_config().rules_dir == rules.resolve()
    other = tmp_path / "autres"
    shutil.copytree(rules, other)
    edit(other, "anonymiser.yaml", lambda d: d.update(batch_size=8))
    assert load_config(other).batch_size == 8  # the argument wins over the variable
    assert load_config().batch_size == 32


# -- errors name the file and the key -------------------------------------------------------------
def test_config_load_missing_main_file(tmp_path: Path) -> None:
    error = config_error(tmp_path)
    assert str(error) == f"{tmp_path.resolve() / 'anonymiser.yaml'}: rules file not found"


def test_config_load_invalid_yaml_names_the_file(rules: Path) -> None:
    (rules / "persons.yaml").write_text("civilities: [M., Mme\nparticles: [de\n", encoding="utf-8")
    error = config_error(rules)
    assert error.path == str(rules.resolve() / "persons.yaml")
    assert str(error).endswith(": invalid YAML (ParserError)")


def test_config_load_top_level_must_be_a_mapping(rules: Path) -> None:
    (rules / "roles.yaml").write_text("- maire\n- adjoint\n", encoding="utf-8")
    assert str(config_error(rules)).endswith("roles.yaml: expected a mapping at top level")


@pytest.mark.parametrize(("name", "change", "cause"), [
    ("anonymiser.yaml", lambda d: d.pop("model"), "missing key 'model'"),
    ("anonymiser.yaml", lambda d: d["ner"].pop("stoplist"), "missing key 'stoplist'"),
    ("anonymiser.yaml", lambda d: d["ner"].update(score="haut"), "key 'score' has the wrong type"),
    ("anonymiser.yaml", lambda d: d.update(ner=["fr.ner.spacy"]), "key 'ner' has the wrong type"),
    ("anonymiser.yaml", lambda d: d.update(batch_size=0), "key 'batch_size' must be a whole number of at least 1"),
    ("anonymiser.yaml", lambda d: d.update(batch_size=True), "key 'batch_size' must be a whole number of at least 1"),
    ("anonymiser.yaml", lambda d: d["office"].update(max_parts=0), "key 'office.max_parts' must be a whole number of at least 1"),
    ("anonymiser.yaml", lambda d: d["office"].update(max_xml=5), "unknown key 'office.max_xml'"),
    ("anonymiser.yaml", lambda d: d.update(office=[200]), "'office' must be a mapping"),
    ("anonymiser.yaml", lambda d: d["label_priority"].append("SECRET"),
     "unknown label 'SECRET' in 'label_priority'"),
    ("anonymiser.yaml", lambda d: d["pseudonyms"]["tags"].update(SECRET="S"),
     "unknown label 'SECRET' in 'pseudonyms.tags'"),
    ("persons.yaml", lambda d: d["civilities"].append(True), "'civilities[%d]' is not a string (quote it)"),
    ("organizations.yaml", lambda d: d.pop("heads"), "missing key 'heads'"),
    ("roles.yaml", lambda d: d.update(max_domain_words="trois"), "key 'max_domain_words' has the wrong type"),
    ("contacts.yaml", lambda d: d["EMAIL_ADDRESS"][0].update(regex="(ouvert"),
     "'EMAIL_ADDRESS[0].regex' does not compile (missing ), unterminated subpattern)"),
    ("contacts.yaml", lambda d: d["URL"][0].pop("score"), "'URL[0]' needs 'id' and 'score'"),
    ("contacts.yaml", lambda d: d.update(SECRET=[]), "unknown label 'SECRET'"),
    ("review.yaml", lambda d: d.update(low_score=1.5), "'low_score' must be between 0 and 1"),
    ("pseudonyms.yaml", lambda d: d["strategies"].pop("URL"), "'strategies' has no entry for URL"),
    ("pseudonyms.yaml", lambda d: d["persons"]["civility_gender"].update(Mme="X"),
     "'persons.civility_gender.Mme' must be F or M"),
    ("pseudonyms.yaml", lambda d: d.pop("neutral"), "missing key 'neutral'"),
    ("pseudonyms.yaml", lambda d: d["neutral"]["weak_rules"].update(NAME=[]),
     "unknown label 'NAME' in 'neutral.weak_rules'"),
    ("pseudonyms.yaml", lambda d: d["neutral"]["phrases"].pop("PERSON"), "'neutral.phrases' has no entry for PERSON"),
    ("pseudonyms.yaml", lambda d: d["neutral"]["weak_rules"].update(PERSON="fr.ner.spacy.person"),
     "key 'PERSON' has the wrong type"),
])
def test_config_load_errors_name_the_file_and_the_key(rules: Path, name: str,
                                                    change: Callable[[dict[str, Any]], object], cause: str) -> None:
    edit(rules, name, change)
    if "%d" in cause:
        cause %= len(yaml.safe_load((rules / name).read_text(encoding="utf-8"))["civilities"]) - 1
    error = config_error(rules)
    assert error.path == str(rules.resolve() / name)
    assert error.cause == cause


@pytest.mark.parametrize(("key", "value", "cause"), [
    (("ner", "stoplist"), "lexicons/absente.txt", "word list not found"),
    (("grid",), "grid/absente.txt", "rules file not found"),
])
def test_config_load_missing_list_names_the_list(rules: Path, key: tuple[str, ...], value: str, cause: str) -> None:
    def change(data: dict[str, Any]) -> None:
        for part in key[:-1]:
            data = data[part]
        data[key[-1]] = value

    edit(rules, "anonymiser.yaml", change)
    error = config_error(rules)
    assert (error.path, error.cause) == (str(rules.resolve() / value), cause)


def test_config_load_missing_table_names_the_table(rules: Path) -> None:
    edit(rules, "locations.yaml", lambda d: d.update(gazetteers=["gazetteers/absente.tsv"]))
    error = config_error(rules)
    assert (error.path, error.cause) == (str(rules.resolve() / "gazetteers" / "absente.tsv"), "table not found")


def test_config_load_review_rules_validated(tmp_path: Path) -> None:
    path = tmp_path / "review.yaml"
    path.write_text("low_score: 2\nmin_miss_length: 3\nmin_typo_length: 5\nquasi_identifiers: []\n")
    with pytest.raises(ConfigError, match="review.yaml: 'low_score' must be between 0 and 1"):
        _review_rules(path)
    path.write_text("low_score: 0.5\nmin_miss_length: 3\nmin_typo_length: 5\nquasi_identifiers:\n"
                    "  - {id: bad, regex: '(unclosed'}\n")
    with pytest.raises(ConfigError, match=r"quasi_identifiers\[0\].regex' does not compile"):
        _review_rules(path)
