"""Shared by the document tests: hand-written lines and a pseudonymisation by table through the
real replace stage, and the audit-like records that re-identification reads back."""

from __future__ import annotations

import re

from anonymiser.model import Entity, Span
from anonymiser.render.replace import replace_spans

LINES = [
    "Entretien avec Samia Cherif",
    "Présentation : Samia Cherif travaille à Rezé avec Mehdi Bouzid.",
    "· Finalités affichées : jardiner ensemble, avec  deux espaces.",
    "Tabulation\tpuis fin. [bookmark: _GoBack]",
]
PSEUDONYMS = {"Samia Cherif": "Léa Martin", "Mehdi Bouzid": "Paul Girard", "Rezé": "[COMMUNE_1]",
              "Cherif": "Martin", "Bouzid": "Girard", "mehdi.bouzid@tss.fr": "[EMAIL_1]"}


def pseudonymise(text: str, table: dict[str, str] = PSEUDONYMS):
    """Replace every form of ``table`` (longest first) with the real replace stage."""
    pattern = re.compile("|".join(re.escape(k) for k in sorted(table, key=len, reverse=True)))
    entity = Entity("X-0001", "PERSON", "x", ("x",), "y")
    mentions = [(Span.of(text, m.start(), m.end(), "PERSON"), entity) for m in pattern.finditer(text)]
    return replace_spans(text, mentions, lambda span, _e: table[span.text])


def audit_like(replacements) -> list[dict[str, object]]:
    return [{"record": "mention", "start": r.start, "end": r.end, "out_start": r.out_start,
             "out_end": r.out_end} for r in replacements]
