"""assign/persons.py: person pseudonyms (gender, pools first, shared surnames, seeded draws)."""

from __future__ import annotations

import copy
import random
from dataclasses import replace

import pytest

from anonymiser.assign.entities import assign
from anonymiser.assign.persons import gender_of, new_person, person_parts
from anonymiser.assign.pools import Pools, Reserved, reserved_words
from anonymiser.config.rules import Config
from anonymiser.keys.store import KeyFile
from anonymiser.link import Cluster, FormPolicy, Linked
from anonymiser.model import Entity
from anonymiser.text.fold import fold
from anonymiser.text.names import parse_name


@pytest.fixture(scope="module")
def pools(config: Config) -> Pools:
    return Pools.from_config(config)


@pytest.fixture(scope="module")
def first_names(config: Config) -> frozenset[str]:
    return FormPolicy.from_config(config).first_names


def person(form: str, first_names: frozenset[str]) -> Cluster:
    return Cluster("PERSON", form, [], "entretien-01", "", parse_name(form, first_names))


def draw(keyfile: KeyFile, pools: Pools, reserved: Reserved, *, gender: str = "F", decade: str = "",
         shared_last: str | None = None, used_last: dict[str, str] | None = None) -> tuple[str, str]:
    return new_person(keyfile, "PER-0001", gender, decade, False, pools, reserved, set(), used_last or {},
                      shared_last)


@pytest.mark.parametrize(("form", "hint", "expected"), [
    ("Isabelle Marchal", "", "F"),
    ("Paul Roussel", "", "M"),
    ("Isabelle Marchal", "M", "F"),  # the first name wins over the civility
    ("Marchal", "F", "F"),  # "Mme Marchal"
    ("Marchal", "M", "M"),  # "M. Marchal"
    ("Marchal", "", "X"),
    ("Marchal", "?", "X"),
])
def test_persons_gender_of(form: str, hint: str, expected: str, config: Config, first_names: frozenset[str]) -> None:
    assert gender_of(person(form, first_names), config, hint) == expected


def test_persons_gender_of_without_a_parsed_name(config: Config) -> None:
    assert gender_of(Cluster("PERSON", "Marchal"), config, "F") == "F"
    assert gender_of(Cluster("PERSON", "Marchal"), config) == "X"


def test_persons_person_parts() -> None:
    generated = Entity("PER-0001", "PERSON", "Isabelle Marchal", (), "Anne-Sophie Le Goff",
                       attributes=(("first", "Anne-Sophie"), ("last", "Le Goff")))
    assert person_parts(generated) == ("Anne-Sophie", "Le Goff")
    # a manual pseudonym without parts: split on the last space
    assert person_parts(Entity("PER-0002", "PERSON", "Paul Roussel", (), "Jean Paul Martin")) == ("Jean Paul", "Martin")
    assert person_parts(Entity("PER-0003", "PERSON", "Roussel", (), "Durand")) == ("Durand", "Durand")


def test_persons_new_person_is_seeded_by_the_key_file(pools: Pools) -> None:
    keyfile = KeyFile.create()
    twin = copy.deepcopy(keyfile)
    first = draw(keyfile, pools, reserved_words([], keyfile))
    assert draw(twin, pools, reserved_words([], twin)) == first
    others = {draw(k, pools, reserved_words([], k)) for k in (KeyFile.create() for _ in range(5))}
    assert others - {first}  # another secret, other names


def test_persons_new_person_follows_gender_and_decade(pools: Pools, config: Config) -> None:
    for gender in ("F", "M"):
        for _ in range(5):
            keyfile = KeyFile.create()
            first, last = draw(keyfile, pools, reserved_words([], keyfile), gender=gender, decade="1970")
            assert config.first_names[first] == gender
            assert pools.decades[first] in {"1960", "1970", "1980"}
            assert last in pools.surnames


