"""Realistic pseudonyms of places, organisations and roles: communes, places, organisation names, acronyms.

- Places: invented names from toponymic parts (``rules/pseudonyms.yaml``), never a real
  commune; compositional ("Villeneuve-lès-Avignon" -> "Villeneuve-lès-Valmont" when
  "Avignon" -> "Valmont"): a component gets its own entity, so it keeps its pseudonym
  wherever it appears later.
- Organisations and roles keep their head and link words; a commune inside takes its
  commune pseudonym ("Ville d'Avignon" -> "Ville de Valmont"), any other name is drawn
  from the list of organisation names.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterable

from anonymiser.assign.pools import DRAWS, Pools, Reserved
from anonymiser.keys.draft import Keys
from anonymiser.link import form_key, surface_keys
from anonymiser.model import Entity
from anonymiser.text.fold import fold, fold_key
from anonymiser.text.grammar import OWN_ARTICLE, own_shape
from anonymiser.text.phrases import bare, join_after, leading, split_role
from anonymiser.text.places import invent_place, split_composed

REALISTIC_LABELS = frozenset({"PERSON", "ROLE", "ORGANIZATION", "MUNICIPALITY", "LOCATION"})
_TAG_FORM = re.compile(r"^\[[A-Z_]+_\d+\]$")
_VOWELS = frozenset("aeiouy")
_LINK = re.compile(r"^(?: (?:de la |de l['’]|du |des |de |d['’]|à la |à l['’]|au |aux |à |en |sur |chez )| )",
                   re.IGNORECASE)


def realistic_of(entity: Entity) -> str:
    """The realistic pseudonym of an entity (older key files stored a tag for non-persons)."""
    return entity.attribute("realistic") or entity.pseudonym


class Namer:
    """Realistic names for places, organisations and roles, within one assignment."""

    def __init__(self, keyfile: Keys, pools: Pools, reserved: Reserved, *, places: set[str]) -> None:
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
            self.keyfile.set_attributes(entity_id, {"realistic": realistic})

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
    def realistic(self, label: str, canonical: str, entity_id: str, *, shape: str = "") -> str:
        """``shape``: what the article before an organisation's name says of it in the text
        (``text.grammar.article_shape``), when its canonical form has none of its own."""
        pool = self._from_pool(label)
        if label == "MUNICIPALITY":
            return pool or self._commune(canonical, entity_id)
        if label == "LOCATION":
            return self._location(canonical, entity_id, pool)
        if label == "ORGANIZATION":
            return self._organization(canonical, entity_id, pool, shape)
        return self._role(canonical, entity_id)

    def _free(self, candidate: str) -> bool:
        key = fold_key(candidate)
        if key in self.used:
            return False
        known = self._real.get(candidate)
        if known is None:  # a real commune, a word of the corpus or a first name of the run,
            # of any length ("Café d'Eva"); remembered: it cannot change
            known = self._real[candidate] = (
                candidate in self.pools.gazetteer or key in self.reserved
                or any(fold(w) in self.reserved for w in re.split(r"[ \-'’]+", candidate) if len(w) > 3)
                or self.reserved.names_a_person(candidate))
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
                # a head kept from the real name is not kept when it is a first name of the
                # run ("Saint-Martin-lès-..." while a participant is Martin)
                if self.pools.gazetteer.head_count(head) < self.rules.places.keep_head_from \
                        or self.reserved.names_a_person(head):
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

    def _organization(self, canonical: str, entity_id: str, pool: str, shape: str = "") -> str:
        if re.fullmatch(r"[A-ZÀ-Þ]{2,}", canonical):
            return self._acronym(len(canonical), entity_id, vowel=fold(canonical[0]) in _VOWELS)
        article = re.match(r"^(?:L['’]|La |Le |Les )", canonical)
        lead = article.group(0) if article else ""
        body = canonical[len(lead):]
        head = leading(body, (*self.pools.org_heads, *self.pools.org_prefixes), ignore_case=True)
        if not head:
            lead, body = "", canonical
        suffix = next((s for s in self.pools.org_suffixes if body.endswith(" " + s)), "")
        rest = body[len(head):len(body) - (len(suffix) + 1 if suffix else 0)]
        bare_head = head
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
        # the name drawn has the gender and number of the original's: its own article ("Les
        # Tisserands"), else, with no kind word before it, the article before it in the text
        shape = own_shape(middle) or ("" if head else shape)
        if not middle:  # a head alone ("SCOP"): give it a name, so that it is never the original;
            # the words after the head are then the name ("École navale"): they do not stay
            return f"{lead}{bare_head} {pool or self._org_name(entity_id)}"
        territorial = head and leading(head, self.rules.org_territorial, ignore_case=True)
        place = self._place_prefix(middle)
        if place:  # "Angers Loire Métropole" -> "Valmont Métropole"
            name, owned = self.component("MUNICIPALITY", place), True
            if not before.endswith(("'", "’", " de ", " du ", " des ", " à ", " au ", " aux ")):
                name = bare(name)
        elif territorial:
            name, owned = pool or self._place(entity_id, "territory"), True
        else:
            name, owned = pool or self._org_name(entity_id, shape), True
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

    def _org_name(self, entity_id: str, shape: str = "") -> str:
        """A name of the list not used yet, of ``shape`` (``own_shape``: "La Source" for "F") when
        the list has some; when all are used, one with an invented place ("La Source Valmont")."""
        names = tuple(n for n in self.rules.org_names if shape and own_shape(n) == shape) or self.rules.org_names
        # when every name is taken (a large corpus), no draw can succeed: skip the draws
        for attempt in range(len(names) * 2 if any(self._free(n) for n in names) else 0):
            rng = random.Random(self.keyfile.seed("ORGANIZATION", entity_id, str(attempt)))
            candidate = rng.choice(names)
            if self._free(candidate):
                self.used.add(fold_key(candidate))
                return candidate
        rng = random.Random(self.keyfile.seed("ORGANIZATION", entity_id, "compound"))
        names = tuple(n for n in names if not self.reserved.names_a_person(n)) or names
        return f"{rng.choice(names)} {self._place(entity_id, 'org')}"

    def _acronym(self, length: int, entity_id: str, *, vowel: bool = False) -> str:
        """Letters drawn for an acronym, opening with a vowel when the original does: the article
        before it stays right ("l'APEI" -> "l'ORST", "la CAF" -> "la PUR", never "l'VRS")."""
        opening = "AEIOU" if vowel else "BCDFGJKLMNPRSTV"
        for attempt in range(200):
            rng = random.Random(self.keyfile.seed("ACRONYM", entity_id, str(attempt)))
            candidate = rng.choice(opening) + "".join(rng.choice("ABCDEFGHIJKLMNOPRSTUV")
                                                      for _ in range(max(length, 3) - 1))
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
