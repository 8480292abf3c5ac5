"""Review decisions (pure): what the researcher decided in the review report, and what the
key file remembers of it so that every later run, on every document, follows it.

The report exports a JSON file (``Decisions.parse``); ``anonymiser key apply-review``
records it in the key file:

- ``reject`` with scope ``everywhere``: the form, folded (case and accents ignored), is
  never masked again, under any label (the *allow list*);
- ``reject`` with scope ``occurrence``: only that occurrence (document id, offsets and the
  exact form) is left alone;
- ``accept``: that occurrence is recorded as checked (the next report no longer lists it);
- ``relabel``: the form is no longer masked under its old label, and becomes a manual
  entity of the new label;
- ``mark``: missed text becomes a manual entity (``variant_of`` a known form: a form of that
  entity), found in every document from then on.

The key file keeps keyed hashes only (``ReviewMemory``), plus the allowed forms sealed to
the team's re-identification key: nothing readable without the re-identify passphrase.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from anonymiser.errors import RefusedError
from anonymiser.i18n import N_
from anonymiser.model import LABELS, Span
from anonymiser.text.fold import fold_key

if TYPE_CHECKING:
    from anonymiser.keys.store import KeyFile

FORMAT = "anonymiser-review-decisions"
VERSION = 1
ACTIONS = ("accept", "reject", "relabel", "mark")
SCOPES = ("occurrence", "everywhere")
ANY_LABEL = "*"
MAX_FORM = 300
EXTRAS_KEY = "review"


@dataclass(frozen=True)
class Decision:
    """One decision of the report. ``start``/``end`` are offsets in the document's text."""

    action: str
    document: str
    form: str
    label: str
    start: int = -1
    end: int = -1
    scope: str = "occurrence"
    new_label: str = ""
    variant_of: str = ""


@dataclass(frozen=True)
class Decisions:
    report: str
    items: tuple[Decision, ...]

    @classmethod
    def parse(cls, raw: str, *, path: str) -> Decisions:
        """Read an exported decisions file; errors name the file and the decision number,
        never a form."""
        try:
            data = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise RefusedError(path, N_("not a decisions file (invalid JSON at line %(line)s)"),
                               line=exc.lineno) from exc
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise RefusedError(path, N_("not a decisions file exported by the review report"))
        if data.get("version") != VERSION:
            raise RefusedError(path, N_("unsupported decisions version %(version)s"),
                               version=repr(data.get("version")))
        raw_items = data.get("decisions")
        if not isinstance(raw_items, list):
            raise RefusedError(path, N_("'decisions' must be a list"))
        items = tuple(_decision(item, number, path) for number, item in enumerate(raw_items, 1))
        return cls(str(data.get("report", "")), items)


def _decision(item: Any, number: int, path: str) -> Decision:
    if not isinstance(item, dict):
        raise RefusedError(path, N_("decision %(number)s is not an object"), number=number)
    action = item.get("action")
    if action not in ACTIONS:
        raise RefusedError(path, N_("decision %(number)s: unknown action %(action)s"), number=number,
                           action=repr(action))
    form, label = item.get("form"), item.get("label")
    if not isinstance(form, str) or not form.strip() or len(form) > MAX_FORM or "\n" in form:
        raise RefusedError(path, N_("decision %(number)s: 'form' must be one line of text (at most %(max)s "
                                 "characters)"), number=number, max=MAX_FORM)
    if label not in LABELS:
        raise RefusedError(path, N_("decision %(number)s: unknown label %(label)s"), number=number,
                           label=repr(label))
    document = item.get("document", "")
    start, end = item.get("start", -1), item.get("end", -1)
    if not isinstance(document, str) or not isinstance(start, int) or not isinstance(end, int):
        raise RefusedError(path, N_("decision %(number)s: 'document' must be text, 'start' and 'end' "
                                 "integers"), number=number)
    scope = item.get("scope", "occurrence")
    if scope not in SCOPES:
        raise RefusedError(path, N_("decision %(number)s: unknown scope %(scope)s"), number=number,
                           scope=repr(scope))
    needs_place = action == "accept" or (action == "reject" and scope == "occurrence")
    if needs_place and (not document or not 0 <= start < end or end - start != len(form)):
        raise RefusedError(path, N_("decision %(number)s: needs 'document', and 'start' and 'end' matching "
                                 "the form"), number=number)
    new_label = item.get("new_label", "")
    if action == "relabel" and (new_label not in LABELS or new_label == label):
        raise RefusedError(path, N_("decision %(number)s: 'new_label' must be another label"), number=number)
    variant_of = item.get("variant_of", "")
    if not isinstance(variant_of, str) or len(variant_of) > MAX_FORM:
        raise RefusedError(path, N_("decision %(number)s: 'variant_of' must be text"), number=number)
    return Decision(action, document, form, label, start, end, scope, new_label if action == "relabel" else "",
                    variant_of if action == "mark" else "")