def test_persons_new_person_avoids_real_forms(pools: Pools) -> None:
    keyfile = KeyFile.create()
    drawn_first, drawn_last = draw(copy.deepcopy(keyfile), pools, reserved_words([], keyfile))
    # the same secret, but the corpus now has the names it drew
    reserved = reserved_words([Cluster("PERSON", f"{drawn_first} {drawn_last}")], keyfile)
    first, last = draw(keyfile, pools, reserved)
    assert first != drawn_first and last != drawn_last
    assert not reserved.takes(first) and not reserved.takes(last)


def test_persons_new_person_uses_the_pool_first(pools: Pools) -> None:
    keyfile = KeyFile.create()
    keyfile.add_pool("PERSON", ["Martine", "Isabelle Marchal", "Paul Roussel", "Claire Fontaine", "Nadia Benali"])
    reserved = reserved_words([Cluster("PERSON", "Isabelle Marchal")], keyfile)
    # "Martine": no surname; Isabelle: a real form; Paul: a man
    assert draw(keyfile, pools, reserved, gender="F") == ("Claire", "Fontaine")
    assert draw(keyfile, pools, reserved, gender="M") == ("Paul", "Roussel")
    # a surname already given is skipped; a shared surname replaces the pool's
    assert draw(keyfile, pools, reserved, gender="F", used_last={"fontaine": "x"}) == ("Nadia", "Benali")
    assert draw(keyfile, pools, reserved, gender="F", shared_last="Perrin") == ("Claire", "Perrin")


def test_persons_new_person_keeps_a_shared_surname(pools: Pools) -> None:
    keyfile = KeyFile.create()
    first, last = draw(keyfile, pools, reserved_words([], keyfile), shared_last="Lefort")
    assert last == "Lefort" and first in pools.first_names_for("F", "")


def test_persons_new_person_without_names_falls_back_to_a_number(pools: Pools) -> None:
    empty = replace(pools, first={"F": (), "M": (), "X": ()}, by_decade={}, surnames=())
    keyfile = KeyFile.create()
    assert draw(keyfile, empty, reserved_words([], keyfile)) == ("Personne", "0001")


def test_persons_assign_gender_from_the_civility_hint(config: Config, pools: Pools,
                                                      first_names: frozenset[str]) -> None:
    keyfile = KeyFile.create()
    clusters = (person("Marchal", first_names), person("Roussel", first_names), person("Lefebvre", first_names))
    ids = assign(Linked(clusters, ()), keyfile, config, pools, first_names, hints={0: "F", 1: "M"})
    genders = [keyfile.entities[ids[i]].attribute("gender") for i in range(3)]
    assert genders == ["F", "M", "X"]
    for index, gender in ((0, "F"), (1, "M")):
        first, _last = person_parts(keyfile.entities[ids[index]])
        assert config.first_names[first] == gender


def test_persons_assign_shares_a_real_surname(config: Config, pools: Pools, first_names: frozenset[str]) -> None:
    keyfile = KeyFile.create()
    clusters = (person("Isabelle Marchal", first_names), person("Paul Marchal", first_names),
                person("Claire Roussel", first_names))
    ids = assign(Linked(clusters, ()), keyfile, config, pools, first_names)
    parts = [person_parts(keyfile.entities[ids[i]]) for i in range(3)]
    assert parts[0][1] == parts[1][1] != parts[2][1]
    assert parts[0][0] != parts[1][0]
    assert [keyfile.entities[ids[i]].attribute("first") for i in range(3)] == [p[0] for p in parts]
    assert all(fold(part) not in {"isabelle", "paul", "claire", "marchal", "roussel"} for p in parts for part in p)
    assert keyfile.entities[ids[0]].attribute("decade")  # Isabelle: a decade of the lexicon


