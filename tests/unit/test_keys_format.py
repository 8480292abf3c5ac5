"""The key file on disk: round trip, roles, wrong passphrase, damage, backup, lock."""

import json
import os
import stat

import pytest

from anonymiser.errors import KeyFileError, NotFoundError, UsageError
from anonymiser.keys import crypto, stream
from anonymiser.keys import format as kf
from anonymiser.model import Entity
from tests.unit.keying import PASSPHRASE


def _entity(**kw) -> Entity:
    base = dict(id="PER-0001", label="PERSON", canonical="Isabelle Marchal",
                variants=("Isabelle Marchal", "Mme Marchal"), pseudonym="Sophie Lambert")
    base.update(kw)
    return Entity(**base)


def _new(path, passphrase=PASSPHRASE, second=None, *, entity=True) -> kf.KeyFile:
    key = kf.create(path, passphrase, reidentify_passphrase=second)
    if entity:
        key.add(_entity())
        key.index("PER-0001", [("Isabelle Marchal", "c"), ("Marchal", "c")], ["last:marchal", "first:isabelle"])
        kf.save(key, path)
    return key


def test_keys_format_round_trip(tmp_path) -> None:
    path = tmp_path / "p.key"
    key = _new(path)
    again = kf.load(path, PASSPHRASE)
    assert again.entities == key.entities
    assert again.secret == key.secret and again.can_reidentify
    assert again.entities_for_key("last:marchal") == ["PER-0001"]
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600


def test_keys_format_payload_round_trip_in_memory() -> None:
    key = kf.KeyFile.create()
    key.add(_entity())
    key.index("PER-0001", [("Marchal", "c")], ["last:marchal"])
    key.add_pool("PERSON", ["Zoé Quillet"])
    key.set_extra("review", {"skipped": ["abc"]})
    payload = json.loads(json.dumps(kf.to_payload(key)))
    again = kf.from_payload(payload, private_key=key.private_key, data_key=key.data_key, slots={})
    assert kf.to_payload(again) == payload
    assert again.entities == key.entities and again.pools == key.pools and again.extras == key.extras
    assert [f[3] for f in again.find_forms("Puis Marchal.")] == ["PER-0001"]


def _many(path=None) -> kf.KeyFile:
    """A key file of 300 entities with forms, keys, words and accents (invented names)."""
    key = kf.create(path, PASSPHRASE) if path is not None else kf.KeyFile.create()
    for n in range(300):
        entity_id = f"PER-{n + 1:04d}"
        name = f"Hélène Quéméner{n}"
        key.add(_entity(id=entity_id, canonical=name, variants=(name, f"Mme Quéméner{n}"), pseudonym=f"Zoé Lâm{n}"))
        key.index(entity_id, [(name, "c"), (f"Quéméner{n}", "c")], [f"last:quemener{n}"])
    key.add_pool("PERSON", ["Zoé Quillet", "Anaïs Ng"])
    key.set_extra("review", {"skipped": ["abc"], "ordre": {"b": 1, "a": [2.5, None, True]}})
    return key


@pytest.mark.parametrize("batch", [1, 7, 1000])
def test_keys_format_payload_is_written_in_pieces_as_json_dumps_writes_it_whole(monkeypatch, batch) -> None:
    key = _many()
    whole = json.dumps(kf.to_payload(key), ensure_ascii=False, sort_keys=True)
    monkeypatch.setattr(stream, "BATCH", batch)
    pieces = list(kf.payload_pieces(key))
    if batch < 10:  # a few entities or forms at a time, never the payload
        assert len(pieces) > 300 // batch and max(map(len, pieces)) < len(whole) // 30
    assert "".join(pieces) == whole
    chunks = list(stream.encoded(pieces, size=4096))
    assert len(chunks) > 10 and b"".join(chunks) == whole.encode("utf-8")
    assert all(len(c) < 4096 * 4 + 4 * max(map(len, pieces)) for c in chunks)


def test_keys_format_saved_in_pieces_opens_with_the_whole_file_reader(tmp_path) -> None:
    path = tmp_path / "k.key"
    key = _many(path)
    kf.save(key, path)
    data = path.read_bytes()
    again = kf.decrypt(data, PASSPHRASE)  # the reader decrypts the file in one piece, as before
    assert again.entities == key.entities and again.extras == key.extras
    assert kf.to_payload(again) == kf.to_payload(key)
    assert [f[3] for f in again.find_forms("Avec Quéméner17 hier.")] == ["PER-0018"]
    header_end = data.index(b"\n", len(kf.MAGIC)) + 1
    nonce = crypto.unb64(json.loads(data[len(kf.MAGIC):header_end])["nonce"])
    plain = json.dumps(kf.to_payload(key), ensure_ascii=False, sort_keys=True).encode("utf-8")
    assert data[header_end:] == crypto.encrypt(key.data_key, nonce, plain, data[:header_end])  # byte for byte


