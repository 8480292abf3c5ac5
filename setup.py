"""Build hook: compile the message catalogues (``.po`` -> ``.mo``) whenever the package is built,
editable installs included, and ship the repository's top-level ``rules/`` as ``anonymiser.rules``.
Everything else about the package is in pyproject.toml."""

from __future__ import annotations

from pathlib import Path

from setuptools import find_namespace_packages, setup
from setuptools.command.build_py import build_py

LOCALE = Path(__file__).resolve().parent / "anonymiser" / "locale"


def compile_catalogues() -> None:
    """Compile every ``anonymiser/locale/<lang>/LC_MESSAGES/*.po`` next to itself; refuse fuzzy
    or broken entries rather than ship a half-translated tool."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    for po_path in sorted(LOCALE.glob("*/LC_MESSAGES/*.po")):
        with po_path.open("rb") as handle:
            catalog = read_po(handle, locale=po_path.parent.parent.name)
        problems = [f"{po_path}:{m.lineno}: {m.id!r}: {error}"
                    for m, errors in catalog.check() for error in errors]
        if problems:
            raise SystemExit("message catalogue has errors:\n" + "\n".join(problems))
        with po_path.with_suffix(".mo").open("wb") as handle:
            write_mo(handle, catalog, use_fuzzy=False)


class BuildWithCatalogues(build_py):
    def run(self) -> None:
        compile_catalogues()
        super().run()


# rules/ stays at the top of the repository, where people edit it, and is installed inside the package
# (pyproject.toml's packages.find cannot add a package from another folder, hence this list)
setup(
    cmdclass={"build_py": BuildWithCatalogues},
    packages=[*find_namespace_packages(include=["anonymiser", "anonymiser.*"]), "anonymiser.rules"],
    package_dir={"anonymiser.rules": "rules"},
)
