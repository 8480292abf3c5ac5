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
from . import audit
from .audit import dumps, read_records, summarise, summarise_by_field
from .documents import TableOptions, collect_inputs, read_document, reverse_edits, with_text, write_document
from .errors import EXIT_REFUSED, EXIT_SKIPPED, AnonymiserError, KeyFileError, RefusedError
from .keyfile import KeyFile, atomic_write
from .model import LABELS, Document, Entity

PASSPHRASE_ENV = "ANONYMISER_PASSPHRASE"
NEW_PASSPHRASE_ENV = "ANONYMISER_NEW_PASSPHRASE"
REIDENTIFY_ENV = "ANONYMISER_REIDENTIFY_PASSPHRASE"
OTHER_ENV = "ANONYMISER_OTHER_PASSPHRASE"
F = TypeVar("F", bound=Callable[..., Any])


def _quiet_libraries() -> None:
    logging.basicConfig(level=logging.WARNING, format="anonymiser: %(message)s")
    for name in ("presidio-analyzer", "presidio-anonymizer", "spacy", "tldextract", "distributed", "tornado"):
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


def _secret(env: str, prompt: str, *, confirm: bool, what: str = "passphrase") -> str:
    """A passphrase from ``env``, else from a hidden prompt; refused without a terminal."""
    value = os.environ.get(env)
    if value:
        return value
    if not sys.stdin.isatty():
        raise KeyFileError(None, f"no {what}: set {env} or run in a terminal")
    return str(click.prompt(prompt, hide_input=True, confirmation_prompt=confirm))


def _passphrase(*, confirm: bool = False, prompt: str = "Passphrase") -> str:
    return _secret(PASSPHRASE_ENV, prompt, confirm=confirm)


def _load_key(path: str, *, need_private: bool = False) -> KeyFile:
    return keyfile_io.load(path, _passphrase(), need_private=need_private)


def _anonymiser() -> Any:
    from .pipeline import Anonymiser  # the model loads only for commands that need it

    return Anonymiser()


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="anonymiser")
def cli() -> None:
    """Consistent, auditable, reversible pseudonymisation of French interviews."""
    _quiet_libraries()


# -- key -----------------------------------------------------------------------------------
def _new_passphrase(prompt: str, env: str = NEW_PASSPHRASE_ENV) -> str:
    return _secret(env, prompt, confirm=True, what="new passphrase")


def _policy() -> Any:
    from .config import load_config
    from .link import FormPolicy

    config = load_config()
    return config, FormPolicy.from_config(config)


def _add_entity(keyfile: KeyFile, form: str, label: str, pseudonym: str | None, variants: tuple[str, ...],
                *, path: str, origin: str = "manual", entity_id: str | None = None) -> str:
    """Add a known entity (sealed and indexed); an explicit pseudonym always wins."""
    from .link import Cluster, Linked
    from .names import parse_name
    from .pseudonyms import Pools, assign

    config, policy = _policy()
    surfaces = tuple(dict.fromkeys((form, *variants)))
    for surface in surfaces:
        if _owner(keyfile, label, surface):
            raise RefusedError(path, f"a form of this {label} entity is already in the key file")
    if pseudonym is not None:
        if pseudonym in keyfile.pseudonyms():
            raise RefusedError(path, "this pseudonym is already given to another entity")
        entity_id = entity_id or keyfile.new_id(label)
        attributes: tuple[tuple[str, str], ...] = ()
        if label == "PERSON" and " " in pseudonym:
            first, last = pseudonym.rsplit(" ", 1)
            attributes = (("first", first), ("last", last))
        attributes = tuple(sorted((*attributes, ("explicit", "yes"))))  # wins over every strategy
        keyfile.add(Entity(entity_id, label, form, surfaces, pseudonym, origin=origin, attributes=attributes))
    else:
        name = parse_name(form, policy.first_names) if label == "PERSON" else None
        cluster = Cluster(label, form, list(surfaces), "", "", name)
        ids = assign(Linked((cluster,), ()), keyfile, config, Pools.from_config(config), policy.first_names)
        entity = keyfile.entities[ids[0]]
        keyfile.entities[entity.id] = Entity(entity.id, entity.label, entity.canonical, entity.variants,
                                             entity.pseudonym, origin, "", entity.attributes)
        entity_id = entity.id
    forms, keys = policy.index_entries(label, surfaces)
    keyfile.index(entity_id, forms, keys)
    return entity_id


