"""A csv read a block of rows at a time as its distinct units: the same units, encoding and
dialect as the whole-file reader, each distinct unit once with how many it stands for.
Invented text only."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from anonymiser.documents import read_document, table_stream
from anonymiser.documents.table import TableOptions
from anonymiser.errors import DocumentError


def _write(tmp_path: Path, text: str, encoding: str = "utf-8", bom: bytes = b"") -> Path:
    path = tmp_path / "réponses.csv"
    path.write_bytes(bom + text.encode(encoding))
    return path


TABLE = ('participant;réponse;Kerbrat\r\n'
         'P01;"RAS";Gwenaëlle Kerbrat est venue.\r\n'
         'P02;"Il a dit ""non"".\nPuis il est parti.";RAS\r\n'
         'P01;RAS;Gwenaëlle Kerbrat est venue.\r\n')


@pytest.mark.parametrize(("encoding", "bom", "rows"), [("utf-8", b"", 1), ("utf-8", codecs.BOM_UTF8, 2),
                                                       ("cp1252", b"", 4096)])
def test_documents_table_stream_distinct_units_are_the_whole_table_s(tmp_path, monkeypatch, encoding, bom,
                                                                     rows) -> None:
    monkeypatch.setattr(table_stream, "BLOCK_ROWS", rows)
    path = _write(tmp_path, TABLE, encoding, bom)
    options = TableOptions.parse(ids="participant")
    whole = read_document(path, table_options=options)
    distinct = read_document(path, table_options=options, distinct_tables=True)
    assert distinct.encoding == whole.encoding and distinct.layout is not None and whole.layout is not None
    repeats = distinct.layout.repeats
    assert repeats is not None and repeats.length == len(whole.text) and repeats.dialect == (";", "\r\n")
    units = whole.text.split("\n")
    assert distinct.text.split("\n") == list(dict.fromkeys(units))  # each once, in the order they first come
    assert list(repeats.counts) == [units.count(u) for u in dict.fromkeys(units)]
    assert [distinct.text[s:].split("\n")[0] for s in repeats.starts] == list(dict.fromkeys(units))
    assert distinct.layout.headers == whole.layout.headers and distinct.layout.columns == whole.layout.columns
    assert [units[-3:].index(distinct.text.split("\n")[u]) for u in repeats.headers] == [0, 1, 2]
    assert [distinct.text[s:e] for s, e, _ in distinct.layout.spans] == ["P01", "P02"]  # imposed, once each
    assert {label for _s, _e, label in distinct.layout.spans} == {"PERSON"}


def test_documents_table_stream_an_identifier_cell_is_not_a_free_text_cell_of_the_same_text(tmp_path) -> None:
    path = _write(tmp_path, "participant;réponse\nRAS;RAS\nRAS;RAS\n")
    distinct = read_document(path, table_options=TableOptions.parse(ids="participant"), distinct_tables=True)
    assert distinct.text == "RAS\nRAS\nparticipant\nréponse"
    assert distinct.layout is not None and distinct.layout.spans == ((0, 3, "PERSON"),)
    assert distinct.layout.repeats is not None and list(distinct.layout.repeats.counts) == [2, 2, 1, 1]


@pytest.mark.parametrize(("data", "words"), [(b"", "empty"), (b"   \n \n", "empty"), (b"a;b\n\x01;2\n", "binary"),
                                             (codecs.BOM_UTF8 + b"a;b\n\xff;2\n", "utf-8-sig"),
                                             (b"a;b\n\x81\x8d;2\n", "unknown text encoding")])
def test_documents_table_stream_refuses_what_the_whole_reader_refuses(tmp_path, data, words) -> None:
    path = tmp_path / "t.csv"
    path.write_bytes(data)
    with pytest.raises(DocumentError, match=words):
        read_document(path, distinct_tables=True)
    with pytest.raises(DocumentError, match=words):
        read_document(path)


def test_documents_table_stream_utf16_and_a_late_line_ending_are_read_as_the_whole_reader_reads_them(
        tmp_path, monkeypatch) -> None:
    path = _write(tmp_path, "a;b\nx;y\n", "utf-16")
    assert read_document(path, distinct_tables=True).layout.repeats is None  # read whole: UTF-16
    monkeypatch.setattr(table_stream, "READ_BYTES", 4)
    path = _write(tmp_path, "a,b\nxx,é\nyy,zz\r\nvv,ww\n")  # a CRLF far from the start, cut across reads
    distinct = read_document(path, distinct_tables=True)
    assert distinct.layout.repeats.dialect == (",", "\r\n") and distinct.encoding == "utf-8"
