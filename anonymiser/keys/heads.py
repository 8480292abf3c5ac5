"""What a key file and its logs remember of each other, so that going back is seen: the key
file's generation (one more at each save) and the head of each audit log it wrote to; in each
audit log's closing records, the generation and the access-log head the key file had.

- an audit log cut after a run (a whole run deleted): the key file knows a longer one;
- an older copy of the key file: its generation is below the one the audit log recorded;
- an access log cut back together with an older key file: the audit log recorded a later access.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from anonymiser.i18n import N_, Message
from anonymiser.keys.store import KeyFile

GENERATION, AUDITS = "generation", "audits"  # their names among the key file's extras


def generation(keyfile: KeyFile) -> int:
    """How many times this key file was saved (0 for one written before generations were counted)."""
    return int(keyfile.extras.get(GENERATION, 0))


def next_generation(keyfile: KeyFile) -> None:
    """One generation more: ``format.save`` calls it before each write."""
    keyfile.set_extra(GENERATION, generation(keyfile) + 1)


def state(keyfile: KeyFile) -> dict[str, Any]:
    """What an audit log's closing record keeps of the key file: its generation and access-log head."""
    head = keyfile.access_log
    return {"generation": generation(keyfile), "access_seq": int(head.get("count", 0)),
            "access_head": str(head.get("chain", ""))}


def audit_id(keyfile: KeyFile, path: str | os.PathLike[str]) -> str:
    """How the key file names an audit log: a keyed hash of where it is (two runs of the same
    corpus write two logs alike, record for record, in two folders)."""
    return keyfile.keyed_hash("audit\x1f" + str(Path(path).resolve()))


def remember_audit(keyfile: KeyFile, path: str | os.PathLike[str], seq: int, chain: str) -> None:
    """Record the head ``(seq, chain)`` of the audit log at ``path``."""
    audits = dict(keyfile.extras.get(AUDITS) or {})
    audits[audit_id(keyfile, path)] = [seq, chain]
    keyfile.set_extra(AUDITS, dict(sorted(audits.items())))


def missing_runs(keyfile: KeyFile, records: Sequence[dict[str, Any]], path: str | os.PathLike[str]) -> Message | None:
    """Why ``records`` (the intact audit log at ``path``) are shorter than the key file knows
    them, if they are (a log moved elsewhere is not known there)."""
    known = (keyfile.extras.get(AUDITS) or {}).get(audit_id(keyfile, path))
    if not known:
        return None
    seq, chain = int(known[0]), str(known[1])
    if len(records) < seq or records[seq - 1].get("chain") != chain:
        return Message(N_("records are missing at its end: the key file knows it up to record %(seq)s"), {"seq": seq})
    return None


def recorded(records: Sequence[dict[str, Any]]) -> dict[str, int]:
    """The highest key-file generation and access seq the closing records of ``records`` saw
    (zeros if none says)."""
    states = [r["key"] for r in records if r.get("record") == "end" and isinstance(r.get("key"), dict)]
    return {name: max((int(state.get(name, 0)) for state in states), default=0)
            for name in ("generation", "access_seq")}


def older_key(keyfile: KeyFile, records: Sequence[dict[str, Any]]) -> Message | None:
    """Why this key file is older than the one the last run of ``records`` used, if it is."""
    newest = int(recorded(records).get("generation", 0))
    if generation(keyfile) < newest:
        return Message(N_("this key file is older than the one this audit log's last run used (generation "
                          "%(found)s, not %(recorded)s): entities added since are not in it; use its newest copy"),
                       {"found": generation(keyfile), "recorded": newest})
    return None


def access_behind(keyfile: KeyFile, records: Sequence[dict[str, Any]]) -> Message | None:
    """Why the key file's access log is behind the one ``records`` saw (rolled back), if it is."""
    newest = int(recorded(records).get("access_seq", 0))
    found = int(keyfile.access_log.get("count", 0))
    if found < newest:
        return Message(N_("the access log went back: this audit log saw access %(recorded)s, the key file knows "
                          "%(found)s"), {"recorded": newest, "found": found})
    return None
