"""Keyed hashes, sealing, passphrase slots and authenticated encryption."""

import pytest

from anonymiser.keys import crypto


def test_keys_crypto_keyed_hash_depends_on_the_secret() -> None:
    a, b = crypto.new_key(), crypto.new_key()
    assert crypto.keyed_hash(a, "Marchal") == crypto.keyed_hash(a, "Marchal")
    assert crypto.keyed_hash(a, "Marchal") != crypto.keyed_hash(b, "Marchal")
    assert len(crypto.keyed_hash(a, "Marchal")) == 32 and "Marchal" not in crypto.keyed_hash(a, "Marchal")


def test_keys_crypto_seed_and_chain_key_are_deterministic_per_secret() -> None:
    secret = b"s" * 32
    assert crypto.seed(secret, "PLACE", "COM-0001") == crypto.seed(secret, "PLACE", "COM-0001")
    assert crypto.seed(secret, "PLACE", "COM-0001") != crypto.seed(secret, "PLACE", "COM-0002")
    assert crypto.chain_key(secret, "audit") != crypto.chain_key(secret, "access")
    assert crypto.chain_key(secret, "audit") != crypto.chain_key(b"t" * 32, "audit")


def test_keys_crypto_seal_round_trip() -> None:
    private, public = crypto.new_keypair()
    sealed = crypto.seal(public, "Isabelle")
    assert "Isabelle" not in sealed
    assert crypto.unseal(private, sealed) == "Isabelle"
    sealer = crypto.Sealer(public)  # one ephemeral key, a nonce per text
    first, second = sealer.seal("Rezé"), sealer.seal("Rezé")
    assert first != second and crypto.unseal(private, first) == crypto.unseal(private, second) == "Rezé"
    other, _ = crypto.new_keypair()
    with pytest.raises(crypto.InvalidTag):
        crypto.unseal(other, sealed)


def test_keys_crypto_slot_opens_with_its_passphrase_only(monkeypatch) -> None:
    monkeypatch.setitem(crypto.KDF_DEFAULTS, "memory_kib", 1024)  # fast: the parameters are in the slot
    slot = crypto.wrap("pseudonymise", "bonne phrase", b"material")
    assert slot["role"] == "pseudonymise" and slot["kdf"]["memory_kib"] == 1024
    assert crypto.unwrap(slot, "bonne phrase") == b"material"
    with pytest.raises(crypto.InvalidTag):
        crypto.unwrap(slot, "mauvaise phrase")
    with pytest.raises(crypto.InvalidTag):
        crypto.unwrap(dict(slot, role="reidentify"), "bonne phrase")  # the role is authenticated
    with pytest.raises((ValueError, KeyError, TypeError)):
        crypto.unwrap({"role": "pseudonymise", "kdf": {}}, "bonne phrase")


def test_keys_crypto_encrypt_authenticates_the_associated_data() -> None:
    key, nonce = crypto.new_key(), crypto.new_nonce()
    box = crypto.encrypt(key, nonce, b"payload", b"header")
    assert crypto.decrypt(key, nonce, box, b"header") == b"payload"
    with pytest.raises(crypto.InvalidTag):
        crypto.decrypt(key, nonce, box, b"HEADER")
    with pytest.raises(crypto.InvalidTag):
        crypto.decrypt(key, nonce, box[:-1] + bytes([box[-1] ^ 1]), b"header")
    assert crypto.unb64(crypto.b64(b"\x00\xff")) == b"\x00\xff"


@pytest.mark.parametrize("pieces", [[], [b""], [b"payload"], [b"pay", b"", b"load"], [bytes(range(256)) * 70] * 3])
def test_keys_crypto_encrypt_in_pieces_gives_the_bytes_of_encrypt(pieces: list[bytes]) -> None:
    key, nonce = crypto.new_key(), crypto.new_nonce()
    box = b"".join(crypto.encrypt_pieces(key, nonce, iter(pieces), b"header"))
    assert box == crypto.encrypt(key, nonce, b"".join(pieces), b"header")
    assert crypto.decrypt(key, nonce, box, b"header") == b"".join(pieces)


def test_keys_crypto_fingerprint_names_one_public_key() -> None:
    private, public = crypto.new_keypair()
    assert crypto.public_of(private) == public
    fingerprint = crypto.fingerprint(public)
    assert fingerprint.startswith("sha256:") and len(fingerprint) == 7 + 32
    assert fingerprint == crypto.fingerprint(public) != crypto.fingerprint(crypto.new_keypair()[1])


@pytest.mark.parametrize("secret", [b"", b"s" * 32, bytes(range(64)), b"x" * 65, bytes(range(200))])
def test_keys_crypto_keyed_hash_is_hmac_sha256(secret: bytes) -> None:
    import hashlib
    import hmac

    for text in ("", "near\x1fmarchal", "form\x1fsaint étienne", "œ" * 100):
        expected = hmac.new(secret, text.encode("utf-8"), hashlib.sha256).hexdigest()[:32]
        assert crypto.keyed_hash(secret, text) == expected
    words = ["marchal", "archal", "mrchal", ""]
    assert [d.hex() for d in crypto.keyed_digests(secret, "near\x1f", words)] == [
        crypto.keyed_hash(secret, f"near\x1f{w}") for w in words]
    assert crypto.keyed_digest(secret, "marchal").hex() == crypto.keyed_hash(secret, "marchal")


def test_keys_crypto_keyed_hash_of_a_long_text_is_hmac_sha256_and_not_remembered() -> None:
    import hashlib
    import hmac

    secret = b"s" * 32
    text = ("Mme Kerhervé – « à Saint-Lô » " * (crypto.LONG_TEXT // 10))[:crypto.LONG_TEXT * 3 + 5]
    before = crypto.keyed_digest.cache_info().currsize
    assert crypto.keyed_hash(secret, text) == hmac.new(secret, text.encode("utf-8"), hashlib.sha256).hexdigest()[:32]
    assert crypto.keyed_digest.cache_info().currsize == before  # the text is not kept alive by the cache
