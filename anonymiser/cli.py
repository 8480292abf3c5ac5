"""Command line: the only place that configures logging, prompts, prints and writes files.

Exit codes: 0 done, 1 done with skipped documents, 2 usage error, 3 refused (passphrase,
damaged key file, missing reason, audit mismatch).
"""

from __future__ import annotations

import datetime as _dt
import getpass
import json
import logging
import os
import sys
import warnings
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click

from . import __version__, keyfile as keyfile_io
from .audit import dumps, read_records, summarise
from .documents import collect_inputs, read_document, write_document
from .errors import EXIT_REFUSED, EXIT_SKIPPED, AnonymiserError, KeyFileError, RefusedError
from .keyfile import KeyFile, atomic_write
from .model import LABELS, Document, Entity

PASSPHRASE_ENV = "ANONYMISER_PASSPHRASE"
F = TypeVar("F", bound=Callable[..., Any])


def _quiet_libraries() -> None:
    logging.basicConfig(level=logging.WARNING, format="anonymiser: %(message)s")
    for name in ("presidio-analyzer", "presidio-anonymizer", "spacy", "tldextract"):
        logging.getLogger(name).setLevel(logging.ERROR)
    warnings.filterwarnings("ignore")


def _fail(error: AnonymiserError) -> None:
    click.echo(f"anonymiser: error: {error}", err=True)
    sys.exit(error.exit_code)


def handle_errors(func: F) -> F:
    """Turn every error into one line on stderr and a stable exit code; never a traceback."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except AnonymiserError as error:
            _fail(error)
        except KeyboardInterrupt:
            click.echo("anonymiser: interrupted", err=True)
            sys.exit(130)
        except OSError as error:
            click.echo(f"anonymiser: error: {error.filename or ''}: {error.strerror}", err=True)
            sys.exit(2)
        except Exception as error:  # noqa: BLE001 - last resort: one line, no data
            click.echo(f"anonymiser: internal error ({type(error).__name__})", err=True)
            sys.exit(70)

    return wrapper  # type: ignore[return-value]


def _passphrase(*, confirm: bool = False, prompt: str = "Passphrase") -> str:
    value = os.environ.get(PASSPHRASE_ENV)
    if value:
        return value
    if not sys.stdin.isatty():
        raise KeyFileError(None, f"no passphrase: set {PASSPHRASE_ENV} or run in a terminal")
    return str(click.prompt(prompt, hide_input=True, confirmation_prompt=confirm))


def _load_key(path: str) -> KeyFile:
    return keyfile_io.load(path, _passphrase())


def _anonymiser() -> Any:
    from .pipeline import Anonymiser  # the model loads only for commands that need it

    return Anonymiser()


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="anonymiser")
def cli() -> None:
    """Consistent, auditable, reversible pseudonymisation of French interviews."""
    _quiet_libraries()


# -- key -----------------------------------------------------------------------------------
@cli.group()
def key() -> None:
    """Create and manage the encrypted key file."""


@key.command("init")
@click.argument("path", type=click.Path(dir_okay=False))
@handle_errors
def key_init(path: str) -> None:
    """Create a new, empty, encrypted key file."""
    if Path(path).exists():
        raise RefusedError(path, "key file already exists (refusing to overwrite it)")
    passphrase = _passphrase(confirm=True)
    keyfile_io.save(KeyFile.create(), path, passphrase)
    click.echo(f"created {path}")


@key.command("add")
@click.argument("path", type=click.Path(dir_okay=False))
@click.argument("form")
@click.option("--label", required=True, type=click.Choice(LABELS), help="Entity label.")
@click.option("--pseudonym", default=None, help="Explicit pseudonym (else generated on first use).")
@click.option("--variant", "variants", multiple=True, help="Another surface form of the same entity.")
@handle_errors
def key_add(path: str, form: str, label: str, pseudonym: str | None, variants: tuple[str, ...]) -> None:
    """Add a known entity before a run (always found, in every document)."""
    passphrase = _passphrase()
    with keyfile_io.locked(path):
        keyfile = keyfile_io.load(path, passphrase)
        from .config import load_config
        from .link import Cluster, Linked
        from .names import first_name_keys, parse_name
        from .pseudonyms import Pools, assign
        from .textnorm import fold

        config = load_config()
        first_names = first_name_keys(config.first_names, (*config.function_words, *config.particles))
        known = {fold(v) for e in keyfile.entities.values() for v in (e.canonical, *e.variants)}
        if fold(form) in known:
            raise RefusedError(path, "this form is already in the key file")
        if pseudonym is not None:
            entity_id = keyfile.new_id(label)
            attributes: tuple[tuple[str, str], ...] = ()
            if label == "PERSON" and " " in pseudonym:
                first, last = pseudonym.rsplit(" ", 1)
                attributes = (("first", first), ("last", last))
            attributes = tuple(sorted((*attributes, ("explicit", "yes"))))  # wins over every strategy
            keyfile.add(Entity(entity_id, label, form, tuple(dict.fromkeys((form, *variants))), pseudonym,
                               origin="manual", attributes=attributes))
        else:
            name = parse_name(form, first_names) if label == "PERSON" else None
            cluster = Cluster(label, form, list(dict.fromkeys((form, *variants))), "", "", name)
            ids = assign(Linked((cluster,), ()), keyfile, config, Pools.from_config(config), first_names)
            entity = keyfile.entities[ids[0]]
            keyfile.entities[entity.id] = Entity(entity.id, entity.label, entity.canonical, entity.variants,
                                                 entity.pseudonym, "manual", "", entity.attributes)
            entity_id = entity.id
        keyfile_io.save(keyfile, path, passphrase)
    click.echo(f"added {entity_id}")


@key.group("pool")
def key_pool() -> None:
    """The team's own pseudonyms, used before generated ones."""


