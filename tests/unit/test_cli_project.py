"""cli/project: ``project init`` writes a commented example; ``run``, ``review``, ``detect`` and
``evaluate`` read the project file (its grid, strategies, word lists, jobs, language); ``keep``
leaves mentions as they are, audited and marked as kept, and re-identification still restores."""

from __future__ import annotations

import json
import tomllib

import pytest

from anonymiser.cli import cli
from anonymiser.config.project import PROJECT_FILE
from anonymiser.keys import format as kf
from tests.unit.keying import PASSPHRASE

from ..conftest import ROOT
from .invoking import ENGLISH, NBSP, invoke

PASS = {"ANONYMISER_PASSPHRASE": PASSPHRASE}
TEXT = ("Que fait le collectif ?\n"
        "Hélène Bastide : On se retrouve à Montluçon, avec Gégé et la Banque de France.\n"
        "Comment êtes-vous arrivée ici ?\n"
        "Hélène Bastide : Par Montluçon, en 2009.\n")
PROJECT = """\
grid = "grille.txt"
jobs = 1
[strategies]
MUNICIPALITY = "keep"
[words]
never_mask = ["Banque de France"]
[words.always_mask]
PERSON = ["Gégé"]
"""


def test_cli_project_init_writes_a_commented_example_and_never_overwrites(tmp_path) -> None:
    target = tmp_path / PROJECT_FILE
    result = invoke("project", "init", str(target), env=ENGLISH)
    assert result.exit_code == 0 and "created" in result.stdout
    assert "[strategies]" in target.read_text(encoding="utf-8")
    assert tomllib.loads(target.read_text(encoding="utf-8"))["strategies"] == {}
    target.write_text("# ours\n", encoding="utf-8")
    again = invoke("project", "init", str(target), env=ENGLISH)
    assert again.exit_code == 3 and "already exists" in again.stderr and again.stderr.count("\n") == 1
    assert target.read_text(encoding="utf-8") == "# ours\n"
    folder = tmp_path / "team"
    folder.mkdir()
    assert invoke("project", "init", str(folder), env=ENGLISH).exit_code == 0  # a folder gets its file
    assert (folder / PROJECT_FILE).read_text(encoding="utf-8").startswith("# anonymiser project file")


def test_cli_project_a_bad_project_file_is_one_line_naming_file_and_key(tmp_path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "e1.txt").write_text(TEXT, encoding="utf-8")
    project = tmp_path / "p.toml"
    project.write_text("jobs = 0\n", encoding="utf-8")
    result = invoke("detect", str(tmp_path / "in"), "--project", str(project), env=ENGLISH)
    assert result.exit_code == 2 and result.stderr.count("\n") == 1
    assert str(project) in result.stderr and "'jobs'" in result.stderr


@pytest.fixture()
def team(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "e1.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "grille.txt").write_text("Que fait le collectif ?\nComment êtes-vous arrivée ici ?\n",
                                         encoding="utf-8")
    (tmp_path / PROJECT_FILE).write_text(PROJECT, encoding="utf-8")
    kf.create(tmp_path / "p.key", PASSPHRASE)
    return tmp_path


