"""Exit codes, as the README documents them, for every command: one table of cases (command,
situation, expected code), one parametrised test, and checks that the table covers every command
of the CLI and every code of the README (French and English), which match anonymiser.errors."""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import click
import pytest

from anonymiser import errors
from anonymiser.cli import audit as cli_audit
from anonymiser.cli import base as cli_base
from anonymiser.cli.base import EXIT_INTERRUPTED
from anonymiser.documents import files
from anonymiser.keys import format as kf
from anonymiser.keys import manage
from tests.unit.keying import PASSPHRASE

from ..conftest import ROOT
from .invoking import ENGLISH, invoke

DOCUMENT = "Entretien avec Gaëlle Kerbrat, animatrice à Plouzévet.\n\nGaëlle Kerbrat : On a ouvert le local en mai.\n"
GOLD = {"id": "g1", "text": "Bonjour Gaëlle Kerbrat.", "spans": [{"start": 8, "end": 22, "label": "PERSON"}]}


@dataclass(frozen=True)
class Case:
    args: tuple[str, ...]
    code: int
    why: str
    passphrase: str = PASSPHRASE
    model: bool = False  # needs the spaCy model (slow)
    first: tuple[str, ...] = ()  # a command run before, which must succeed

    @property
    def command(self) -> str:
        words = [a for a in self.args if not a.startswith(("-", "{"))]
        return " ".join(words[:3] if words[:2] == ["key", "pool"] else words[:2] if words[0] in ("key", "project", "grid")
                        else words[:1])