@dataclass
class ReviewMemory:
    """What the key file remembers of reviews, as keyed hashes (see module docstring).

    ``allowed``: hashes of folded forms never masked (``"*"``) or never under one label;
    ``skipped`` / ``accepted``: hashes of single occurrences; ``sealed``: the allowed forms,
    sealed to the re-identification key (for listing them later).
    """

    allowed: dict[str, set[str]] = field(default_factory=dict)  # hash -> labels ("*" = any)
    skipped: set[str] = field(default_factory=set)
    accepted: set[str] = field(default_factory=set)
    sealed: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, keyfile: KeyFile) -> ReviewMemory:
        data = keyfile.extras.get(EXTRAS_KEY) or {}
        return cls(
            allowed={str(h): set(labels) for h, labels in dict(data.get("allowed") or {}).items()},
            skipped=set(data.get("skipped") or ()),
            accepted=set(data.get("accepted") or ()),
            sealed={str(h): str(s) for h, s in dict(data.get("sealed") or {}).items()},
        )

    def store(self, keyfile: KeyFile) -> None:
        keyfile.set_extra(EXTRAS_KEY, {
            "allowed": {h: sorted(labels) for h, labels in sorted(self.allowed.items())},
            "skipped": sorted(self.skipped),
            "accepted": sorted(self.accepted),
            "sealed": dict(sorted(self.sealed.items())),
        })

    @property
    def empty(self) -> bool:
        return not (self.allowed or self.skipped or self.accepted)

    # -- hashes ------------------------------------------------------------------------
    @staticmethod
    def form_hash(keyfile: KeyFile, form: str) -> str:
        return keyfile.keyed_hash(f"allow\x1f{fold_key(form)}")

    @staticmethod
    def occurrence_hash(keyfile: KeyFile, document: str, start: int, end: int, form: str) -> str:
        return keyfile.keyed_hash(f"occurrence\x1f{document}\x1f{start}\x1f{end}\x1f{form}")

    # -- questions ---------------------------------------------------------------------
    def allows(self, keyfile: KeyFile, form: str, label: str = ANY_LABEL) -> bool:
        """True when ``form`` must not be masked as ``label`` (``"*"``: under any label)."""
        labels = self.allowed.get(self.form_hash(keyfile, form))
        return labels is not None and (ANY_LABEL in labels or label in labels)

    def keeps(self, keyfile: KeyFile, document: str, span: Span) -> bool:
        """True when this span of this document must be left unmasked."""
        if self.allows(keyfile, span.text, span.label):
            return True
        return self.occurrence_hash(keyfile, document, span.start, span.end, span.text) in self.skipped

    def checked(self, keyfile: KeyFile, document: str, span: Span) -> bool:
        return self.occurrence_hash(keyfile, document, span.start, span.end, span.text) in self.accepted

    # -- changes -----------------------------------------------------------------------
    def allow(self, keyfile: KeyFile, form: str, label: str = ANY_LABEL) -> None:
        digest = self.form_hash(keyfile, form)
        self.allowed.setdefault(digest, set()).add(label)
        if digest not in self.sealed:
            from anonymiser.keys.crypto import seal

            self.sealed[digest] = seal(keyfile.public_key, fold_key(form))

    def disallow(self, keyfile: KeyFile, form: str, label: str) -> None:
        """A form marked as ``label`` is masked again (under that label, or any)."""
        digest = self.form_hash(keyfile, form)
        labels = self.allowed.get(digest, set())
        labels.discard(label)
        labels.discard(ANY_LABEL)
        if not labels:
            self.allowed.pop(digest, None)
            self.sealed.pop(digest, None)

    def skip(self, keyfile: KeyFile, decision: Decision) -> None:
        self.skipped.add(self.occurrence_hash(keyfile, decision.document, decision.start, decision.end,
                                              decision.form))

    def accept(self, keyfile: KeyFile, decision: Decision) -> None:
        self.accepted.add(self.occurrence_hash(keyfile, decision.document, decision.start, decision.end,
                                               decision.form))


def kept_spans(spans: Sequence[Span], document_id: str, keyfile: KeyFile | None) -> list[Span]:
    """``spans`` without those the review decided to leave unmasked (allow list, skipped
    occurrences) in this document."""
    if keyfile is None or not keyfile.extras.get(EXTRAS_KEY):
        return list(spans)
    memory = ReviewMemory.of(keyfile)
    if not (memory.allowed or memory.skipped):
        return list(spans)
    return [s for s in spans if not memory.keeps(keyfile, document_id, s)]
