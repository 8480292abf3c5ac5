"""The review report's folder: never mixed with shared output, written whole, private."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from anonymiser.errors import RefusedError
from anonymiser.review.folder import (
    REVIEW_MARKER,
    check_review_folder,
    refuse_review_folder,
    write_report,
)


def test_review_folder_written_private_with_its_marker(tmp_path: Path) -> None:
    out = tmp_path / "rapport"
    index = write_report(out, {"index.html": "<p>i</p>", "doc-001.html": "<p>1</p>"})
    assert index == out / "index.html" and index.read_text() == "<p>i</p>"
    assert (out / REVIEW_MARKER).exists()
    assert stat.S_IMODE(out.stat().st_mode) == 0o700
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in out.iterdir())


def test_review_folder_pages_of_an_earlier_report_are_removed(tmp_path: Path) -> None:
    out = tmp_path / "rapport"
    write_report(out, {"index.html": "a", "doc-001.html": "1", "doc-002.html": "2"})
    write_report(out, {"index.html": "b", "doc-001.html": "1"})
    assert sorted(p.name for p in out.iterdir()) == sorted([REVIEW_MARKER, "index.html", "doc-001.html"])


def test_review_folder_refuses_a_folder_of_other_files(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("x")
    with pytest.raises(RefusedError, match="not empty"):
        check_review_folder(tmp_path)
    with pytest.raises(RefusedError):
        write_report(tmp_path, {"index.html": "x"})
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_review_folder_refuses_pseudonymised_output(tmp_path: Path) -> None:
    (tmp_path / "audit.jsonl").write_text("{}\n")
    with pytest.raises(RefusedError, match="pseudonymised output"):
        check_review_folder(tmp_path / "rapport")


def test_review_folder_run_never_writes_into_a_report(tmp_path: Path) -> None:
    write_report(tmp_path / "rapport", {"index.html": "x"})
    with pytest.raises(RefusedError, match="review report folder"):
        refuse_review_folder(tmp_path / "rapport" / "sous-dossier")
    refuse_review_folder(tmp_path / "ailleurs")  # anywhere else is fine


def test_review_folder_attention_list_is_private_jsonl(tmp_path: Path) -> None:
    import json

    from anonymiser.review.folder import write_attention

    out = tmp_path / "rapport"
    records = [{"id": "e1", "start": 3, "end": 9, "label": "PERSON", "reason": "possible_miss"}]
    path = write_attention(out, records)
    assert path == out / "attention.jsonl"
    assert [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()] == records
    assert stat.S_IMODE(path.stat().st_mode) == 0o600 and stat.S_IMODE(out.stat().st_mode) == 0o700
    assert (out / REVIEW_MARKER).exists()