def test_persons_new_person_never_two_edits_from_a_real_surname(pools: Pools, first_names: frozenset[str]) -> None:
    from anonymiser.text.near import close, words_of

    keyfile = KeyFile.create()
    free = reserved_words([], keyfile)
    for number in range(1, 30):
        entity_id = f"PER-{number:04d}"
        _first, drawn = new_person(keyfile, entity_id, "F", "", False, pools, free, set(), {}, None)
        real = drawn[:-1] + ("a" if drawn[-1] != "a" else "e")  # one edit away: a real person's surname
        reserved = reserved_words([person(f"Isabelle {real}", first_names)], keyfile)
        _first, last = new_person(keyfile, entity_id, "F", "", False, pools, reserved, set(), {}, None)
        # words too short to compare are never compared (text/near.py): a drawn "Le" has no near form
        assert not any(close(a, b) for a in words_of(last) for b in words_of(real))
    # the team's pool is refused too when its surname is near a real one
    keyfile.add_pool("PERSON", ["Claire Fontaino", "Nadia Benali"])
    reserved = reserved_words([person("Isabelle Fontaine", first_names)], keyfile)
    assert draw(keyfile, pools, reserved) == ("Nadia", "Benali")


def test_persons_new_person_gives_another_first_name_when_it_can(pools: Pools) -> None:
    keyfile = KeyFile.create()
    first, _last = draw(keyfile, pools, reserved_words([], keyfile))
    other, _last = new_person(keyfile, "PER-0001", "F", "", False, pools, reserved_words([], keyfile), set(), {},
                              None, {fold(first)})
    assert other != first


@pytest.mark.parametrize("shared_last", [None, "Garnier"])
def test_persons_new_person_with_every_first_name_taken_draws_as_before(pools: Pools, monkeypatch,
                                                                        shared_last: str | None) -> None:
    # a large corpus: every first name of the tier is another person's. The first draws are
    # then skipped unchecked (they would all be refused), the generator moving as it did:
    # the same name comes out as when each draw is checked and refused
    from anonymiser.assign import persons

    key = KeyFile.create()
    tier = pools.first_names_for("F", "1980")
    taken = {fold(name) for name in tier}

    def drawn() -> tuple[str, str]:
        reserved = Reserved([], key)
        return new_person(key, "PER-0042", "F", "1980", False, pools, reserved, set(), {}, shared_last, taken)

    fast = drawn()
    monkeypatch.setattr(persons, "all", lambda _items: False, raising=False)  # every draw checked
    assert drawn() == fast
    assert fast[0] in tier and (shared_last is None or fast[1] == shared_last)


@pytest.mark.parametrize("fast", [True, False])
def test_assign_persons_skipped_draws_move_the_generator_as_choices_do(monkeypatch, fast) -> None:
    from anonymiser.assign import persons

    monkeypatch.setattr(persons, "_FAST_SKIP", fast)
    chosen, skipped = random.Random(41), random.Random(41)
    tier, lasts = tuple(f"Prénom{n}" for n in range(613)), tuple(f"Nom{n}" for n in range(2999))
    for _ in range(50):
        chosen.choice(tier)
        chosen.choice(lasts)
    persons.skip_choices(skipped, (len(tier), len(lasts)), 50)
    assert skipped.getstate() == chosen.getstate()
    assert skipped.choice(tier) == chosen.choice(tier)


def test_assign_persons_the_fast_skip_is_checked_on_this_python() -> None:
    from anonymiser.assign import persons

    assert persons._FAST_SKIP is persons._fast_skip_is_choice()
    assert persons._FAST_SKIP  # CPython 3.11 to 3.13 draw an index as the shortcut does


@pytest.mark.parametrize("fast", [True, False])
def test_assign_persons_choose_draws_what_choice_draws(monkeypatch, fast) -> None:
    from anonymiser.assign import persons

    monkeypatch.setattr(persons, "_FAST_SKIP", fast)
    chosen, drawn = random.Random(2027), random.Random(2027)
    for size in (1, 2, 3, 7, 64, 613, 2999, 4096, 70001):
        names = tuple(f"Nom{n}" for n in range(size))
        for _ in range(30):
            assert persons.choose(drawn, names) == chosen.choice(names)
    assert drawn.getstate() == chosen.getstate()
    with pytest.raises(IndexError):
        persons.choose(drawn, ())
