"""``anonymiser review``: the private HTML report to check detections before sharing."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from anonymiser.cli import verbose
from anonymiser.cli.base import (
    PathType,
    _load_key,
    _read_inputs,
    cli,
    handle_errors,
    option,
)
from anonymiser.cli.project import load_project, project_engine, project_option
from anonymiser.cli.verbose import documents_count
from anonymiser.errors import (
    EXIT_SKIPPED,
    RefusedError,
)
from anonymiser.i18n import (
    N_,
    _,
    ngettext,
)

# -- review ----------------------------------------------------------------------------------




@cli.command(help=N_("Write an HTML report to check detections before sharing (holds personal data).\n\n"
                     "The key file is read, never written: pseudonyms of new entities are provisional. "
                     "--format jsonl writes the needs-attention list as data (attention.jsonl); give "
                     "--format twice for both."))
@click.argument("inputs", nargs=-1, required=True, type=PathType(exists=True))
@option("--key", "key_path", required=True, type=PathType(dir_okay=False), help=N_("Key file (read only)."))
@option("--out", "out_dir", required=True, type=PathType(file_okay=False), help=N_("Report folder (private)."))
@option("--strategy", "strategy", default="", metavar="LABEL=STRATEGY,...",
        help=N_("As for 'run': the pseudonymised text shown is what 'run' would write."))
@option("--format", "formats", type=click.Choice(["html", "jsonl"]), multiple=True, default=("html",),
        show_default=True, help=N_("html: the report pages; jsonl: the needs-attention list, one item a line."))
@project_option
@handle_errors
def review(inputs: tuple[str, ...], key_path: str, out_dir: str, strategy: str, formats: tuple[str, ...],
           project_path: str | None) -> None:
    from anonymiser.config.load import load_config
    from anonymiser.render.strategies import parse_strategies
    from anonymiser.review.attention import attention_records
    from anonymiser.review.folder import check_review_folder, write_attention, write_report
    from anonymiser.review.report import render

    project = load_project(project_path, key_path)
    strategies = parse_strategies(strategy, load_config()) if strategy else None
    out = Path(out_dir)
    check_review_folder(out)
    keyfile = _load_key(key_path)
    documents, skipped = _read_inputs(inputs)
    if not documents:
        raise RefusedError(None, N_("no document to review"))
    engine = project_engine(project)
    with verbose.timed(N_("review: %(documents)s in %(seconds)s s"), documents=documents_count(len(documents))):
        reviews = engine.review(documents, key=keyfile, strategies=strategies)
    written = []
    if "html" in formats:
        written.append(write_report(out, render(reviews)))  # every page is rendered before the first write
    if "jsonl" in formats:
        written.append(write_attention(out, attention_records(reviews)))
    attention = sum(len(r.items) for r in reviews)
    click.echo(ngettext("review of %(count)d document, %(items)s -> %(path)s",
                        "review of %(count)d documents, %(items)s -> %(path)s", len(reviews))
               % {"count": len(reviews), "path": ", ".join(str(p) for p in written),
                  "items": ngettext("%(count)d item to check", "%(count)d items to check", attention)
                  % {"count": attention}})
    click.echo(_("the report holds personal data: keep it private, delete it after the review"), err=True)
    if skipped:
        sys.exit(EXIT_SKIPPED)
