import os
import stat

import pytest

from anonymiser import keyfile as kf
from anonymiser.errors import KeyFileError
from anonymiser.model import Entity


def _entity(**kw) -> Entity:
    base = dict(id="PER-0001", label="PERSON", canonical="Isabelle Marchal",
                variants=("Isabelle Marchal",), pseudonym="Sophie Lambert")
    base.update(kw)
    return Entity(**base)


def test_keyfile_round_trip(tmp_path) -> None:
    key = kf.KeyFile.create()
    key.add(_entity())
    path = tmp_path / "p.key"
    kf.save(key, path, "pass")
    again = kf.load(path, "pass")
    assert again.entities == key.entities
    assert again.secret == key.secret
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600


def test_keyfile_has_no_plaintext(tmp_path) -> None:
    key = kf.KeyFile.create()
    key.add(_entity())
    path = tmp_path / "p.key"
    kf.save(key, path, "pass")
    data = path.read_bytes()
    assert b"Marchal" not in data and b"Sophie" not in data


def test_keyfile_wrong_passphrase(tmp_path) -> None:
    path = tmp_path / "p.key"
    kf.save(kf.KeyFile.create(), path, "right")
    with pytest.raises(KeyFileError, match="wrong passphrase"):
        kf.load(path, "wrong")


@pytest.mark.parametrize("position", [0, 20, -1])
def test_keyfile_flipped_byte_refused(tmp_path, position: int) -> None:
    path = tmp_path / "p.key"
    kf.save(kf.KeyFile.create(), path, "pass")
    data = bytearray(path.read_bytes())
    data[position] ^= 0x01
    path.write_bytes(bytes(data))
    with pytest.raises(KeyFileError):
        kf.load(path, "pass")


def test_keyfile_truncated_refused(tmp_path) -> None:
    path = tmp_path / "p.key"
    kf.save(kf.KeyFile.create(), path, "pass")
    path.write_bytes(path.read_bytes()[:40])
    with pytest.raises(KeyFileError):
        kf.load(path, "pass")


def test_keyfile_never_remaps(tmp_path) -> None:
    key = kf.KeyFile.create()
    key.add(_entity())
    with pytest.raises(KeyFileError):
        key.add(_entity(pseudonym="Autre Nom"))
    key.add(_entity(variants=("Mme Marchal",)))
    assert key.entities["PER-0001"].variants == ("Isabelle Marchal", "Mme Marchal")


def test_keyfile_save_keeps_backup(tmp_path) -> None:
    path = tmp_path / "p.key"
    first = kf.KeyFile.create()
    kf.save(first, path, "pass")
    first.add(_entity())
    kf.save(first, path, "pass")
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


def test_keyfile_pools_round_trip_and_old_payloads(tmp_path) -> None:
    key = kf.KeyFile.create()
    assert key.add_pool("PERSON", ["Zoé Quillet", "Zoé Quillet", "Marc Aubry"]) == 2
    assert key.add_pool("PERSON", ["Marc Aubry", "Léon Vidal"]) == 1
    path = tmp_path / "p.key"
    kf.save(key, path, "pass")
    assert kf.load(path, "pass").pools == {"PERSON": ("Zoé Quillet", "Marc Aubry", "Léon Vidal")}
    payload = key.to_payload()
    del payload["pools"]  # a key file written before pools existed
    assert kf.KeyFile.from_payload(payload).pools == {}
