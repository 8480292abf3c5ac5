"""``anonymiser reidentify``, ``audit`` and ``evaluate``: restore originals under a recorded
reason, summarise or verify a log, score detection against gold annotations."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from anonymiser import audit
from anonymiser.audit import read_records, summarise, summarise_by_field
from anonymiser.cli import verbose
from anonymiser.cli.base import PathType, _load_key, cli, handle_errors, option
from anonymiser.cli.project import load_project, project_engine, project_option
from anonymiser.cli.verbose import documents_count
from anonymiser.errors import (
    RefusedError,
)
from anonymiser.i18n import (
    N_,
    Message,
    _,
    ngettext,
)
from anonymiser.keys import format as keyfile_io
from anonymiser.keys import heads, manage
from anonymiser.model import Document


# -- reidentify / audit / evaluate -----------------------------------------------------------
@cli.command(help=N_("Restore original documents, given as files or as a run's output folder (needs the key "
                     "file, its passphrase and a reason)."))
@click.argument("inputs", nargs=-1, required=True, type=PathType(exists=False))
@option("--key", "key_path", required=True, type=PathType(dir_okay=False), help=N_("Key file."))
@option("--reason", default=None, help=N_("Why the originals are needed (recorded)."))
@option("--out", "out_dir", required=True, type=PathType(file_okay=False), help=N_("Output folder."))
@option("--audit", "audit_path", type=PathType(dir_okay=False),
        help=N_("Audit log (default: audit.jsonl in the first input, a folder, or beside it)."))
@option("--access-log", "access_log", type=PathType(dir_okay=False),
        help=N_("Also record the access in this file (it is always recorded in <key file>.access.jsonl)."))
@option("--new-access-log", "new_access_log", is_flag=True,
        help=N_("Start a new access log when the one the key file expects is missing (recorded in the new one)."))
@handle_errors
def reidentify(inputs: tuple[str, ...], key_path: str, reason: str | None, out_dir: str,
               audit_path: str | None, access_log: str | None, new_access_log: bool) -> None:
    from anonymiser.reidentify import check_reason, default_access_log, reidentify_files

    declared = check_reason(reason)  # before any passphrase is asked for
    log_path = default_access_log(key_path)

    def warn(problem: Message) -> None:
        click.echo(_("anonymiser: warning: %(path)s: %(warning)s") % {"path": key_path, "warning": problem}, err=True)

    with keyfile_io.locked(key_path):
        keyfile = _load_key(key_path, need_private=True)
        for path, target in reidentify_files(inputs, keyfile, key_path=key_path, out_dir=out_dir, reason=declared,
                                             audit_path=Path(audit_path) if audit_path else None,
                                             access_log=Path(access_log) if access_log else None,
                                             new_access_log=new_access_log, warn=warn):
            click.echo(_("restored %(name)s -> %(path)s") % {"name": path.name, "path": target})
    click.echo(_("access recorded in %(path)s") % {"path": log_path})
    if access_log and Path(access_log).resolve() != log_path.resolve():
        click.echo(_("and copied to %(path)s") % {"path": access_log})


@cli.command("audit", help=N_("Summarise an audit log: masked mentions per label and per file (or per grid "
                               "field); or verify the hash chain of an audit or access log."))
@click.argument("audit_path", type=PathType(dir_okay=False))
@option("--verify", "check", is_flag=True, help=N_("Check the hash chain of an audit or access log (needs --key)."))
@option("--key", "key_path", type=PathType(dir_okay=False), help=N_("Key file (for --verify)."))
@option("--by-field", is_flag=True, help=N_("Masked mentions per grid field and label, across the corpus."))
@handle_errors
def audit_cmd(audit_path: str, check: bool, key_path: str | None, by_field: bool) -> None:
    records = read_records(audit_path)
    if check:
        if not key_path:
            raise RefusedError(audit_path, N_("--verify needs --key"))
        keyfile = _load_key(key_path)
        result = manage.verify_log(records, keyfile, audit_path)
        if not result.ok:
            raise RefusedError(audit_path, N_("verification failed: %(problem)s"), problem=result.problem)
        click.echo(ngettext("%(path)s: %(count)d record, chain intact", "%(path)s: %(count)d records, chain intact",
                            result.records) % {"path": audit_path, "count": result.records})
        _show_heads(records, keyfile, key_path)
        return
    if by_field:
        table = summarise_by_field(records)
        click.echo(_("per field:"))
        click.echo(_table(table))
        return
    by_label, by_file = summarise(records)
    click.echo(_("per label:"))
    click.echo(_table(by_label))
    click.echo("\n" + _("per file:"))
    click.echo(_table(by_file))


def _show_heads(records: list[dict[str, Any]], keyfile: Any, key_path: str) -> None:
    """What ``audit --verify`` adds for an audit log: the key-file generation and access-log head
    it last saw, to note down (an access log cut back later is then seen), and an older key file."""
    if not any(r.get("record") == "end" and "key" in r for r in records):  # an access log, or an older audit log
        return
    seen = heads.recorded(records)
    state = heads.state(keyfile)
    click.echo(_("key file: generation %(generation)s, access log at record %(seq)s (head %(head)s); this log saw "
                 "generation %(seen)s and access record %(seen_seq)s at most")
               % {"generation": state["generation"], "seen": seen["generation"], "seq": state["access_seq"],
                  "head": state["access_head"][:16] or "-", "seen_seq": seen["access_seq"]})
    older = heads.older_key(keyfile, records)
    if older is not None:
        click.echo(_("anonymiser: warning: %(path)s: %(warning)s") % {"path": key_path, "warning": older}, err=True)


def _table(table: Any) -> str:
    """An audit summary for the screen: label codes and column names in the current language."""
    if table.empty:
        return _("  (no mentions)")
    return str(audit.for_screen(table).to_string())


@cli.command(help=N_("Score detection against gold annotations (per label), with counts of misses and false "
                     "positives (their text only in --errors FILE, a private file). The report is a developer's: "
                     "in English, with label codes."))
@option("--gold", "gold_path", required=True, type=PathType(dir_okay=False),
        help=N_("Gold annotations (JSON Lines; what to annotate and how: docs/annotation.en.md)."))
@option("--json", "as_json", is_flag=True, help=N_("Machine-readable report."))
@option("--key", "key_path", type=PathType(dir_okay=False), help=N_("Evaluate with this key file."))
@option("--attention", is_flag=True,
        help=N_("Score the review list instead: misses it covers, items per 100 words, per document."))
@option("--by-rule", is_flag=True, help=N_("Also per rule id: the mentions it masked and its false positives."))
@option("--errors", "errors_path", type=PathType(dir_okay=False),
        help=N_("Write every miss and false positive, with its context, to this file (JSON Lines, mode 0600: "
                "it holds personal data)."))
@project_option
@handle_errors
def evaluate(gold_path: str, as_json: bool, key_path: str | None, attention: bool, by_rule: bool,
             errors_path: str | None, project_path: str | None) -> None:
    from anonymiser.documents.files import atomic_write
    from anonymiser.evaluate import errors_lines, format_report, read_gold, score

    if errors_path and Path(errors_path).resolve() in {Path(p).resolve() for p in (gold_path, key_path) if p}:
        raise RefusedError(errors_path, N_("output would overwrite an input"))
    project = load_project(project_path, key_path)
    gold = read_gold(gold_path)
    keyfile = _load_key(key_path) if key_path else None
    engine = project_engine(project)
    if attention:
        _evaluate_attention(engine, gold, keyfile, as_json)
        return
    documents = [Document(g.id, g.text, g.id) for g in gold]
    with verbose.timed(N_("detection: %(documents)s in %(seconds)s s"), documents=documents_count(len(documents))):
        detections = engine.detect_documents(documents, key=keyfile)
    report = score(gold, {d.document_id: d.spans for d in detections})
    if errors_path:
        lines = errors_lines(report)
        atomic_write(Path(errors_path), "".join(line + "\n" for line in lines).encode("utf-8"), mode=0o600)
    if as_json:
        click.echo(json.dumps(report.to_dict(by_rule=by_rule), ensure_ascii=False, indent=2))
    else:
        click.echo(format_report(report, by_rule=by_rule))


def _evaluate_attention(engine: Any, gold: Any, keyfile: Any, as_json: bool) -> None:
    """``evaluate --attention``: the review list against what ``run`` misses (key file unchanged)."""
    from anonymiser.keys.store import KeyFile
    from anonymiser.review.coverage import coverage, format_coverage

    documents = [Document(g.id, g.text, g.id) for g in gold]
    reviews = engine.review(documents, key=keyfile or KeyFile.create())
    result = coverage(gold, reviews)
    click.echo(json.dumps(result.to_dict(), indent=2) if as_json else format_coverage(result))
