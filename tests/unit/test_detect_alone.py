"""Codes taken for names (a table's participant codes, "E07") left out as each chunk is read
when nothing else overlaps them: the spans a document ends with are the same, only fewer are
held meanwhile. Invented text only."""

from __future__ import annotations

import pytest

from anonymiser.detect import engine as detect_engine
from anonymiser.detect.engine import Chunk, alone, detect
from anonymiser.documents.table import TableOptions
from anonymiser.model import Document, Layout, Span


def _rows(count: int) -> str:
    answers = ["Nous avons rencontré Gwenaëlle Kerbrat à Plouzané.", "RAS", "Voir E07 et ENT-12 avec Yannick Le Duff.",
               "Le comité des fêtes de Landerneau recrute.", "3 rue des Lilas, 29280 Plouzané"]
    return "\n".join(f"P{row:07d}\n{answers[row % len(answers)]}" for row in range(count))


def _table(text: str, ids: bool) -> Document:
    spans = tuple((at, at + 8, "PERSON") for at in range(0, len(text)) if text.startswith("P0", at)) if ids else ()
    return Document("t", text, "t.csv", layout=Layout("csv", b"", spans=spans, options=TableOptions()))


@pytest.mark.slow
@pytest.mark.parametrize("ids", [False, True])
def test_detect_alone_codes_left_out_early_change_no_span_the_document_ends_with(engine, monkeypatch, ids) -> None:
    monkeypatch.setattr(detect_engine, "MAX_CHUNK", 600)  # many chunks, borders inside the rows
    monkeypatch.setattr(detect_engine, "OVERLAP", 60)
    text = _rows(60)
    for document in (_table(text, ids), Document("x", text.replace("\n", " ; "))):
        analyzer, config, grid = engine.analyzer(), engine.config, engine.grid
        early = list(detect(analyzer, [document], config=config, grid=grid, dropped=engine.label_evidence.dropped_code))
        late = list(detect(analyzer, [document], config=config, grid=grid))
        evidence = engine.label_evidence
        assert evidence.settle(text, early[0][0]) == evidence.settle(text, late[0][0])
        assert early[0][1] == late[0][1]
        if document.layout is not None and not ids:
            assert len(early[0][0]) < len(late[0][0])  # the codes were not held


def test_detect_alone_keeps_what_overlaps_or_is_near_a_border(monkeypatch) -> None:
    monkeypatch.setattr(detect_engine, "OVERLAP", 60)
    text = "x" * 100 + " P0000001 ABC P0000002" + " " * 50 + "P0000003 P0000004"
    chunk = Chunk(0, text, 0, len(text) - 12)  # cut at a line break: its piece is its stretch
    spans = [Span.of(text, 101, 109, "ORGANIZATION"), Span.of(text, 101, 113, "PERSON"),  # overlapping
             Span.of(text, 114, 122, "ORGANIZATION"),  # alone
             Span.of(text, 172, 180, "ORGANIZATION"),  # alone, but over the end of the owned stretch
             Span.of(text, 2, 6, "ORGANIZATION")]  # alone
    codes = ("P0", "xx")
    assert [s.text for s in alone(spans, chunk, [], lambda span: span.text.startswith(codes))] == [
        "P0000001", "P0000001 ABC", "P0000003"]
    assert [s.text for s in alone(spans, chunk, [(114, 122, "PERSON")], lambda span: True)] == [
        "P0000001", "P0000001 ABC", "P0000002", "P0000003"]  # an imposed span (an identifier cell) is kept
    inside_a_line = Chunk(0, text, 50, len(text) - 12)  # its piece reads 50 characters before its stretch
    assert [s.text for s in alone(spans, inside_a_line, [], lambda span: True)] == [
        "P0000001", "P0000001 ABC", "P0000003", "xxxx"]  # P0000002 is 60 characters in: left out
