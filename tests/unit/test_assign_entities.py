"""assign/entities.py: ``assign`` gives every cluster an entity id, and new entities their pseudonym."""

from __future__ import annotations

import copy

import pytest

from anonymiser.assign.entities import assign
from anonymiser.assign.persons import person_parts
from anonymiser.assign.pools import Pools
from anonymiser.assign.realistic import realistic_of
from anonymiser.config.rules import Config
from anonymiser.keys.store import KeyFile
from anonymiser.link import Cluster, FormPolicy, Linked
from anonymiser.model import Entity
from anonymiser.text.fold import fold
from anonymiser.text.names import parse_name

CORPUS = (
    ("PERSON", "Isabelle Marchal"), ("PERSON", "Marchal"), ("PERSON", "Paul Roussel"),
    ("MUNICIPALITY", "Avignon"), ("MUNICIPALITY", "Villeneuve-lès-Avignon"),
    ("ORGANIZATION", "Ville d'Avignon"), ("ORGANIZATION", "CCAS"), ("ORGANIZATION", "Centre social Jean Moulin"),
    ("ROLE", "maire de Quimperlé"), ("ROLE", "adjointe au commerce"), ("LOCATION", "rue des Lilas"),
    ("EMAIL_ADDRESS", "isabelle.marchal@exemple.fr"), ("PHONE_NUMBER", "06 12 34 56 78"),
)


@pytest.fixture(scope="module")
def pools(config: Config) -> Pools:
    return Pools.from_config(config)


@pytest.fixture(scope="module")
def first_names(config: Config) -> frozenset[str]:
    return FormPolicy.from_config(config).first_names


def linked(first_names: frozenset[str], corpus: tuple[tuple[str, str], ...] = CORPUS) -> Linked:
    return Linked(tuple(Cluster(label, form, [], "entretien-01", "",
                                parse_name(form, first_names) if label == "PERSON" else None)
                        for label, form in corpus), ())


def pseudonyms(keyfile: KeyFile, ids: dict[int, str]) -> list[str]:
    return [keyfile.entities[ids[index]].pseudonym for index in sorted(ids)]


def test_entities_assign_is_deterministic(config: Config, pools: Pools, first_names: frozenset[str]) -> None:
    keyfile = KeyFile.create()
    twin = copy.deepcopy(keyfile)  # the same secret
    ids = assign(linked(first_names), keyfile, config, pools, first_names, hints={1: "F"})
    twin_ids = assign(linked(first_names), twin, config, pools, first_names, hints={1: "F"})
    assert ids == twin_ids
    assert pseudonyms(keyfile, ids) == pseudonyms(twin, twin_ids)
    assert {e.id: e for e in keyfile.entities.values()} == {e.id: e for e in twin.entities.values()}
    other = KeyFile.create()  # another secret, other pseudonyms
    other_ids = assign(linked(first_names), other, config, pools, first_names, hints={1: "F"})
    assert pseudonyms(other, other_ids) != pseudonyms(keyfile, ids)


def test_entities_assign_ids_and_tags(config: Config, pools: Pools, first_names: frozenset[str]) -> None:
    keyfile = KeyFile.create()
    ids = assign(linked(first_names), keyfile, config, pools, first_names)
    assert sorted(ids) == list(range(len(CORPUS)))
    assert [ids[i] for i in (0, 1, 2, 3)] == ["PER-0001", "PER-0002", "PER-0003", "COM-0001"]
    email, phone = keyfile.entities[ids[11]], keyfile.entities[ids[12]]
    assert email.pseudonym == f"[{config.tags['EMAIL_ADDRESS']}_1]"
    assert phone.pseudonym == f"[{config.tags['PHONE_NUMBER']}_1]"
    for index, (label, form) in enumerate(CORPUS):
        entity = keyfile.entities[ids[index]]
        assert (entity.label, entity.canonical, entity.origin) == (label, form, "detected")
        assert entity.first_document == "entretien-01"
    person = keyfile.entities[ids[0]]
    first, last = person_parts(person)
    assert person.pseudonym == f"{first} {last}"
    assert {k for k, _ in person.attributes} == {"decade", "first", "gender", "last"}