@key_pool.command("add")
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--label", required=True, type=click.Choice(LABELS), help="Label the names are for.")
@click.option("--file", "names_file", required=True, type=click.Path(dir_okay=False),
              help="One pseudonym a line ('#' comments); persons as 'Prénom Nom'.")
@handle_errors
def key_pool_add(path: str, label: str, names_file: str) -> None:
    """Add pseudonyms to the key file's pool for LABEL (used in order, then generation)."""
    try:
        raw = Path(names_file).read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise AnonymiserError(names_file, "pool file not found") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise AnonymiserError(names_file, "cannot read pool file (UTF-8 text expected)") from exc
    names = [line.strip() for line in raw.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    if not names:
        raise AnonymiserError(names_file, "pool file has no names")
    passphrase = _passphrase()
    with keyfile_io.locked(path):
        keyfile = keyfile_io.load(path, passphrase)
        added = keyfile.add_pool(label, names)
        keyfile_io.save(keyfile, path, passphrase)
    click.echo(f"added {added} pseudonym(s) to the {label} pool ({len(keyfile.pools[label])} in all)"
               if label in keyfile.pools else "added 0 pseudonym(s)")


@key.command("show")
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(["table", "jsonl"]), default="table")
@handle_errors
def key_show(path: str, fmt: str) -> None:
    """List the entities of the key file (shows originals: needs the passphrase)."""
    keyfile = _load_key(path)
    for entity in keyfile.entities.values():
        if fmt == "jsonl":
            click.echo(json.dumps({"id": entity.id, "label": entity.label, "canonical": entity.canonical,
                                   "variants": list(entity.variants), "pseudonym": entity.pseudonym,
                                   "origin": entity.origin, "first_document": entity.first_document},
                                  ensure_ascii=False))
        else:
            variants = ", ".join(v for v in entity.variants if v != entity.canonical)
            click.echo(f"{entity.id}\t{entity.label}\t{entity.canonical}\t-> {entity.pseudonym}\t"
                       f"[{entity.origin}]" + (f"\t({variants})" if variants else ""))
    click.echo(f"{len(keyfile.entities)} entities", err=True)


