"""Pools and collisions: the names assignment draws from, and the words a pseudonym must not be.

Pools are built once from the configuration; reserved words are the corpus's real forms and
every known entity's (checked by keyed hash in the key file).

The team's pools in the key file come first (explicit pseudonyms win over everything);
pools never run dry (generation follows). A pseudonym is never the name of another entity
of the corpus, nor another entity's pseudonym.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from typing import Any, TypeVar

from anonymiser.config.rules import Config, PseudonymRules
from anonymiser.keys.draft import Draft, Keys
from anonymiser.link import Cluster
from anonymiser.text.fold import fold
from anonymiser.text.near import NearIndex
from anonymiser.text.places import Gazetteer

POOL_RANK = 400  # first names when the decade is unknown: the most given of each gender
SURNAME_POOL = 4000
DRAWS = 50  # random draws before narrowing the candidates to those left (pseudonym generation)
_WORD = re.compile(r"[^\W_]+")  # a word of a folded form ("l'eva" -> "l", "eva")


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
    # the answers of ``first_names_for``: the same tuple for the same question (``Reserved``
    # remembers its answers per tuple)
    _candidates: dict[tuple[str, str, bool], tuple[str, ...]] = field(
        default_factory=dict, init=False, repr=False, compare=False)  # a copy (replace) asks again

    @classmethod
    def from_config(cls, config: Config, ranks: dict[str, int] | None = None) -> Pools:
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
        """Candidates for a first name: same gender, same decade (widened when too few);
        the same tuple each time for the same question."""
        key = (gender, decade, compound)
        found = self._candidates.get(key)
        if found is None:
            found = self._candidates[key] = self._first_names_for(gender, decade, compound=compound)
        return found

    def _first_names_for(self, gender: str, decade: str, *, compound: bool = False) -> tuple[str, ...]:
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



class Reserved:
    """Words pseudonyms must avoid: the run's entity forms and the first names written in its
    texts (``run_words``), and every known entity's form or word, checked by keyed hash in the
    key file (no original needed); and, for a surname, any name within two edits of a real
    surname of the run (exactly) or of a person of the key file (by the hashes of ``text.near``).
    ``first_names`` are the real first names of the run (``run_words`` and the first names of
    its persons), folded: no word of any pseudonym is one (``names_a_person``).
    Answers are remembered: the same candidate names come up again and again within one
    assignment."""

    def __init__(self, clusters: Iterable[Cluster], keyfile: Keys, run_words: Iterable[str] = ()) -> None:
        self.words: set[str] = set()
        self.first_names: set[str] = set()
        for word in run_words:
            self.words.add(fold(word))
            self.words.update(fold(word).split())
            self.first_names.update(w for w in fold(word).split() if len(w) > 1)
        surnames: set[str] = set()
        for cluster in clusters:
            for variant in (cluster.canonical, *cluster.variants):
                self.words.add(fold(variant))
                self.words.update(fold(variant).split())
            if cluster.label == "PERSON" and cluster.name is not None and cluster.name.last:
                surnames.add(cluster.name.last)
            if cluster.label == "PERSON" and cluster.name is not None and cluster.name.first_surface:
                self.first_names.update(w for w in _WORD.findall(fold(cluster.name.first_surface)) if len(w) > 1)
        self.surnames = NearIndex(surnames)
        # the key file as the run found it: this run's persons are compared exactly, above
        self._known_near = (keyfile.base if isinstance(keyfile, Draft) else keyfile).is_near
        self._near: dict[str, bool] = {}
        self._far: dict[int, tuple[tuple[str, ...], Any]] = {}
        self.keyfile = keyfile
        self._seen: dict[str, bool] = {}
        self._lists: dict[int, tuple[tuple[str, ...], Any]] = {}  # by id of the list: see ``_per_list``
        self._folded: dict[int, tuple[tuple[str, ...], Any]] = {}
        self._unused: dict[int, tuple[tuple[str, ...], Any]] = {}
        self._all_used: dict[int, tuple[tuple[str, ...], Any]] = {}

    def __contains__(self, word: object) -> bool:
        if not isinstance(word, str):
            return False
        answer = self._seen.get(word)
        if answer is None:
            answer = self._seen[word] = fold(word) in self.words or self.keyfile.is_real_word(word)
        return answer

    def names_a_person(self, pseudonym: str) -> bool:
        """True when a word of ``pseudonym``, of any length, is a real first name of the run
        ("La Rose des Vents" when a participant is called Rose, "Café d'Eva" when one is Eva):
        a reader would believe that person named."""
        key = "\x1e" + pseudonym
        answer = self._seen.get(key)
        if answer is None:
            answer = self._seen[key] = any(w in self.first_names for w in _WORD.findall(fold(pseudonym)))
        return answer

    def takes(self, name: str) -> bool:
        """True when ``name`` or one of its parts is a real form of the corpus ("Anne" in "Anne-Cécile")."""
        key = "\x1f" + name
        answer = self._seen.get(key)
        if answer is None:
            folded = fold(name)
            answer = self._seen[key] = folded in self or any(part in self for part in folded.split())
        return answer

    def near(self, surname: str) -> bool:
        """True when ``surname`` is within two edits of a real surname (see the class)."""
        answer = self._near.get(surname)
        if answer is None:
            answer = self._near[surname] = self.surnames.near(surname) or self._known_near(surname)
        return answer

    def far(self, names: tuple[str, ...]) -> tuple[str, ...]:
        """``names`` neither taken nor near a real surname (remembered per list)."""
        return _per_list(self._far, names, lambda: tuple(n for n in self.free(names) if not self.near(n)))

    def folded(self, names: tuple[str, ...]) -> tuple[str, ...]:
        """``fold`` of each of ``names`` (remembered per list)."""
        return _per_list(self._folded, names, lambda: tuple(fold(n) for n in names))

    def all_used(self, names: tuple[str, ...], used: AbstractSet[str]) -> bool:
        """Whether the folded form of every one of ``names`` is in ``used``. ``used`` only
        grows during an assignment: the names found in it are not looked at again (a large
        corpus asks once per new person, of lists of thousands of names)."""
        folded = self.folded(names)
        seen: _Seen = _per_list(self._all_used, names, lambda: _Seen(used))
        if seen.used is not used:
            seen.used, seen.position = used, 0
        position = seen.position
        while position < len(folded) and folded[position] in used:
            position += 1
        seen.position = position
        return position == len(folded)

    def unused(self, names: tuple[str, ...], used: dict[str, str]) -> list[str]:
        """``names`` whose folded form is not a key of ``used``, in order. ``used`` only
        grows during an assignment: the list is kept and trimmed of what was added since
        the last call, not rebuilt (a large corpus asks once per new person)."""
        return _per_list(self._unused, names, lambda: _Unused(names, self.folded(names))).without(used)

    def free(self, names: tuple[str, ...]) -> tuple[str, ...]:
        """``names`` without those taken (remembered per list)."""
        return _per_list(self._lists, names, lambda: tuple(n for n in names if not self.takes(n)))


_T = TypeVar("_T")


def _per_list(memory: dict[int, tuple[tuple[str, ...], Any]], names: tuple[str, ...], compute: Callable[[], _T]) -> _T:
    """``compute()`` for the list ``names``, remembered by identity: hashing a tuple of
    thousands of names at each question cost more than most answers (the lists asked about
    are the pools' own, the same tuples each time). The entry holds ``names``: while it is
    remembered, no other list can have its id."""
    entry = memory.get(id(names))
    if entry is None or entry[0] is not names:
        entry = memory[id(names)] = (names, compute())
    result: _T = entry[1]
    return result


class _Seen:
    """How far into a list ``Reserved.all_used`` found every name used."""

    def __init__(self, used: AbstractSet[str]) -> None:
        self.used, self.position = used, 0


class _Unused:
    """A list of names without those whose key was used (see ``Reserved.unused``)."""

    def __init__(self, names: tuple[str, ...], keys: tuple[str, ...]) -> None:
        self.names, self.keys = list(names), list(keys)
        self.present = set(keys)
        self.seen = 0  # keys of ``used`` already taken out

    def without(self, used: dict[str, str]) -> list[str]:
        if self.seen == 0:
            kept = [i for i, key in enumerate(self.keys) if key not in used]
            self.names, self.keys = [self.names[i] for i in kept], [self.keys[i] for i in kept]
            self.present = set(self.keys)
        else:  # the keys added since the last call are the last ones (a dict keeps its order)
            for key in itertools.islice(reversed(used), len(used) - self.seen):
                if key not in self.present:
                    continue
                self.present.discard(key)
                while key in self.keys:
                    index = self.keys.index(key)
                    del self.keys[index], self.names[index]
        self.seen = len(used)
        return self.names


def reserved_words(clusters: Iterable[Cluster], keyfile: Keys, run_words: Iterable[str] = ()) -> Reserved:
    return Reserved(clusters, keyfile, run_words)
