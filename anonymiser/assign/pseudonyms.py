"""Assign (the only stage that writes to the key file): new entities get an id and a pseudonym.

Every entity gets its *realistic* pseudonym when it is created, whatever the strategy of
the run (``tag``, ``generalise`` and ``redact`` are computed when rendering, from the id
and the original), so that a later run may switch strategy without remapping anything.

- Persons: a French first name of the same gender and, where the lexicon gives it, the
  same decade of popularity; a surname; persons who share a real surname share the
  pseudonymous one. Gender comes from the first name, else from the civility before a
  surname-only mention ("Mme Marchal").
- Places: invented names from toponymic parts (``rules/pseudonyms.yaml``), never a real
  commune; compositional ("Villeneuve-lès-Avignon" -> "Villeneuve-lès-Valmont" when
  "Avignon" -> "Valmont"): a component gets its own entity, so it keeps its pseudonym
  wherever it appears later.
- Organisations and roles keep their head and link words; a commune inside takes its
  commune pseudonym ("Ville d'Avignon" -> "Ville de Valmont"), any other name is drawn
  from the list of organisation names.

The team's pools in the key file come first (explicit pseudonyms win over everything);
pools never run dry (generation follows). A pseudonym is never the name of another entity
of the corpus, nor another entity's pseudonym. Seeds depend only on the key file's secret
and the entity id, so pseudonyms depend only on the key file and order of first appearance.
"""

from __future__ import annotations

import itertools
import random
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from anonymiser.config.rules import Config, PseudonymRules
from anonymiser.keys.store import KeyFile
from anonymiser.link import Cluster, Linked, form_key, surface_keys
from anonymiser.model import Entity
from anonymiser.text.fold import fold, fold_key
from anonymiser.text.grammar import OWN_ARTICLE
from anonymiser.text.phrases import bare, join_after, leading, split_role
from anonymiser.text.places import Gazetteer, invent_place, split_composed

POOL_RANK = 400  # first names when the decade is unknown: the most given of each gender
SURNAME_POOL = 4000
DRAWS = 50  # random draws before narrowing the candidates to those left (pseudonym generation)
REALISTIC_LABELS = frozenset({"PERSON", "ROLE", "ORGANIZATION", "MUNICIPALITY", "LOCATION"})
_TAG_FORM = re.compile(r"^\[[A-Z_]+_\d+\]$")
_LINK = re.compile(r"^(?: (?:de la |de l['’]|du |des |de |d['’]|à la |à l['’]|au |aux |à |en |sur |chez )| )",
                   re.IGNORECASE)


