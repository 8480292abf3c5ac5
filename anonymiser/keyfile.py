"""The key file: the one encrypted place where originals and their pseudonyms live.

Layout on disk (format 1)::

    ANONYMISER-KEY\\n
    {"format": 1, "kdf": {...argon2id parameters, salt...}, "cipher": "AES-256-GCM", "nonce": ...}\\n
    <AES-256-GCM ciphertext of the JSON payload; the two lines above are its associated data>

The payload holds a random secret (for keyed hashes and pseudonym seeds), the entities
and per-label counters. A mapping, once written, is never rewritten: ``KeyFile.add``
refuses to change an entity's pseudonym.
"""

from __future__ import annotations

import base64
import contextlib
import fcntl
import hashlib
import hmac
import json
import os
import secrets
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

from .errors import KeyFileError
from .model import Entity

MAGIC = b"ANONYMISER-KEY\n"
FORMAT = 1
KDF_DEFAULTS = {"name": "argon2id", "memory_kib": 65536, "iterations": 3, "lanes": 4}
ID_PREFIX = {
    "PERSON": "PER",
    "ROLE": "ROL",
    "ORGANIZATION": "ORG",
    "MUNICIPALITY": "COM",
    "LOCATION": "LOC",
    "EMAIL_ADDRESS": "EML",
    "PHONE_NUMBER": "TEL",
    "URL": "URL",
    "ADDRESS": "ADR",
}


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


@dataclass
class KeyFile:
    """Entities, pseudonyms and the project secret. Passed in; never global."""

    secret: bytes
    entities: dict[str, Entity] = field(default_factory=dict)
    counters: dict[str, int] = field(default_factory=dict)
    # the team's own pseudonyms per label, used in order before any generated one
    pools: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @classmethod
    def create(cls) -> "KeyFile":
        return cls(secret=secrets.token_bytes(32))

    def keyed_hash(self, text: str) -> str:
        """HMAC-SHA256 of ``text`` under the project secret (hex, 32 chars)."""
        return hmac.new(self.secret, text.encode("utf-8"), hashlib.sha256).hexdigest()[:32]

    def seed(self, *parts: str) -> int:
        """A deterministic seed derived from the secret (for pseudonym generation)."""
        digest = hmac.new(self.secret, "\x1f".join(parts).encode("utf-8"), hashlib.sha256)
        return int.from_bytes(digest.digest()[:8], "big")

    def new_id(self, label: str) -> str:
        number = self.counters.get(label, 0) + 1
        self.counters[label] = number
        return f"{ID_PREFIX[label]}-{number:04d}"

    def add(self, entity: Entity) -> None:
        """Add a new entity or extend the variants of a known one; never remaps."""
        known = self.entities.get(entity.id)
        if known is None:
            self.entities[entity.id] = entity
            return
        if known.pseudonym != entity.pseudonym or known.label != entity.label:
            raise KeyFileError(None, f"entity {entity.id} already has another pseudonym")
        variants = tuple(dict.fromkeys(known.variants + entity.variants))
        self.entities[entity.id] = replace(known, variants=variants)

    def add_pool(self, label: str, names: list[str]) -> int:
        """Append ``names`` to the pool of ``label`` (duplicates skipped); returns how many were new."""
        known = self.pools.get(label, ())
        new = tuple(n for n in dict.fromkeys(names) if n and n not in known)
        if new:
            self.pools[label] = known + new
        return len(new)

    def pseudonyms(self) -> set[str]:
        return {e.pseudonym for e in self.entities.values()}

    def to_payload(self) -> dict[str, object]:
        return {
            "secret": _b64(self.secret),
            "counters": dict(sorted(self.counters.items())),
            "pools": {label: list(names) for label, names in sorted(self.pools.items())},
            "entities": [
                {
                    "id": e.id,
                    "label": e.label,
                    "canonical": e.canonical,
                    "variants": list(e.variants),
                    "pseudonym": e.pseudonym,
                    "origin": e.origin,
                    "first_document": e.first_document,
                    "attributes": dict(e.attributes),
                }
                for e in self.entities.values()
            ],
        }

    @classmethod
    def from_payload(cls, payload: dict[str, object]) -> "KeyFile":
        entities = {}
        for item in payload["entities"]:  # type: ignore[attr-defined]
            entity = Entity(
                id=item["id"],
                label=item["label"],
                canonical=item["canonical"],
                variants=tuple(item["variants"]),
                pseudonym=item["pseudonym"],
                origin=item["origin"],
                first_document=item["first_document"],
                attributes=tuple(sorted(item.get("attributes", {}).items())),
            )
            entities[entity.id] = entity
        return cls(
            secret=_unb64(payload["secret"]),  # type: ignore[arg-type]
            entities=entities,
            counters={k: int(v) for k, v in payload["counters"].items()},  # type: ignore[attr-defined]
            pools={str(k): tuple(str(n) for n in v)
                   for k, v in dict(payload.get("pools") or {}).items()},  # type: ignore[call-overload]
        )


