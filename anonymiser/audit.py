"""Audit records: what was masked, where, by which rule; never the original text.

Each replaced mention gives one ``mention`` record; each document one ``document`` record
(keyed hash of the input, SHA-256 of the output). Records are numbered and hash-chained
with a key derived from the key file's secret, and the log ends with an ``end`` record, so
``verify`` detects any edited, removed, inserted or reordered record. A later run into the
same folder appends its records after the head of the log, with its own ``end`` record (one
log, several runs: ``runs``). ``summarise`` builds the per-label and per-file tables with pandas.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:  # pandas loads only where a table or a summary is made (~0.25 s)
    import pandas as pd

from anonymiser.errors import NotFoundError, RefusedError
from anonymiser.i18n import N_, Message, _, screen_label, sort_key
from anonymiser.keys.store import KeyFile
from anonymiser.model import LABELS, Document, Replacement
from anonymiser.text.grid import Fields, GridRegion

AUDIT_VERSION = 1


def mention_records(document: Document, replacements: Sequence[Replacement],
                    regions: Sequence[GridRegion], keyfile: KeyFile, *,
                    kept: frozenset[str] = frozenset()) -> list[dict[str, Any]]:
    """One record per replacement, in document order (lines counted as the offsets grow). The
    mentions of the entities in ``kept`` (strategy ``keep``: left as they are) are marked
    ``"kept": true`` and carry no pseudonym, which would be their original text."""
    return list(iter_mention_records(document, replacements, regions, keyfile, kept=kept))


def iter_mention_records(document: Document, replacements: Iterable[Replacement],
                         regions: Sequence[GridRegion], keyfile: KeyFile, *,
                         kept: frozenset[str] = frozenset()) -> Iterator[dict[str, Any]]:
    """``mention_records`` one at a time, so that a long document's records need not all be
    held at once (a run writes them to a spool file as they come, ``write_spool``)."""
    fields = Fields(regions)
    line, counted = 1, 0
    for r in replacements:
        if r.start >= counted:
            line += document.text.count("\n", counted, r.start)
        else:  # out of order (never from replace_spans): count from the start
            line = document.text.count("\n", 0, r.start) + 1
        counted = r.start
        yield mention_record(document, r, line, fields.at(r.start), keyfile, kept)


def mention_record(document: Document, r: Replacement, line: int, field: str, keyfile: KeyFile,
                   kept: frozenset[str] = frozenset()) -> dict[str, Any]:
    """The record of one replacement ``r``, on ``line`` of ``document``, in ``field``."""
    record = {
        "record": "mention",
        "document": document.id,
        "path": document.path,
        "line": line,
        "field": field,
        "start": r.start,
        "end": r.end,
        "out_start": r.out_start,
        "out_end": r.out_end,
        "label": r.label,
        "recognizer": r.recognizer,
        "propagated": r.propagated,
        "score": r.score,
        "entity_id": r.entity_id,
        "pseudonym": r.replacement,
        "hash": keyfile.keyed_hash(r.original),
        "context": r.context,
    }
    if r.after_out:  # words after the mention that agree with a neutral phrase ("un lieu, il")
        record["after"] = r.after_out
    if r.entity_id in kept:
        record.update(pseudonym="", kept=True)
    return record


def write_spool(records: Iterable[dict[str, Any]], handle: IO[str]) -> int:
    """Write ``records`` to ``handle`` one JSON line each (not yet numbered nor chained: the
    run chains them in input order, ``read_spool``); returns how many."""
    count = 0
    for record in records:
        handle.write(dumps(record) + "\n")
        count += 1
    return count


def read_spool(handle: IO[str]) -> Iterator[dict[str, Any]]:
    """The records ``write_spool`` wrote, in their order."""
    for line in handle:
        yield json.loads(line)


def document_record(document: Document, output: str, mentions: int, keyfile: KeyFile, *,
                    output_sha256: str | None = None, input_hash: str | None = None) -> dict[str, Any]:
    """A document's record. ``output_sha256``, when the output was hashed as it was written
    (``run.tables``): then ``output`` need only end with its last lines, a table's header units;
    ``input_hash``, when its text was hashed as it was read (a table read as its distinct units)."""
    return {
        "record": "document",
        "document": document.id,
        "path": document.path,
        "encoding": document.encoding,
        "mentions": mentions,
        "input_hash": input_hash or keyfile.keyed_hash(document.text),
        "output_sha256": output_sha256 or hashlib.sha256(output.encode("utf-8")).hexdigest(),
        "version": AUDIT_VERSION,
        **_layout(document, output),
    }


def _layout(document: Document, output: str) -> dict[str, Any]:
    """How a structured document was read (its format; a table's pseudonymised columns, by
    their names in the output: a name in a header is not kept here either)."""
    layout = document.layout
    if layout is None:
        return {}
    if layout.format in ("csv", "xlsx"):
        renamed = layout.renamed(output)
        return {"format": layout.format, "columns": [renamed.get(c, c) for c in layout.columns]}
    return {"format": layout.format}


def dumps(record: dict[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False, sort_keys=True)


def read_records(path: str | Path) -> list[dict[str, Any]]:
    """Read an audit JSONL file; a damaged line is a one-line refusal."""
    p = Path(path)
    try:
        lines = p.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError as exc:
        raise NotFoundError(str(p), N_("audit file not found")) from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise RefusedError(str(p), N_("cannot read audit file")) from exc
    records = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise RefusedError(str(p), N_("damaged audit record at line %(line)s"), line=number) from exc
        if not isinstance(record, dict) or "record" not in record:
            raise RefusedError(str(p), N_("not an audit record at line %(line)s"), line=number)
        records.append(record)
    return records


def summarise(records: Iterable[dict[str, Any]]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(per-label table, per-file table) of masked mentions and distinct entities."""
    import pandas as pd
    mentions = pd.DataFrame([r for r in records if r.get("record") == "mention"])
    if mentions.empty:
        empty = pd.DataFrame(columns=["mentions", "entities"])
        return empty, empty
    by_label = mentions.groupby("label").agg(mentions=("entity_id", "size"), entities=("entity_id", "nunique"))
    by_file = mentions.pivot_table(index="document", columns="label", values="entity_id",
                                   aggfunc="size", fill_value=0)
    by_file["total"] = by_file.sum(axis=1)
    return by_label.sort_index(), by_file.sort_index()


