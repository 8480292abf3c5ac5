"""The progress of ``run`` on a terminal: a bar per phase with its documents, characters per
second and time left; with ``--verbose``, a note as each phase ends. Imported when ``run`` starts."""

from __future__ import annotations

import logging
import math
import sys
import time
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, ProgressColumn, Task, TextColumn
from rich.progress import Progress as RichProgress
from rich.text import Text

from anonymiser.cli import verbose
from anonymiser.i18n import N_, Message, _, ngettext, number

STABLE_AFTER = 3.0  # seconds of a phase before its rate is trusted for a time left


class Progress:
    """A progress bar per phase on a terminal (documents, characters per second, time left
    from the characters done, « — » until a few seconds give a stable rate); nothing when stderr
    is not a terminal. With ``--verbose``, a note as each phase ends: documents, characters, time."""

    LABELS = {"find": N_("detecting"), "propagate": N_("linking"), "replace": N_("writing")}

    def __init__(self, file: Any = None, *, clock: Any = None) -> None:
        file = file or sys.stderr
        self.shown = file.isatty()
        self.clock = clock or time.perf_counter
        self.progress = RichProgress(
            TextColumn("{task.description:<14}"), BarColumn(),
            TextColumn("{task.fields[done]}/{task.fields[of]}"
                       "  {task.fields[rate]:>9} " + _("chars/s")), TimeLeft(),
            console=Console(file=file, force_terminal=self.shown), disable=not self.shown, auto_refresh=False,
            get_time=self.clock,
        )
        self.tasks: dict[str, Any] = {}
        self.phases: dict[str, dict[str, Any]] = {}
        self.ended: float | None = None
        self.moved: list[tuple[logging.StreamHandler[Any], Any]] = []

    def __enter__(self) -> Progress:
        self.progress.__enter__()
        self.moved = _log_through(sys.stderr) if self.shown else []  # notes above the bars, not through them
        return self

    def __exit__(self, *exc: Any) -> None:
        for phase in list(self.phases):
            self._end(phase)
        for handler, stream in self.moved:
            handler.setStream(stream)
        self.progress.__exit__(*exc)

    def start(self, phase: str, total: int, size: int = 0) -> None:
        now = self.clock()
        for other in list(self.phases):
            self._end(other)
        if phase == "replace" and self.ended is not None:
            verbose.note(N_("linking the corpus, giving pseudonyms and saving the key file: %(seconds)s s"),
                         seconds=verbose.seconds(now - self.ended))
        self.phases[phase] = {"start": now, "total": total, "done": 0, "chars": 0}
        if self.shown:
            of = ngettext("{n} document", "{n} documents", total).format(n=total)
            self.tasks[phase] = self.progress.add_task(_(self.LABELS[phase]) if phase in self.LABELS else phase,
                                                       total=max(size, 1), done=0, rate="", of=of)
            self.progress.refresh()

    def advance(self, phase: str, documents: int, chars: int, size: int | None = None) -> None:
        state = self.phases.get(phase)
        if state is None:
            return
        state["done"] += documents
        state["chars"] += chars
        if phase in self.tasks:
            task = self.tasks[phase]
            elapsed = self.clock() - state["start"]
            rate = number(state["chars"] / elapsed) if elapsed > 0 else ""
            self.progress.update(task, advance=chars if size is None else size, done=state["done"], rate=rate)
            self.progress.refresh()
        if state["done"] >= state["total"]:
            self._end(phase)

    def _end(self, phase: str) -> None:
        """Note the phase's documents, characters and time (once)."""
        state = self.phases.pop(phase, None)
        if state is None:
            return
        self.ended = self.clock()
        elapsed = self.ended - state["start"]
        verbose.note(N_("%(phase)s: %(documents)s, %(chars)s characters in %(seconds)s s (%(rate)s chars/s)"),
                     phase=Message(self.LABELS.get(phase, phase)),
                     documents=verbose.documents_count(state["done"]),
                     chars=number(state["chars"]), seconds=verbose.seconds(elapsed),
                     rate=number(state["chars"] / elapsed) if elapsed > 0 else "-")


def _log_through(stream: Any) -> list[tuple[logging.StreamHandler[Any], Any]]:
    """Point the log handlers that write to the real stderr at ``stream`` (rich's proxy while the
    bars are shown); returns what to restore."""
    moved = []
    for handler in logging.getLogger().handlers:
        if isinstance(handler, logging.StreamHandler) and handler.stream is sys.__stderr__:
            moved.append((handler, handler.setStream(stream)))
    return moved


class TimeLeft(ProgressColumn):
    """The time left of a phase from its work done (characters; bytes on disk while detecting):
    « — » until the phase has run STABLE_AFTER seconds and has a rate."""

    max_refresh = 0.5

    def render(self, task: Task) -> Text:
        if task.finished:
            return Text("0:00:00", style="progress.remaining")
        if (task.elapsed or 0.0) < STABLE_AFTER or not task.speed or task.total is None:
            return Text("—", style="progress.remaining")
        left = math.ceil((task.total - task.completed) / task.speed)  # rich's rate: over the last 30 s
        return Text(f"{left // 3600}:{left // 60 % 60:02d}:{left % 60:02d}", style="progress.remaining")