# -- detect / run --------------------------------------------------------------------------
def _read_inputs(inputs: tuple[str, ...]) -> tuple[list[Document], list[str]]:
    documents, skipped = [], []
    seen: set[str] = set()
    for path, root in collect_inputs(list(inputs)):
        try:
            document = read_document(path, root=root)
        except AnonymiserError as error:
            click.echo(f"anonymiser: skipped: {error}", err=True)
            skipped.append(str(path))
            continue
        if document.path in seen:
            click.echo(f"anonymiser: skipped: {path}: another input has the same name", err=True)
            skipped.append(str(path))
            continue
        seen.add(document.path)
        documents.append(document)
    return documents, skipped


@cli.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path())
@click.option("--format", "fmt", type=click.Choice(["jsonl"]), default="jsonl", show_default=True)
@click.option("--key", "key_path", type=click.Path(dir_okay=False), help="Also find the key file's entities.")
@handle_errors
def detect(inputs: tuple[str, ...], fmt: str, key_path: str | None) -> None:
    """Print the detected spans of each document (one JSON object per document)."""
    documents, skipped = _read_inputs(inputs)
    keyfile = _load_key(key_path) if key_path else None
    engine = _anonymiser()
    for detection in engine.detect(documents, keyfile):
        click.echo(json.dumps({
            "id": detection.document.id,
            "path": detection.document.path,
            "spans": [{"start": s.start, "end": s.end, "label": s.label, "score": s.score,
                       "recognizer": s.recognizer} for s in detection.spans],
        }, ensure_ascii=False))
    if skipped:
        sys.exit(EXIT_SKIPPED)


@cli.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path())
@click.option("--key", "key_path", required=True, type=click.Path(dir_okay=False), help="Key file.")
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False), help="Output folder.")
@click.option("--audit", "audit_path", type=click.Path(dir_okay=False),
              help="Audit log (default: audit.jsonl in the output folder).")
@click.option("--strategy", "strategy", default="", metavar="LABEL=STRATEGY,...",
              help="Override rules/pseudonyms.yaml: realistic, tag, generalise or redact per label.")
@handle_errors
def run(inputs: tuple[str, ...], key_path: str, out_dir: str, audit_path: str | None, strategy: str) -> None:
    """Pseudonymise files or folders into OUT, with an audit log; updates the key file."""
    from .config import load_config
    from .strategies import parse_strategies

    strategies = parse_strategies(strategy, load_config()) if strategy else None
    passphrase = _passphrase()
    out = Path(out_dir)
    with keyfile_io.locked(key_path):
        keyfile = keyfile_io.load(key_path, passphrase)
        documents, skipped = _read_inputs(inputs)
        targets = {d.id: out / d.path for d in documents}
        sources = {Path(p).resolve() for p, _ in collect_inputs(list(inputs))}
        for target in targets.values():
            if target.resolve() in sources:
                raise RefusedError(str(target), "output would overwrite an input")
        engine = _anonymiser()
        total = sum(len(d.text) for d in documents)
        show = sys.stderr.isatty()
        with click.progressbar(length=total, label="pseudonymising", file=sys.stderr,
                               hidden=not show) as bar:
            results = engine.run(documents, keyfile, progress=bar.update, strategies=strategies)
        keyfile_io.save(keyfile, key_path, passphrase)
    for result in results:
        write_document(result.document, result.output, targets[result.document.id])
    audit_file = Path(audit_path) if audit_path else out / "audit.jsonl"
    lines = "".join(dumps(r) + "\n" for result in results for r in result.records)
    audit_file.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(audit_file, lines.encode("utf-8"), mode=0o600)
    mentions = sum(len(r.replacements) for r in results)
    click.echo(f"pseudonymised {len(results)} document(s), {mentions} mention(s) -> {out}")
    click.echo(f"audit log: {audit_file}")
    if skipped:
        click.echo(f"skipped {len(skipped)} document(s)", err=True)
        sys.exit(EXIT_SKIPPED)


