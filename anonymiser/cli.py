"""Command line: the only place that configures logging, prompts, prints and writes files.

Exit codes: 0 done, 1 done with skipped documents, 2 usage error, 3 refused (passphrase,
damaged key file, missing reason, audit mismatch), 70 internal error, 130 interrupted.

Every message shown goes through the catalogue (``i18n``): help texts are message ids marked with
``N_`` and translated when help is shown; the language is chosen in :meth:`AnonymiserGroup.main`,
before click parses anything.
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
from .errors import (EXIT_INTERNAL, EXIT_REFUSED, EXIT_SKIPPED, EXIT_USAGE, AnonymiserError, KeyFileError,
                     RefusedError)
from .i18n import LANGUAGES, CatalogueMissing, Message, N_, Nn_, _, choose_language, screen_label, ngettext, number, os_error_text
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


EXIT_INTERRUPTED = 130


def _fail(error: AnonymiserError) -> None:
    click.echo(_("anonymiser: error: %(error)s") % {"error": error}, err=True)
    sys.exit(error.exit_code)


def _skipped(what: object) -> None:
    click.echo(_("anonymiser: skipped: %(error)s") % {"error": what}, err=True)


def handle_errors(func: F) -> F:
    """Turn every error into one line on stderr and a stable exit code; never a traceback."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except AnonymiserError as error:
            _fail(error)
        except KeyboardInterrupt:
            click.echo(_("anonymiser: interrupted"), err=True)
            sys.exit(EXIT_INTERRUPTED)
        except OSError as error:
            cause = _("%(path)s: %(cause)s") % {"path": error.filename or "", "cause": os_error_text(error)}
            click.echo(_("anonymiser: error: %(error)s") % {"error": cause}, err=True)
            sys.exit(EXIT_USAGE)
        except Exception as error:  # noqa: BLE001 - last resort: one line, no data
            click.echo(_("anonymiser: internal error (%(kind)s)") % {"kind": type(error).__name__}, err=True)
            sys.exit(EXIT_INTERNAL)

    return wrapper  # type: ignore[return-value]


def _interactive() -> bool:
    """Whether a passphrase can be asked for (a terminal on standard input)."""
    return sys.stdin.isatty()


def _secret(env: str, prompt: str, *, confirm: bool, new: bool = False) -> str:
    """A passphrase from ``env``, else from a hidden prompt (``prompt``: a message id ending with
    its colon); refused without a terminal."""
    value = os.environ.get(env)
    if value:
        return value
    if not _interactive():
        cause = (N_("no new passphrase: set %(variable)s or run in a terminal") if new
                 else N_("no passphrase: set %(variable)s or run in a terminal"))
        raise KeyFileError(None, cause, variable=env)
    return str(click.prompt(_(prompt), hide_input=True, prompt_suffix=" ",
                            confirmation_prompt=_("Repeat for confirmation:") if confirm else False))


def _passphrase(*, confirm: bool = False, prompt: str = N_("Passphrase:")) -> str:
    return _secret(PASSPHRASE_ENV, prompt, confirm=confirm)


def _load_key(path: str, *, need_private: bool = False) -> KeyFile:
    return keyfile_io.load(path, _passphrase(), need_private=need_private)


def _anonymiser() -> Any:
    from .pipeline import Anonymiser  # the model loads only for commands that need it

    return Anonymiser()


class _HelpText:
    """A help text kept as its message id and translated each time it is read."""

    def __set_name__(self, owner: type, name: str) -> None:
        self.attribute = f"_msgid_{name}"

    def __get__(self, obj: Any, objtype: type | None = None) -> Any:
        if obj is None:
            return self
        msgid = obj.__dict__.get(self.attribute)
        return _(msgid) if msgid else msgid

    def __set__(self, obj: Any, value: str | None) -> None:
        obj.__dict__[self.attribute] = value


class Option(click.Option):
    help = _HelpText()


def option(*decls: str, **attrs: Any) -> Callable[[F], F]:
    """``click.option`` whose help is a message id (``N_``), shown translated."""
    return click.option(*decls, cls=Option, **attrs)


