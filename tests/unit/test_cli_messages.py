"""The CLI speaks the user's language (French locale -> French, else English, --lang overrides)
and keeps its exit codes: 0 done, 1 skipped documents, 2 usage error, 3 refused, 70 internal
error, 130 interrupted."""

from __future__ import annotations

import shutil

import pytest

from anonymiser.cli import base as cli_base
from anonymiser.config.project import PROJECT_FILE, pin_sealing_key
from anonymiser.keys import crypto
from anonymiser.keys import format as kf
from tests.unit.keying import PASSPHRASE

from ..conftest import FIXTURES
from .invoking import ENGLISH, FRENCH, NBSP, invoke, run_process


@pytest.fixture()
def corpus(tmp_path):
    """A key file and a folder with one interview and one empty (skipped) file."""
    key = tmp_path / "projet.key"
    kf.create(key, PASSPHRASE)
    # the sealing key pinned, as `key init` does: these tests are about the messages of a run
    pin_sealing_key(tmp_path / PROJECT_FILE, crypto.fingerprint(kf.load(key, PASSPHRASE).public_key))
    inputs = tmp_path / "entretiens"
    inputs.mkdir()
    shutil.copy(FIXTURES / "readme" / "entretiens" / "entretien_01.txt", inputs / "entretien_01.txt")
    (inputs / "vide.txt").write_bytes(b"")
    return key, inputs


# (env, extra args before the command, French?)
LOCALES = [
    pytest.param(FRENCH, [], True, id="LANG=fr"),
    pytest.param(ENGLISH, [], False, id="LANG=en"),
    pytest.param(ENGLISH, ["--lang", "fr"], True, id="LANG=en --lang fr"),
    pytest.param({"LANG": "en_US.UTF-8", "LC_MESSAGES": "fr_FR.UTF-8"}, ["--lang=en"], False,
                 id="LC_MESSAGES=fr --lang=en"),
]


@pytest.mark.slow
@pytest.mark.parametrize(("env", "lang", "french"), LOCALES)
def test_cli_messages_run_with_a_skipped_document(engine, monkeypatch, corpus, tmp_path, env, lang, french) -> None:
    monkeypatch.setattr(cli_base, "_anonymiser", lambda: engine)
    key, inputs = corpus
    out = tmp_path / "anonymise"
    result = invoke(*lang, "run", str(inputs), "--key", str(key), "--out", str(out), env=env)
    assert result.exit_code == 1
    if french:
        assert result.stdout.splitlines()[0].startswith("1 document pseudonymisé, ")
        assert f"journal d'audit{NBSP}: {out / 'audit.jsonl'}" in result.stdout
        assert result.stderr.splitlines() == [
            f"anonymiser{NBSP}: ignoré{NBSP}: {inputs / 'vide.txt'}{NBSP}: fichier vide",
            "1 document ignoré"]
    else:
        assert result.stdout.splitlines()[0].startswith("pseudonymised 1 document, ")
        assert f"audit log: {out / 'audit.jsonl'}" in result.stdout
        assert result.stderr.splitlines() == [f"anonymiser: skipped: {inputs / 'vide.txt'}: empty file",
                                              "skipped 1 document"]
    # files keep the codes, the screen shows names in French
    assert '"label": "PERSON"' in (out / "audit.jsonl").read_text(encoding="utf-8")
    summary = invoke(*lang, "audit", str(out / "audit.jsonl"), env=env)
    assert summary.exit_code == 0
    if french:
        assert f"par catégorie{NBSP}:" in summary.stdout and "Personne " in summary.stdout
        assert "PERSON" not in summary.stdout
    else:
        assert "per label:" in summary.stdout and "PERSON " in summary.stdout


@pytest.mark.parametrize(("env", "lang", "french"), LOCALES)
def test_cli_messages_refused_passphrase(corpus, env, lang, french) -> None:
    key, inputs = corpus
    result = invoke(*lang, "key", "show", str(key), env=env, passphrase="wrong")
    assert result.exit_code == 3 and result.stdout == ""
    expected = (f"anonymiser{NBSP}: erreur{NBSP}: {key}{NBSP}: phrase de passe erronée ou fichier de clés endommagé"
                if french else f"anonymiser: error: {key}: wrong passphrase or damaged key file")
    assert result.stderr.splitlines() == [expected]


@pytest.mark.parametrize(("env", "french"), [(FRENCH, True), (ENGLISH, False)])
def test_cli_messages_refused_passphrase_in_a_real_process(corpus, env, french) -> None:
    """The locale of the process itself (not click's test runner) chooses the language."""
    key, inputs = corpus
    result = run_process("run", str(inputs), "--key", str(key), "--out", str(key.parent / "o"),
                         env_extra={**env, "ANONYMISER_PASSPHRASE": "wrong"})
    assert result.returncode == 3 and "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1
    assert ("phrase de passe erronée" in result.stderr) is french
    assert ("wrong passphrase" in result.stderr) is not french


