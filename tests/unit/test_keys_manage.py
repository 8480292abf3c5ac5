"""Key management without click: add, conflicts, import and merge rules, review decisions, access log."""

import json

import pytest

from anonymiser import audit
from anonymiser.errors import RefusedError
from anonymiser.keys import manage
from anonymiser.keys.store import FORGOTTEN, KeyFile
from anonymiser.model import Entity
from anonymiser.review.decisions import Decision, ReviewMemory


@pytest.fixture(scope="module")
def rules() -> manage.Rules:
    return manage.Rules().load()


def _key(rules: manage.Rules) -> KeyFile:
    key = KeyFile.create()
    manage.add_entity(key, rules, "Isabelle Marchal", "PERSON", "Sophie Lambert", ("Mme Marchal",), path="k.key")
    return key


def test_keys_manage_add_with_an_explicit_pseudonym(rules) -> None:
    key = _key(rules)
    entity = key.entities["PER-0001"]
    assert (entity.pseudonym, entity.origin) == ("Sophie Lambert", "manual")
    assert entity.attributes == (("explicit", "yes"), ("first", "Sophie"), ("last", "Lambert"))
    assert manage.owner(key, "PERSON", "Mme Marchal") == "PER-0001" and manage.owner(key, "PERSON", "Durand") is None
    assert [f[3] for f in key.find_forms("Puis Mme Marchal.")] == ["PER-0001"]


def test_keys_manage_add_generates_a_pseudonym(rules) -> None:
    key = KeyFile.create()
    entity_id = manage.add_entity(key, rules, "Rezé", "MUNICIPALITY", None, path="k.key")
    entity = key.entities[entity_id]
    assert entity_id == "COM-0001" and entity.origin == "manual" and entity.pseudonym not in ("", "Rezé")


def test_keys_manage_add_refuses_conflicts(rules) -> None:
    key = _key(rules)
    with pytest.raises(RefusedError, match="already in the key file") as error:
        manage.add_entity(key, rules, "Paul Marchal", "PERSON", None, ("Isabelle Marchal",), path="k.key")
    assert "Marchal" not in str(error.value)
    with pytest.raises(RefusedError, match="already given"):
        manage.add_entity(key, rules, "Bruno Kerleau", "PERSON", "Sophie Lambert", path="k.key")
    assert list(key.entities) == ["PER-0001"]


def test_keys_manage_export_then_import_extends_and_adds(rules) -> None:
    key = _key(rules)
    text = manage.export_csv(key)
    assert text.splitlines()[0] == ",".join(manage.CSV_COLUMNS)
    rows = [dict(zip(manage.CSV_COLUMNS, ["PER-0001", "PERSON", "Isabelle Marchal", "I. Marchal", "", "", ""])),
            dict(zip(manage.CSV_COLUMNS, ["", "PERSON", "Bruno Kerleau", "", "Yves Morin", "", ""]))]
    outcome = manage.import_rows(key, rules, rows, path="k.key")
    assert (outcome.added, outcome.extended, outcome.conflicts) == (1, 1, [])
    assert "I. Marchal" in key.entities["PER-0001"].variants
    assert key.entities["PER-0002"].pseudonym == "Yves Morin"


def test_keys_manage_import_conflict_rules(rules) -> None:
    key = _key(rules)
    rows = [dict(zip(manage.CSV_COLUMNS, values)) for values in (
        ["", "NOPE", "x", "", "", "", ""],
        ["PER-0001", "PERSON", "Isabelle Marchal", "", "Autre Nom", "", ""],
        ["", "PERSON", "Mme Marchal", "", "", "", ""],
    )]
    outcome = manage.import_rows(key, rules, rows, path="k.key")
    assert [(c.msgid, c.params) for c in outcome.conflicts] == [
        ("line %(line)s: bad label or empty canonical form", {"line": 2}),
        ("line %(line)s: %(entity)s would get another label or pseudonym", {"line": 3, "entity": "PER-0001"}),
        ("line %(line)s: a form already belongs to %(other)s", {"line": 4, "other": "PER-0001"}),
    ]
    error = manage.refusal("k.key", outcome.conflicts, imported=True)
    assert "3 conflicts; nothing imported" in str(error)


