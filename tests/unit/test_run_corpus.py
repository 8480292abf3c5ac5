"""run/corpus: a corpus run in phases on an executor: the same bytes in one process, in two
processes and on a Dask cluster of two workers; what workers receive; sources and the overwrite
guard. (Executors: test_run_executors.py; batches: test_pipeline.py; progress: test_cli_run.py.)"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from anonymiser import cli as cli_module
from anonymiser.documents import collect_inputs
from anonymiser.errors import RefusedError
from anonymiser.keys import format as kf
from anonymiser.model import Entity
from anonymiser.pipeline import Settings, Skipped, Source
from anonymiser.run.corpus import CorpusResult, overwrite_guard, run_corpus, sources_of
from anonymiser.run.executors import InProcess, use_engine
from tests.unit.keying import PASSPHRASE

from ..conftest import FIXTURES

PASS = {"ANONYMISER_PASSPHRASE": "correct horse"}
















def test_run_corpus_workers_get_the_index_but_no_original_and_no_private_key() -> None:
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
def test_run_corpus_is_byte_identical_in_one_process_two_processes_and_on_dask(runner, tmp_path) -> None:
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
def test_run_corpus_a_file_changed_between_phases_is_skipped_not_misplaced(engine, tmp_path) -> None:
    corpus = _corpus(tmp_path, 3)
    victim = sorted(corpus.glob("*.txt"))[1]

    class EditAfterDetection:
        def start(self, phase: str, total: int, size: int = 0) -> None:
            if phase == "propagate":
                victim.write_text("Texte remplacé pendant le traitement.\n", encoding="utf-8")

        def advance(self, phase: str, documents: int, chars: int, size: int | None = None) -> None:
            pass

    kf.create(tmp_path / "k.key", PASSPHRASE)
    keyfile = kf.load(tmp_path / "k.key", PASSPHRASE)
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


def test_run_corpus_sources_are_numbered_with_their_size(tmp_path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "E02.txt").write_bytes(b"Odile.\n")
    (tmp_path / "E01.txt").write_bytes(b"Gaspard Lemarchal.\n")
    sources = sources_of([*collect_inputs([str(tmp_path)]), (tmp_path / "absent.txt", None)])
    assert sources == [Source(0, str(tmp_path / "E01.txt"), str(tmp_path), 19),
                       Source(1, str(tmp_path / "b" / "E02.txt"), str(tmp_path), 7),
                       Source(2, str(tmp_path / "absent.txt"), None, 0)]  # reported later, not here


def test_run_corpus_overwrite_guard_refuses_an_input_as_output(tmp_path) -> None:
    (tmp_path / "E01.txt").write_bytes(b"x")
    guard = overwrite_guard(sources_of([(tmp_path / "E01.txt", None)]))
    guard(str(tmp_path / "out" / "E01.txt"))  # elsewhere: accepted
    with pytest.raises(RefusedError) as info:
        guard(str(tmp_path / "out" / ".." / "E01.txt"))
    assert "output would overwrite an input" in str(info.value) and info.value.exit_code == 3


def test_run_corpus_result_counts_the_mentions_written(tmp_path) -> None:
    from anonymiser.pipeline import Written

    written = [Written(index, f"E0{index}.txt", 100, n, ()) for index, n in enumerate((3, 0, 4))]
    assert CorpusResult(written, [], tmp_path / "audit.jsonl").mentions == 7
    assert CorpusResult([], [], tmp_path / "audit.jsonl").mentions == 0


@pytest.mark.slow
def test_run_corpus_spools_mention_records_and_logs_them_as_without_a_spool(engine, tmp_path, monkeypatch) -> None:
    import contextlib

    from anonymiser import pipeline

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Mme Quéméner habite à Plouzané.\nElle a vu Yannick Le Bihan.\n", encoding="utf-8")
    (corpus / "b.csv").write_text("nom;réponse\nYannick Le Bihan;Il est parti à Plouzané.\n"
                                  "Mme Quéméner;Rien.\n", encoding="utf-8")
    (tmp_path / "k1").mkdir()
    kf.create(tmp_path / "k1" / "k.key", PASSPHRASE)
    shutil.copytree(tmp_path / "k1", tmp_path / "k2")  # one key file twice: the same secret
    use_engine(engine)

    def run(name: str) -> Path:
        key = tmp_path / name / "k.key"
        out = tmp_path / f"out-{name}"
        run_corpus(sources_of(collect_inputs([str(corpus)])), kf.load(key, PASSPHRASE), key, out,
                   out / "audit.jsonl", engine=engine, executor=InProcess(engine), settings=Settings(str(out)))
        return out

    opened = []
    spool_file = pipeline._spool_file

    @contextlib.contextmanager
    def counted(out_dir, document):
        with spool_file(out_dir, document) as (name, handle):
            opened.append((document.path, bool(name)))
            yield name, handle

    monkeypatch.setattr(pipeline, "_spool_file", counted)
    monkeypatch.setattr(pipeline, "SPOOL_CHARS", 0)  # the text spools too
    spooled = run("k1")
    assert sorted(opened) == [("a.txt", True), ("b.csv", True)]
    assert not list(spooled.glob(".records.*"))  # every spool file read and removed

    opened.clear()
    monkeypatch.setattr(pipeline, "SPOOL_CHARS", 100_000)
    kept = run("k2")
    assert sorted(opened) == [("a.txt", False), ("b.csv", True)]  # a short text's records kept in memory
    logged = (spooled / "audit.jsonl").read_bytes()
    assert logged == (kept / "audit.jsonl").read_bytes()
    assert logged.count(b'"record": "mention"') >= 4
    assert (spooled / "b.csv").read_bytes() == (kept / "b.csv").read_bytes()