@pytest.mark.slow
def test_cli_project_run_reads_the_project_file_beside_the_key_file(runner, team, monkeypatch) -> None:
    monkeypatch.chdir(team.parent)  # found beside the key file, not in the working folder
    result = runner.invoke(cli, ["run", str(team / "in"), "--key", str(team / "p.key"), "--out", str(team / "out")],
                           env=PASS, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    out = (team / "out" / "e1.txt").read_text(encoding="utf-8")
    assert out.count("Montluçon") == 2  # kept
    assert "Hélène" not in out and "Gégé" not in out  # masked, always
    assert "Banque de France" in out  # never masked
    records = [json.loads(line) for line in (team / "out" / "audit.jsonl").read_text(encoding="utf-8").splitlines()]
    mentions = [r for r in records if r["record"] == "mention"]
    kept = [r for r in mentions if r.get("kept")]
    assert len(kept) == 2 and {r["label"] for r in kept} == {"MUNICIPALITY"}
    assert all(r["pseudonym"] == "" for r in kept)  # the audit holds no original
    assert "Montluçon" not in (team / "out" / "audit.jsonl").read_text(encoding="utf-8")
    assert any(r["recognizer"] == "project.always_mask" for r in mentions)
    assert {r["field"] for r in mentions} == {"Que fait le collectif ?", "Comment êtes-vous arrivée ici ?"}

    by_field = runner.invoke(cli, ["audit", str(team / "out" / "audit.jsonl"), "--by-field"], env=PASS)
    assert "Que fait le collectif ?" in by_field.output and "(outside the grid)" not in by_field.output

    # the whole output folder, as run wrote it (kept mentions included)
    back = runner.invoke(cli, ["reidentify", str(team / "out"), "--key", str(team / "p.key"),
                               "--out", str(team / "back"), "--reason", "contrôle"], env=PASS)
    assert back.exit_code == 0, back.output
    assert sorted(p.name for p in (team / "back").iterdir()) == ["e1.txt"]
    assert (team / "back" / "e1.txt").read_bytes() == (team / "in" / "e1.txt").read_bytes()


@pytest.mark.slow
def test_cli_project_strategy_keep_on_the_command_line_and_in_review(runner, team) -> None:
    (team / PROJECT_FILE).unlink()
    result = runner.invoke(cli, ["review", str(team / "in"), "--key", str(team / "p.key"), "--out",
                                 str(team / "rapport"), "--strategy", "MUNICIPALITY=keep", "--format", "html"],
                           env=PASS, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    page = next(p for p in (team / "rapport").rglob("*.html") if "Montluçon" in p.read_text(encoding="utf-8"))
    assert "kept as it is" in page.read_text(encoding="utf-8")
    refused = runner.invoke(cli, ["run", str(team / "in"), "--key", str(team / "p.key"), "--out", str(team / "o"),
                                  "--strategy", "PERSON=keep"], env=PASS)
    assert refused.exit_code == 2 and "not allowed for PERSON" in refused.stderr


@pytest.mark.slow
def test_cli_project_detect_and_evaluate_read_the_project_file(runner, team) -> None:
    detected = runner.invoke(cli, ["detect", str(team / "in"), "--project", str(team / PROJECT_FILE)], env=PASS)
    spans = json.loads(detected.stdout)["spans"]
    assert not any(TEXT[s["start"]:s["end"]] in ("France", "Banque de France") for s in spans)
    assert any(s["recognizer"] == "project.always_mask" for s in spans)
    gold = team / "gold.jsonl"
    gold.write_text(json.dumps({"id": "e1", "text": "Que fait le collectif ?\nOn voit Gégé le lundi.\n",
                                "spans": [{"start": 32, "end": 36, "label": "PERSON"}]}) + "\n", encoding="utf-8")
    scored = runner.invoke(cli, ["evaluate", "--gold", str(gold), "--json", "--project", str(team / PROJECT_FILE)],
                           env=PASS)
    assert scored.exit_code == 0, scored.output
    assert json.loads(scored.stdout)["labels"]["PERSON"]["recall"] == 1.0


JARDINS = ROOT / "fixtures" / "jardins"


def test_cli_project_grid_infer_finds_the_grid_of_an_invented_corpus_in_txt_and_docx() -> None:
    corpus = JARDINS / "entretiens"
    assert {p.suffix for p in corpus.iterdir()} == {".txt", ".docx"} and len(list(corpus.iterdir())) >= 5
    result = invoke("grid", "infer", str(corpus), env=ENGLISH)
    assert result.exit_code == 0, result.output
    written = [line for line in (JARDINS / "grille.txt").read_text(encoding="utf-8").splitlines() if line.strip()]
    assert result.stdout.splitlines() == written
    assert result.stderr == f"{len(written)} grid lines found in 6 documents\n"


@pytest.mark.slow
@pytest.mark.parametrize("given", [False, True])
def test_cli_project_an_inferred_or_given_grid_is_never_masked_and_groups_the_audit(runner, tmp_path,
                                                                                   given) -> None:
    kf.create(tmp_path / "p.key", PASSPHRASE)
    if given:  # the team's grid, checked and named in its project file (then nothing is inferred)
        (tmp_path / PROJECT_FILE).write_text(f'grid = "{JARDINS / "grille.txt"}"\n', encoding="utf-8")
    result = runner.invoke(cli, ["run", str(JARDINS / "entretiens"), "--key", str(tmp_path / "p.key"),
                                 "--out", str(tmp_path / "out")], env=PASS, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    grid = [line for line in (JARDINS / "grille.txt").read_text(encoding="utf-8").splitlines() if line.strip()]
    for name in ("jardin_01.txt", "jardin_02.txt"):
        out = (tmp_path / "out" / name).read_text(encoding="utf-8").splitlines()
        assert [line for line in out if line in grid] == [line for line in
                                                         (JARDINS / "entretiens" / name).read_text(
                                                             encoding="utf-8").splitlines() if line in grid]
    by_field = runner.invoke(cli, ["audit", str(tmp_path / "out" / "audit.jsonl"), "--by-field"], env=PASS)
    rows = [line.split("  ")[0] for line in by_field.stdout.splitlines()[3:]]
    assert [q for q in grid if q[:2] in ("1.", "2.", "3.", "4.", "5.")] == [r for r in rows if r[:2] in
                                                                          ("1.", "2.", "3.", "4.", "5.")]
    assert "(outside the grid)" not in rows


def test_cli_project_language_is_the_messages_unless_lang_is_given(tmp_path) -> None:
    project = tmp_path / "p.toml"
    project.write_text('language = "fr"\n', encoding="utf-8")
    missing = str(tmp_path / "absent.jsonl")
    french = invoke("evaluate", "--gold", missing, "--project", str(project), env=ENGLISH)
    assert french.exit_code != 0 and french.stderr.startswith(f"anonymiser{NBSP}: erreur{NBSP}: ")
    english = invoke("--lang", "en", "evaluate", "--gold", missing, "--project", str(project), env=ENGLISH)
    assert english.stderr.startswith("anonymiser: error: ")
