"""run/values: the small values the phases of a run pass."""

from __future__ import annotations

import pickle

from anonymiser import pipeline
from anonymiser.model import Document
from anonymiser.run.values import Settings, Skipped, Source, Written, _Silent


def test_run_values_a_source_in_memory_compares_by_place_not_by_its_document() -> None:
    one = Source(0, "a.txt", document=Document("a", "Bonjour.", "a.txt"))
    other = Source(0, "a.txt", document=Document("a", "Autre texte.", "a.txt"))
    assert one == other and "Bonjour" not in repr(one)
    assert Source(1, "a.txt") != one


def test_run_values_settings_write_nothing_by_default_and_travel_to_workers() -> None:
    settings = Settings(strategies={"PERSON": "realistic"}, grid_lines=("Question 1",))
    assert settings.out_dir == "" and not settings.distinct_tables
    assert pickle.loads(pickle.dumps(settings)) == settings


def test_run_values_results_and_silent_progress() -> None:
    written = Written(2, "b.txt", length=10, mentions=1, records=({"entity": "PER-0001"},))
    assert written.spool == "" and written.result is None
    from anonymiser.errors import DocumentError
    skipped = Skipped(3, "c.txt", DocumentError("c.txt", "empty"))
    assert skipped.reason.path == "c.txt"
    silent = _Silent()
    silent.start("find", 3, size=10)
    silent.advance("find", 1, 5)
    # the pipeline still offers them under their old names
    assert pipeline.Source is Source and pipeline.Settings is Settings and pipeline.Written is Written
