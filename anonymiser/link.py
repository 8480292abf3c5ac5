"""Linking (pure): spans of a corpus -> entities. Variants of one name or place become one.

Persons link by parsed name: a full name defines an entity; a surname alone, a first name
alone, or initials + surname join the entity they fit (the first one, in corpus order, when
several fit). Other labels link by their folded form without a leading article. Entities
already in the key file come first, so their ids and pseudonyms are reused.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from .model import Entity, Span
from .names import PersonName, parse_name
from .textnorm import fold_key

_ARTICLE = re.compile(r"^(?:l'|la |le |les |l’)", re.IGNORECASE)


def form_key(label: str, surface: str) -> str:
    """The linking key of a non-person form: folded, without a leading article."""
    return _ARTICLE.sub("", fold_key(surface))


@dataclass
class Cluster:
    """An entity being built: known (``entity_id`` set) or new."""

    label: str
    canonical: str
    variants: list[str] = field(default_factory=list)
    first_document: str = ""
    entity_id: str = ""
    name: PersonName | None = None

    def add_variant(self, surface: str) -> None:
        if surface not in self.variants:
            self.variants.append(surface)


@dataclass(frozen=True)
class Linked:
    """The result of linking: clusters, and for each (document, span) its cluster index."""

    clusters: tuple[Cluster, ...]
    mentions: tuple[tuple[str, Span, int], ...]


class _PersonIndex:
    def __init__(self) -> None:
        self.full: dict[tuple[str, str], int] = {}
        self.by_last: dict[str, list[int]] = {}
        self.by_first: dict[str, list[int]] = {}

    def add(self, index: int, name: PersonName) -> None:
        if name.first and name.last:
            self.full.setdefault((name.first, name.last), index)
        if name.last:
            self.by_last.setdefault(name.last, []).append(index)
        if name.first:
            self.by_first.setdefault(name.first, []).append(index)

    def find(self, name: PersonName, clusters: Sequence[Cluster]) -> int | None:
        if name.first and name.last:
            return self.full.get((name.first, name.last))
        if name.last:
            candidates = self.by_last.get(name.last, [])
            if name.initials:
                fitting = [i for i in candidates
                           if clusters[i].name and clusters[i].name.first  # type: ignore[union-attr]
                           and clusters[i].name.first[0] == name.initials[0]]  # type: ignore[union-attr]
                candidates = fitting or [i for i in candidates if not clusters[i].name.first] or candidates  # type: ignore[union-attr]
            return candidates[0] if candidates else None
        if name.first:
            candidates = self.by_first.get(name.first, [])
            return candidates[0] if candidates else None
        return None


def link(
    mentions: Iterable[tuple[str, Span]],
    known: Iterable[Entity],
    *,
    first_names: frozenset[str],
) -> Linked:
    """Group ``(document id, span)`` mentions into clusters, reusing ``known`` entities."""
    mentions = list(mentions)
    clusters: list[Cluster] = []
    persons = _PersonIndex()
    forms: dict[tuple[str, str], int] = {}

    def register(index: int, label: str, surface: str) -> None:
        forms.setdefault((label, fold_key(surface)), index)
        if label == "PERSON":
            persons.add(index, parse_name(surface, first_names))
        else:
            forms.setdefault((label, form_key(label, surface)), index)

    for entity in known:
        cluster = Cluster(entity.label, entity.canonical, list(entity.variants), entity.first_document,
                          entity.id, parse_name(entity.canonical, first_names) if entity.label == "PERSON" else None)
        clusters.append(cluster)
        for variant in (entity.canonical, *entity.variants):
            register(len(clusters) - 1, entity.label, variant)

    # Full person names first, so that partial forms can join them wherever they appear.
    def order(item: tuple[int, tuple[str, Span]]) -> tuple[int, int]:
        position, (_doc, span) = item
        if span.label == "PERSON":
            name = parse_name(span.text, first_names)
            return (0 if name.first and name.last else 1, position)
        return (0, position)

    assigned: dict[int, int] = {}
    for position, (document, span) in sorted(enumerate(mentions), key=order):
        index = forms.get((span.label, fold_key(span.text)))
        name = parse_name(span.text, first_names) if span.label == "PERSON" else None
        if index is None and span.label != "PERSON":
            index = forms.get((span.label, form_key(span.label, span.text)))
        if index is None and name is not None:
            index = persons.find(name, clusters)
        if index is None:
            clusters.append(Cluster(span.label, span.text, [], document, "", name))
            index = len(clusters) - 1
        cluster = clusters[index]
        cluster.add_variant(span.text)
        if name is not None and name.first and name.last and cluster.name is not None and not cluster.name.first:
            # a surname-only entity learns its full name
            cluster.name = name
            cluster.canonical = span.text
        register(index, span.label, span.text)
        assigned[position] = index

    # first_document follows corpus order, whatever order linking visited mentions in
    for position, (document, _span) in enumerate(mentions):
        cluster = clusters[assigned[position]]
        if not cluster.entity_id and not cluster.first_document:
            cluster.first_document = document
    return Linked(tuple(clusters), tuple((doc, span, assigned[i]) for i, (doc, span) in enumerate(mentions)))


def person_forms(entity_label: str, variants: Iterable[str], first_names: frozenset[str],
                 common_words: frozenset[str]) -> list[str]:
    """Forms to look for elsewhere in the corpus: every variant, plus a person's surname
    alone (and in upper case) when it is not an ordinary word."""
    out: list[str] = []
    for variant in variants:
        if sum(c.isalnum() for c in variant) < 2:
            continue
        out.append(variant)
        if entity_label != "PERSON":
            continue
        name = parse_name(variant, first_names)
        last = name.last_surface
        if last and len(last) >= 3 and last.lower() not in common_words:
            out += [last, last.upper()]
        if name.first_surface and name.last_surface:
            out.append(name.first_surface)
    return list(dict.fromkeys(out))
