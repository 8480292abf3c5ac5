"""The key file on disk: payload <-> encrypted bytes, load, save, create, passphrases, the lock.

Layout (format 2)::

    ANONYMISER-KEY\\n
    {"format": 2, "cipher": "AES-256-GCM", "nonce": ..., "slots": [...]}\\n
    <AES-256-GCM ciphertext of the JSON payload under the data key; the two lines above
     are its associated data, so any change to them is detected>

Two roles, two key slots. Each slot wraps secret material under a key derived from its
passphrase with Argon2id (parameters and salt in the slot):

- ``pseudonymise`` wraps the data key only. The payload it opens holds what consistency
  needs: the project secret, entity ids, labels and pseudonyms, and *keyed hashes* of
  every known form, name part and word; the originals themselves are sealed.
- ``reidentify`` wraps the data key and the team's X25519 private key. Originals are
  sealed to the matching public key (ephemeral X25519 + HKDF + AES-GCM), so a
  pseudonymising run can add new entities but never read any original back.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from anonymiser.documents import files
from anonymiser.errors import KeyFileError, NotFoundError, RefusedError, UsageError
from anonymiser.i18n import N_, Message, Nn_, os_error_text
from anonymiser.keys import crypto, heads, stream
from anonymiser.keys.index import FormIndex
from anonymiser.keys.store import FORGOTTEN, KeyFile
from anonymiser.model import Entity

__all__ = ["FORGOTTEN", "FORMAT", "MAGIC", "MIN_PASSPHRASE", "ROLES", "check_new_passphrase", "create",
           "decrypt", "encrypt", "encrypted_pieces", "from_payload", "load", "locked", "resolved", "roles_of", "save",
           "payload_pieces", "set_passphrase", "tidy", "to_payload"]

MAGIC = b"ANONYMISER-KEY\n"
FORMAT = 2
ROLES = ("pseudonymise", "reidentify")
# the shortest new passphrase (characters, spaces around it not counted): a key file's only lock
# against an offline guess is the passphrase; a key file made with a shorter one still opens
MIN_PASSPHRASE = 12


# -- payload -------------------------------------------------------------------------------
def to_payload(keyfile: KeyFile, *, lazy: bool = False) -> dict[str, Any]:
    """Everything the data key protects, as JSON values; ``lazy``: its entities and index as
    ``stream.Items`` and ``stream.Pairs``, made as they are written (``payload_pieces``)."""
    sealed = keyfile.sealed
    entities = ({
        "id": e.id,
        "label": e.label,
        "pseudonym": e.pseudonym,
        "origin": e.origin,
        "first_document": e.first_document,
        "attributes": dict(e.attributes),
        "surfaces": [list(pair) for pair in sealed.get(e.id, [])],
    } for e in keyfile.entities.values())
    return {
        "secret": crypto.b64(keyfile.secret),
        "public_key": crypto.b64(keyfile.public_key),
        "counters": dict(sorted(keyfile.counters.items())),
        "pools": {label: list(names) for label, names in sorted(keyfile.pools.items())},
        "entities": stream.Items(entities) if lazy else list(entities),
        **keyfile.index_payload(lazy=lazy),
        "access_log": dict(keyfile.access_log),
        "extras": dict(keyfile.extras),
    }


def payload_pieces(keyfile: KeyFile) -> Iterator[str]:
    """``json.dumps(to_payload(keyfile), ensure_ascii=False, sort_keys=True)``, in pieces."""
    return stream.pieces(to_payload(keyfile, lazy=True))


def from_payload(payload: dict[str, Any], *, private_key: bytes | None, data_key: bytes,
                 slots: dict[str, dict[str, Any]]) -> KeyFile:
    """The key file a payload describes; originals are unsealed when ``private_key`` is given."""
    secret = crypto.unb64(payload["secret"])
    entities, sealed = [], {}
    for item in payload["entities"]:
        boxes = [(str(h), str(s)) for h, s in item["surfaces"]]
        surfaces = [crypto.unseal(private_key, s) for _h, s in boxes] if private_key is not None else []
        entities.append(Entity(
            id=item["id"], label=item["label"], canonical=surfaces[0] if surfaces else "",
            variants=tuple(surfaces), pseudonym=item["pseudonym"], origin=item["origin"],
            first_document=item["first_document"],
            attributes=tuple(sorted(item.get("attributes", {}).items())),
        ))
        sealed[item["id"]] = boxes
    return KeyFile(
        secret, crypto.unb64(payload["public_key"]), private_key, data_key=data_key, slots=slots,
        entities=entities, sealed=sealed, counters={k: int(v) for k, v in payload["counters"].items()},
        index=FormIndex.from_payload(secret, payload),
        access_log=dict(payload.get("access_log") or {"count": 0, "chain": ""}),
        extras=dict(payload.get("extras") or {}),
        pools={str(k): tuple(str(n) for n in v) for k, v in dict(payload.get("pools") or {}).items()},
    )


# -- slots -----------------------------------------------------------------------------------
def _material(keyfile: KeyFile, role: str) -> bytes:
    if role == "pseudonymise":
        return keyfile.data_key
    if keyfile.private_key is None:
        raise KeyFileError(None, N_("only the re-identification passphrase can grant re-identification"))
    return keyfile.data_key + keyfile.private_key


def check_new_passphrase(passphrase: str) -> str:
    """``passphrase``, refused (a usage error) when it is shorter than ``MIN_PASSPHRASE``
    characters: every place that sets a passphrase (a new key file, ``passwd``, ``grant``)."""
    if len(passphrase.strip()) < MIN_PASSPHRASE:
        singular, plural = Nn_("a new passphrase needs at least %(count)d character",
                               "a new passphrase needs at least %(count)d characters")
        raise UsageError(None, Message(singular, {"count": MIN_PASSPHRASE}, plural, MIN_PASSPHRASE))
    return passphrase


def set_passphrase(keyfile: KeyFile, role: str, passphrase: str) -> None:
    """Create or replace the key slot of ``role`` (in memory; ``save`` writes it); the
    passphrase needs ``MIN_PASSPHRASE`` characters."""
    if role not in ROLES:
        raise KeyFileError(None, N_("unknown role '%(role)s'"), role=role)
    check_new_passphrase(passphrase)
    keyfile.set_slot(role, crypto.wrap(role, passphrase, _material(keyfile, role)))


def _unwrap(slots: dict[str, dict[str, Any]], passphrase: str, path: str | None) -> tuple[bytes, str]:
    """Try the re-identification slot first (it opens everything), then pseudonymisation."""
    for role in ("reidentify", "pseudonymise"):
        slot = slots.get(role)
        if slot is None:
            continue
        try:
            return crypto.unwrap(slot, passphrase), role
        except crypto.InvalidTag:
            continue
        except (ValueError, KeyError, TypeError) as exc:
            raise KeyFileError(path, N_("damaged key file (bad key slot)")) from exc
    raise KeyFileError(path, N_("wrong passphrase or damaged key file"))


# the bounds of the Argon2id parameters a key file may ask for: what this tool writes
# (crypto.KDF_DEFAULTS) is inside them; a crafted header asking for more would hang the command
KDF_BOUNDS = {"iterations": (1, 10), "lanes": (1, 16), "memory_kib": (8 * 1024, 1024 * 1024)}


def _checked_slot(slot: Any) -> bool:
    """True for a key slot of the shape and KDF parameters the tool writes; ``ValueError`` else."""
    if not isinstance(slot, dict) or slot.get("role") not in ROLES or not isinstance(slot.get("kdf"), dict):
        raise ValueError("slot")
    kdf = slot["kdf"]
    if kdf.get("name") != "argon2id" or not all(isinstance(slot.get(k), str) for k in ("nonce", "wrapped")):
        raise ValueError("kdf")
    for name, (low, high) in KDF_BOUNDS.items():
        value = kdf.get(name)
        if type(value) is not int or not low <= value <= high:
            raise ValueError(name)
    if kdf["memory_kib"] < 8 * kdf["lanes"] or not isinstance(kdf.get("salt"), str):
        raise ValueError("memory")
    return True


# -- bytes -----------------------------------------------------------------------------------
def encrypt(keyfile: KeyFile) -> bytes:
    """Serialise and encrypt ``keyfile`` under its data key (fresh nonce each time)."""
    return b"".join(encrypted_pieces(keyfile))


def encrypted_pieces(keyfile: KeyFile) -> Iterator[bytes]:
    """The bytes of ``encrypt``, a piece at a time: the payload is serialised, encoded and
    encrypted about a MiB at a time (``stream``), never whole, in plaintext or ciphertext."""
    if not keyfile.slots:
        raise KeyFileError(None, N_("key file has no passphrase"))
    nonce = crypto.new_nonce()
    header = json.dumps(
        {"format": FORMAT, "cipher": "AES-256-GCM", "nonce": crypto.b64(nonce),
         "slots": [keyfile.slots[r] for r in ROLES if r in keyfile.slots]},
        sort_keys=True,
    ).encode("ascii") + b"\n"
    yield MAGIC + header
    yield from crypto.encrypt_pieces(keyfile.data_key, nonce, stream.encoded(payload_pieces(keyfile)), MAGIC + header)


def decrypt(data: bytes, passphrase: str, *, path: str | None = None, need_private: bool = False) -> KeyFile:
    """Open with either role's passphrase; every failure is a one-line ``KeyFileError``."""
    if not data.startswith(MAGIC):
        raise KeyFileError(path, N_("not an anonymiser key file"))
    rest = data[len(MAGIC):]
    newline = rest.find(b"\n")
    if newline < 0:
        raise KeyFileError(path, N_("damaged key file (no header)"))
    header_bytes, ciphertext = rest[: newline + 1], rest[newline + 1:]
    try:
        header = json.loads(header_bytes)
        if not isinstance(header, dict):
            raise ValueError("not an object")
        if header.get("format") != FORMAT:
            raise KeyFileError(path, N_("unsupported key file format %(format)s"),
                               format=repr(header.get("format")))
        if header.get("cipher") != "AES-256-GCM" or not isinstance(header["slots"], list):
            raise ValueError("cipher or slots")
        slots = {slot["role"]: slot for slot in header["slots"] if _checked_slot(slot)}
        nonce = crypto.unb64(header["nonce"])
    except KeyFileError:
        raise
    except (ValueError, KeyError, TypeError, RecursionError) as exc:
        raise KeyFileError(path, N_("damaged key file (bad header)")) from exc
    material, role = _unwrap(slots, passphrase, path)
    if need_private and role != "reidentify":
        raise KeyFileError(path, N_("this passphrase only allows pseudonymisation, not re-identification"))
    data_key, private_key = material[:32], (material[32:] or None)
    try:
        plaintext = crypto.decrypt(data_key, nonce, ciphertext, MAGIC + header_bytes)
    except (crypto.InvalidTag, ValueError) as exc:
        raise KeyFileError(path, N_("damaged key file")) from exc
    try:
        payload = json.loads(plaintext)
        sealing_key = crypto.unb64(payload["public_key"])
    except (ValueError, KeyError, TypeError) as exc:
        raise KeyFileError(path, N_("damaged key file (bad payload)")) from exc
    if private_key is not None and crypto.public_of(private_key) != sealing_key:
        # only the payload's writer can have put it there: a holder of the pseudonymise passphrase
        # who redirected the sealing of new originals to a key of their own (see 'key pin')
        raise KeyFileError(path, N_("the key file's sealing key was replaced: it is not the re-identification "
                                    "key's (originals sealed since cannot be trusted)"))
    try:
        return from_payload(payload, private_key=private_key, data_key=data_key, slots=slots)
    except (ValueError, KeyError, TypeError, crypto.InvalidTag) as exc:
        raise KeyFileError(path, N_("damaged key file (bad payload)")) from exc


