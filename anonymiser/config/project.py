"""A team's project file (``anonymiser.toml``): its grid, strategies, word lists, language and
default ``--jobs``, read, checked and laid over the bundled rules (which are never edited).

    >>> project = read_project(Path("anonymiser.toml"))            # doctest: +SKIP
    >>> config = apply_project(load_config(), project)             # doctest: +SKIP

Where it is found: ``--project FILE``; else ``anonymiser.toml`` beside the key file; else in the
working folder. Paths inside it (grid, word lists) are relative to the file. Every error names
the file and the key.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from anonymiser.config.files import read_grid, read_lines
from anonymiser.config.rules import Config
from anonymiser.errors import ConfigError, NotFoundError
from anonymiser.i18n import LANGUAGES, N_
from anonymiser.model import LABELS
from anonymiser.text.fold import fold

PROJECT_FILE = "anonymiser.toml"
PROJECT_ENV = "ANONYMISER_PROJECT"  # how worker processes (Dask) find the run's project file
_TOP = ("sealing_key", "language", "jobs", "grid", "infer_grid", "strategies", "words")
FINGERPRINT = re.compile(r"sha256:[0-9a-f]{32}")
_WORDS = ("never_mask", "always_mask", "organizations")


@dataclass(frozen=True)
class Project:
    """What a project file says; ``None`` or empty where it says nothing (the bundled rules hold)."""

    path: Path | None = None
    sealing_key: str | None = None  # the fingerprint of the key file's sealing key, pinned
    language: str | None = None
    jobs: int | None = None
    grid: tuple[str, ...] | None = None  # the team's grid lines
    infer_grid: bool | None = None
    strategies: dict[str, str] = field(default_factory=dict)
    never_mask: tuple[str, ...] = ()
    always_mask: tuple[tuple[str, str], ...] = ()  # (form, label)
    organizations: tuple[str, ...] = ()


def find_project(explicit: str | os.PathLike[str] | None = None, *, key_path: str | os.PathLike[str] | None = None,
                 cwd: str | os.PathLike[str] | None = None) -> Path | None:
    """The project file a command reads: ``explicit`` (which must exist), else ``anonymiser.toml``
    beside the key file, else in ``cwd`` (default: the working folder); ``None`` when there is none."""
    if explicit:
        path = Path(explicit)
        if not path.is_file():
            raise NotFoundError(str(path), N_("project file not found"))
        return path
    for folder in (Path(key_path).parent if key_path else None, Path(cwd) if cwd else Path.cwd()):
        if folder is not None and (folder / PROJECT_FILE).is_file():
            return folder / PROJECT_FILE
    return None


def read_project(path: str | os.PathLike[str]) -> Project:
    """Read and check the project file at ``path``; errors name the file and the key."""
    path = Path(path)
    where = str(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise NotFoundError(where, N_("project file not found")) from exc
    except UnicodeDecodeError as exc:
        raise ConfigError(where, N_("the project file is not UTF-8 text")) from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(where, N_("invalid TOML (%(reason)s)"), reason=str(exc)) from exc
    _known_keys(data, _TOP, where, "")
    language = data.get("language")
    if language is not None and language not in LANGUAGES:
        raise ConfigError(where, N_("'%(key)s' must be one of %(values)s"), key="language",
                          values=", ".join(LANGUAGES))
    sealing_key = data.get("sealing_key")
    if sealing_key is not None and not (isinstance(sealing_key, str) and FINGERPRINT.fullmatch(sealing_key)):
        raise ConfigError(where, N_("'%(key)s' must be a fingerprint as 'key pin' prints it (sha256:...)"),
                          key="sealing_key")
    jobs = data.get("jobs")
    if jobs is not None and (isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 1):
        raise ConfigError(where, N_("'%(key)s' must be a whole number of at least 1"), key="jobs")
    infer = data.get("infer_grid")
    if infer is not None and not isinstance(infer, bool):
        raise ConfigError(where, N_("'%(key)s' must be true or false"), key="infer_grid")
    grid = None
    if "grid" in data:
        if not isinstance(data["grid"], str) or not data["grid"].strip():
            raise ConfigError(where, N_("'%(key)s' must be the path of a grid file"), key="grid")
        grid = _read(read_grid, path.parent / data["grid"], where, "grid")
    strategies = data.get("strategies", {})
    if not isinstance(strategies, dict) or not all(isinstance(v, str) for v in strategies.values()):
        raise ConfigError(where, N_("'%(key)s' must map labels to strategies (strings)"), key="strategies")
    for label in strategies:
        if label not in LABELS:
            raise ConfigError(where, N_("unknown label '%(label)s' in '%(key)s'"), label=label, key="strategies")
    words = data.get("words", {})
    if not isinstance(words, dict):
        raise ConfigError(where, N_("key '%(key)s' has the wrong type"), key="words")
    _known_keys(words, _WORDS, where, "words.")
    always = words.get("always_mask", {})
    if not isinstance(always, dict):
        raise ConfigError(where, N_("'%(key)s' must map labels to lists of words"), key="words.always_mask")
    forms: list[tuple[str, str]] = []
    for label, items in always.items():
        if label not in LABELS:
            raise ConfigError(where, N_("unknown label '%(label)s' in '%(key)s'"), label=label,
                              key="words.always_mask")
        forms += [(form, label) for form in _word_list(items, path, f"words.always_mask.{label}")]
    return Project(
        path=path, sealing_key=sealing_key, language=language, jobs=jobs, grid=grid, infer_grid=infer,
        strategies={str(k): v.strip().lower() for k, v in strategies.items()},
        never_mask=_word_list(words.get("never_mask", []), path, "words.never_mask"),
        always_mask=tuple(forms),
        organizations=_word_list(words.get("organizations", []), path, "words.organizations"),
    )


def apply_project(config: Config, project: Project) -> Config:
    """``config`` with the project's values laid over it (the bundled rules are not touched)."""
    where = str(project.path) if project.path else "project"
    strategies = dict(config.pseudonym_rules.strategies)
    strategies.update(config.pseudonym_rules.check_strategies(project.strategies, where))
    return replace(
        config,
        grid_lines=project.grid if project.grid is not None else config.grid_lines,
        # a grid the team gives is its grid; without one, the rules say whether to infer it
        infer_grid=project.infer_grid if project.infer_grid is not None else
        (False if project.grid is not None else config.infer_grid),
        pseudonym_rules=replace(config.pseudonym_rules, strategies=strategies),
        org_names=tuple(dict.fromkeys((*config.org_names, *project.organizations))),
        never_mask=config.never_mask | {fold(w) for w in project.never_mask},
        always_mask=tuple(dict.fromkeys((*config.always_mask, *project.always_mask))),
    )


