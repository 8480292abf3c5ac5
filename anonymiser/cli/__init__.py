"""Command line: a thin layer over the public API; the only place that configures logging,
prompts, prints and writes files. One module per command group: ``key``, ``run`` (with
``detect``), ``review``, ``audit`` (with ``reidentify`` and ``evaluate``)."""

from __future__ import annotations

import logging
import os
import sys

import click

from anonymiser.cli import audit, key, project, review, run
from anonymiser.cli.base import cli

__all__ = ["audit", "cli", "key", "main", "project", "review", "run"]


def main() -> None:
    """The console command. Once the command is done (every output written, synced and
    closed), the process ends at once: tearing the model and the word lists down object by
    object would add a third of a second to every command."""
    try:
        cli(prog_name="anonymiser")
        code = 0
    except SystemExit as done:
        if isinstance(done.code, str):
            click.echo(done.code, err=True)
        code = done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed or broken pipe: nothing more can be said
            pass
    os._exit(code)