def test_keys_format_has_no_plaintext(tmp_path) -> None:
    path = tmp_path / "p.key"
    _new(path)
    data = path.read_bytes()
    for needle in (b"Marchal", b"Isabelle", b"Sophie", b"Lambert", b"MARCHAL"):
        assert needle not in data


def test_keys_format_pseudonymise_role_cannot_read_originals(tmp_path) -> None:
    path = tmp_path / "p.key"
    _new(path, "phrase de l'assistant", "phrase de la direction")
    assistant = kf.load(path, "phrase de l'assistant")
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
        kf.load(path, "phrase de l'assistant", need_private=True)
    director = kf.load(path, "phrase de la direction", need_private=True)
    assert director.original_for("PER-0001", director.keyed_hash("Mme Marchal")) == "Mme Marchal"


def test_keys_format_pseudonymise_role_adds_sealed_entities(tmp_path) -> None:
    path = tmp_path / "p.key"
    _new(path, "phrase de l'assistant", "phrase de la direction")
    assistant = kf.load(path, "phrase de l'assistant")
    assistant.add(Entity("PER-0002", "PERSON", "Bruno Kerleau", ("Bruno Kerleau",), "Yves Morin"))
    kf.save(assistant, path)
    assert b"Kerleau" not in path.read_bytes()
    director = kf.load(path, "phrase de la direction")
    assert director.entities["PER-0002"].canonical == "Bruno Kerleau"
    assert director.entities["PER-0001"].variants == ("Isabelle Marchal", "Mme Marchal")


def test_keys_format_wrong_passphrase(tmp_path) -> None:
    path = tmp_path / "p.key"
    _new(path, "la bonne phrase de passe", entity=False)
    with pytest.raises(KeyFileError, match="wrong passphrase"):
        kf.load(path, "wrong")


@pytest.mark.parametrize(("data", "cause"), [
    (b"", "not an anonymiser key file"),
    (b"ANONYMISER-KEY\n{no header", "no header"),
    (b"ANONYMISER-KEY\n{not json}\n", "bad header"),
    (b'ANONYMISER-KEY\n{"format": 1}\n', "unsupported key file format 1"),
])
def test_keys_format_damaged_header_is_refused_in_one_line(data, cause) -> None:
    with pytest.raises(KeyFileError, match=cause):
        kf.decrypt(data, PASSPHRASE, path="p.key")