def _owner(keyfile: KeyFile, label: str, surface: str) -> str | None:
    """The known entity that a surface form of ``label`` belongs to, if any."""
    from .link import surface_keys

    for key in surface_keys(label, surface):
        for entity_id in keyfile.entities_for_key(key):
            if keyfile.entities[entity_id].label == label:
                return entity_id
    return None


@cli.group()
def key() -> None:
    """Create and manage the encrypted key file."""


@key.command("init")
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--separate", is_flag=True,
              help=f"Two passphrases: pseudonymise ({PASSPHRASE_ENV}) and re-identify ({REIDENTIFY_ENV}).")
@handle_errors
def key_init(path: str, separate: bool) -> None:
    """Create a new, empty, encrypted key file (one passphrase for both roles by default)."""
    if Path(path).exists():
        raise RefusedError(path, "key file already exists (refusing to overwrite it)")
    if separate:
        passphrase = _passphrase(confirm=True, prompt="Pseudonymisation passphrase")
        second = _new_passphrase("Re-identification passphrase", REIDENTIFY_ENV)
        if second == passphrase:
            raise RefusedError(path, "--separate needs two different passphrases")
    else:
        passphrase, second = _passphrase(confirm=True), None
    keyfile_io.create(path, passphrase, reidentify_passphrase=second)
    click.echo(f"created {path}")


@key.command("grant")
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--role", required=True, type=click.Choice(keyfile_io.ROLES),
              help="The role the new passphrase gives.")
@handle_errors
def key_grant(path: str, role: str) -> None:
    """Set the passphrase of a role (the new one from ANONYMISER_NEW_PASSPHRASE or a prompt).

    Granting re-identification needs the current re-identification passphrase."""
    with keyfile_io.locked(path):
        keyfile = keyfile_io.load(path, _passphrase(), need_private=(role == "reidentify"))
        keyfile_io.set_passphrase(keyfile, role, _new_passphrase(f"New {role} passphrase"))
        keyfile_io.save(keyfile, path)
    click.echo(f"{role} passphrase set for {path}")


@key.command("passwd")
@click.argument("path", type=click.Path(dir_okay=False))
@handle_errors
def key_passwd(path: str) -> None:
    """Change the passphrase: every role the current passphrase opens gets the new one."""
    current = _passphrase()
    with keyfile_io.locked(path):
        keyfile = keyfile_io.load(path, current)
        roles = keyfile_io.roles_of(path, current)
        new = _new_passphrase("New passphrase")
        for role in roles:
            keyfile_io.set_passphrase(keyfile, role, new)
        keyfile_io.save(keyfile, path)
    click.echo(f"passphrase changed for: {', '.join(roles)}")


@key.command("add")
@click.argument("path", type=click.Path(dir_okay=False))
@click.argument("form")
@click.option("--label", required=True, type=click.Choice(LABELS), help="Entity label.")
@click.option("--pseudonym", default=None, help="Explicit pseudonym (else generated now).")
@click.option("--variant", "variants", multiple=True, help="Another surface form of the same entity.")
@handle_errors
def key_add(path: str, form: str, label: str, pseudonym: str | None, variants: tuple[str, ...]) -> None:
    """Add a known entity before a run (always found, in every document)."""
    with keyfile_io.locked(path):
        keyfile = _load_key(path)
        entity_id = _add_entity(keyfile, form, label, pseudonym, variants, path=path)
        keyfile_io.save(keyfile, path)
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
        keyfile_io.save(keyfile, path)
    click.echo(f"added {added} pseudonym(s) to the {label} pool ({len(keyfile.pools[label])} in all)"
               if label in keyfile.pools else "added 0 pseudonym(s)")


@key.command("show")
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(["table", "jsonl"]), default="table")
@handle_errors
def key_show(path: str, fmt: str) -> None:
    """List the entities of the key file with their originals (re-identification role)."""
    keyfile = _load_key(path, need_private=True)
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


