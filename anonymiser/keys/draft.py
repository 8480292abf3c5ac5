"""A draft of additions to the key store: reads like the key file, records without writing."""

from __future__ import annotations

from collections import ChainMap
from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Any

from anonymiser.keys.entities import ID_PREFIX, id_number, merged, surfaces_of, with_attributes
from anonymiser.keys.index import FormIndex, Found
from anonymiser.keys.store import KeyFile
from anonymiser.model import Entity


class Draft:
    """What a stage would add to ``base``: new entities and surfaces, index entries, attribute
    updates, ids. Its questions (``entities``, ``entities_for_key``, ``is_real_word``...) see
    the key file with these additions, as if they were made; the key file itself is not
    touched until ``base.commit(draft)``. The invariants are checked here (a mapping is never
    rewritten), and again when the draft is committed."""

    def __init__(self, base: KeyFile) -> None:
        self.base = base
        self.version = base._version
        self.changes: list[tuple[Any, ...]] = []  # (method of KeyFile, arguments), in order
        self._entities: dict[str, Entity] = {}
        self._counters = dict(base.counters)
        self._below = base._index
        self._added = FormIndex(base.secret)  # index entries the base does not have

    # -- what the key file would be --------------------------------------------------------
    @property
    def entities(self) -> Mapping[str, Entity]:
        # ChainMap only reads the maps after the first, but typeshed asks for mutable ones
        return MappingProxyType(ChainMap(self._entities, self.base.entities))  # type: ignore[arg-type]

    @property
    def counters(self) -> Mapping[str, int]:
        return MappingProxyType(self._counters)

    @property
    def pools(self) -> Mapping[str, tuple[str, ...]]:
        return self.base.pools

    @property
    def extras(self) -> Mapping[str, Any]:
        return self.base.extras

    @property
    def public_key(self) -> bytes:
        return self.base.public_key

    @property
    def can_reidentify(self) -> bool:
        return self.base.can_reidentify

    def keyed_hash(self, text: str) -> str:
        return self.base.keyed_hash(text)

    def seed(self, *parts: str) -> int:
        return self.base.seed(*parts)

    def chain_key(self, purpose: str) -> bytes:
        return self.base.chain_key(purpose)

    def entities_for_key(self, key: str) -> list[str]:
        return self.base.entities_for_key(key) + self._added.entities_for_key(key)

    def is_real_word(self, text: str) -> bool:
        return self.base.is_real_word(text) or self._added.is_real_word(text)

    def is_near(self, name: str) -> bool:
        return self.base.is_near(name) or self._added.is_near(name)

    def find_forms(self, text: str) -> list[Found]:
        if not self._added.forms:
            return self.base.find_forms(text)
        forms = {k: list(v) for k, v in self._below.forms.items()}
        for digest, entries in self._added.forms.items():
            forms.setdefault(digest, []).extend(entries)
        return FormIndex(self.base.secret, forms=forms, first_words=self._below.first_words | self._added.first_words,
                         max_words=max(self._below.max_words, self._added.max_words)).find_forms(text)

    def indexed_words(self) -> tuple[set[bytes], set[bytes]]:
        """The keyed hashes of the words and near names of the surfaces added (``add``)."""
        return self._added.words, self._added.near

    def pseudonyms(self) -> set[str]:
        return self.base.pseudonyms() | {e.pseudonym for e in self._entities.values()}

    # -- additions (recorded) --------------------------------------------------------------
    def new_id(self, label: str) -> str:
        number = self._counters.get(label, 0) + 1
        self._counters[label] = number
        return f"{ID_PREFIX[label]}-{number:04d}"

    def add(self, entity: Entity) -> None:
        """As ``KeyFile.add``: a new entity, or new surfaces of a known one; never remaps."""
        self._entities[entity.id] = merged(self.entities.get(entity.id), entity)
        for surface in surfaces_of(entity):
            self._added.add_words(surface)
            if entity.label == "PERSON":
                self._added.add_near(surface)
        number = id_number(entity.label, entity.id)
        if number > self._counters.get(entity.label, 0):
            self._counters[entity.label] = number
        self.changes.append(("add", entity))

    def index(self, entity_id: str, forms: Iterable[tuple[str, str]] = (), keys: Iterable[str] = ()) -> None:
        """As ``KeyFile.index``."""
        forms, keys = list(forms), list(keys)
        self._added.add(entity_id, self.entities[entity_id].label, forms, keys, below=self._below)
        self.changes.append(("index", entity_id, forms, keys))

    def set_attributes(self, entity_id: str, attributes: Mapping[str, str]) -> None:
        """As ``KeyFile.set_attributes``."""
        self._entities[entity_id] = with_attributes(self.entities[entity_id], attributes)
        self.changes.append(("set_attributes", entity_id, dict(attributes)))


# what a stage reads and adds to: the key file itself (a tool adding one entity) or a draft of it (a run)
Keys = KeyFile | Draft
