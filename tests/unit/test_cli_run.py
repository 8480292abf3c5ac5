"""cli/run: ``detect`` prints one JSON object per document, or the documents with their detections
marked (on a terminal only); ``run`` pseudonymises a folder with its audit log and key file
(click's CliRunner)."""

from __future__ import annotations

import json

import click

import pytest

from anonymiser.cli import base, cli
from anonymiser.cli import run as cli_run
from anonymiser.keys import format as kf
from anonymiser.model import Detected, Span

PASS = {"ANONYMISER_PASSPHRASE": "cheval correct"}
TEXT = "Entretien avec Odile Brossard à Combelorge.\nOdile Brossard préside la Maison des Lisse.\n"


class FakeEngine:
    """Finds "Odile Brossard" wherever it is: the detect command without the model."""

    def __init__(self) -> None:
        self.keys: list[object] = []

    def detect_documents(self, documents, key=None):
        self.keys.append(key)
        for index, document in enumerate(documents):
            at = document.text.find("Odile Brossard")
            spans = (Span.of(document.text, at, at + 14, "PERSON", score=0.85, recognizer="fr.person.full_name"),) \
                if at >= 0 else ()
            yield Detected.of(document, spans, index=index)


def test_cli_run_detect_prints_one_json_line_per_document(monkeypatch, tmp_path) -> None:
    from click.testing import CliRunner

    engine = FakeEngine()
    monkeypatch.setattr(base, "_anonymiser", lambda: engine)
    (tmp_path / "E01.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "E02.md").write_text("Rien à signaler.\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["detect", str(tmp_path)])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.output.splitlines()]
    assert lines == [
        {"id": "E01", "path": "E01.txt", "spans": [{"start": 15, "end": 29, "label": "PERSON", "score": 0.85,
                                                   "recognizer": "fr.person.full_name"}]},
        {"id": "E02", "path": "E02.md", "spans": []}]
    assert engine.keys == [None]


def test_cli_run_detect_skips_an_unreadable_document_with_exit_code_1(monkeypatch, tmp_path) -> None:
    from click.testing import CliRunner

    monkeypatch.setattr(base, "_anonymiser", FakeEngine)
    (tmp_path / "E01.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "E02.txt").write_bytes(b"")
    result = CliRunner().invoke(cli, ["detect", str(tmp_path)])
    assert result.exit_code == 1
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == ["E01"]
    assert "anonymiser: skipped: " in result.stderr and "E02.txt: empty file" in result.stderr


def test_cli_run_detect_text_marks_detections_inline_on_a_terminal_only(monkeypatch, tmp_path) -> None:
    from click.testing import CliRunner

    monkeypatch.setattr(base, "_anonymiser", FakeEngine)
    (tmp_path / "E01.txt").write_text(TEXT, encoding="utf-8")
    piped = CliRunner().invoke(cli, ["detect", str(tmp_path), "--format", "text"])
    assert piped.exit_code == 2 and piped.stdout == ""  # a pipe or a file: refused, nothing shown
    assert "--format text" in piped.stderr and "terminal" in piped.stderr and "Brossard" not in piped.stderr
    monkeypatch.setattr(cli_run, "_stdout_is_terminal", lambda: True)
    for lang, name, heading in (("en", "PERSON", "1 detection"), ("fr", "Personne", "1 détection")):
        shown = CliRunner().invoke(cli, ["--lang", lang, "detect", str(tmp_path), "--format", "text"])
        assert shown.exit_code == 0, shown.output
        assert shown.stdout.splitlines() == [
            f"── E01.txt · {heading} ──",
            f"Entretien avec ⟦Odile Brossard · {name}⟧ à Combelorge.",
            "Odile Brossard préside la Maison des Lisse."]  # the fake engine finds the first only
        assert "personal data" in shown.stderr or "données personnelles" in shown.stderr  # the warning


def test_cli_run_marked_shows_the_first_of_overlapping_spans() -> None:
    from anonymiser.model import Document

    text = "Vu avec Léa Brun à Riom."
    spans = [Span.of(text, 8, 16, "PERSON"), Span.of(text, 12, 16, "PERSON"), Span.of(text, 19, 23, "MUNICIPALITY")]
    shown = click.unstyle(cli_run.marked(Document("e1", text, "e1.txt"), spans))
    assert shown == "── e1.txt · 3 detections ──\nVu avec ⟦Léa Brun · PERSON⟧ à ⟦Riom · MUNICIPALITY⟧."


@pytest.mark.slow
def test_cli_run_pseudonymises_a_folder_with_its_audit_and_key_file(runner, tmp_path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "E01.txt").write_text(TEXT, encoding="utf-8")
    key = tmp_path / "k.key"
    assert runner.invoke(cli, ["key", "init", str(key)], env=PASS).exit_code == 0
    result = runner.invoke(cli, ["detect", str(corpus), "--key", str(key)], env=PASS)
    assert result.exit_code == 0, result.output
    (detected,) = [json.loads(line) for line in result.output.splitlines()]
    assert {(TEXT[s["start"]:s["end"]], s["label"]) for s in detected["spans"]} >= {("Odile Brossard", "PERSON")}
    out = tmp_path / "out"
    result = runner.invoke(cli, ["run", str(corpus), "--key", str(key), "--out", str(out)], env=PASS)
    assert result.exit_code == 0, result.output
    assert "pseudonymised 1 document" in result.output and str(out / "audit.jsonl") in result.output
    output = (out / "E01.txt").read_text(encoding="utf-8")
    assert "Brossard" not in output and output.count("\n") == TEXT.count("\n")
    records = [json.loads(line) for line in (out / "audit.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [r["record"] for r in records][-2:] == ["document", "end"]
    assert "Brossard" not in (out / "audit.jsonl").read_text(encoding="utf-8")
    opened = kf.load(key, PASS["ANONYMISER_PASSPHRASE"])
    assert any(e.canonical == "Odile Brossard" for e in opened.entities.values())
    again = runner.invoke(cli, ["run", str(corpus), "--key", str(key), "--out", str(tmp_path / "again")], env=PASS)
    assert again.exit_code == 0 and (tmp_path / "again" / "E01.txt").read_text(encoding="utf-8") == output
