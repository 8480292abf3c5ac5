"""cli/audit: ``anonymiser audit`` summarises a hand-built log per label, per file and per grid
field, and ``--verify`` checks its hash chain with the key file; ``evaluate`` prints scores
and counts, never a mention, and writes the errors to a private file (click's CliRunner, no
model)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from anonymiser import audit
from anonymiser.cli import cli
from anonymiser.keys import format as kf

PASS = {"ANONYMISER_PASSPHRASE": "cheval correct"}


def mention(document: str, label: str, entity: str, field: str = "") -> dict:
    return {"record": "mention", "document": document, "path": f"{document}.txt", "label": label,
            "entity_id": entity, "field": field, "pseudonym": "Léa Martin", "hash": "h"}


RECORDS = [mention("E01", "PERSON", "PER-0001", "Profession"), mention("E01", "PERSON", "PER-0001"),
           mention("E01", "MUNICIPALITY", "COM-0001"), mention("E02", "PERSON", "PER-0002", "Profession"),
           {"record": "document", "document": "E01", "mentions": 3}, {"record": "document", "document": "E02",
                                                                      "mentions": 1}]


@pytest.fixture(scope="module")
def key(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("key") / "k.key"
    kf.create(path, PASS["ANONYMISER_PASSPHRASE"])
    return path


@pytest.fixture()
def log(tmp_path: Path, key: Path) -> Path:
    chained = audit.chain(RECORDS, kf.load(key, PASS["ANONYMISER_PASSPHRASE"]).chain_key("audit"))
    path = tmp_path / "audit.jsonl"
    path.write_text("".join(audit.dumps(r) + "\n" for r in chained), encoding="utf-8")
    return path


def test_cli_audit_summary_per_label_and_per_file(log: Path) -> None:
    result = CliRunner().invoke(cli, ["audit", str(log)])
    assert result.exit_code == 0, result.output
    per_label, per_file = result.output.split("per file:")
    assert per_label.startswith("per label:")
    rows = {line.split()[0]: line.split()[1:] for line in per_label.splitlines()[2:] if line.strip()}
    assert rows["MUNICIPALITY"] == ["1", "1"] and rows["PERSON"] == ["3", "2"]
    files = {line.split()[0]: line.split()[1:] for line in per_file.splitlines() if line.startswith("E0")}
    assert files == {"E01": ["1", "2", "3"], "E02": ["0", "1", "1"]}


def test_cli_audit_summary_by_field(log: Path) -> None:
    result = CliRunner().invoke(cli, ["audit", str(log), "--by-field"])
    assert result.exit_code == 0 and result.output.startswith("per field:")
    rows = {line.rsplit(None, 3)[0].strip(): line.split()[-3:] for line in result.output.splitlines()[3:]}
    assert rows == {"(outside the grid)": ["1", "1", "2"], "Profession": ["0", "2", "2"]}


def test_cli_audit_summary_of_a_log_without_mentions(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    path.write_text('{"record": "end", "count": 0}\n', encoding="utf-8")
    result = CliRunner().invoke(cli, ["audit", str(path)])
    assert result.exit_code == 0 and result.output.count("(no mentions)") == 2


def test_cli_audit_verify_an_intact_log(log: Path, key: Path) -> None:
    result = CliRunner().invoke(cli, ["audit", str(log), "--verify", "--key", str(key)], env=PASS)
    assert result.exit_code == 0, result.output
    assert result.output == f"{log}: 7 records, chain intact\n"


def test_cli_audit_verify_refuses_an_edited_log_in_one_line(log: Path, key: Path) -> None:
    lines = log.read_text(encoding="utf-8").splitlines()
    edited = json.loads(lines[1])
    edited["label"] = "LOCATION"
    lines[1] = audit.dumps(edited)
    log.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["audit", str(log), "--verify", "--key", str(key)], env=PASS)
    assert result.exit_code == 3
    assert result.stderr == f"anonymiser: error: {log}: verification failed: record 2 was altered\n"


def test_cli_audit_verify_refuses_a_truncated_log(log: Path, key: Path) -> None:
    lines = log.read_text(encoding="utf-8").splitlines()
    log.write_text("\n".join(lines[:-1]) + "\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["audit", str(log), "--verify", "--key", str(key)], env=PASS)
    assert result.exit_code == 3 and "the log is truncated (no closing record)" in result.stderr


def test_cli_audit_verify_needs_a_key(log: Path) -> None:
    result = CliRunner().invoke(cli, ["audit", str(log), "--verify"])
    assert result.exit_code == 3 and result.stderr == f"anonymiser: error: {log}: --verify needs --key\n"


def test_cli_audit_a_damaged_log_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    path.write_text('{"record": "mention"}\n{"Odile Brossard\n', encoding="utf-8")
    result = CliRunner().invoke(cli, ["audit", str(path)])
    assert result.exit_code == 3 and "damaged audit record at line 2" in result.stderr
    assert "Brossard" not in result.output + result.stderr


# -- evaluate (a hand-built engine: no model) ---------------------------------------------------
GOLD_TEXT = "Mireille Kerlouan : on a vu Gaëlle à Plouzévet.\nENQ : et après ?\n"


class ScriptedEngine:
    """Finds the speaker and the ENQ tag (a false positive), misses "Gaëlle" and the commune."""

    def detect_documents(self, documents, *, key=None):
        from anonymiser.model import Detected, Span

        out = []
        for document in documents:
            text = document.text
            enq = text.index("ENQ")
            spans = (Span.of(text, 0, 17, "PERSON", recognizer="fr.person.speaker"),
                     Span.of(text, enq, enq + 3, "LOCATION", recognizer="fr.ner.spacy.location", propagated=True))
            out.append(Detected.of(document, spans))
        return out


@pytest.fixture()
def gold(tmp_path: Path, monkeypatch) -> Path:
    from anonymiser.cli import base

    monkeypatch.setattr(base, "_anonymiser", ScriptedEngine)
    spans = [{"start": 0, "end": 17, "label": "PERSON"}, {"start": 28, "end": 34, "label": "PERSON"},
             {"start": 37, "end": 46, "label": "MUNICIPALITY"}]
    path = tmp_path / "gold.jsonl"
    path.write_text(json.dumps({"id": "E01", "text": GOLD_TEXT, "spans": spans}, ensure_ascii=False) + "\n",
                    encoding="utf-8")
    return path


PRIVATE = ("Mireille", "Kerlouan", "Gaëlle", "Plouzévet", "ENQ")


def test_cli_audit_evaluate_prints_scores_and_counts_never_a_mention(gold: Path) -> None:
    result = CliRunner().invoke(cli, ["evaluate", "--gold", str(gold), "--by-rule"])
    assert result.exit_code == 0, result.output
    assert not any(word in result.output for word in PRIVATE)
    assert "PERSON recall without speaker labels: 0.000 (0/1)" in result.output
    assert "misses: 2 (0 partial); false positives: 1" in result.output
    rows = {line.split()[0]: line.split()[1:] for line in result.output.split("\nrule ")[1].splitlines()[1:]}
    assert rows == {"fr.ner.spacy.location": ["0", "1", "1", "1"], "fr.person.speaker": ["1", "1", "0", "0"]}


def test_cli_audit_evaluate_json_has_scores_and_counts_only(gold: Path) -> None:
    result = CliRunner().invoke(cli, ["evaluate", "--gold", str(gold), "--json", "--by-rule"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert not any(word in result.output for word in PRIVATE)
    assert report["person_without_speakers"] == {"gold": 1, "recall": 0.0}
    assert (report["misses"], report["false_positives"], report["fully_masked"]) == (2, 1, 0)
    assert report["rules"]["fr.person.speaker"] == {"masked": 1, "predicted": 1, "false_positives": 0,
                                                    "propagated": 0}


def test_cli_audit_evaluate_writes_the_errors_to_a_private_file(gold: Path, tmp_path: Path) -> None:
    errors = tmp_path / "errors.jsonl"
    result = CliRunner().invoke(cli, ["evaluate", "--gold", str(gold), "--errors", str(errors)])
    assert result.exit_code == 0, result.output
    assert not any(word in result.output for word in PRIVATE)
    assert errors.stat().st_mode & 0o777 == 0o600
    records = [json.loads(line) for line in errors.read_text(encoding="utf-8").splitlines()]
    assert [(r["kind"], r["text"]) for r in records] == [("miss", "Gaëlle"), ("miss", "Plouzévet"),
                                                         ("false_positive", "ENQ")]
    assert records[0]["before"] == GOLD_TEXT[:28] and records[0]["after"] == GOLD_TEXT[34:94]
    assert records[2]["recognizer"] == "fr.ner.spacy.location" and records[2]["propagated"] is True
    assert {p.name for p in tmp_path.iterdir()} == {"gold.jsonl", "errors.jsonl"}  # no temporary file left


def test_cli_audit_evaluate_refuses_to_write_the_errors_over_an_input(gold: Path) -> None:
    before = gold.read_bytes()
    result = CliRunner().invoke(cli, ["evaluate", "--gold", str(gold), "--errors", str(gold)])
    assert result.exit_code != 0 and "overwrite an input" in result.output
    assert gold.read_bytes() == before