def _derive(passphrase: str, kdf: dict[str, object], salt: bytes) -> bytes:
    return Argon2id(
        salt=salt,
        length=32,
        iterations=int(kdf["iterations"]),  # type: ignore[call-overload]
        lanes=int(kdf["lanes"]),  # type: ignore[call-overload]
        memory_cost=int(kdf["memory_kib"]),  # type: ignore[call-overload]
    ).derive(passphrase.encode("utf-8"))


def encrypt(keyfile: KeyFile, passphrase: str) -> bytes:
    """Serialise and encrypt ``keyfile`` (fresh salt and nonce each time)."""
    if not passphrase:
        raise KeyFileError(None, "empty passphrase")
    salt, nonce = secrets.token_bytes(16), secrets.token_bytes(12)
    kdf = dict(KDF_DEFAULTS, salt=_b64(salt))
    header = json.dumps(
        {"format": FORMAT, "kdf": kdf, "cipher": "AES-256-GCM", "nonce": _b64(nonce)},
        sort_keys=True,
    ).encode("ascii") + b"\n"
    payload = json.dumps(keyfile.to_payload(), ensure_ascii=False, sort_keys=True).encode("utf-8")
    key = _derive(passphrase, kdf, salt)
    return MAGIC + header + AESGCM(key).encrypt(nonce, payload, MAGIC + header)


def decrypt(data: bytes, passphrase: str, *, path: str | None = None) -> KeyFile:
    """Decrypt and parse; every failure is a one-line ``KeyFileError``."""
    if not data.startswith(MAGIC):
        raise KeyFileError(path, "not an anonymiser key file")
    rest = data[len(MAGIC):]
    newline = rest.find(b"\n")
    if newline < 0:
        raise KeyFileError(path, "damaged key file (no header)")
    header_bytes, ciphertext = rest[: newline + 1], rest[newline + 1:]
    try:
        header = json.loads(header_bytes)
        if header.get("format") != FORMAT:
            raise KeyFileError(path, f"unsupported key file format {header.get('format')!r}")
        kdf = header["kdf"]
        salt, nonce = _unb64(kdf["salt"]), _unb64(header["nonce"])
        key = _derive(passphrase, kdf, salt)
    except KeyFileError:
        raise
    except (ValueError, KeyError, TypeError) as exc:
        raise KeyFileError(path, "damaged key file (bad header)") from exc
    try:
        plaintext = AESGCM(key).decrypt(nonce, ciphertext, MAGIC + header_bytes)
    except (InvalidTag, ValueError) as exc:
        raise KeyFileError(path, "wrong passphrase or damaged key file") from exc
    try:
        return KeyFile.from_payload(json.loads(plaintext))
    except (ValueError, KeyError, TypeError) as exc:
        raise KeyFileError(path, "damaged key file (bad payload)") from exc


def load(path: str | os.PathLike[str], passphrase: str) -> KeyFile:
    """Read and decrypt a key file."""
    p = Path(path)
    try:
        data = p.read_bytes()
    except FileNotFoundError as exc:
        raise KeyFileError(str(p), "key file not found (create it with 'anonymiser key init')") from exc
    except OSError as exc:
        raise KeyFileError(str(p), f"cannot read key file ({exc.strerror})") from exc
    return decrypt(data, passphrase, path=str(p))


def atomic_write(path: Path, data: bytes, *, mode: int = 0o600, backup: bool = False) -> None:
    """Write ``data`` to ``path`` through a temporary file, fsync, then rename.

    With ``backup``, the previous version is kept as ``<path>.bak`` (itself replaced
    atomically). A crash at any point leaves the old or the new file, never half of one.
    """
    directory = path.parent if str(path.parent) else Path(".")
    tmp = directory / f".{path.name}.{os.getpid()}.tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if backup and path.exists():
            bak_tmp = directory / f".{path.name}.{os.getpid()}.bak.tmp"
            with contextlib.suppress(FileNotFoundError):
                os.unlink(bak_tmp)
            os.link(path, bak_tmp)
            os.replace(bak_tmp, directory / f"{path.name}.bak")
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    dir_fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def save(keyfile: KeyFile, path: str | os.PathLike[str], passphrase: str) -> None:
    """Encrypt and write atomically (mode 0600), keeping the previous version as ``.bak``."""
    p = Path(path)
    try:
        atomic_write(p, encrypt(keyfile, passphrase), backup=True)
    except OSError as exc:
        raise KeyFileError(str(p), f"cannot write key file ({exc.strerror})") from exc


@contextlib.contextmanager
def locked(path: str | os.PathLike[str]) -> Iterator[None]:
    """Hold an exclusive lock on ``<path>.lock``; a second writer is refused at once."""
    lock_path = Path(f"{path}.lock")
    try:
        fd = os.open(lock_path, os.O_WRONLY | os.O_CREAT, 0o600)
    except OSError as exc:
        raise KeyFileError(str(path), f"cannot create lock file ({exc.strerror})") from exc
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise KeyFileError(str(path), "key file is in use by another run") from exc
        yield
    finally:
        os.close(fd)
