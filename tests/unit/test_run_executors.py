"""run/executors: tasks run in this process, in local worker processes; results in task order,
task errors and dead workers reach the coordinating process; make_executor checks its options."""

from __future__ import annotations

import os

import pytest

from anonymiser.errors import UsageError, WorkerError
from anonymiser.run.executors import InProcess, Processes, make_executor, use_engine, worker_engine


def _square(_engine: object, shared: int, task: int) -> int:
    return shared + task * task


@pytest.mark.parametrize("kind", ["in-process", "processes"])
def test_run_executors_keep_task_order(kind) -> None:
    executor = InProcess(None) if kind == "in-process" else Processes(2)
    try:
        assert list(executor.map(_square, range(20), 1000)) == [1000 + n * n for n in range(20)]
        # the same workers serve the next phase, with its own shared data
        assert list(executor.map(_square, range(5), 7)) == [7 + n * n for n in range(5)]
    finally:
        executor.close()


def test_run_executors_each_phase_runs_with_its_own_shared_data() -> None:
    # a worker that ended a phase first must not take a second end marker: the other worker
    # would then run the next phase's tasks with the last phase's shared data (it did, in
    # about one phase in thirty of this loop)
    executor = Processes(2)
    try:
        for phase in range(300):
            assert list(executor.map(_square, range(3), phase * 100)) == [phase * 100 + n * n for n in range(3)]
    finally:
        executor.close()


def test_run_executors_a_phase_left_unread_does_not_reach_the_next() -> None:
    executor = Processes(2)
    try:
        results = executor.map(_square, range(50), 1000)
        assert next(results) == 1000
        results.close()  # the caller stops reading
        assert list(executor.map(_square, range(4), 7)) == [7 + n * n for n in range(4)]
    finally:
        executor.close()


def _fail_on_three(_engine: object, shared: int, task: int) -> int:
    if task == 3:
        raise ValueError("three")
    return task


def test_run_executors_a_task_error_reaches_the_coordinating_process() -> None:
    executor = Processes(2)
    try:
        with pytest.raises(ValueError, match="three"):
            list(executor.map(_fail_on_three, range(6), 0))
        # the workers go on serving the next phase
        assert list(executor.map(_square, range(3), 5)) == [5, 6, 9]
    finally:
        executor.close()


def _die(_engine: object, shared: int, task: int) -> int:
    os._exit(9)


def test_run_executors_a_worker_that_dies_stops_the_run_with_one_error() -> None:
    executor = Processes(1)
    try:
        with pytest.raises(WorkerError):
            list(executor.map(_die, [1], 0))
    finally:
        executor.close()


def test_run_executors_options_are_checked() -> None:
    assert isinstance(make_executor("local", 1), InProcess)
    executor = make_executor("local", 3)
    assert isinstance(executor, Processes) and len(executor.workers) == 3
    executor.close()
    assert not any(w.is_alive() for w in executor.workers)
    with pytest.raises(UsageError):
        make_executor("local", 0)
    with pytest.raises(UsageError, match="--engine dask"):
        make_executor("local", 2, "tcp://127.0.0.1:8786")


def _engine_of(engine: object, shared: str, task: int) -> tuple[object, str, int]:
    return engine, shared, task


def test_run_executors_in_process_passes_its_engine_lazily() -> None:
    engine = object()
    executor = InProcess(engine)
    results = executor.map(_engine_of, iter([3, 1, 2]), "partagé")
    assert next(results) == (engine, "partagé", 3)  # a generator: tasks run as results are read
    assert list(results) == [(engine, "partagé", 1), (engine, "partagé", 2)]
    assert list(executor.map(_engine_of, [], "x")) == []
    executor.close()


def test_run_executors_in_process_task_error_is_raised_as_is() -> None:
    with pytest.raises(ValueError, match="three"):
        list(InProcess(None).map(_fail_on_three, range(6), 0))


def test_run_executors_local_jobs_one_uses_the_given_or_the_process_engine() -> None:
    mine = object()
    assert make_executor("local", 1, local=mine).engine is mine
    use_engine(mine)
    try:
        assert worker_engine() is mine
        assert make_executor("local", 1).engine is mine
    finally:
        from anonymiser.run import executors

        executors._ENGINE.clear()


def test_run_executors_options_are_refused_naming_the_option() -> None:
    with pytest.raises(UsageError) as jobs:
        make_executor("dask", 0)
    assert str(jobs.value) == "--jobs: must be at least 1" and jobs.value.exit_code == 2
    with pytest.raises(UsageError) as scheduler:
        make_executor("local", 1, "tcp://127.0.0.1:8786", local=object())
    assert str(scheduler.value) == "--scheduler: needs --engine dask"


