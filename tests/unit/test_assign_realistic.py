"""assign/realistic.py: realistic pseudonyms of communes, places, organisations, acronyms and roles."""

from __future__ import annotations

import copy
import re

import pytest

from anonymiser.assign.pools import Pools, reserved_words
from anonymiser.assign.realistic import Namer, realistic_of
from anonymiser.config.rules import Config
from anonymiser.keys.store import KeyFile
from anonymiser.link import Cluster
from anonymiser.model import Entity
from anonymiser.text.fold import fold
from anonymiser.text.phrases import bare

CORPUS = ("Avignon", "Quimperlé", "Villeneuve-lès-Avignon", "Ville d'Avignon", "Centre social Jean Moulin",
          "Mission locale angevine", "rue des Lilas", "maire de Quimperlé")


@pytest.fixture(scope="module")
def pools(config: Config) -> Pools:
    return Pools.from_config(config)


def namer_for(pools: Pools, keyfile: KeyFile | None = None, corpus: tuple[str, ...] = CORPUS) -> Namer:
    keyfile = keyfile or KeyFile.create()
    clusters = [Cluster("MUNICIPALITY", form) for form in corpus]
    return Namer(keyfile, pools, reserved_words(clusters, keyfile), places={"avignon", "quimperle"})


def derived(namer: Namer, label: str) -> dict[str, str]:
    """Component entities the namer created: canonical -> pseudonym."""
    return {e.canonical: e.pseudonym for e in namer.keyfile.entities.values()
            if e.label == label and e.origin == "derived"}


def test_realistic_of() -> None:
    assert realistic_of(Entity("COM-0001", "MUNICIPALITY", "Avignon", (), "Valmont")) == "Valmont"
    old = Entity("COM-0002", "MUNICIPALITY", "Quimperlé", (), "[COMMUNE_2]", attributes=(("realistic", "Brunel"),))
    assert realistic_of(old) == "Brunel"


def test_realistic_is_seeded_by_the_key_file(pools: Pools) -> None:
    keyfile = KeyFile.create()
    twin = copy.deepcopy(keyfile)
    names = [namer_for(pools, keyfile).realistic("MUNICIPALITY", "Avignon", "COM-0001"),
             namer_for(pools, keyfile).realistic("ORGANIZATION", "CCAS", "ORG-0001")]
    assert [namer_for(pools, twin).realistic("MUNICIPALITY", "Avignon", "COM-0001"),
            namer_for(pools, twin).realistic("ORGANIZATION", "CCAS", "ORG-0001")] == names


@pytest.mark.parametrize(("acronym", "vowel"), [("APEI", True), ("UDAF", True), ("CCAS", False), ("FNSEA", False)])
def test_realistic_acronym_opens_as_the_original_does(pools: Pools, acronym: str, vowel: bool) -> None:
    """A vowel for a vowel, a consonant for a consonant: the article before it stays right («l'APEI» -> «l'OBRT»)."""
    namer = namer_for(pools)
    for n in range(1, 21):
        name = namer.realistic("ORGANIZATION", acronym, f"ORG-{n:04d}")
        assert name.isupper() and len(name) == len(acronym)
        assert (name[0] in "AEIOU") == vowel


def test_realistic_communes_are_never_real_nor_reused(pools: Pools) -> None:
    namer = namer_for(pools)
    names = [namer.realistic("MUNICIPALITY", "Avignon", f"COM-{n:04d}") for n in range(1, 41)]
    assert len(set(map(fold, names))) == len(names)
    for name in names:
        assert name not in pools.gazetteer
        assert name not in namer.reserved
        assert fold(name) in namer.used


def test_realistic_commune_is_compositional(pools: Pools) -> None:
    namer = namer_for(pools)
    name = namer.realistic("MUNICIPALITY", "Villeneuve-lès-Avignon", "COM-0001")
    avignon = derived(namer, "MUNICIPALITY")["Avignon"]  # a component is an entity of its own
    assert name == f"Villeneuve-lès-{bare(avignon)}"
    # the component keeps its pseudonym wherever it appears again
    assert namer.component("MUNICIPALITY", "Avignon") == avignon
    assert len(derived(namer, "MUNICIPALITY")) == 1


def test_realistic_pool_comes_before_generation(pools: Pools) -> None:
    keyfile = KeyFile.create()
    keyfile.add_pool("MUNICIPALITY", ["Avignon", "Valbrune-sur-Orge"])  # a real commune is skipped
    keyfile.add_pool("ORGANIZATION", ["Avignon Solidaire", "Les Hirondelles"])  # so is a real word
    namer = namer_for(pools, keyfile)
    assert namer.realistic("MUNICIPALITY", "Quimperlé", "COM-0001") == "Valbrune-sur-Orge"
    assert namer.realistic("MUNICIPALITY", "Avignon", "COM-0002") not in {"Avignon", "Valbrune-sur-Orge"}
    assert namer.realistic("ORGANIZATION", "Centre social Jean Moulin", "ORG-0001") == \
        "Centre social Les Hirondelles"