# -- hash chains -------------------------------------------------------------------------
def _link(key: bytes, previous: str, record: dict[str, Any]) -> str:
    return _chain_hmac(key, previous, dumps({k: v for k, v in record.items() if k != "chain"}))


def _chain_hmac(key: bytes, previous: str, body: str) -> str:
    return hmac.new(key, (previous + "\n" + body).encode("utf-8"), hashlib.sha256).hexdigest()


class Chain:
    """Numbers and hash-chains records one at a time (HMAC under ``key``), so that a log can
    be written as it is produced; ``close`` gives the ``end`` record that counts them, so
    that a truncated log is detected too."""

    def __init__(self, key: bytes, *, previous: str = "", start: int = 0) -> None:
        self.key, self.previous, self.seq, self.count = key, previous, start, 0

    def add(self, record: dict[str, Any]) -> dict[str, Any]:
        self.count += 1
        return self._link(dict(record))

    def close(self, **fields: Any) -> dict[str, Any]:
        """The ``end`` record (``fields``: what else it keeps, such as the key file's state)."""
        return self._link({"record": "end", "count": self.count, **fields})

    def line(self, record: dict[str, Any]) -> str:
        """``dumps(self.add(record))``, serialising the record once: "chain" is the first
        key in sorted order, so it goes in front of the body the chain is computed on."""
        self.count += 1
        self.seq += 1
        linked = {**record, "seq": self.seq}
        body = dumps(linked)
        self.previous = _chain_hmac(self.key, self.previous, body)
        if "chain" not in linked and min(linked, default="~") > "chain" and body != "{}":
            return '{"chain": "' + self.previous + '", ' + body[1:]
        linked["chain"] = self.previous
        return dumps(linked)

    def _link(self, record: dict[str, Any]) -> dict[str, Any]:
        self.seq += 1
        record["seq"] = self.seq
        record["chain"] = self.previous = _link(self.key, self.previous, record)
        return record


