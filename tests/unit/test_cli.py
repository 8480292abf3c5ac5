"""The CLI end to end, in process (the session's model is reused) and as a real process
for the refusals (one line, stable exit code, no traceback)."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from anonymiser import cli as cli_module
from anonymiser.evaluate import read_gold
from anonymiser.keys import format as kf
from tests.unit.keying import PASSPHRASE

from ..conftest import FIXTURES, GOLD
from .invoking import run_process

PASS = {"ANONYMISER_PASSPHRASE": "correct horse"}


def invoke(runner: CliRunner, *args: str, env: dict[str, str] | None = None):
    return runner.invoke(cli_module.cli, list(args), env=env if env is not None else PASS,
                         catch_exceptions=False)


def contains_word(text: str, form: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(form)}(?!\w)", text) is not None


@pytest.mark.slow
def test_cli_run_reidentify_round_trip(runner, tmp_path) -> None:
    key = tmp_path / "project.key"
    assert invoke(runner, "key", "init", str(key)).exit_code == 0
    assert invoke(runner, "key", "add", str(key), "Nadia Haddad", "--label", "PERSON",
                  "--pseudonym", "Zéphirine Quaglio").exit_code == 0
    interviews = FIXTURES / "interviews"
    out = tmp_path / "anonymised"
    result = invoke(runner, "run", str(interviews), "--key", str(key), "--out", str(out))
    assert result.exit_code == 0, result.output
    outputs = sorted(out.glob("*.txt"))
    assert len(outputs) == len(list(interviews.glob("*.txt")))

    keyfile = kf.load(key, PASS["ANONYMISER_PASSPHRASE"])
    # initials alone ("R. L.") are rendered as the pseudonym's initials, which may be another's by chance
    person_forms = {v for e in keyfile.entities.values() if e.label == "PERSON" for v in e.variants
                    if not re.fullmatch(r"(?:[A-Z]\.[ -]?){1,3}", v)}
    for path in outputs:
        text = path.read_text(encoding="utf-8")
        for form in person_forms:
            assert not contains_word(text, form), f"{path.name} still holds a person form"

    # byte-identical second run with the same key file
    again = tmp_path / "again"
    assert invoke(runner, "run", str(interviews), "--key", str(key), "--out", str(again)).exit_code == 0
    for path in outputs:
        assert (again / path.name).read_bytes() == path.read_bytes()

    # the audit log never holds an original
    audit_text = (out / "audit.jsonl").read_text(encoding="utf-8")
    for form in person_forms:
        assert not contains_word(audit_text, form)
    summary = invoke(runner, "audit", str(out / "audit.jsonl"))
    assert summary.exit_code == 0 and "PERSON" in summary.output

    # re-identification restores every file byte for byte and is logged
    restored = tmp_path / "restored"
    result = invoke(runner, "reidentify", *map(str, outputs), "--key", str(key),
                    "--reason", "vérification DPO", "--out", str(restored))
    assert result.exit_code == 0, result.output
    for path in outputs:
        assert (restored / path.name).read_bytes() == (interviews / path.name).read_bytes()
    log = [json.loads(line) for line in Path(f"{key}.access.jsonl").read_text().splitlines()]
    assert len(log) == len(outputs)
    assert {entry["reason"] for entry in log} == {"vérification DPO"}
    assert all(entry["user"] and entry["time"] for entry in log)


@pytest.mark.slow
def test_cli_detect_jsonl_contract(runner) -> None:
    result = invoke(runner, "detect", str(FIXTURES / "interviews" / "entretien_01.txt"), "--format", "jsonl",
                    env={})
    assert result.exit_code == 0
    lines = [json.loads(line) for line in result.output.splitlines()]
    assert len(lines) == 1 and lines[0]["id"] == "entretien_01"
    span = lines[0]["spans"][0]
    assert set(span) == {"start", "end", "label", "score", "recognizer"}


@pytest.mark.slow
def test_cli_known_entities_leave_no_trace(runner, tmp_path) -> None:
    """Every person of the gold set, added to the key file, is gone from every output."""
    key = tmp_path / "k.key"
    invoke(runner, "key", "init", str(key))
    gold = read_gold(GOLD)
    names = sorted({d.text[s.start:s.end] for d in gold for s in d.spans
                    if s.label == "PERSON" and " " in d.text[s.start:s.end]})
    for name in names[:15]:
        invoke(runner, "key", "add", str(key), name, "--label", "PERSON")
    out = tmp_path / "out"
    assert invoke(runner, "run", str(FIXTURES / "interviews"), "--key", str(key), "--out", str(out)).exit_code == 0
    for path in out.glob("*.txt"):
        text = path.read_text(encoding="utf-8")
        for name in names[:15]:
            assert not contains_word(text, name)


@pytest.mark.slow
def test_cli_skips_unreadable_documents(runner, tmp_path) -> None:
    key = tmp_path / "k.key"
    invoke(runner, "key", "init", str(key))
    inputs = tmp_path / "in"
    inputs.mkdir()
    shutil.copy(FIXTURES / "interviews" / "entretien_02.txt", inputs / "ok.txt")
    (inputs / "empty.txt").write_bytes(b"")
    (inputs / "binary.txt").write_bytes(b"\x00\x01PK\x03\x04")
    result = invoke(runner, "run", str(inputs), "--key", str(key), "--out", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert (tmp_path / "out" / "ok.txt").exists()
    assert not (tmp_path / "out" / "empty.txt").exists()


def test_cli_wrong_passphrase_one_line(tmp_path) -> None:
    key = tmp_path / "k.key"
    kf.create(key, PASSPHRASE)
    before = key.read_bytes()
    doc = tmp_path / "e.txt"
    doc.write_text("Isabelle Marchal à Rezé.\n", encoding="utf-8")
    result = run_process("run", str(doc), "--key", str(key), "--out", str(tmp_path / "o"),
                         env_extra={"ANONYMISER_PASSPHRASE": "wrong"})
    assert result.returncode == 3
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert str(key) in result.stderr and "passphrase" in result.stderr
    assert key.read_bytes() == before
    assert not (tmp_path / "o").exists()


def test_cli_reidentify_needs_reason(tmp_path) -> None:
    key = tmp_path / "k.key"
    kf.create(key, PASSPHRASE)
    doc = tmp_path / "e.txt"
    doc.write_text("x\n", encoding="utf-8")
    result = run_process("reidentify", str(doc), "--key", str(key), "--out", str(tmp_path / "r"),
                         env_extra={"ANONYMISER_PASSPHRASE": PASSPHRASE})
    assert result.returncode == 3
    assert "--reason" in result.stderr and "Traceback" not in result.stderr
    assert not Path(f"{key}.access.jsonl").exists()


def test_cli_damaged_key_file(tmp_path) -> None:
    key = tmp_path / "k.key"
    kf.create(key, PASSPHRASE)
    data = bytearray(key.read_bytes())
    data[-5] ^= 0xFF
    key.write_bytes(bytes(data))
    result = run_process("key", "show", str(key), env_extra={"ANONYMISER_PASSPHRASE": PASSPHRASE})
    assert result.returncode == 3 and "Traceback" not in result.stderr
    assert result.stderr.strip().count("\n") == 0


def test_cli_no_passphrase_without_terminal(tmp_path) -> None:
    result = run_process("key", "init", str(tmp_path / "k.key"))
    assert result.returncode == 3 and "ANONYMISER_PASSPHRASE" in result.stderr
    assert not (tmp_path / "k.key").exists()


@pytest.mark.slow
def test_cli_run_with_strategies_round_trips(runner, tmp_path) -> None:
    key = tmp_path / "k.key"
    invoke(runner, "key", "init", str(key))
    inputs = tmp_path / "in"
    inputs.mkdir()
    for name in ("entretien_01.txt", "entretien_04.txt", "focus_groupe_01.txt"):
        shutil.copy(FIXTURES / "interviews" / name, inputs / name)
    for strategy in ("PERSON=tag,MUNICIPALITY=generalise,ORGANIZATION=generalise,ROLE=realistic,LOCATION=tag",
                     "PERSON=redact,MUNICIPALITY=tag,ORGANIZATION=tag,ROLE=tag,URL=tag"):
        out = tmp_path / strategy[:10]
        result = invoke(runner, "run", str(inputs), "--key", str(key), "--out", str(out), "--strategy", strategy)
        assert result.exit_code == 0, result.output
        restored = tmp_path / f"restored-{strategy[:10]}"
        outputs = sorted(out.glob("*.txt"))
        result = invoke(runner, "reidentify", *map(str, outputs), "--key", str(key), "--reason", "contrôle",
                        "--out", str(restored))
        assert result.exit_code == 0, result.output
        for path in outputs:
            assert (restored / path.name).read_bytes() == (inputs / path.name).read_bytes()
    assert "[PERSONNE_" in (tmp_path / "PERSON=tag" / "entretien_01.txt").read_text(encoding="utf-8")


def test_cli_strategy_option_refused_in_one_line(tmp_path) -> None:
    key = tmp_path / "k.key"
    kf.create(key, PASSPHRASE)
    doc = tmp_path / "e.txt"
    doc.write_text("Isabelle Marchal à Rezé.\n", encoding="utf-8")
    result = run_process("run", str(doc), "--key", str(key), "--out", str(tmp_path / "o"),
                         "--strategy", "PERSON=generalise", env_extra={"ANONYMISER_PASSPHRASE": PASSPHRASE})
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1 and "--strategy" in result.stderr and "PERSON" in result.stderr
    assert not (tmp_path / "o").exists()
