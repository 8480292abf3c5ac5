"""The key store: entities, their sealed originals, the keyed index, pools and extras, and the
invariant that a mapping, once stored, is never rewritten.

Only the methods of ``KeyFile`` change it; what it shows (``entities``, ``pools``,
``extras``...) is read-only. An entity's id, label and pseudonym never change once stored;
a form indexed for one entity leaves it only through a named method (``release_form``,
``unindex_form``, ``forget``). Stages work on a ``Draft`` (``keyfile.draft()``), which reads
like the key file and records what is to be added; ``keyfile.commit(draft)`` applies it, once.
The file format is in ``format.py``, the cryptography in ``crypto.py``.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import replace
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from anonymiser.errors import KeyFileError
from anonymiser.i18n import N_
from anonymiser.keys import crypto
from anonymiser.keys.entities import ID_PREFIX, PSEUDONYM_ATTRIBUTES, id_number, merged, surfaces_of, with_attributes
from anonymiser.keys.index import FLAG_CAPITAL, FLAG_WORD, FormIndex, Found
from anonymiser.model import Entity

if TYPE_CHECKING:
    from anonymiser.keys.draft import Draft

__all__ = ["FLAG_CAPITAL", "FLAG_WORD", "FORGOTTEN", "ID_PREFIX", "KeyFile", "PSEUDONYM_ATTRIBUTES",
           "WORKER_EXTRAS"]

FORGOTTEN = "forgotten"  # the origin of an erased entity: only its id, label and pseudonym are left
# extras that workers need: the review's allow list and skipped occurrences (keyed hashes)
WORKER_EXTRAS = ("review",)


class KeyFile:
    """Entities, pseudonyms, keyed indexes and the project secret. Passed in; never global.

    ``private_key`` is present only when the file was opened with the re-identification
    passphrase; then ``Entity.canonical`` and ``Entity.variants`` hold the originals.
    Opened for pseudonymisation, known entities carry their pseudonym and keyed hashes only.
    """

    def __init__(self, secret: bytes, public_key: bytes, private_key: bytes | None = None, *,
                 data_key: bytes | None = None, slots: Mapping[str, dict[str, Any]] | None = None,
                 entities: Iterable[Entity] = (), sealed: Mapping[str, Iterable[tuple[str, str]]] | None = None,
                 counters: Mapping[str, int] | None = None, index: FormIndex | None = None,
                 access_log: Mapping[str, Any] | None = None, extras: Mapping[str, Any] | None = None,
                 pools: Mapping[str, Iterable[str]] | None = None) -> None:
        self._secret = secret
        self._public_key = public_key
        self._private_key = private_key
        self._data_key = crypto.new_key() if data_key is None else data_key
        self._slots = dict(slots or {})
        self._entities = {e.id: e for e in entities}
        # entity id -> [(keyed hash of the exact surface, sealed surface)]
        self._sealed = {k: list(v) for k, v in (sealed or {}).items()}
        self._counters = dict(counters or {})
        self._index = index if index is not None else FormIndex(secret)
        self._access_log = dict(access_log or {"count": 0, "chain": ""})
        self._extras = dict(extras or {})
        # the team's own pseudonyms per label, used in order before any generated one
        self._pools = {k: tuple(v) for k, v in (pools or {}).items()}
        self._sealer: tuple[bytes, crypto.Sealer] | None = None
        self._version = 0  # moves with every change: a draft is committed onto the state it read

    @classmethod
    def create(cls, path: str | os.PathLike[str] | None = None, passphrase: str | None = None, *,
               reidentify_passphrase: str | None = None) -> KeyFile:
        """A new key file with a fresh secret and key pair: in memory, or, given ``path`` and
        ``passphrase``, encrypted and written there (never over an existing file).

        >>> key = KeyFile.create("projet.key", "une longue phrase de passe")  # doctest: +SKIP
        """
        if path is not None:
            if not passphrase:
                raise KeyFileError(str(path), N_("a new key file needs a passphrase"))
            from anonymiser.keys import format as key_format

            return key_format.create(path, passphrase, reidentify_passphrase=reidentify_passphrase)
        private, public = crypto.new_keypair()
        return cls(secret=crypto.new_key(), public_key=public, private_key=private)

    @classmethod
    def open(cls, path: str | os.PathLike[str], passphrase: str, *, need_private: bool = False) -> KeyFile:
        """The key file at ``path``, decrypted with ``passphrase`` (``need_private``: refuse a
        passphrase that cannot re-identify)."""
        from anonymiser.keys import format as key_format

        return key_format.load(path, passphrase, need_private=need_private)

    def save(self, path: str | os.PathLike[str]) -> None:
        """Encrypt and write this key file at ``path`` (atomically, the previous one kept as
        ``.bak``)."""
        from anonymiser.keys import format as key_format

        key_format.save(self, path)

    def __repr__(self) -> str:
        return f"KeyFile({len(self._entities)} entities, can_reidentify={self.can_reidentify})"

    def __getstate__(self) -> dict[str, Any]:
        return dict(self.__dict__, _sealer=None)  # a sealer is of this process only

    # -- read-only views ---------------------------------------------------------------
    @property
    def secret(self) -> bytes:
        return self._secret

    @property
    def public_key(self) -> bytes:
        return self._public_key

    @property
    def private_key(self) -> bytes | None:
        return self._private_key

    @property
    def data_key(self) -> bytes:
        return self._data_key

    @property
    def slots(self) -> Mapping[str, dict[str, Any]]:
        return MappingProxyType(self._slots)

    @property
    def entities(self) -> Mapping[str, Entity]:
        return MappingProxyType(self._entities)

    @property
    def sealed(self) -> Mapping[str, list[tuple[str, str]]]:
        return MappingProxyType(self._sealed)

    @property
    def counters(self) -> Mapping[str, int]:
        return MappingProxyType(self._counters)

    @property
    def pools(self) -> Mapping[str, tuple[str, ...]]:
        return MappingProxyType(self._pools)

    @property
    def extras(self) -> Mapping[str, Any]:
        return MappingProxyType(self._extras)

    @property
    def access_log(self) -> Mapping[str, Any]:
        return MappingProxyType(self._access_log)

    @property
    def can_reidentify(self) -> bool:
        return self._private_key is not None

    # -- hashing -------------------------------------------------------------------------
    def keyed_hash(self, text: str) -> str:
        """HMAC-SHA256 of ``text`` under the project secret (hex, 32 chars)."""
        return crypto.keyed_hash(self._secret, text)

    def keyed_hasher(self) -> crypto.KeyedHasher:
        """``keyed_hash`` of a text given a piece at a time (a table read a block of rows at a time)."""
        return crypto.KeyedHasher(self._secret)

    def form_hash(self, form: str) -> str:
        """The keyed hash the index files ``form`` under (folded), in hex."""
        return self._index.form_hash(form).hex()

    def seed(self, *parts: str) -> int:
        """A deterministic seed derived from the secret (for pseudonym generation)."""
        return crypto.seed(self._secret, *parts)

    def chain_key(self, purpose: str) -> bytes:
        """A key for hash-chaining a log (audit, access), derived from the secret."""
        return crypto.chain_key(self._secret, purpose)

    def seal(self, text: str) -> str:
        """``text`` sealed to the team's re-identification key (one ephemeral key per session)."""
        if self._sealer is None or self._sealer[0] != self._public_key:
            self._sealer = (self._public_key, crypto.Sealer(self._public_key))
        return self._sealer[1].seal(text)

    # -- questions -----------------------------------------------------------------------
    def entities_for_key(self, key: str) -> list[str]:
        """Entities indexed under a linking key, in the order they were indexed."""
        return self._index.entities_for_key(key)

    def is_real_word(self, text: str) -> bool:
        """True when ``text`` (folded) is a word or form of a known entity."""
        return self._index.is_real_word(text)

    def is_near(self, name: str) -> bool:
        """True when a word of ``name`` may be within two edits of a known person's word
        (``text.near``; by keyed hash: no original is needed)."""
        return self._index.is_near(name)

    def find_forms(self, text: str) -> list[Found]:
        """Every known form in ``text``: ``(start, end, label, entity_id, flags)``, whole
        words, leftmost-longest (see ``index.find_forms``)."""
        return self._index.find_forms(text)

    def pseudonyms(self) -> set[str]:
        return {e.pseudonym for e in self._entities.values()}

    def original_for(self, entity_id: str, surface_hash: str) -> str | None:
        """The original surface with this keyed hash (needs the re-identification role)."""
        private_key = self._need_private()
        for digest, sealed in self._sealed.get(entity_id, []):
            if digest == surface_hash:
                return crypto.unseal(private_key, sealed)
        return None

    def originals(self, entity_id: str) -> list[str]:
        """Every original surface of an entity (needs the re-identification role)."""
        private_key = self._need_private()
        return [crypto.unseal(private_key, sealed) for _digest, sealed in self._sealed.get(entity_id, [])]

    def _need_private(self) -> bytes:
        if self._private_key is None:
            raise KeyFileError(None, N_("this passphrase does not allow re-identification"))
        return self._private_key

    # -- entities ------------------------------------------------------------------------
    def new_id(self, label: str) -> str:
        number = self._counters.get(label, 0) + 1
        self._counters[label] = number
        self._version += 1
        return f"{ID_PREFIX[label]}-{number:04d}"

    def add(self, entity: Entity, *, words_indexed: bool = False) -> None:
        """Add a new entity, or new surface forms of a known one; never remaps.

        Surfaces (``canonical`` and ``variants``) are sealed; the in-memory entity keeps
        the plaintext only when the private key is available or the surface is new.
        ``words_indexed``: the hashes of its words and near names are indexed (by a commit).
        """
        kept = merged(self._entities.get(entity.id), entity)
        sealed = self._sealed.setdefault(entity.id, [])
        have = {h for h, _ in sealed}
        for surface in surfaces_of(entity):
            digest = self.keyed_hash(surface)
            if digest not in have:
                sealed.append((digest, self.seal(surface)))
                have.add(digest)
            if not words_indexed:  # with the deletion neighbourhoods of a person's words
                self._index.add_words(surface, near=entity.label == "PERSON")
        self._entities[entity.id] = kept
        number = id_number(entity.label, entity.id)  # new_id never gives a stored id again
        if number > self._counters.get(entity.label, 0):
            self._counters[entity.label] = number
        self._version += 1

    def index(self, entity_id: str, forms: Iterable[tuple[str, str]] = (), keys: Iterable[str] = ()) -> None:
        """Index ``forms`` (``(surface, flags)``), to find the entity in any text, and linking
        ``keys`` ("last:marchal", "full:isabelle|marchal", "form:ORGANIZATION|ccas de reze")."""
        self._index.add(entity_id, self._entities[entity_id].label, forms, keys)
        self._version += 1

    def set_attributes(self, entity_id: str, attributes: Mapping[str, str]) -> None:
        """Set attributes of a stored entity (its realistic or generalised form...): an
        attribute of the pseudonym, once set, is never changed."""
        self._entities[entity_id] = with_attributes(self._entities[entity_id], attributes)
        self._version += 1

    def set_origin(self, entity_id: str, origin: str) -> None:
        """Say where a stored entity comes from ("manual": added by the team)."""
        entity = self._entities[entity_id]
        if FORGOTTEN in (origin, entity.origin):
            raise ValueError("an entity is forgotten through KeyFile.forget only")
        self._entities[entity_id] = replace(entity, origin=origin, first_document="")
        self._version += 1

    def rename_first_documents(self, names: Mapping[str, str]) -> None:
        """Entities first seen in a renamed input name its output instead (``run.names``)."""
        for entity_id, entity in list(self._entities.items()):
            if entity.first_document in names:
                self._entities[entity_id] = replace(entity, first_document=names[entity.first_document])
        self._version += 1

    def release_form(self, entity_id: str, form: str, keys: Iterable[str]) -> None:
        """Stop finding and linking ``form`` to ``entity_id`` (its index entries and the
        linking ``keys`` of that form), so that another entity can take it. The entity keeps
        its pseudonym and its other forms."""
        self._index.release(entity_id, form, keys)
        self._version += 1

    def unindex_form(self, form: str, label: str) -> int:
        """Stop finding ``form`` as ``label`` (the entities and their pseudonyms stay).
        Returns how many index entries went."""
        self._version += 1
        return self._index.unindex(form, label)

    def forget(self, entity_id: str) -> None:
        """Erase an entity (right to erasure): its sealed originals, its indexed forms and
        linking keys, the keyed hashes of words only its forms had, and what was inferred of the
        person (gender, decade). Its id, label and pseudonym stay, marked ``forgotten``, so that
        neither is ever given to anyone else. Needs the re-identification role (the remaining
        originals are read to keep their words). The first-word pre-filter (hashes that name no
        entity, shared by all) is left as it is: dropping one could hide another entity's form."""
        private_key = self._need_private()
        entity = self._entities[entity_id]
        self._sealed.pop(entity_id, None)
        self._index.drop_entity(entity_id)
        self._index.words, self._index.near = set(), set()
        for other, sealed in self._sealed.items():
            person = self._entities[other].label == "PERSON" if other in self._entities else False
            for _digest, box in sealed:
                surface = crypto.unseal(private_key, box)
                self._index.add_words(surface)
                if person:
                    self._index.add_near(surface)
        attributes = tuple((k, v) for k, v in entity.attributes if k in PSEUDONYM_ATTRIBUTES)
        self._entities[entity_id] = Entity(entity_id, entity.label, "", (), entity.pseudonym, origin=FORGOTTEN,
                                           attributes=attributes)
        self._version += 1

    # -- the rest of the store -----------------------------------------------------------
    def add_pool(self, label: str, names: list[str]) -> int:
        """Append ``names`` to the pool of ``label`` (duplicates skipped); returns how many were new."""
        known = self._pools.get(label, ())
        new = tuple(n for n in dict.fromkeys(names) if n and n not in known)
        if new:
            self._pools[label] = known + new
            self._version += 1
        return len(new)

    def set_extra(self, name: str, value: Any) -> None:
        """Store what a part of the tool remembers in the key file (``"review"``: the review memory)."""
        self._extras[name] = value
        self._version += 1

    def advance_access_log(self, count: int, chain: str) -> None:
        """Move the head of the access log to the record just appended (the next one only)."""
        if count != int(self._access_log.get("count", 0)) + 1:
            raise ValueError("the access log moves one record at a time")
        self._access_log = {"count": count, "chain": chain}
        self._version += 1

    def restart_access_log(self) -> None:
        """Start a new access log (the one the head points at is lost; see ``record_access``)."""
        self._access_log = {"count": 0, "chain": ""}
        self._version += 1

    def index_payload(self, *, lazy: bool = False) -> dict[str, Any]:
        """The keyed-hash index as JSON values (see ``format.to_payload``; ``lazy``: ``FormIndex.to_payload``)."""
        return self._index.to_payload(lazy=lazy)

    def set_slot(self, role: str, slot: dict[str, Any]) -> None:
        """Create or replace the key slot of ``role`` (see ``format.set_passphrase``)."""
        self._slots[role] = slot

    def for_workers(self) -> KeyFile:
        """What a worker process needs to find known forms and hash: the secret and the
        keyed-hash index of forms. No entity, original, private key, data key or slot."""
        return KeyFile(self._secret, self._public_key, None, data_key=b"", counters=self._counters,
                       index=self._index.for_workers(),
                       extras={k: v for k, v in self._extras.items() if k in WORKER_EXTRAS})

    # -- drafts --------------------------------------------------------------------------
    def draft(self) -> Draft:
        """A view of this key file that records additions without making them (see ``Draft``)."""
        from anonymiser.keys.draft import Draft

        return Draft(self)

    def commit(self, draft: Draft) -> None:
        """Apply what ``draft`` recorded, through the methods that check the invariants."""
        if draft.base is not self or draft.version != self._version:
            raise ValueError("a draft is committed once, onto the key file it was made from, unchanged")
        words, near = draft.indexed_words()  # hashed by the draft as it added: not again here
        self._index.words |= words
        self._index.near |= near
        for change in draft.changes:
            getattr(self, change[0])(*change[1:], **({"words_indexed": True} if change[0] == "add" else {}))
        for label, number in draft.counters.items():
            self._counters[label] = max(number, self._counters.get(label, 0))
        self._version += 1