@pytest.mark.parametrize(("acronym", "length"), [("CCAS", 4), ("UDAF", 4), ("RH", 3), ("CNRSEF", 6)])
def test_realistic_acronym(pools: Pools, acronym: str, length: int) -> None:
    name = namer_for(pools).realistic("ORGANIZATION", acronym, "ORG-0001")
    assert re.fullmatch(rf"[A-V]{{{length}}}", name)
    assert name != acronym


def test_realistic_organisation_keeps_its_head(pools: Pools) -> None:
    namer = namer_for(pools)
    name = namer.realistic("ORGANIZATION", "Centre social Jean Moulin", "ORG-0001")
    assert name.startswith("Centre social ") and "Jean" not in name and "Moulin" not in name
    # a place adjective says where: it goes with the name
    mission = namer.realistic("ORGANIZATION", "Mission locale angevine", "ORG-0002")
    assert mission.startswith("Mission locale ") and "angevine" not in mission
    # a head alone gets a name, so that it is never the original
    alone = namer.realistic("ORGANIZATION", "Maison des associations", "ORG-0003")
    assert alone.startswith("Maison des associations ") and alone != "Maison des associations"
    # a head and lower-case words only: those words are the name ("École navale"), they go
    school = namer.realistic("ORGANIZATION", "École navale", "ORG-0004")
    assert school.startswith("École ") and "navale" not in school and len(school) > len("École ")


def test_realistic_organisation_with_a_commune(pools: Pools) -> None:
    namer = namer_for(pools)
    name = namer.realistic("ORGANIZATION", "Ville d'Avignon", "ORG-0001")
    avignon = derived(namer, "MUNICIPALITY")["Avignon"]
    assert name.startswith("Ville d") and name.endswith(bare(avignon))
    assert "Avignon" not in name


def test_realistic_role_keeps_its_head(pools: Pools) -> None:
    namer = namer_for(pools)
    assert namer.realistic("ROLE", "adjointe au commerce", "ROL-0001") == "adjointe"
    mayor = namer.realistic("ROLE", "maire de Quimperlé", "ROL-0002")
    quimperle = derived(namer, "MUNICIPALITY")["Quimperlé"]
    assert mayor.startswith("maire d") and mayor.endswith(bare(quimperle)) and "Quimperlé" not in mayor
    director = namer.realistic("ROLE", "directrice de la Mission locale angevine", "ROL-0003")
    mission = derived(namer, "ORGANIZATION")["Mission locale angevine"]
    assert director.startswith("directrice d") and director.endswith(mission.split(" ", 1)[1])


def test_realistic_location_keeps_its_noun(pools: Pools) -> None:
    namer = namer_for(pools)
    street = namer.realistic("LOCATION", "rue des Lilas", "LOC-0001")
    assert street.startswith("rue ") and "Lilas" not in street
    river = namer.realistic("LOCATION", "Gier", "LOC-0002")  # no noun: a bare name, its article comes from the text
    assert river == bare(river) and river != "Gier"


def test_realistic_complete_gives_an_old_tag_its_realistic_name(pools: Pools) -> None:
    keyfile = KeyFile.create()
    keyfile.add(Entity("COM-0001", "MUNICIPALITY", "Avignon", (), "[COMMUNE_1]"))
    keyfile.add(Entity("COM-0002", "MUNICIPALITY", "Quimperlé", (), "[COMMUNE_2]", origin="manual"))
    namer = namer_for(pools, keyfile)
    namer.complete("COM-0001")
    namer.complete("COM-0002")
    old = keyfile.entities["COM-0001"]
    assert old.pseudonym == "[COMMUNE_1]" and realistic_of(old) not in {"[COMMUNE_1]", "Avignon"}
    assert old.attribute("realistic") not in pools.gazetteer
    assert realistic_of(keyfile.entities["COM-0002"]) == "[COMMUNE_2]"  # a manual pseudonym is kept
    namer.complete("COM-0001")  # once
    assert keyfile.entities["COM-0001"] == old


def test_realistic_find_and_is_place(pools: Pools) -> None:
    keyfile = KeyFile.create()
    namer = namer_for(pools, keyfile)
    assert namer.is_place("Avignon") and namer.is_place("Quimperlé")
    assert not namer.is_place("Jean Moulin")
    assert namer.find("MUNICIPALITY", ("Le Havre",)) == ""
    namer.component("MUNICIPALITY", "Le Havre")
    found = namer.find("MUNICIPALITY", ("Havre",))  # one linking key for "Le Havre" and "Havre"
    assert found and keyfile.entities[found].canonical == "Le Havre"
    # a later assignment finds the component in the key file, by keyed hash
    assert namer_for(pools, keyfile).find("MUNICIPALITY", ("Le Havre",)) == found
    assert namer.find("PERSON", ("Le Havre",)) == ""


