"""The key file's cryptography: keyed hashes, sealing to the team's key, passphrase slots, AES-GCM."""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import secrets
from collections.abc import Iterable, Iterator
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import (
    X25519PrivateKey,
    X25519PublicKey,
)
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

__all__ = ["InvalidTag", "KDF_DEFAULTS", "KeyedHasher", "Sealer", "b64", "chain_key", "decrypt", "derive", "encrypt",
           "encrypt_pieces", "fingerprint", "keyed_digest", "keyed_digests", "keyed_hash", "new_key", "new_keypair",
           "new_nonce", "public_of", "seal", "seed", "unb64", "unseal", "unwrap", "wrap"]

KDF_DEFAULTS = {"name": "argon2id", "memory_kib": 65536, "iterations": 3, "lanes": 4}


# -- keyed hashes ------------------------------------------------------------------------
_BLOCK = 64  # SHA-256's block size, in bytes


@functools.lru_cache(maxsize=4)
def _keyed(secret: bytes) -> tuple[Any, Any]:
    """HMAC-SHA256 keyed with ``secret`` (RFC 2104), before any message: the inner and outer
    SHA-256 states, copied for each hash (``hmac.HMAC.copy`` costs three times as much)."""
    key = hashlib.sha256(secret).digest() if len(secret) > _BLOCK else secret
    key = key.ljust(_BLOCK, b"\0")
    return (hashlib.sha256(bytes(b ^ 0x36 for b in key)), hashlib.sha256(bytes(b ^ 0x5C for b in key)))


@functools.lru_cache(maxsize=1 << 17)
def keyed_digest(secret: bytes, text: str) -> bytes:
    """HMAC-SHA256 of ``text`` under ``secret``, its first 16 bytes, remembered: linking and
    assignment ask for the same keys again and again (the cache lives in this process's
    memory only, as the key file does). The key file's index holds these bytes in memory
    (49 bytes an object, against 81 for their hex: a long text's index holds hundreds of
    thousands); it writes them in hex."""
    inner_state, outer_state = _keyed(secret)  # the keyed states are computed once per secret
    inner = inner_state.copy()
    inner.update(text.encode("utf-8"))
    outer = outer_state.copy()
    outer.update(inner.digest())
    return outer.digest()[:16]


LONG_TEXT = 1 << 16  # characters: a text this long (a whole document) is hashed in pieces, not remembered


def keyed_hash(secret: bytes, text: str) -> str:
    """HMAC-SHA256 of ``text`` under ``secret`` (hex, 32 chars): ``keyed_digest`` in hex. A
    long text (a document's, for its audit record) is encoded a piece at a time and not
    remembered: ``keyed_digest``'s memory would keep the whole text alive."""
    if len(text) <= LONG_TEXT:
        return keyed_digest(secret, text).hex()
    inner_state, outer_state = _keyed(secret)
    inner = inner_state.copy()
    for at in range(0, len(text), LONG_TEXT):
        inner.update(text[at:at + LONG_TEXT].encode("utf-8"))
    outer = outer_state.copy()
    outer.update(inner.digest())
    return outer.digest()[:16].hex()


class KeyedHasher:
    """``keyed_hash`` of a text given a piece at a time (``update``), read at the end (``hexdigest``)."""

    def __init__(self, secret: bytes) -> None:
        inner_state, self._outer = _keyed(secret)
        self._inner = inner_state.copy()

    def update(self, piece: str) -> None:
        self._inner.update(piece.encode("utf-8"))

    def hexdigest(self) -> str:
        outer = self._outer.copy()
        outer.update(self._inner.digest())
        return outer.digest()[:16].hex()


def keyed_digests(secret: bytes, prefix: str, texts: Iterable[str]) -> Iterator[bytes]:
    """``keyed_digest(secret, prefix + text)`` for each of ``texts``, not remembered: for the
    many hashes that are computed once (a name's deletion neighbourhood), which would push
    the ones asked for again and again out of ``keyed_digest``'s memory."""
    inner_state, outer_state = _keyed(secret)
    inner_state = inner_state.copy()
    inner_state.update(prefix.encode("utf-8"))
    for text in texts:
        inner = inner_state.copy()
        inner.update(text.encode("utf-8"))
        outer = outer_state.copy()
        outer.update(inner.digest())
        yield outer.digest()[:16]


def seed(secret: bytes, *parts: str) -> int:
    """A deterministic seed derived from the secret (for pseudonym generation)."""
    digest = hmac.new(secret, "\x1f".join(parts).encode("utf-8"), hashlib.sha256)
    return int.from_bytes(digest.digest()[:8], "big")


def chain_key(secret: bytes, purpose: str) -> bytes:
    """A key for hash-chaining a log (audit, access), derived from the secret."""
    return hmac.new(secret, f"chain\x1f{purpose}".encode(), hashlib.sha256).digest()


# -- encodings and fresh material --------------------------------------------------------
def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


def new_key() -> bytes:
    """A fresh 256-bit key (data key, project secret)."""
    return secrets.token_bytes(32)


def new_nonce() -> bytes:
    return secrets.token_bytes(12)