def _refuse_conflicts(path: str, conflicts: list[str], verb: str) -> None:
    """List conflicts (ids only, never originals) and refuse: nothing is written."""
    if conflicts:
        for conflict in conflicts:
            click.echo(f"anonymiser: conflict: {conflict}", err=True)
        raise RefusedError(path, f"{len(conflicts)} conflict(s); nothing {verb}")


CSV_COLUMNS = ["id", "label", "canonical", "variants", "pseudonym", "origin", "first_document"]


@key.command("export")
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--csv", "csv_path", required=True, type=click.Path(dir_okay=False),
              help="Where to write the plaintext CSV (mode 0600).")
@handle_errors
def key_export(path: str, csv_path: str) -> None:
    """Export the key file as plaintext CSV, for controlled editing (re-identification role)."""
    import csv
    import io

    keyfile = _load_key(path, need_private=True)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for e in keyfile.entities.values():
        writer.writerow([e.id, e.label, e.canonical, " | ".join(v for v in e.variants if v != e.canonical),
                         e.pseudonym, e.origin, e.first_document])
    atomic_write(Path(csv_path), buffer.getvalue().encode("utf-8"), mode=0o600)
    click.echo(f"WARNING: {csv_path} holds every original in plaintext. Keep it on an encrypted disk, "
               "edit it, import it back with 'anonymiser key import', then delete it.", err=True)
    click.echo(f"exported {len(keyfile.entities)} entities to {csv_path}")