# -- files -----------------------------------------------------------------------------------
def load(path: str | os.PathLike[str], passphrase: str, *, need_private: bool = False) -> KeyFile:
    """Read and decrypt a key file."""
    p = Path(path)
    try:
        data = p.read_bytes()
    except FileNotFoundError as exc:
        raise NotFoundError(str(p), N_("key file not found (create it with 'anonymiser key init')")) from exc
    except OSError as exc:
        raise KeyFileError(str(p), N_("cannot read key file (%(reason)s)"), reason=os_error_text(exc)) from exc
    return decrypt(data, passphrase, path=str(p), need_private=need_private)


def resolved(path: str | os.PathLike[str]) -> Path:
    """The file ``path`` names once links are followed: what is locked and replaced."""
    return Path(path).resolve()


def save(keyfile: KeyFile, path: str | os.PathLike[str]) -> None:
    """Encrypt and write atomically (mode 0600), keeping the previous version as ``.bak``.
    Through a symbolic link, the file it points at is replaced (the link stays)."""
    p = resolved(path)
    heads.next_generation(keyfile)
    try:
        with files.atomic_file(p, backup=True) as handle:
            for piece in encrypted_pieces(keyfile):
                handle.write(piece)
    except OSError as exc:
        raise KeyFileError(str(p), N_("cannot write key file (%(reason)s)"), reason=os_error_text(exc)) from exc


