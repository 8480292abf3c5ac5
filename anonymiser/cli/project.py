"""``anonymiser project init``, ``grid infer`` and the ``--project`` option: a team's project
file, found and laid over the bundled rules for ``run``, ``review``, ``detect`` and ``evaluate``."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import click

from anonymiser.cli import base
from anonymiser.cli.base import PathType, cli, handle_errors, option
from anonymiser.config.project import (
    PROJECT_ENV,
    PROJECT_FILE,
    TEMPLATE,
    Project,
    find_project,
    pin_sealing_key,
    read_project,
)
from anonymiser.errors import EXIT_SKIPPED, RefusedError
from anonymiser.i18n import N_, _, language_given, ngettext, set_language
from anonymiser.keys import crypto

F = TypeVar("F", bound=Callable[..., Any])


def project_option(func: F) -> F:
    """The ``--project FILE`` option of the commands that read a project file."""
    return option("--project", "project_path", type=PathType(dir_okay=False), default=None,
                  help=N_("Project file (default: anonymiser.toml beside the key file, else in the working "
                          "folder)."))(func)


def load_project(project_path: str | None, key_path: str | None = None) -> Project | None:
    """The project file this command reads, checked; its language becomes the messages' unless
    ``--lang`` was given. ``None`` when there is none."""
    path = find_project(project_path, key_path=key_path)
    if path is None:
        return None
    project = read_project(path)
    if project.language and not language_given():
        set_language(project.language)
    return project


def check_sealing_key(keyfile: Any, project: Project | None, key_path: str) -> None:
    """Refuse a key file whose sealing key is not the one the project file pins (a holder of the
    pseudonymise passphrase may have put their own there, to read the originals sealed next);
    without a pin, say how to record one. Before anything is sealed or written."""
    pinned = project.sealing_key if project is not None else None
    if project is None or pinned is None:
        click.echo(_("anonymiser: warning: %(path)s: its sealing key is not pinned; pin it with 'anonymiser key pin "
                     "%(path)s' (re-identification passphrase; see the DPO guide)") % {"path": key_path}, err=True)
    elif pinned != crypto.fingerprint(keyfile.public_key):
        raise RefusedError(key_path, N_("its sealing key (%(found)s) is not the one %(project)s pins (%(pinned)s): "
                                        "refused, nothing written"),
                           found=crypto.fingerprint(keyfile.public_key), project=str(project.path), pinned=pinned)


def pin(keyfile: Any, key_path: str, project_path: str | None = None) -> tuple[Path, str]:
    """Record the key file's sealing key in the project file that commands on ``key_path`` read
    (``project_path``, else the one found, else a new ``anonymiser.toml`` beside the key file);
    returns it and the fingerprint it pins (another one already pinned is kept: see the caller)."""
    path = find_project(project_path, key_path=key_path) or Path(key_path).parent / PROJECT_FILE
    return path, pin_sealing_key(path, crypto.fingerprint(keyfile.public_key))


def project_engine(project: Project | None) -> Any:
    """The engine of this process, with ``project`` laid over its rules."""
    engine = base._anonymiser()
    if project is None or project.path is None:
        return engine
    return engine.with_project(project.path)


@contextlib.contextmanager
def for_workers(project: Project | None) -> Iterator[None]:
    """While the block runs, worker processes that build their own engine (Dask's) find the
    project file through ``ANONYMISER_PROJECT``; forked ones inherit the engine."""
    if project is None or project.path is None:
        yield
        return
    before = os.environ.get(PROJECT_ENV)
    os.environ[PROJECT_ENV] = str(project.path.resolve())
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(PROJECT_ENV, None)
        else:
            os.environ[PROJECT_ENV] = before


@cli.group("project", help=N_("A team's project file (anonymiser.toml): its grid, strategies and word lists."))
def project_group() -> None:
    pass


@project_group.command("init", help=N_("Write a commented example project file (default: anonymiser.toml here; "
                                        "a folder gets its anonymiser.toml)."))
@click.argument("path", required=False, default=PROJECT_FILE, type=PathType())
@handle_errors
def init(path: str) -> None:
    from anonymiser.documents.files import atomic_write

    target = Path(path) / PROJECT_FILE if Path(path).is_dir() else Path(path)
    if target.exists():
        raise RefusedError(str(target), N_("already exists: not overwritten"))
    atomic_write(target, TEMPLATE.encode("utf-8"), mode=0o644)
    click.echo(_("%(path)s created: uncomment the keys you need") % {"path": str(target)})


@cli.group("grid", help=N_("The interview grid: lines never masked, fields of 'audit --by-field'."))
def grid_group() -> None:
    pass


@grid_group.command("infer", help=N_("Print the lines printed in most documents of FOLDER (more than half, at "
                                     "least 3): the grid a run infers when none is given. Check it, save it, "
                                     "name it in the project file (grid = \"FILE\")."))
@click.argument("inputs", nargs=-1, required=True, type=PathType(exists=True))
@handle_errors
def infer(inputs: tuple[str, ...]) -> None:
    from anonymiser.config.load import load_config
    from anonymiser.pipeline import inferred_grid

    documents, skipped = base._read_inputs(inputs)
    if not documents:
        raise RefusedError(None, N_("no document to read"))
    lines = inferred_grid((d.text for d in documents), load_config())
    for line in lines:
        click.echo(line)
    click.echo(ngettext("%(lines)d grid line found in %(documents)s",
                        "%(lines)d grid lines found in %(documents)s", len(lines))
               % {"lines": len(lines), "documents": ngettext("%(count)d document", "%(count)d documents",
                                                             len(documents)) % {"count": len(documents)}},
               err=True)
    if skipped:
        sys.exit(EXIT_SKIPPED)
