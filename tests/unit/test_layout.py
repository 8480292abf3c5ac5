"""The layout keeps its shape: every module of the package that defines a function or a class has
its own test file with real assertions, and no module is over 420 lines.

The test file of ``anonymiser/x.py`` is ``tests/unit/test_x.py``; of ``anonymiser/pkg/mod.py``,
``test_pkg_mod.py`` (``test_mod.py`` is accepted when no other module or package is called
``mod``); a package's ``__init__.py`` counts as the module ``pkg``. Excepted: ``cli/__main__.py``
and an ``__init__.py`` that only has a docstring or re-exports names (imports, ``__all__``, a
lazy ``__getattr__``)."""

from __future__ import annotations

import ast
from collections import Counter
from pathlib import Path

from ..conftest import ROOT

PACKAGE = ROOT / "anonymiser"
TESTS = ROOT / "tests" / "unit"
MAX_LINES = 420
EXCEPTED = {Path("cli/__main__.py")}


def _parts(path: Path) -> tuple[str, ...]:
    """``("review", "report")`` for review/report/__init__.py, ``("detect", "engine")`` for detect/engine.py."""
    relative = path.relative_to(PACKAGE)
    parts = relative.parent.parts if relative.name == "__init__.py" else (*relative.parent.parts, relative.stem)
    return parts or ("anonymiser",)


def _re_exports_only(tree: ast.Module) -> bool:
    for node in tree.body:
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
            continue  # the docstring
        if isinstance(node, (ast.Import, ast.ImportFrom, ast.Assign, ast.AnnAssign)):
            continue
        if isinstance(node, ast.If) and ast.unparse(node.test).endswith("TYPE_CHECKING"):
            continue
        if isinstance(node, ast.FunctionDef) and node.name == "__getattr__":
            continue  # lazy re-exports
        return False
    return True


def _defines_code(tree: ast.Module) -> bool:
    return any(isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) for node in tree.body)


def _modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


def _needing_tests() -> list[Path]:
    needing = []
    for path in _modules():
        if path.relative_to(PACKAGE) in EXCEPTED:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        if path.name == "__init__.py" and _re_exports_only(tree):
            continue
        if _defines_code(tree):
            needing.append(path)
    return needing


def accepted_test_files(path: Path, modules: list[Path]) -> list[str]:
    """The names the test file of ``path`` may have: its full name, and its short name if unambiguous."""
    parts = _parts(path)
    names = [f"test_{'_'.join(parts)}.py"]
    short_names = Counter(_parts(p)[-1] for p in modules if p.relative_to(PACKAGE) not in EXCEPTED)
    if short_names[parts[-1]] == 1 and f"test_{parts[-1]}.py" not in names:
        names.append(f"test_{parts[-1]}.py")
    return names


def _has_real_assertions(test_file: Path) -> bool:
    tree = ast.parse(test_file.read_text(encoding="utf-8"))
    tests = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef) and n.name.startswith("test_")]
    return any(isinstance(n, ast.Assert) or (isinstance(n, ast.Attribute) and n.attr == "raises")
               for test in tests for n in ast.walk(test))


def test_layout_every_module_has_its_test_file() -> None:
    modules = _modules()
    needing = _needing_tests()
    assert len(needing) > 50  # the walk sees the package
    missing, empty = [], []
    for path in needing:
        found = [TESTS / name for name in accepted_test_files(path, modules) if (TESTS / name).exists()]
        if not found:
            missing.append(f"{path.relative_to(ROOT)}: {' or '.join(accepted_test_files(path, modules))}")
        elif not any(_has_real_assertions(f) for f in found):
            empty.append(str(found[0].relative_to(ROOT)))
    assert not missing, "modules without their test file:\n" + "\n".join(missing)
    assert not empty, "test files without assertions:\n" + "\n".join(empty)


def test_layout_no_module_over_420_lines() -> None:
    long = {str(p.relative_to(ROOT)): n for p in _modules()
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert not long, f"modules over {MAX_LINES} lines: {long}"


def test_layout_test_file_names_follow_the_convention() -> None:
    modules = _modules()
    by_part = {_parts(p): p for p in modules}
    detect_engine = by_part[("detect", "engine")]
    assert accepted_test_files(detect_engine, modules) == ["test_detect_engine.py"]  # anonymiser/engine.py too
    assert accepted_test_files(by_part[("engine",)], modules) == ["test_engine.py"]
    assert accepted_test_files(by_part[("keys", "draft")], modules) == ["test_keys_draft.py", "test_draft.py"]
    assert accepted_test_files(by_part[("review", "report")], modules) == ["test_review_report.py",
                                                                           "test_report.py"]
    assert by_part[("cli", "__main__")] not in _needing_tests()
    assert by_part[("text",)] not in _needing_tests()  # docstring only
    assert by_part[("recognizers",)] in _needing_tests()  # french_recognizers()
