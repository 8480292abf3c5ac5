"""``--verbose``, on every command: what a command uses (the rules folder, the grid, the model, the
key file) and how long each step takes, on stderr through the ``anonymiser`` logger. Never a form,
a text or a pseudonym: only paths, counts and durations."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import click

from anonymiser.i18n import N_, Message, Nn_, current_language, number

log = logging.getLogger("anonymiser")
R = TypeVar("R")
GRID_LINES = Nn_("%(count)s line", "%(count)s lines")
DOCUMENTS = Nn_("%(count)d document", "%(count)d documents")


def documents_count(count: int) -> Message:
    """"1 document", "12 documents", translated when shown."""
    return Message(DOCUMENTS[0], {"count": count}, DOCUMENTS[1], count)


def enabled() -> bool:
    """Whether ``--verbose`` was given."""
    return log.isEnabledFor(logging.INFO)


def switch(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    """The option's callback: notes go to stderr from now on, for this command."""
    if value and not ctx.resilient_parsing:
        log.setLevel(logging.INFO)


def seconds(value: float) -> str:
    """A duration in seconds, with two decimals (a decimal comma in French).

    >>> seconds(1.2345)
    '1.23'
    """
    shown = f"{value:.2f}"
    return shown.replace(".", ",") if current_language() == "fr" else shown


def note(message: str, **params: Any) -> None:
    """Show ``message`` (a message id, translated when shown) with ``--verbose``."""
    if enabled():
        log.info(Message(message, params))


@contextmanager
def timed(message: str, **params: Any) -> Iterator[None]:
    """Note ``message`` with ``%(seconds)s``, the time the block took (when it ends without error)."""
    start = time.perf_counter()
    yield
    note(message, seconds=seconds(time.perf_counter() - start), **params)


def run_command(invoke: Callable[[], R]) -> R:
    """Run a command; with ``--verbose``, note how long it took. The level is reset after it, so
    that one command's ``--verbose`` never carries over to the next (tests run many)."""
    start = time.perf_counter()
    try:
        return invoke()
    finally:
        note(N_("command done in %(seconds)s s"), seconds=seconds(time.perf_counter() - start))
        log.setLevel(logging.NOTSET)


def engine_loaded(engine: Any, started: float) -> None:
    """What an engine uses: its rules folder, grid and spaCy model (the model loads when first
    needed, and its load is timed with the first phase)."""
    config = engine.config
    note(N_("rules: %(path)s (engine ready in %(seconds)s s)"), path=config.rules_dir,
         seconds=seconds(time.perf_counter() - started))
    questions = len(config.grid_lines)
    note(N_("interview grid: %(path)s (%(lines)s)"), path=config.grid_file,
         lines=Message(GRID_LINES[0], {"count": number(questions)}, GRID_LINES[1], questions))
    note(N_("model: %(model)s %(version)s"), model=config.model, version=_model_version(config.model))


def _model_version(model: str) -> str:
    """The installed version of a spaCy model package, without loading it."""
    from importlib import metadata

    try:
        return metadata.version(model)
    except metadata.PackageNotFoundError:
        return ""
