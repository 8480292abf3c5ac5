"""A plain text written piece by piece as it is replaced: the same bytes, mention records and
document record as the whole text replaced then written at once, in each encoding a text is
read in; nothing half-written. Invented names and sentences only (no model)."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from anonymiser.documents import render_document
from anonymiser.engine import Engine
from anonymiser.errors import DocumentError
from anonymiser.keys.store import KeyFile
from anonymiser.model import Detected, Document, Layout, Span
from anonymiser.run.texts import replace_text

LINES = ("Mme Gwenaëlle Kerbrat est venue de Plouzané ; Kerbrat a parlé à Yannick Le Duff.\n",
         "Le marché du samedi attire du monde, même en hiver – « on se voit » dit Yannick Le Duff.\n",
         "Rien à signaler cette semaine, sauf la pluie à Plouzané.\n")
NAMES = (("Gwenaëlle Kerbrat", "PERSON"), ("Kerbrat", "PERSON"), ("Yannick Le Duff", "PERSON"),
         ("Plouzané", "MUNICIPALITY"))


def _planned(config, encoding: str, text: str = "".join(LINES) * 5):
    engine = Engine(config=config)  # no model: nothing is detected here
    document = Document("entretien", text, "entretien.txt", encoding)
    spans, taken = [], set()
    for name, label in NAMES:
        for found in re.finditer(re.escape(name), text):
            if not taken & set(range(found.start(), found.end())):
                spans.append(Span.of(text, found.start(), found.end(), label, score=0.9, recognizer="test.hand"))
                taken |= set(range(found.start(), found.end()))
    detected = Detected.of(document, tuple(sorted(spans, key=lambda s: s.start)))
    key = KeyFile.create()
    plan = engine.plan([detected], key)
    return engine, document, detected, plan.of("entretien"), key


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "cp1252"])
@pytest.mark.parametrize("write_chars", [1, 50, 1 << 16])
def test_run_texts_written_as_replaced_is_the_whole_text_replaced_then_written(config, tmp_path, encoding,
                                                                               write_chars) -> None:
    engine, document, detected, mentions, key = _planned(config, encoding)
    renderer = engine.renderer()
    whole_spool = io.StringIO()
    whole = engine.replace(document, detected, mentions, renderer, key, spool=whole_spool)
    spool = io.StringIO()
    target = tmp_path / "out" / "entretien.txt"
    count, record = replace_text(engine, document, detected, mentions, renderer, key, spool, target,
                                 write_chars=write_chars)
    assert target.read_bytes() == render_document(document, whole.output, whole.replacements)
    assert spool.getvalue() == whole_spool.getvalue() and spool.getvalue().count("\n") == count > 20
    assert (record,) == whole.records
    assert "Kerbrat" not in target.read_bytes().decode(encoding) and target.stat().st_mode & 0o777 == 0o644
    assert [p.name for p in target.parent.iterdir()] == ["entretien.txt"]  # no temporary file left


def test_run_texts_a_text_that_cannot_be_written_in_its_encoding_is_refused_and_nothing_is_left(config,
                                                                                              tmp_path) -> None:
    engine, document, detected, mentions, key = _planned(config, "ascii", "Yannick Le Duff est là.\n" * 3)
    target = tmp_path / "out" / "entretien.txt"
    with pytest.raises(DocumentError, match="ascii"):
        replace_text(engine, document, detected, mentions, engine.renderer(), key, io.StringIO(), target)
    assert list(target.parent.iterdir()) == []
    with pytest.raises(ValueError):  # a structured document is written by its own writer
        replace_text(engine, Document("t", "x", "t.csv", layout=Layout("csv")), detected, (), engine.renderer(),
                     key, io.StringIO(), Path(tmp_path / "t.csv"))