def test_keys_format_any_flipped_byte_is_refused(tmp_path) -> None:
    path = tmp_path / "p.key"
    _new(path)
    original = path.read_bytes()
    step = max(1, len(original) // 97)
    for position in list(range(0, len(original), step)) + [len(original) - 1]:
        data = bytearray(original)
        data[position] ^= 0x01
        with pytest.raises(KeyFileError):
            kf.decrypt(bytes(data), PASSPHRASE)


def test_keys_format_truncated_refused(tmp_path) -> None:
    path = tmp_path / "p.key"
    _new(path)
    original = path.read_bytes()
    for size in (0, 10, 40, len(original) // 2, len(original) - 1):
        path.write_bytes(original[:size])
        with pytest.raises(KeyFileError):
            kf.load(path, PASSPHRASE)


def test_keys_format_missing_file_says_how_to_create_it(tmp_path) -> None:
    with pytest.raises(NotFoundError, match="key init") as missing:  # an input not found: exit 2, not 3
        kf.load(tmp_path / "none.key", PASSPHRASE)
    assert missing.value.exit_code == 2


def test_keys_format_save_keeps_backup(tmp_path) -> None:
    path = tmp_path / "p.key"
    _new(path, entity=False)
    key = kf.load(path, PASSPHRASE)
    key.add(_entity())
    kf.save(key, path)
    assert kf.load(tmp_path / "p.key.bak", PASSPHRASE).entities == {}
    assert "PER-0001" in kf.load(path, PASSPHRASE).entities


def test_keys_format_lock_refuses_second_writer(tmp_path) -> None:
    path = tmp_path / "p.key"
    with kf.locked(path):
        with pytest.raises(KeyFileError, match="in use"):
            with kf.locked(path):
                pass
    with kf.locked(path):  # released
        pass


def test_keys_format_lock_reports_an_unwritable_folder(tmp_path) -> None:
    with pytest.raises(KeyFileError, match="cannot create lock file"):
        with kf.locked(tmp_path / "missing" / "p.key"):
            pass


def test_keys_format_passphrase_change_and_grant(tmp_path) -> None:
    path = tmp_path / "p.key"
    key = _new(path, "ancienne phrase de passe")
    kf.set_passphrase(key, "pseudonymise", "phrase de l'assistant")
    kf.set_passphrase(key, "reidentify", "phrase de la direction")
    kf.save(key, path)
    with pytest.raises(KeyFileError):
        kf.load(path, "ancienne phrase de passe")
    assert not kf.load(path, "phrase de l'assistant").can_reidentify
    assert kf.load(path, "phrase de la direction").can_reidentify
    assert kf.roles_of(path, "phrase de l'assistant") == ["pseudonymise"]
    assistant = kf.load(path, "phrase de l'assistant")
    with pytest.raises(KeyFileError):
        kf.set_passphrase(assistant, "reidentify", "phrase volée au passage")
    with pytest.raises(KeyFileError, match="unknown role"):
        kf.set_passphrase(key, "admin", PASSPHRASE)


@pytest.mark.parametrize("short", ["", "x", "onze carac.", "   onze c.   "])
def test_keys_format_a_new_passphrase_needs_12_characters(tmp_path, short) -> None:
    key = _new(tmp_path / "p.key")
    before = (tmp_path / "p.key").read_bytes()
    for role in kf.ROLES:
        with pytest.raises(UsageError, match="at least 12 characters"):
            kf.set_passphrase(key, role, short)
    with pytest.raises(UsageError, match="at least 12 characters"):
        kf.create(tmp_path / "short.key", short)
    if short:  # an empty second passphrase is the first one's
        with pytest.raises(UsageError, match="at least 12 characters"):
            kf.create(tmp_path / "short.key", PASSPHRASE, reidentify_passphrase=short)
    assert not (tmp_path / "short.key").exists() and (tmp_path / "p.key").read_bytes() == before
    kf.set_passphrase(key, "pseudonymise", "douze carac.")  # 12: enough


def test_keys_format_a_key_file_made_with_a_short_passphrase_still_opens(tmp_path) -> None:
    """Key files written before the 12-character rule keep opening with their passphrase."""
    path = tmp_path / "p.key"
    key = _new(path)
    for role in kf.ROLES:  # the slots an older version wrote
        material = key.data_key + (key.private_key or b"") if role == "reidentify" else key.data_key
        key.set_slot(role, crypto.wrap(role, "pw", material))
    kf.save(key, path)
    assert kf.load(path, "pw", need_private=True).originals("PER-0001") == ["Isabelle Marchal", "Mme Marchal"]


def test_keys_format_encrypt_needs_a_passphrase() -> None:
    with pytest.raises(KeyFileError, match="no passphrase"):
        kf.encrypt(kf.KeyFile.create())


def test_keys_format_pools_round_trip(tmp_path) -> None:
    path = tmp_path / "p.key"
    key = _new(path, entity=False)
    assert key.add_pool("PERSON", ["Zoé Quillet", "Zoé Quillet", "Marc Aubry"]) == 2
    assert key.add_pool("PERSON", ["Marc Aubry", "Léon Vidal"]) == 1
    kf.save(key, path)
    assert kf.load(path, PASSPHRASE).pools == {"PERSON": ("Zoé Quillet", "Marc Aubry", "Léon Vidal")}


def test_keys_format_forget_needs_the_reidentify_role(tmp_path) -> None:
    path = tmp_path / "p.key"
    _new(path, "phrase pseudonymiser", "phrase réidentifier")
    with pytest.raises(KeyFileError):
        kf.load(path, "phrase pseudonymiser").forget("PER-0001")


def test_keys_format_lock_is_taken_on_the_file_a_link_points_at(tmp_path) -> None:
    """Two runs on one key file, one through a symlink: the second is refused."""
    path = tmp_path / "p.key"
    _new(path, entity=False)
    (tmp_path / "link.key").symlink_to(path)
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "p.key").symlink_to(path)
    for other in (tmp_path / "link.key", tmp_path / "elsewhere" / "p.key"):
        with kf.locked(path):
            with pytest.raises(KeyFileError, match="in use"):
                with kf.locked(other):
                    pass


def test_keys_format_save_through_a_link_replaces_its_target(tmp_path) -> None:
    path = tmp_path / "real" / "p.key"
    path.parent.mkdir()
    _new(path, entity=False)
    link = tmp_path / "link.key"
    link.symlink_to(path)
    key = kf.load(link, PASSPHRASE)
    key.add(_entity())
    kf.save(key, link)
    assert link.is_symlink() and "PER-0001" in kf.load(path, PASSPHRASE).entities
    assert kf.load(path.parent / "p.key.bak", PASSPHRASE).entities == {} and not (tmp_path / "link.key.bak").exists()


def test_keys_format_lock_removes_the_stale_copies_a_crash_left(tmp_path) -> None:
    """A crashed save leaves ``.p.key.PID.tmp`` and ``.p.key.PID.bak.tmp``: they hold the key
    file (and a forgotten entity's originals); the next command on the key file removes them."""
    import subprocess
    import sys

    path = tmp_path / "p.key"
    _new(path)
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    stale = [tmp_path / f".p.key.{child.pid}.tmp", tmp_path / f".p.key.{child.pid}.k3y.bak.tmp"]
    for copy in stale:
        copy.write_bytes(path.read_bytes())
    with kf.locked(path):
        assert not any(copy.exists() for copy in stale)
    stale[0].write_bytes(path.read_bytes())
    kf.tidy(path)
    assert not stale[0].exists() and path.exists()


def _with_header(path, change) -> bytes:
    """The key file at ``path`` with its header line changed by ``change(header) -> header``."""
    data = path.read_bytes()
    header, rest = data[len(kf.MAGIC):].split(b"\n", 1)
    return kf.MAGIC + json.dumps(change(json.loads(header))).encode() + b"\n" + rest


def _kdf(**values):
    def change(header):
        for slot in header["slots"]:
            slot["kdf"].update(values)
        return header
    return change


@pytest.mark.parametrize("change", [
    _kdf(iterations=10**9), _kdf(memory_kib=2**24), _kdf(lanes=0), _kdf(lanes=10**6), _kdf(iterations="3"),
    _kdf(iterations=True), _kdf(name="scrypt"), _kdf(memory_kib=8), lambda h: [], lambda h: "x",
    lambda h: {**h, "slots": "x"}, lambda h: {**h, "slots": [1]}, lambda h: {**h, "cipher": "none"},
    lambda h: {**h, "slots": [{**h["slots"][0], "kdf": []}]},
], ids=["iterations", "memory", "no-lanes", "many-lanes", "string", "bool", "other-kdf", "tiny-memory",
        "list", "string-header", "slots-string", "slot-number", "cipher", "kdf-list"])
def test_keys_format_crafted_kdf_parameters_are_refused_at_once(tmp_path, change) -> None:
    """A header with KDF parameters the tool never writes (a billion iterations, 16 GiB of
    memory) or of the wrong shape is refused in one line, exit 3, before any key is derived."""
    import time

    path = tmp_path / "p.key"
    _new(path, entity=False)
    data = _with_header(path, change)
    started = time.perf_counter()
    with pytest.raises(KeyFileError, match="damaged key file") as info:
        kf.decrypt(data, PASSPHRASE, path="p.key")
    assert info.value.exit_code == 3 and time.perf_counter() - started < 0.5


def test_keys_format_deeply_nested_header_is_refused_in_one_line() -> None:
    data = kf.MAGIC + b"[" * 100_000 + b"]" * 100_000 + b"\n"
    with pytest.raises(KeyFileError, match="bad header") as info:
        kf.decrypt(data, PASSPHRASE, path="p.key")
    assert info.value.exit_code == 3


def test_keys_format_the_reidentify_role_refuses_a_replaced_sealing_key(tmp_path) -> None:
    """A pseudonymise holder rewrote the payload with a sealing key of their own: the
    re-identification passphrase sees it at once (the pseudonymise one cannot: see 'key pin')."""
    path = tmp_path / "p.key"
    _new(path, "phrase pseudonymiser", "phrase réidentifier")
    assistant = kf.load(path, "phrase pseudonymiser")
    fingerprint = crypto.fingerprint(assistant.public_key)
    assistant._public_key = crypto.new_keypair()[1]
    kf.save(assistant, path)
    assert crypto.fingerprint(kf.load(path, "phrase pseudonymiser").public_key) != fingerprint
    with pytest.raises(KeyFileError, match="sealing key was replaced"):
        kf.load(path, "phrase réidentifier")