def test_run_executors_dask_loggers_stay_at_warning_unless_verbose() -> None:
    import logging

    import distributed  # noqa: F401  (importing it sets its loggers to INFO)

    from anonymiser.run.executors import quiet_dask

    quiet_dask(verbose=False)
    assert all(logging.getLogger(name).getEffectiveLevel() == logging.WARNING
               for name in ("distributed", "distributed.scheduler", "distributed.nanny", "dask"))
    quiet_dask(verbose=True)
    assert logging.getLogger("distributed.worker").getEffectiveLevel() == logging.INFO
    said = logging.LogRecord("distributed.scheduler", logging.INFO, "", 0, "  dashboard at:  %s", ("x",), None)
    assert not logging.getLogger("distributed.scheduler").filter(said)  # Dask's own line: we say it once
    quiet_dask(verbose=False)


@pytest.mark.slow  # two local clusters
@pytest.mark.parametrize("verbose", [False, True])
def test_run_executors_dask_says_nothing_or_its_dashboard_once_translated(caplog, verbose: bool) -> None:
    import logging

    from anonymiser.i18n import set_language
    from anonymiser.run.executors import Dask, log

    log.setLevel(logging.INFO if verbose else logging.NOTSET)
    try:
        executor = Dask(None, 1)
        try:
            assert list(executor.map(_square, [1, 2, 3], 10)) == [11, 14, 19]
        finally:
            executor.close()
    finally:
        log.setLevel(logging.NOTSET)
    if not verbose:
        assert [r.getMessage() for r in caplog.records if r.levelno < logging.WARNING] == []
        return
    set_language("fr")
    dashboards = [r.getMessage() for r in caplog.records if "dashboard" in r.getMessage().lower()
                  or "tableau de bord" in r.getMessage()]
    assert len(dashboards) == 1 and dashboards[0].startswith("tableau de bord Dask\u00a0: http")


def test_run_executors_no_collection_while_loading_then_what_was_loaded_is_frozen() -> None:
    import gc

    from anonymiser.run.executors import loaded_for_the_run

    thresholds = gc.get_threshold()
    collections: list[int] = []

    def count(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            collections.append(info["generation"])

    loaded_before = [[n] for n in range(5)]  # cycles-capable objects alive at the end of loading
    gc.callbacks.append(count)
    try:
        with loaded_for_the_run() as loaded:
            assert gc.get_threshold()[0] == 0
            gc.enable()  # as srsly does while a spaCy model loads: collections stay held off
            for _ in range(50_000):
                [[]]  # noqa: B018  # allocations that would trigger collections
            assert collections == []
            loaded()
            assert gc.get_threshold() == thresholds
            assert gc.get_freeze_count() >= len(loaded_before)
            assert not any(o is loaded_before for o in gc.get_objects())  # frozen: no collection visits it
        assert gc.get_freeze_count() == 0  # the process collects as before
        assert gc.get_threshold() == thresholds
        assert any(o is loaded_before for o in gc.get_objects())
    finally:
        gc.callbacks.remove(count)
        gc.set_threshold(*thresholds)


def test_run_executors_workers_leave_a_frozen_run_frozen() -> None:
    import gc

    from anonymiser.run.executors import loaded_for_the_run

    with loaded_for_the_run() as loaded:
        loaded()
        frozen = gc.get_freeze_count()
        executor = Processes(1)
        try:
            assert gc.get_freeze_count() >= frozen  # starting the workers did not unfreeze the run
            assert list(executor.map(_square, range(3), 1)) == [1, 2, 5]
        finally:
            executor.close()
    assert gc.get_freeze_count() == 0


def test_run_executors_keep_frozen_freezes_only_inside_a_frozen_run() -> None:
    import gc

    from anonymiser.run.executors import keep_frozen, loaded_for_the_run

    keep_frozen()
    assert gc.get_freeze_count() == 0  # the Python API: nothing is frozen
    with loaded_for_the_run() as loaded:
        loaded()
        kept = [[n] for n in range(3)]  # what a run keeps of a batch
        assert any(o is kept for o in gc.get_objects())
        keep_frozen()
        assert not any(o is kept for o in gc.get_objects())
    assert any(o is kept for o in gc.get_objects())


def test_run_executors_keep_frozen_does_not_count_what_is_frozen(monkeypatch: pytest.MonkeyPatch) -> None:
    """Counting the frozen objects walks every one of them (0.1 s once the model is frozen):
    ``keep_frozen``, called after every batch, knows from the run itself whether it froze."""
    import gc

    from anonymiser.run import executors

    with executors.loaded_for_the_run() as loaded:
        kept_before = [[n] for n in range(3)]
        executors.keep_frozen()
        assert any(o is kept_before for o in gc.get_objects())  # before ``loaded()``: nothing frozen
        loaded()
        monkeypatch.setattr(executors.gc, "get_freeze_count", lambda: pytest.fail("counted the frozen objects"))
        kept = [[n] for n in range(3)]
        executors.keep_frozen()
        assert not any(o is kept for o in gc.get_objects())
        monkeypatch.undo()
    assert gc.get_freeze_count() == 0
