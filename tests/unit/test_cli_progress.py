"""cli/progress: a bar per phase on a terminal only; the time left comes from the characters done,
« — » until the phase has run a few seconds; with --verbose, a note as each phase ends."""

from __future__ import annotations

import io
import logging

from anonymiser.cli import progress as cli_progress
from anonymiser.cli import verbose
from anonymiser.i18n import set_language


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_cli_progress_is_drawn_on_a_terminal_only() -> None:
    shown = Terminal()
    with cli_progress.Progress(shown) as progress:
        progress.start("find", 4, 10_000)
        progress.advance("find", 2, 5000)
    assert "detecting" in shown.getvalue() and "2/4" in shown.getvalue() and "chars/s" in shown.getvalue()
    quiet = io.StringIO()
    with cli_progress.Progress(quiet) as progress:
        progress.start("find", 4, 10_000)
        progress.advance("find", 2, 5000)
    assert quiet.getvalue() == ""


def test_cli_progress_in_french() -> None:
    set_language("fr")
    shown = Terminal()
    with cli_progress.Progress(shown) as progress:
        progress.start("find", 4, 10_000)
        progress.advance("find", 2, 5000)
    assert "détection" in shown.getvalue() and "2/4 documents" in shown.getvalue() and "car./s" in shown.getvalue()
    one = Terminal()
    with cli_progress.Progress(one) as progress:
        progress.start("find", 1, 100)
    assert "0/1 document " in one.getvalue()  # its plural form


def test_cli_progress_time_left_from_characters_and_a_dash_until_the_rate_is_stable() -> None:
    clock = Clock()
    progress = cli_progress.Progress(Terminal(), clock=clock)
    column = cli_progress.TimeLeft()
    with progress:
        progress.start("replace", 10, 10_000)  # ten documents, one of 9,000 characters, nine of ~111
        task = progress.progress.tasks[0]
        assert column.render(task).plain == "—"
        clock.now += 0.5
        progress.advance("replace", 1, 100)  # a quick small document first: no estimate yet
        assert column.render(task).plain == "—"
        clock.now += 8.5
        progress.advance("replace", 1, 8_900)  # 9,000 of 10,000 characters in 9 s: 1 s left
        assert column.render(task).plain == "0:00:01"  # by documents (2 of 10) it would say 36 s


def test_cli_progress_detecting_counts_bytes_on_disk_for_the_time_left() -> None:
    clock = Clock()
    progress = cli_progress.Progress(Terminal(), clock=clock)
    with progress:
        progress.start("find", 3, 6_000)  # bytes on disk: the characters are not known before reading
        clock.now += 1.0
        progress.advance("find", 1, 500, 1_000)
        assert cli_progress.TimeLeft().render(progress.progress.tasks[0]).plain == "—"  # one sample, 1 s
        clock.now += 3.0
        progress.advance("find", 1, 1_000, 3_000)  # 3,000 bytes in 3 s since the first: 2,000 left
        assert cli_progress.TimeLeft().render(progress.progress.tasks[0]).plain == "0:00:02"


def test_cli_progress_notes_each_phase_with_verbose(caplog) -> None:
    clock = Clock()
    verbose.log.setLevel(logging.INFO)
    try:
        with caplog.at_level(logging.INFO, logger="anonymiser"), \
                cli_progress.Progress(io.StringIO(), clock=clock) as progress:
            progress.start("find", 2, 3_000)
            clock.now += 2.0
            progress.advance("find", 2, 3_000)
            clock.now += 1.0
            progress.start("propagate", 2, 3_000)
            progress.advance("propagate", 2, 3_000)
            clock.now += 0.5
            progress.start("replace", 2, 3_000)
    finally:
        verbose.log.setLevel(logging.NOTSET)
    notes = [record.getMessage() for record in caplog.records]
    assert notes[0] == "detecting: 2 documents, 3,000 characters in 2.00 s (1,500 chars/s)"
    assert notes[1].startswith("linking: 2 documents")
    assert notes[2] == "linking the corpus, giving pseudonyms and saving the key file: 0.50 s"
    assert notes[3].startswith("writing: 0 documents")  # closed at the end, even unfinished