class PathType(click.Path):
    """``click.Path`` whose kind ("file", "directory", "path") is shown in the current language."""

    name = _HelpText()


class _Translated:
    help = _HelpText()
    short_help = _HelpText()
    epilog = _HelpText()

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        help_option = super().get_help_option(ctx)  # type: ignore[misc]
        if help_option is not None:  # click caches it with the text of its first language
            help_option.help = _("Show this message and exit.")
        return help_option  # type: ignore[no-any-return]


class Command(_Translated, click.Command):
    pass


class Group(_Translated, click.Group):
    command_class = Command
    group_class = type  # subgroups are Groups too

    def main(self, args: Any = None, *pargs: Any, **kwargs: Any) -> Any:
        """Choose the language (``--lang``, else the locale) before click parses anything."""
        argv = list(sys.argv[1:] if args is None else args)
        try:
            choose_language(argv)
        except CatalogueMissing:  # an install that skipped the build step: say so, go on in English
            click.echo("anonymiser: the French messages are not compiled (run 'make install'); "
                       "messages in English", err=True)
        return super().main(argv, *pargs, **kwargs)


def _show_version(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if value and not ctx.resilient_parsing:
        click.echo(_("%(prog)s, version %(version)s") % {"prog": "anonymiser", "version": __version__})
        ctx.exit()


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]},
             help=N_("Consistent, auditable, reversible pseudonymisation of French interviews."))
@option("--version", is_flag=True, expose_value=False, is_eager=True, callback=_show_version,
        help=N_("Show the version and exit."))
@option("--lang", type=click.Choice(LANGUAGES), expose_value=False, is_eager=True,
        help=N_("Language of messages (default: from LC_ALL, LC_MESSAGES or LANG; fr_* is French)."))
def cli() -> None:
    _quiet_libraries()


# -- key -----------------------------------------------------------------------------------
def _new_passphrase(prompt: str, env: str = NEW_PASSPHRASE_ENV) -> str:
    return _secret(env, prompt, confirm=True, new=True)


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
            raise RefusedError(path, N_("a form of this %(label)s entity is already in the key file"),
                               label=label)
    if pseudonym is not None:
        if pseudonym in keyfile.pseudonyms():
            raise RefusedError(path, N_("this pseudonym is already given to another entity"))
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


@cli.group(help=N_("Create and manage the encrypted key file."))
def key() -> None:
    pass


@key.command("init", help=N_("Create a new, empty, encrypted key file (one passphrase for both roles by default)."))
@click.argument("path", type=PathType(dir_okay=False))
@option("--separate", is_flag=True,
        help=N_("Two passphrases: pseudonymise (ANONYMISER_PASSPHRASE) and re-identify "
                "(ANONYMISER_REIDENTIFY_PASSPHRASE)."))
@handle_errors
def key_init(path: str, separate: bool) -> None:
    if Path(path).exists():
        raise RefusedError(path, N_("key file already exists (refusing to overwrite it)"))
    if separate:
        passphrase = _passphrase(confirm=True, prompt=N_("Pseudonymisation passphrase:"))
        second = _new_passphrase(N_("Re-identification passphrase:"), REIDENTIFY_ENV)
        if second == passphrase:
            raise RefusedError(path, N_("--separate needs two different passphrases"))
    else:
        passphrase, second = _passphrase(confirm=True), None
    keyfile_io.create(path, passphrase, reidentify_passphrase=second)
    click.echo(_("created %(path)s") % {"path": path})


@key.command("grant", help=N_("Set the passphrase of a role (the new one from ANONYMISER_NEW_PASSPHRASE or a "
                               "prompt).\n\nGranting re-identification needs the current re-identification "
                               "passphrase."))
