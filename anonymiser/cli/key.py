"""``anonymiser key ...``: create the key file, set its passphrases, add, show, export, import,
merge, forget entities, apply review decisions."""

from __future__ import annotations

import datetime as _dt
import getpass
import json
from pathlib import Path

import click

from anonymiser.cli.base import (
    NEW_PASSPHRASE_ENV,
    OTHER_ENV,
    REIDENTIFY_ENV,
    PathType,
    _load_key,
    _passphrase,
    _secret,
    cli,
    handle_errors,
    option,
)
from anonymiser.cli.project import check_sealing_key, load_project, pin
from anonymiser.documents.files import atomic_write
from anonymiser.errors import (
    AnonymiserError,
    NotFoundError,
    RefusedError,
)
from anonymiser.i18n import (
    N_,
    Message,
    Nn_,
    _,
    ngettext,
    screen_label,
)
from anonymiser.keys import crypto, manage
from anonymiser.keys import format as keyfile_io
from anonymiser.keys.store import KeyFile
from anonymiser.model import LABELS


# -- key -----------------------------------------------------------------------------------
def _new_passphrase(prompt: str, env: str = NEW_PASSPHRASE_ENV) -> str:
    return _secret(env, prompt, confirm=True, new=True)


def _set_passphrase(prompt: str, env: str = NEW_PASSPHRASE_ENV) -> str:
    """A passphrase about to be set: long enough (``MIN_PASSPHRASE``), checked before anything else is asked."""
    return keyfile_io.check_new_passphrase(_new_passphrase(prompt, env))


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
    keyfile_io.refuse_existing(path)  # before any passphrase is asked for
    if separate:
        passphrase = keyfile_io.check_new_passphrase(
            _passphrase(confirm=True, prompt=N_("Pseudonymisation passphrase:")))
        second = _set_passphrase(N_("Re-identification passphrase:"), REIDENTIFY_ENV)
        if second == passphrase:
            raise RefusedError(path, N_("--separate needs two different passphrases"))
    else:
        passphrase, second = keyfile_io.check_new_passphrase(_passphrase(confirm=True)), None
    keyfile = keyfile_io.create(path, passphrase, reidentify_passphrase=second)
    click.echo(_("created %(path)s") % {"path": path})
    _show_pin(keyfile, path, None, refuse=False)


def _show_pin(keyfile: KeyFile, path: str, project_path: str | None, *, refuse: bool = True) -> None:
    """Pin the sealing key in the project file and say so. When it pins another one, that pin
    stays: refused (``key pin``), or said (``key init``: the key file is made all the same)."""
    project, pinned = pin(keyfile, path, project_path)
    if pinned != crypto.fingerprint(keyfile.public_key):
        error = RefusedError(str(project), N_("it pins another sealing key (%(pinned)s, this key file's is "
                                              "%(found)s): change it by hand if this key file is the team's"),
                             pinned=pinned, found=crypto.fingerprint(keyfile.public_key))
        if refuse:
            raise error
        click.echo(_("anonymiser: warning: %(warning)s") % {"warning": error}, err=True)
        return
    click.echo(_("sealing key %(fingerprint)s pinned in %(project)s: write it in your records too")
               % {"fingerprint": crypto.fingerprint(keyfile.public_key), "project": project})


@key.command("pin", help=N_("Record the fingerprint of the key file's sealing key in the project file (needs "
                             "the re-identification passphrase, which checks it): every run, add, import and merge "
                             "then refuse a key file whose sealing key was replaced."))
@click.argument("path", type=PathType(dir_okay=False))
@option("--project", "project_path", type=PathType(dir_okay=False), default=None,
        help=N_("Project file (default: anonymiser.toml beside the key file, else in the working folder; "
                "created beside the key file when there is none)."))
@handle_errors
def key_pin(path: str, project_path: str | None) -> None:
    _show_pin(_load_key(path, need_private=True), path, project_path)


def _load_to_seal(path: str) -> KeyFile:
    """The key file opened for a command that seals new originals, its sealing key checked
    against the project file's pin."""
    keyfile = _load_key(path)
    check_sealing_key(keyfile, load_project(None, path), path)
    return keyfile


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
        keyfile_io.set_passphrase(keyfile, role, _set_passphrase(prompt))
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
        new = _set_passphrase(N_("New passphrase:"))
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
        keyfile = _load_to_seal(path)
        entity_id = manage.add_entity(keyfile, manage.Rules(), form, label, pseudonym, variants, path=path)
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
        raise NotFoundError(names_file, N_("pool file not found")) from exc
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
        help=N_("Also record the erasure in this file (it is always recorded in <key file>.access.jsonl)."))
@handle_errors
def key_forget(path: str, entity_id: str, reason: str | None, access_log: str | None) -> None:
    if not reason or not reason.strip():
        raise RefusedError(None, N_("erasure needs --reason"))
    log_path = Path(f"{path}.access.jsonl")
    copy_to = Path(access_log) if access_log and Path(access_log).resolve() != log_path.resolve() else None
    key = keyfile_io.resolved(path)
    if copy_to is not None and copy_to.resolve() in {key, Path(f"{key}.bak"), Path(f"{key}.lock")}:
        raise RefusedError(str(copy_to), N_("the access log cannot be an input, the audit log or the key file"))
    with keyfile_io.locked(path):
        keyfile = _load_key(path, need_private=True)
        manage.forget(keyfile, entity_id, path=path)
        manage.record_access(keyfile, log_path, {
            "record": "erasure",
            "time": _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds"),
            "user": getpass.getuser(), "entity": entity_id, "reason": reason.strip(), "key": str(path),
        }, copy_to=copy_to)
        keyfile_io.save(keyfile, path)
        keyfile_io.save(keyfile, path)  # twice: the .bak must not keep the erased originals either
    click.echo(_("%(entity)s erased: its originals and keyed hashes are deleted") % {"entity": entity_id})
    click.echo(_("erasure recorded in %(path)s") % {"path": log_path})
    if copy_to is not None:
        click.echo(_("and copied to %(path)s") % {"path": copy_to})


