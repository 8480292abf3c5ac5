"""``anonymiser detect`` and ``anonymiser run``: read the inputs, pseudonymise them into a folder
with their audit log, show progress."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click

from anonymiser.cli import verbose
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
from anonymiser.cli.project import check_sealing_key, for_workers, load_project, project_engine, project_option
from anonymiser.cli.verbose import documents_count
from anonymiser.documents import (
    TableOptions,
    collect_inputs,
)
from anonymiser.errors import (
    EXIT_SKIPPED,
    UsageError,
)
from anonymiser.i18n import (
    N_,
    _,
    ngettext,
    screen_label,
)
from anonymiser.keys import format as keyfile_io
from anonymiser.model import Document, Span
from anonymiser.review.folder import refuse_review_folder

if TYPE_CHECKING:
    from anonymiser.run.corpus import CorpusResult

# -- detect / run --------------------------------------------------------------------------

@cli.command(help=N_("Show what detection finds in each document, without changing anything.\n\n"
                     "--format jsonl (the default) prints one JSON object per document: its id, its path and "
                     "its spans (offsets, label code, score, recognizer), no text. --format text shows each "
                     "document with its detections marked inline: it holds personal data, so it is shown on "
                     "a terminal only, never written to a file or a pipe."))
@click.argument("inputs", nargs=-1, required=True, type=PathType(exists=True))
@option("--format", "fmt", type=click.Choice(["jsonl", "text"]), default="jsonl", show_default=True,
        help=N_("jsonl: offsets, label codes, score, recognizer; text: the documents, detections marked "
                "(terminal only)."))
@option("--key", "key_path", type=PathType(dir_okay=False), help=N_("Also find the key file's entities."))
@project_option
@handle_errors
def detect(inputs: tuple[str, ...], fmt: str, key_path: str | None, project_path: str | None) -> None:
    if fmt == "text" and not _stdout_is_terminal():  # before anything is read
        raise UsageError("--format text", N_("it shows personal data: on a terminal only, never into a file "
                                             "or a pipe (--format jsonl gives offsets without text)"))
    project = load_project(project_path, key_path)
    documents, skipped = _read_inputs(inputs)
    keyfile = _load_key(key_path) if key_path else None
    engine = project_engine(project)
    with verbose.timed(N_("detection: %(documents)s in %(seconds)s s"), documents=documents_count(len(documents))):
        detections = engine.detect_documents(documents, key=keyfile)
    if fmt == "text":
        click.echo(_("warning: the documents below are shown with their personal data: do not copy them "
                     "elsewhere"), err=True)
    for detection in detections:
        if fmt == "text":
            click.echo(marked(documents[detection.index], detection.spans))
            continue
        click.echo(json.dumps({
            "id": detection.document_id,
            "path": detection.path,
            "spans": [{"start": s.start, "end": s.end, "label": s.label, "score": s.score,
                       "recognizer": s.recognizer} for s in detection.spans],
        }, ensure_ascii=False))
    if skipped:
        sys.exit(EXIT_SKIPPED)


def _stdout_is_terminal() -> bool:
    return sys.stdout.isatty()


def marked(document: Document, spans: Sequence[Span]) -> str:
    """A document for the terminal: a heading (its path, how many detections), then its text with
    each detection marked inline, in bold: "Vu avec ⟦Léa Brun · Personne⟧ hier." (the label's
    name in French, its code in English)."""
    parts, position = [], 0
    for span in sorted(spans, key=lambda s: (s.start, -s.end)):
        if span.start < position:  # overlapping spans: the first one is shown
            continue
        parts.append(document.text[position:span.start])
        parts.append(click.style(f"⟦{document.text[span.start:span.end]} · {screen_label(span.label)}⟧", bold=True))
        position = span.end
    parts.append(document.text[position:])
    count = ngettext("%(count)d detection", "%(count)d detections", len(spans)) % {"count": len(spans)}
    return f"── {document.path or document.id} · {count} ──\n" + "".join(parts).rstrip("\n")


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
    from anonymiser.run.executors import loaded_for_the_run

    out = Path(out_dir)
    with loaded_for_the_run() as loaded:  # no garbage collection over the model (see there)
        result = _run(inputs, key_path, out, audit_path, columns, drop_columns, id_columns, strategy, jobs,
                      engine_name, scheduler, project_path, loaded)
    for warning in result.warnings:
        click.echo(_("anonymiser: warning: %(path)s: %(warning)s") % {"path": key_path, "warning": warning}, err=True)
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


def _run(inputs: tuple[str, ...], key_path: str, out: Path, audit_path: str | None, columns: str | None,
         drop_columns: str | None, id_columns: str | None, strategy: str, jobs: int | None, engine_name: str,
         scheduler: str | None, project_path: str | None, loaded: Callable[[], None]) -> CorpusResult:
    """``run``'s work: the corpus pseudonymised, its result; ``loaded()`` is called once the
    model is loaded."""
    from anonymiser.cli.progress import Progress
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
    refuse_review_folder(out)
    sources = sources_of(collect_inputs(list(inputs)))
    engine = project_engine(project)  # one engine per process; tests pass the session's
    settings = Settings(out_dir=str(out), table_options=table_options, office_limits=engine.config.office_limits,
                        strategies=dict(strategies or {}))
    use_engine(engine)  # workers forked from here start with its configuration
    if engine_name == "local":
        # load the model once, here: the workers forked next share its pages instead of each
        # loading a copy (as long, since each would hold a core for it; 1.1 GiB -> 0.96 GiB)
        warm_engine()
    loaded()
    with for_workers(project):
        executor = make_executor(engine_name, jobs, scheduler, warm=warm_engine, local=engine)
        try:
            with keyfile_io.locked(key_path):
                with verbose.timed(N_("key file %(path)s opened in %(seconds)s s"), path=key_path):
                    keyfile = keyfile_io.load(key_path, passphrase)
                check_sealing_key(keyfile, project, key_path)
                with Progress() as progress:
                    return run_corpus(sources, keyfile, key_path, out, audit_path or out / "audit.jsonl",
                                      engine=engine, executor=executor, settings=settings, progress=progress)
        finally:
            executor.close()
