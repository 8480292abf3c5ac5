"""Assign (the only stage that writes to the key file): new entities get an id and a pseudonym.

Every entity gets its *realistic* pseudonym when it is created, whatever the strategy of
the run (``tag``, ``generalise`` and ``redact`` are computed when rendering, from the id
and the original), so that a later run may switch strategy without remapping anything.
Persons are named by ``persons``, places, organisations and roles by ``realistic``, from
the ``pools``, never colliding with a real form. Seeds depend only on the key file's secret
and the entity id, so pseudonyms depend only on the key file and order of first appearance.

No word of a new pseudonym is a real first name of the run (``Reserved.names_a_person``). A
pseudonym the key file already records is kept all the same when a later run brings a real
first name that is one of its words, for every label as for persons: an entity keeps its one
pseudonym in every document, old and new; only the pseudonyms created afterwards avoid it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from anonymiser.assign.persons import gender_of, new_person, person_parts
from anonymiser.assign.pools import Pools, reserved_words
from anonymiser.assign.realistic import REALISTIC_LABELS, Namer
from anonymiser.config.rules import Config
from anonymiser.keys.draft import Keys
from anonymiser.link import Linked
from anonymiser.model import Entity
from anonymiser.text.fold import fold, fold_key


def assign(linked: Linked, keyfile: Keys, config: Config, pools: Pools,
           first_names: frozenset[str], *, hints: dict[int, str] | None = None,
           articles: dict[int, str] | None = None, run_words: Iterable[str] = ()) -> dict[int, str]:
    """Give every cluster an entity id; create new entities in ``keyfile``. Returns cluster -> id.

    ``hints`` maps a cluster index to the gender its civility gives ("Mme Marchal": F);
    ``articles``, an organisation's to what the article before it says («la Clairière»: F; see
    ``text.grammar.article_shape``): its pseudonym takes an article of the same gender and number;
    ``run_words`` are more real words of the run that no pseudonym may be (the first names
    written in its texts, detected or not).
    """
    hints = hints or {}
    reserved = reserved_words(linked.clusters, keyfile, run_words)
    namer = Namer(keyfile, pools, reserved, places={
        fold_key(v) for c in linked.clusters if c.label == "MUNICIPALITY" for v in (c.canonical, *c.variants)})
    used_last: dict[str, str] = {fold(person_parts(e)[1]): "" for e in keyfile.entities.values()
                                 if e.label == "PERSON"}
    used_first = {fold(person_parts(e)[0]) for e in keyfile.entities.values() if e.label == "PERSON"}
    real_to_pseudo_last: dict[str, str] = {}  # real surname (folded) -> pseudonymous one, this run

    def shared_last(real_last: str) -> str | None:
        """Persons who share a real surname share the pseudonymous one (found in the key file
        by keyed hash of the surname)."""
        if real_last in real_to_pseudo_last:
            return real_to_pseudo_last[real_last]
        for known_id in keyfile.entities_for_key(f"last:{real_last}"):
            if keyfile.entities[known_id].label == "PERSON":
                return person_parts(keyfile.entities[known_id])[1]
        return None

    result: dict[int, str] = {}
    for index, cluster in enumerate(linked.clusters):
        variants = tuple(dict.fromkeys((*cluster.variants,)))
        entity_id = cluster.entity_id or namer.find(cluster.label, (cluster.canonical, *variants))
        if entity_id:
            namer.complete(entity_id)
            keyfile.add(_with_variants(keyfile.entities[entity_id], variants))
            namer.index(keyfile.entities[entity_id])
            result[index] = entity_id
            continue
        entity_id = keyfile.new_id(cluster.label)
        attributes: tuple[tuple[str, str], ...] = ()
        if cluster.label == "PERSON":
            gender = gender_of(cluster, config, hints.get(index, ""))
            name = cluster.name
            real_last = name.last if name else ""
            first_surface = name.first_surface.split()[0] if name and name.first_surface else ""
            decade = pools.decades.get(first_surface) or pools.decades.get(first_surface.title(), "")
            compound = bool(name and ("-" in name.first_surface or len(name.initials) > 1))
            first, last = new_person(keyfile, entity_id, gender, decade, compound, pools, reserved,
                                      namer.used, used_last,
                                      shared_last(real_last) if real_last else None, used_first)
            if real_last:
                real_to_pseudo_last.setdefault(real_last, last)
            used_last[fold(last)] = real_last
            used_first.add(fold(first))
            pseudonym = f"{first} {last}"
            attributes = (("first", first), ("gender", gender), ("last", last))
            if decade:
                attributes += (("decade", decade),)
        elif cluster.label in REALISTIC_LABELS:
            pseudonym = namer.realistic(cluster.label, cluster.canonical, entity_id,
                                        shape=(articles or {}).get(index, ""))
        else:
            number = entity_id.split("-")[1].lstrip("0") or "0"
            pseudonym = f"[{config.tags.get(cluster.label, cluster.label)}_{number}]"
        namer.used.add(fold(pseudonym))
        entity = Entity(
            id=entity_id, label=cluster.label, canonical=cluster.canonical, variants=variants,
            pseudonym=pseudonym, origin="detected", first_document=cluster.first_document,
            attributes=tuple(sorted(attributes)),
        )
        keyfile.add(entity)
        namer.index(entity)
        result[index] = entity_id
    return result


def _with_variants(entity: Entity, variants: tuple[str, ...]) -> Entity:
    return replace(entity, variants=tuple(dict.fromkeys(entity.variants + variants)))