@dataclass(frozen=True)
class Pools:
    """What assignment draws from, built once per engine from the configuration."""

    first: dict[str, tuple[str, ...]]  # gender -> the most given names
    by_decade: dict[tuple[str, str], tuple[str, ...]]  # (gender, decade) -> names
    decades: dict[str, str]  # first name -> decade of popularity
    genders: dict[str, str]  # first name -> F/M/X (the whole lexicon)
    surnames: tuple[str, ...]
    gazetteer: Gazetteer
    rules: PseudonymRules
    org_heads: tuple[str, ...]
    org_prefixes: tuple[str, ...]
    org_suffixes: tuple[str, ...]
    place_nouns: tuple[str, ...]
    role_heads: tuple[str, ...]
    demonym_endings: tuple[str, ...] = ()

    @classmethod
    def from_config(cls, config: Config, ranks: dict[str, int] | None = None) -> "Pools":
        rules = config.pseudonym_rules
        info = config.first_name_info
        ranks = ranks or {name: rank for name, (_decade, rank) in info.items()}
        by_gender: dict[str, list[str]] = {"F": [], "M": [], "X": []}
        by_decade: dict[tuple[str, str], list[str]] = {}
        for name, gender in config.first_names.items():
            if not (name.isalpha() or "-" in name):
                continue
            by_gender.setdefault(gender, []).append(name)
            decade, rank = info.get(name, ("", 10**9))
            if decade and rank <= rules.person_max_rank:
                by_decade.setdefault((gender, decade), []).append(name)
        first = {g: tuple(sorted(names)) for g, names in by_gender.items()}
        if ranks:
            first = {g: tuple(sorted(n for n in names if ranks.get(n, 10**9) <= POOL_RANK)) or names
                     for g, names in first.items()}
        surnames = tuple(s.title() if s.isupper() else s for s in config.surnames[:SURNAME_POOL])
        heads = tuple(sorted({*config.org_heads, *rules.org_kinds}, key=lambda h: (-len(h), h)))
        return cls(
            first=first,
            by_decade={k: tuple(sorted(v)) for k, v in by_decade.items()},
            decades={name: decade for name, (decade, _rank) in info.items() if decade},
            genders=dict(config.first_names),
            surnames=surnames,
            gazetteer=Gazetteer(config.gazetteer),
            rules=rules,
            org_heads=heads,
            org_prefixes=config.org_prefixes,
            org_suffixes=config.org_suffixes,
            place_nouns=tuple(sorted(config.location_nouns, key=lambda n: (-len(n), n))),
            role_heads=tuple(sorted((*config.role_heads, *config.role_trades), key=lambda h: (-len(h), h))),
            demonym_endings=config.org_demonym_endings,
        )

    def first_names_for(self, gender: str, decade: str, *, compound: bool = False) -> tuple[str, ...]:
        """Candidates for a first name: same gender, same decade (widened when too few)."""
        if gender == "X":
            names = self.first.get("X", ()) + self.first["F"] + self.first["M"]
        else:
            names = self.first.get(gender) or self.first["F"] + self.first["M"]
        if decade and gender in {"F", "M"}:
            chosen = list(self.by_decade.get((gender, decade), ()))
            if len(chosen) < self.rules.person_min_candidates:
                year = int(decade)
                for other in (str(year - 10), str(year + 10)):
                    chosen += self.by_decade.get((gender, other), ())
            if len(chosen) >= self.rules.person_min_candidates:
                names = tuple(chosen)
        if compound:
            compounds = tuple(n for n in names if "-" in n)
            if len(compounds) >= 10:
                return compounds
        return names


def gender_of(cluster: Cluster, config: Config, hint: str = "") -> str:
    """F, M or X: the first name's gender in the lexicon, else the civility ``hint``."""
    if cluster.name and cluster.name.first_surface:
        first = cluster.name.first_surface.split()[0]
        for key in (first, first.title()):
            if key in config.first_names and config.first_names[key] in {"F", "M"}:
                return config.first_names[key]
    return hint if hint in {"F", "M"} else "X"


class Reserved:
    """Words pseudonyms must avoid: the run's entity forms, and every known entity's form
    or word, checked by keyed hash in the key file (no original needed). Answers are
    remembered: the same candidate names come up again and again within one assignment."""

    def __init__(self, clusters: Iterable[Cluster], keyfile: KeyFile) -> None:
        self.words: set[str] = set()
        for cluster in clusters:
            for variant in (cluster.canonical, *cluster.variants):
                self.words.add(fold(variant))
                self.words.update(fold(variant).split())
        self.keyfile = keyfile
        self._seen: dict[str, bool] = {}
        self._lists: dict[tuple[str, ...], tuple[str, ...]] = {}
        self._folded: dict[tuple[str, ...], tuple[str, ...]] = {}
        self._unused: dict[tuple[str, ...], _Unused] = {}

    def __contains__(self, word: object) -> bool:
        if not isinstance(word, str):
            return False
        answer = self._seen.get(word)
        if answer is None:
            answer = self._seen[word] = fold(word) in self.words or self.keyfile.is_real_word(word)
        return answer

    def takes(self, name: str) -> bool:
        """True when ``name`` or one of its parts is a real form of the corpus ("Anne" in "Anne-Cécile")."""
        key = "\x1f" + name
        answer = self._seen.get(key)
        if answer is None:
            folded = fold(name)
            answer = self._seen[key] = folded in self or any(part in self for part in folded.split())
        return answer

    def folded(self, names: tuple[str, ...]) -> tuple[str, ...]:
        """``fold`` of each of ``names`` (remembered per list)."""
        found = self._folded.get(names)
        if found is None:
            found = self._folded[names] = tuple(fold(n) for n in names)
        return found

    def unused(self, names: tuple[str, ...], used: Mapping[str, str]) -> list[str]:
        """``names`` whose folded form is not a key of ``used``, in order. ``used`` only
        grows during an assignment: the list is kept and trimmed of what was added since
        the last call, not rebuilt (a large corpus asks once per new person)."""
        kept = self._unused.get(names)
        if kept is None:
            kept = self._unused[names] = _Unused(names, self.folded(names))
        return kept.without(used)

    def free(self, names: tuple[str, ...]) -> tuple[str, ...]:
        """``names`` without those taken (remembered per list)."""
        found = self._lists.get(names)
        if found is None:
            found = self._lists[names] = tuple(n for n in names if not self.takes(n))
        return found