@click.argument("path", type=PathType(dir_okay=False))
@option("--role", required=True, type=click.Choice(keyfile_io.ROLES), help=N_("The role the new passphrase gives."))
@handle_errors
def key_grant(path: str, role: str) -> None:
    with keyfile_io.locked(path):
        keyfile = keyfile_io.load(path, _passphrase(), need_private=(role == "reidentify"))
        prompt = N_("New pseudonymise passphrase:") if role == "pseudonymise" else N_("New reidentify passphrase:")
        keyfile_io.set_passphrase(keyfile, role, _new_passphrase(prompt))
        keyfile_io.save(keyfile, path)
    click.echo(_("%(role)s passphrase set for %(path)s") % {"role": role, "path": path})


@key.command("passwd", help=N_("Change the passphrase: every role the current passphrase opens gets the new one."))
@click.argument("path", type=PathType(dir_okay=False))
@handle_errors
def key_passwd(path: str) -> None:
    current = _passphrase()
    with keyfile_io.locked(path):
        keyfile = keyfile_io.load(path, current)
        roles = keyfile_io.roles_of(path, current)
        new = _new_passphrase(N_("New passphrase:"))
        for role in roles:
            keyfile_io.set_passphrase(keyfile, role, new)
        keyfile_io.save(keyfile, path)
    click.echo(_("passphrase changed for: %(roles)s") % {"roles": ", ".join(roles)})


@key.command("add", help=N_("Add a known entity before a run (always found, in every document)."))
@click.argument("path", type=PathType(dir_okay=False))
@click.argument("form")
@option("--label", required=True, type=click.Choice(LABELS), help=N_("Entity label."))
@option("--pseudonym", default=None, help=N_("Explicit pseudonym (else generated now)."))
@option("--variant", "variants", multiple=True, help=N_("Another surface form of the same entity."))
@handle_errors
def key_add(path: str, form: str, label: str, pseudonym: str | None, variants: tuple[str, ...]) -> None:
    with keyfile_io.locked(path):
        keyfile = _load_key(path)
        entity_id = _add_entity(keyfile, form, label, pseudonym, variants, path=path)
        keyfile_io.save(keyfile, path)
    click.echo(_("added %(entity)s") % {"entity": entity_id})


@key.group("pool", help=N_("The team's own pseudonyms, used before generated ones."))
def key_pool() -> None:
    pass


@key_pool.command("add", help=N_("Add pseudonyms to the key file's pool for LABEL (used in order, then generation)."))
@click.argument("path", type=PathType(dir_okay=False))
@option("--label", required=True, type=click.Choice(LABELS), help=N_("Label the names are for."))
@option("--file", "names_file", required=True, type=PathType(dir_okay=False),
        help=N_("One pseudonym a line ('#' comments); persons as 'Prénom Nom'."))
