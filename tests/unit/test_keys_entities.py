"""keys/entities: what an entity keeps as the store changes it (hand-built entities)."""

from __future__ import annotations

import pytest

from anonymiser.errors import KeyFileError
from anonymiser.keys.entities import id_number, merged, surfaces_of, with_attributes
from anonymiser.model import Entity


def _entity(**changes) -> Entity:
    values = {"id": "PER-0003", "label": "PERSON", "canonical": "Isabelle Marchal",
              "variants": ("Isabelle Marchal", "Marchal"), "pseudonym": "Sophie Lambert"}
    return Entity(**{**values, **changes})


def test_keys_entities_surfaces_canonical_first_without_repeats_or_empty() -> None:
    entity = _entity(variants=("Marchal", "", "Isabelle Marchal", "I. Marchal"))
    assert surfaces_of(entity) == ["Isabelle Marchal", "Marchal", "I. Marchal"]


def test_keys_entities_merged_adds_new_surfaces_and_keeps_id_label_pseudonym() -> None:
    known = _entity()
    kept = merged(known, _entity(canonical="Mme Marchal"[4:], variants=("I. Marchal",)))
    assert (kept.id, kept.label, kept.pseudonym, kept.canonical) == ("PER-0003", "PERSON", "Sophie Lambert",
                                                                     "Isabelle Marchal")
    assert kept.variants == ("Isabelle Marchal", "Marchal", "I. Marchal")
    assert merged(None, known) is known


@pytest.mark.parametrize("change", [{"pseudonym": "Claire Dubois"}, {"label": "ORGANIZATION"}])
def test_keys_entities_a_stored_mapping_is_never_rewritten(change) -> None:
    with pytest.raises(KeyFileError):
        merged(_entity(), _entity(**change))


def test_keys_entities_attributes_of_the_pseudonym_never_change_once_set() -> None:
    entity = with_attributes(_entity(), {"first": "Sophie", "note": "a"})
    assert dict(entity.attributes) == {"first": "Sophie", "note": "a"}
    again = with_attributes(entity, {"note": "b", "first": "Sophie"})
    assert dict(again.attributes) == {"first": "Sophie", "note": "b"}
    with pytest.raises(KeyFileError):
        with_attributes(entity, {"first": "Claire"})


@pytest.mark.parametrize(("label", "entity_id", "number"),
                         [("PERSON", "PER-0012", 12), ("ORGANIZATION", "ORG-0007", 7), ("PERSON", "ORG-0012", 0),
                          ("PERSON", "PER-x1", 0), ("PERSON", "custom", 0)])
def test_keys_entities_id_number(label: str, entity_id: str, number: int) -> None:
    assert id_number(label, entity_id) == number