# -- reidentify / audit / evaluate -----------------------------------------------------------
@cli.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(exists=False, dir_okay=False))
@click.option("--key", "key_path", required=True, type=click.Path(dir_okay=False))
@click.option("--reason", default=None, help="Why the originals are needed (recorded).")
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False))
@click.option("--audit", "audit_path", type=click.Path(dir_okay=False),
              help="Audit log (default: audit.jsonl beside the first input).")
@click.option("--access-log", "access_log", type=click.Path(dir_okay=False),
              help="Access log (default: <key file>.access.jsonl).")
@handle_errors
def reidentify(inputs: tuple[str, ...], key_path: str, reason: str | None, out_dir: str,
               audit_path: str | None, access_log: str | None) -> None:
    """Restore original documents (needs the key file, its passphrase and a reason)."""
    from .reidentify import reidentify_text

    if not reason or not reason.strip():
        raise RefusedError(None, "re-identification needs --reason")
    keyfile = _load_key(key_path)
    audit_file = Path(audit_path) if audit_path else Path(inputs[0]).parent / "audit.jsonl"
    records = read_records(audit_file)
    log_path = Path(access_log) if access_log else Path(f"{key_path}.access.jsonl")
    out = Path(out_dir)
    for raw in inputs:
        path = Path(raw)
        document = read_document(path)
        own = [r for r in records if r.get("path") == document.path or
               (r.get("document") == document.id and Path(str(r.get("path"))).name == path.name)]
        if not own:
            raise RefusedError(str(path), f"no audit record for this file in {audit_file}")
        encoding = next((r["encoding"] for r in own if r.get("record") == "document"), document.encoding)
        restored = reidentify_text(document.text, own, keyfile, path=str(path))
        entry = {"time": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
                 "user": getpass.getuser(), "file": str(path), "reason": reason.strip(),
                 "key": str(key_path), "mentions": sum(1 for r in own if r.get("record") == "mention")}
        with open(log_path, "a", encoding="utf-8") as handle:
            handle.write(json.dumps(entry, ensure_ascii=False) + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        write_document(Document(document.id, restored, document.path, encoding), restored, out / path.name)
        click.echo(f"restored {path.name} -> {out / path.name}")
    click.echo(f"access recorded in {log_path}")


@cli.command("audit")
@click.argument("audit_path", type=click.Path(dir_okay=False))
@handle_errors
def audit_cmd(audit_path: str) -> None:
    """Summarise an audit log: masked mentions per label and per file."""
    records = read_records(audit_path)
    by_label, by_file = summarise(records)
    click.echo("per label:")
    click.echo(by_label.to_string() if not by_label.empty else "  (no mentions)")
    click.echo("\nper file:")
    click.echo(by_file.to_string() if not by_file.empty else "  (no mentions)")


@cli.command()
@click.option("--gold", "gold_path", required=True, type=click.Path(dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Machine-readable report.")
@click.option("--key", "key_path", type=click.Path(dir_okay=False), help="Evaluate with this key file.")
@handle_errors
def evaluate(gold_path: str, as_json: bool, key_path: str | None) -> None:
    """Score detection against gold annotations (per label), listing misses."""
    from .evaluate import format_report, read_gold, score

    gold = read_gold(gold_path)
    keyfile = _load_key(key_path) if key_path else None
    engine = _anonymiser()
    documents = [Document(g.id, g.text, g.id) for g in gold]
    detections = engine.detect(documents, keyfile)
    report = score(gold, {d.document.id: d.spans for d in detections})
    if as_json:
        click.echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    else:
        click.echo(format_report(report))


def main() -> None:
    cli(prog_name="anonymiser")


if __name__ == "__main__":
    main()