def _known_keys(data: dict[str, Any], known: tuple[str, ...], where: str, prefix: str) -> None:
    for key in data:
        if key not in known:
            raise ConfigError(where, N_("unknown key '%(key)s'"), key=prefix + key)


def _read(reader: Any, target: Path, where: str, key: str) -> Any:
    """``reader(target)``, a missing file being an error of the project file's ``key``."""
    try:
        return reader(target)
    except ConfigError as exc:
        raise ConfigError(where, N_("'%(key)s': cannot read %(file)s"), key=key, file=str(target)) from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(where, N_("'%(key)s': cannot read %(file)s"), key=key, file=str(target)) from exc


def _word_list(value: Any, path: Path, key: str) -> tuple[str, ...]:
    """A list of words given inline, or as the path of a word list (one a line, ``#`` comments)."""
    where = str(path)
    if isinstance(value, str):
        return tuple(_read(read_lines, path.parent / value, where, key))
    if not isinstance(value, list) or not all(isinstance(item, str) and item.strip() for item in value):
        raise ConfigError(where, N_("'%(key)s' must be a list of words or the path of a word list"), key=key)
    return tuple(item.strip() for item in value)


def pin_sealing_key(path: str | os.PathLike[str], fingerprint: str) -> str:
    """Record ``fingerprint`` as ``sealing_key`` in the project file at ``path`` (created from
    ``TEMPLATE`` when there is none; else the line goes at its top, the rest kept as it is).
    Returns the fingerprint the file pins now: another one already there is never replaced."""
    path = Path(path)
    mode = 0o644
    if path.exists():
        pinned = read_project(path).sealing_key
        if pinned is not None:
            return pinned
        text, mode = path.read_text(encoding="utf-8"), path.stat().st_mode & 0o777
    else:
        text = TEMPLATE
    from anonymiser.documents.files import atomic_write

    line = (f"# The fingerprint of the key file's sealing key ('anonymiser key pin'): every run refuses a key\n"
            f"# file whose sealing key has another. Keep this file where pseudonymising users cannot change it.\n"
            f'sealing_key = "{fingerprint}"\n\n')
    atomic_write(path, (line + text).encode("utf-8"), mode=mode)
    return fingerprint


TEMPLATE = """\
# anonymiser project file: this team's settings, laid over the rules bundled with the tool
# (which are never edited). `run`, `review`, `detect` and `evaluate` read it: from
# --project FILE, else anonymiser.toml beside the key file, else in the working folder.
# Paths are relative to this file. Every key is optional: remove the # to use one.

# Language of the messages: "fr" or "en" (--lang wins).
# language = "fr"

# Default number of processes of `run` (--jobs wins).
# jobs = 2

# The team's interview grid: one question, heading or answer category a line. Grid lines
# are never masked, and `audit --by-field` groups mentions by question. See what
# `anonymiser grid infer FOLDER` finds in your corpus, check it, save it as this file.
# grid = "grille.txt"

# Also take as grid the lines that recur across most documents of a run (default: true
# when no grid is given above, false when one is).
# infer_grid = true

# Strategy per label: realistic, tag, generalise, redact, or keep (left as it is, still
# audited and shown in the review report). Labels: PERSON, ROLE, ORGANIZATION, MUNICIPALITY,
# LOCATION, EMAIL_ADDRESS, PHONE_NUMBER, URL, ADDRESS. --strategy wins.
[strategies]
# MUNICIPALITY = "keep"
# PERSON = "tag"

# Word lists: inline, or the path of a file with one item a line.
[words]
# Never masked, wherever they are (a public body the study names on purpose).
# never_mask = ["Tour de France", "Banque de France"]
# Organisations of the field, found in every document.
# organizations = ["La Ruche Solidaire"]

# Always masked, with their label (nicknames, a local name no lexicon knows).
[words.always_mask]
# PERSON = ["Gégé", "la Rouquine"]
# LOCATION = "lieux.txt"
"""
