"""config/project: a team's project file is found (--project, beside the key file, the working
folder), read and checked (errors name the file and the key), and laid over the bundled rules
without changing them."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from anonymiser.config.project import (
    PROJECT_FILE,
    TEMPLATE,
    Project,
    apply_project,
    find_project,
    pin_sealing_key,
    read_project,
)
from anonymiser.errors import ConfigError, NotFoundError
from anonymiser.text.fold import fold

PROJECT = """\
language = "en"
jobs = 3
grid = "grille.txt"

[strategies]
MUNICIPALITY = "keep"
PERSON = "tag"

[words]
never_mask = ["Banque de France"]
organizations = "structures.txt"

[words.always_mask]
PERSON = ["Gégé", "la Rouquine"]
LOCATION = ["le Trou Normand"]
"""


@pytest.fixture()
def project_dir(tmp_path: Path) -> Path:
    (tmp_path / PROJECT_FILE).write_text(PROJECT, encoding="utf-8")
    (tmp_path / "grille.txt").write_text("Comment êtes-vous arrivée ici ?\n\nQue fait le collectif ?\n",
                                         encoding="utf-8")
    (tmp_path / "structures.txt").write_text("# nos structures\nLa Ruche Solidaire\nLes Jardins Partagés\n",
                                             encoding="utf-8")
    return tmp_path


def test_config_project_reads_every_key(project_dir: Path) -> None:
    project = read_project(project_dir / PROJECT_FILE)
    assert project.language == "en" and project.jobs == 3
    assert project.grid == ("Comment êtes-vous arrivée ici ?", "Que fait le collectif ?")
    assert project.strategies == {"MUNICIPALITY": "keep", "PERSON": "tag"}
    assert project.never_mask == ("Banque de France",)
    assert project.organizations == ("La Ruche Solidaire", "Les Jardins Partagés")
    assert project.always_mask == (("Gégé", "PERSON"), ("la Rouquine", "PERSON"), ("le Trou Normand", "LOCATION"))


def test_config_project_overrides_the_bundled_rules_without_changing_them(project_dir: Path, config) -> None:
    before = (config.grid_lines, dict(config.pseudonym_rules.strategies), config.org_names, config.never_mask)
    applied = apply_project(config, read_project(project_dir / PROJECT_FILE))
    assert applied.grid_lines == ("Comment êtes-vous arrivée ici ?", "Que fait le collectif ?")
    assert applied.pseudonym_rules.strategies["MUNICIPALITY"] == "keep"
    assert applied.pseudonym_rules.strategies["PERSON"] == "tag"
    assert applied.pseudonym_rules.strategies["ROLE"] == config.pseudonym_rules.strategies["ROLE"]
    assert "La Ruche Solidaire" in applied.org_names and set(config.org_names) <= set(applied.org_names)
    # a project's words are added to the bundled national schemes (rules/lexicons/dispositifs.txt)
    assert applied.never_mask == config.never_mask | {fold("Banque de France")}
    assert fold("Petites villes de demain") in config.never_mask
    assert ("Gégé", "PERSON") in applied.always_mask
    assert (config.grid_lines, config.pseudonym_rules.strategies, config.org_names, config.never_mask) == before
    assert config.always_mask == ()


def test_config_project_an_empty_project_changes_nothing(config) -> None:
    applied = apply_project(config, Project())
    assert applied.grid_lines == config.grid_lines
    assert applied.pseudonym_rules.strategies == config.pseudonym_rules.strategies


@pytest.mark.parametrize(("text", "key"), [
    ('sealing_key = "sha256:abc"\n', "sealing_key"),
    ('sealing_key = 3\n', "sealing_key"),
    ('jobs = 0\n', "jobs"),
    ('jobs = "two"\n', "jobs"),
    ('language = "de"\n', "language"),
    ('grid = 3\n', "grid"),
    ('grid = "absente.txt"\n', "grid"),
    ('infer_grid = "yes"\n', "infer_grid"),
    ('colour = "blue"\n', "colour"),
    ('[strategies]\nPERSONNE = "tag"\n', "strategies"),
    ('[words]\nnever_mask = [1, 2]\n', "words.never_mask"),
    ('[words]\nnevermask = ["x"]\n', "words.nevermask"),
    ('[words]\norganizations = "absente.txt"\n', "words.organizations"),
    ('[words.always_mask]\nPERSONNE = ["x"]\n', "words.always_mask"),
    ('[words.always_mask]\nPERSON = "absente.txt"\n', "words.always_mask.PERSON"),
])
def test_config_project_errors_name_the_file_and_the_key(tmp_path: Path, text: str, key: str) -> None:
    path = tmp_path / PROJECT_FILE
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as raised:
        read_project(path)
    assert raised.value.path == str(path)
    assert key in str(raised.value) and "\n" not in str(raised.value)


def test_config_project_a_strategy_not_allowed_names_the_file_and_the_label(tmp_path: Path, config) -> None:
    path = tmp_path / PROJECT_FILE
    path.write_text('[strategies]\nPERSON = "keep"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as raised:
        apply_project(config, read_project(path))
    assert raised.value.path == str(path) and "PERSON" in str(raised.value) and "keep" in str(raised.value)


def test_config_project_invalid_toml_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / PROJECT_FILE
    path.write_text('[strategies\nPERSON = "tag"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="invalid TOML"):
        read_project(path)


def test_config_project_is_found_given_beside_the_key_file_or_here(tmp_path: Path, monkeypatch) -> None:
    keys, here = tmp_path / "cles", tmp_path / "ici"
    keys.mkdir()
    here.mkdir()
    assert find_project(None, key_path=keys / "projet.key", cwd=here) is None
    (here / PROJECT_FILE).write_text("", encoding="utf-8")
    assert find_project(None, key_path=keys / "projet.key", cwd=here) == here / PROJECT_FILE
    (keys / PROJECT_FILE).write_text("", encoding="utf-8")
    assert find_project(None, key_path=keys / "projet.key", cwd=here) == keys / PROJECT_FILE
    other = tmp_path / "autre.toml"
    other.write_text("", encoding="utf-8")
    assert find_project(other, key_path=keys / "projet.key", cwd=here) == other
    with pytest.raises(NotFoundError, match="project file not found"):
        find_project(tmp_path / "absent.toml")
    monkeypatch.chdir(here)
    assert find_project(None) == Path.cwd() / PROJECT_FILE


def test_config_project_the_template_is_valid_and_every_example_in_it_too(tmp_path: Path, config) -> None:
    assert tomllib.loads(TEMPLATE) == {"strategies": {}, "words": {"always_mask": {}}}
    uncommented = "\n".join(line[2:] if line.startswith("# ") and "=" in line else line
                            for line in TEMPLATE.splitlines())
    (tmp_path / "grille.txt").write_text("Que fait le collectif ?\n", encoding="utf-8")
    (tmp_path / "lieux.txt").write_text("le Trou Normand\n", encoding="utf-8")
    path = tmp_path / PROJECT_FILE
    path.write_text(uncommented, encoding="utf-8")
    project = read_project(path)
    assert project.grid == ("Que fait le collectif ?",) and project.jobs == 2
    assert project.strategies == {"MUNICIPALITY": "keep", "PERSON": "tag"}
    assert ("le Trou Normand", "LOCATION") in project.always_mask
    apply_project(config, project)


def test_config_project_pins_the_sealing_key_at_the_top_and_never_replaces_a_pin(tmp_path: Path) -> None:
    path = tmp_path / PROJECT_FILE
    fingerprint, other = "sha256:" + "0123456789abcdef" * 2, "sha256:" + "f" * 32
    assert pin_sealing_key(path, fingerprint) == fingerprint  # a new file: the template and the pin
    assert read_project(path).sealing_key == fingerprint and path.read_text(encoding="utf-8").endswith(TEMPLATE)
    assert pin_sealing_key(path, other) == fingerprint and read_project(path).sealing_key == fingerprint
    team = tmp_path / "equipe.toml"
    team.write_text('jobs = 2\n[strategies]\nPERSON = "tag"\n', encoding="utf-8")
    team.chmod(0o640)
    pin_sealing_key(team, other)
    project = read_project(team)
    assert (project.sealing_key, project.jobs, project.strategies) == (other, 2, {"PERSON": "tag"})
    assert team.stat().st_mode & 0o777 == 0o640