def test_keys_manage_merge_rules(rules) -> None:
    ours = _key(rules)
    theirs = KeyFile.create()
    manage.add_entity(theirs, rules, "Isabelle Marchal", "PERSON", "Sophie Lambert", ("I. Marchal",), path="o")
    manage.add_entity(theirs, rules, "Bruno Kerleau", "PERSON", "Yves Morin", path="o")
    outcome = manage.merge(ours, theirs, rules)
    assert (outcome.added, outcome.extended, outcome.conflicts) == (1, 1, [])
    assert "I. Marchal" in ours.entities["PER-0001"].variants and ours.entities["PER-0002"].pseudonym == "Yves Morin"
    clash = KeyFile.create()
    manage.add_entity(clash, rules, "Isabelle Marchal", "PERSON", "Autre Nom", path="o")
    manage.add_entity(clash, rules, "Nadia Haddad", "PERSON", "Yves Morin", path="o")
    conflicts = manage.merge(ours, clash, rules).conflicts
    assert [c.params for c in conflicts] == [{"entity": "PER-0001", "other": "PER-0001"}, {"entity": "PER-0002"}]
    assert "2 conflicts; nothing merged" in str(manage.refusal("k.key", conflicts, imported=False))


def test_keys_manage_applies_review_decisions(rules) -> None:
    key = _key(rules)
    decisions = [
        Decision("reject", "d1", "Cité", "PERSON", scope="everywhere"),
        Decision("reject", "d1", "Rose", "PERSON", 10, 14),
        Decision("accept", "d1", "Isabelle Marchal", "PERSON", 0, 16),
        Decision("mark", "d1", "Kerleau", "PERSON"),
        Decision("mark", "d1", "Isa Marchal", "PERSON", variant_of="Isabelle Marchal"),
    ]
    counts = manage.apply_decisions(key, rules, decisions, path="k.key")
    assert counts == {"reject": 2, "accept": 1, "mark": 2}
    memory = ReviewMemory.of(key)
    assert memory.allows(key, "cité") and len(memory.skipped) == 1 and len(memory.accepted) == 1
    kerleau = manage.owner(key, "PERSON", "Kerleau")
    assert kerleau == "PER-0002" and key.entities[kerleau].origin == "manual"
    assert "Isa Marchal" in key.entities["PER-0001"].variants
    assert "Cité" not in json.dumps(dict(key.extras))


def test_keys_manage_relabel_moves_the_form_to_a_new_entity(rules) -> None:
    key = KeyFile.create()
    manage.add_entity(key, rules, "Loire", "LOCATION", "Valmont", path="k.key")
    manage.apply_decisions(key, rules, [Decision("relabel", "d1", "Loire", "LOCATION", new_label="ORGANIZATION")],
                           path="k.key")
    assert [f[2] for f in key.find_forms("la Loire")] == ["ORGANIZATION"]
    assert key.entities["LOC-0001"].pseudonym == "Valmont"  # never rewritten
    assert ReviewMemory.of(key).allows(key, "Loire", "LOCATION")


def test_keys_manage_forget_refuses_unknown_or_erased(rules) -> None:
    key = _key(rules)
    with pytest.raises(RefusedError, match="no entity PER-0009"):
        manage.forget(key, "PER-0009", path="k.key")
    manage.forget(key, "PER-0001", path="k.key")
    assert key.entities["PER-0001"].origin == FORGOTTEN
    with pytest.raises(RefusedError, match="no entity PER-0001"):
        manage.forget(key, "PER-0001", path="k.key")


def test_keys_manage_access_log_is_chained_and_the_key_file_keeps_its_head(tmp_path) -> None:
    key = KeyFile.create()
    log = tmp_path / "k.key.access.jsonl"
    manage.record_access(key, log, {"record": "access", "reason": "vérification"})
    manage.record_access(key, log, {"record": "erasure", "reason": "demande"})
    records = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    assert [r["seq"] for r in records] == [1, 2] and key.access_log["count"] == 2
    assert key.access_log["chain"] == records[-1]["chain"]
    assert audit.verify(records, key.chain_key("access"), expect_end=False).ok
    assert manage.check_access_head(key, records)
    assert not manage.check_access_head(key, records[:1])  # a record removed from the end is seen


def test_keys_manage_verify_log_tells_access_from_audit_logs_and_finds_cut_records(tmp_path) -> None:
    key = KeyFile.create()
    log = tmp_path / "k.key.access.jsonl"
    for reason in ("vérification", "citation", "erreur signalée"):
        manage.record_access(key, log, {"record": "access", "reason": reason})
    records = [json.loads(line) for line in log.read_text().splitlines()]
    assert manage.verify_log(records, key).ok
    cut = manage.verify_log(records[:-1], key)  # the last access removed: the key file knows more
    assert not cut.ok and "missing" in str(cut.problem)
    run = audit.chain([{"record": "document", "document": "d"}], key.chain_key("audit"))
    assert manage.verify_log(run, key).ok
    assert not manage.verify_log(run, KeyFile.create()).ok  # another key file's chain key


