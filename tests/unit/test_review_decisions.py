"""review/decisions: a decisions file parsed and refused in one line naming it, and what the key
file remembers of the decisions (keyed hashes and sealed forms, never the plaintext)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from anonymiser.errors import RefusedError
from anonymiser.keys import format as kf
from anonymiser.keys.crypto import unseal
from anonymiser.model import Span
from anonymiser.review.decisions import (
    Decision,
    Decisions,
    ReviewMemory,
    kept_spans,
)


def decisions_file(*items: dict) -> str:
    return json.dumps({"format": "anonymiser-review-decisions", "version": 1, "report": "r", "decisions": list(items)})


def test_review_decisions_parse() -> None:
    parsed = Decisions.parse(decisions_file(
        {"action": "reject", "scope": "everywhere", "document": "d", "start": 3, "end": 7, "form": "Cité",
         "label": "LOCATION"},
        {"action": "mark", "document": "d", "start": 0, "end": 8, "form": "Marchall", "label": "PERSON",
         "variant_of": "Marchal"},
        {"action": "relabel", "document": "d", "start": 0, "end": 5, "form": "Rezé", "label": "LOCATION",
         "new_label": "MUNICIPALITY"},
    ), path="decisions.json")
    assert [d.action for d in parsed.items] == ["reject", "mark", "relabel"]
    assert parsed.items[1].variant_of == "Marchal" and parsed.items[2].new_label == "MUNICIPALITY"


@pytest.mark.parametrize("raw, cause", [
    ("{", "invalid JSON"),
    (json.dumps({"format": "other"}), "not a decisions file"),
    (decisions_file({"action": "erase", "form": "Secretname", "label": "PERSON"}), "unknown action"),
    (decisions_file({"action": "mark", "form": "Secretname", "label": "NAME"}), "unknown label"),
    (decisions_file({"action": "mark", "form": "Secret\nname", "label": "PERSON"}), "one line"),
    (decisions_file({"action": "accept", "document": "d", "start": 0, "end": 3, "form": "Secretname",
                     "label": "PERSON"}), "matching the form"),
    (decisions_file({"action": "relabel", "form": "Secretname", "label": "PERSON", "new_label": "PERSON"}),
     "another label"),
])
def test_review_decisions_refused_in_one_line_without_the_form(raw: str, cause: str) -> None:
    with pytest.raises(RefusedError) as error:
        Decisions.parse(raw, path="decisions.json")
    message = str(error.value)
    assert message.startswith("decisions.json: ") and cause in message and "Secret" not in message


def test_review_decisions_memory_in_key_file_without_plaintext(tmp_path: Path) -> None:
    keyfile = kf.KeyFile.create()
    kf.set_passphrase(keyfile, "pseudonymise", "phrase de pseudonymisation")
    kf.set_passphrase(keyfile, "reidentify", "phrase de réidentification")
    memory = ReviewMemory.of(keyfile)
    memory.allow(keyfile, "Cité")
    memory.allow(keyfile, "Loire", "LOCATION")
    memory.skip(keyfile, Decision("reject", "d1", "Rose", "PERSON", 10, 14))
    memory.store(keyfile)
    payload = json.dumps(kf.to_payload(keyfile), ensure_ascii=False)
    assert "Cité" not in payload and "cite" not in payload and "Loire" not in payload and "Rose" not in payload
    path = tmp_path / "k.key"
    kf.save(keyfile, path)
    opened = kf.load(path, "phrase de pseudonymisation")  # the pseudonymise role honours the allow list too
    again = ReviewMemory.of(opened)
    assert again.allows(opened, "CITÉ") and again.allows(opened, "cite", "PERSON")
    assert again.allows(opened, "Loire", "LOCATION") and not again.allows(opened, "Loire", "ORGANIZATION")
    rose = Span(10, 14, "PERSON", "Rose")
    assert again.keeps(opened, "d1", rose) and not again.keeps(opened, "d2", rose)
    assert not again.keeps(opened, "d1", Span(20, 24, "PERSON", "Rose"))
    full = kf.load(path, "phrase de réidentification")
    assert sorted(unseal(full.private_key, s) for s in ReviewMemory.of(full).sealed.values()) == ["cite", "loire"]
    again.disallow(opened, "Cité", "PERSON")
    assert not again.allows(opened, "Cité", "PERSON")


def test_review_decisions_kept_spans_drops_allowed_and_skipped_spans() -> None:
    keyfile = kf.KeyFile.create()
    text = "Rose et Loire à la Cité. Rose encore."
    spans = (Span.of(text, 0, 4, "PERSON"), Span.of(text, 8, 13, "LOCATION"), Span.of(text, 19, 23, "LOCATION"),
             Span.of(text, 25, 29, "PERSON"))
    assert kept_spans(spans, "d1", keyfile) == list(spans)
    memory = ReviewMemory.of(keyfile)
    memory.allow(keyfile, "Cité")
    memory.allow(keyfile, "Loire", "ORGANIZATION")  # another label: still masked as a place
    memory.skip(keyfile, Decision("reject", "d1", "Rose", "PERSON", 0, 4))
    memory.store(keyfile)
    kept = kept_spans(spans, "d1", keyfile)
    assert [s.text for s in kept] == ["Loire", "Rose"] and kept[1].start == 25
    assert [s.text for s in kept_spans(spans, "d2", keyfile)] == ["Rose", "Loire", "Rose"]
    assert keyfile.for_workers().extras == keyfile.extras  # worker processes follow the review too


@pytest.mark.parametrize("raw, cause", [
    (json.dumps({"format": "anonymiser-review-decisions", "version": 2, "decisions": []}),
     "unsupported decisions version 2"),
    (json.dumps({"format": "anonymiser-review-decisions", "version": 1, "decisions": {}}),
     "'decisions' must be a list"),
    (decisions_file("Secretname"), "decision 1 is not an object"),
    (decisions_file({"action": "mark", "form": "Lisse", "label": "LOCATION"},
                    {"action": "mark", "form": "Secretname", "label": "PERSON", "scope": "here"}),
     "decision 2: unknown scope 'here'"),
    (decisions_file({"action": "mark", "form": "Secretname" * 31, "label": "PERSON"}), "at most 300 characters"),
    (decisions_file({"action": "mark", "form": "Secretname", "label": "PERSON", "start": "0"}), "integers"),
    (decisions_file({"action": "mark", "form": "Secretname", "label": "PERSON", "variant_of": 3}),
     "'variant_of' must be text"),
    (decisions_file({"action": "reject", "form": "Secretname", "label": "PERSON"}), "needs 'document'"),
])
def test_review_decisions_parse_refuses_naming_the_file_and_the_decision(raw: str, cause: str) -> None:
    with pytest.raises(RefusedError) as error:
        Decisions.parse(raw, path="revue/decisions.json")
    message = str(error.value)
    assert message.startswith("revue/decisions.json: ") and cause in message and "Secret" not in message
    assert "\n" not in message and error.value.code == "E030"


def test_review_decisions_defaults_and_fields_kept_only_for_their_action() -> None:
    parsed = Decisions.parse(decisions_file(
        {"action": "reject", "scope": "everywhere", "form": "Lisse", "label": "LOCATION", "new_label": "PERSON",
         "variant_of": "Lise"},
        {"action": "accept", "document": "E01", "start": 4, "end": 9, "form": "Odile", "label": "PERSON"},
    ), path="d.json")
    reject, accept = parsed.items
    assert parsed.report == "r"
    assert reject == Decision("reject", "", "Lisse", "LOCATION", -1, -1, "everywhere", "", "")
    assert (accept.scope, accept.document, accept.start, accept.end) == ("occurrence", "E01", 4, 9)
    assert Decisions.parse(decisions_file(), path="d.json").items == ()


def test_review_decisions_memory_round_trips_through_the_key_file_extras() -> None:
    keyfile = kf.KeyFile.create()
    memory = ReviewMemory.of(keyfile)
    odile_span = Span(4, 9, "PERSON", "Odile")
    assert memory.empty and kept_spans((odile_span,), "E01", None) == [odile_span]
    odile = Decision("accept", "E01", "Odile", "PERSON", 4, 9)
    memory.accept(keyfile, odile)
    memory.allow(keyfile, "Combelorge", "MUNICIPALITY")
    memory.allow(keyfile, "Combelorge", "LOCATION")
    memory.store(keyfile)
    again = ReviewMemory.of(keyfile)
    assert not again.empty and again == memory
    assert again.checked(keyfile, "E01", Span(4, 9, "PERSON", "Odile"))
    assert not again.checked(keyfile, "E02", Span(4, 9, "PERSON", "Odile"))
    assert not again.keeps(keyfile, "E01", Span(4, 9, "PERSON", "Odile"))  # accepted: still masked
    stored = json.dumps(kf.to_payload(keyfile), ensure_ascii=False)
    assert "Odile" not in stored and "Combelorge" not in stored and "combelorge" not in stored
    again.disallow(keyfile, "Combelorge", "LOCATION")
    assert again.allows(keyfile, "Combelorge", "MUNICIPALITY")
    assert not again.allows(keyfile, "Combelorge", "LOCATION")
    again.disallow(keyfile, "Combelorge", "MUNICIPALITY")
    assert not again.allowed and not again.sealed  # the last label gone: the sealed form goes too


def test_review_decisions_hashes_depend_on_the_key_file() -> None:
    one, two = kf.KeyFile.create(), kf.KeyFile.create()
    assert ReviewMemory.form_hash(one, "Combelorge") == ReviewMemory.form_hash(one, "COMBELORGE")
    assert ReviewMemory.form_hash(one, "Combelorge") != ReviewMemory.form_hash(two, "Combelorge")
    assert (ReviewMemory.occurrence_hash(one, "E01", 0, 5, "Odile")
            != ReviewMemory.occurrence_hash(one, "E01", 1, 6, "Odile"))
