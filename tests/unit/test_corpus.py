"""A corpus run in phases on an executor: the same bytes in one process, in two processes and
on a Dask cluster of two workers; batches; what workers receive; progress."""

from __future__ import annotations

import io
import json
import os
import shutil
from pathlib import Path

import pytest

from anonymiser import cli as cli_module
from anonymiser.cli import run as cli_run
from anonymiser.documents import collect_inputs
from anonymiser.errors import UsageError, WorkerError
from anonymiser.keys import format as kf
from anonymiser.model import Entity
from anonymiser.pipeline import Settings, Skipped, batches
from anonymiser.run.corpus import run_corpus, sources_of
from anonymiser.run.executors import InProcess, Processes, make_executor, use_engine

from ..conftest import FIXTURES

PASS = {"ANONYMISER_PASSPHRASE": "correct horse"}


def _square(_engine: object, shared: int, task: int) -> int:
    return shared + task * task


def test_batches_cut_by_size_and_count() -> None:
    assert batches(list("abcde"), [50, 60, 10, 200, 5], max_bytes=100, max_items=10) == [
        ["a"], ["b", "c"], ["d"], ["e"]]
    assert batches(list("abcde"), [1] * 5, max_bytes=100, max_items=2) == [["a", "b"], ["c", "d"], ["e"]]
    assert batches([], []) == []


@pytest.mark.parametrize("kind", ["in-process", "processes"])
def test_executors_keep_task_order(kind) -> None:
    executor = InProcess(None) if kind == "in-process" else Processes(2)
    try:
        assert list(executor.map(_square, range(20), 1000)) == [1000 + n * n for n in range(20)]
        # the same workers serve the next phase, with its own shared data
        assert list(executor.map(_square, range(5), 7)) == [7 + n * n for n in range(5)]
    finally:
        executor.close()


def _fail_on_three(_engine: object, shared: int, task: int) -> int:
    if task == 3:
        raise ValueError("three")
    return task


def test_a_task_error_reaches_the_coordinating_process() -> None:
    executor = Processes(2)
    try:
        with pytest.raises(ValueError, match="three"):
            list(executor.map(_fail_on_three, range(6), 0))
    finally:
        executor.close()


def _die(_engine: object, shared: int, task: int) -> int:
    os._exit(9)


def test_a_worker_that_dies_stops_the_run_with_one_error() -> None:
    executor = Processes(1)
    try:
        with pytest.raises(WorkerError):
            list(executor.map(_die, [1], 0))
    finally:
        executor.close()


def test_executor_options_are_checked() -> None:
    assert isinstance(make_executor("local", 1), InProcess)
    executor = make_executor("local", 3)
    assert isinstance(executor, Processes) and len(executor.workers) == 3
    executor.close()
    assert not any(w.is_alive() for w in executor.workers)
    with pytest.raises(UsageError):
        make_executor("local", 0)
    with pytest.raises(UsageError, match="--engine dask"):
        make_executor("local", 2, "tcp://127.0.0.1:8786")


def test_workers_get_the_index_but_no_original_and_no_private_key() -> None:
    keyfile = kf.KeyFile.create()
    keyfile.add(Entity("PER-0001", "PERSON", "Isabelle Marchal", ("Isabelle Marchal",), "Laure Vidal"))
    keyfile.index("PER-0001", [("Isabelle Marchal", "")], ["last:marchal"])
    view = keyfile.for_workers()
    assert view.private_key is None and view.data_key == b"" and not view.slots
    assert not view.entities and not view.sealed and not view.pools
    assert view.entities_for_key("last:marchal") == [] and not view.is_real_word("Marchal")  # no key, no word
    assert "Marchal" not in repr(view.__dict__)
    text = "Hier, Isabelle Marchal est venue."
    assert [(s, e, label) for s, e, label, _id, _f in view.find_forms(text)] == [(6, 22, "PERSON")]
    assert view.keyed_hash("x") == keyfile.keyed_hash("x")


def test_progress_is_drawn_on_a_terminal_only() -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    shown = Terminal()
    with cli_run._Progress(shown) as progress:
        progress.start("find", 4)
        progress.advance("find", 2, 5000)
    assert "detecting" in shown.getvalue() and "2/4" in shown.getvalue() and "chars/s" in shown.getvalue()
    quiet = io.StringIO()
    with cli_run._Progress(quiet) as progress:
        progress.start("find", 4)
        progress.advance("find", 2, 5000)
    assert quiet.getvalue() == ""


# -- end to end, with the session's model -----------------------------------------------------------
def _corpus(tmp_path: Path, count: int = 5) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    for source in sorted((FIXTURES / "interviews").glob("*.txt"))[:count]:
        shutil.copy(source, folder / source.name)
    return folder


def _tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.slow
def test_run_is_byte_identical_in_one_process_two_processes_and_on_dask(runner, tmp_path) -> None:
    corpus = _corpus(tmp_path)
    key = tmp_path / "k0.key"
    assert runner.invoke(cli_module.cli, ["key", "init", str(key)], env=PASS).exit_code == 0
    outputs = {}
    for name, options in (("one", ["--jobs", "1"]), ("two", ["--jobs", "2"]),
                          ("dask", ["--engine", "dask", "--jobs", "2"])):
        copy = tmp_path / f"{name}.key"
        shutil.copy(key, copy)
        out = tmp_path / f"out-{name}"
        result = runner.invoke(cli_module.cli, ["run", str(corpus), "--key", str(copy), "--out", str(out),
                                                *options], env=PASS, catch_exceptions=False)
        assert result.exit_code == 0, result.output
        outputs[name] = _tree(out)
        # the key files agree too: same entities, same pseudonyms
        opened = kf.load(copy, PASS["ANONYMISER_PASSPHRASE"])
        outputs[name]["entities"] = repr(sorted((e.id, e.pseudonym) for e in opened.entities.values())).encode()
    assert len(outputs["one"]) == 5 + 2  # documents, audit log, entities
    assert outputs["two"] == outputs["one"]
    assert outputs["dask"] == outputs["one"]


@pytest.mark.slow
def test_a_file_changed_between_phases_is_skipped_not_misplaced(engine, tmp_path) -> None:
    corpus = _corpus(tmp_path, 3)
    victim = sorted(corpus.glob("*.txt"))[1]

    class EditAfterDetection:
        def start(self, phase: str, total: int) -> None:
            if phase == "propagate":
                victim.write_text("Texte remplacé pendant le traitement.\n", encoding="utf-8")

        def advance(self, phase: str, documents: int, chars: int) -> None:
            pass

    kf.create(tmp_path / "k.key", "pw")
    keyfile = kf.load(tmp_path / "k.key", "pw")
    use_engine(engine)
    out = tmp_path / "out"
    result = run_corpus(sources_of(collect_inputs([str(corpus)])), keyfile, tmp_path / "k.key", out,
                        out / "audit.jsonl", engine=engine, executor=InProcess(engine), settings=Settings(str(out)),
                        progress=EditAfterDetection())
    assert [s.path for s in result.skipped] == [str(victim)]
    assert isinstance(result.skipped[0], Skipped) and "changed during the run" in str(result.skipped[0].reason)
    assert not (out / victim.name).exists()
    assert len(result.written) == 2
    records = [json.loads(line) for line in (out / "audit.jsonl").read_text().splitlines()]
    assert records and all(r.get("document") != victim.stem for r in records)