@pytest.mark.parametrize(("env", "prompt", "confirm"), [
    (FRENCH, f"Phrase de passe{NBSP}: ", f"Confirmez{NBSP}: "),
    (ENGLISH, "Passphrase: ", "Repeat for confirmation: "),
])
def test_cli_messages_passphrase_prompt(monkeypatch, tmp_path, env, prompt, confirm) -> None:
    monkeypatch.setattr(cli_base, "_interactive", lambda: True)
    key = tmp_path / "k.key"
    result = invoke("key", "init", str(key), env=env, passphrase=None, input="une phrase secrète\nune phrase secrète\n")
    assert result.exit_code == 0, result.output
    assert result.output.startswith(prompt + "\n" + confirm + "\n")
    assert "phrase secrète" not in result.output
    kf.load(key, "une phrase secrète")


@pytest.mark.parametrize(("env", "expected"), [
    (FRENCH, ["Utilisation\u00a0: anonymiser run", "Options\u00a0:", "Fichier de clés.", "[obligatoire]",
              "Afficher ce message et quitter."]),
    (ENGLISH, ["Usage: anonymiser run", "Options:", "Key file.", "[required]", "Show this message and exit."]),
])
def test_cli_messages_help(env, expected) -> None:
    result = invoke("run", "--help", env=env)
    assert result.exit_code == 0
    for text in expected:
        assert text in result.output, text


def test_cli_messages_usage_errors_in_french() -> None:
    result = invoke("run", env=FRENCH)
    assert result.exit_code == 2
    assert f"Erreur{NBSP}: Argument manquant 'ENTRÉES...'." in result.stderr
    assert "Essayez 'anonymiser run --help' pour l'aide." in result.stderr
    result = invoke("key", "add", "k.key", "X", "--label", "NOM", env=FRENCH)
    assert result.exit_code == 2 and "Valeur invalide pour '--label'" in result.stderr


# -- exit codes --------------------------------------------------------------------------------
def test_cli_exit_code_0_done(tmp_path) -> None:
    assert invoke("key", "init", str(tmp_path / "k.key"), env=ENGLISH).exit_code == 0
    assert invoke("--help", env=ENGLISH).exit_code == 0


@pytest.mark.parametrize("args", [
    ["run"],                                                     # missing argument
    ["run", "{doc}", "--out", "{tmp}/o"],                        # missing option
    ["run", "{tmp}/absent.txt", "--key", "{key}", "--out", "{tmp}/o"],  # input not found
    ["run", "{doc}", "--key", "{key}", "--out", "{tmp}/o", "--strategy", "PERSON=nothing"],  # invalid rule
    ["run", "{doc}", "--key", "{key}", "--out", "{tmp}/o", "--id-columns", "a=NOM"],
    ["frobnicate"],                                              # no such command
    ["--lang", "de", "key", "show", "{key}"],                     # bad language
])
def test_cli_exit_code_2_usage_error(corpus, tmp_path, args) -> None:
    key, inputs = corpus
    values = {"doc": inputs / "entretien_01.txt", "tmp": tmp_path, "key": key}
    result = invoke(*[a.format(**values) for a in args], env=ENGLISH)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and not (tmp_path / "o").exists()


def test_cli_exit_code_3_refused(corpus, tmp_path) -> None:
    key, inputs = corpus
    doc = inputs / "entretien_01.txt"
    assert invoke("key", "show", str(key), env=ENGLISH, passphrase="wrong").exit_code == 3
    assert invoke("key", "show", str(key), env=ENGLISH, passphrase=None).exit_code == 3  # none, no terminal
    assert invoke("reidentify", str(doc), "--key", str(key), "--out", str(tmp_path / "r"),
                  env=ENGLISH).exit_code == 3  # no --reason
    damaged = bytearray(key.read_bytes())
    damaged[-3] ^= 0x01
    key.write_bytes(bytes(damaged))
    result = invoke("key", "show", str(key), env=ENGLISH)
    assert result.exit_code == 3 and result.stderr.count("\n") == 1


@pytest.mark.parametrize(("raised", "code", "message"), [
    (RuntimeError("Isabelle Marchal"), 70, "anonymiser: internal error (RuntimeError)"),
    (KeyboardInterrupt(), 130, "anonymiser: interrupted"),
])
def test_cli_exit_codes_internal_and_interrupted(monkeypatch, tmp_path, raised, code, message) -> None:
    def fail(*args, **kwargs):
        raise raised

    monkeypatch.setattr(kf, "create", fail)
    result = invoke("key", "init", str(tmp_path / "k.key"), env=ENGLISH)
    assert result.exit_code == code
    assert result.stderr.splitlines() == [message]  # one line, no data from the exception
