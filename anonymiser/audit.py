"""Audit records: what was masked, where, by which rule; never the original text.

Each replaced mention gives one ``mention`` record; each document one ``document`` record
(keyed hash of the input, SHA-256 of the output). ``summarise`` builds the per-label and
per-file tables with pandas.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from .errors import RefusedError
from .grid import GridRegion, field_at
from .keyfile import KeyFile
from .model import Document, Replacement

AUDIT_VERSION = 1


def mention_records(document: Document, replacements: Sequence[Replacement],
                    regions: Sequence[GridRegion], keyfile: KeyFile) -> list[dict[str, Any]]:
    """One record per replacement, in document order."""
    records = []
    for r in replacements:
        records.append({
            "record": "mention",
            "document": document.id,
            "path": document.path,
            "line": document.text.count("\n", 0, r.start) + 1,
            "field": field_at(list(regions), r.start),
            "start": r.start,
            "end": r.end,
            "out_start": r.out_start,
            "out_end": r.out_end,
            "label": r.label,
            "recognizer": r.recognizer,
            "score": r.score,
            "entity_id": r.entity_id,
            "pseudonym": r.replacement,
            "hash": keyfile.keyed_hash(r.original),
            "context": r.context,
        })
    return records


def document_record(document: Document, output: str, mentions: int, keyfile: KeyFile) -> dict[str, Any]:
    return {
        "record": "document",
        "document": document.id,
        "path": document.path,
        "encoding": document.encoding,
        "mentions": mentions,
        "input_hash": keyfile.keyed_hash(document.text),
        "output_sha256": hashlib.sha256(output.encode("utf-8")).hexdigest(),
        "version": AUDIT_VERSION,
    }


def dumps(record: dict[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False, sort_keys=True)


def read_records(path: str | Path) -> list[dict[str, Any]]:
    """Read an audit JSONL file; a damaged line is a one-line refusal."""
    p = Path(path)
    try:
        lines = p.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError as exc:
        raise RefusedError(str(p), "audit file not found") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise RefusedError(str(p), "cannot read audit file") from exc
    records = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise RefusedError(str(p), f"damaged audit record at line {number}") from exc
        if not isinstance(record, dict) or "record" not in record:
            raise RefusedError(str(p), f"not an audit record at line {number}")
        records.append(record)
    return records


def summarise(records: Iterable[dict[str, Any]]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(per-label table, per-file table) of masked mentions and distinct entities."""
    mentions = pd.DataFrame([r for r in records if r.get("record") == "mention"])
    if mentions.empty:
        empty = pd.DataFrame(columns=["mentions", "entities"])
        return empty, empty
    by_label = mentions.groupby("label").agg(mentions=("entity_id", "size"), entities=("entity_id", "nunique"))
    by_file = mentions.pivot_table(index="document", columns="label", values="entity_id",
                                   aggfunc="size", fill_value=0)
    by_file["total"] = by_file.sum(axis=1)
    return by_label.sort_index(), by_file.sort_index()
