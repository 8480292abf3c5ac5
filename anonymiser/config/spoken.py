"""``rules/spoken.yaml``, typed and validated: arrondissements said in words, names introduced
by a naming verb, and the transcript conventions that are never masked."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from anonymiser.errors import ConfigError
from anonymiser.i18n import N_
from anonymiser.text.fold import fold


@dataclass(frozen=True)
class Arrondissements:
    cities: tuple[str, ...]
    ordinals: tuple[str, ...]
    rare_ordinals: tuple[str, ...]
    cardinals: tuple[str, ...]
    before: tuple[str, ...]
    nouns: tuple[str, ...]
    after: tuple[str, ...]
    not_before: tuple[str, ...]
    weak_before: tuple[str, ...]
    floor_words: tuple[str, ...]
    floor_verbs: tuple[str, ...]
    masculine_before: tuple[str, ...]
    feminine_after: tuple[str, ...]


@dataclass(frozen=True)
class TranscriptNames:
    min_turns: int
    lowercase_share: float
    score: float
    place_before: tuple[str, ...]
    article_before: tuple[str, ...]
    not_names: tuple[str, ...]


@dataclass(frozen=True)
class Naming:
    verbs: tuple[str, ...]
    organization_heads: tuple[str, ...]
    place_heads: tuple[str, ...]
    stop: tuple[str, ...]
    max_words: int
    score: float
    # words that open a group's name in the plural, capitalised ("les Amis du tissage")
    group_openers: tuple[str, ...] = ()
    # words that never open a lower-case name after a head and its article ("le collectif le samedi")
    not_first: tuple[str, ...] = ()
    # words that open no name right after a head ("l'association loi 1901"), and remarks on a
    # name's spelling that end it ("mermoz en couleurs en minuscules")
    not_bare: tuple[str, ...] = ()
    remarks: tuple[str, ...] = ()
    # endings of a French word that, right after a head, is its adjective ("l'association sportive")
    adjective_endings: tuple[str, ...] = ()
    # kinds of body whose capital in running text opens a name in lower case ("l'Office municipal des sports")
    capitalised_kinds: tuple[str, ...] = ()


@dataclass(frozen=True)
class Rejects:
    """What is no name whatever found it (``anonymiser.detect.rejects``)."""

    # fixed figures of speech around a place name ("c'est pas Byzance", "du Nord au Sud")
    figures: tuple[str, ...] = ()
    # plural endings of the names of a town's people ("Grenoblois", "Lapoutroisiennes")
    demonym_endings: tuple[str, ...] = ()
    # words before them ("les", "nos") and salutations that may open the span ("Chères")
    demonym_before: tuple[str, ...] = ()
    salutations: tuple[str, ...] = ()
    # patterns after an ordinal that make it a rank ("en huit ans"), and the people who live
    # on a floor ("le monsieur du quatrième")
    rank_after: tuple[str, ...] = ()
    floor_people: tuple[str, ...] = ()
    # a heading's words after these are a street's or a place's name ("Route Du Lac Blanc")
    street_nouns: tuple[str, ...] = ()
    # elided adverbs, ordinary words in a phrase NER takes for a name ("Citoyens d'abord")
    locutions: tuple[str, ...] = ()
    # parts of a building said by a letter or a number ("le bâtiment C", "l'escalier 2")
    building_parts: tuple[str, ...] = ()

    @classmethod
    def from_data(cls, data: Any, where: str) -> Rejects:
        if data is None:
            return cls()
        if not isinstance(data, dict):
            raise ConfigError(where, N_("key '%(key)s' has the wrong type"), key="rejects")
        fields = cls.__dataclass_fields__
        for key in data:
            if key not in fields:
                raise ConfigError(where, N_("unknown key '%(key)s'"), key=f"rejects.{key}")
        found = {key: _strings(data, key, where, "rejects") for key in fields if key in data}
        for index, pattern in enumerate(found.get("rank_after", ())):
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ConfigError(where, N_("'%(key)s' does not compile (%(reason)s)"),
                                  key=f"rejects.rank_after[{index}]", reason=exc.msg) from exc
        return cls(**found)


@dataclass(frozen=True)
class SpokenRules:
    arrondissements: Arrondissements
    transcript_names: TranscriptNames
    naming: Naming
    markers: tuple[str, ...] = ()
    nationalities: tuple[str, ...] = ()
    events: tuple[str, ...] = ()
    rejects: Rejects = Rejects()

    def nationality_forms(self) -> frozenset[str]:
        """Every form of the nationalities, folded: masculine and feminine, singular and plural."""
        forms = set()
        for word in self.nationalities:
            feminine = word + "ne" if word.endswith("ien") else word if word.endswith("e") else word + "e"
            for form in (word, feminine):
                forms.update({form, form if form.endswith(("s", "x")) else form + "s"})
        return frozenset(fold(form) for form in forms)

    @cached_property
    def marker(self) -> re.Pattern[str]:
        """One pattern for the transcript's marks, matched against a whole detection."""
        return re.compile("|".join(f"(?:{m})" for m in self.markers) or "(?!)", re.IGNORECASE)

    def is_marker(self, surface: str) -> bool:
        return self.marker.fullmatch(surface.strip()) is not None

    @classmethod
    def from_data(cls, data: dict[str, Any], where: str) -> SpokenRules:
        section = data.get("arrondissements")
        if not isinstance(section, dict):
            raise ConfigError(where, N_("key '%(key)s' has the wrong type"), key="arrondissements")
        fields = Arrondissements.__dataclass_fields__
        arrondissements = Arrondissements(**{name: _strings(section, name, where, "arrondissements")
                                             for name in fields})
        names = data.get("transcript_names")
        if not isinstance(names, dict):
            raise ConfigError(where, N_("key '%(key)s' has the wrong type"), key="transcript_names")
        def number(key: str, names: dict[str, Any] = names) -> float:
            value = names.get(key)
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise ConfigError(where, N_("key '%(key)s' has the wrong type"), key=f"transcript_names.{key}")
            return float(value)

        def strings(key: str, names: dict[str, Any] = names, section: str = "transcript_names") -> tuple[str, ...]:
            return _strings(names, key, where, section)

        return cls(arrondissements, TranscriptNames(
            min_turns=int(number("min_turns")), lowercase_share=number("lowercase_share"), score=number("score"),
            place_before=strings("place_before"), article_before=strings("article_before"),
            not_names=strings("not_names")), cls._naming(data, where), cls._markers(data, where),
            _strings(data, "nationalities", where, "spoken"), _strings(data, "events", where, "spoken"),
            Rejects.from_data(data.get("rejects"), where))

    @staticmethod
    def _markers(data: dict[str, Any], where: str) -> tuple[str, ...]:
        markers = _strings(data, "markers", where, "spoken")
        for index, marker in enumerate(markers):
            try:
                re.compile(marker)
            except re.error as exc:
                raise ConfigError(where, N_("'%(key)s' does not compile (%(reason)s)"),
                                  key=f"markers[{index}]", reason=exc.msg) from exc
        return markers

    @staticmethod
    def _naming(data: dict[str, Any], where: str) -> Naming:
        section = data.get("naming")
        if not isinstance(section, dict):
            raise ConfigError(where, N_("key '%(key)s' has the wrong type"), key="naming")
        for key, kind in (("max_words", int), ("score", (int, float))):
            if isinstance(section.get(key), bool) or not isinstance(section.get(key), kind):
                raise ConfigError(where, N_("key '%(key)s' has the wrong type"), key=f"naming.{key}")
        lists = {key: _strings(section, key, where, "naming")
                 for key in ("verbs", "organization_heads", "place_heads", "stop")}
        openers = _strings(section, "group_openers", where, "naming") if "group_openers" in section else ()
        not_first = _strings(section, "not_first", where, "naming") if "not_first" in section else ()
        optional = {key: _strings(section, key, where, "naming") for key in ("not_bare", "remarks", "adjective_endings",
                                                                          "capitalised_kinds")
                    if key in section}
        return Naming(**lists, max_words=int(section["max_words"]), score=float(section["score"]),
                      group_openers=openers, not_first=not_first, **optional)


def _strings(data: dict[str, Any], key: str, where: str, section: str) -> tuple[str, ...]:
    if key not in data:
        raise ConfigError(where, N_("missing key '%(key)s'"), key=f"{section}.{key}")
    value = data[key]
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ConfigError(where, N_("key '%(key)s' has the wrong type"), key=f"{section}.{key}")
    return tuple(value)
