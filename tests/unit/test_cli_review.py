"""cli/review: ``review`` writes a private report folder (0700, pages 0600, marked as a review),
reads the key file without writing it, and refuses a folder of other files or a run's output."""

from __future__ import annotations

import stat

import pytest
from click.testing import CliRunner

from anonymiser import cli as cli_module
from anonymiser.keys import format as kf
from anonymiser.review.folder import REVIEW_MARKER
from tests.unit.keying import PASSPHRASE

from .invoking import ENGLISH, invoke

TEXT = ("Entretien avec Mme Gwenaëlle Quéméner, adjointe au maire de Landerneau.\n"
        "Elle anime l'atelier de réparation du jeudi.\n")


@pytest.fixture()
def corpus(tmp_path):
    key = tmp_path / "projet.key"
    kf.create(key, PASSPHRASE)
    inputs = tmp_path / "entretiens"
    inputs.mkdir()
    (inputs / "entretien_01.txt").write_text(TEXT, encoding="utf-8")
    return key, inputs


def test_cli_review_refuses_a_folder_of_other_files(corpus, tmp_path) -> None:
    key, inputs = corpus
    out = tmp_path / "rapport"
    out.mkdir()
    (out / "notes.txt").write_text("mes notes\n", encoding="utf-8")
    before = key.read_bytes()
    result = invoke("review", str(inputs), "--key", str(key), "--out", str(out), env=ENGLISH)
    assert result.exit_code == 3 and result.stderr.count("\n") == 1
    assert "folder is not empty and holds no earlier review report" in result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["notes.txt"] and key.read_bytes() == before


def test_cli_review_refuses_a_runs_output(corpus, tmp_path) -> None:
    key, inputs = corpus
    shared = tmp_path / "anonymise"
    shared.mkdir()
    (shared / "audit.jsonl").write_text("", encoding="utf-8")
    result = invoke("review", str(inputs), "--key", str(key), "--out", str(shared / "rapport"), env=ENGLISH)
    assert result.exit_code == 3 and "audit.jsonl" in result.stderr
    assert not (shared / "rapport").exists()


def test_cli_review_refuses_when_no_document_is_left(corpus, tmp_path) -> None:
    key, _inputs = corpus
    empty = tmp_path / "vide.txt"
    empty.write_bytes(b"")
    result = invoke("review", str(empty), "--key", str(key), "--out", str(tmp_path / "rapport"), env=ENGLISH)
    assert result.exit_code == 3 and "no document to review" in result.stderr
    assert not (tmp_path / "rapport").exists()


@pytest.mark.slow
def test_cli_review_writes_a_private_report_folder(runner: CliRunner, corpus, tmp_path) -> None:
    key, inputs = corpus
    (inputs / "vide.txt").write_bytes(b"")  # skipped: exit code 1, the report is still written
    before = key.read_bytes()
    out = tmp_path / "rapport"
    result = runner.invoke(cli_module.cli, ["review", str(inputs), "--key", str(key), "--out", str(out)],
                           env={**ENGLISH, "ANONYMISER_PASSPHRASE": PASSPHRASE}, catch_exceptions=False)
    assert result.exit_code == 1, result.output
    assert result.stdout.startswith("review of 1 document, ") and result.stdout.rstrip().endswith(
        f"-> {out / 'index.html'}")
    assert "the report holds personal data" in result.stderr
    assert stat.S_IMODE(out.stat().st_mode) == 0o700
    files = sorted(out.iterdir())
    assert [f.name for f in files] == [REVIEW_MARKER, "doc-001.html", "index.html"]
    assert all(stat.S_IMODE(f.stat().st_mode) == 0o600 for f in files)
    assert "Quéméner" in (out / "doc-001.html").read_text(encoding="utf-8")  # the report is the private side
    assert key.read_bytes() == before, "review must not write the key file"
    # an earlier report's folder is written again; a run never writes into it
    again = runner.invoke(cli_module.cli, ["review", str(inputs), "--key", str(key), "--out", str(out)],
                          env={**ENGLISH, "ANONYMISER_PASSPHRASE": PASSPHRASE}, catch_exceptions=False)
    assert again.exit_code == 1 and all((out / f.name).read_bytes() == f.read_bytes() for f in files)
    refused = runner.invoke(cli_module.cli, ["run", str(inputs), "--key", str(key), "--out", str(out / "partage")],
                            env={**ENGLISH, "ANONYMISER_PASSPHRASE": PASSPHRASE}, catch_exceptions=False)
    assert refused.exit_code == 3 and not (out / "partage").exists()


@pytest.mark.slow
def test_cli_review_jsonl_writes_the_attention_list(runner: CliRunner, corpus, tmp_path) -> None:
    import json

    key, inputs = corpus
    (inputs / "entretien_02.txt").write_text("Moi j'ai grandi près de l'île du moulin, vers Zorbanville.\n", encoding="utf-8")
    out = tmp_path / "rapport"
    env = {**ENGLISH, "ANONYMISER_PASSPHRASE": PASSPHRASE}
    result = runner.invoke(cli_module.cli, ["review", str(inputs), "--key", str(key), "--out", str(out),
                                            "--format", "jsonl"], env=env, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    path = out / "attention.jsonl"
    assert sorted(p.name for p in out.iterdir()) == [REVIEW_MARKER, "attention.jsonl"]  # no HTML asked for
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    detected = runner.invoke(cli_module.cli, ["detect", str(inputs)], env=env, catch_exceptions=False)
    ids = {json.loads(line)["id"] for line in detected.stdout.splitlines()}
    assert all(set(r) == {"id", "start", "end", "label", "reason"} for r in records)
    assert {r["id"] for r in records} <= ids and "entretien_02" in ids
    text = (inputs / "entretien_02.txt").read_text(encoding="utf-8")
    mine = {text[r["start"]:r["end"]]: r["reason"] for r in records if r["id"] == "entretien_02"}
    assert mine.get("moulin") == "review.lower_place" and mine.get("Zorbanville") == "possible_miss"
    both = runner.invoke(cli_module.cli, ["review", str(inputs), "--key", str(key), "--out", str(out),
                                          "--format", "html", "--format", "jsonl"], env=env, catch_exceptions=False)
    assert both.exit_code == 0 and (out / "index.html").exists() and path.exists()
