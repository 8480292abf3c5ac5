"""Person pseudonyms: a first name of the same gender and decade, a surname, drawn with the key file's seed.

A French first name of the same gender and, where the lexicon gives it, the same decade of
popularity; a surname; persons who share a real surname share the pseudonymous one. Gender
comes from the first name, else from the civility before a surname-only mention ("Mme Marchal").
"""

from __future__ import annotations

import random
from collections.abc import Sequence

from anonymiser.assign.pools import DRAWS, Pools, Reserved
from anonymiser.config.rules import Config
from anonymiser.keys.draft import Keys
from anonymiser.link import Cluster
from anonymiser.model import Entity
from anonymiser.text.fold import fold


def gender_of(cluster: Cluster, config: Config, hint: str = "") -> str:
    """F, M or X: the first name's gender in the lexicon, else the civility ``hint``."""
    if cluster.name and cluster.name.first_surface:
        first = cluster.name.first_surface.split()[0]
        for key in (first, first.title()):
            if key in config.first_names and config.first_names[key] in {"F", "M"}:
                return config.first_names[key]
    return hint if hint in {"F", "M"} else "X"


def person_parts(entity: Entity) -> tuple[str, str]:
    """(first, last) of a person pseudonym; manual pseudonyms are split on the last space."""
    first, last = entity.attribute("first"), entity.attribute("last")
    if first and last:
        return first, last
    pieces = entity.pseudonym.rsplit(" ", 1)
    return (pieces[0], pieces[1]) if len(pieces) == 2 else (pieces[0], pieces[0])


def new_person(keyfile: Keys, entity_id: str, gender: str, decade: str, compound: bool, pools: Pools,
                reserved: Reserved, used: set[str], used_last: dict[str, str],
                shared_last: str | None, used_first: frozenset[str] | set[str] = frozenset()) -> tuple[str, str]:
    """A first name and a surname for a new person. ``used_first``: the first names other
    persons already have, refused in the first draws (two persons named by their first name
    alone stay two)."""
    for entry in keyfile.pools.get("PERSON", ()):
        pieces = entry.rsplit(" ", 1)
        if len(pieces) != 2:
            continue
        first, last = pieces[0], shared_last or pieces[1]
        if gender in {"F", "M"} and _lexicon_gender(pools, first) not in {gender, "X", ""}:
            continue
        if reserved.takes(first) or fold(f"{first} {last}") in used:
            continue
        if not shared_last and (reserved.takes(last) or reserved.near(last)):
            continue
        if not shared_last and fold(last) in used_last:
            continue
        return first, last
    # the closest candidates first; widen when the corpus has taken them (compound, decade).
    # A few draws per tier; when they all collide (a large corpus), draw among what is left.
    tiers = [reserved.free(t) for t in (pools.first_names_for(gender, decade, compound=compound),
                                        pools.first_names_for(gender, decade), pools.first_names_for(gender, ""))]
    # A surname is never within two edits of a real one: drawn among the names that are not
    # real forms and refused when near one; after a few draws, drawn among the far ones left.
    # When every name is near one (a very large corpus), at least not a real form.
    surnames = reserved.free(pools.surnames)
    far = reserved.far(pools.surnames) or surnames
    rng = random.Random(keyfile.seed("PERSON", entity_id))
    for tier in tiers:
        if not tier:
            continue
        lasts: Sequence[str] = surnames
        first_draw = 0
        if (shared_last or surnames) and used_first and reserved.all_used(tier, used_first):
            # every name of the tier is another person's: each of the first DRAWS draws would be
            # refused (a large corpus). They are drawn all the same, unchecked, so that the
            # generator moves as it always did: the same key file gives the same pseudonyms.
            skip_choices(rng, (len(tier),) if shared_last else (len(tier), len(lasts)), DRAWS)
            first_draw = DRAWS
        for attempt in range(first_draw, 2 * DRAWS):
            if attempt == DRAWS and not shared_last:
                lasts = reserved.unused(far, used_last)
            if not shared_last and not lasts:
                break
            first = choose(rng, tier)
            last = shared_last or choose(rng, lasts)
            if not shared_last and (fold(last) in used_last or (far is not surnames and reserved.near(last))):
                continue
            if fold(f"{first} {last}") in used or (attempt < DRAWS and fold(first) in used_first):
                continue
            return first, last
    # lexicons exhausted (tiny custom rules): fall back to a numbered, still unique, name
    return "Personne", f"{entity_id.split('-')[1]}"


def _lexicon_gender(pools: Pools, first: str) -> str:
    return pools.genders.get(first) or pools.genders.get(first.split("-")[0], "")


def _skip_fast(rng: random.Random, sizes: Sequence[int], rounds: int) -> None:
    getrandbits = rng.getrandbits
    bits = [(size, size.bit_length()) for size in sizes]
    for _ in range(rounds):
        for size, k in bits:
            while getrandbits(k) >= size:  # CPython's Random._randbelow_with_getrandbits
                pass


def _fast_skip_is_choice() -> bool:
    """Whether ``_skip_fast`` moves a generator exactly as ``Random.choice`` does on this
    Python (it repeats how CPython's draws an index; checked, not assumed)."""
    chosen, skipped = random.Random(2026), random.Random(2026)
    sizes = (1, 2, 3, 5, 97, 1000, 4000, 70001)
    for _ in range(40):
        for size in sizes:
            chosen.choice(range(size))
    _skip_fast(skipped, sizes, 40)
    return type(chosen).choice is random.Random.choice and chosen.getstate() == skipped.getstate()


_FAST_SKIP = _fast_skip_is_choice()


def choose(rng: random.Random, names: Sequence[str]) -> str:
    """``rng.choice(names)``, drawn as it draws (``_FAST_SKIP``: the index by ``getrandbits``,
    without the two Python calls of ``choice``): a large corpus draws a hundred names for
    each new person, most of them refused."""
    if not _FAST_SKIP:
        return rng.choice(names)
    size = len(names)
    if not size:
        raise IndexError("Cannot choose from an empty sequence")
    k = size.bit_length()
    index = rng.getrandbits(k)
    while index >= size:
        index = rng.getrandbits(k)
    return names[index]


def skip_choices(rng: random.Random, sizes: Sequence[int], rounds: int) -> None:
    """Move ``rng`` on as ``rounds`` rounds of ``rng.choice`` over one sequence of each of
    ``sizes`` (each at least 1) would, without choosing: a large corpus draws hundreds of
    thousands of names this way (see ``new_person``), three times faster than by ``choice``."""
    if _FAST_SKIP:
        _skip_fast(rng, sizes, rounds)
        return
    for _ in range(rounds):
        for size in sizes:
            rng.choice(range(size))
