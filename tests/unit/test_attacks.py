"""Attacks and faults, as a hostile or a clumsy colleague would try them (issue 18): nothing is
lost (audit logs, inputs, the key file), nothing is left in clear, no role goes beyond its own.
Each test names the attack; unit-level guards live beside their modules (test_documents_files,
test_keys_format, test_run_corpus, test_audit, test_reidentify)."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from anonymiser import cli as cli_module
from anonymiser.keys import crypto
from anonymiser.keys import format as kf
from tests.unit.keying import PASSPHRASE

PASS = {"ANONYMISER_PASSPHRASE": PASSPHRASE}
FIRST = "Entretien avec Odile Brossard à Combelorge.\nOdile Brossard préside la Maison des Lisse.\n"
SECOND = "Gaspard Lemarchal habite Vernouillet-sur-Lisse depuis vingt ans.\n"


def invoke(runner, *args: str, **env: str):
    return runner.invoke(cli_module.cli, [str(a) for a in args], env={**PASS, **env}, catch_exceptions=False)


def _key(runner, tmp_path: Path) -> Path:
    key = tmp_path / "team.key"
    assert invoke(runner, "key", "init", key).exit_code == 0
    return key


def _folder(tmp_path: Path, name: str, texts: dict[str, str]) -> Path:
    folder = tmp_path / name
    folder.mkdir(parents=True, exist_ok=True)
    for file, text in texts.items():
        (folder / file).write_text(text, encoding="utf-8")
    return folder


def _dead_pid() -> int:
    """The id of a process that has ended."""
    import subprocess
    import sys

    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def _restore(runner, tmp_path: Path, key: Path, output: Path, audit: Path | None = None):
    restored = tmp_path / f"restored-{output.parent.name}-{output.stem}"
    args = ["reidentify", output, "--key", key, "--out", restored, "--reason", "contrôle"]
    if audit is not None:
        args += ["--audit", audit]
    result = invoke(runner, *args)
    return result, restored / output.name


# -- 1. the audit log of a folder is never replaced ------------------------------------------------
@pytest.mark.slow
def test_attack_two_runs_into_one_folder_keep_the_first_runs_outputs_reidentifiable(runner, tmp_path) -> None:
    key = _key(runner, tmp_path)
    first = _folder(tmp_path, "first", {"E01.txt": FIRST})
    second = _folder(tmp_path, "second", {"E02.txt": SECOND})
    out = tmp_path / "out"
    assert invoke(runner, "run", first, "--key", key, "--out", out).exit_code == 0
    result = invoke(runner, "run", second, "--key", key, "--out", out)
    assert result.exit_code == 0, result.output
    log = [json.loads(line) for line in (out / "audit.jsonl").read_text(encoding="utf-8").splitlines()]
    assert {r["document"] for r in log if r["record"] == "document"} == {"E01", "E02"}
    verified = invoke(runner, "audit", out / "audit.jsonl", "--verify", "--key", key)
    assert verified.exit_code == 0 and "chain intact" in verified.output
    for name, text in (("E01.txt", FIRST), ("E02.txt", SECOND)):
        restored, path = _restore(runner, tmp_path, key, out / name)
        assert restored.exit_code == 0, restored.output
        assert path.read_text(encoding="utf-8") == text


@pytest.mark.slow
def test_attack_a_rerun_over_its_own_outputs_keeps_reidentifying_them(runner, tmp_path) -> None:
    key = _key(runner, tmp_path)
    corpus = _folder(tmp_path, "in", {"E01.txt": FIRST})
    out = tmp_path / "out"
    assert invoke(runner, "run", corpus, "--key", key, "--out", out).exit_code == 0
    output = (out / "E01.txt").read_bytes()
    dead = _dead_pid()  # a run killed while writing left its temporary files
    stale = [out / f".audit.jsonl.{dead}.tmp", out / f".E01.txt.{dead}.a8Zq1.tmp", tmp_path / f".team.key.{dead}.tmp"]
    for copy in stale:
        copy.write_bytes(output)
    again = invoke(runner, "run", corpus, "--key", key, "--out", out)
    assert again.exit_code == 0, again.output
    assert not any(copy.exists() for copy in stale)
    assert (out / "E01.txt").read_bytes() == output  # deterministic: the same output again
    restored, path = _restore(runner, tmp_path, key, out / "E01.txt")
    assert restored.exit_code == 0 and path.read_text(encoding="utf-8") == FIRST


@pytest.mark.slow
def test_attack_a_run_that_writes_nothing_leaves_the_audit_log_untouched(runner, tmp_path) -> None:
    key = _key(runner, tmp_path)
    corpus = _folder(tmp_path, "in", {"E01.txt": FIRST})
    out = tmp_path / "out"
    assert invoke(runner, "run", corpus, "--key", key, "--out", out).exit_code == 0
    before = (out / "audit.jsonl").read_bytes()
    broken = _folder(tmp_path, "broken", {})
    (broken / "E09.txt").write_bytes(b"\xff\xfe\x00\xd8 not text")
    (broken / "E10.docx").write_bytes(b"not a zip")
    result = invoke(runner, "run", broken, "--key", key, "--out", out)
    assert result.exit_code == 1
    assert (out / "audit.jsonl").read_bytes() == before
    restored, path = _restore(runner, tmp_path, key, out / "E01.txt")
    assert restored.exit_code == 0 and path.read_text(encoding="utf-8") == FIRST


@pytest.mark.slow
def test_attack_an_output_folder_inside_the_input_folder_run_twice(runner, tmp_path) -> None:
    key = _key(runner, tmp_path)
    corpus = _folder(tmp_path, "in", {"E01.txt": FIRST})
    out = corpus / "anonymise"
    for _ in range(2):
        result = invoke(runner, "run", corpus, "--key", key, "--out", out)
        assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["E01.txt", "audit.jsonl"]  # its own outputs are not inputs
    assert (corpus / "E01.txt").read_text(encoding="utf-8") == FIRST
    restored, path = _restore(runner, tmp_path, key, out / "E01.txt")
    assert restored.exit_code == 0 and path.read_text(encoding="utf-8") == FIRST


# -- 2. originals and the key file are never overwritten ------------------------------------------
@pytest.mark.slow
def test_attack_out_is_a_folder_of_originals_of_another_run(runner, tmp_path) -> None:
    """``run in/v2/E01.txt --out in`` would write over ``in/E01.txt``, an original."""
    key = _key(runner, tmp_path)
    corpus = _folder(tmp_path, "in", {"E01.txt": FIRST})
    _folder(corpus, "v2", {"E01.txt": SECOND})
    result = invoke(runner, "run", corpus / "v2" / "E01.txt", "--key", key, "--out", corpus)
    assert result.exit_code == 3 and "did not write" in result.output and len(result.output.splitlines()) == 1
    assert (corpus / "E01.txt").read_text(encoding="utf-8") == FIRST and not (corpus / "audit.jsonl").exists()


@pytest.mark.slow
@pytest.mark.parametrize("where", ["input", "key", "bak", "access", "lock", "key-through-link"])
def test_attack_audit_pointed_at_an_input_or_the_key_files(runner, tmp_path, where) -> None:
    key = _key(runner, tmp_path)
    invoke(runner, "key", "passwd", key, ANONYMISER_NEW_PASSPHRASE=PASSPHRASE)  # a .bak exists
    corpus = _folder(tmp_path, "in", {"E01.txt": FIRST})
    (tmp_path / "key-link").symlink_to(key)
    target = {"input": corpus / "E01.txt", "key": key, "bak": Path(f"{key}.bak"),
              "access": Path(f"{key}.access.jsonl"), "lock": Path(f"{key}.lock"),
              "key-through-link": tmp_path / "key-link"}[where]
    target.touch()
    before = {p: p.read_bytes() for p in (corpus / "E01.txt", key, Path(f"{key}.bak"), target)}
    result = invoke(runner, "run", corpus, "--key", key, "--out", tmp_path / "out", "--audit", target)
    assert result.exit_code == 3 and len(result.output.splitlines()) == 1, result.output
    assert {p: p.read_bytes() for p in before} == before
    assert not (tmp_path / "out" / "E01.txt").exists()


@pytest.mark.slow
def test_attack_a_link_planted_at_an_output_name_is_refused(runner, tmp_path) -> None:
    key = _key(runner, tmp_path)
    corpus = _folder(tmp_path, "in", {"E01.txt": FIRST})
    out = tmp_path / "out"
    out.mkdir()
    victim = tmp_path / "victim.txt"
    victim.write_text("à garder", encoding="utf-8")
    (out / "E01.txt").symlink_to(victim)
    result = invoke(runner, "run", corpus, "--key", key, "--out", out)
    assert result.exit_code == 3 and "did not write" in result.output
    assert victim.read_text(encoding="utf-8") == "à garder" and (out / "E01.txt").is_symlink()


@pytest.mark.slow
def test_attack_access_log_pointed_at_the_key_file_is_refused(runner, tmp_path) -> None:
    key = _key(runner, tmp_path)
    corpus = _folder(tmp_path, "in", {"E01.txt": FIRST})
    out = tmp_path / "out"
    assert invoke(runner, "run", corpus, "--key", key, "--out", out).exit_code == 0
    before = key.read_bytes()
    for target in (key, out / "audit.jsonl", out / "E01.txt"):
        result = invoke(runner, "reidentify", out / "E01.txt", "--key", key, "--out", tmp_path / "r",
                        "--reason", "contrôle", "--access-log", target)
        assert result.exit_code == 3 and len(result.output.splitlines()) == 1, result.output
    assert key.read_bytes() == before and not (tmp_path / "r" / "E01.txt").exists()
    result = invoke(runner, "reidentify", out / "E01.txt", "--key", key, "--out", out, "--reason", "contrôle")
    assert result.exit_code == 3 and (out / "E01.txt").read_text(encoding="utf-8") != FIRST


# -- 8. restored originals and the access log are private ----------------------------------------
@pytest.mark.slow
def test_attack_restored_originals_and_the_access_log_are_0600_in_0700(runner, tmp_path) -> None:
    os.umask(0o022)
    key = _key(runner, tmp_path)
    corpus = _folder(tmp_path, "in", {"E01.txt": FIRST})
    out = tmp_path / "out"
    assert invoke(runner, "run", corpus, "--key", key, "--out", out).exit_code == 0
    restored, path = _restore(runner, tmp_path, key, out / "E01.txt")
    assert restored.exit_code == 0 and path.read_text(encoding="utf-8") == FIRST
    assert stat.S_IMODE(path.stat().st_mode) == 0o600 and stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(Path(f"{key}.access.jsonl").stat().st_mode) == 0o600
    assert stat.S_IMODE(key.stat().st_mode) == 0o600 and kf.load(key, PASSPHRASE).access_log["count"] == 1


# -- 11. the access log and the key file's head, after a crash or a deletion ----------------------
@pytest.mark.slow
def test_attack_a_deleted_access_log_stops_reidentification_until_a_new_one_is_recorded(runner, tmp_path) -> None:
    key = _key(runner, tmp_path)
    corpus = _folder(tmp_path, "in", {"E01.txt": FIRST})
    out = tmp_path / "out"
    assert invoke(runner, "run", corpus, "--key", key, "--out", out).exit_code == 0
    assert _restore(runner, tmp_path, key, out / "E01.txt")[0].exit_code == 0
    log = Path(f"{key}.access.jsonl")
    log.unlink()
    refused, path = _restore(runner, tmp_path / "again", key, out / "E01.txt")
    assert refused.exit_code == 3 and "access log the key file expects is missing" in refused.output
    assert not path.exists() and not log.exists()
    result = invoke(runner, "reidentify", out / "E01.txt", "--key", key, "--out", tmp_path / "r2",
                    "--reason", "contrôle", "--new-access-log")
    assert result.exit_code == 0, result.output
    records = [json.loads(line)["record"] for line in log.read_text(encoding="utf-8").splitlines()]
    assert records == ["new-log", "access"]
    verified = invoke(runner, "audit", log, "--verify", "--key", key)
    assert verified.exit_code == 0 and "chain intact" in verified.output


# -- 14. passphrases ------------------------------------------------------------------------------
SHORT = "onze carac."  # 11 characters


@pytest.mark.parametrize("command", ["init", "init --separate", "passwd", "grant pseudonymise", "grant reidentify"])
def test_attack_a_short_new_passphrase_is_refused(tmp_path, command) -> None:
    """Every place that sets a passphrase asks for 12 characters: one line, exit 2, nothing written."""
    runner = CliRunner()
    key = tmp_path / "team.key"
    if command.startswith("init"):
        env = {"ANONYMISER_PASSPHRASE": SHORT} if command == "init" else \
            {"ANONYMISER_PASSPHRASE": PASSPHRASE, "ANONYMISER_REIDENTIFY_PASSPHRASE": SHORT}
        args = ["key", *command.split(), str(key)]
    else:
        _key(runner, tmp_path)
        env = {"ANONYMISER_NEW_PASSPHRASE": SHORT}
        verb, *role = command.split()
        args = ["key", verb, str(key), *(["--role", role[0]] if role else [])]
    before = key.read_bytes() if key.exists() else None
    result = invoke(runner, *args, **env)
    assert result.exit_code == 2
    assert result.output == "anonymiser: error: a new passphrase needs at least 12 characters\n"
    assert (key.read_bytes() if key.exists() else None) == before and not Path(f"{key}.bak").exists()
    if before is not None:
        kf.load(key, PASSPHRASE)  # the passphrase is unchanged


# -- 9. the sealing key is pinned outside the key file ----------------------------------------------
ASSISTANT, DIRECTION = "phrase de l'assistant", "phrase de la direction"


def _separate(runner, tmp_path: Path) -> Path:
    key = tmp_path / "team.key"
    result = invoke(runner, "key", "init", key, "--separate", ANONYMISER_PASSPHRASE=ASSISTANT,
                    ANONYMISER_REIDENTIFY_PASSPHRASE=DIRECTION)
    assert result.exit_code == 0 and crypto.fingerprint(kf.load(key, ASSISTANT).public_key) in result.output
    return key


def _redirect_sealing(key: Path) -> None:
    """What a holder of the pseudonymise passphrase can do with the library: put a key of their
    own where the originals are sealed to."""

    keyfile = kf.load(key, ASSISTANT)
    keyfile._public_key = crypto.new_keypair()[1]
    kf.save(keyfile, key)


def test_attack_a_redirected_sealing_key_is_refused_before_anything_is_sealed(tmp_path) -> None:
    runner = CliRunner()
    key = _separate(runner, tmp_path)
    assert 'sealing_key = "sha256:' in (tmp_path / "anonymiser.toml").read_text(encoding="utf-8")
    _redirect_sealing(key)
    before = key.read_bytes()
    added = invoke(runner, "key", "add", key, "Odile Brossard", "--label", "PERSON", ANONYMISER_PASSPHRASE=ASSISTANT)
    assert added.exit_code == 3 and "is not the one" in added.output and len(added.output.splitlines()) == 1
    assert key.read_bytes() == before
    shown = invoke(runner, "key", "show", key, ANONYMISER_PASSPHRASE=DIRECTION)
    assert shown.exit_code == 3 and "sealing key was replaced" in shown.output


@pytest.mark.slow
def test_attack_a_run_refuses_a_redirected_sealing_key(runner, tmp_path) -> None:
    key = _separate(runner, tmp_path)
    _redirect_sealing(key)
    before = key.read_bytes()
    corpus = _folder(tmp_path, "in", {"E01.txt": FIRST})
    result = invoke(runner, "run", corpus, "--key", key, "--out", tmp_path / "out", ANONYMISER_PASSPHRASE=ASSISTANT)
    assert result.exit_code == 3 and "is not the one" in result.output and len(result.output.splitlines()) == 1
    assert key.read_bytes() == before and not (tmp_path / "out" / "E01.txt").exists()


def test_attack_an_unpinned_key_file_is_pinned_with_the_reidentification_passphrase(tmp_path) -> None:
    """A key file from before the pin: each command that seals warns and says how to pin it;
    'key pin' needs the re-identification passphrase (it checks the key), never replaces a pin."""
    runner = CliRunner()
    key = tmp_path / "old.key"
    kf.create(key, ASSISTANT, reidentify_passphrase=DIRECTION)  # no project file
    added = invoke(runner, "key", "add", key, "Odile Brossard", "--label", "PERSON", ANONYMISER_PASSPHRASE=ASSISTANT)
    assert added.exit_code == 0 and f"not pinned; pin it with 'anonymiser key pin {key}'" in added.output
    refused = invoke(runner, "key", "pin", key, ANONYMISER_PASSPHRASE=ASSISTANT)
    assert refused.exit_code == 3 and not (tmp_path / "anonymiser.toml").exists()
    pinned = invoke(runner, "key", "pin", key, ANONYMISER_PASSPHRASE=DIRECTION)
    fingerprint = crypto.fingerprint(kf.load(key, ASSISTANT).public_key)
    assert pinned.exit_code == 0 and fingerprint in pinned.output
    assert f'sealing_key = "{fingerprint}"' in (tmp_path / "anonymiser.toml").read_text(encoding="utf-8")
    quiet = invoke(runner, "key", "add", key, "Gaspard Lemarchal", "--label", "PERSON", ANONYMISER_PASSPHRASE=ASSISTANT)
    assert quiet.exit_code == 0 and "warning" not in quiet.output
    other = tmp_path / "other.key"
    kf.create(other, DIRECTION)
    clash = invoke(runner, "key", "pin", other, ANONYMISER_PASSPHRASE=DIRECTION)
    assert clash.exit_code == 3 and "pins another sealing key" in clash.output
    assert f'sealing_key = "{fingerprint}"' in (tmp_path / "anonymiser.toml").read_text(encoding="utf-8")


# -- 10. nothing goes back unseen: the access log, the key file, the audit log ----------------------
def _lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.mark.slow
def test_attack_an_older_key_file_with_a_cut_access_log_is_seen(runner, tmp_path) -> None:
    """Restore a copy of the key file made before an access, cut the access log to match: the
    access log alone says "chain intact", the audit log the access was made from does not."""
    key = _key(runner, tmp_path)
    out = tmp_path / "out"
    assert invoke(runner, "run", _folder(tmp_path, "in", {"E01.txt": FIRST}), "--key", key, "--out", out).exit_code == 0
    assert _restore(runner, tmp_path, key, out / "E01.txt")[0].exit_code == 0
    old = tmp_path / "old.key"
    old.write_bytes(key.read_bytes())
    assert _restore(runner, tmp_path / "second", key, out / "E01.txt")[0].exit_code == 0
    log = Path(f"{key}.access.jsonl")
    key.write_bytes(old.read_bytes())  # cp old.key team.key
    log.write_text(log.read_text(encoding="utf-8").splitlines(keepends=True)[0], encoding="utf-8")  # access 2 cut
    alone = invoke(runner, "audit", log, "--verify", "--key", key)
    assert alone.exit_code == 0 and "1 record, chain intact" in alone.output  # the log alone cannot tell
    verified = invoke(runner, "audit", out / "audit.jsonl", "--verify", "--key", key)
    assert verified.exit_code == 3 and "the access log went back: this audit log saw access 2" in verified.output
    again, path = _restore(runner, tmp_path / "again", key, out / "E01.txt")
    assert again.exit_code == 0 and path.read_text(encoding="utf-8") == FIRST
    assert "older than the one this audit log's last run used" in again.output and "went back" in again.output
    assert _lines(log)[-1]["went_back_from"] == 2  # the DPO sees it where they look


@pytest.mark.slow
def test_attack_an_access_log_elsewhere_is_recorded_in_the_key_files_own(runner, tmp_path) -> None:
    key = _key(runner, tmp_path)
    out = tmp_path / "out"
    assert invoke(runner, "run", _folder(tmp_path, "in", {"E01.txt": FIRST}), "--key", key, "--out", out).exit_code == 0
    elsewhere = tmp_path / "elsewhere.jsonl"
    result = invoke(runner, "reidentify", out / "E01.txt", "--key", key, "--out", tmp_path / "r", "--reason", "contrôle",
                    "--access-log", elsewhere)
    assert result.exit_code == 0, result.output
    own = _lines(Path(f"{key}.access.jsonl"))
    assert [r["record"] for r in own] == ["access"] and own[0]["copied_to"] == str(elsewhere)
    assert _lines(elsewhere)[0]["copy"] is True and _lines(elsewhere)[0]["reason"] == "contrôle"
    for log in (Path(f"{key}.access.jsonl"), elsewhere):
        verified = invoke(runner, "audit", log, "--verify", "--key", key)
        assert verified.exit_code == 0 and "chain intact" in verified.output, verified.output


@pytest.mark.slow
def test_attack_deleting_the_last_run_of_an_audit_log_is_seen(runner, tmp_path) -> None:
    key = _key(runner, tmp_path)
    out = tmp_path / "out"
    assert invoke(runner, "run", _folder(tmp_path, "first", {"E01.txt": FIRST}), "--key", key, "--out", out).exit_code == 0
    assert invoke(runner, "run", _folder(tmp_path, "second", {"E02.txt": SECOND}), "--key", key,
                  "--out", out).exit_code == 0
    log = out / "audit.jsonl"
    lines = log.read_text(encoding="utf-8").splitlines(keepends=True)
    first_end = next(i for i, line in enumerate(lines) if json.loads(line)["record"] == "end")
    log.write_text("".join(lines[:first_end + 1]), encoding="utf-8")  # the second run is gone, chain intact
    verified = invoke(runner, "audit", log, "--verify", "--key", key)
    assert verified.exit_code == 3 and "records are missing at its end" in verified.output
    before = log.read_bytes()
    third = invoke(runner, "run", _folder(tmp_path, "third", {"E03.txt": SECOND}), "--key", key, "--out", out)
    assert third.exit_code == 3 and "records are missing at its end" in third.output
    assert log.read_bytes() == before and not (out / "E03.txt").exists()


@pytest.mark.slow
def test_attack_an_older_key_file_is_said_at_the_next_run(runner, tmp_path) -> None:
    key = _key(runner, tmp_path)
    old = tmp_path / "old.key"
    old.write_bytes(key.read_bytes())
    out = tmp_path / "out"
    assert invoke(runner, "run", _folder(tmp_path, "first", {"E01.txt": FIRST}), "--key", key, "--out", out).exit_code == 0
    key.write_bytes(old.read_bytes())  # the entities of the first run are lost with it
    result = invoke(runner, "run", _folder(tmp_path, "second", {"E02.txt": SECOND}), "--key", key, "--out", out)
    assert result.exit_code == 0 and "older than the one this audit log's last run used" in result.output
