"""Where the per-document tasks of a run execute: in this process, in N local processes, or
on a Dask cluster. Every executor has one verb, ``map(func, tasks, shared)``: it calls
``func(engine, shared, task)`` for each task (``InProcess``: the engine it was given; in a
worker process: ``None``, and the task takes that process's own with ``worker_engine()``),
and yields the results **in task order**, so a run's output never depends on where it ran.

Each worker process keeps one ``Engine`` (``worker_engine``): the spaCy model loads once
per process, on the first task that needs it. ``InProcess`` runs tasks with the engine it is given.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import logging
import multiprocessing
import os
import queue
import signal
import sys
from collections.abc import Callable, Iterable, Iterator
from typing import Any, Protocol, TypeVar

from anonymiser.errors import UsageError, WorkerError
from anonymiser.i18n import N_, Message

T = TypeVar("T")
R = TypeVar("R")
Task = Callable[[Any, Any, T], R]
log = logging.getLogger("anonymiser")  # what --verbose shows (the CLI sets its level)

# The engine of this process: one per worker process, built on first use. Set by the
# coordinating process before it forks workers, so that they start with its configuration.
_ENGINE: list[Any] = []
# whether this process is inside ``loaded_for_the_run`` past its ``loaded()`` (a flag: asking
# ``gc.get_freeze_count()`` walks every frozen object, 0.1 s a time once the model is frozen)
_FREEZING: list[bool] = [False]


def worker_engine() -> Any:
    """This process's ``Engine`` (built once; the model loads when first needed)."""
    if not _ENGINE:
        from anonymiser.config.project import PROJECT_ENV
        from anonymiser.engine import Engine

        _ENGINE.append(Engine(project=os.environ.get(PROJECT_ENV) or None))
    return _ENGINE[0]


def warm_engine() -> None:
    """Load this process's model and recognizers now (a worker, before its first task)."""
    engine = worker_engine()
    _ = engine.nlp_engine, engine.recognizers  # both are built on first access


@contextlib.contextmanager
def loaded_for_the_run() -> Iterator[Callable[[], None]]:
    """Garbage collection over a command that loads the model once and then works through a
    corpus: none until the block calls the function it is given (once the model, the word
    lists and the recognizers are loaded: they make no garbage, and each collection visits
    all they hold), which leaves what is loaded out of every later collection (``gc.freeze``)
    and lets collections run again. On the bench corpus, ``--jobs 1``: 5 s of CPU of 70 were
    collections, mostly over the model and the word lists. At the end of the block the
    process collects as before (what was frozen can be collected again). Collections are
    held off by their threshold, not ``gc.disable``: loading a spaCy model turns the
    collector on again (``srsly``)."""
    thresholds = gc.get_threshold()
    gc.set_threshold(0)

    def loaded() -> None:
        gc.freeze()
        _FREEZING[0] = True
        gc.set_threshold(*thresholds)

    try:
        yield loaded
    finally:
        _FREEZING[0] = False
        gc.set_threshold(*thresholds)
        gc.unfreeze()


def keep_frozen() -> None:
    """In a run that froze what it loaded (``loaded_for_the_run``), freeze what the process
    holds now as well: the spans it keeps of every document so far, which each later
    collection would otherwise visit again (the coordinating process holds a whole corpus'
    spans until the end of the run). Elsewhere (the Python API), nothing."""
    if _FREEZING[0]:
        gc.freeze()


