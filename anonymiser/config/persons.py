"""``rules/persons.yaml``, section ``forms``: how speech names people without a full name
(familiar forms, nicknames, a first name and an initial, first names after a filler or in a
coordination), typed and validated. Read by ``anonymiser/recognizers/person_forms.py`` and
``anonymiser/recognizers/persons.py``."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from anonymiser.errors import ConfigError
from anonymiser.i18n import N_


@dataclass(frozen=True)
class PersonForms:
    """Word lists of ``forms`` (see ``rules/persons.yaml`` for what each one says)."""

    kin_markers: tuple[str, ...] = ()  # "la mère Michaud", "tonton Marcel": any name
    endearing_markers: tuple[str, ...] = ()  # "la petite Léa": a first name only
    short_forms: tuple[str, ...] = ()  # "Seb", "Nath": first names the lexicon has not
    not_words: tuple[str, ...] = ()  # "Gilles", "Élise": first names the word list has as rare words only
    signature_not: tuple[str, ...] = ()  # "N.B.": abbreviations, no initials signing a text
    nickname_verbs: tuple[str, ...] = ()  # "surnommé Tintin": any capitalised name
    nickname_weak_verbs: tuple[str, ...] = ()  # "qu'on appelle Bébert": a name that is no word, or quoted
    nickname_after_name: tuple[str, ...] = ()  # "Marius dit « la Puce »": after a name or in quotes
    nickname_not_after: tuple[str, ...] = ()  # "ce qu'on appelle la Politique de la ville": a term
    fillers: tuple[str, ...] = ()  # "euh Pierre il a": a first name right after a filler
    filler_not_before: tuple[str, ...] = ()  # "enfin Grâce à lui": a word's phrase
    coordination_not_after: tuple[str, ...] = ()  # "entre Florence et Rome": places
    start_not_before: tuple[str, ...] = ()  # "Pierre après pierre": a word's phrase at a start
    # a first name that is also a word counts after a familiar word only up to this rank
    # (1 = the most given name): "la petite Rose" is a girl, "le petit Prince" a book
    max_word_rank: int = 0
    # a surname that is also a word counts after a kin word only up to this rank ("le père
    # Fournier"; not "la mère Patrie")
    max_surname_rank: int = 0

    def ordinary_words(self, words: frozenset[str]) -> frozenset[str]:
        """``words`` (lower case) less the first names that are no ordinary word."""
        return words - {w.lower() for w in self.not_words}

    @classmethod
    def of(cls, data: Any, where: str) -> PersonForms:
        """Validate the ``forms`` mapping; an error names the file and the key."""
        if data is None:
            return cls()
        if not isinstance(data, dict):
            raise ConfigError(where, N_("key '%(key)s' has the wrong type"), key="forms")
        values: dict[str, Any] = {}
        for item in fields(cls):
            if item.name not in data:
                continue
            value = data[item.name]
            if item.type == "int":
                if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                    raise ConfigError(where, N_("key '%(key)s' has the wrong type"), key=f"forms.{item.name}")
                values[item.name] = value
            elif not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise ConfigError(where, N_("key '%(key)s' has the wrong type"), key=f"forms.{item.name}")
            else:
                values[item.name] = tuple(value)
        unknown = sorted(set(data) - {item.name for item in fields(cls)})
        if unknown:
            raise ConfigError(where, N_("unknown key '%(key)s'"), key=f"forms.{unknown[0]}")
        return cls(**values)
