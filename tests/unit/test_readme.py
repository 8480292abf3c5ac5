"""The READMEs' worked examples are run as they are written, so the documentation cannot drift
from the tool: every ``$ `` line of the block marked ``<!-- checked: tests/unit/test_readme.py -->``
is run (in one shell, in a folder holding ``fixtures/readme/``), and what it prints must be the lines
that follow it in the README, exactly (trailing spaces aside). The French README runs under
``LANG=fr_FR.UTF-8``, the English one under ``LANG=C.UTF-8``."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from ..conftest import FIXTURES, ROOT

MARKER = "<!-- checked: tests/unit/test_readme.py -->"
SEPARATOR = "@@@ next command @@@"


@dataclass(frozen=True)
class Step:
    command: str
    expected: tuple[str, ...]


def worked_example(readme: Path) -> list[Step]:
    """The commands of the marked ``console`` block and the output written under each."""
    text = readme.read_text(encoding="utf-8")
    found = re.search(re.escape(MARKER) + r"\s*```console\n(.*?)```", text, flags=re.S)
    assert found, f"{readme.name} has no worked example marked {MARKER}"
    steps: list[Step] = []
    command: list[str] = []
    lines = found.group(1).splitlines()
    index = 0
    while index < len(lines):
        line = lines[index]
        assert line.startswith("$ "), f"{readme.name}: output before any command: {line!r}"
        command = [line[2:]]
        while command[-1].endswith("\\"):
            index += 1
            command.append(lines[index])
        index += 1
        expected = []
        while index < len(lines) and not lines[index].startswith("$ "):
            expected.append(lines[index].rstrip())
            index += 1
        while expected and not expected[-1]:
            expected.pop()
        steps.append(Step("\n".join(command), tuple(expected)))
    return steps


def run_steps(steps: list[Step], workdir: Path, lang: str) -> list[tuple[str, ...]]:
    """Run every step in one shell (``$?`` is the previous step's status); the output of each."""
    script = ["__status=0"]
    for step in steps:
        script.append(f"printf '%s\\n' {shlex.quote(SEPARATOR)}; (exit $__status)")
        script.append(f"{{ {step.command}\n}} 2>&1; __status=$?")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ANONYMISER_", "LC_", "LANGUAGE"))}
    env.update(LANG=lang, PYTHONUNBUFFERED="1", HOME=str(workdir),
               PATH=f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}")
    done = subprocess.run(["bash", "-c", "\n".join(script)], cwd=workdir, env=env, capture_output=True, text=True,
                          stdin=subprocess.DEVNULL, timeout=600)
    chunks = done.stdout.split(SEPARATOR + "\n")[1:]
    assert len(chunks) == len(steps), done.stdout + done.stderr
    outputs = []
    for chunk in chunks:
        lines = [line.rstrip() for line in chunk.splitlines()]
        while lines and not lines[-1]:
            lines.pop()
        outputs.append(tuple(lines))
    return outputs


@pytest.mark.slow
@pytest.mark.parametrize(("readme", "lang"), [("README.md", "fr_FR.UTF-8"), ("README.en.md", "C.UTF-8")])
def test_readme_worked_example_runs_as_written(readme: str, lang: str, tmp_path: Path) -> None:
    steps = worked_example(ROOT / readme)
    shutil.copytree(FIXTURES / "readme", tmp_path, dirs_exist_ok=True)
    outputs = run_steps(steps, tmp_path, lang)
    for step, output in zip(steps, outputs):
        assert output == step.expected, (f"{readme}: `{step.command}` printed:\n" + "\n".join(output)
                                         + "\n\nbut the README shows:\n" + "\n".join(step.expected))


def test_readme_worked_examples_are_in_step() -> None:
    """Both READMEs run the same commands (the French one is the reference)."""
    def commands(readme: str) -> list[str]:
        return [re.sub(r"\s+#.*$", "", s.command) for s in worked_example(ROOT / readme)]

    assert commands("README.en.md") == commands("README.md")


def test_readme_parser_reads_commands_and_outputs(tmp_path: Path) -> None:
    readme = tmp_path / "README.md"
    readme.write_text(f"intro\n{MARKER}\n```console\n$ echo a \\\n  b\na b\n$ true\n$ echo $?\n0\n\n```\n",
                      encoding="utf-8")
    steps = worked_example(readme)
    assert steps == [Step("echo a \\\n  b", ("a b",)), Step("true", ()), Step("echo $?", ("0",))]
    assert run_steps(steps, tmp_path, "C.UTF-8") == [("a b",), (), ("0",)]


DOCTEST_MARKER = "<!-- doctest: tests/unit/test_readme.py -->"


def api_examples(readme: Path) -> list[str]:
    """The ``python`` blocks marked ``<!-- doctest: ... -->`` (the "API Python" section)."""
    text = readme.read_text(encoding="utf-8")
    return re.findall(re.escape(DOCTEST_MARKER) + r"\s*```python\n(.*?)```", text, flags=re.S)


@pytest.mark.slow
@pytest.mark.parametrize("readme", ["README.md", "README.en.md"])
def test_readme_python_api_examples_run_as_written(readme: str, tmp_path: Path, monkeypatch) -> None:
    """Every ``>>>`` line of the API section runs, and prints what the README shows."""
    import doctest

    examples = api_examples(ROOT / readme)
    assert len(examples) == 2, f"{readme}: the API section has lost an example"
    monkeypatch.chdir(tmp_path)  # the example writes its key file in the current folder
    parser, runner = doctest.DocTestParser(), doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE)
    for number, example in enumerate(examples):
        test = parser.get_doctest(example, {}, f"{readme}[{number}]", readme, 0)
        runner.run(test)
    assert runner.summarize(verbose=False).failed == 0


def test_readme_api_sections_are_in_step() -> None:
    """Both READMEs show the same API calls (names of variables aside)."""
    def calls(readme: str) -> list[str]:
        return [re.sub(r"\w+ = |\"[^\"]*\"|'[^']*'|#.*", "", line).split("(")[0].strip()
                for example in api_examples(ROOT / readme) for line in example.splitlines() if line.startswith(">>>")]

    assert len(calls("README.md")) == len(calls("README.en.md"))