def test_keys_manage_a_crash_between_the_access_record_and_the_key_save_is_repaired(tmp_path) -> None:
    """The record is appended, then the process dies before the key file is saved: the next
    access takes the record beyond the key file's head (it chains from the head) instead of
    reusing its seq, and the log verifies for ever after."""
    key = KeyFile.create()
    log = tmp_path / "k.key.access.jsonl"
    manage.record_access(key, log, {"record": "access", "reason": "vérification"})
    saved = dict(key.access_log)  # what the key file on disk holds
    manage.record_access(key, log, {"record": "access", "reason": "citation"})  # then the crash
    reopened = KeyFile(key.secret, key.public_key, None, access_log=saved)
    manage.record_access(reopened, log, {"record": "access", "reason": "erreur signalée"})
    records = [json.loads(line) for line in log.read_text().splitlines()]
    assert [r["seq"] for r in records] == [1, 2, 3] and reopened.access_log["count"] == 3
    assert manage.verify_log(records, reopened).ok


def test_keys_manage_a_deleted_access_log_is_refused_unless_a_new_one_is_asked_for(tmp_path) -> None:
    key = KeyFile.create()
    log = tmp_path / "k.key.access.jsonl"
    manage.record_access(key, log, {"record": "access", "reason": "vérification"})
    log.unlink()
    with pytest.raises(RefusedError, match="access log the key file expects is missing"):
        manage.record_access(key, log, {"record": "access", "reason": "citation"})
    assert not log.exists()
    log.write_text("")  # emptied: the same
    with pytest.raises(RefusedError, match="missing"):
        manage.record_access(key, log, {"record": "access", "reason": "citation"})
    log.unlink()
    manage.record_access(key, log, {"record": "access", "reason": "citation"}, new_log=True)
    records = [json.loads(line) for line in log.read_text().splitlines()]
    assert [r["record"] for r in records] == ["new-log", "access"] and records[0]["previous_count"] == 1
    assert manage.verify_log(records, key).ok
    tampered = [{**records[0]}, records[1]]
    tampered[0]["previous_count"] = 0
    assert not manage.verify_log(tampered, key).ok


def test_keys_manage_relabel_to_person_keeps_the_civility_out_and_links(rules) -> None:
    key = _key(rules)  # Isabelle Marchal, also "Mme Marchal"
    manage.apply_decisions(key, rules, [
        Decision("relabel", "d1", "Mme Marchal", "ORGANIZATION", new_label="PERSON"),
        Decision("mark", "d2", "Madame Kerleau", "PERSON"),
    ], path="k.key")
    assert [e.id for e in key.entities.values()] == ["PER-0001", "PER-0002"]  # no entity for "Mme Marchal"
    assert "Marchal" in key.entities["PER-0001"].variants
    assert [(f[3], f[1] - f[0]) for f in key.find_forms("Mme Marchal")] == [("PER-0001", len("Mme Marchal"))]
    assert key.entities["PER-0002"].canonical == "Kerleau"  # "Madame" stays in the text
    assert [f[3] for f in key.find_forms("Madame Kerleau")] == ["PER-0002"]
    assert ReviewMemory.of(key).allows(key, "Mme Marchal", "ORGANIZATION")


def test_keys_manage_without_civility(rules) -> None:
    assert manage.without_civility("Mme Le Goff", rules) == "Le Goff"
    assert manage.without_civility("M. Monsieur Durand", rules) == "Durand"
    assert manage.without_civility("Madame", rules) == "Madame"  # never empty
    assert manage.without_civility("Isabelle Marchal", rules) == "Isabelle Marchal"


def test_keys_manage_mark_makes_a_known_form_found_in_every_document(rules) -> None:
    # a run found the form once and indexed only its linking keys; marking it makes it searched everywhere
    key = KeyFile.create()
    entity_id = key.new_id("ORGANIZATION")
    key.add(Entity(entity_id, "ORGANIZATION", "École Kervec", ("École Kervec",), "École Horizon"))
    key.index(entity_id, (), rules.policy.index_entries("ORGANIZATION", ["École Kervec"])[1])
    assert key.find_forms("L'École Kervec recrute.") == []
    manage.apply_decisions(key, rules, [Decision("mark", "d1", "École Kervec", "ORGANIZATION", 13, 25)],
                           path="k.key")
    assert [f[3] for f in key.find_forms("L'École Kervec recrute.")] == [entity_id]
    assert len(key.entities) == 1
