"""Behaviour does not move by accident: the golden run (gold fixtures, demo, held-out
interviews and a CSV, with the committed empty key file) must give, byte for byte, the
outputs and audit log recorded in ``golden/expected/``.

After a deliberate change of behaviour, record them again with ``make golden`` and say why
in the commit.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from anonymiser import cli as cli_module
from scripts.record_golden import GOLDEN, PASSPHRASE, gather


@pytest.mark.slow
def test_golden_run_gives_the_recorded_outputs(runner, tmp_path: Path) -> None:
    gather(tmp_path / "in")
    shutil.copyfile(GOLDEN / "empty.key", tmp_path / "golden.key")
    result = runner.invoke(cli_module.cli, ["run", str(tmp_path / "in"), "--key", str(tmp_path / "golden.key"),
                                            "--out", str(tmp_path / "out")],
                           env={"ANONYMISER_PASSPHRASE": PASSPHRASE}, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    expected = GOLDEN / "expected"
    produced = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert produced == sorted(p.name for p in expected.iterdir())
    changed = [name for name in produced
               if (tmp_path / "out" / name).read_bytes() != (expected / name).read_bytes()]
    assert not changed, f"outputs differ from the recorded ones (make golden after a deliberate change): {changed}"