def _read_key_csv(csv_path: str) -> list[dict[str, str]]:
    import csv

    try:
        with open(csv_path, encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
    except (OSError, UnicodeDecodeError) as exc:
        raise RefusedError(csv_path, "cannot read CSV") from exc
    if not rows or set(CSV_COLUMNS) - set(rows[0]):
        raise RefusedError(csv_path, f"CSV needs the columns {', '.join(CSV_COLUMNS)}")
    return rows


@key.command("import")
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--csv", "csv_path", required=True, type=click.Path(dir_okay=False, exists=False))
@handle_errors
def key_import(path: str, csv_path: str) -> None:
    """Import entities from CSV: new forms and entities are added; a row that would change an
    existing mapping is a conflict, and conflicts stop the import (nothing is written)."""
    rows = _read_key_csv(csv_path)
    with keyfile_io.locked(path):
        keyfile = _load_key(path)
        conflicts, added, extended = [], 0, 0
        for number, row in enumerate(rows, 2):
            label = row["label"]
            if label not in LABELS or not row["canonical"]:
                conflicts.append(f"line {number}: bad label or empty canonical form")
                continue
            surfaces = tuple(v.strip() for v in [row["canonical"], *row["variants"].split(" | ")] if v.strip())
            known = keyfile.entities.get(row["id"]) if row["id"] else None
            owners = {_owner(keyfile, label, s) for s in surfaces} - {None}
            if known is not None:
                if known.label != label or (row["pseudonym"] and known.pseudonym != row["pseudonym"]):
                    conflicts.append(f"line {number}: {known.id} would get another label or pseudonym")
                elif owners - {known.id}:
                    conflicts.append(f"line {number}: a form of {known.id} belongs to {sorted(owners - {known.id})[0]}")
                else:
                    keyfile.add(Entity(known.id, label, "", surfaces, known.pseudonym))
                    _, policy = _policy()
                    keyfile.index(known.id, *policy.index_entries(label, surfaces))
                    extended += 1
                continue
            if owners:
                conflicts.append(f"line {number}: a form already belongs to {sorted(owners)[0]}")
                continue
            _add_entity(keyfile, surfaces[0], label, row["pseudonym"] or None, surfaces[1:], path=path,
                        origin=row["origin"] or "manual")
            added += 1
        _refuse_conflicts(path, conflicts, "imported")
        keyfile_io.save(keyfile, path)
    click.echo(f"imported: {added} new, {extended} extended")


@key.command("merge")
@click.argument("path", type=click.Path(dir_okay=False))
@click.argument("other", type=click.Path(dir_okay=False))
@handle_errors
def key_merge(path: str, other: str) -> None:
    """Merge another team's key file into PATH (its re-identification passphrase in
    ANONYMISER_OTHER_PASSPHRASE). Conflicts are listed and nothing is written."""
    theirs = keyfile_io.load(other, _new_passphrase("Other key file's passphrase", OTHER_ENV), need_private=True)
    _, policy = _policy()
    with keyfile_io.locked(path):
        ours = _load_key(path)
        conflicts, added, extended = [], 0, 0
        for entity in theirs.entities.values():
            surfaces = tuple(dict.fromkeys((entity.canonical, *entity.variants)))
            owners = {_owner(ours, entity.label, s) for s in surfaces} - {None}
            if len(owners) > 1:
                conflicts.append(f"{entity.id}: its forms belong to several entities ({', '.join(sorted(owners))})")
            elif owners:
                mine = ours.entities[owners.pop()]
                if mine.pseudonym != entity.pseudonym:
                    conflicts.append(f"{entity.id}: same entity as {mine.id} with another pseudonym")
                else:
                    ours.add(Entity(mine.id, mine.label, "", surfaces, mine.pseudonym))
                    ours.index(mine.id, *policy.index_entries(mine.label, surfaces))
                    extended += 1
            elif entity.pseudonym in ours.pseudonyms():
                conflicts.append(f"{entity.id}: its pseudonym is already given to another entity")
            else:
                new_id = ours.new_id(entity.label)
                ours.add(Entity(new_id, entity.label, entity.canonical, surfaces, entity.pseudonym,
                                entity.origin, entity.first_document, entity.attributes))
                ours.index(new_id, *policy.index_entries(entity.label, surfaces))
                added += 1
        _refuse_conflicts(path, conflicts, "merged")
        keyfile_io.save(ours, path)
    click.echo(f"merged: {added} new, {extended} extended")


# -- detect / run --------------------------------------------------------------------------
def _read_inputs(inputs: tuple[str, ...], table_options: TableOptions | None = None,
                 ) -> tuple[list[Document], list[str]]:
    documents, skipped = [], []
    seen: set[str] = set()
    for path, root in collect_inputs(list(inputs)):
        try:
            document = read_document(path, root=root, table_options=table_options)
        except AnonymiserError as error:
            click.echo(f"anonymiser: skipped: {error}", err=True)
            skipped.append(str(path))
            continue
        if document.path in seen or document.id in seen:
            click.echo(f"anonymiser: skipped: {path}: another input has the same name", err=True)
            skipped.append(str(path))
            continue
        seen.update((document.path, document.id))
        documents.append(document)
    return documents, skipped


def _table_options(columns: str | None, drop_columns: str | None, id_columns: str | None) -> TableOptions:
    try:
        return TableOptions.parse(columns=columns, drop=drop_columns, ids=id_columns)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--id-columns") from None


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
@click.option("--columns", default=None, help="Tables: free-text columns to pseudonymise (default: all).")
@click.option("--drop-columns", default=None, help="Tables: columns left out of the output.")
@click.option("--id-columns", default=None,
              help="Tables: identifier columns, each cell one entity (col or col=LABEL; default PERSON).")
@click.option("--strategy", "strategy", default="", metavar="LABEL=STRATEGY,...",
              help="Override rules/pseudonyms.yaml: realistic, tag, generalise or redact per label.")
@click.option("--jobs", "-j", default=1, show_default=True, type=click.IntRange(min=1),
              help="Processes (or Dask workers of a local cluster) that detect and write in parallel.")
@click.option("--engine", "engine_name", type=click.Choice(["local", "dask"]), default="local", show_default=True,
              help="Run the per-document phases here, or on Dask distributed.")
@click.option("--scheduler", default=None, metavar="ADDRESS",
              help="Dask scheduler (tcp://host:8786); default with --engine dask: a local cluster of --jobs workers.")
@handle_errors
def run(inputs: tuple[str, ...], key_path: str, out_dir: str, audit_path: str | None, columns: str | None,
        drop_columns: str | None, id_columns: str | None, strategy: str, jobs: int, engine_name: str,
        scheduler: str | None) -> None:
    """Pseudonymise files or folders into OUT, with an audit log; updates the key file.

    .txt/.md, .docx, .odt, .csv and .xlsx come out in their own format. Documents are
    detected and written in parallel (--jobs, --engine dask); pseudonyms are given once,
    here, so the output is the same whatever runs it."""
    from .config import load_config
    from .corpus import Settings, run_corpus, sources_of
    from .executors import make_executor, use_engine
    from .strategies import parse_strategies

    strategies = parse_strategies(strategy, load_config()) if strategy else None
    table_options = _table_options(columns, drop_columns, id_columns)
    passphrase = _passphrase()
    out = Path(out_dir)
    _refuse_review_folder(out)
    inputs_found = collect_inputs(list(inputs))
    sources = sources_of(inputs_found)
    resolved = {Path(p).resolve() for p, _ in inputs_found}

    def guard(target: str) -> None:
        if Path(target).resolve() in resolved:
            raise RefusedError(target, "output would overwrite an input")

    settings = Settings(out_dir=str(out), table_options=table_options, strategies=dict(strategies or {}))
    with keyfile_io.locked(key_path):
        keyfile = keyfile_io.load(key_path, passphrase)
        engine = _anonymiser()  # one engine per process; tests pass the session's
        use_engine(engine)  # workers forked from here start with its configuration
        executor = make_executor(engine_name, jobs, scheduler)
        try:
            with _Progress() as progress:
                result = run_corpus(sources, keyfile, key_path, out, audit_path or out / "audit.jsonl",
                                    engine=engine, executor=executor, settings=settings,
                                    progress=progress, sources_guard=guard)
        finally:
            executor.close()
    for skipped in result.skipped:
        reason = skipped.reason if skipped.reason.startswith(skipped.path) else f"{skipped.path}: {skipped.reason}"
        click.echo(f"anonymiser: skipped: {reason}", err=True)
    click.echo(f"pseudonymised {len(result.written)} document(s), {result.mentions} mention(s) -> {out}")
    click.echo(f"audit log: {result.audit_path}")
    if result.skipped:
        click.echo(f"skipped {len(result.skipped)} document(s)", err=True)
        sys.exit(EXIT_SKIPPED)


class _Progress:
    """A progress bar per phase on a terminal (documents, characters per second, time left);
    nothing when stderr is not a terminal."""

    LABELS = {"find": "detecting", "propagate": "linking", "replace": "writing"}

    def __init__(self, file: Any = None) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        file = file or sys.stderr
        self.shown = file.isatty()
        self.progress = Progress(
            TextColumn("{task.description:<10}"), BarColumn(), MofNCompleteColumn(),
            TextColumn("documents  {task.fields[rate]:>9} chars/s"), TimeRemainingColumn(),
            console=Console(file=file, force_terminal=self.shown), disable=not self.shown, auto_refresh=False,
        )
        self.tasks: dict[str, Any] = {}
        self.chars: dict[str, int] = {}

    def __enter__(self) -> "_Progress":
        self.progress.__enter__()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.progress.__exit__(*exc)

    def start(self, phase: str, total: int) -> None:
        if self.shown:
            self.tasks[phase] = self.progress.add_task(self.LABELS.get(phase, phase), total=total, rate="")
            self.chars[phase] = 0
            self.progress.refresh()

    def advance(self, phase: str, documents: int, chars: int) -> None:
        if not self.shown or phase not in self.tasks:
            return
        task = self.tasks[phase]
        self.chars[phase] += chars
        elapsed = self.progress.tasks[task].elapsed or 0.0
        rate = f"{self.chars[phase] / elapsed:,.0f}" if elapsed > 0 else ""
        self.progress.update(task, advance=documents, rate=rate)
        self.progress.refresh()


# -- review ----------------------------------------------------------------------------------
REVIEW_MARKER = ".anonymiser-review"  # in every review folder: 'run' never writes there


def _refuse_review_folder(out: Path) -> None:
    """'run' writes what is to be shared: never into (or under) a review report's folder."""
    for folder in (out.resolve(), *out.resolve().parents):
        if (folder / REVIEW_MARKER).exists():
            raise RefusedError(str(out), "this is a review report folder (personal data): choose another --out")


def _review_folder(out: Path) -> None:
    """Refuse an --out that holds pseudonymised output or anything but an earlier report."""
    for folder in (out.resolve(), *out.resolve().parents):
        if (folder / "audit.jsonl").exists():
            raise RefusedError(str(out), "this folder holds pseudonymised output (audit.jsonl): the report holds "
                                         "personal data, write it elsewhere")
    if out.exists() and any(out.iterdir()) and not (out / REVIEW_MARKER).exists():
        raise RefusedError(str(out), "folder is not empty and holds no earlier review report")


@cli.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path())
@click.option("--key", "key_path", required=True, type=click.Path(dir_okay=False), help="Key file (read only).")
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False), help="Report folder (private).")
@click.option("--strategy", "strategy", default="", metavar="LABEL=STRATEGY,...",
              help="As for 'run': the pseudonymised text shown is what 'run' would write.")