def _refuse_conflicts(path: str, conflicts: list[Message], *, imported: bool) -> None:
    """List conflicts (ids only, never originals) and refuse: nothing is written."""
    if conflicts:
        for conflict in conflicts:
            click.echo(_("anonymiser: conflict: %(conflict)s") % {"conflict": conflict}, err=True)
        raise manage.refusal(path, conflicts, imported=imported)


@key.command("export", help=N_("Export the key file as plaintext CSV, for controlled editing (re-identification "
                                "role)."))
@click.argument("path", type=PathType(dir_okay=False))
@option("--csv", "csv_path", required=True, type=PathType(dir_okay=False),
        help=N_("Where to write the plaintext CSV (mode 0600)."))
@handle_errors
def key_export(path: str, csv_path: str) -> None:
    keyfile = _load_key(path, need_private=True)
    atomic_write(Path(csv_path), manage.export_csv(keyfile).encode("utf-8"), mode=0o600)
    click.echo(_("WARNING: %(path)s holds every original in plaintext. Keep it on an encrypted disk, "
                 "edit it, import it back with 'anonymiser key import', then delete it.") % {"path": csv_path},
               err=True)
    count = len(keyfile.entities)
    click.echo(ngettext("exported %(count)d entity to %(path)s", "exported %(count)d entities to %(path)s", count)
               % {"count": count, "path": csv_path})


@key.command("import", help=N_("Import entities from CSV: new forms and entities are added; a row that would "
                                "change an existing mapping is a conflict, and conflicts stop the import (nothing "
                                "is written)."))
@click.argument("path", type=PathType(dir_okay=False))
@option("--csv", "csv_path", required=True, type=PathType(dir_okay=False, exists=False),
        help=N_("The CSV to import (as written by 'key export')."))
@handle_errors
def key_import(path: str, csv_path: str) -> None:
    rows = manage.read_csv(csv_path)
    with keyfile_io.locked(path):
        keyfile = _load_to_seal(path)
        outcome = manage.import_rows(keyfile, manage.Rules(), rows, path=path)
        _refuse_conflicts(path, outcome.conflicts, imported=True)
        keyfile_io.save(keyfile, path)
    click.echo(_("imported: %(added)s, %(extended)s") % _outcome(outcome))


@key.command("merge", help=N_("Merge another team's key file into PATH (its re-identification passphrase in "
                               "ANONYMISER_OTHER_PASSPHRASE). Conflicts are listed and nothing is written."))
@click.argument("path", type=PathType(dir_okay=False))
@click.argument("other", type=PathType(dir_okay=False))
@handle_errors
def key_merge(path: str, other: str) -> None:
    theirs = keyfile_io.load(other, _new_passphrase(N_("Other key file's passphrase:"), OTHER_ENV),
                             need_private=True)
    rules = manage.Rules().load()
    with keyfile_io.locked(path):
        ours = _load_to_seal(path)
        outcome = manage.merge(ours, theirs, rules)
        _refuse_conflicts(path, outcome.conflicts, imported=False)
        keyfile_io.save(ours, path)
    click.echo(_("merged: %(added)s, %(extended)s") % _outcome(outcome))


def _outcome(outcome: manage.Outcome) -> dict[str, str]:
    """The counts of an import or a merge, each with its plural form."""
    return {"added": ngettext("%(count)d new entity", "%(count)d new entities", outcome.added)
            % {"count": outcome.added},
            "extended": ngettext("%(count)d entity extended", "%(count)d entities extended", outcome.extended)
            % {"count": outcome.extended}}


REVIEW_ACTIONS = {"accept": Nn_("%(count)d acceptance", "%(count)d acceptances"),
                  "mark": Nn_("%(count)d mark", "%(count)d marks"),
                  "reject": Nn_("%(count)d rejection", "%(count)d rejections"),
                  "relabel": Nn_("%(count)d label change", "%(count)d label changes")}


@key.command("apply-review", help=N_("Record decisions exported from a review report in the key file, for every "
                                      "later run."))
@click.argument("decision_files", nargs=-1, required=True, type=PathType(dir_okay=False))
@option("--key", "key_path", required=True, type=PathType(dir_okay=False), help=N_("Key file."))
@handle_errors
def key_apply_review(decision_files: tuple[str, ...], key_path: str) -> None:
    from anonymiser.review.decisions import Decisions

    parsed = []
    for name in decision_files:
        try:
            raw = Path(name).read_text(encoding="utf-8")
        except FileNotFoundError as exc:
            raise NotFoundError(name, N_("decisions file not found")) from exc
        except (OSError, UnicodeDecodeError) as exc:
            raise RefusedError(name, N_("cannot read decisions file")) from exc
        parsed.append(Decisions.parse(raw, path=name))
    with keyfile_io.locked(key_path):
        keyfile = _load_to_seal(key_path)
        counts = manage.apply_decisions(keyfile, manage.Rules(), [d for p in parsed for d in p.items],
                                        path=key_path)
        keyfile_io.save(keyfile, key_path)
    done = ", ".join(ngettext(*REVIEW_ACTIONS[action], n) % {"count": n}
                     for action, n in sorted(counts.items())) or _("nothing")
    click.echo(_("applied: %(decisions)s -> %(path)s") % {"decisions": done, "path": key_path})