def release_memory() -> None:
    """Give back to the system the memory this process freed (glibc's ``malloc_trim``: a
    table's or a long text's task frees hundreds of MiB in pieces that ``free`` keeps for
    later). Linux with glibc only; elsewhere, nothing."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@functools.lru_cache(maxsize=1)
def _malloc_trim() -> Callable[[int], int] | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        import ctypes
        return ctypes.CDLL("libc.so.6").malloc_trim
    except (OSError, AttributeError):
        return None  # another C library (musl): no malloc_trim


def use_engine(engine: Any) -> None:
    """Make ``engine`` this process's engine (the coordinating process's own)."""
    _ENGINE[:] = [engine]


class Executor(Protocol):
    def map(self, func: Task[T, R], tasks: Iterable[T], shared: Any) -> Iterator[R]: ...

    def close(self) -> None: ...


class InProcess:
    """Everything in this process, one task after the other, with ``engine`` (``--jobs 1``)."""

    def __init__(self, engine: Any) -> None:
        self.engine = engine

    def map(self, func: Task[T, R], tasks: Iterable[T], shared: Any) -> Iterator[R]:
        for task in tasks:
            yield func(self.engine, shared, task)

    def close(self) -> None:
        pass


# -- local processes --------------------------------------------------------------------------
def _single_threaded() -> None:
    """One process per core: numerical libraries must not start threads of their own."""
    for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(name, "1")


# what a worker puts in the results queue when it has taken its end marker of a phase
_PHASE_ENDED = -1


def _serve(inbox: Any, tasks: Any, results: Any, warm: Callable[[], None] | None) -> None:
    """A worker: warm up (load the model), then for each phase announced in ``inbox``, run
    that phase's tasks from the shared ``tasks`` queue until its end marker, and say so."""
    _single_threaded()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the coordinating process's to handle
    if warm is not None:
        try:
            warm()
        except Exception:
            pass
    while True:
        phase = inbox.get()
        if phase is None:
            return
        func, shared = phase
        while True:
            item = tasks.get()
            if item is None:
                results.put((_PHASE_ENDED, True, None))
                break
            index, task = item
            try:
                results.put((index, True, func(None, shared, task)))
            except BaseException as error:
                results.put((index, False, error))


class Processes:
    """``jobs`` local worker processes (``--jobs N``), started at once and kept for the whole
    run; ``warm`` loads what a worker needs before its first task (nothing when the engine
    was loaded before the fork: ``run`` does so, and the workers share its pages).
    Each phase's shared data (settings, the key file's index) reaches each worker once;
    tasks are taken from one queue by whichever worker is free; results come back in order.
    A phase starts only when every worker has taken its end marker of the one before: a fast
    worker could otherwise take two markers, and a slow one run the next phase's tasks with
    the last phase's shared data.
    On Linux workers are forked (they start with this process's imports and engine)."""

    def __init__(self, jobs: int, warm: Callable[[], None] | None = None) -> None:
        if jobs < 1:
            raise UsageError("--jobs", N_("must be at least 1"))
        self.jobs = jobs
        context = (multiprocessing.get_context("fork") if sys.platform.startswith("linux")
                   else multiprocessing.get_context("spawn"))
        self.tasks, self.results = context.Queue(), context.Queue()
        self.inboxes = [context.SimpleQueue() for _ in range(jobs)]
        self._ends_due = 0  # workers that have not yet taken their end marker of the last phase
        self.workers = [context.Process(target=_serve, args=(inbox, self.tasks, self.results, warm), daemon=True)
                        for inbox in self.inboxes]
        # what the workers inherit (the model, the word lists) is left out of their garbage
        # collections: a collection writes to every object it visits, which would copy each
        # page they share with this process (on the bench corpus, 0.8 s of a 22 s run)
        frozen = gc.get_freeze_count() > 0  # by the caller, for the whole run (``anonymiser run``)
        gc.freeze()
        try:
            for worker in self.workers:
                worker.start()
        finally:
            if not frozen:
                gc.unfreeze()  # this process collects as before

    def map(self, func: Task[T, R], tasks: Iterable[T], shared: Any) -> Iterator[R]:
        tasks = list(tasks)
        if not tasks:
            return
        self._end_phase()
        self._ends_due = len(self.workers)
        for inbox in self.inboxes:
            inbox.put((func, shared))
        for item in enumerate(tasks):
            self.tasks.put(item)
        for _ in self.workers:
            self.tasks.put(None)
        waiting: dict[int, R] = {}
        for index in range(len(tasks)):
            while index not in waiting:
                done, ok, value = self._next()
                if done == _PHASE_ENDED:
                    self._ends_due -= 1
                    continue
                if not ok:
                    raise value
                waiting[done] = value
            yield waiting.pop(index)

    def _end_phase(self) -> None:
        """Wait until every worker has ended the last phase (its results, if a caller stopped
        reading them, are dropped)."""
        while self._ends_due:
            if self._next()[0] == _PHASE_ENDED:
                self._ends_due -= 1

    def _next(self) -> tuple[int, bool, Any]:
        while True:
            try:
                return self.results.get(timeout=1.0)
            except queue.Empty:
                if not all(w.is_alive() for w in self.workers):
                    raise WorkerError(None, N_("a worker process stopped unexpectedly")) from None

    def close(self) -> None:
        for inbox, worker in zip(self.inboxes, self.workers):
            if worker.is_alive():
                inbox.put(None)
        for worker in self.workers:
            worker.join(timeout=5)
            if worker.is_alive():
                worker.terminate()


