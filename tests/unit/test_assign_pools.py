"""assign/pools.py: the name pools built from the configuration, and the words a pseudonym must not be."""

from __future__ import annotations

from dataclasses import replace

import pytest

from anonymiser.assign.pools import POOL_RANK, SURNAME_POOL, Pools, Reserved, reserved_words
from anonymiser.config.rules import Config
from anonymiser.keys.store import KeyFile
from anonymiser.link import Cluster
from anonymiser.model import Entity


@pytest.fixture(scope="module")
def pools(config: Config) -> Pools:
    return Pools.from_config(config)


def small(pools: Pools, *, min_candidates: int) -> Pools:
    """Hand-built first-name pools: two genders, three decades."""
    return replace(
        pools,
        first={"F": ("Alice", "Anne-Marie", "Brigitte", "Chloé"), "M": ("Bruno", "Jean-Paul"), "X": ("Camille",)},
        by_decade={("F", "1970"): ("Alice",), ("F", "1960"): ("Brigitte",), ("F", "1980"): ("Chloé",)},
        rules=replace(pools.rules, person_min_candidates=min_candidates),
    )


def test_pools_from_config_first_names_by_gender(pools: Pools, config: Config) -> None:
    assert pools.first["F"] and pools.first["M"]
    assert not set(pools.first["F"]) & set(pools.first["M"])
    for gender in ("F", "M"):
        assert all(config.first_names[name] == gender for name in pools.first[gender])
        assert list(pools.first[gender]) == sorted(pools.first[gender])
    ranks = {name: rank for name, (_decade, rank) in config.first_name_info.items()}
    assert all(ranks.get(name, 10**9) <= POOL_RANK for name in pools.first["F"] + pools.first["M"])


def test_pools_from_config_decades_and_genders(pools: Pools, config: Config) -> None:
    assert pools.genders == dict(config.first_names)
    for (gender, decade), names in pools.by_decade.items():
        assert all(config.first_names[n] == gender and pools.decades[n] == decade for n in names)


def test_pools_from_config_surnames_and_heads(pools: Pools, config: Config) -> None:
    assert 0 < len(pools.surnames) <= SURNAME_POOL
    assert not any(s.isupper() and len(s) > 1 for s in pools.surnames)  # "MARTIN" -> "Martin"
    assert set(config.pseudonym_rules.org_kinds) <= set(pools.org_heads)
    for heads in (pools.org_heads, pools.role_heads, pools.place_nouns):  # longest first (``leading``)
        assert [len(h) for h in heads] == sorted((len(h) for h in heads), reverse=True)


def test_pools_first_names_for_gender(pools: Pools) -> None:
    pool = small(pools, min_candidates=1)
    assert pool.first_names_for("F", "") == ("Alice", "Anne-Marie", "Brigitte", "Chloé")
    assert pool.first_names_for("M", "") == ("Bruno", "Jean-Paul")
    assert pool.first_names_for("X", "") == ("Camille", "Alice", "Anne-Marie", "Brigitte", "Chloé", "Bruno",
                                             "Jean-Paul")


def test_pools_first_names_for_decade_widens_when_too_few(pools: Pools) -> None:
    assert small(pools, min_candidates=1).first_names_for("F", "1970") == ("Alice",)
    # too few names of the 1970s: the decades around are added
    assert small(pools, min_candidates=3).first_names_for("F", "1970") == ("Alice", "Brigitte", "Chloé")
    # still too few: the decade is dropped
    assert small(pools, min_candidates=4).first_names_for("F", "1970") == ("Alice", "Anne-Marie", "Brigitte", "Chloé")


def test_pools_first_names_for_compound(pools: Pools) -> None:
    # fewer than ten compound names: all names
    assert small(pools, min_candidates=1).first_names_for("F", "", compound=True) == small(
        pools, min_candidates=1).first_names_for("F", "")
    compounds = pools.first_names_for("F", "", compound=True)
    assert len(compounds) >= 10 and all("-" in n for n in compounds)


def cluster(label: str, canonical: str, *variants: str) -> Cluster:
    return Cluster(label, canonical, list(variants), "entretien-01")


def test_reserved_holds_the_corpus_forms_and_words() -> None:
    reserved = reserved_words([cluster("PERSON", "Isabelle Marchal", "Mme Marchal"),
                               cluster("MUNICIPALITY", "Saint-Étienne")], KeyFile.create())
    assert isinstance(reserved, Reserved)
    for word in ("Isabelle Marchal", "isabelle", "MARCHAL", "Mme", "saint etienne", "Saint-Étienne"):
        assert word in reserved
    assert "Valmont" not in reserved
    assert 42 not in reserved


def test_reserved_holds_the_key_files_words_by_keyed_hash() -> None:
    keyfile = KeyFile.create()
    keyfile.add(Entity("COM-0001", "MUNICIPALITY", "Rochebrune", (), "Valmont"))
    reserved = reserved_words([], keyfile)
    assert "Rochebrune" in reserved and "rochebrune" in reserved
    assert "Valmont" not in reserved  # a pseudonym is not a real word