@handle_errors
def review(inputs: tuple[str, ...], key_path: str, out_dir: str, strategy: str) -> None:
    """Write an HTML report to check detections before sharing (holds personal data).

    The key file is read, never written: pseudonyms of new entities are provisional."""
    from .config import load_config
    from .report import render
    from .review import review as review_documents
    from .strategies import parse_strategies

    strategies = parse_strategies(strategy, load_config()) if strategy else None
    out = Path(out_dir)
    _review_folder(out)
    keyfile = _load_key(key_path)
    documents, skipped = _read_inputs(inputs)
    if not documents:
        raise RefusedError(None, "no document to review")
    reviews = review_documents(_anonymiser(), documents, keyfile, strategies)
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
    click.echo(f"review of {len(reviews)} document(s), {attention} item(s) to check -> {out / 'index.html'}")
    click.echo("the report holds personal data: keep it private, delete it after the review", err=True)
    if skipped:
        sys.exit(EXIT_SKIPPED)


@key.command("apply-review")
@click.argument("decision_files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--key", "key_path", required=True, type=click.Path(dir_okay=False), help="Key file.")
@handle_errors
def key_apply_review(decision_files: tuple[str, ...], key_path: str) -> None:
    """Record decisions exported from a review report in the key file, for every later run."""
    from .decisions import Decisions

    parsed = []
    for name in decision_files:
        try:
            raw = Path(name).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise RefusedError(name, "cannot read decisions file") from exc
        parsed.append(Decisions.parse(raw, path=name))
    with keyfile_io.locked(key_path):
        keyfile = _load_key(key_path)
        counts = _apply_decisions(keyfile, [d for p in parsed for d in p.items], key_path)
        keyfile_io.save(keyfile, key_path)
    done = ", ".join(f"{n} {action}" for action, n in sorted(counts.items())) or "nothing"
    click.echo(f"applied: {done} -> {key_path}")


