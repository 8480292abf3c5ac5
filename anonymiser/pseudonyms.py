"""Assign (the only stage that writes to the key file): new entities get an id and a pseudonym.

Person pseudonyms are plausible French names of the same gender, drawn from the INSEE
lexicons with a seed derived from the key file's secret and the entity id, so they depend
only on the key file and the order of first appearance. A pseudonym is never the name of
another entity of the corpus, and two entities never share one (persons who share a real
surname share a pseudonymous one). Other labels get a numbered tag, ``[COMMUNE_3]``.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

from .config import Config
from .keyfile import KeyFile
from .link import Cluster, Linked
from .model import Entity
from .textnorm import fold

POOL_RANK = 400  # first names: the most given of each gender
SURNAME_POOL = 4000


@dataclass(frozen=True)
class Pools:
    first: dict[str, tuple[str, ...]]  # gender -> names
    surnames: tuple[str, ...]

    @classmethod
    def from_config(cls, config: Config, ranks: dict[str, int] | None = None) -> "Pools":
        by_gender: dict[str, list[str]] = {"F": [], "M": [], "X": []}
        for name, gender in config.first_names.items():
            if name.isalpha() or "-" in name:
                by_gender.setdefault(gender, []).append(name)
        first = {g: tuple(sorted(names)) for g, names in by_gender.items()}
        popular = {g: names[:] for g, names in first.items()}
        if ranks:
            popular = {g: tuple(sorted((n for n in names if ranks.get(n, 10**9) <= POOL_RANK))) or names
                       for g, names in first.items()}
        surnames = tuple(s.title() if s.isupper() else s for s in config.surnames[:SURNAME_POOL])
        return cls(first={g: tuple(v) for g, v in popular.items()}, surnames=surnames)


def gender_of(cluster: Cluster, config: Config) -> str:
    if cluster.name and cluster.name.first_surface:
        first = cluster.name.first_surface.split()[0]
        for key in (first, first.title()):
            if key in config.first_names:
                return config.first_names[key]
    return "X"


def reserved_words(clusters: Iterable[Cluster]) -> set[str]:
    """Folded words and forms of the run's entities (the key file's are checked by hash)."""
    words: set[str] = set()
    for cluster in clusters:
        for variant in (cluster.canonical, *cluster.variants):
            words.add(fold(variant))
            words.update(fold(variant).split())
    return words


def person_parts(entity: Entity) -> tuple[str, str]:
    """(first, last) of a person pseudonym; manual pseudonyms are split on the last space."""
    first, last = entity.attribute("first"), entity.attribute("last")
    if first and last:
        return first, last
    pieces = entity.pseudonym.rsplit(" ", 1)
    return (pieces[0], pieces[1]) if len(pieces) == 2 else (pieces[0], pieces[0])


def assign(linked: Linked, keyfile: KeyFile, config: Config, pools: Pools,
           first_names: frozenset[str]) -> dict[int, str]:
    """Give every cluster an entity id; create new entities in ``keyfile``. Returns cluster -> id."""
    run_words = reserved_words(linked.clusters)

    def reserved(word: str) -> bool:
        """A real form of the corpus or key file, whole or in part ("Anne" in "Anne-Laure")."""
        parts = [fold(word), *fold(word).split()]
        return any(p in run_words or keyfile.is_real_word(p) for p in parts)

    used = {fold(p) for p in keyfile.pseudonyms()}
    used_last = {fold(person_parts(e)[1]) for e in keyfile.entities.values() if e.label == "PERSON"}
    run_last: dict[str, str] = {}  # real surname (folded) -> pseudonymous surname, this run

    def shared_last(real_last: str) -> str | None:
        if real_last in run_last:
            return run_last[real_last]
        for entity_id in keyfile.entities_for_key(f"last:{real_last}"):
            entity = keyfile.entities[entity_id]
            if entity.label == "PERSON":
                return person_parts(entity)[1]
        return None

    result: dict[int, str] = {}
    for index, cluster in enumerate(linked.clusters):
        variants = tuple(dict.fromkeys(cluster.variants))
        if cluster.entity_id:
            keyfile.add(replace(keyfile.entities[cluster.entity_id], variants=variants))
            result[index] = cluster.entity_id
            continue
        entity_id = keyfile.new_id(cluster.label)
        attributes: tuple[tuple[str, str], ...] = ()
        if cluster.label == "PERSON":
            gender = gender_of(cluster, config)
            real_last = cluster.name.last if cluster.name else ""
            first, last = _new_person(keyfile, entity_id, gender, pools, reserved, used, used_last,
                                      shared_last(real_last) if real_last else None)
            if real_last:
                run_last.setdefault(real_last, last)
            used_last.add(fold(last))
            pseudonym = f"{first} {last}"
            attributes = (("first", first), ("gender", gender), ("last", last))
        else:
            number = entity_id.split("-")[1].lstrip("0") or "0"
            pseudonym = f"[{config.tags.get(cluster.label, cluster.label)}_{number}]"
        used.add(fold(pseudonym))
        keyfile.add(Entity(
            id=entity_id, label=cluster.label, canonical=cluster.canonical, variants=variants,
            pseudonym=pseudonym, origin="detected", first_document=cluster.first_document,
            attributes=attributes,
        ))
        result[index] = entity_id
    return result


def _new_person(keyfile: KeyFile, entity_id: str, gender: str, pools: Pools, reserved: Callable[[str], bool],
                used: set[str], used_last: set[str], shared_last: str | None) -> tuple[str, str]:
    names = pools.first.get(gender) or pools.first["F"] + pools.first["M"]
    if gender == "X":
        names = pools.first.get("X", ()) + pools.first["F"] + pools.first["M"]
    for attempt in range(1000):
        rng = random.Random(keyfile.seed("PERSON", entity_id, str(attempt)))
        first = rng.choice(names)
        last = shared_last or rng.choice(pools.surnames)
        if reserved(first) or (not shared_last and reserved(last)):
            continue
        if not shared_last and fold(last) in used_last:
            continue
        if fold(f"{first} {last}") in used:
            continue
        return first, last
    # pools exhausted (tiny custom pools): fall back to a numbered, still unique, name
    return "Personne", f"{entity_id.split('-')[1]}"
