"""A csv written block by block: the same bytes and audit records as in one block, and as the
whole-text render; a name at the last row of a block masked and linked with its other
mentions in other blocks; nothing half-written. Invented names and sentences only."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest

from anonymiser.documents import collect_inputs, read_document, render_document
from anonymiser.errors import DocumentError
from anonymiser.keys import format as kf
from anonymiser.keys.store import KeyFile
from anonymiser.pipeline import Settings
from anonymiser.run import tables
from anonymiser.run.corpus import run_corpus, sources_of
from anonymiser.run.executors import InProcess, use_engine
from tests.unit.keying import PASSPHRASE

ROWS = [
    ("P01", "Nous avons rencontré Gwenaëlle Kerbrat à la mairie de Plouzané."),
    ("P02", "Le marché du samedi attire du monde, même en hiver."),
    ("P03", "Yannick Le Duff tient la buvette du club depuis dix ans."),
    ("P04", "Gwenaëlle Kerbrat"),  # the last cell of the second block of four cells (two a row)
    ("P05", "On en parle au conseil; personne n'a \"vraiment\" tranché."),
    ("P06", "Rien à signaler cette semaine.\nSauf la pluie."),
    ("P07", "Gwenaëlle Kerbrat a repris la présidence de l'association."),
    ("P08", "Yannick Le Duff est parti s'installer à Quimperlé."),
]


@pytest.fixture()
def key(tmp_path) -> Path:
    """One key file on disk: each run loads a copy of it (the same secret, the same pseudonyms)."""
    path = tmp_path / "keys" / "first.key"
    path.parent.mkdir()
    kf.create(path, PASSPHRASE)
    return path


def _keyfile(key: Path, name: str) -> tuple[KeyFile, Path]:
    copy = key.parent / f"{name}.key"
    shutil.copyfile(key, copy)
    return kf.load(copy, PASSPHRASE), copy


def _csv(folder: Path, rows=ROWS, *, encoding: str = "utf-8", terminator: str = "\n") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    lines = ["participant;réponse"] + [f'{p};"{a.replace(chr(34), chr(34) * 2)}"' for p, a in rows]
    path = folder / "réponses.csv"
    path.write_bytes((terminator.join(lines) + terminator).encode(encoding))
    return path


def _run(engine, tmp_path: Path, key: Path, name: str, block: int, monkeypatch) -> tuple[bytes, list[dict]]:
    monkeypatch.setattr(tables, "BLOCK_LINES", block)
    corpus = tmp_path / "in"
    if not corpus.exists():
        _csv(corpus)
    use_engine(engine)
    out = tmp_path / name
    run_corpus(sources_of(collect_inputs([str(corpus)])), *_keyfile(key, name), out,
               out / "audit.jsonl", engine=engine, executor=InProcess(engine), settings=Settings(str(out)))
    log = (out / "audit.jsonl").read_text(encoding="utf-8")
    return (out / "réponses.csv").read_bytes(), [json.loads(line) for line in log.splitlines()]


@pytest.mark.slow
def test_tables_a_csv_cut_into_blocks_is_written_as_in_one_block(engine, tmp_path, key, monkeypatch) -> None:
    whole, whole_log = _run(engine, tmp_path, key, "whole", 10**6, monkeypatch)
    cut, cut_log = _run(engine, tmp_path, key, "cut", 4, monkeypatch)
    single, single_log = _run(engine, tmp_path, key, "single", 1, monkeypatch)
    assert cut == whole == single
    assert cut_log == whole_log == single_log
    text = cut.decode("utf-8")
    assert "Kerbrat" not in text and "Le Duff" not in text and "Gwenaëlle" not in text
    mentions = [r for r in cut_log if r.get("record") == "mention"]
    kerbrat = [r for r in mentions if r["hash"] == kf.load(key, PASSPHRASE).keyed_hash("Gwenaëlle Kerbrat")]
    # rows 1, 4 (the last cell of the second block) and 7: one entity, one pseudonym
    assert [r["line"] for r in kerbrat] == [2, 8, 14]
    assert len({r["entity_id"] for r in kerbrat}) == 1 and len({r["pseudonym"] for r in kerbrat}) == 1
    lines = text.splitlines()
    assert lines[0] == "participant;réponse"
    assert lines[4] == f"P04;{kerbrat[1]['pseudonym']}"  # the cell of row 4 is the name alone


@pytest.mark.slow
def test_tables_the_streamed_csv_is_the_whole_render(engine, tmp_path, key, monkeypatch) -> None:
    written, log = _run(engine, tmp_path, key, "cut", 3, monkeypatch)
    document = read_document(_csv(tmp_path / "again"))
    result = engine.run([document], _keyfile(key, "memory")[0])[0]
    assert written == render_document(document, result.output, result.replacements)
    record = next(r for r in log if r.get("record") == "document")
    assert record["output_sha256"] == hashlib.sha256(result.output.encode("utf-8")).hexdigest()
    assert record["columns"] == ["participant", "réponse"] and record["mentions"] == len(result.replacements)


@pytest.mark.slow
def test_tables_an_error_while_writing_leaves_no_output_nor_temporary_file(engine, tmp_path, key, monkeypatch) -> None:
    fed = []
    original = tables.CsvWriter.feed

    def failing(self, lines) -> None:
        fed.append(lines)
        if len(fed) == 2:
            raise DocumentError(self.path, "a pseudonym cannot be written in %(encoding)s", encoding="cp1252")
        original(self, lines)

    monkeypatch.setattr(tables.CsvWriter, "feed", failing)
    monkeypatch.setattr(tables, "BLOCK_LINES", 4)
    corpus = tmp_path / "in"
    _csv(corpus)
    use_engine(engine)
    out = tmp_path / "out"
    result = run_corpus(sources_of(collect_inputs([str(corpus)])), *_keyfile(key, "k"), out,
                        out / "audit.jsonl", engine=engine, executor=InProcess(engine), settings=Settings(str(out)))
    assert len(fed) == 2 and [s.path for s in result.skipped] == [str(corpus / "réponses.csv")]
    assert not out.exists() or sorted(p.name for p in out.iterdir()) == []


def test_tables_a_repeated_cell_is_rewritten_once_with_the_offsets_of_the_whole_text() -> None:
    from anonymiser.model import Entity, Span
    from anonymiser.render.replace import replace_spans

    cells_text = ["Gwenaëlle Kerbrat est venue.", "RAS", "Gwenaëlle Kerbrat est venue.", "Yannick Le Duff",
                  "Gwenaëlle Kerbrat est venue.", ""]
    text = "\n".join(cells_text) + "\nréponse"
    person = Entity("PER-0001", "PERSON", "Gwenaëlle Kerbrat", ("Gwenaëlle Kerbrat",), "Maud Le Gall")
    other = Entity("PER-0002", "PERSON", "Yannick Le Duff", ("Yannick Le Duff",), "Loïc Abgrall")
    mentions = []
    for at in range(len(text)):
        for entity in (person, other):
            if text.startswith(entity.canonical, at):
                mentions.append((Span.of(text, at, at + len(entity.canonical), "PERSON"), entity))
    calls = []

    def render(span, entity) -> str:
        calls.append(span.text)
        return entity.pseudonym

    header = text.index("réponse")
    lines, replacements = tables.Cells(text, (render, None, None)).block(mentions, 0, header, 7)
    whole, expected = replace_spans(text, mentions, lambda s, e: e.pseudonym, start=0, stop=header, out_start=7)
    assert lines == whole.split("\n")[:-1] and lines[1] == "RAS" and lines[5] == ""
    assert replacements == expected and len(replacements) == 4
    assert calls == ["Gwenaëlle Kerbrat", "Yannick Le Duff"]  # the repeated answer once


REPEATED = [  # open answers repeat ("RAS", one answer pasted in many rows); invented names
    ("P01", "Nous avons rencontré Gwenaëlle Kerbrat à la mairie de Plouzané."),
    ("P02", "RAS"),
    ("P01", "Nous avons rencontré Gwenaëlle Kerbrat à la mairie de Plouzané."),
    ("P03", "Yannick Le Duff tient la buvette.\nIl habite 3 rue des Lilas, 29280 Plouzané"),
    ("P02", "RAS"),
    ("P04", "Gwenaëlle Kerbrat"),
    ("P03", "Yannick Le Duff tient la buvette.\nIl habite 3 rue des Lilas, 29280 Plouzané"),
    ("P05", "RAS"),
]


def _whole(engine, document, keyfile: KeyFile) -> tuple[bytes, list[dict]]:
    """What the in-memory chain (the whole table's text) writes and records."""
    result = engine.run([document], keyfile)[0]
    return render_document(document, result.output, result.replacements), list(result.records)


def _unchained(log: list[dict]) -> list[dict]:
    return [{k: v for k, v in r.items() if k not in ("chain", "seq")} for r in log if r.get("record") != "end"]


@pytest.mark.slow
@pytest.mark.parametrize(("encoding", "terminator", "block", "rows"), [
    ("utf-8", "\n", 10**6, 10**6), ("cp1252", "\r\n", 3, 2), ("utf-8", "\r\n", 1, 1)])
def test_tables_a_csv_read_as_its_distinct_cells_is_written_as_the_whole_table(
        engine, tmp_path, key, monkeypatch, encoding, terminator, block, rows) -> None:
    """A run reads a csv as its distinct cells, a block of rows at a time, and writes it from
    its file again: the bytes, the mention records (offsets, lines, fields of the whole table)
    and the document record are those of the whole table's text, whatever the blocks."""
    from anonymiser.documents import table, table_stream

    monkeypatch.setattr(table_stream, "BLOCK_ROWS", rows)
    monkeypatch.setattr(table, "BLOCK_ROWS", rows)
    corpus = tmp_path / "in"
    path = _csv(corpus, REPEATED, encoding=encoding, terminator=terminator)
    streamed, log = _run(engine, tmp_path, key, "streamed", block, monkeypatch)
    whole, records = _whole(engine, read_document(path), _keyfile(key, "memory")[0])
    assert streamed == whole
    assert _unchained(log) == records
    mentions = [r for r in records if r["record"] == "mention"]
    assert [r["line"] for r in mentions if r["label"] == "PERSON"][:3] == [2, 6, 8]
    assert {r["field"] for r in mentions} == {"réponse"}
    text = streamed.decode(encoding)
    assert "Kerbrat" not in text and "Le Duff" not in text and text.count("RAS") == 3


def test_tables_a_span_read_over_a_line_end_ends_with_its_cell() -> None:
    from anonymiser.detect.cells import in_their_cells
    from anonymiser.model import Span

    text = "3 rue des Lilas, 29280 Plouzané\nP0002\nL'assemblée\n"
    crossing = Span.of(text, 0, 49, "ADDRESS")
    inside = Span.of(text, 2, 15, "LOCATION")
    blank = Span.of(text, 38, 40, "ADDRESS") if text[38:40].strip() == "" else None
    assert [s.text for s in in_their_cells(text, [crossing, inside])] == ["3 rue des Lilas, 29280 Plouzané",
                                                                          "rue des Lilas"]
    assert blank is None or in_their_cells(text, [blank]) == []
