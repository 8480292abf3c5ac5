"""assign/evidence.py: entities found by weak rules only get their label's neutral phrase;
a civility, a first name, a surer rule now or in an earlier run, or the team keep the pseudonym."""

from __future__ import annotations

from dataclasses import replace

import pytest

from anonymiser.assign.evidence import NEUTRAL, neutral_attributes, weak_clusters
from anonymiser.config.rules import Config, PseudonymRules
from anonymiser.link import Cluster, Linked
from anonymiser.model import Entity, Span
from anonymiser.text.names import parse_name


@pytest.fixture(scope="module")
def rules(config: Config) -> PseudonymRules:
    """The bundled rules, with one weak rule for persons (the bundled rules have none)."""
    bundled = config.pseudonym_rules
    assert bundled.neutral_rules["PERSON"] == frozenset()
    return replace(bundled, neutral_rules={**bundled.neutral_rules, "PERSON": frozenset({"fr.ner.spacy.person"})})


def mention(text: str, label: str, rule: str) -> Span:
    return Span(0, len(text), label, text, 0.6, rule)


def linked(*items: tuple[str, str, str], entity_ids: dict[int, str] | None = None) -> Linked:
    """One cluster per distinct (text, label); ``items`` are (text, label, rule) mentions."""
    clusters: list[Cluster] = []
    index: dict[tuple[str, str], int] = {}
    mentions = []
    for text, label, rule in items:
        key = (text, label)
        if key not in index:
            name = parse_name(text, frozenset({"nadia"})) if label == "PERSON" else None
            entity_id = (entity_ids or {}).get(len(clusters), "")
            clusters.append(Cluster(label, text, [text], "d", entity_id, name))
            index[key] = len(clusters) - 1
        mentions.append(("d", mention(text, label, rule), index[key]))
    return Linked(tuple(clusters), tuple(mentions))


def test_evidence_weak_rules_only(rules: PseudonymRules) -> None:
    found = linked(("Terre et Partage", "ORGANIZATION", "fr.org.capitalised_run"),
                   ("Fondation Arbreval", "ORGANIZATION", "fr.org.head_name"),
                   ("la Bergerie", "LOCATION", "fr.location.article_name"),
                   ("Kerjean", "PERSON", "fr.ner.spacy.person"),
                   ("Quimperlé", "MUNICIPALITY", "fr.municipality.gazetteer"))
    assert weak_clusters(found, rules, {}, {}) == {0, 2, 3}


def test_evidence_one_sure_mention_is_enough(rules: PseudonymRules) -> None:
    found = linked(("Kerjean", "PERSON", "fr.ner.spacy.person"), ("Kerjean", "PERSON", "fr.person.civility_surname"))
    assert weak_clusters(found, rules, {}, {}) == set()


def test_evidence_civility_and_first_name(rules: PseudonymRules) -> None:
    found = linked(("Kerjean", "PERSON", "fr.ner.spacy.person"), ("Nadia", "PERSON", "fr.ner.spacy.person"))
    assert weak_clusters(found, rules, {}, {0: "F"}) == set()  # "Mme Kerjean"; "Nadia" is a first name


def test_evidence_an_earlier_run_decides_for_a_known_entity(rules: PseudonymRules) -> None:
    sure = Entity("PER-0001", "PERSON", "", (), "Lise Capon")
    weak = replace(sure, id="PER-0002", attributes=((NEUTRAL, "une personne"),))
    manual = replace(weak, id="PER-0003", origin="manual")
    found = linked(("Kerjean", "PERSON", "key.known_form"), ("Quéméner", "PERSON", "fr.ner.spacy.person"),
                   ("Le Bris", "PERSON", "fr.ner.spacy.person"),
                   entity_ids={0: "PER-0001", 1: "PER-0002", 2: "PER-0003"})
    entities = {e.id: e for e in (sure, weak, manual)}
    assert weak_clusters(found, rules, entities, {}) == {1}


def test_evidence_neutral_attributes_set_and_cleared(rules: PseudonymRules) -> None:
    found = linked(("Association Vélo Cité", "ORGANIZATION", "fr.org.head_lower"),
                   ("Terre et Partage", "ORGANIZATION", "fr.org.capitalised_run"),
                   ("Kerjean", "PERSON", "fr.person.civility_surname"),
                   ("Quéméner", "PERSON", "fr.ner.spacy.person"))
    was_weak = Entity("PER-0001", "PERSON", "", (), "Lise Capon", attributes=((NEUTRAL, "une personne"),))
    entities = {"ORG-0001": Entity("ORG-0001", "ORGANIZATION", "", (), "x"),
                "ORG-0002": Entity("ORG-0002", "ORGANIZATION", "", (), "y"), "PER-0001": was_weak,
                "PER-0002": Entity("PER-0002", "PERSON", "", (), "z")}
    ids = {0: "ORG-0001", 1: "ORG-0002", 2: "PER-0001", 3: "PER-0002"}
    kinds = {"Association Vélo Cité": "une association"}
    changes = neutral_attributes(found, ids, {0, 1, 3}, rules, entities, lambda name: kinds.get(name, ""))
    # an organisation without a known kind keeps its pseudonym
    assert changes == {"ORG-0001": {NEUTRAL: "une association"}, "PER-0001": {NEUTRAL: ""},
                       "PER-0002": {NEUTRAL: "une personne"}}


def test_evidence_a_civility_inside_the_mention(rules: PseudonymRules) -> None:
    found = linked(("Mme Kerjean", "ORGANIZATION", "fr.org.capitalised_run"))
    assert weak_clusters(found, rules, {}, {}) == set()
