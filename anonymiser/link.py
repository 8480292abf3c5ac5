"""Linking (pure): spans of a corpus -> entities. Variants of one name or place become one.

Persons link by parsed name: a full name defines an entity; a surname alone, a first name
alone, initials + surname, or a first name and an initial join the entity they fit (the first
one, in corpus order, when several fit). Other labels link by their folded form without a
leading article. Entities already in the key file are found through its keyed indexes (no
original is needed), so
their ids and pseudonyms are reused.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Protocol

from anonymiser.model import Entity, Span
from anonymiser.text.fold import fold, fold_key
from anonymiser.text.names import PersonName, as_surname, parse_name

if TYPE_CHECKING:
    from anonymiser.config.rules import Config

_ARTICLE = re.compile(r"^(?:l'|la |le |les |l’)", re.IGNORECASE)
CONTACT_LABELS = frozenset({"EMAIL_ADDRESS", "PHONE_NUMBER", "URL", "ADDRESS"})


class KnownEntities(Protocol):
    """What linking needs from the key file: keyed look-ups, never originals."""

    @property
    def entities(self) -> Mapping[str, Entity]: ...

    def entities_for_key(self, key: str) -> list[str]: ...


def surface_keys(label: str, surface: str) -> list[str]:
    """Linking keys of a surface form: exact folded form, and without a leading article."""
    return list(dict.fromkeys([f"form:{label}|{fold_key(surface)}", f"form:{label}|{form_key(label, surface)}"]))


def form_key(label: str, surface: str) -> str:
    """The linking key of a non-person form: folded, without a leading article."""
    return _ARTICLE.sub("", fold_key(surface))


def person_keys(name: PersonName) -> list[str]:
    """Keys under which a person is found: full name, surname, first name, initial + surname."""
    keys = []
    if name.first and name.last:
        keys += [f"full:{name.first}|{name.last}", f"initial:{name.first[0]}|{name.last}"]
    if name.last:
        keys.append(f"last:{name.last}")
    if name.first:
        keys.append(f"first:{name.first}")
    return keys


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


def _first_name(cluster: Cluster) -> str:
    """The first name of a person cluster ("" without one; the index holds persons only)."""
    return cluster.name.first if cluster.name is not None else ""


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
        if name.first and name.last_initial:
            # "Danièle V.": the Danièle whose surname starts so, else one named so
            fitting = [i for i in self.by_first.get(name.first, []) if (other := clusters[i].name) is not None
                       and other.last[:1] == name.last_initial and not other.last_initial]
            return fitting[0] if fitting else self.full.get((name.first, name.last))
        if name.first and name.last:
            return self.full.get((name.first, name.last))
        if name.last:
            candidates = self.by_last.get(name.last, [])
            if name.initials:
                # "R. L." is no Brigitte L.: initials that another first name contradicts link to no one
                fitting = [i for i in candidates
                           if (first := _first_name(clusters[i])) and first[0] == name.initials[0]]
                candidates = fitting or [i for i in candidates if not _first_name(clusters[i])]
            return candidates[0] if candidates else None
        if name.first:
            candidates = self.by_first.get(name.first, [])
            return candidates[0] if candidates else None
        return None


def _known_entity(known: KnownEntities, label: str, surface: str, name: PersonName | None,
                  bare: str = "", document: str = "") -> str | None:
    """The key file's entity of a mention. When a form belongs to several, the one first seen in
    the mention's document, as the run that recorded them linked it ("Robin" alone, a first name
    in one document and Maëlle Robin's surname in another)."""
    keys = (surface_keys(label, surface) if surface else []) + (surface_keys(label, bare) if bare else [])
    if name is not None:
        if name.first and name.last:
            keys.append(f"full:{name.first}|{name.last}")
        elif name.last and name.initials:
            keys += [f"initial:{name.initials[0]}|{name.last}", f"last:{name.last}"]
        elif name.last:
            keys.append(f"last:{name.last}")
        elif name.first:
            keys.append(f"first:{name.first}")
    for key in keys:
        found = [e for e in known.entities_for_key(key) if known.entities[e].label == label]
        if found:
            return next((e for e in found if known.entities[e].first_document == document), found[0])
    return None


