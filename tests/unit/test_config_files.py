"""config/files: reading rule files, each error naming the file and the key (hand-built files)."""

from __future__ import annotations

import gzip

import pytest

from anonymiser.config.files import get, positive_int, read_grid, read_lines, read_tsv, read_yaml, str_list, str_map
from anonymiser.errors import ConfigError


def test_config_files_read_yaml_wants_a_mapping(tmp_path) -> None:
    good = tmp_path / "good.yaml"
    good.write_text("a: [x, 'on']\n", encoding="utf-8")
    assert read_yaml(good) == {"a": ["x", "on"]}
    bad = tmp_path / "list.yaml"
    bad.write_text("- a\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="list.yaml"):
        read_yaml(bad)
    with pytest.raises(ConfigError, match="absent.yaml"):
        read_yaml(tmp_path / "absent.yaml")


def test_config_files_values_are_checked(tmp_path) -> None:
    where = tmp_path / "rules.yaml"
    assert get({"k": 1}, "k", int, where) == 1
    with pytest.raises(ConfigError, match="'k'"):
        get({"k": "1"}, "k", int, where)
    with pytest.raises(ConfigError, match="missing"):
        get({}, "k", int, where)
    assert positive_int({}, "n", where, default=3) == 3
    with pytest.raises(ConfigError):
        positive_int({"n": 0}, "n", where, default=3)
    assert str_list({"w": ["a", "b"]}, "w", where) == ("a", "b")
    with pytest.raises(ConfigError, match=r"w\[1\]"):
        str_list({"w": ["a", True]}, "w", where)  # YAML's bare "on"
    assert str_map({"m": {"a": "b"}}, "m", where) == {"a": "b"}
    with pytest.raises(ConfigError, match="m.a"):
        str_map({"m": {"a": 1}}, "m", where)


def test_config_files_word_lists_tables_and_grid(tmp_path) -> None:
    words = tmp_path / "mots.txt.gz"
    with gzip.open(words, "wt", encoding="utf-8") as handle:
        handle.write("# a comment\nmaison\n\n  rue  \n")
    assert read_lines(words) == ["maison", "rue"]
    table = tmp_path / "t.tsv"
    table.write_text("nom\tcode\nVouvant\t85305\nCourt\n", encoding="utf-8")
    assert read_tsv(table) == [{"nom": "Vouvant", "code": "85305"}, {"nom": "Court"}]
    grid = tmp_path / "grille.txt"
    grid.write_text("Question 1\n\n  Question 2\n", encoding="utf-8")
    assert read_grid(grid) == ("Question 1", "  Question 2")
    with pytest.raises(ConfigError, match="absent"):
        read_tsv(tmp_path / "absent.tsv")
