"""The rules an entity keeps as the key store changes it: its id's shape, its surfaces, and a
pseudonym and label that never change once stored (``store`` and ``draft`` both apply them)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from anonymiser.errors import KeyFileError
from anonymiser.i18n import N_
from anonymiser.model import Entity

PSEUDONYM_ATTRIBUTES = frozenset({"first", "last", "realistic", "generalised", "explicit"})  # of the pseudonym
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


def _refuse_remap(known: Entity | None, entity: Entity) -> None:
    if known is not None and (known.pseudonym != entity.pseudonym or known.label != entity.label):
        raise KeyFileError(None, N_("entity %(entity)s already has another pseudonym"), entity=entity.id)


def surfaces_of(entity: Entity) -> list[str]:
    """The surfaces an entity brings (canonical first), without repeats or empty ones."""
    return [s for s in dict.fromkeys((entity.canonical, *entity.variants)) if s]


def merged(known: Entity | None, entity: Entity) -> Entity:
    """What the store keeps after ``add(entity)``: a new entity, or the known one with the
    new surfaces as variants (its id, label and pseudonym unchanged)."""
    _refuse_remap(known, entity)
    if known is None:
        return entity
    variants = tuple(dict.fromkeys(known.variants + tuple(surfaces_of(entity))))
    return replace(known, variants=variants, canonical=known.canonical or entity.canonical)


def with_attributes(entity: Entity, attributes: Mapping[str, str]) -> Entity:
    """``entity`` with ``attributes`` set; an attribute of the pseudonym, once set, never changes."""
    current = dict(entity.attributes)
    for key, value in attributes.items():
        if key in PSEUDONYM_ATTRIBUTES and current.get(key, value) != value:
            raise KeyFileError(None, N_("entity %(entity)s already has another pseudonym"), entity=entity.id)
    kept = tuple((k, v) for k, v in entity.attributes if k not in attributes)
    return replace(entity, attributes=tuple(sorted((*kept, *attributes.items()))))


def id_number(label: str, entity_id: str) -> int:
    """The number of an id of ``label`` ("PER-0012": 12), or 0 for an id of another shape."""
    prefix, _, number = entity_id.partition("-")
    return int(number) if prefix == ID_PREFIX.get(label) and number.isdigit() else 0