def _public_bytes(key: X25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def new_keypair() -> tuple[bytes, bytes]:
    """A fresh X25519 key pair, raw: ``(private, public)``."""
    private = X25519PrivateKey.generate()
    raw = private.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                                serialization.NoEncryption())
    return raw, _public_bytes(private.public_key())


def public_of(private_key: bytes) -> bytes:
    """The raw X25519 public key of a raw private key."""
    return _public_bytes(X25519PrivateKey.from_private_bytes(private_key).public_key())


def fingerprint(public_key: bytes) -> str:
    """What a team writes down to pin its sealing key: ``sha256:`` and 32 hex digits (128 bits
    of SHA-256 of the raw public key; finding another key with the same fingerprint is out of reach)."""
    return "sha256:" + hashlib.sha256(b"anonymiser-sealing-key\x1f" + public_key).hexdigest()[:32]


# -- sealing -----------------------------------------------------------------------------
class Sealer:
    """Seals texts to an X25519 public key (anonymous sender): only the private key opens
    them. One ephemeral key per sealer (one per key file in memory) and a random nonce per
    text: AES-GCM under one key takes far more than a run's texts with random nonces, and
    each sealed text keeps the format ``unseal`` reads (ephemeral key, nonce, ciphertext)."""

    def __init__(self, public_key: bytes) -> None:
        ephemeral = X25519PrivateKey.generate()
        self.ephemeral_public = _public_bytes(ephemeral.public_key())
        shared = ephemeral.exchange(X25519PublicKey.from_public_bytes(public_key))
        key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None,
                   info=b"anonymiser-seal" + self.ephemeral_public + public_key).derive(shared)
        self.aead = AESGCM(key)

    def seal(self, plaintext: str) -> str:
        nonce = new_nonce()
        return b64(self.ephemeral_public + nonce
                   + self.aead.encrypt(nonce, plaintext.encode("utf-8"), self.ephemeral_public))


def seal(public_key: bytes, plaintext: str) -> str:
    """Seal ``plaintext`` to an X25519 public key (anonymous sender): only the private key opens it."""
    return Sealer(public_key).seal(plaintext)


def unseal(private_key: bytes, sealed: str) -> str:
    raw = unb64(sealed)
    ephemeral_public, nonce, ciphertext = raw[:32], raw[32:44], raw[44:]
    private = X25519PrivateKey.from_private_bytes(private_key)
    public = _public_bytes(private.public_key())
    shared = private.exchange(X25519PublicKey.from_public_bytes(ephemeral_public))
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None,
               info=b"anonymiser-seal" + ephemeral_public + public).derive(shared)
    return AESGCM(key).decrypt(nonce, ciphertext, ephemeral_public).decode("utf-8")


# -- passphrase slots and authenticated encryption ---------------------------------------
def derive(passphrase: str, kdf: dict[str, Any], salt: bytes) -> bytes:
    """The key a passphrase gives with Argon2id (parameters as stored in a slot)."""
    return Argon2id(
        salt=salt, length=32, iterations=int(kdf["iterations"]), lanes=int(kdf["lanes"]),
        memory_cost=int(kdf["memory_kib"]),
    ).derive(passphrase.encode("utf-8"))


def wrap(role: str, passphrase: str, material: bytes) -> dict[str, Any]:
    """A key slot: ``material`` encrypted under the passphrase's key (fresh salt and nonce)."""
    salt, nonce = secrets.token_bytes(16), new_nonce()
    kdf = dict(KDF_DEFAULTS, salt=b64(salt))
    wrapped = AESGCM(derive(passphrase, kdf, salt)).encrypt(nonce, material, role.encode())
    return {"role": role, "kdf": kdf, "nonce": b64(nonce), "wrapped": b64(wrapped)}


def unwrap(slot: dict[str, Any], passphrase: str) -> bytes:
    """The material of a slot; ``InvalidTag`` for another passphrase, ``ValueError``,
    ``KeyError`` or ``TypeError`` for a damaged slot."""
    kdf = slot["kdf"]
    key = derive(passphrase, kdf, unb64(kdf["salt"]))
    return AESGCM(key).decrypt(unb64(slot["nonce"]), unb64(slot["wrapped"]), str(slot["role"]).encode())


def encrypt(key: bytes, nonce: bytes, plaintext: bytes, associated: bytes) -> bytes:
    """AES-256-GCM: ``associated`` is authenticated, not encrypted."""
    return AESGCM(key).encrypt(nonce, plaintext, associated)


def encrypt_pieces(key: bytes, nonce: bytes, pieces: Iterable[bytes], associated: bytes) -> Iterator[bytes]:
    """``encrypt`` of the concatenation of ``pieces``, a piece at a time: the same bytes
    (ciphertext, then the 16-byte tag), without the plaintext or the ciphertext ever whole."""
    encryptor = Cipher(algorithms.AES(key), modes.GCM(nonce)).encryptor()
    encryptor.authenticate_additional_data(associated)
    for piece in pieces:
        yield encryptor.update(piece)
    yield encryptor.finalize()
    yield encryptor.tag


def decrypt(key: bytes, nonce: bytes, ciphertext: bytes, associated: bytes) -> bytes:
    """The inverse of ``encrypt``; ``InvalidTag`` (or ``ValueError``) when anything was changed."""
    return AESGCM(key).decrypt(nonce, ciphertext, associated)
