import os
import stat
import sys

import pytest

from anonymiser.errors import KeyFileError
from anonymiser.keys import store as kf
from anonymiser.model import Entity


def _entity(**kw) -> Entity:
    base = dict(id="PER-0001", label="PERSON", canonical="Isabelle Marchal",
                variants=("Isabelle Marchal", "Mme Marchal"), pseudonym="Sophie Lambert")
    base.update(kw)
    return Entity(**base)


def _new(path, passphrase="pass", second=None, *, entity=True) -> kf.KeyFile:
    key = kf.create(path, passphrase, reidentify_passphrase=second)
    if entity:
        key.add(_entity())
        key.index("PER-0001", [("Isabelle Marchal", "c"), ("Marchal", "c")], ["last:marchal", "first:isabelle"])
        kf.save(key, path)
    return key


def test_keyfile_round_trip(tmp_path) -> None:
    path = tmp_path / "p.key"
    key = _new(path)
    again = kf.load(path, "pass")
    assert again.entities == key.entities
    assert again.secret == key.secret and again.can_reidentify
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600


def test_keyfile_has_no_plaintext(tmp_path) -> None:
    path = tmp_path / "p.key"
    _new(path)
    data = path.read_bytes()
    for needle in (b"Marchal", b"Isabelle", b"Sophie", b"Lambert", b"MARCHAL"):
        assert needle not in data


def test_keyfile_pseudonymise_role_cannot_read_originals(tmp_path) -> None:
    path = tmp_path / "p.key"
    _new(path, "assistant", "direction")
    assistant = kf.load(path, "assistant")
    assert not assistant.can_reidentify
    entity = assistant.entities["PER-0001"]
    assert entity.pseudonym == "Sophie Lambert" and entity.canonical == "" and entity.variants == ()
    # ... but finds the entity by keyed hash, in any text
    text = "Puis Isabelle Marchal, enfin MARCHAL."
    assert [(text[s:e], eid) for s, e, _l, eid, _f in assistant.find_forms(text)] == [
        ("Isabelle Marchal", "PER-0001"), ("MARCHAL", "PER-0001")]
    assert assistant.entities_for_key("last:marchal") == ["PER-0001"]
    with pytest.raises(KeyFileError, match="re-identification"):
        assistant.original_for("PER-0001", assistant.keyed_hash("Isabelle Marchal"))
    with pytest.raises(KeyFileError, match="only allows pseudonymisation"):
        kf.load(path, "assistant", need_private=True)
    director = kf.load(path, "direction", need_private=True)
    assert director.original_for("PER-0001", director.keyed_hash("Mme Marchal")) == "Mme Marchal"


def test_keyfile_pseudonymise_role_adds_sealed_entities(tmp_path) -> None:
    path = tmp_path / "p.key"
    _new(path, "assistant", "direction")
    assistant = kf.load(path, "assistant")
    assistant.add(Entity("PER-0002", "PERSON", "Bruno Kerleau", ("Bruno Kerleau",), "Yves Morin"))
    kf.save(assistant, path)
    assert b"Kerleau" not in path.read_bytes()
    director = kf.load(path, "direction")
    assert director.entities["PER-0002"].canonical == "Bruno Kerleau"
    assert director.entities["PER-0001"].variants == ("Isabelle Marchal", "Mme Marchal")


def test_keyfile_wrong_passphrase(tmp_path) -> None:
    path = tmp_path / "p.key"
    _new(path, "right", entity=False)
    with pytest.raises(KeyFileError, match="wrong passphrase"):
        kf.load(path, "wrong")


