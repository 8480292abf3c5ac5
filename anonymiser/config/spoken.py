"""``rules/spoken.yaml``, typed and validated: arrondissements said in words, names introduced
by a naming verb, and the transcript conventions that are never masked."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from anonymiser.errors import ConfigError
from anonymiser.i18n import N_


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


@dataclass(frozen=True)
class SpokenRules:
    arrondissements: Arrondissements

    @classmethod
    def from_data(cls, data: dict[str, Any], where: str) -> SpokenRules:
        section = data.get("arrondissements")
        if not isinstance(section, dict):
            raise ConfigError(where, N_("key '%(key)s' has the wrong type"), key="arrondissements")
        fields = Arrondissements.__dataclass_fields__
        return cls(Arrondissements(**{name: _strings(section, name, where, "arrondissements") for name in fields}))


def _strings(data: dict[str, Any], key: str, where: str, section: str) -> tuple[str, ...]:
    if key not in data:
        raise ConfigError(where, N_("missing key '%(key)s'"), key=f"{section}.{key}")
    value = data[key]
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ConfigError(where, N_("key '%(key)s' has the wrong type"), key=f"{section}.{key}")
    return tuple(value)