class _Unused:
    """A list of names without those whose key was used (see ``Reserved.unused``)."""

    def __init__(self, names: tuple[str, ...], keys: tuple[str, ...]) -> None:
        self.names, self.keys = list(names), list(keys)
        self.seen = 0  # keys of ``used`` already taken out

    def without(self, used: Mapping[str, str]) -> list[str]:
        if self.seen == 0:
            kept = [i for i, key in enumerate(self.keys) if key not in used]
            self.names, self.keys = [self.names[i] for i in kept], [self.keys[i] for i in kept]
        else:
            for key in itertools.islice(used, self.seen, None):
                while key in self.keys:
                    index = self.keys.index(key)
                    del self.keys[index], self.names[index]
        self.seen = len(used)
        return self.names


def reserved_words(clusters: Iterable[Cluster], keyfile: KeyFile) -> Reserved:
    return Reserved(clusters, keyfile)


def person_parts(entity: Entity) -> tuple[str, str]:
    """(first, last) of a person pseudonym; manual pseudonyms are split on the last space."""
    first, last = entity.attribute("first"), entity.attribute("last")
    if first and last:
        return first, last
    pieces = entity.pseudonym.rsplit(" ", 1)
    return (pieces[0], pieces[1]) if len(pieces) == 2 else (pieces[0], pieces[0])


def realistic_of(entity: Entity) -> str:
    """The realistic pseudonym of an entity (older key files stored a tag for non-persons)."""
    return entity.attribute("realistic") or entity.pseudonym


def assign(linked: Linked, keyfile: KeyFile, config: Config, pools: Pools,
           first_names: frozenset[str], *, hints: dict[int, str] | None = None) -> dict[int, str]:
    """Give every cluster an entity id; create new entities in ``keyfile``. Returns cluster -> id.

    ``hints`` maps a cluster index to the gender its civility gives ("Mme Marchal": F).
    """
    hints = hints or {}
    reserved = reserved_words(linked.clusters, keyfile)
    namer = _Namer(keyfile, pools, reserved, places={
        fold_key(v) for c in linked.clusters if c.label == "MUNICIPALITY" for v in (c.canonical, *c.variants)})
    used_last: dict[str, str] = {fold(person_parts(e)[1]): "" for e in keyfile.entities.values()
                                 if e.label == "PERSON"}
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
            first, last = _new_person(keyfile, entity_id, gender, decade, compound, pools, reserved,
                                      namer.used, used_last,
                                      shared_last(real_last) if real_last else None)
            if real_last:
                real_to_pseudo_last.setdefault(real_last, last)
            used_last[fold(last)] = real_last
            pseudonym = f"{first} {last}"
            attributes = (("first", first), ("gender", gender), ("last", last))
            if decade:
                attributes += (("decade", decade),)
        elif cluster.label in REALISTIC_LABELS:
            pseudonym = namer.realistic(cluster.label, cluster.canonical, entity_id)
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