def _apply_decisions(keyfile: KeyFile, decisions: list[Any], path: str) -> dict[str, int]:
    from .decisions import ReviewMemory, unindex_form

    _, policy = _policy()
    memory = ReviewMemory.of(keyfile)
    counts: dict[str, int] = {}
    for d in decisions:
        if d.action == "accept":
            memory.accept(keyfile, d)
        elif d.action == "reject" and d.scope == "everywhere":
            memory.allow(keyfile, d.form)
        elif d.action == "reject":
            memory.skip(keyfile, d)
        elif d.action == "relabel":
            memory.allow(keyfile, d.form, d.label)
            unindex_form(keyfile, d.form, d.label)
            _mark_entity(keyfile, policy, d.form, d.new_label, "", path)
        else:
            memory.disallow(keyfile, d.form, d.label)
            _mark_entity(keyfile, policy, d.form, d.label, d.variant_of, path)
        counts[d.action] = counts.get(d.action, 0) + 1
    memory.store(keyfile)
    return counts


def _mark_entity(keyfile: KeyFile, policy: Any, form: str, label: str, variant_of: str, path: str) -> None:
    """Missed text becomes a manual entity, or a form of the entity of ``variant_of`` (taken
    from the entity it was linked to, if any: the reviewer said they are one)."""
    from .decisions import release_form

    current = _owner(keyfile, label, form)
    owner = _owner(keyfile, label, variant_of) if variant_of else None
    if current is not None and (owner is None or owner == current):
        return
    if current is not None:
        release_form(keyfile, form, current, policy.index_entries(label, [form])[1])
    if owner is not None:
        entity = keyfile.entities[owner]
        keyfile.add(Entity(owner, label, "", (form,), entity.pseudonym))
        keyfile.index(owner, *policy.index_entries(label, [form]))
    elif variant_of:
        _add_entity(keyfile, variant_of, label, None, (form,), path=path)
    else:
        _add_entity(keyfile, form, label, None, (), path=path)


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
    audit_file = Path(audit_path) if audit_path else Path(inputs[0]).parent / "audit.jsonl"
    log_path = Path(access_log) if access_log else Path(f"{key_path}.access.jsonl")
    out = Path(out_dir)
    with keyfile_io.locked(key_path):
        keyfile = _load_key(key_path, need_private=True)
        records = read_records(audit_file)
        checked = audit.verify(records, keyfile.chain_key("audit"))
        if not checked.ok:
            raise RefusedError(str(audit_file), f"audit log fails verification: {checked.problem}")
        for raw in inputs:
            path = Path(raw)
            own = [r for r in records if r.get("path") == path.name or
                   (r.get("document") == path.stem and Path(str(r.get("path"))).name == path.name)]
            if not own:
                raise RefusedError(str(path), f"no audit record for this file in {audit_file}")
            header = next((r for r in own if r.get("record") == "document"), {})
            columns = header.get("columns")
            document = read_document(path, table_options=TableOptions(tuple(columns)) if columns is not None else None)
            encoding = str(header.get("encoding", document.encoding))
            restored = reidentify_text(document.text, own, keyfile, path=str(path))
            _record_access(keyfile, log_path, {
                "record": "access",
                "time": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
                "user": getpass.getuser(), "file": str(path), "reason": reason.strip(),
                "key": str(key_path), "mentions": sum(1 for r in own if r.get("record") == "mention"),
            })
            keyfile_io.save(keyfile, key_path)
            write_document(with_text(document, document.text, encoding), restored, out / path.name,
                           edits=reverse_edits(own))
            click.echo(f"restored {path.name} -> {out / path.name}")
    click.echo(f"access recorded in {log_path}")