def cases() -> list[Case]:
    k = "{key}"
    table = [
        # key init
        Case(("key", "init", "{tmp}/new.key"), 0, "created"),
        Case(("key", "init"), 2, "missing argument"),
        Case(("key", "init", k), 3, "key file exists"),
        Case(("key", "init", "{tmp}/short.key"), 2, "passphrase under 12 characters", passphrase="onze carac."),
        # key grant / passwd / add / show / export / import / merge / forget / pool add / apply-review
        Case(("key", "grant", k, "--role", "pseudonymise"), 0, "granted"),
        Case(("key", "grant", "{tmp}/absent.key", "--role", "pseudonymise"), 2, "key file not found"),
        Case(("key", "grant", k, "--role", "pseudonymise"), 3, "wrong passphrase", passphrase="faux"),
        Case(("key", "pin", k), 0, "pinned"),
        Case(("key", "pin", "{tmp}/absent.key"), 2, "key file not found"),
        Case(("key", "pin", k), 3, "wrong passphrase", passphrase="faux"),
        Case(("key", "passwd", k), 0, "changed"),
        Case(("key", "passwd", "{tmp}/absent.key"), 2, "key file not found"),
        Case(("key", "passwd", k), 3, "wrong passphrase", passphrase="faux"),
        Case(("key", "add", k, "Yannick Le Goff", "--label", "PERSON"), 0, "added"),
        Case(("key", "add", k, "Yannick Le Goff", "--label", "PERSONNE"), 2, "invalid option"),
        Case(("key", "add", "{tmp}/absent.key", "Yannick Le Goff", "--label", "PERSON"), 2, "key file not found"),
        Case(("key", "add", k, "Gaëlle Kerbrat", "--label", "PERSON"), 3, "form already in the key file"),
        Case(("key", "show", k), 0, "listed"),
        Case(("key", "show", "{tmp}/absent.key"), 2, "key file not found"),
        Case(("key", "show", k), 3, "wrong passphrase", passphrase="faux"),
        Case(("key", "show", k), 3, "no passphrase, no terminal", passphrase=""),
        Case(("key", "export", k, "--csv", "{tmp}/export.csv"), 0, "exported"),
        Case(("key", "export", k), 2, "missing option"),
        Case(("key", "export", k, "--csv", "{tmp}/export.csv"), 3, "wrong passphrase", passphrase="faux"),
        Case(("key", "import", k, "--csv", "{csv}"), 0, "imported"),
        Case(("key", "import", k, "--csv", "{tmp}/absent.csv"), 2, "CSV not found"),
        Case(("key", "import", k, "--csv", "{csv}"), 3, "wrong passphrase", passphrase="faux"),
        Case(("key", "merge", k, "{other}"), 0, "merged"),
        Case(("key", "merge", k, "{tmp}/absent.key"), 2, "other key file not found"),
        Case(("key", "merge", k, "{other}"), 3, "wrong passphrase", passphrase="faux"),
        Case(("key", "forget", k, "PER-0001", "--reason", "art. 17"), 0, "erased"),
        Case(("key", "forget", "{tmp}/absent.key", "PER-0001", "--reason", "art. 17"), 2, "key file not found"),
        Case(("key", "forget", k, "PER-0001"), 3, "no reason"),
        Case(("key", "pool", "add", k, "--label", "PERSON", "--file", "{names}"), 0, "pool filled"),
        Case(("key", "pool", "add", k, "--label", "PERSON", "--file", "{tmp}/absent.txt"), 2, "pool file not found"),
        Case(("key", "pool", "add", k, "--label", "PERSON", "--file", "{names}"), 3, "wrong passphrase",
             passphrase="faux"),
        Case(("key", "apply-review", "{decisions}", "--key", k), 0, "applied"),
        Case(("key", "apply-review", "{tmp}/absent.json", "--key", k), 2, "decisions file not found"),
        Case(("key", "apply-review", "{decisions}", "--key", k), 3, "wrong passphrase", passphrase="faux"),
        # audit
        Case(("audit", "{audit}"), 0, "summarised"),
        Case(("audit", "{tmp}/absent.jsonl"), 2, "audit file not found"),
        Case(("audit", "{audit}", "--verify", "--key", k), 3, "chain does not verify"),
        # evaluate
        Case(("evaluate", "--gold", "{gold}"), 0, "scored", model=True),
        Case(("evaluate", "--gold", "{tmp}/absent.jsonl"), 2, "gold file not found"),
        Case(("evaluate", "--gold", "{gold}", "--key", k), 3, "wrong passphrase", passphrase="faux"),
        # detect
        Case(("detect", "{doc}"), 0, "detected", model=True),
        Case(("detect", "{doc}", "{empty}"), 1, "an empty document skipped", model=True),
        Case(("detect", "{tmp}/absent.txt"), 2, "input not found"),
        Case(("detect", "{doc}", "--key", k), 3, "wrong passphrase", passphrase="faux"),
        # run
        Case(("run", "{doc}", "--key", k, "--out", "{tmp}/out"), 0, "pseudonymised", model=True),
        Case(("run", "{doc}", "{empty}", "--key", k, "--out", "{tmp}/out"), 1, "an empty document skipped",
             model=True),
        Case(("run", "{tmp}/absent.txt", "--key", k, "--out", "{tmp}/out"), 2, "input not found"),
        Case(("run", "{doc}", "--key", k, "--out", "{tmp}/out", "--strategy", "PERSON=rien"), 2, "invalid rule"),
        Case(("run", "{doc}", "--key", k, "--out", "{report}/out"), 3, "into a review report"),
        # review
        Case(("review", "{doc}", "--key", k, "--out", "{tmp}/report"), 0, "report written", model=True),
        Case(("review", "{doc}", "{empty}", "--key", k, "--out", "{tmp}/report"), 1, "an empty document skipped",
             model=True),
        Case(("review", "{tmp}/absent.txt", "--key", k, "--out", "{tmp}/report"), 2, "input not found"),
        Case(("review", "{doc}", "--key", k, "--out", "{tmp}/report"), 3, "wrong passphrase", passphrase="faux"),
        # reidentify
        Case(("reidentify", "{tmp}/out/doc.txt", "--key", k, "--out", "{tmp}/back", "--reason", "contrôle"), 0,
             "restored", model=True, first=("run", "{doc}", "--key", k, "--out", "{tmp}/out")),
        Case(("reidentify", "{tmp}/absent.txt", "--key", k, "--out", "{tmp}/back", "--reason", "contrôle"), 2,
             "input and its audit log not found"),
        Case(("reidentify", "{doc}", "--key", k, "--out", "{tmp}/back"), 3, "no reason"),
        # project init / grid infer
        Case(("project", "init", "{tmp}/anonymiser.toml"), 0, "written"),
        Case(("project", "init", "{tmp}/absent/anonymiser.toml"), 2, "folder not found"),
        Case(("project", "init", "{doc}"), 3, "file exists"),
        Case(("grid", "infer", "{doc}"), 0, "inferred"),
        Case(("grid", "infer", "{doc}", "{empty}"), 1, "an empty document skipped"),
        Case(("grid", "infer", "{tmp}/absent"), 2, "input not found"),
        Case(("grid", "infer", "{empty}"), 3, "no document to read"),
    ]
    # every command, internal error and interruption: raised where the command does its work
    for case in [c for c in table if c.code == 0]:
        for code in (errors.EXIT_INTERNAL, EXIT_INTERRUPTED):
            table.append(Case(case.args, code, "internal error" if code == errors.EXIT_INTERNAL else "interrupted"))
    return table


