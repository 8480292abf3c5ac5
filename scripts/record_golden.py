"""Record the outputs that tests/regression/test_golden.py compares byte for byte.

Run it only after a deliberate change of behaviour (``make golden``): it pseudonymises the
gold fixtures, the demo, the held-out interviews and tests/regression/golden/inputs/ with a
copy of the committed empty key file, and writes every output and the audit log to
tests/regression/golden/expected/.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "regression" / "golden"
PASSPHRASE = "golden-fixture-passphrase"  # the committed key file holds invented data only
SOURCES = (ROOT / "fixtures" / "interviews", ROOT / "fixtures" / "demo",
           ROOT / "fixtures" / "heldout" / "interviews", GOLDEN / "inputs")


def gather(into: Path) -> None:
    """Copy every input of the golden run into one folder (names are unique across sources)."""
    into.mkdir(parents=True)
    for source in SOURCES:
        for path in sorted(source.iterdir()):
            if path.is_file() and path.suffix in {".txt", ".csv"}:
                if (into / path.name).exists():
                    raise SystemExit(f"duplicate input name: {path.name}")
                shutil.copyfile(path, into / path.name)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        gather(work / "in")
        shutil.copyfile(GOLDEN / "empty.key", work / "golden.key")
        env = {**os.environ, "ANONYMISER_PASSPHRASE": PASSPHRASE}
        subprocess.run([sys.executable, "-m", "anonymiser.cli", "run", str(work / "in"), "--key",
                        str(work / "golden.key"), "--out", str(work / "out")], check=True, env=env)
        expected = GOLDEN / "expected"
        shutil.rmtree(expected, ignore_errors=True)
        shutil.copytree(work / "out", expected)
    print(f"recorded {len(list(expected.iterdir()))} files in {expected.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