def _record_access(keyfile: KeyFile, log_path: Path, entry: dict[str, Any]) -> None:
    """Append one hash-chained record to the access log (fsync) and move the key file's head."""
    head = keyfile.access_log
    record = audit.chain([entry], keyfile.chain_key("access"), previous=str(head.get("chain", "")),
                         start=int(head.get("count", 0)), end_record=False)[0]
    with open(log_path, "a", encoding="utf-8") as handle:
        handle.write(dumps(record) + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    keyfile.access_log = {"count": record["seq"], "chain": record["chain"]}


@cli.command("audit")
@click.argument("audit_path", type=click.Path(dir_okay=False))
@click.option("--verify", "check", is_flag=True,
              help="Check the hash chain of an audit or access log (needs --key).")
@click.option("--key", "key_path", type=click.Path(dir_okay=False), help="Key file (for --verify).")
@click.option("--by-field", is_flag=True, help="Masked mentions per grid field and label, across the corpus.")
@handle_errors
def audit_cmd(audit_path: str, check: bool, key_path: str | None, by_field: bool) -> None:
    """Summarise an audit log: masked mentions per label and per file (or per grid field);
    or verify the hash chain of an audit or access log."""
    records = read_records(audit_path)
    if check:
        if not key_path:
            raise RefusedError(audit_path, "--verify needs --key")
        keyfile = _load_key(key_path)
        is_access = bool(records) and records[0].get("record") == "access"
        result = audit.verify(records, keyfile.chain_key("access" if is_access else "audit"),
                              expect_end=not is_access)
        if result.ok and is_access:
            head = keyfile.access_log
            count = int(head.get("count", 0))
            if count > len(records) or (count and records[count - 1].get("chain") != head.get("chain")):
                result = audit.Verification(False, len(records), result.head,
                                            "records are missing: the key file knows a longer log")
        if not result.ok:
            raise RefusedError(audit_path, f"verification failed: {result.problem}")
        click.echo(f"{audit_path}: {result.records} records, chain intact")
        return
    if by_field:
        table = summarise_by_field(records)
        click.echo("per field:")
        click.echo(table.to_string() if not table.empty else "  (no mentions)")
        return
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
