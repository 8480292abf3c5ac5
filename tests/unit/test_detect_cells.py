"""A table's distinct cells: each distinct text once, its spans back on every cell that repeats
it in row order, an identifier cell kept apart from a free-text cell of the same text, the
label votes counted once per cell; with the model, a repeated answer masked alike in every
row, linked to one entity, one audit record per mention in row order, also when the distinct
cells are detected in several pieces. Invented names and sentences only."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from anonymiser.detect import cells
from anonymiser.detect import engine as detect_engine
from anonymiser.detect.label_votes import document_votes
from anonymiser.detect.labels import LabelEvidence
from anonymiser.documents import TableOptions, collect_inputs, read_document
from anonymiser.keys import format as kf
from anonymiser.link import FormPolicy
from anonymiser.model import Document, Span
from anonymiser.pipeline import Settings
from anonymiser.run.corpus import run_corpus, sources_of
from anonymiser.run.executors import InProcess, use_engine
from anonymiser.text.grid import GridRegion
from tests.unit.keying import PASSPHRASE

ANSWER = "Nous avons vu Maëlys Quéméner à la fête de Plounéour."
ROWS = [
    ("P01", ANSWER),
    ("P02", "RAS"),
    ("P03", "Le club de Yvonnick Trébaol recrute."),
    ("P04", ANSWER),
    ("P05", "RAS"),
    ("P06", ANSWER),
]


def _table(tmp_path: Path, rows=ROWS, name: str = "réponses.csv", **options: str) -> Document:
    lines = ["participant;réponse"] + [f'{p};"{a}"' for p, a in rows]
    path = tmp_path / "in" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return read_document(path, table_options=TableOptions.parse(**options))


def _on(text: str, piece: str, label: str, nth: int = 0) -> Span:
    start = -1
    for _ in range(nth + 1):
        start = text.index(piece, start + 1)
    return Span.of(text, start, start + len(piece), label)


def test_cells_each_distinct_cell_once_in_the_order_it_first_comes(tmp_path) -> None:
    table = _table(tmp_path)
    view = cells.distinct(table)
    assert cells.is_table(table) and view.repeats
    # P01..P06 are distinct, the answers three, then the two column names
    assert view.document.text.split("\n") == ["P01", ANSWER, "P02", "RAS", "P03", ROWS[2][1],
                                              "P04", "P05", "P06", "participant", "réponse"]
    assert len(view.unit_of) == len(table.text.split("\n")) == 14
    assert view.counts[1] == 3 and view.counts[3] == 2 and sum(view.counts) == 14
    assert view.document.text[view.starts[view.unit_at(view.document.text.index("RAS") + 1)]:].startswith("RAS")


def test_cells_a_span_goes_back_to_every_cell_that_repeats_its_text_in_row_order(tmp_path) -> None:
    table = _table(tmp_path)
    view = cells.distinct(table)
    text = view.document.text
    found = [_on(text, "Plounéour", "MUNICIPALITY"), _on(text, "Maëlys Quéméner", "PERSON"),
             _on(text, "Yvonnick Trébaol", "PERSON")]
    spread = view.spread(found)
    assert [(s.text, s.label) for s in spread] == [("Maëlys Quéméner", "PERSON"), ("Plounéour", "MUNICIPALITY"),
                                                   ("Yvonnick Trébaol", "PERSON"),
                                                   ("Maëlys Quéméner", "PERSON"), ("Plounéour", "MUNICIPALITY"),
                                                   ("Maëlys Quéméner", "PERSON"), ("Plounéour", "MUNICIPALITY")]
    for span in spread:
        span.check(table.text)
    assert [s.start for s in spread] == sorted(s.start for s in spread)
    assert [s.start for s in spread if s.label == "PERSON" and s.text.startswith("Ma")] == [
        _on(table.text, "Maëlys", "PERSON", n).start for n in range(3)]
    regions = view.spread_regions([GridRegion(text.index("RAS"), text.index("RAS") + 3, "rien")])
    assert [(table.text[r.start:r.end], r.field) for r in regions] == [("RAS", "rien")] * 2


def test_cells_an_identifier_cell_is_not_taken_for_an_answer_of_the_same_text(tmp_path) -> None:
    rows = [("Maëlys Quéméner", "Maëlys Quéméner"), ("Yvonnick Trébaol", "RAS"), ("Maëlys Quéméner", "RAS")]
    table = _table(tmp_path, rows, ids="participant")
    view = cells.distinct(table)
    # the name as an identifier and as an answer: two distinct units; its second identifier cell repeats the first
    assert view.document.text.split("\n")[:4] == ["Maëlys Quéméner", "Maëlys Quéméner", "Yvonnick Trébaol", "RAS"]
    assert view.counts[:4] == (2, 1, 1, 2)
    imposed = [(view.document.text[s:e], label) for s, e, label in view.document.layout.spans]
    assert imposed == [("Maëlys Quéméner", "PERSON"), ("Yvonnick Trébaol", "PERSON")]
    spread = view.spread([Span.of(view.document.text, s, e, label, recognizer="layout")
                          for s, e, label in view.document.layout.spans])
    assert [(s.start, s.end) for s in spread] == [(s, e) for s, e, _ in table.layout.spans]


def test_cells_a_table_without_repeats_is_read_as_it_is(tmp_path) -> None:
    table = _table(tmp_path, [("P01", "Une réponse."), ("P02", "Une autre réponse.")])
    view = cells.distinct(table)
    assert not view.repeats and view.document.text == table.text


def test_cells_votes_count_each_cell_a_span_stands_for(tmp_path, config) -> None:
    evidence = LabelEvidence.from_config(config, FormPolicy.from_config(config).first_names)
    table = _table(tmp_path)
    view = cells.distinct(table)
    text = view.document.text
    found = [_on(text, "Maëlys Quéméner", "PERSON"), _on(text, "Yvonnick Trébaol", "PERSON")]
    assert view.weights(found) == [3, 1]
    once = dict(((k, label), (e, r)) for k, label, e, r in document_votes(evidence, text, found))
    weighed = dict(((k, label), (e, r)) for k, label, e, r in
                   document_votes(evidence, text, found, view.weights(found)))
    spread = view.spread(found)
    whole = dict(((k, label), (e, r)) for k, label, e, r in document_votes(evidence, table.text, spread))
    assert weighed == whole != once


@pytest.mark.slow
def test_cells_find_gives_every_repeated_cell_the_spans_of_the_first(tmp_path, engine) -> None:
    table = _table(tmp_path)
    found = engine.find([table])[0]
    lines = table.text.split("\n")
    starts = [sum(len(line) + 1 for line in lines[:n]) for n in range(len(lines))]
    per_line: dict[int, list[tuple[int, int, str]]] = {}
    for span in found.spans:
        line = max(n for n, start in enumerate(starts) if start <= span.start)
        per_line.setdefault(line, []).append((span.start - starts[line], span.end - starts[line], span.label))
    answers = [n for n, line in enumerate(lines) if line == ANSWER]
    assert len(answers) == 3 and per_line[answers[0]]
    assert per_line[answers[0]] == per_line[answers[1]] == per_line[answers[2]]
    assert any(table.text[s.start:s.end] == "Maëlys Quéméner" and s.label == "PERSON" for s in found.spans)
    assert found.length == len(table.text)


@pytest.mark.slow
@pytest.mark.parametrize("chunk", [10**6, 60])
def test_cells_a_repeated_answer_is_one_entity_in_every_row(tmp_path, engine, monkeypatch, chunk) -> None:
    monkeypatch.setattr(detect_engine, "MAX_CHUNK", chunk)  # 60: the distinct cells in several pieces
    monkeypatch.setattr(detect_engine, "OVERLAP", 20)
    _table(tmp_path)
    key = tmp_path / "keys" / "k.key"
    key.parent.mkdir()
    kf.create(key, PASSPHRASE)
    shutil.copyfile(key, tmp_path / "keys" / "run.key")
    use_engine(engine)
    out = tmp_path / "out"
    run_corpus(sources_of(collect_inputs([str(tmp_path / "in")])), kf.load(tmp_path / "keys" / "run.key", PASSPHRASE),
               tmp_path / "keys" / "run.key", out, out / "audit.jsonl", engine=engine, executor=InProcess(engine),
               settings=Settings(str(out)))
    rows = (out / "réponses.csv").read_text(encoding="utf-8").splitlines()
    assert rows[0] == "participant;réponse" and len(rows) == 7
    answers = [rows[n].split(";", 1)[1] for n in (1, 4, 6)]
    assert answers[0] == answers[1] == answers[2] and "Quéméner" not in answers[0] and "Plounéour" not in answers[0]
    assert rows[2].endswith(";RAS") and rows[5].endswith(";RAS")
    records = [json.loads(line) for line in (out / "audit.jsonl").read_text(encoding="utf-8").splitlines()]
    mentions = [r for r in records if r.get("record") == "mention"]
    assert [r["start"] for r in mentions] == sorted(r["start"] for r in mentions)
    name = kf.load(key, PASSPHRASE).keyed_hash("Maëlys Quéméner")
    person = [r for r in mentions if r["hash"] == name]
    assert [r["line"] for r in person] == [2, 8, 12]  # rows 1, 4 and 6: two units (cells) a row
    assert len({r["entity_id"] for r in person}) == 1 and len({r["pseudonym"] for r in person}) == 1
    assert next(r for r in records if r.get("record") == "document")["mentions"] == len(mentions)
