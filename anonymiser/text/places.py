"""Places (pure): what the gazetteer says about a commune, and invented commune names.

``Gazetteer`` answers "is this a real commune?" and "what kind of commune is it?" from
``rules/gazetteers/communes.tsv`` and ``epci.tsv``. ``invent_place`` builds a plausible
French place name from toponymic parts kept as data (``rules/pseudonyms.yaml``), seeded by
the caller; the caller checks it against the gazetteer and the corpus.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterable
from dataclasses import dataclass

from anonymiser.text.fold import fold_key

_VOWELS = set("aeiouyéèêàâîôûœ")


@dataclass(frozen=True)
class Commune:
    name: str
    kind: str          # commune-actuelle, arrondissement-municipal
    population: int    # 0 when unknown
    epci_type: str     # METRO, CU, CA, CC, ... or ""


@dataclass(frozen=True)
class PlaceParts:
    """Toponymic parts for invented names (``places`` in ``rules/pseudonyms.yaml``)."""

    stems: tuple[str, ...]
    endings: tuple[str, ...]
    articles: dict[str, str]
    complements: tuple[str, ...]
    complement_every: int
    compose_links: tuple[str, ...]
    keep_head_from: int


@dataclass(frozen=True)
class CommuneRule:
    text: str
    kind: str = ""
    min_population: int = 0
    epci: tuple[str, ...] = ()

    def fits(self, commune: Commune) -> bool:
        if self.kind and commune.kind != self.kind:
            return False
        if commune.population < self.min_population:
            return False
        return not self.epci or commune.epci_type in self.epci


class Gazetteer:
    """Real communes by folded name (homonyms: the most populous first)."""

    def __init__(self, communes: Iterable[Commune]) -> None:
        by_key: dict[str, list[Commune]] = {}
        heads: dict[str, int] = {}
        for commune in communes:
            by_key.setdefault(fold_key(commune.name), []).append(commune)
            head = fold_key(re.split(r"-", commune.name, maxsplit=1)[0])
            heads[head] = heads.get(head, 0) + 1
        self._by_key = {k: sorted(v, key=lambda c: -c.population) for k, v in by_key.items()}
        self._heads = heads

    def __contains__(self, name: str) -> bool:
        return fold_key(name) in self._by_key

    def get(self, name: str) -> Commune | None:
        """The commune of this name, or of this name with its article ("Havre" -> Le Havre)."""
        for key in (fold_key(name), fold_key(f"le {name}"), fold_key(f"les {name}")):
            found = self._by_key.get(key)
            if found:
                return found[0]
        return None

    def head_count(self, head: str) -> int:
        """How many communes start with ``head`` ("Villeneuve" -> dozens)."""
        return self._heads.get(fold_key(head), 0)

    def takes_article(self, name: str) -> bool:
        """True when ``name`` is the article-less form of "Le X"/"Les X" ("Havre", "Mureaux")."""
        return fold_key(name) not in self._by_key and any(
            k in self._by_key for k in (fold_key(f"le {name}"), fold_key(f"les {name}")))


def describe_commune(commune: Commune | None, rules: Iterable[CommuneRule], default: str) -> str:
    """The generalisation of a commune: the first rule that fits ("une petite ville")."""
    if commune is None:
        return default
    for rule in rules:
        if rule.fits(commune):
            return rule.text
    return default


def invent_place(rng: random.Random, parts: PlaceParts) -> str:
    """One invented place name: stem + ending, maybe an article or a complement.

    >>> invent_place(random.Random(1), PlaceParts(("Val",), ("mont",), {}, (), 0, (), 5))
    'Valmont'
    """
    for _ in range(50):
        stem, ending = rng.choice(parts.stems), rng.choice(parts.endings)
        if stem[-1].lower() in _VOWELS and ending[0] in _VOWELS:
            continue
        if stem[-1].lower() == ending[0]:
            ending = ending[1:]
        name = stem + ending
        article = parts.articles.get(ending)
        if article:
            name = f"L'{name}" if name[0].lower() in _VOWELS and article in {"Le", "La"} else f"{article} {name}"
        elif parts.complements and parts.complement_every and rng.randrange(parts.complement_every) == 0:
            name += rng.choice(parts.complements)
        return name
    return parts.stems[0] + parts.endings[0]


def split_composed(name: str, links: Iterable[str]) -> tuple[str, str, str] | None:
    """("Villeneuve", "-lès-", "Avignon") for "Villeneuve-lès-Avignon"; None if not composed."""
    for link in links:
        match = re.search(rf"([ -]){re.escape(link)}([ -])", name, flags=re.IGNORECASE)
        if match and match.start() > 0 and match.end() < len(name):
            return name[:match.start()], match.group(0), name[match.end():]
    return None
