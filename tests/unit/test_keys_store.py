"""The key store owns its invariants: read-only views, no remapping, forgetting, the workers' view."""

import pytest

from anonymiser.errors import KeyFileError
from anonymiser.keys.store import FORGOTTEN, KeyFile
from anonymiser.model import Entity

from .keying import known_key


def test_keys_store_outside_writes_fail() -> None:
    key = known_key()
    for view in (key.entities, key.pools, key.extras, key.access_log, key.counters, key.sealed, key.slots):
        with pytest.raises(TypeError):
            view["x"] = "y"  # type: ignore[index]
    with pytest.raises(AttributeError):
        key.secret = b"0" * 32  # type: ignore[misc]
    with pytest.raises(AttributeError):
        key.entities = {}  # type: ignore[misc]


def test_keys_store_never_remaps() -> None:
    key = known_key()
    with pytest.raises(KeyFileError, match="another pseudonym"):
        key.add(Entity("PER-0001", "PERSON", "Isabelle Marchal", (), "Autre Nom"))
    with pytest.raises(KeyFileError, match="another pseudonym"):
        key.add(Entity("PER-0001", "ORGANIZATION", "Isabelle Marchal", (), "Sophie Lambert"))
    key.add(Entity("PER-0001", "PERSON", "", ("I. MARCHAL",), "Sophie Lambert"))
    assert key.entities["PER-0001"].variants == ("Isabelle Marchal", "Mme Marchal", "I. MARCHAL")
    assert key.entities["PER-0001"].canonical == "Isabelle Marchal"


def test_keys_store_attributes_of_the_pseudonym_never_change() -> None:
    key = known_key()
    key.set_attributes("PER-0001", {"decade": "1970", "first": "Sophie"})  # the same first name: fine
    assert key.entities["PER-0001"].attribute("decade") == "1970"
    with pytest.raises(KeyFileError, match="another pseudonym"):
        key.set_attributes("PER-0001", {"last": "Autre"})
    assert key.entities["PER-0001"].attribute("last") == "Lambert"
    key.set_origin("PER-0001", "manual")
    assert key.entities["PER-0001"].origin == "manual"
    with pytest.raises(ValueError):
        key.set_origin("PER-0001", FORGOTTEN)


def test_keys_store_ids_are_per_label_and_never_given_twice() -> None:
    key = KeyFile.create()
    assert key.new_id("PERSON") == "PER-0001"
    assert key.new_id("PERSON") == "PER-0002"
    assert key.new_id("MUNICIPALITY") == "COM-0001"
    key.add(Entity("COM-0007", "MUNICIPALITY", "Rezé", ("Rezé",), "Valbrune"))
    assert key.new_id("MUNICIPALITY") == "COM-0008"


def test_keys_store_keyed_hash_depends_on_the_secret() -> None:
    a, b = KeyFile.create(), KeyFile.create()
    assert a.keyed_hash("Marchal") == a.keyed_hash("Marchal") != b.keyed_hash("Marchal")


def test_keys_store_finds_forms_whole_and_leftmost_longest() -> None:
    key = known_key()
    text = "Isabelle Marchal, Marchal-Durand et MARCHAL."
    assert [(text[s:e], eid) for s, e, _l, eid, _f in key.find_forms(text)] == [
        ("Isabelle Marchal", "PER-0001"), ("MARCHAL", "PER-0001")]
    assert key.entities_for_key("last:marchal") == ["PER-0001"]
    assert key.is_real_word("marchal") and not key.is_real_word("Durand")


