"""``anonymiser review``: the private HTML report to check detections before sharing."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from anonymiser.cli import base
from anonymiser.cli.base import (
    PathType,
    _load_key,
    _read_inputs,
    cli,
    handle_errors,
    option,
)
from anonymiser.errors import (
    EXIT_SKIPPED,
    RefusedError,
)
from anonymiser.i18n import (
    N_,
    _,
    ngettext,
)
from anonymiser.keys.store import atomic_write

# -- review ----------------------------------------------------------------------------------
REVIEW_MARKER = ".anonymiser-review"  # in every review folder: 'run' never writes there


def _refuse_review_folder(out: Path) -> None:
    """'run' writes what is to be shared: never into (or under) a review report's folder."""
    for folder in (out.resolve(), *out.resolve().parents):
        if (folder / REVIEW_MARKER).exists():
            raise RefusedError(str(out), N_("this is a review report folder (personal data): choose another --out"))


def _review_folder(out: Path) -> None:
    """Refuse an --out that holds pseudonymised output or anything but an earlier report."""
    for folder in (out.resolve(), *out.resolve().parents):
        if (folder / "audit.jsonl").exists():
            raise RefusedError(str(out), N_("this folder holds pseudonymised output (audit.jsonl): the report holds "
                                            "personal data, write it elsewhere"))
    if out.exists() and any(out.iterdir()) and not (out / REVIEW_MARKER).exists():
        raise RefusedError(str(out), N_("folder is not empty and holds no earlier review report"))


@cli.command(help=N_("Write an HTML report to check detections before sharing (holds personal data).\n\n"
                     "The key file is read, never written: pseudonyms of new entities are provisional."))
@click.argument("inputs", nargs=-1, required=True, type=PathType(exists=True))
@option("--key", "key_path", required=True, type=PathType(dir_okay=False), help=N_("Key file (read only)."))
@option("--out", "out_dir", required=True, type=PathType(file_okay=False), help=N_("Report folder (private)."))
@option("--strategy", "strategy", default="", metavar="LABEL=STRATEGY,...",
        help=N_("As for 'run': the pseudonymised text shown is what 'run' would write."))
@handle_errors
def review(inputs: tuple[str, ...], key_path: str, out_dir: str, strategy: str) -> None:
    from anonymiser.config.load import load_config
    from anonymiser.render.strategies import parse_strategies
    from anonymiser.review.attention import review as review_documents
    from anonymiser.review.report import render

    strategies = parse_strategies(strategy, load_config()) if strategy else None
    out = Path(out_dir)
    _review_folder(out)
    keyfile = _load_key(key_path)
    documents, skipped = _read_inputs(inputs)
    if not documents:
        raise RefusedError(None, N_("no document to review"))
    reviews = review_documents(base._anonymiser(), documents, keyfile, strategies)
    pages = render(reviews)  # everything in memory before the first write
    out.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(out, 0o700)
    atomic_write(out / REVIEW_MARKER, b"anonymiser review report: personal data, do not share\n", mode=0o600)
    for stale in out.glob("doc-*.html"):
        if stale.name not in pages:
            stale.unlink()
    for name, html in pages.items():
        atomic_write(out / name, html.encode("utf-8"), mode=0o600)
    attention = sum(len(r.items) for r in reviews)
    click.echo(ngettext("review of %(count)d document, %(items)s -> %(path)s",
                        "review of %(count)d documents, %(items)s -> %(path)s", len(reviews))
               % {"count": len(reviews), "path": out / "index.html",
                  "items": ngettext("%(count)d item to check", "%(count)d items to check", attention)
                  % {"count": attention}})
    click.echo(_("the report holds personal data: keep it private, delete it after the review"), err=True)
    if skipped:
        sys.exit(EXIT_SKIPPED)


