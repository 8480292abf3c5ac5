"""What a key file and its logs remember of each other: generations, audit heads, the access
head an audit log saw; and what is said when one of them went back."""

from __future__ import annotations

import json

from anonymiser import audit
from anonymiser.keys import format as kf
from anonymiser.keys import heads, manage
from anonymiser.keys.store import KeyFile
from tests.unit.keying import PASSPHRASE


def _run(keyfile: KeyFile, records: list[dict], documents: int, path: str = "out/audit.jsonl") -> list[dict]:
    """``records`` with one more run of ``documents`` document records, closed with the key state."""
    seq, previous = audit.head(records)
    chain = audit.Chain(keyfile.chain_key("audit"), previous=previous, start=seq)
    added = [chain.add({"record": "document", "document": f"E{seq + n:02d}"}) for n in range(documents)]
    added.append(chain.close(key=heads.state(keyfile)))
    heads.remember_audit(keyfile, path, chain.seq, chain.previous)
    return records + added


def test_keys_heads_each_save_is_one_generation_more(tmp_path) -> None:
    path = tmp_path / "p.key"
    keyfile = kf.create(path, PASSPHRASE)
    assert heads.generation(keyfile) == 1 == heads.generation(kf.load(path, PASSPHRASE))
    kf.save(keyfile, path)
    assert heads.generation(kf.load(path, PASSPHRASE)) == 2 and heads.generation(KeyFile.create()) == 0


def test_keys_heads_a_run_cut_from_an_audit_log_is_missing() -> None:
    keyfile = KeyFile.create()
    one = _run(keyfile, [], 2)
    both = _run(keyfile, one, 1)
    key = keyfile.chain_key("audit")
    assert audit.verify(one, key).ok and audit.verify(both, key).ok  # the chain alone cannot tell
    assert heads.missing_runs(keyfile, both, "out/audit.jsonl") is None
    assert "up to record 5" in str(heads.missing_runs(keyfile, one, "out/audit.jsonl"))
    assert not manage.verify_log(one, keyfile, "out/audit.jsonl").ok
    assert manage.verify_log(both, keyfile, "out/audit.jsonl").ok
    assert heads.missing_runs(KeyFile.create(), one, "out/audit.jsonl") is None  # another key file's log
    assert heads.missing_runs(keyfile, one, "moved/audit.jsonl") is None  # a log moved: not known there


def test_keys_heads_two_logs_alike_in_two_folders_are_two_logs() -> None:
    """The same corpus run twice with the same key file writes two logs alike up to their last
    record: each keeps its own head."""
    keyfile = KeyFile.create()
    first = _run(keyfile, [], 2, "a/audit.jsonl")
    keyfile.set_extra(heads.GENERATION, 3)
    second = _run(keyfile, [], 2, "b/audit.jsonl")
    assert first[0] == second[0] and first[-1] != second[-1]
    assert heads.missing_runs(keyfile, first, "a/audit.jsonl") is None
    assert heads.missing_runs(keyfile, second, "b/audit.jsonl") is None


def test_keys_heads_an_older_key_file_and_an_access_log_that_went_back() -> None:
    keyfile = KeyFile.create()
    keyfile.set_extra(heads.GENERATION, 5)
    keyfile.advance_access_log(1, "ab" * 32)
    records = _run(keyfile, [], 1)
    assert heads.recorded(records) == {"generation": 5, "access_seq": 1}
    assert heads.older_key(keyfile, records) is None and heads.access_behind(keyfile, records) is None
    older = KeyFile(keyfile.secret, keyfile.public_key, extras={heads.GENERATION: 4, heads.AUDITS: {}})
    assert "generation 4, not 5" in str(heads.older_key(older, records))
    assert "saw access 1, the key file knows 0" in str(heads.access_behind(older, records))
    assert not manage.verify_log(records, older).ok


def test_keys_heads_an_access_copy_elsewhere_names_it_in_the_own_log(tmp_path) -> None:
    keyfile = KeyFile.create()
    own, elsewhere = tmp_path / "k.key.access.jsonl", tmp_path / "elsewhere.jsonl"
    for reason in ("contrôle", "relecture"):
        manage.record_access(keyfile, own, {"record": "access", "reason": reason}, copy_to=elsewhere)
    own_records, copies = audit.read_records(own), audit.read_records(elsewhere)
    assert [r["copied_to"] for r in own_records] == [str(elsewhere)] * 2 and keyfile.access_log["count"] == 2
    assert [r["copy"] for r in copies] == [True, True] and [r["seq"] for r in copies] == [1, 2]
    assert manage.verify_log(own_records, keyfile).ok and manage.verify_log(copies, keyfile).ok
    assert json.loads(own.read_text(encoding="utf-8").splitlines()[0])["reason"] == "contrôle"