def test_entities_assign_never_gives_a_real_form(config: Config, pools: Pools, first_names: frozenset[str]) -> None:
    keyfile = KeyFile.create()
    ids = assign(linked(first_names), keyfile, config, pools, first_names)
    given = [p for p in pseudonyms(keyfile, ids) if not p.startswith("[")]
    assert len(set(map(fold, keyfile.pseudonyms()))) == len(keyfile.entities)  # all distinct
    real = {fold(form) for _label, form in CORPUS} | {"quimperle", "lilas", "jean", "moulin", "isabelle", "paul"}
    for pseudonym in given:
        assert fold(pseudonym) not in real
        assert not ({fold(w) for w in pseudonym.replace("-", " ").split()} & {"avignon", "quimperle", "marchal",
                                                                               "roussel", "isabelle", "paul"})


def test_entities_assign_avoids_a_pseudonym_found_in_the_corpus(config: Config, pools: Pools,
                                                                first_names: frozenset[str]) -> None:
    keyfile = KeyFile.create()
    corpus: tuple[tuple[str, str], ...] = (("MUNICIPALITY", "Avignon"), ("PERSON", "Isabelle Marchal"))
    first_run = copy.deepcopy(keyfile)
    ids = assign(linked(first_names, corpus), first_run, config, pools, first_names)
    commune, surname = first_run.entities[ids[0]].pseudonym, person_parts(first_run.entities[ids[1]])[1]
    # the same secret, but the corpus now holds the names the first run gave
    corpus += (("LOCATION", commune), ("LOCATION", surname))
    ids = assign(linked(first_names, corpus), keyfile, config, pools, first_names)
    assert keyfile.entities[ids[0]].pseudonym != commune
    assert person_parts(keyfile.entities[ids[1]])[1] != surname


def test_entities_assign_uses_the_pool_before_generation(config: Config, pools: Pools,
                                                         first_names: frozenset[str]) -> None:
    keyfile = KeyFile.create()
    keyfile.add_pool("PERSON", ["Isabelle Marchal", "Claire Fontaine", "Hélène Brunet"])
    keyfile.add_pool("MUNICIPALITY", ["Valbrune-sur-Orge"])
    keyfile.add(Entity("PER-0009", "PERSON", "Nadia Perrin", (), "Claire Fontaine",
                       attributes=(("first", "Claire"), ("last", "Fontaine"))))  # already given
    corpus = (("PERSON", "Isabelle Marchal"), ("MUNICIPALITY", "Avignon"), ("MUNICIPALITY", "Quimperlé"))
    ids = assign(linked(first_names, corpus), keyfile, config, pools, first_names)
    assert pseudonyms(keyfile, ids)[:2] == ["Hélène Brunet", "Valbrune-sur-Orge"]
    assert pseudonyms(keyfile, ids)[2] not in {"Valbrune-sur-Orge", "Avignon", "Quimperlé"}  # the pool ran dry


def test_entities_assign_reuses_known_entities(config: Config, pools: Pools, first_names: frozenset[str]) -> None:
    keyfile = KeyFile.create()
    keyfile.add(Entity("COM-0001", "MUNICIPALITY", "Avignon", (), "Valbrune"))
    known = Cluster("MUNICIPALITY", "Avignon", ["AVIGNON"], "entretien-02", "COM-0001")
    ids = assign(Linked((known,), ()), keyfile, config, pools, first_names)
    assert ids == {0: "COM-0001"}
    entity = keyfile.entities["COM-0001"]
    assert entity.pseudonym == realistic_of(entity) == "Valbrune"
    assert entity.canonical == "Avignon" and "AVIGNON" in entity.variants  # the new variant is added
    assert list(keyfile.entities) == ["COM-0001"]


def test_entities_assign_shares_a_surname_known_in_the_key_file(config: Config, pools: Pools,
                                                                first_names: frozenset[str]) -> None:
    keyfile = KeyFile.create()
    ids = assign(linked(first_names, (("PERSON", "Isabelle Marchal"),)), keyfile, config, pools, first_names)
    keyfile.index(ids[0], keys=["last:marchal"])  # what the pipeline indexes after assignment
    later = assign(linked(first_names, (("PERSON", "Paul Marchal"),)), keyfile, config, pools, first_names)
    assert later[0] != ids[0]
    assert person_parts(keyfile.entities[later[0]])[1] == person_parts(keyfile.entities[ids[0]])[1]
    assert person_parts(keyfile.entities[later[0]])[0] != person_parts(keyfile.entities[ids[0]])[0]