def _new_person(keyfile: KeyFile, entity_id: str, gender: str, decade: str, compound: bool, pools: Pools,
                reserved: Reserved, used: set[str], used_last: Mapping[str, str] | set[str],
                shared_last: str | None) -> tuple[str, str]:
    for entry in keyfile.pools.get("PERSON", ()):
        pieces = entry.rsplit(" ", 1)
        if len(pieces) != 2:
            continue
        first, last = pieces[0], shared_last or pieces[1]
        if gender in {"F", "M"} and _lexicon_gender(pools, first) not in {gender, "X", ""}:
            continue
        if reserved.takes(first) or fold(f"{first} {last}") in used:
            continue
        if not shared_last and reserved.takes(last):
            continue
        if not shared_last and fold(last) in used_last:
            continue
        return first, last
    # the closest candidates first; widen when the corpus has taken them (compound, decade).
    # A few draws per tier; when they all collide (a large corpus), draw among what is left.
    tiers = [reserved.free(t) for t in (pools.first_names_for(gender, decade, compound=compound),
                                        pools.first_names_for(gender, decade), pools.first_names_for(gender, ""))]
    surnames = reserved.free(pools.surnames)
    rng = random.Random(keyfile.seed("PERSON", entity_id))
    for tier in tiers:
        if not tier:
            continue
        lasts: Sequence[str] = surnames
        for attempt in range(2 * DRAWS):
            if attempt == DRAWS and not shared_last:
                lasts = reserved.unused(surnames, used_last)
            if not shared_last and not lasts:
                break
            first = rng.choice(tier)
            last = shared_last or rng.choice(lasts)
            if not shared_last and fold(last) in used_last:
                continue
            if fold(f"{first} {last}") in used:
                continue
            return first, last
    # lexicons exhausted (tiny custom rules): fall back to a numbered, still unique, name
    return "Personne", f"{entity_id.split('-')[1]}"


def _lexicon_gender(pools: Pools, first: str) -> str:
    return pools.genders.get(first) or pools.genders.get(first.split("-")[0], "")