def chain(records: Sequence[dict[str, Any]], key: bytes, *, previous: str = "", start: int = 0,
          end_record: bool = True) -> list[dict[str, Any]]:
    """Number and hash-chain ``records``; optionally close with an ``end`` record (see ``Chain``)."""
    chained = Chain(key, previous=previous, start=start)
    out = [chained.add(r) for r in records]
    if end_record:
        out.append(chained.close())
    return out


@dataclass(frozen=True)
class Verification:
    ok: bool
    records: int
    head: str
    problem: Message | str = ""  # a Message, shown translated


def head(records: Sequence[dict[str, Any]]) -> tuple[int, str]:
    """``(seq, chain)`` of the last record of a log, where a run appending to it starts."""
    if not records:
        return 0, ""
    return int(records[-1].get("seq", 0)), str(records[-1].get("chain", ""))


def runs(records: Sequence[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """The records of a log, run by run (each run ends with its ``end`` record)."""
    grouped: list[list[dict[str, Any]]] = [[]]
    for record in records:
        grouped[-1].append(record)
        if record.get("record") == "end":
            grouped.append([])
    return [run for run in grouped if run]


def verify(records: Sequence[dict[str, Any]], key: bytes, *, expect_end: bool = True) -> Verification:
    """Recompute the chain: any edited, removed, inserted or reordered record breaks it. With
    ``expect_end``, each run's ``end`` record must count the records of its run, and the
    log must end with one."""
    previous = ""
    since_end = 0
    for index, record in enumerate(records, 1):
        if record.get("seq") != index:
            return Verification(False, index - 1, previous, Message(N_("record %(index)s is missing or out of order"),
                                                                {"index": index}))
        if record.get("chain") != _link(key, previous, record):
            altered = Message(N_("record %(index)s was altered"), {"index": index})
            return Verification(False, index - 1, previous, altered)
        previous = record["chain"]
        if expect_end and record.get("record") == "end":
            if record.get("count") != since_end:
                return Verification(False, index - 1, previous,
                                    Message(N_("record %(index)s is missing or out of order"), {"index": index}))
            since_end = -1
        since_end += 1
    if expect_end:
        if not records or records[-1].get("record") != "end":
            return Verification(False, len(records), previous, Message(N_("the log is truncated (no closing record)")))
    return Verification(True, len(records), previous)


NO_FIELD = "(outside the grid)"


def summarise_by_field(records: Iterable[dict[str, Any]]) -> pd.DataFrame:
    """Masked mentions per grid field (rows) and label (columns), across the corpus."""
    import pandas as pd
    mentions = pd.DataFrame([r for r in records if r.get("record") == "mention"])
    if mentions.empty:
        return pd.DataFrame(columns=["total"])
    mentions["field"] = mentions.get("field", pd.Series("", index=mentions.index)).fillna("").replace("", NO_FIELD)
    table = mentions.pivot_table(index="field", columns="label", values="entity_id", aggfunc="size", fill_value=0)
    table["total"] = table.sum(axis=1)
    return table.sort_index()


_SCREEN_WORDS = {"mentions": N_("mentions"), "entities": N_("entities"), "total": N_("total"),
                 "label": N_("label"), "document": N_("document"), "field": N_("field"),
                 NO_FIELD: N_("(outside the grid)")}


def for_screen(table: pd.DataFrame) -> pd.DataFrame:
    """A summary table as shown: label names and headings in the current language (files keep codes),
    labels sorted by the name shown."""
    def name(value: Any) -> Any:
        if value in LABELS:
            return screen_label(value)
        if isinstance(value, str) and value in _SCREEN_WORDS:
            return _(_SCREEN_WORDS[value])
        return value

    def row(value: Any) -> Any:
        return name(value) if value in LABELS or value == NO_FIELD else value

    def by_name(values: Iterable[Any]) -> list[Any]:
        """Labels in the order of their shown names ("Adresse électronique" ... "Rôle"), others after."""
        values = list(values)
        labels = sorted((v for v in values if v in LABELS), key=lambda v: sort_key(screen_label(v)))
        return labels + [v for v in values if v not in LABELS]

    ordered = table.reindex(index=by_name(table.index), columns=by_name(table.columns))
    shown = ordered.rename(index=row, columns=name)
    shown.index.name = name(table.index.name)
    shown.columns.name = name(table.columns.name)
    return shown