def where_it_fails(command: str) -> tuple[object, str]:
    """A function each command calls before it writes anything (patched to raise)."""
    return {"key init": (kf, "create"), "audit": (cli_audit, "read_records"), "run": (cli_base, "_anonymiser"),
            "detect": (cli_base, "_anonymiser"), "evaluate": (cli_base, "_anonymiser"),
            "project init": (files, "atomic_write"), "grid infer": (cli_base, "_read_inputs")}.get(command, (kf, "load"))


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    """A key file with one person, another team's key file, a document, an empty one, a CSV export,
    a pool file, a decisions file, a gold file, a hand-made audit log and a review report folder."""
    base = tmp_path_factory.mktemp("exit-codes")
    kf.create(base / "projet.key", PASSPHRASE)
    keyfile = kf.load(base / "projet.key", PASSPHRASE)
    manage.add_entity(keyfile, manage.Rules(), "Gaëlle Kerbrat", "PERSON", "Anne Morel", path="projet.key")
    kf.save(keyfile, base / "projet.key")
    (base / "export.csv").write_text(manage.export_csv(kf.load(base / "projet.key", PASSPHRASE, need_private=True)),
                                     encoding="utf-8")
    kf.create(base / "autre.key", PASSPHRASE)
    (base / "doc.txt").write_text(DOCUMENT, encoding="utf-8")
    (base / "vide.txt").write_bytes(b"")
    (base / "noms.txt").write_text("Loïc Prigent\nMaëlle Cadiou\n", encoding="utf-8")
    (base / "decisions.json").write_text(json.dumps({"format": "anonymiser-review-decisions", "version": 1,
                                                    "report": "", "decisions": [
        {"action": "reject", "scope": "everywhere", "form": "Plouzévet", "label": "MUNICIPALITY"}]}), encoding="utf-8")
    (base / "gold.jsonl").write_text(json.dumps(GOLD, ensure_ascii=False) + "\n", encoding="utf-8")
    (base / "journal").mkdir()
    (base / "journal" / "audit.jsonl").write_text(json.dumps({"record": "mention", "document": "doc", "label": "PERSON",
                                                  "entity_id": "PER-0001"}) + "\n", encoding="utf-8")
    (base / "rapport").mkdir()
    (base / "rapport" / ".anonymiser-review").write_text("", encoding="utf-8")
    return base


def _params() -> list:
    return [pytest.param(case, id=f"{case.command}-{case.code}-{case.why}",
                         marks=[pytest.mark.slow] if case.model else []) for case in cases()]


@pytest.mark.parametrize("case", _params())
def test_cli_exit_codes_every_command(case: Case, template: Path, tmp_path: Path, monkeypatch, request) -> None:
    shutil.copytree(template, tmp_path, dirs_exist_ok=True)
    values = {"tmp": tmp_path, "key": tmp_path / "projet.key", "other": tmp_path / "autre.key",
              "doc": tmp_path / "doc.txt", "empty": tmp_path / "vide.txt", "csv": tmp_path / "export.csv",
              "names": tmp_path / "noms.txt", "decisions": tmp_path / "decisions.json", "gold": tmp_path / "gold.jsonl",
              "audit": tmp_path / "journal" / "audit.jsonl", "report": tmp_path / "rapport"}
    env = {**ENGLISH, "ANONYMISER_OTHER_PASSPHRASE": PASSPHRASE, "ANONYMISER_NEW_PASSPHRASE": "une autre phrase"}
    if case.model:
        engine = request.getfixturevalue("engine")
        monkeypatch.setattr(cli_base, "_anonymiser", lambda: engine)
    if case.first:
        assert invoke(*[a.format(**values) for a in case.first], env=env).exit_code == 0
    if case.code in (errors.EXIT_INTERNAL, EXIT_INTERRUPTED):
        raised = RuntimeError("Gaëlle Kerbrat") if case.code == errors.EXIT_INTERNAL else KeyboardInterrupt()

        def fail(*args, **kwargs):
            raise raised

        monkeypatch.setattr(*where_it_fails(case.command), fail)
    result = invoke(*[a.format(**values) for a in case.args], env=env, passphrase=case.passphrase or None)
    assert result.exit_code == case.code, f"{case.command} ({case.why}): {result.output}"
    assert "Traceback" not in result.output and "Kerbrat" not in result.stderr
    if case.code not in (0, 1):
        assert result.stderr.strip(), "a failure says why"


def _all_commands(group: click.Group, path: tuple[str, ...] = ()) -> set[str]:
    found = set()
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            found |= _all_commands(command, (*path, name))
        else:
            found.add(" ".join((*path, name)))
    return found


def documented_codes(readme: str) -> set[int]:
    """The codes of the README's exit-code table."""
    text = (ROOT / readme).read_text(encoding="utf-8")
    section = re.search(r"## (?:Codes de sortie|Exit codes)\n(.*?)\n## ", text, flags=re.S)
    assert section, f"{readme} has no exit-code table"
    return {int(code) for code in re.findall(r"^\| (\d+) \|", section.group(1), flags=re.M)}


def test_cli_exit_codes_the_table_covers_every_command_and_every_documented_code() -> None:
    codes = {errors.EXIT_OK, errors.EXIT_SKIPPED, errors.EXIT_USAGE, errors.EXIT_REFUSED, errors.EXIT_INTERNAL,
             EXIT_INTERRUPTED}
    assert documented_codes("README.md") == documented_codes("README.en.md") == codes
    table = cases()
    commands = _all_commands(cli_base.cli)
    assert {case.command for case in table} == commands
    reads_documents = {"run", "detect", "review", "grid infer"}  # the commands that skip what they cannot read
    for command in commands:
        expected = codes if command in reads_documents else codes - {errors.EXIT_SKIPPED}
        assert {case.code for case in table if case.command == command} == expected, command
