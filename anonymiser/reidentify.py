"""Re-identification: replay the audit offsets backwards with the originals from the key file.

Each original is found among its entity's sealed forms by its keyed hash and unsealed with
the team's private key (re-identification role only), so the audit itself holds no
plaintext. The result is checked against the input's keyed hash.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from anonymiser.errors import RefusedError
from anonymiser.i18n import N_
from anonymiser.keys.store import KeyFile
from anonymiser.render.replace import restore
from anonymiser.text.grammar import prefix_candidates


def reidentify_text(text: str, records: Sequence[dict[str, Any]], keyfile: KeyFile, *, path: str) -> str:
    """Restore the original of a pseudonymised ``text`` from its audit ``records``."""
    mentions = [r for r in records if r.get("record") == "mention"]
    documents = [r for r in records if r.get("record") == "document"]
    undo = []
    for record in mentions:
        start, end = int(record["out_start"]), int(record["out_end"])
        if text[start:end] != record["pseudonym"]:
            raise RefusedError(path, N_("file does not match its audit records (edited after pseudonymisation?)"))
        if record["entity_id"] not in keyfile.entities:
            raise RefusedError(path, N_("entity %(entity)s is not in this key file"), entity=record["entity_id"])
        context = int(record.get("context") or 0)
        if context:  # grammar took over a function word before the mention ("d'" + "Isabelle")
            forms = tuple(p + v for v in keyfile.originals(record["entity_id"]) for p in prefix_candidates(context))
            original = next((v for v in forms if keyfile.keyed_hash(v) == record["hash"]), None)
        else:
            original = keyfile.original_for(record["entity_id"], record["hash"])
        if original is None:
            raise RefusedError(path, N_("no original form for entity %(entity)s in this key file"),
                               entity=record["entity_id"])
        undo.append((start, end, original))
    restored = restore(text, undo)
    if documents and keyfile.keyed_hash(restored) != documents[-1]["input_hash"]:
        raise RefusedError(path, N_("restored text does not match the original's hash"))
    return restored
