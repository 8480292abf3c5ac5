"""`make messages`: bring the French catalogue in step with the code.

Extracts every message of ``anonymiser/`` (calls of ``_``, ``ngettext``, and the markers ``N_`` and
``Nn_``), then rewrites ``anonymiser/locale/fr/LC_MESSAGES/anonymiser.po``: translations kept, new
messages added untranslated (to be translated by hand), messages no longer in the code dropped.
``tests/unit/test_i18n.py`` uses the same extraction to check that the catalogue is complete.
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "anonymiser"
PO_FILES = sorted((PACKAGE / "locale").glob("*/LC_MESSAGES/anonymiser.po"))
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2), "Nn_": (1, 2)}


def extract() -> Catalog:
    """The messages of the code, as a template catalogue (ids only)."""
    template = Catalog(project="anonymiser", fuzzy=False)
    for filename, lineno, message, comments, context in extract_from_dir(
            PACKAGE, method_map=[("**.py", "python")], keywords=KEYWORDS, comment_tags=("TRANSLATORS:",),
            strip_comment_tags=True):
        template.add(message, None, [(f"anonymiser/{filename}", lineno)], auto_comments=comments, context=context)
    return template


def read(po_path: Path) -> Catalog:
    with po_path.open("rb") as handle:
        return read_po(handle, locale=po_path.parent.parent.name)


def update(po_path: Path) -> list[str]:
    """Rewrite ``po_path`` from the code's messages; returns the ids still to translate."""
    catalog = read(po_path)
    template = extract()
    template.creation_date = catalog.creation_date  # no churn in the header
    catalog.update(template, no_fuzzy_matching=True)
    catalog.obsolete.clear()
    write(po_path, catalog)
    return [m.id if isinstance(m.id, str) else m.id[0] for m in catalog if m.id and not translated(m.string)]


def write(po_path: Path, catalog: Catalog) -> None:
    """Messages in the order of the code, without line numbers (which would change at every edit)."""
    with po_path.open("wb") as handle:
        write_po(handle, catalog, width=100, no_location=True, include_previous=False)


def translated(string: str | tuple[str, ...]) -> bool:
    return all(string) if isinstance(string, tuple) else bool(string)


def main() -> int:
    missing = []
    for po_path in PO_FILES:
        missing += [f"{po_path.relative_to(ROOT)}: {m!r}" for m in update(po_path)]
    print("\n".join(missing) if missing else "catalogue complete")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
