"""Shared by the CLI tests: the command in process (click's runner) or as a real process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from anonymiser import cli as cli_module
from tests.unit.keying import PASSPHRASE

NBSP = "\u00a0"
FRENCH = {"LANG": "fr_FR.UTF-8"}
ENGLISH = {"LANG": "en_US.UTF-8"}


def invoke(*args: str, env: dict[str, str], passphrase: str | None = PASSPHRASE, **kwargs):
    env = dict(env)
    if passphrase is not None:
        env["ANONYMISER_PASSPHRASE"] = passphrase
    return CliRunner().invoke(cli_module.cli, list(args), env=env, catch_exceptions=False, prog_name="anonymiser",
                              **kwargs)


def run_process(*args: str, env_extra: dict[str, str] | None = None, cwd: Path | None = None):
    env = {k: v for k, v in os.environ.items() if k != "ANONYMISER_PASSPHRASE"}
    env.update(env_extra or {})
    return subprocess.run([sys.executable, "-m", "anonymiser.cli", *args], capture_output=True, text=True,
                          env=env, cwd=cwd, stdin=subprocess.DEVNULL, timeout=300)
