"""``anonymiser detect`` and ``anonymiser run``: read the inputs, pseudonymise them into a folder
with their audit log, show progress."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from anonymiser.cli.base import (
    PathType,
    _load_key,
    _passphrase,
    _read_inputs,
    _skipped,
    cli,
    handle_errors,
    option,
)
from anonymiser.cli.project import for_workers, load_project, project_engine, project_option
from anonymiser.documents import (
    TableOptions,
    collect_inputs,
)
from anonymiser.errors import (
    EXIT_SKIPPED,
)
from anonymiser.i18n import (
    N_,
    _,
    ngettext,
    number,
)
from anonymiser.keys import format as keyfile_io
from anonymiser.review.folder import refuse_review_folder

# -- detect / run --------------------------------------------------------------------------

@cli.command(help=N_("Print the detected spans of each document (one JSON object per document)."))
@click.argument("inputs", nargs=-1, required=True, type=PathType(exists=True))
@option("--format", "fmt", type=click.Choice(["jsonl"]), default="jsonl", show_default=True,
        help=N_("Output format (label codes, offsets, score, recognizer)."))
@option("--key", "key_path", type=PathType(dir_okay=False), help=N_("Also find the key file's entities."))
@project_option
@handle_errors
def detect(inputs: tuple[str, ...], fmt: str, key_path: str | None, project_path: str | None) -> None:
    project = load_project(project_path, key_path)
    documents, skipped = _read_inputs(inputs)
    keyfile = _load_key(key_path) if key_path else None
    engine = project_engine(project)
    for detection in engine.detect_documents(documents, key=keyfile):
        click.echo(json.dumps({
            "id": detection.document_id,
            "path": detection.path,
            "spans": [{"start": s.start, "end": s.end, "label": s.label, "score": s.score,
                       "recognizer": s.recognizer} for s in detection.spans],
        }, ensure_ascii=False))
    if skipped:
        sys.exit(EXIT_SKIPPED)


@cli.command(help=N_("Pseudonymise files or folders into OUT, with an audit log; updates the key file.\n\n"
                     ".txt/.md, .docx, .odt, .csv and .xlsx come out in their own format. Documents are "
                     "detected and written in parallel (--jobs, --engine dask); pseudonyms are given once, "
                     "here, so the output is the same whatever runs it."))
@click.argument("inputs", nargs=-1, required=True, type=PathType(exists=True))
@option("--key", "key_path", required=True, type=PathType(dir_okay=False), help=N_("Key file."))
@option("--out", "out_dir", required=True, type=PathType(file_okay=False), help=N_("Output folder."))
@option("--audit", "audit_path", type=PathType(dir_okay=False),
        help=N_("Audit log (default: audit.jsonl in the output folder)."))
@option("--columns", default=None, help=N_("Tables: free-text columns to pseudonymise (default: all)."))
@option("--drop-columns", default=None, help=N_("Tables: columns left out of the output."))
@option("--id-columns", default=None,
        help=N_("Tables: identifier columns, each cell one entity (col or col=LABEL; default PERSON)."))
@option("--strategy", "strategy", default="", metavar="LABEL=STRATEGY,...",
        help=N_("Override rules/pseudonyms.yaml and the project file: realistic, tag, generalise, redact or "
                "keep per label."))
@option("--jobs", "-j", default=None, type=click.IntRange(min=1),
        help=N_("Processes (or Dask workers of a local cluster) that detect and write in parallel "
                "(default: the project file's, else 1)."))
@option("--engine", "engine_name", type=click.Choice(["local", "dask"]), default="local", show_default=True,
        help=N_("Run the per-document phases here, or on Dask distributed."))
@option("--scheduler", default=None, metavar="ADDRESS",
        help=N_("Dask scheduler (tcp://host:8786); default with --engine dask: a local cluster of --jobs workers."))
@project_option
@handle_errors
def run(inputs: tuple[str, ...], key_path: str, out_dir: str, audit_path: str | None, columns: str | None,
        drop_columns: str | None, id_columns: str | None, strategy: str, jobs: int | None, engine_name: str,
        scheduler: str | None, project_path: str | None) -> None:
    from anonymiser.config.load import load_config
    from anonymiser.pipeline import Settings
    from anonymiser.render.strategies import parse_strategies
    from anonymiser.run.corpus import run_corpus, sources_of
    from anonymiser.run.executors import make_executor, use_engine, warm_engine

    project = load_project(project_path, key_path)
    jobs = jobs or (project.jobs if project else None) or 1
    strategies = parse_strategies(strategy, load_config()) if strategy else None
    table_options = TableOptions.parse(columns=columns, drop=drop_columns, ids=id_columns)
    passphrase = _passphrase()
    out = Path(out_dir)
    refuse_review_folder(out)
    sources = sources_of(collect_inputs(list(inputs)))
    settings = Settings(out_dir=str(out), table_options=table_options, strategies=dict(strategies or {}))
    engine = project_engine(project)  # one engine per process; tests pass the session's
    use_engine(engine)  # workers forked from here start with its configuration
    if engine_name == "local" and jobs > 1:
        # load the model once, here: the workers forked next share its pages instead of each
        # loading a copy (as long, since each would hold a core for it; 1.1 GiB -> 0.96 GiB)
        warm_engine()
    with for_workers(project):
        executor = make_executor(engine_name, jobs, scheduler, warm=warm_engine, local=engine)
        try:
            with keyfile_io.locked(key_path):
                keyfile = keyfile_io.load(key_path, passphrase)
                with _Progress() as progress:
                    result = run_corpus(sources, keyfile, key_path, out, audit_path or out / "audit.jsonl",
                                        engine=engine, executor=executor, settings=settings,
                                        progress=progress)
        finally:
            executor.close()
    for skipped in result.skipped:
        _skipped(skipped.reason)
    documents = len(result.written)
    click.echo(ngettext("pseudonymised %(count)d document, %(mentions)s -> %(out)s",
                        "pseudonymised %(count)d documents, %(mentions)s -> %(out)s", documents)
               % {"count": documents, "out": out,
                  "mentions": ngettext("%(count)d mention", "%(count)d mentions", result.mentions)
                  % {"count": result.mentions}})
    click.echo(_("audit log: %(path)s") % {"path": result.audit_path})
    if result.skipped:
        click.echo(ngettext("skipped %(count)d document", "skipped %(count)d documents", len(result.skipped))
                   % {"count": len(result.skipped)}, err=True)
        sys.exit(EXIT_SKIPPED)


class _Progress:
    """A progress bar per phase on a terminal (documents, characters per second, time left);
    nothing when stderr is not a terminal."""

    LABELS = {"find": N_("detecting"), "propagate": N_("linking"), "replace": N_("writing")}

    def __init__(self, file: Any = None) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeRemainingColumn,
        )

        file = file or sys.stderr
        self.shown = file.isatty()
        self.progress = Progress(
            TextColumn("{task.description:<14}"), BarColumn(), MofNCompleteColumn(),
            TextColumn(_("documents") + "  {task.fields[rate]:>9} " + _("chars/s")), TimeRemainingColumn(),
            console=Console(file=file, force_terminal=self.shown), disable=not self.shown, auto_refresh=False,
        )
        self.tasks: dict[str, Any] = {}
        self.chars: dict[str, int] = {}

    def __enter__(self) -> _Progress:
        self.progress.__enter__()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.progress.__exit__(*exc)

    def start(self, phase: str, total: int) -> None:
        if self.shown:
            self.tasks[phase] = self.progress.add_task(_(self.LABELS[phase]) if phase in self.LABELS else phase,
                                                       total=total, rate="")
            self.chars[phase] = 0
            self.progress.refresh()

    def advance(self, phase: str, documents: int, chars: int) -> None:
        if not self.shown or phase not in self.tasks:
            return
        task = self.tasks[phase]
        self.chars[phase] += chars
        elapsed = self.progress.tasks[task].elapsed or 0.0
        rate = number(self.chars[phase] / elapsed) if elapsed > 0 else ""
        self.progress.update(task, advance=documents, rate=rate)
        self.progress.refresh()


