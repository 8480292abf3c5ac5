"""Reading rule files and checking their values: YAML, word lists, tables, the grid. Every
error is a ``ConfigError`` that names the file and the key."""

from __future__ import annotations

import csv
import gzip
from pathlib import Path
from typing import Any

import yaml

from anonymiser.errors import ConfigError
from anonymiser.i18n import N_

# libyaml's safe loader where PyYAML was built with it (5 times faster at start-up)
YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_yaml(path: Path) -> dict[str, Any]:
    try:
        with path.open(encoding="utf-8") as handle:
            data = yaml.load(handle, Loader=YAML_LOADER)
    except FileNotFoundError as exc:
        raise ConfigError(str(path), N_("rules file not found")) from exc
    except yaml.YAMLError as exc:
        raise ConfigError(str(path), N_("invalid YAML (%(kind)s)"), kind=exc.__class__.__name__) from exc
    if not isinstance(data, dict):
        raise ConfigError(str(path), N_("expected a mapping at top level"))
    return data


def get(data: dict[str, Any], key: str, kind: type | tuple[type, ...], path: Path) -> Any:
    if key not in data:
        raise ConfigError(str(path), N_("missing key '%(key)s'"), key=key)
    value = data[key]
    if not isinstance(value, kind):
        raise ConfigError(str(path), N_("key '%(key)s' has the wrong type"), key=key)
    return value


def positive_int(data: dict[str, Any], key: str, path: Path, *, default: int) -> int:
    value = data.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ConfigError(str(path), f"key '{key}' must be a whole number of at least 1")
    return value


def str_list(data: dict[str, Any], key: str, path: Path) -> tuple[str, ...]:
    """A list of strings; YAML's bare yes/no/on/y would come back as booleans: refuse them."""
    items = get(data, key, list, path)
    for index, item in enumerate(items):
        if not isinstance(item, str):
            raise ConfigError(str(path), N_("'%(key)s' is not a string (quote it)"), key=f"{key}[{index}]")
    return tuple(items)


def read_lines(path: Path) -> list[str]:
    """Read a word list: one item per line, '#' comments and blanks skipped; .gz allowed."""
    try:
        if path.suffix == ".gz":
            with gzip.open(path, "rt", encoding="utf-8") as handle:
                raw = handle.read()
        else:
            raw = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise ConfigError(str(path), N_("word list not found")) from exc
    return [item for line in raw.splitlines() if (item := line.strip()) and not line.startswith("#")]


def read_grid(path: Path) -> tuple[str, ...]:
    """The interview grid: its non-blank lines, as they are."""
    try:
        return tuple(line for line in path.read_text(encoding="utf-8").splitlines() if line.strip())
    except FileNotFoundError as exc:
        raise ConfigError(str(path), N_("rules file not found")) from exc


def read_tsv(path: Path) -> list[dict[str, str]]:
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.reader(handle, delimiter="\t")
            header = next(reader, [])
            rows = []
            for row in reader:  # as csv.DictReader, twice as fast on the gazetteers
                if row:  # a short row lacks its last fields: they are read with .get()
                    rows.append(dict(zip(header, row)))
            return rows
    except FileNotFoundError as exc:
        raise ConfigError(str(path), N_("table not found")) from exc


def str_map(data: dict[str, Any], key: str, path: Path) -> dict[str, str]:
    value = get(data, key, dict, path)
    for name, item in value.items():
        if not isinstance(item, str):
            raise ConfigError(str(path), N_("'%(key)s' is not a string (quote it)"), key=f"{key}.{name}")
    return {str(k): v for k, v in value.items()}