class _Namer:
    """Realistic names for places, organisations and roles, within one assignment."""

    def __init__(self, keyfile: KeyFile, pools: Pools, reserved: Reserved, *, places: set[str]) -> None:
        self.keyfile = keyfile
        self.pools = pools
        self.rules = pools.rules
        self.reserved = reserved
        endings = "|".join(sorted(pools.demonym_endings, key=len, reverse=True)) or "(?!)"
        self._demonym = re.compile(rf"^[a-zß-ÿœ]{{3,}}(?:{endings})$")
        self.places = places  # folded forms of the corpus's municipalities
        self._real: dict[str, bool] = {}
        self._place_level = self._place_misses = 0  # see _place
        self.used = {fold(p) for e in keyfile.entities.values() for p in (e.pseudonym, realistic_of(e))}
        self.forms: dict[tuple[str, str], str] = {}
        for entity in keyfile.entities.values():
            self.index(entity)

    def index(self, entity: Entity) -> None:
        if entity.label == "PERSON":
            return
        for form in (entity.canonical, *entity.variants):
            self.forms.setdefault((entity.label, form_key(entity.label, form)), entity.id)

    def find(self, label: str, forms: Iterable[str]) -> str:
        """An entity already created in this run as a component ("Avignon" inside a name),
        by the linking key of its form ("Le Havre" and "Havre" are one)."""
        if label == "PERSON":
            return ""
        for form in forms:
            found = self.forms.get((label, form_key(label, form)))
            if found:
                return found
            for key in surface_keys(label, form):  # a component made in an earlier run
                for known_id in self.keyfile.entities_for_key(key):
                    if self.keyfile.entities[known_id].label == label:
                        return known_id
        return ""

    def complete(self, entity_id: str) -> None:
        """Give an entity of an older key file (tag-only) its realistic pseudonym, once."""
        entity = self.keyfile.entities[entity_id]
        if entity.label in REALISTIC_LABELS - {"PERSON"} and not entity.attribute("realistic") \
                and _TAG_FORM.match(entity.pseudonym) and entity.origin != "manual":
            realistic = self.realistic(entity.label, entity.canonical, entity.id)
            self.used.add(fold(realistic))
            attributes = tuple(sorted((*entity.attributes, ("realistic", realistic))))
            self.keyfile.entities[entity_id] = replace(entity, attributes=attributes)

    # -- components -----------------------------------------------------------------------
    def is_place(self, surface: str) -> bool:
        return surface in self.pools.gazetteer or self.pools.gazetteer.takes_article(surface) \
            or fold_key(surface) in self.places

    def component(self, label: str, surface: str) -> str:
        """The realistic pseudonym of ``surface`` as an entity of its own (created if new)."""
        found = self.find(label, (surface,))
        if found:
            return realistic_of(self.keyfile.entities[found])
        entity_id = self.keyfile.new_id(label)
        pseudonym = self.realistic(label, surface, entity_id)
        entity = Entity(entity_id, label, surface, (), pseudonym, origin="derived")
        self.keyfile.add(entity)
        self.keyfile.index(entity_id, keys=surface_keys(label, surface))
        self.index(entity)
        self.used.add(fold(pseudonym))
        return pseudonym

    # -- generation -----------------------------------------------------------------------
    def realistic(self, label: str, canonical: str, entity_id: str) -> str:
        pool = self._from_pool(label)
        if label == "MUNICIPALITY":
            return pool or self._commune(canonical, entity_id)
        if label == "LOCATION":
            return self._location(canonical, entity_id, pool)
        if label == "ORGANIZATION":
            return self._organization(canonical, entity_id, pool)
        return self._role(canonical, entity_id)

    def _free(self, candidate: str) -> bool:
        key = fold_key(candidate)
        if key in self.used:
            return False
        known = self._real.get(candidate)
        if known is None:  # a real commune or a word of the corpus (remembered: it cannot change)
            known = self._real[candidate] = (
                candidate in self.pools.gazetteer or key in self.reserved
                or any(fold(w) in self.reserved for w in re.split(r"[ \-'’]+", candidate) if len(w) > 3))
        return not known

    def _from_pool(self, label: str) -> str:
        for entry in self.keyfile.pools.get(label, ()):
            if self._free(entry):
                self.used.add(fold_key(entry))
                return entry
        return ""

    def _place(self, entity_id: str, salt: str) -> str:
        """An invented place name no real commune or corpus word has, not used yet. Simple
        names first; when the corpus has used them (thousands of places), a complement,
        then two composed names. Once a kind of name has run out three times in a row,
        later places start at the next kind."""
        rng = random.Random(self.keyfile.seed("PLACE", entity_id, salt))
        places = self.rules.places
        for attempt in range(self._place_level * DRAWS, 4 * DRAWS):
            candidate = invent_place(rng, places)
            if attempt >= 2 * DRAWS:  # compose two names
                candidate = f"{candidate}-{bare(invent_place(rng, places)).replace(' ', '-')}"
            elif attempt >= DRAWS and places.complements and "-" not in candidate:
                candidate += rng.choice(places.complements)
            if self._free(candidate):
                self._place_misses = self._place_misses + 1 if attempt // DRAWS > self._place_level else 0
                if self._place_misses >= 3 and self._place_level < 2:
                    self._place_level, self._place_misses = self._place_level + 1, 0
                self.used.add(fold_key(candidate))
                return candidate
        return f"Lieu {entity_id.split('-')[1]}"

    def _plain(self, name: str) -> str:
        """Without a complement ("Valmont-sur-Lignon" -> "Valmont"): street and valley names."""
        for complement in self.rules.places.complements:
            if name.endswith(complement) and self._free(name[:-len(complement)]):
                return name[:-len(complement)]
        return name

    def _commune(self, canonical: str, entity_id: str) -> str:
        parts = split_composed(canonical, self.rules.places.compose_links)
        if parts is not None:
            head, link, tail = parts
            if self.is_place(tail):
                tail_pseudo = bare(self.component("MUNICIPALITY", tail))
                if self.pools.gazetteer.head_count(head) < self.rules.places.keep_head_from:
                    head = self._place(entity_id, "head").split(" ")[-1].split("-")[0]
                candidate = f"{head}{link}{tail_pseudo}"
                if candidate not in self.pools.gazetteer and fold_key(candidate) not in self.used:
                    return candidate
        return self._place(entity_id, "")

    def _location(self, canonical: str, entity_id: str, pool: str) -> str:
        noun = leading(canonical, self.pools.place_nouns, ignore_case=True)
        name = pool or self._plain(self._place(entity_id, ""))
        if not noun:
            return bare(name)  # a river or a valley takes its article from the text ("du Gier")
        link = _LINK.match(canonical[len(noun):])
        before = noun + (link.group(0) if link and link.group(0).strip() else " ")
        if before == noun + " " and OWN_ARTICLE.match(name):
            before = noun + " de "  # "rue des Marières", not "rue Les Marières"
        return join_after(before, name, label="LOCATION", name_article=True)

    def _organization(self, canonical: str, entity_id: str, pool: str) -> str:
        if re.fullmatch(r"[A-ZÀ-Þ]{2,}", canonical):
            return self._acronym(len(canonical), entity_id)
        article = re.match(r"^(?:L['’]|La |Le |Les )", canonical)
        lead = article.group(0) if article else ""
        body = canonical[len(lead):]
        head = leading(body, (*self.pools.org_heads, *self.pools.org_prefixes), ignore_case=True)
        if not head:
            lead, body = "", canonical
        suffix = next((s for s in self.pools.org_suffixes if body.endswith(" " + s)), "")
        rest = body[len(head):len(body) - (len(suffix) + 1 if suffix else 0)]
        if head:  # lower-case words after the head belong to it ("Union régionale", "Centre social")
            more = re.match(r"^(?: (?!(?:de|du|des|d['’]|la|le|les|l['’]|à|au|aux|en|sur|chez)\b)[a-zß-ÿœ][\w'’-]*)+",
                            rest)
            if more:
                words = more.group(0).split(" ")[1:]
                # a place adjective ("Mission locale angevine") says where: it is not kept
                kept = next((i for i, w in enumerate(words) if self._demonym.match(w)), len(words))
                taken = "".join(" " + w for w in words[:kept])
                head, rest = head + taken, rest[len(taken):]
                if kept < len(words):
                    rest = ""
        link = _LINK.match(rest) if head else None
        before = lead + head + (link.group(0) if link else "")
        middle = rest[len(link.group(0)):] if link else rest.strip()
        if not middle:  # a head alone ("SCOP"): give it a name, so that it is never the original
            return f"{lead}{head} {pool or self._org_name(entity_id)}"
        territorial = head and leading(head, self.rules.org_territorial, ignore_case=True)
        place = self._place_prefix(middle)
        if place:  # "Angers Loire Métropole" -> "Valmont Métropole"
            name, owned = self.component("MUNICIPALITY", place), True
            if not before.endswith(("'", "’", " de ", " du ", " des ", " à ", " au ", " aux ")):
                name = bare(name)
        elif territorial:
            name, owned = pool or self._place(entity_id, "territory"), True
        else:
            name, owned = pool or self._org_name(entity_id), True
        if head and not link:
            name = bare(name)  # "Grand Valmont", not "Grand Les Valières"
        out = join_after(before, name, label="ORGANIZATION", name_article=owned) if head else name
        return f"{out} {suffix}" if suffix else out

    def _place_prefix(self, middle: str) -> str:
        """The longest run of leading words of ``middle`` that is a place ("Angers" in "Angers Loire")."""
        words = middle.split(" ")
        for end in range(len(words), 0, -1):
            candidate = " ".join(words[:end])
            if self.is_place(candidate):
                return candidate
        return ""

    def _org_name(self, entity_id: str) -> str:
        names = self.rules.org_names
        # when every name is taken (a large corpus), no draw can succeed: skip the draws
        for attempt in range(len(names) * 2 if any(self._free(n) for n in names) else 0):
            rng = random.Random(self.keyfile.seed("ORGANIZATION", entity_id, str(attempt)))
            candidate = rng.choice(names)
            if self._free(candidate):
                self.used.add(fold_key(candidate))
                return candidate
        rng = random.Random(self.keyfile.seed("ORGANIZATION", entity_id, "compound"))
        return f"{rng.choice(names)} {self._place(entity_id, 'org')}"

    def _acronym(self, length: int, entity_id: str) -> str:
        for attempt in range(200):
            rng = random.Random(self.keyfile.seed("ACRONYM", entity_id, str(attempt)))
            candidate = "".join(rng.choice("ABCDEFGHIJKLMNOPRSTUV") for _ in range(max(length, 3)))
            if self._free(candidate):
                self.used.add(fold_key(candidate))
                return candidate
        return f"ORG{entity_id.split('-')[1]}"

    def _role(self, canonical: str, entity_id: str) -> str:
        role = split_role(canonical, self.pools.org_heads, self.pools.role_heads)
        if not role.tail:
            return role.family
        if self.is_place(role.tail):
            name = self.component("MUNICIPALITY", role.tail)
            return join_after(role.family + role.link, name, label="MUNICIPALITY", name_article=True)
        if leading(role.tail, self.pools.org_heads, ignore_case=True) or role.tail[:1].isupper():
            name = self.component("ORGANIZATION", role.tail)
            return join_after(role.family + role.link, name, label="ORGANIZATION")
        return role.family
