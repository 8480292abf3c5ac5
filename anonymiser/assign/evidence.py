"""Evidence per entity (pure): the entities of a run that rest on weak rules only get their
label's neutral generalisation ("une structure", "une personne") instead of a proper name.

A mention is weak when the rule that found it is one of ``neutral.weak_rules`` of its label
(``rules/pseudonyms.yaml``); a form found through the key file says nothing by itself. An
entity is neutral when all of its mentions in the run are weak, no civility stands before any
of them ("Mme Kerbrat" is a person), no first name of the lexicon is in its name (for a
person) and no earlier run found it by a surer rule; the team's own entities never are.
The phrase is kept in the key file (the ``neutral`` attribute), so a pseudonymising run,
which cannot read the original, writes it too; a later run that finds the entity by a surer
rule clears it, and from then on the entity gets its pseudonym (drawn when it was created).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from anonymiser.config.rules import PseudonymRules
from anonymiser.link import Linked
from anonymiser.model import Entity

NEUTRAL = "neutral"  # the entity attribute that holds the phrase ("" once cleared)
KNOWN_FORM = "key.known_form"  # the rule id of a form found through the key file


def weak_clusters(linked: Linked, rules: PseudonymRules, entities: Mapping[str, Entity],
                  civility: Mapping[int, str]) -> set[int]:
    """Indexes of the clusters of ``linked`` whose evidence is weak (see the module docstring).
    ``civility`` maps a cluster to the gender a civility before one of its mentions gives."""
    strong: set[int] = set()
    seen: set[int] = set()
    found_here: set[int] = set()  # clusters with a mention not found through the key file
    for _document, span, index in linked.mentions:
        seen.add(index)
        if span.recognizer != KNOWN_FORM:
            found_here.add(index)
        weak = rules.neutral_rules.get(span.label)
        if weak is None or (span.recognizer not in weak and span.recognizer != KNOWN_FORM) \
                or span.text.split(" ")[0] in rules.civility_gender:
            strong.add(index)  # a sure rule; a civility inside ("Mme Kerjean") names a person
    result = set()
    for index in sorted(seen - strong):
        cluster = linked.clusters[index]
        if cluster.label not in rules.neutral_rules or civility.get(index):
            continue
        if cluster.label == "PERSON" and cluster.name is not None and cluster.name.first:
            continue  # a first name of the lexicon is evidence of a person
        known = entities.get(cluster.entity_id) if cluster.entity_id else None
        if known is not None and (not known.attribute(NEUTRAL) or known.origin == "manual"
                                  or known.attribute("explicit")):
            continue  # found by a surer rule before, or the team's own
        if known is None and index not in found_here:  # every mention found through the key file
            continue
        result.add(index)
    return result


def neutral_attributes(linked: Linked, ids: Mapping[int, str], weak: set[int], rules: PseudonymRules,
                       entities: Mapping[str, Entity],
                       kind: Callable[[str], str]) -> dict[str, dict[str, str]]:
    """Entity id -> the attributes to set: the neutral phrase of a weak entity, "" for one that
    is no longer weak. An organisation's phrase is its kind (``kind(canonical)``: "une
    association"); one whose kind no head word tells keeps its pseudonym (a capitalised run is
    more often a place or a person than a generic phrase: "une structure" would then mislead)."""
    changes: dict[str, dict[str, str]] = {}
    for index, cluster in enumerate(linked.clusters):
        entity_id = ids.get(index)
        if entity_id is None:
            continue
        current = entities[entity_id].attribute(NEUTRAL) if entity_id in entities else ""
        if index in weak:
            if not current:
                if cluster.label == "ORGANIZATION":
                    phrase = kind(cluster.canonical) if cluster.canonical else ""
                else:
                    phrase = rules.neutral_phrases[cluster.label]
                if phrase:
                    changes[entity_id] = {NEUTRAL: phrase}
        elif current and index in {i for _d, _s, i in linked.mentions}:
            changes[entity_id] = {NEUTRAL: ""}
    return changes
