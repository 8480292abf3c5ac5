"""A draft reads through to the key file and records additions without changing it; the key
file commits a draft once, onto the state the draft read."""

import pytest

from anonymiser.errors import KeyFileError
from anonymiser.keys.draft import Draft
from anonymiser.keys.store import KeyFile
from anonymiser.model import Entity

from .keying import ISABELLE, known_key


def test_keys_draft_reads_its_additions_but_leaves_the_store_alone() -> None:
    key = known_key()
    draft = key.draft()
    new_id = draft.new_id("PERSON")
    assert new_id == "PER-0002"
    draft.add(Entity(new_id, "PERSON", "Bruno Kerleau", ("Bruno Kerleau",), "Yves Morin"))
    draft.index(new_id, [("Kerleau", "c")], ["last:kerleau", "last:marchal"])
    draft.set_attributes("PER-0001", {"decade": "1970"})
    draft.add(Entity("PER-0001", "PERSON", "", ("I. Marchal",), "Sophie Lambert"))
    # the draft sees the key file with its additions ...
    assert list(draft.entities) == ["PER-0001", "PER-0002"]
    assert draft.entities["PER-0001"].attribute("decade") == "1970"
    assert draft.entities["PER-0001"].variants[-1] == "I. Marchal"
    assert draft.entities_for_key("last:marchal") == ["PER-0001", "PER-0002"]
    assert draft.is_real_word("Kerleau") and "Yves Morin" in draft.pseudonyms()
    assert [f[3] for f in draft.find_forms("Kerleau et Marchal")] == ["PER-0002", "PER-0001"]
    with pytest.raises(KeyFileError):
        draft.add(Entity("PER-0001", "PERSON", "", (), "Autre Nom"))
    # ... the key file is untouched ...
    assert list(key.entities) == ["PER-0001"] and key.entities_for_key("last:kerleau") == []
    assert not key.is_real_word("Kerleau") and dict(key.counters) == {"PERSON": 1}
    with pytest.raises(TypeError):
        draft.entities["PER-0003"] = ISABELLE  # type: ignore[index]


def test_keys_draft_commit_applies_the_draft_once() -> None:
    key = known_key()
    draft = key.draft()
    new_id = draft.new_id("MUNICIPALITY")
    draft.add(Entity(new_id, "MUNICIPALITY", "Rezé", ("Rezé",), "Valbrune"))
    draft.index(new_id, [("Rezé", "c")], ["form:MUNICIPALITY|reze"])
    draft.new_id("MUNICIPALITY")  # an id asked for is never given again, even if unused
    draft.set_attributes(new_id, {"generalised": "une commune"})
    key.commit(draft)
    assert key.entities["COM-0001"].attribute("generalised") == "une commune"
    assert key.originals("COM-0001") == ["Rezé"]
    assert key.entities_for_key("form:MUNICIPALITY|reze") == ["COM-0001"]
    assert [f[3] for f in key.find_forms("À Rezé.")] == ["COM-0001"]
    assert key.new_id("MUNICIPALITY") == "COM-0003"
    with pytest.raises(ValueError):
        key.commit(draft)  # once


def test_keys_draft_of_a_changed_store_is_refused() -> None:
    key = known_key()
    draft = key.draft()
    draft.add(Entity("PER-0002", "PERSON", "Bruno Kerleau", ("Bruno Kerleau",), "Yves Morin"))
    key.add(Entity("PER-0003", "PERSON", "Nadia Haddad", ("Nadia Haddad",), "Yves Morin"))
    with pytest.raises(ValueError):
        key.commit(draft)
    with pytest.raises(ValueError):
        KeyFile.create().commit(known_key().draft())
    assert "PER-0002" not in key.entities


def test_keys_draft_records_its_additions_in_order_without_changing_the_key_file() -> None:
    key = known_key()
    payload, counters = key.index_payload(), dict(key.counters)
    draft = key.draft()
    assert isinstance(draft, Draft) and draft.base is key
    assert draft.keyed_hash("Marchal") == key.keyed_hash("Marchal")
    assert draft.find_forms("Mme Marchal") == key.find_forms("Mme Marchal")  # nothing added: the key file's
    bruno = Entity("PER-0002", "PERSON", "Bruno Kerleau", ("Bruno Kerleau",), "Yves Morin")
    draft.add(bruno)
    draft.index("PER-0002", [("Bruno Kerleau", "c")], ["last:kerleau"])
    draft.set_attributes("PER-0002", {"gender": "M"})
    assert [change[0] for change in draft.changes] == ["add", "index", "set_attributes"]
    assert draft.changes[0] == ("add", bruno)
    assert dict(draft.counters) == {"PERSON": 2}
    assert key.index_payload() == payload and dict(key.counters) == counters  # the key file is as it was
    assert key.find_forms("Bruno Kerleau") == [] and "PER-0002" not in key.entities


def test_keys_draft_commit_refuses_a_second_commit_and_a_draft_of_another_key_file() -> None:
    key, other = known_key(), known_key()
    draft = key.draft()
    draft.add(Entity("PER-0002", "PERSON", "Bruno Kerleau", ("Bruno Kerleau",), "Yves Morin"))
    with pytest.raises(ValueError, match="once"):
        other.commit(draft)  # same content, another key file
    assert "PER-0002" not in other.entities
    key.commit(draft)
    assert key.entities["PER-0002"].pseudonym == "Yves Morin"
    with pytest.raises(ValueError, match="once"):
        key.commit(draft)
    assert list(key.entities) == ["PER-0001", "PER-0002"]


def test_keys_draft_commit_indexes_the_words_as_adding_them_one_by_one() -> None:
    # the draft's hashes of words and near names are taken whole at commit, not computed again
    bruno = Entity("PER-0002", "PERSON", "Bruno Kerleau", ("Bruno Kerleau", "M. Kerleau"), "Yves Morin")
    rezé = Entity("COM-0001", "MUNICIPALITY", "Rezé", ("Rezé",), "Valbrune")
    from anonymiser.keys import crypto

    _private, public = crypto.new_keypair()
    direct, drafted = (KeyFile(secret=b"k" * 32, public_key=public) for _ in range(2))
    direct.add(bruno)
    direct.add(rezé)
    draft = drafted.draft()
    draft.add(bruno)
    draft.add(rezé)
    drafted.commit(draft)
    assert drafted._index.words == direct._index.words and drafted._index.near == direct._index.near
    assert drafted.is_near("Kerlau") and drafted.is_real_word("Rezé") and not drafted.is_near("Valbrune")