# -- Dask ----------------------------------------------------------------------------------------
def _dask_call(task: T, *, phase: Task[T, R], shared: Any) -> R:
    return phase(None, shared, task)


DASK_LOGGERS = ("distributed", "dask", "tornado", "bokeh")


def _not_the_dashboard(record: logging.LogRecord) -> bool:
    """Dask's own "dashboard at:" line: this tool says it once, in the user's language."""
    return "dashboard at" not in record.getMessage()


def quiet_dask(*, verbose: bool) -> None:
    """Dask's and distributed's loggers at WARNING, or INFO with ``--verbose`` (importing
    ``distributed`` sets them to INFO, and a ``LocalCluster`` sets them again)."""
    for name in DASK_LOGGERS:
        logging.getLogger(name).setLevel(logging.INFO if verbose and name != "tornado" else logging.WARNING)
    scheduler = logging.getLogger("distributed.scheduler")
    if _not_the_dashboard not in scheduler.filters:
        scheduler.addFilter(_not_the_dashboard)


class Dask:
    """Tasks on a Dask ``distributed`` cluster: the scheduler at ``address``, or a
    ``LocalCluster`` of ``jobs`` single-threaded worker processes. What a phase shares is
    scattered to every worker once. Workers must read the inputs and write the outputs at the
    same paths as this process (a shared file system); the key file's index (keyed hashes,
    no original) and the pseudonyms travel to them, so use TLS on a network you do not
    control (``distributed.security``)."""

    def __init__(self, address: str | None = None, jobs: int = 2) -> None:
        try:
            from distributed import Client, LocalCluster
        except ImportError:  # pragma: no cover - distributed is a dependency
            raise UsageError("--engine", N_("dask is not installed")) from None
        self.cluster = None
        verbose = log.isEnabledFor(logging.INFO)
        quiet_dask(verbose=verbose)
        try:
            if address:
                self.client = Client(address, timeout="30s")
            else:
                self.cluster = LocalCluster(n_workers=jobs, threads_per_worker=1, processes=True,
                                            dashboard_address=":8787" if verbose else None,
                                            silence_logs=logging.WARNING)  # in the workers
                self.client = Client(self.cluster)
        except (OSError, TimeoutError) as error:
            raise UsageError("--scheduler", N_("cannot reach the Dask scheduler (%(reason)s)"),
                             reason=str(error)) from None
        quiet_dask(verbose=verbose)  # a LocalCluster sets them again
        if self.client.dashboard_link and verbose:
            log.info(Message(N_("Dask dashboard: %(address)s"), {"address": self.client.dashboard_link}))

    def map(self, func: Task[T, R], tasks: Iterable[T], shared: Any) -> Iterator[R]:
        tasks = list(tasks)
        if not tasks:
            return
        shared_future = self.client.scatter(shared, broadcast=True, hash=False)
        futures = self.client.map(_dask_call, tasks, phase=func, shared=shared_future, pure=False)
        try:
            for future in futures:
                yield future.result()
                future.release()
        finally:
            self.client.cancel(futures)
            del shared_future

    def close(self) -> None:
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()


def make_executor(engine: str, jobs: int, scheduler: str | None = None,
                  warm: Callable[[], None] | None = None, *, local: Any = None) -> Executor:
    """The executor for ``--engine`` (local or dask), ``--jobs`` and ``--scheduler``; local
    worker processes start at once and run ``warm`` (load the model) before any task;
    ``local`` is the engine of this process (``--jobs 1``; default: ``worker_engine()``)."""
    if jobs < 1:
        raise UsageError("--jobs", N_("must be at least 1"))
    if engine == "dask":
        return Dask(scheduler, jobs)
    if scheduler:
        raise UsageError("--scheduler", N_("needs --engine dask"))
    return InProcess(local if local is not None else worker_engine()) if jobs == 1 else Processes(jobs, warm)
