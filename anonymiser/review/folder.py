"""Where a review report lives: a private folder, never mixed with what is shared, written
whole once every page is rendered."""

from __future__ import annotations

import json
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from anonymiser.documents.files import atomic_write
from anonymiser.errors import RefusedError
from anonymiser.i18n import N_

REVIEW_MARKER = ".anonymiser-review"  # in every review folder: 'run' never writes there


def refuse_review_folder(out: Path) -> None:
    """'run' writes what is to be shared: never into (or under) a review report's folder."""
    for folder in (out.resolve(), *out.resolve().parents):
        if (folder / REVIEW_MARKER).exists():
            raise RefusedError(str(out), N_("this is a review report folder (personal data): choose another --out"))


def check_review_folder(out: Path) -> None:
    """Refuse an --out that holds pseudonymised output or anything but an earlier report."""
    for folder in (out.resolve(), *out.resolve().parents):
        if (folder / "audit.jsonl").exists():
            raise RefusedError(str(out), N_("this folder holds pseudonymised output (audit.jsonl): the report holds "
                                            "personal data, write it elsewhere"))
    if out.exists() and any(out.iterdir()) and not (out / REVIEW_MARKER).exists():
        raise RefusedError(str(out), N_("folder is not empty and holds no earlier review report"))


ATTENTION = "attention.jsonl"


def _open_folder(out: Path) -> None:
    check_review_folder(out)
    out.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(out, 0o700)
    atomic_write(out / REVIEW_MARKER, b"anonymiser review report: personal data, do not share\n", mode=0o600)


def write_attention(out: Path, records: Sequence[Mapping[str, Any]]) -> Path:
    """Write the needs-attention list into ``out/attention.jsonl`` (one item a line, mode 0600)
    in the private review folder. Returns its path."""
    _open_folder(out)
    body = "".join(json.dumps(dict(r), ensure_ascii=False) + "\n" for r in records)
    atomic_write(out / ATTENTION, body.encode("utf-8"), mode=0o600)
    return out / ATTENTION


def write_report(out: Path, pages: Mapping[str, str]) -> Path:
    """Write the rendered ``pages`` into ``out`` (mode 0700, files 0600), marked as a review
    folder; pages of an earlier report that this one has not are removed. Returns the index."""
    _open_folder(out)
    for stale in out.glob("doc-*.html"):
        if stale.name not in pages:
            stale.unlink()
    for name, html in pages.items():
        atomic_write(out / name, html.encode("utf-8"), mode=0o600)
    return out / "index.html"