def test_keys_store_forget_erases_originals_and_hashes() -> None:
    key = known_key()
    key.add(Entity("PER-0002", "PERSON", "Bruno Marchal", ("Bruno Marchal",), "Yves Morin"))
    key.index("PER-0002", [("Bruno Marchal", "c")], ["last:marchal", "first:bruno"])
    assert {f[3] for f in key.find_forms("Isabelle Marchal et Bruno Marchal.")} == {"PER-0001", "PER-0002"}
    key.forget("PER-0001")
    assert key.originals("PER-0001") == [] and key.originals("PER-0002") == ["Bruno Marchal"]
    assert [f[3] for f in key.find_forms("Isabelle Marchal et Bruno Marchal.")] == ["PER-0002"]
    assert key.entities_for_key("last:marchal") == ["PER-0002"] and key.entities_for_key("first:isabelle") == []
    assert not key.is_real_word("Isabelle") and key.is_real_word("Marchal") and key.is_real_word("Bruno")
    forgotten = key.entities["PER-0001"]
    assert (forgotten.canonical, forgotten.variants, forgotten.origin) == ("", (), FORGOTTEN)
    assert forgotten.attributes == (("first", "Sophie"), ("last", "Lambert"))  # the gender went
    assert "Sophie Lambert" in key.pseudonyms()  # never given again


def test_keys_store_release_form_moves_it_away_explicitly() -> None:
    key = known_key()
    key.release_form("PER-0001", "Marchal", ["last:marchal"])
    assert [f[3] for f in key.find_forms("Marchal et Isabelle Marchal")] == ["PER-0001"]  # the full form only
    assert key.entities_for_key("last:marchal") == [] and key.entities_for_key("first:isabelle") == ["PER-0001"]
    assert key.entities["PER-0001"].pseudonym == "Sophie Lambert"


def test_keys_store_unindex_form_keeps_other_labels() -> None:
    key = KeyFile.create()
    key.add(Entity("LOC-0001", "LOCATION", "Loire", ("Loire",), "Valmont"))
    key.add(Entity("ORG-0001", "ORGANIZATION", "Loire", ("Loire",), "Les Acacias"))
    key.index("LOC-0001", [("Loire", "c")])
    key.index("ORG-0001", [("Loire", "c")])
    assert key.unindex_form("Loire", "LOCATION") == 1
    assert [f[2] for f in key.find_forms("la Loire")] == ["ORGANIZATION"]
    assert key.entities["LOC-0001"].pseudonym == "Valmont"  # the mapping itself is never rewritten


def test_keys_store_access_log_head_moves_one_record_at_a_time() -> None:
    key = KeyFile.create()
    key.advance_access_log(1, "abc")
    assert dict(key.access_log) == {"count": 1, "chain": "abc"}
    with pytest.raises(ValueError):
        key.advance_access_log(3, "def")


def test_keys_store_workers_get_the_matcher_only() -> None:
    key = known_key()
    key.add_pool("PERSON", ["Zoé Quillet"])
    key.set_extra("review", {"skipped": ["h"]})
    key.set_extra("other", {"x": 1})
    view = key.for_workers()
    assert view.private_key is None and not view.entities and not view.pools and dict(view.extras) == {
        "review": {"skipped": ["h"]}}
    assert [f[3] for f in view.find_forms("Mme Marchal")] == ["PER-0001"]
    assert view.entities_for_key("last:marchal") == [] and not view.is_real_word("Marchal")


def test_keys_store_near_hashes_of_persons_only_and_forgotten_with_them() -> None:
    key = known_key()
    key.add(Entity("ORG-0001", "ORGANIZATION", "Ferrandière", ("Ferrandière",), "La Ruche"))
    key.add(Entity("PER-0002", "PERSON", "Bruno Kerbrat", ("Bruno Kerbrat",), "Yves Morin"))
    assert key.is_near("Marchol") and key.is_near("Kerbras") and not key.is_near("Ferrandiere")
    draft = key.draft()
    draft.add(Entity("PER-0003", "PERSON", "Odile Quéméner", ("Odile Quéméner",), "Lise Caradec"))
    assert draft.is_near("Quemenec") and not key.is_near("Quemenec")
    key.forget("PER-0001")
    assert not key.is_near("Marchol") and key.is_near("Kerbras")