def test_reserved_takes_a_name_with_a_real_part() -> None:
    reserved = reserved_words([cluster("PERSON", "Anne")], KeyFile.create())
    assert reserved.takes("Anne-Cécile")
    assert reserved.takes("Marie Anne")
    assert not reserved.takes("Annette")
    assert reserved.free(("Anne-Cécile", "Annette", "Anne", "Brigitte")) == ("Annette", "Brigitte")


def test_reserved_folded() -> None:
    reserved = reserved_words([], KeyFile.create())
    assert reserved.folded(("Éloïse", "JEAN-PAUL")) == ("eloise", "jean paul")


def test_reserved_unused_is_trimmed_as_used_grows() -> None:
    reserved = reserved_words([], KeyFile.create())
    names = ("Martin", "Bernard", "Dubois", "Thomas")
    used: dict[str, str] = {"bernard": ""}
    assert reserved.unused(names, used) == ["Martin", "Dubois", "Thomas"]
    used["thomas"] = "real"
    used["martin"] = "real"
    assert reserved.unused(names, used) == ["Dubois"]
    assert reserved.unused(names, used) == ["Dubois"]  # asked again: same answer
    assert reserved.unused(("Martin", "Petit"), used) == ["Petit"]  # another list, its own trimming


def test_pools_reserved_near_a_real_surname_of_the_run_or_of_the_key_file(config: Config) -> None:
    from anonymiser.text.names import parse_name

    first_names = frozenset({"isabelle", "nadia"})
    keyfile = KeyFile.create()
    keyfile.add(Entity("PER-0001", "PERSON", "Bruno Kerbrat", ("Bruno Kerbrat",), "Yves Morin"))
    clusters = [Cluster("PERSON", "Isabelle Diabi", ["Isabelle Diabi"], name=parse_name("Isabelle Diabi", first_names)),
                Cluster("ORGANIZATION", "Ferrandière", ["Ferrandière"])]
    reserved = Reserved(clusters, keyfile.draft(), run_words=["nadia"])
    assert reserved.near("Diaby") and reserved.near("Kerbras")  # the run (exactly), the key file (by hash)
    assert not reserved.near("Ferrandiere") and not reserved.near("Mayeur")  # not a surname; far
    assert reserved.takes("Nadia") and reserved.takes("Isabelle")  # a first name written in the run
    assert reserved.far(("Diaby", "Mayeur", "Diabi", "Kerbras")) == ("Mayeur",)


def test_pools_first_names_for_gives_the_same_tuple_and_a_copy_asks_again(pools: Pools) -> None:
    assert pools.first_names_for("F", "") is pools.first_names_for("F", "")
    copy = small(pools, min_candidates=1)
    assert copy.first_names_for("F", "") == ("Alice", "Anne-Marie", "Brigitte", "Chloé")
    assert pools.first_names_for("F", "") != copy.first_names_for("F", "")


def test_pools_reserved_all_used_follows_a_growing_set() -> None:
    reserved = reserved_words([], KeyFile.create())
    names = ("Alice", "Brigitte", "Chloé")
    used: set[str] = set()
    assert not reserved.all_used(names, used)
    used.update({"alice", "chloe"})
    assert not reserved.all_used(names, used)
    used.add("brigitte")
    assert reserved.all_used(names, used)
    assert not reserved.all_used(names, {"alice"})  # another set: asked from the start
    assert reserved.all_used(names, {"alice", "brigitte", "chloe", "denise"})


def test_pools_reserved_unused_takes_out_what_was_used_since_the_last_call() -> None:
    reserved = reserved_words([], KeyFile.create())
    names = ("Marchal", "Le Goff", "Brun", "Marchal", "Diaby")
    used: dict[str, str] = {"brun": ""}
    assert reserved.unused(names, used) == ["Marchal", "Le Goff", "Marchal", "Diaby"]
    used.update({"diaby": "", "ferrand": "", "marchal": ""})
    assert reserved.unused(names, used) == ["Le Goff"]
    used["le goff"] = ""
    assert reserved.unused(names, used) == []
def test_pools_reserved_names_a_person_by_any_word_of_any_length(config: Config) -> None:
    from anonymiser.text.names import parse_name

    clusters = [Cluster("PERSON", "Léa Ferrand", ["Léa Ferrand"], name=parse_name("Léa Ferrand", frozenset({"lea"}))),
                Cluster("ORGANIZATION", "Les Hirondelles", ["Les Hirondelles"])]
    reserved = Reserved(clusters, KeyFile.create().draft(), run_words=["rose", "eva"])
    # a first name of the run (written in its texts, or of its persons), folded, of any length
    assert reserved.names_a_person("La Rose des Vents") and reserved.names_a_person("LA ROSE")
    assert reserved.names_a_person("Café d'Eva") and reserved.names_a_person("Pré-Léa")
    assert reserved.names_a_person("Les Jardins de Lea")
    # other words of the run are no first names: a pseudonym may not be them, but for another rule
    assert not reserved.names_a_person("Les Hirondelles") and not reserved.names_a_person("Ferrand")
    assert not reserved.names_a_person("Rosemont") and not reserved.names_a_person("Évasion")  # whole words only