def _known_surname(known: KnownEntities, label: str, surface: str) -> str | None:
    """A titled surname ("M. Gauthier") the key file holds as a one-word form: the entity a past
    run made of it, named by one-word forms only, never a full name whose first name it is
    ("Gauthier Morel"). The key file indexes the form as a first name's when the lexicon knows
    one, so without this every run made the titled surname a new entity."""
    for key in surface_keys(label, surface):
        for entity_id in known.entities_for_key(key):
            entity = known.entities[entity_id]
            if entity.label == label and all(len(v.split()) == 1 for v in entity.variants):
                return entity_id
    return None


def link(
    mentions: Iterable[tuple[str, Span]],
    known: KnownEntities | None,
    *,
    first_names: frozenset[str],
    bare_name: Callable[[str], str] | None = None,
    titled: frozenset[tuple[str, int, int]] = frozenset(),
) -> Linked:
    """Group ``(document id, span)`` mentions into clusters, reusing ``known`` entities.
    ``bare_name`` gives an organisation's name without its kind word ("SCOP La Clairière" ->
    "La Clairière", "" when there is none): the two forms are one organisation. ``titled``:
    the ``(document id, start, end)`` of person mentions after a civility or title, whose one
    word is a surname even when it is also a first name ("M. Martin")."""
    mentions = list(mentions)
    clusters: list[Cluster] = []
    persons = _PersonIndex()
    forms: dict[tuple[str, str], int] = {}
    known_clusters: dict[str, int] = {}

    def bare(label: str, surface: str) -> str:
        return bare_name(surface) if bare_name is not None and label == "ORGANIZATION" else ""

    def register(index: int, label: str, surface: str, name: PersonName | None) -> None:
        forms.setdefault((label, fold_key(surface)), index)
        if name is not None:
            persons.add(index, name)
        else:
            forms.setdefault((label, form_key(label, surface)), index)
            if short := bare(label, surface):
                forms.setdefault((label, form_key(label, short)), index)

    def known_cluster(entities: KnownEntities, entity_id: str) -> int:
        if entity_id not in known_clusters:
            entity = entities.entities[entity_id]
            clusters.append(Cluster(entity.label, entity.canonical, [], entity.first_document, entity_id,
                                    parse_name(entity.canonical, first_names)
                                    if entity.label == "PERSON" and entity.canonical else None))
            known_clusters[entity_id] = len(clusters) - 1
        return known_clusters[entity_id]

    # Full person names first, so that partial forms can join them wherever they appear (each
    # group in corpus order: positions only, a long text has hundreds of thousands of mentions)
    def partial(span: Span) -> bool:
        if span.label != "PERSON":
            return False
        name = parse_name(span.text, first_names)
        return not (name.first and name.last) or bool(name.last_initial)

    first: list[int] = []
    later: list[int] = []
    for position, (_doc, span) in enumerate(mentions):
        (later if partial(span) else first).append(position)
    assigned = [0] * len(mentions)  # position -> cluster index
    for position in itertools.chain(first, later):
        document, span = mentions[position]
        name = parse_name(span.text, first_names) if span.label == "PERSON" else None
        # "M. Martin": a surname, found by its name only (the form "Martin" may be a first name's)
        surname = name is not None and (document, span.start, span.end) in titled and as_surname(name) != name
        if surname and name is not None:
            name = as_surname(name)
        index = None
        if known is not None:
            entity_id = _known_entity(known, span.label, "" if surname else span.text, name,
                                      bare(span.label, span.text), document)
            if entity_id is None and surname:
                entity_id = _known_surname(known, span.label, span.text)
            if entity_id is not None:
                index = known_cluster(known, entity_id)
        if index is None and not surname:
            index = forms.get((span.label, fold_key(span.text)))
        if index is None and name is None:
            index = forms.get((span.label, form_key(span.label, span.text)))
        if index is None and (short := bare(span.label, span.text)):
            index = forms.get((span.label, form_key(span.label, short)))
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
            if not cluster.entity_id:
                cluster.canonical = span.text
        if name is not None and cluster.name is None:
            cluster.name = name
        if surname and name is not None:
            persons.add(index, name)
        else:
            register(index, span.label, span.text, name)
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
    alone (and in upper case) when it is not an ordinary word, and first name."""
    forms = _variant_forms_remembered if isinstance(first_names, frozenset) \
        and isinstance(common_words, frozenset) else _variant_forms
    out: list[str] = []
    for variant in variants:
        out += forms(entity_label == "PERSON", variant, first_names, common_words)
    return list(dict.fromkeys(out))


def _variant_forms(person: bool, variant: str, first_names: frozenset[str],
                   common_words: frozenset[str]) -> tuple[str, ...]:
    """``person_forms`` of one variant (a run asks for the same ones again and again)."""
    if sum(c.isalnum() for c in variant) < 2:
        return ()
    if not person:
        return (variant,)
    out = [variant]
    name = parse_name(variant, first_names)
    last = name.last_surface
    if last and len(last) >= 3 and last.lower() not in common_words:
        out += [last, last.upper()]
    if name.first_surface and name.last_surface:
        out.append(name.first_surface)
    return tuple(out)


_variant_forms_remembered = lru_cache(maxsize=1 << 16)(_variant_forms)


@dataclass(frozen=True)
class FormPolicy:
    """Which forms may be spread over the corpus, and with which flags (pure data)."""

    first_names: frozenset[str]
    common_words: frozenset[str]
    generic_words: frozenset[str]  # folded heads, stop words, interviewer labels
    generic_acronyms: frozenset[str]
    # corpus propagation (rules/propagation.yaml): what is never spread, what is evidence
    markers: frozenset[str] = frozenset()  # folded civilities, titles, interviewer labels, corpus markers
    marker_pattern: re.Pattern[str] | None = None
    min_letters: int = 0
    min_places: int = 2
    strong_rules: frozenset[str] = frozenset()
    strong_prefixes: tuple[str, ...] = ()
    name_rules: frozenset[str] = frozenset()  # their lower-case group names are spread bare

    @classmethod
    def from_config(cls, config: Config) -> FormPolicy:
        from anonymiser.text.names import first_name_keys

        generic = frozenset(fold(w) for w in (*config.org_heads, *config.role_heads, *config.ner_stoplist,
                                              *config.interviewer_labels, *config.role_domain_heads))
        rules = config.propagation
        markers = frozenset(fold_key(w).rstrip(".") for w in (*config.civilities, *config.interviewer_labels,
                                                               *rules.markers))
        pattern = re.compile("|".join(f"(?:{p})" for p in rules.marker_patterns)) if rules.marker_patterns else None
        return cls(first_name_keys(config.first_names, (*config.function_words, *config.particles)),
                   config.common_words, generic, config.generic_acronyms, markers, pattern, rules.min_letters,
                   rules.min_places, frozenset(r for r in rules.strong_rules if not r.endswith("*")),
                   tuple(r[:-1] for r in rules.strong_rules if r.endswith("*")), frozenset(rules.name_rules))

    def strong(self, rule: str) -> bool:
        """Whether one detection by ``rule`` is enough to spread its form."""
        return rule in self.strong_rules or rule.startswith(self.strong_prefixes)

    def never_spread(self, form: str, label: str) -> bool:
        """A civility or title ("Dr", "Mme"), a corpus marker ("ENQ", "417PERS") or a form
        of fewer than ``min_letters`` letters ("A.P.L") is never searched corpus-wide,
        whatever found it (contacts excepted)."""
        if label in CONTACT_LABELS:
            return False
        if sum(map(str.isalpha, form)) < self.min_letters or fold_key(form).rstrip(".") in self.markers:
            return True
        return self.marker_pattern is not None and self.marker_pattern.search(form.strip()) is not None

    def spreadable(self, form: str, label: str) -> bool:
        """Lower-case forms, a generic head alone ("SCIC", "conseillère") and a single
        ordinary word (for roles and organisations) are not spread."""
        if label in CONTACT_LABELS:
            return True
        if not form[:1].isupper():
            return False
        if " " in form.strip():
            return True
        if fold(form) in self.generic_words or form in self.generic_acronyms:
            return False
        return label in {"PERSON", "MUNICIPALITY", "LOCATION"} or form.lower() not in self.common_words

    def flags(self, form: str) -> str:
        flags = ""
        if form[:1].isupper():
            flags += "c"
        if " " not in form.strip() and form.lower() in self.common_words:
            flags += "w"
        return flags

    def index_entries(self, label: str, surfaces: Iterable[str]) -> tuple[list[tuple[str, str]], list[str]]:
        """Forms (with flags) to find an entity in any text, and linking keys, under which
        it is indexed in the key file."""
        surfaces = list(surfaces)
        forms = [(f, self.flags(f)) for f in person_forms(label, surfaces, self.first_names, self.common_words)
                 if self.spreadable(f, label)]
        keys: list[str] = []
        for surface in surfaces:
            keys += surface_keys(label, surface)
            if label == "PERSON":
                keys += person_keys(parse_name(surface, self.first_names))
        return forms, list(dict.fromkeys(keys))