def refuse_existing(path: str | os.PathLike[str]) -> None:
    """A key file is never created over an existing file (it would lose every mapping)."""
    if Path(path).exists():
        raise RefusedError(str(path), N_("key file already exists (refusing to overwrite it)"))


def create(path: str | os.PathLike[str], passphrase: str, *, reidentify_passphrase: str | None = None) -> KeyFile:
    """A new key file with both roles (one passphrase for both unless a second is given),
    written at ``path``, which must not exist."""
    refuse_existing(path)
    for given in (passphrase, reidentify_passphrase or passphrase):
        check_new_passphrase(given)
    keyfile = KeyFile.create()
    set_passphrase(keyfile, "pseudonymise", passphrase)
    set_passphrase(keyfile, "reidentify", reidentify_passphrase or passphrase)
    save(keyfile, path)
    return keyfile


def tidy(path: str | os.PathLike[str]) -> None:
    """Remove the temporary copies of the key file (and of its ``.bak``) that a crashed
    process left beside it: they open with the passphrase and may hold forgotten entities."""
    files.remove_stale(resolved(path))


@contextlib.contextmanager
def locked(path: str | os.PathLike[str]) -> Iterator[None]:
    """Hold an exclusive lock on ``<file>.lock``, ``file`` being what ``path`` points at
    (through any link); a second writer is refused at once. Stale temporary copies of the
    key file are removed once the lock is held."""
    with contextlib.ExitStack() as stack:
        try:
            stack.enter_context(files.locked(Path(f"{resolved(path)}.lock")))
        except BlockingIOError as exc:
            raise KeyFileError(str(path), N_("key file is in use by another run")) from exc
        except OSError as exc:
            raise KeyFileError(str(path), N_("cannot create lock file (%(reason)s)"),
                               reason=os_error_text(exc)) from exc
        tidy(path)
        yield


def roles_of(path: str | os.PathLike[str], passphrase: str) -> list[str]:
    """The roles whose slot this passphrase opens (for ``key passwd``)."""
    header = json.loads(Path(path).read_bytes()[len(MAGIC):].split(b"\n", 1)[0])
    roles = []
    for slot in header["slots"]:
        with contextlib.suppress(KeyFileError):
            _unwrap({slot["role"]: slot}, passphrase, str(path))
            roles.append(slot["role"])
    return roles
