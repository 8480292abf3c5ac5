"""The built wheel works outside the checkout: rules, catalogue and report assets ship inside it.

The wheel is built from a copy of the sources (``pip wheel --no-build-isolation``: setuptools, wheel
and babel come from the dev venv, so nothing is downloaded) and installed with ``--no-deps`` into a
fresh venv in a temporary folder. That venv gets its dependencies (spaCy and its French model,
Presidio, ...) from the dev venv's site-packages through a ``.pth`` file, so nothing is downloaded
there either; the ``anonymiser`` package itself and its rules come from the wheel only. Commands run
from yet another folder, without ``PYTHONPATH`` or ``ANONYMISER_RULES``.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest

from ..conftest import ROOT

pytestmark = pytest.mark.slow

# what the build reads (README.md is the long description); nothing else of the checkout is copied
SOURCES = ("pyproject.toml", "setup.py", "README.md", "anonymiser", "rules")
PIP = (sys.executable, "-m", "pip", "--disable-pip-version-check", "--no-input")
PASSPHRASE = "phrase-de-test-pas-secrete"
INTERVIEW = (
    "Intervieweur : Bonjour, pouvez-vous vous présenter ?\n"
    "Marcel Dupontel : Je suis Marcel Dupontel, maraîcher à Saint-Flour depuis vingt ans.\n"
)


def _copy_sources(target: Path) -> None:
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.mo", "*.egg-info")  # the build compiles the .mo
    for name in SOURCES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=ignore)
        else:
            shutil.copy2(source, target / name)


def _venv_with_dev_dependencies(path: Path) -> Path:
    """A venv without pip whose ``.pth`` adds the dev venv's site-packages after its own (nothing downloaded)."""
    venv.EnvBuilder(with_pip=False).create(path)
    python = path / "bin" / "python"
    own = subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                         capture_output=True, text=True, check=True).stdout.strip()
    dev = dict.fromkeys([sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]])
    (Path(own) / "anonymiser_dev_dependencies.pth").write_text("\n".join(dev) + "\n", encoding="utf-8")
    return python


def _environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "ANONYMISER_RULES", "VIRTUAL_ENV"}}
    env.update(ANONYMISER_PASSPHRASE=PASSPHRASE, LANG="C.UTF-8", PYTHONDONTWRITEBYTECODE="1")
    return env


def _run(*command: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    done = subprocess.run([str(c) for c in command], cwd=cwd, env=_environment(), capture_output=True,
                          text=True, timeout=120, check=False)
    assert done.returncode == 0, f"{command[:3]}... failed:\n{done.stdout}\n{done.stderr}"
    return done


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, Path]:
    """(the source copy, the wheel built from it)."""
    work = tmp_path_factory.mktemp("wheel")
    source, dist = work / "src", work / "dist"
    source.mkdir()
    _copy_sources(source)
    _run(*PIP, "wheel", "--quiet", "--no-deps", "--no-build-isolation", "--no-index", "-w", dist, source, cwd=work)
    wheels = sorted(dist.glob("anonymiser-*.whl"))
    assert len(wheels) == 1, wheels
    return source, wheels[0]


@pytest.fixture(scope="module")
def installed(built, tmp_path_factory) -> Path:
    """The venv (its folder) with the wheel installed."""
    path = tmp_path_factory.mktemp("venv") / "venv"
    python = _venv_with_dev_dependencies(path)
    _run(*PIP, "--python", python, "install", "--quiet", "--no-deps", "--no-index", built[1], cwd=path.parent)
    return path


@pytest.fixture()
def elsewhere(tmp_path) -> Path:
    """A working folder that is neither the checkout nor the venv."""
    folder = tmp_path / "ailleurs"
    folder.mkdir()
    return folder


def test_wheel_holds_rules_catalogue_and_report_assets(built) -> None:
    names = set(zipfile.ZipFile(built[1]).namelist())
    rules = [p.relative_to(ROOT / "rules").as_posix() for p in (ROOT / "rules").rglob("*")
             if p.is_file() and "__pycache__" not in p.parts]
    assert any(r.endswith(".gz") for r in rules) and any(r.endswith(".tsv") for r in rules)
    missing = [r for r in rules if f"anonymiser/rules/{r}" not in names]
    assert not missing, f"rules/ files left out of the wheel: {missing}"
    assert "anonymiser/locale/fr/LC_MESSAGES/anonymiser.mo" in names
    assert {"anonymiser/review/report/report.css", "anonymiser/review/report/report.js"} <= names
    assert not [n for n in names if n.startswith("rules/")], "rules/ must ship inside the package"


def test_installed_wheel_pseudonymises_from_another_folder(installed, elsewhere) -> None:
    (elsewhere / "entretiens").mkdir()
    (elsewhere / "entretiens" / "entretien_01.txt").write_text(INTERVIEW, encoding="utf-8")
    anonymiser = installed / "bin" / "anonymiser"
    _run(anonymiser, "key", "init", "cles.key", cwd=elsewhere)
    _run(anonymiser, "run", "entretiens", "--key", "cles.key", "--out", "sortie", cwd=elsewhere)
    output = (elsewhere / "sortie" / "entretien_01.txt").read_text(encoding="utf-8")
    assert output.startswith("Intervieweur : Bonjour")
    assert "Dupontel" not in output and "Marcel" not in output
    records = [json.loads(line) for line in (elsewhere / "sortie" / "audit.jsonl").read_text().splitlines()]
    assert any(r.get("record") == "mention" and r.get("label") == "PERSON" for r in records)


def test_installed_wheel_reads_its_own_rules(installed, elsewhere) -> None:
    probe = ("import anonymiser, importlib.resources as r; from anonymiser.config.load import load_config; "
             "print(anonymiser.__file__); print(r.files('anonymiser.rules')); print(load_config().rules_dir)")
    lines = _run(installed / "bin" / "python", "-c", probe, cwd=elsewhere).stdout.splitlines()
    package, bundled, used = (Path(line).resolve() for line in lines)
    venv_root = installed.resolve()
    assert package.is_relative_to(venv_root), package
    assert bundled == used == package.parent / "rules"
    assert not used.is_relative_to(ROOT.resolve())


def test_installed_wheel_speaks_french(installed, elsewhere) -> None:
    done = _run(installed / "bin" / "python", "-m", "anonymiser.cli", "--lang", "fr", "--help", cwd=elsewhere)
    assert "Utilisation\u00a0:" in done.stdout and "Afficher ce message et quitter." in done.stdout


def test_editable_install_maps_the_top_level_rules(built, tmp_path) -> None:
    """What ``make install`` does (``pip install -e``): ``anonymiser.rules`` resolves to the source's rules/."""
    source = built[0]
    python = _venv_with_dev_dependencies(tmp_path / "editable")
    _run(*PIP, "--python", python, "install", "--quiet", "--no-deps", "--no-build-isolation", "--no-index",
         "-e", source, cwd=tmp_path)
    probe = ("import importlib.resources as r; from anonymiser.config.load import DEFAULT_RULES; "
             "print(r.files('anonymiser.rules')); print(DEFAULT_RULES)")
    lines = _run(python, "-c", probe, cwd=tmp_path).stdout.splitlines()
    assert [Path(line).resolve() for line in lines] == [(source / "rules").resolve()] * 2