@handle_errors
def key_pool_add(path: str, label: str, names_file: str) -> None:
    try:
        raw = Path(names_file).read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise AnonymiserError(names_file, N_("pool file not found")) from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise AnonymiserError(names_file, N_("cannot read pool file (UTF-8 text expected)")) from exc
    names = [line.strip() for line in raw.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    if not names:
        raise AnonymiserError(names_file, N_("pool file has no names"))
    passphrase = _passphrase()
    with keyfile_io.locked(path):
        keyfile = keyfile_io.load(path, passphrase)
        added = keyfile.add_pool(label, names)
        keyfile_io.save(keyfile, path)
    total = len(keyfile.pools.get(label, ()))
    click.echo(ngettext("added %(count)d pseudonym to the %(label)s pool (%(total)d in all)",
                        "added %(count)d pseudonyms to the %(label)s pool (%(total)d in all)", added)
               % {"count": added, "label": screen_label(label), "total": total})


@key.command("show", help=N_("List the entities of the key file with their originals (re-identification role)."))
@click.argument("path", type=PathType(dir_okay=False))
@option("--format", "fmt", type=click.Choice(["table", "jsonl"]), default="table",
        help=N_("table (for reading) or jsonl (one JSON object per entity, label codes)."))
@handle_errors
def key_show(path: str, fmt: str) -> None:
    keyfile = _load_key(path, need_private=True)
    for entity in keyfile.entities.values():
        if fmt == "jsonl":
            click.echo(json.dumps({"id": entity.id, "label": entity.label, "canonical": entity.canonical,
                                   "variants": list(entity.variants), "pseudonym": entity.pseudonym,
                                   "origin": entity.origin, "first_document": entity.first_document},
                                  ensure_ascii=False))
        else:
            variants = ", ".join(v for v in entity.variants if v != entity.canonical)
            click.echo(f"{entity.id}\t{screen_label(entity.label)}\t{entity.canonical}\t-> {entity.pseudonym}\t"
                       f"[{entity.origin}]" + (f"\t({variants})" if variants else ""))
    count = len(keyfile.entities)
    click.echo(ngettext("%(count)d entity", "%(count)d entities", count) % {"count": count}, err=True)


@key.command("forget", help=N_("Erase an entity from the key file (right to erasure): its originals and keyed "
                                "hashes are deleted, here and in the .bak; its id and pseudonym stay, so that "
                                "they are never given again. Needs the re-identification passphrase and a reason; "
                                "recorded in the access log."))
@click.argument("path", type=PathType(dir_okay=False))
@click.argument("entity_id")
@option("--reason", default=None, help=N_("Why the entity is erased (recorded)."))
@option("--access-log", "access_log", type=PathType(dir_okay=False),
        help=N_("Access log (default: <key file>.access.jsonl)."))
@handle_errors
def key_forget(path: str, entity_id: str, reason: str | None, access_log: str | None) -> None:
    if not reason or not reason.strip():
        raise RefusedError(None, N_("erasure needs --reason"))
    log_path = Path(access_log) if access_log else Path(f"{path}.access.jsonl")
    with keyfile_io.locked(path):
        keyfile = _load_key(path, need_private=True)
        entity = keyfile.entities.get(entity_id)
        if entity is None or entity.origin == keyfile_io.FORGOTTEN:
            raise RefusedError(path, N_("no entity %(entity)s to erase in this key file"), entity=entity_id)
        keyfile.forget(entity_id)
        _record_access(keyfile, log_path, {
            "record": "erasure",
            "time": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
            "user": getpass.getuser(), "entity": entity_id, "reason": reason.strip(), "key": str(path),
        })
        keyfile_io.save(keyfile, path)
        keyfile_io.save(keyfile, path)  # twice: the .bak must not keep the erased originals either
    click.echo(_("%(entity)s erased: its originals and keyed hashes are deleted") % {"entity": entity_id})
    click.echo(_("erasure recorded in %(path)s") % {"path": log_path})


def _refuse_conflicts(path: str, conflicts: list[Message], *, imported: bool) -> None:
    """List conflicts (ids only, never originals) and refuse: nothing is written."""
    if conflicts:
        for conflict in conflicts:
            click.echo(_("anonymiser: conflict: %(conflict)s") % {"conflict": conflict}, err=True)
        count = len(conflicts)
        singular, plural = (Nn_("%(count)d conflict; nothing imported", "%(count)d conflicts; nothing imported")
                            if imported else
                            Nn_("%(count)d conflict; nothing merged", "%(count)d conflicts; nothing merged"))
        raise RefusedError(path, Message(singular, {"count": count}, plural, count))


ACCESS_RECORDS = ("access", "erasure")  # the records of the access log
CSV_COLUMNS = ["id", "label", "canonical", "variants", "pseudonym", "origin", "first_document"]


@key.command("export", help=N_("Export the key file as plaintext CSV, for controlled editing (re-identification "
                                "role)."))
@click.argument("path", type=PathType(dir_okay=False))
@option("--csv", "csv_path", required=True, type=PathType(dir_okay=False),
        help=N_("Where to write the plaintext CSV (mode 0600)."))
@handle_errors
def key_export(path: str, csv_path: str) -> None:
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
    click.echo(_("WARNING: %(path)s holds every original in plaintext. Keep it on an encrypted disk, "
                 "edit it, import it back with 'anonymiser key import', then delete it.") % {"path": csv_path},
               err=True)
    count = len(keyfile.entities)
    click.echo(ngettext("exported %(count)d entity to %(path)s", "exported %(count)d entities to %(path)s", count)
               % {"count": count, "path": csv_path})


def _read_key_csv(csv_path: str) -> list[dict[str, str]]:
    import csv

    try:
        with open(csv_path, encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
    except (OSError, UnicodeDecodeError) as exc:
        raise RefusedError(csv_path, N_("cannot read CSV")) from exc
    if not rows or set(CSV_COLUMNS) - set(rows[0]):
        raise RefusedError(csv_path, N_("CSV needs the columns %(columns)s"), columns=", ".join(CSV_COLUMNS))
    return rows


@key.command("import", help=N_("Import entities from CSV: new forms and entities are added; a row that would "
                                "change an existing mapping is a conflict, and conflicts stop the import (nothing "
                                "is written)."))
@click.argument("path", type=PathType(dir_okay=False))
@option("--csv", "csv_path", required=True, type=PathType(dir_okay=False, exists=False),
        help=N_("The CSV to import (as written by 'key export')."))
@handle_errors
def key_import(path: str, csv_path: str) -> None:
    rows = _read_key_csv(csv_path)
    with keyfile_io.locked(path):
        keyfile = _load_key(path)
        conflicts: list[Message] = []
        added, extended = 0, 0
        for number, row in enumerate(rows, 2):
            label = row["label"]
            if label not in LABELS or not row["canonical"]:
                conflicts.append(Message(N_("line %(line)s: bad label or empty canonical form"), {"line": number}))
                continue
            surfaces = tuple(v.strip() for v in [row["canonical"], *row["variants"].split(" | ")] if v.strip())
            known = keyfile.entities.get(row["id"]) if row["id"] else None
            owners = {_owner(keyfile, label, s) for s in surfaces} - {None}
            if known is not None:
                if known.label != label or (row["pseudonym"] and known.pseudonym != row["pseudonym"]):
                    conflicts.append(Message(N_("line %(line)s: %(entity)s would get another label or pseudonym"),
                                             {"line": number, "entity": known.id}))
                elif owners - {known.id}:
                    conflicts.append(Message(N_("line %(line)s: a form of %(entity)s belongs to %(other)s"),
                                             {"line": number, "entity": known.id,
                                              "other": sorted(owners - {known.id})[0]}))
                else:
                    keyfile.add(Entity(known.id, label, "", surfaces, known.pseudonym))
                    policy = _policy()[1]
                    keyfile.index(known.id, *policy.index_entries(label, surfaces))
                    extended += 1
                continue
            if owners:
                conflicts.append(Message(N_("line %(line)s: a form already belongs to %(other)s"),
                                         {"line": number, "other": sorted(owners)[0]}))
                continue
            _add_entity(keyfile, surfaces[0], label, row["pseudonym"] or None, surfaces[1:], path=path,
                        origin=row["origin"] or "manual")
            added += 1
        _refuse_conflicts(path, conflicts, imported=True)
        keyfile_io.save(keyfile, path)
    click.echo(_("imported: %(added)d new, %(extended)d extended") % {"added": added, "extended": extended})


@key.command("merge", help=N_("Merge another team's key file into PATH (its re-identification passphrase in "
                               "ANONYMISER_OTHER_PASSPHRASE). Conflicts are listed and nothing is written."))
@click.argument("path", type=PathType(dir_okay=False))
@click.argument("other", type=PathType(dir_okay=False))
@handle_errors
def key_merge(path: str, other: str) -> None:
    theirs = keyfile_io.load(other, _new_passphrase(N_("Other key file's passphrase:"), OTHER_ENV),
                             need_private=True)
    policy = _policy()[1]
    with keyfile_io.locked(path):
        ours = _load_key(path)
        conflicts: list[Message] = []
        added, extended = 0, 0
        for entity in theirs.entities.values():
            surfaces = tuple(dict.fromkeys((entity.canonical, *entity.variants)))
            owners = {_owner(ours, entity.label, s) for s in surfaces} - {None}
            if len(owners) > 1:
                conflicts.append(Message(N_("%(entity)s: its forms belong to several entities (%(others)s)"),
                                         {"entity": entity.id, "others": ", ".join(sorted(owners))}))
            elif owners:
                mine = ours.entities[owners.pop()]
                if mine.pseudonym != entity.pseudonym:
                    conflicts.append(Message(N_("%(entity)s: same entity as %(other)s with another pseudonym"),
                                             {"entity": entity.id, "other": mine.id}))
                else:
                    ours.add(Entity(mine.id, mine.label, "", surfaces, mine.pseudonym))
                    ours.index(mine.id, *policy.index_entries(mine.label, surfaces))
                    extended += 1
            elif entity.pseudonym in ours.pseudonyms():
                conflicts.append(Message(N_("%(entity)s: its pseudonym is already given to another entity"),
                                         {"entity": entity.id}))
            else:
                new_id = ours.new_id(entity.label)
                ours.add(Entity(new_id, entity.label, entity.canonical, surfaces, entity.pseudonym,
                                entity.origin, entity.first_document, entity.attributes))
                ours.index(new_id, *policy.index_entries(entity.label, surfaces))
                added += 1
        _refuse_conflicts(path, conflicts, imported=False)
        keyfile_io.save(ours, path)
    click.echo(_("merged: %(added)d new, %(extended)d extended") % {"added": added, "extended": extended})


# -- detect / run --------------------------------------------------------------------------
def _read_inputs(inputs: tuple[str, ...], table_options: TableOptions | None = None,
                 ) -> tuple[list[Document], list[str]]:
    documents, skipped = [], []
    seen: set[str] = set()
    for path, root in collect_inputs(list(inputs)):
        try:
            document = read_document(path, root=root, table_options=table_options)
        except AnonymiserError as error:
            _skipped(error)
            skipped.append(str(path))
            continue
        if document.path in seen or document.id in seen:
            _skipped(AnonymiserError(str(path), N_("another input has the same name")))
            skipped.append(str(path))
            continue
        seen.update((document.path, document.id))
        documents.append(document)
    return documents, skipped


@cli.command(help=N_("Print the detected spans of each document (one JSON object per document)."))
@click.argument("inputs", nargs=-1, required=True, type=PathType(exists=True))
@option("--format", "fmt", type=click.Choice(["jsonl"]), default="jsonl", show_default=True,
        help=N_("Output format (label codes, offsets, score, recognizer)."))
@option("--key", "key_path", type=PathType(dir_okay=False), help=N_("Also find the key file's entities."))
@handle_errors
def detect(inputs: tuple[str, ...], fmt: str, key_path: str | None) -> None:
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
        help=N_("Override rules/pseudonyms.yaml: realistic, tag, generalise or redact per label."))
@option("--jobs", "-j", default=1, show_default=True, type=click.IntRange(min=1),
        help=N_("Processes (or Dask workers of a local cluster) that detect and write in parallel."))
@option("--engine", "engine_name", type=click.Choice(["local", "dask"]), default="local", show_default=True,
        help=N_("Run the per-document phases here, or on Dask distributed."))
@option("--scheduler", default=None, metavar="ADDRESS",
        help=N_("Dask scheduler (tcp://host:8786); default with --engine dask: a local cluster of --jobs workers."))
@handle_errors
def run(inputs: tuple[str, ...], key_path: str, out_dir: str, audit_path: str | None, columns: str | None,
        drop_columns: str | None, id_columns: str | None, strategy: str, jobs: int, engine_name: str,
        scheduler: str | None) -> None:
    from .config import load_config
    from .corpus import Settings, run_corpus, sources_of
    from .executors import make_executor, use_engine, warm_engine
    from .strategies import parse_strategies

    strategies = parse_strategies(strategy, load_config()) if strategy else None
    table_options = TableOptions.parse(columns=columns, drop=drop_columns, ids=id_columns)
    passphrase = _passphrase()
    out = Path(out_dir)
    _refuse_review_folder(out)
    inputs_found = collect_inputs(list(inputs))
    sources = sources_of(inputs_found)
    resolved = {Path(p).resolve() for p, _root in inputs_found}

    def guard(target: str) -> None:
        if Path(target).resolve() in resolved:
            raise RefusedError(target, N_("output would overwrite an input"))

    settings = Settings(out_dir=str(out), table_options=table_options, strategies=dict(strategies or {}))
    engine = _anonymiser()  # one engine per process; tests pass the session's
    use_engine(engine)  # workers forked from here start with its configuration
    if engine_name == "local" and jobs > 1:
        # load the model once, here: the workers forked next share its pages instead of each
        # loading a copy (as long, since each would hold a core for it; 1.1 GiB -> 0.96 GiB)
        warm_engine()
    executor = make_executor(engine_name, jobs, scheduler, warm=warm_engine)
    try:
        with keyfile_io.locked(key_path):
            keyfile = keyfile_io.load(key_path, passphrase)
            with _Progress() as progress:
                result = run_corpus(sources, keyfile, key_path, out, audit_path or out / "audit.jsonl",
                                    engine=engine, executor=executor, settings=settings,
                                    progress=progress, sources_guard=guard)
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
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        file = file or sys.stderr
        self.shown = file.isatty()
        self.progress = Progress(
            TextColumn("{task.description:<14}"), BarColumn(), MofNCompleteColumn(),
            TextColumn(_("documents") + "  {task.fields[rate]:>9} " + _("chars/s")), TimeRemainingColumn(),
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


# -- review ----------------------------------------------------------------------------------
REVIEW_ACTIONS = {"accept": N_("accept"), "mark": N_("mark"), "reject": N_("reject"), "relabel": N_("relabel")}
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
        raise RefusedError(None, N_("no document to review"))
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
    click.echo(ngettext("review of %(count)d document, %(items)s -> %(path)s",
                        "review of %(count)d documents, %(items)s -> %(path)s", len(reviews))
               % {"count": len(reviews), "path": out / "index.html",
                  "items": ngettext("%(count)d item to check", "%(count)d items to check", attention)
                  % {"count": attention}})
    click.echo(_("the report holds personal data: keep it private, delete it after the review"), err=True)
    if skipped:
        sys.exit(EXIT_SKIPPED)


@key.command("apply-review", help=N_("Record decisions exported from a review report in the key file, for every "
                                      "later run."))
@click.argument("decision_files", nargs=-1, required=True, type=PathType(dir_okay=False))
@option("--key", "key_path", required=True, type=PathType(dir_okay=False), help=N_("Key file."))
@handle_errors
def key_apply_review(decision_files: tuple[str, ...], key_path: str) -> None:
    from .decisions import Decisions

    parsed = []
    for name in decision_files:
        try:
            raw = Path(name).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise RefusedError(name, N_("cannot read decisions file")) from exc
        parsed.append(Decisions.parse(raw, path=name))
    with keyfile_io.locked(key_path):
        keyfile = _load_key(key_path)
        counts = _apply_decisions(keyfile, [d for p in parsed for d in p.items], key_path)
        keyfile_io.save(keyfile, key_path)
    done = ", ".join(_("%(count)d %(action)s") % {"count": n, "action": _(REVIEW_ACTIONS.get(action, action))}
                     for action, n in sorted(counts.items())) or _("nothing")
    click.echo(_("applied: %(decisions)s -> %(path)s") % {"decisions": done, "path": key_path})


def _apply_decisions(keyfile: KeyFile, decisions: list[Any], path: str) -> dict[str, int]:
    from .decisions import ReviewMemory, unindex_form

    policy = _policy()[1]
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
@cli.command(help=N_("Restore original documents (needs the key file, its passphrase and a reason)."))
@click.argument("inputs", nargs=-1, required=True, type=PathType(exists=False, dir_okay=False))
@option("--key", "key_path", required=True, type=PathType(dir_okay=False), help=N_("Key file."))
@option("--reason", default=None, help=N_("Why the originals are needed (recorded)."))
@option("--out", "out_dir", required=True, type=PathType(file_okay=False), help=N_("Output folder."))
@option("--audit", "audit_path", type=PathType(dir_okay=False),
        help=N_("Audit log (default: audit.jsonl beside the first input)."))
@option("--access-log", "access_log", type=PathType(dir_okay=False),
        help=N_("Access log (default: <key file>.access.jsonl)."))
@handle_errors
def reidentify(inputs: tuple[str, ...], key_path: str, reason: str | None, out_dir: str,
               audit_path: str | None, access_log: str | None) -> None:
    from .reidentify import reidentify_text

    if not reason or not reason.strip():
        raise RefusedError(None, N_("re-identification needs --reason"))
    audit_file = Path(audit_path) if audit_path else Path(inputs[0]).parent / "audit.jsonl"
    log_path = Path(access_log) if access_log else Path(f"{key_path}.access.jsonl")
    out = Path(out_dir)
    with keyfile_io.locked(key_path):
        keyfile = _load_key(key_path, need_private=True)
        records = read_records(audit_file)
        checked = audit.verify(records, keyfile.chain_key("audit"))
        if not checked.ok:
            raise RefusedError(str(audit_file), N_("audit log fails verification: %(problem)s"),
                               problem=checked.problem)
        for raw in inputs:
            path = Path(raw)
            own = [r for r in records if r.get("path") == path.name or
                   (r.get("document") == path.stem and Path(str(r.get("path"))).name == path.name)]
            if not own:
                raise RefusedError(str(path), N_("no audit record for this file in %(audit)s"), audit=audit_file)
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
            click.echo(_("restored %(name)s -> %(path)s") % {"name": path.name, "path": out / path.name})
    click.echo(_("access recorded in %(path)s") % {"path": log_path})


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
        is_access = bool(records) and records[0].get("record") in ACCESS_RECORDS
        result = audit.verify(records, keyfile.chain_key("access" if is_access else "audit"),
                              expect_end=not is_access)
        if result.ok and is_access:
            head = keyfile.access_log
            count = int(head.get("count", 0))
            if count > len(records) or (count and records[count - 1].get("chain") != head.get("chain")):
                result = audit.Verification(False, len(records), result.head,
                                            Message(N_("records are missing: the key file knows a longer log")))
        if not result.ok:
            raise RefusedError(audit_path, N_("verification failed: %(problem)s"), problem=result.problem)
        click.echo(ngettext("%(path)s: %(count)d record, chain intact", "%(path)s: %(count)d records, chain intact",
                            result.records) % {"path": audit_path, "count": result.records})
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


def _table(table: Any) -> str:
    """An audit summary for the screen: label codes and column names in the current language."""
    if table.empty:
        return _("  (no mentions)")
    return str(audit.for_screen(table).to_string())


@cli.command(help=N_("Score detection against gold annotations (per label), listing misses. The report is a "
                     "developer's: in English, with label codes."))
@option("--gold", "gold_path", required=True, type=PathType(dir_okay=False),
        help=N_("Gold annotations (JSON Lines, see ANNOTATION.md)."))
@option("--json", "as_json", is_flag=True, help=N_("Machine-readable report."))
@option("--key", "key_path", type=PathType(dir_okay=False), help=N_("Evaluate with this key file."))
@handle_errors
def evaluate(gold_path: str, as_json: bool, key_path: str | None) -> None:
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
    """The console command. Once the command is done (every output written, synced and
    closed), the process ends at once: tearing the model and the word lists down object by
    object would add a third of a second to every command."""
    try:
        cli(prog_name="anonymiser")
        code = 0
    except SystemExit as done:
        if isinstance(done.code, str):
            click.echo(done.code, err=True)
        code = done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed or broken pipe: nothing more can be said
            pass
    os._exit(code)


if __name__ == "__main__":
    main()
