"""cli/verbose: every command takes --verbose; it shows the key file, rules, grid and model in use
and how long each step took, in the user's language, and never a form, a text or a pseudonym;
without it, nothing more is said."""

from __future__ import annotations

import logging

import click

from anonymiser.cli import base, verbose
from anonymiser.keys import format as kf
from anonymiser.keys import manage
from tests.unit.keying import PASSPHRASE

from .invoking import run_process


def _commands(group: click.Group):
    for command in group.commands.values():
        if isinstance(command, click.Group):
            yield from _commands(command)
        else:
            yield command


def test_cli_verbose_every_command_takes_it() -> None:
    commands = list(_commands(base.cli))
    assert len(commands) > 15
    for command in commands:
        options = [p for p in command.params if isinstance(p, click.Option) and "--verbose" in p.opts]
        assert len(options) == 1 and options[0].is_flag, command.name


def test_cli_verbose_shows_the_key_file_and_times_never_personal_data(tmp_path) -> None:
    key = tmp_path / "projet.key"
    kf.create(key, PASSPHRASE)
    keyfile = kf.load(key, PASSPHRASE)
    manage.add_entity(keyfile, manage.Rules(), "Gaëlle Kerbrat", "PERSON", "Anne Morel", path=str(key))
    kf.save(keyfile, key)
    env = {"ANONYMISER_PASSPHRASE": PASSPHRASE}
    quiet = run_process("key", "show", str(key), env_extra={**env, "LANG": "C.UTF-8"})
    assert quiet.returncode == 0 and quiet.stderr.splitlines() == ["1 entity"]
    shown = run_process("key", "show", str(key), "--verbose", env_extra={**env, "LANG": "C.UTF-8"})
    assert shown.returncode == 0 and shown.stdout == quiet.stdout
    notes = [line for line in shown.stderr.splitlines() if line.startswith("anonymiser: ")]
    assert notes[0].startswith(f"anonymiser: key file {key} opened in ") and notes[0].endswith(" s")
    assert notes[-1].startswith("anonymiser: command done in ")
    assert "Kerbrat" not in shown.stderr and "Morel" not in shown.stderr
    french = run_process("key", "show", str(key), "--verbose", env_extra={**env, "LANG": "fr_FR.UTF-8"})
    assert "anonymiser\u00a0: fichier de clés " in french.stderr and "commande terminée en " in french.stderr
    assert "," in french.stderr.splitlines()[-1]  # a decimal comma: "0,42 s"


def test_cli_verbose_shows_rules_grid_and_model_of_an_engine(caplog, config) -> None:
    class Engine:
        pass

    engine = Engine()
    engine.config = config  # type: ignore[attr-defined]
    verbose.log.setLevel(logging.INFO)
    try:
        with caplog.at_level(logging.INFO, logger="anonymiser"):
            verbose.engine_loaded(engine, 0.0)
    finally:
        verbose.log.setLevel(logging.NOTSET)
    notes = [record.getMessage() for record in caplog.records]
    assert notes[0].startswith(f"rules: {config.rules_dir} (engine ready in ")
    assert notes[1] == f"interview grid: {config.grid_file} ({len(config.grid_lines)} lines)"
    assert notes[2].startswith(f"model: {config.model} 3.")


def test_cli_verbose_ends_with_its_command(tmp_path, caplog) -> None:
    from .invoking import ENGLISH, invoke

    result = invoke("key", "init", str(tmp_path / "a.key"), "--verbose", env=ENGLISH)
    assert result.exit_code == 0
    assert [r.getMessage()[:16] for r in caplog.records] == ["command done in "]
    assert verbose.log.level == logging.NOTSET  # the next command is quiet again
    caplog.clear()
    assert invoke("key", "init", str(tmp_path / "b.key"), env=ENGLISH).exit_code == 0
    assert [r for r in caplog.records if r.name == "anonymiser"] == []
