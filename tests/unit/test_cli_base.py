"""cli/base: every error is one line on stderr and a stable exit code, never a traceback nor the
text of a document; passphrases come from the environment or a terminal, never from nowhere."""

from __future__ import annotations

import pytest

from anonymiser.cli import base
from anonymiser.errors import DocumentError, KeyFileError, RefusedError, UsageError, WorkerError
from anonymiser.i18n import N_


def failing(error: BaseException):
    @base.handle_errors
    def command() -> None:
        raise error

    return command


@pytest.mark.parametrize(("error", "code", "line"), [
    (DocumentError("E01.txt", N_("empty file")), 1, "anonymiser: error: E01.txt: empty file"),
    (UsageError("--jobs", N_("must be at least 1")), 2, "anonymiser: error: --jobs: must be at least 1"),
    (KeyFileError("k.key", N_("wrong passphrase or damaged key file")), 3,
     "anonymiser: error: k.key: wrong passphrase or damaged key file"),
    (RefusedError(None, N_("re-identification needs --reason")), 3,
     "anonymiser: error: re-identification needs --reason"),
    (WorkerError(None, N_("a worker process stopped")), 70, "anonymiser: error: a worker process stopped"),
    (KeyboardInterrupt(), 130, "anonymiser: interrupted"),
    (FileNotFoundError(2, "No such file or directory", "sortie/E01.txt"), 2, "anonymiser: error: sortie/E01.txt: "),
    (ValueError("Odile Brossard à Combelorge"), 70, "anonymiser: internal error (ValueError)"),
])
def test_cli_base_handle_errors_one_line_and_an_exit_code(capsys, error: BaseException, code: int, line: str) -> None:
    with pytest.raises(SystemExit) as done:
        failing(error)()
    assert done.value.code == code
    out, err = capsys.readouterr()
    assert out == "" and err.startswith(line) and err.count("\n") == 1
    assert "Traceback" not in err and "Brossard" not in err


def test_cli_base_handle_errors_returns_what_the_command_returns() -> None:
    @base.handle_errors
    def command(value: int, *, twice: bool) -> int:
        """Doubles."""
        return value * 2 if twice else value

    assert command(21, twice=True) == 42 and command.__name__ == "command" and command.__doc__ == "Doubles."


def test_cli_base_secret_from_the_environment_first(monkeypatch) -> None:
    monkeypatch.setenv(base.PASSPHRASE_ENV, "cheval correct")
    monkeypatch.setattr(base, "_interactive", lambda: pytest.fail("no prompt when the variable is set"))
    assert base._passphrase() == "cheval correct"


@pytest.mark.parametrize(("new", "cause"), [(False, "no passphrase"), (True, "no new passphrase")])
def test_cli_base_secret_refused_without_a_terminal(monkeypatch, new: bool, cause: str) -> None:
    monkeypatch.delenv(base.NEW_PASSPHRASE_ENV, raising=False)
    monkeypatch.setattr(base, "_interactive", lambda: False)
    with pytest.raises(KeyFileError) as info:
        base._secret(base.NEW_PASSPHRASE_ENV, N_("New passphrase:"), confirm=True, new=new)
    assert str(info.value) == f"{cause}: set {base.NEW_PASSPHRASE_ENV} or run in a terminal"
    assert info.value.exit_code == 3


def test_cli_base_secret_prompts_hidden_on_a_terminal(monkeypatch) -> None:
    monkeypatch.delenv(base.PASSPHRASE_ENV, raising=False)
    monkeypatch.setattr(base, "_interactive", lambda: True)
    asked = {}

    def prompt(text: str, **options: object) -> str:
        asked.update(options, text=text)
        return "tapée"

    monkeypatch.setattr(base.click, "prompt", prompt)
    assert base._passphrase(confirm=True) == "tapée"
    assert asked["text"] == "Passphrase:" and asked["hide_input"] is True
    assert asked["confirmation_prompt"] == "Repeat for confirmation:"


def test_cli_base_read_inputs_skips_unreadable_and_duplicate_names(tmp_path, capsys) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "E01.txt").write_text("Odile Brossard.\n", encoding="utf-8")
    (tmp_path / "b" / "E01.md").write_text("Gaspard.\n", encoding="utf-8")
    (tmp_path / "E02.txt").write_bytes(b"")
    documents, skipped = base._read_inputs((str(tmp_path / "a" / "E01.txt"), str(tmp_path / "b" / "E01.md"),
                                           str(tmp_path / "E02.txt")))
    assert [d.id for d in documents] == ["E01"]
    assert skipped == [str(tmp_path / "b" / "E01.md"), str(tmp_path / "E02.txt")]
    err = capsys.readouterr().err
    assert "another input has the same name" in err and "empty file" in err and "Gaspard" not in err


def _commands(group, path=()):
    """Every command of the CLI with its path: ("key", "pool", "add")."""
    import click

    for name, command in sorted(group.commands.items()):
        yield (*path, name), command
        if isinstance(command, click.Group):
            yield from _commands(command, (*path, name))


def test_cli_base_every_placeholder_is_translated() -> None:
    """Click's placeholders (INPUTS, PATH, TEXT, FILE...) of every command are in the French catalogue."""
    import click

    from anonymiser.i18n import set_language

    def shown(command) -> list[str]:
        ctx = click.Context(command, info_name="x")
        return [p.make_metavar(ctx) for p in command.params
                if not isinstance(p.type, click.Choice) and not (isinstance(p, click.Option) and p.is_flag)]

    commands = list(_commands(base.cli))
    assert len(commands) > 15
    english = {path: shown(command) for path, command in commands}
    set_language("fr")
    french = {path: shown(command) for path, command in commands}
    same = {(path, word) for path in english for word, other in zip(english[path], french[path], strict=True)
            if word == other}
    assert not same, f"placeholders left in English: {sorted(same)}"
    assert french[("run",)][0] == "ENTRÉES..." and "CATÉGORIE=STRATÉGIE,..." in french[("run",)]
    assert base.cli.collect_usage_pieces(click.Context(base.cli)) == ["[OPTIONS]", "COMMANDE [ARGUMENTS]..."]


@pytest.mark.parametrize("error", [
    DocumentError("vague1/E01\nanonymiser: error: forged.txt", N_("empty file")),
    FileNotFoundError(2, "No such file or directory", "sortie/E\r01.txt"),
    OSError(28, "No space left on device"),
])
def test_cli_base_a_control_character_in_a_file_name_keeps_the_error_on_one_line(capsys, error) -> None:
    with pytest.raises(SystemExit):
        failing(error)()
    _out, err = capsys.readouterr()
    assert err.count("\n") == 1 and "\r" not in err and not err.startswith("anonymiser: error: :")