def test_keyfile_any_flipped_byte_is_refused(tmp_path) -> None:
    path = tmp_path / "p.key"
    _new(path)
    original = path.read_bytes()
    step = max(1, len(original) // 97)
    for position in list(range(0, len(original), step)) + [len(original) - 1]:
        data = bytearray(original)
        data[position] ^= 0x01
        path.write_bytes(bytes(data))
        with pytest.raises(KeyFileError):
            kf.load(path, "pass")


def test_keyfile_truncated_refused(tmp_path) -> None:
    path = tmp_path / "p.key"
    _new(path)
    original = path.read_bytes()
    for size in (0, 10, 40, len(original) // 2, len(original) - 1):
        path.write_bytes(original[:size])
        with pytest.raises(KeyFileError):
            kf.load(path, "pass")


def test_keyfile_never_remaps(tmp_path) -> None:
    key = _new(tmp_path / "p.key")
    with pytest.raises(KeyFileError):
        key.add(_entity(pseudonym="Autre Nom"))
    key.add(_entity(variants=("I. MARCHAL",)))
    assert key.entities["PER-0001"].variants == ("Isabelle Marchal", "Mme Marchal", "I. MARCHAL")


def test_keyfile_save_keeps_backup(tmp_path) -> None:
    path = tmp_path / "p.key"
    _new(path, entity=False)
    key = kf.load(path, "pass")
    key.add(_entity())
    kf.save(key, path)
    assert kf.load(tmp_path / "p.key.bak", "pass").entities == {}
    assert "PER-0001" in kf.load(path, "pass").entities


def test_keyfile_lock_refuses_second_writer(tmp_path) -> None:
    path = tmp_path / "p.key"
    with kf.locked(path):
        with pytest.raises(KeyFileError, match="in use"):
            with kf.locked(path):
                pass


def test_keyfile_keyed_hash_depends_on_secret() -> None:
    a, b = kf.KeyFile.create(), kf.KeyFile.create()
    assert a.keyed_hash("Marchal") == a.keyed_hash("Marchal")
    assert a.keyed_hash("Marchal") != b.keyed_hash("Marchal")


def test_keyfile_ids_are_per_label() -> None:
    key = kf.KeyFile.create()
    assert key.new_id("PERSON") == "PER-0001"
    assert key.new_id("PERSON") == "PER-0002"
    assert key.new_id("MUNICIPALITY") == "COM-0001"


def test_keyfile_passphrase_change_and_grant(tmp_path) -> None:
    path = tmp_path / "p.key"
    key = _new(path, "old")
    kf.set_passphrase(key, "pseudonymise", "assistant")
    kf.set_passphrase(key, "reidentify", "direction")
    kf.save(key, path)
    with pytest.raises(KeyFileError):
        kf.load(path, "old")
    assert not kf.load(path, "assistant").can_reidentify
    assert kf.load(path, "direction").can_reidentify
    assert kf.roles_of(path, "assistant") == ["pseudonymise"]
    assistant = kf.load(path, "assistant")
    with pytest.raises(KeyFileError):
        kf.set_passphrase(assistant, "reidentify", "stolen")


def test_keyfile_seal_round_trip() -> None:
    key = kf.KeyFile.create()
    sealed = kf.seal(key.public_key, "Isabelle")
    assert "Isabelle" not in sealed
    assert kf.unseal(key.private_key, sealed) == "Isabelle"


def test_keyfile_pools_round_trip(tmp_path) -> None:
    path = tmp_path / "p.key"
    key = _new(path, entity=False)
    assert key.add_pool("PERSON", ["Zoé Quillet", "Zoé Quillet", "Marc Aubry"]) == 2
    assert key.add_pool("PERSON", ["Marc Aubry", "Léon Vidal"]) == 1
    kf.save(key, path)
    assert kf.load(path, "pass").pools == {"PERSON": ("Zoé Quillet", "Marc Aubry", "Léon Vidal")}


def test_keyfile_forget_erases_originals_and_hashes(tmp_path) -> None:
    key = _new(tmp_path / "p.key")
    key.add(Entity("PER-0002", "PERSON", "Bruno Marchal", ("Bruno Marchal",), "Yves Morin"))
    key.index("PER-0002", [("Bruno Marchal", "c")], ["last:marchal", "first:bruno"])
    assert {f[3] for f in key.find_forms("Isabelle Marchal et Bruno Marchal.")} == {"PER-0001", "PER-0002"}
    key.forget("PER-0001")
    assert key.originals("PER-0001") == [] and key.originals("PER-0002") == ["Bruno Marchal"]
    assert [f[3] for f in key.find_forms("Isabelle Marchal et Bruno Marchal.")] == ["PER-0002"]
    assert key.entities_for_key("last:marchal") == ["PER-0002"] and key.entities_for_key("first:isabelle") == []
    assert not key.is_real_word("Isabelle") and key.is_real_word("Marchal") and key.is_real_word("Bruno")
    forgotten = key.entities["PER-0001"]
    assert (forgotten.canonical, forgotten.variants, forgotten.origin) == ("", (), kf.FORGOTTEN)
    assert "Sophie Lambert" in key.pseudonyms()  # never given again


def test_keyfile_forget_needs_the_reidentify_role(tmp_path) -> None:
    path = tmp_path / "p.key"
    _new(path, "pseudo", "reid")
    with pytest.raises(KeyFileError):
        kf.load(path, "pseudo").forget("PER-0001")


@pytest.mark.parametrize("syncfs_result", [0, -1, None])
def test_sync_files_one_syncfs_per_file_system_else_an_fsync_each(tmp_path, monkeypatch, syncfs_result) -> None:
    """Outputs written without ``sync`` are made durable by batch: one syncfs for their file
    system; when syncfs is missing or refuses, an fsync per file and per folder."""
    paths = []
    for name in ("a/1.txt", "a/2.txt", "b/3.txt"):
        path = tmp_path / name
        path.parent.mkdir(exist_ok=True)
        kf.atomic_write(path, b"x", sync=False)
        paths.append(path)
    calls: list[str] = []
    real_fsync = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: (calls.append("fsync"), real_fsync(fd))[1])
    fake = None if syncfs_result is None else (lambda fd: (calls.append("syncfs"), syncfs_result)[1])
    monkeypatch.setattr(kf, "_syncfs", lambda: fake)
    kf.sync_files(paths)
    if syncfs_result == 0:
        assert calls == ["syncfs"]
    else:
        assert calls == ["syncfs"] * (syncfs_result is not None) + ["fsync"] * 5  # 3 files, 2 folders
    assert [p.read_bytes() for p in paths] == [b"x"] * 3
    assert not list(tmp_path.rglob("*.tmp"))


def test_syncfs_is_found_on_linux() -> None:
    if sys.platform.startswith("linux"):
        assert kf._syncfs() is not None