def namer_with_first_names(pools: Pools, keyfile: KeyFile, first_names: tuple[str, ...],
                           corpus: tuple[str, ...] = CORPUS) -> Namer:
    clusters = [Cluster("MUNICIPALITY", form) for form in corpus]
    return Namer(keyfile, pools, reserved_words(clusters, keyfile, first_names), places={"avignon", "quimperle"})


def test_realistic_no_word_of_a_pseudonym_is_a_first_name_of_the_run(pools: Pools) -> None:
    keyfile = KeyFile.create()
    keyfile.add_pool("ORGANIZATION", ["Café d'Eva", "La Rose des Vents", "Les Hirondelles"])
    keyfile.add_pool("MUNICIPALITY", ["Val-de-Léa", "Valbrune-sur-Orge"])
    # nobody of the run is called Eva, Rose or Léa: the team's pools are taken in order
    namer = namer_with_first_names(pools, copy.deepcopy(keyfile), ())
    assert namer.realistic("ORGANIZATION", "Centre social Jean Moulin", "ORG-0001") == "Centre social Café d'Eva"
    assert namer.realistic("MUNICIPALITY", "Quimperlé", "COM-0001") == "Val-de-Léa"
    # a participant is called Eva, another Rose, another Léa: those entries are skipped,
    # short first names too
    namer = namer_with_first_names(pools, keyfile, ("eva", "rose", "lea"))
    assert namer.realistic("ORGANIZATION", "Centre social Jean Moulin", "ORG-0001") == \
        "Centre social Les Hirondelles"
    assert namer.realistic("MUNICIPALITY", "Quimperlé", "COM-0001") == "Valbrune-sur-Orge"
    # and no generated name has one of the first names written in the run
    first_names = {"olivier", "ariane", "rose", "lien"}  # words of the list of organisation names
    namer = namer_with_first_names(pools, KeyFile.create(), tuple(first_names))
    names = [namer.realistic("ORGANIZATION", "Association Les Lilas", f"ORG-{n:04d}") for n in range(1, 30)]
    assert not any(word in first_names for name in names for word in re.findall(r"\w+", fold(name)))


def test_realistic_commune_head_kept_unless_a_first_name_of_the_run(pools: Pools) -> None:
    corpus = (*CORPUS, "Billy-lès-Chanceaux", "Chanceaux")
    keyfile = KeyFile.create()
    kept = namer_with_first_names(pools, copy.deepcopy(keyfile), (), corpus)
    assert kept.realistic("MUNICIPALITY", "Billy-lès-Chanceaux", "COM-0001").startswith("Billy-lès-")
    twin = copy.deepcopy(keyfile)
    name = namer_with_first_names(pools, keyfile, ("billy",), corpus).realistic(
        "MUNICIPALITY", "Billy-lès-Chanceaux", "COM-0001")
    assert "-lès-" in name and "billy" not in fold(name)
    # deterministic: the same key file and inputs give the same head
    assert namer_with_first_names(pools, twin, ("billy",), corpus).realistic(
        "MUNICIPALITY", "Billy-lès-Chanceaux", "COM-0001") == name


@pytest.mark.parametrize(("canonical", "shape", "article"), [
    ("Les Tisserands", "", "Les "),  # the name's own article
    ("Le Comptoir Kervec", "", "Le "),
    ("Association La Clairière", "", "La "),  # after a kind word, the name's own article still
    ("Clairière", "F", "La "),  # no article of its own: the one before it in the text ("avec la Clairière")
    ("Tisserands", "P", "Les "),
    ("Hermine", "E", "L'"),
])
def test_realistic_organisation_name_has_the_gender_and_number_of_the_original(
        pools: Pools, canonical: str, shape: str, article: str) -> None:
    for number in range(1, 13):  # whatever the draw
        entity_id = f"ORG-{number:04d}"
        name = namer_for(pools).realistic("ORGANIZATION", canonical, entity_id, shape=shape)
        body = name.split(" ", 1)[1] if " " in canonical and not canonical.startswith(("Le ", "Les ")) else name
        assert body.startswith(article), (canonical, name)


def test_realistic_organisation_after_a_kind_word_without_an_article_draws_from_every_name(pools: Pools) -> None:
    # the kind word carries the agreement ("la SCOP Arbreval a ouvert"): any name of the list fits
    names = {namer_for(pools).realistic("ORGANIZATION", "SCOP Arbreval", f"ORG-{n:04d}", shape="F")
             for n in range(1, 30)}
    assert {re.match(r"SCOP (La |Le |Les |L'|)", n).group(1) for n in names} >= {"La ", "Le ", "Les ", "L'"}


def test_realistic_organisation_of_a_shape_all_used_adds_a_place(pools: Pools) -> None:
    namer = namer_for(pools)
    feminine = [n for n in namer.rules.org_names if n.startswith("La ")]
    namer.used.update(fold(n) for n in feminine)
    name = namer.realistic("ORGANIZATION", "Clairière", "ORG-0001", shape="F")
    assert name.startswith("La ") and name not in feminine
