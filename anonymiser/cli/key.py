"""``anonymiser key ...``: create the key file, set its passphrases, add, show, export, import,
merge, forget entities, apply review decisions."""

from __future__ import annotations

import datetime as _dt
import getpass
import json
import os
from pathlib import Path
from typing import Any

import click

from anonymiser import audit
from anonymiser.audit import dumps
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
from anonymiser.errors import (
    AnonymiserError,
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
from anonymiser.keys import store as keyfile_io
from anonymiser.keys.store import KeyFile, atomic_write
from anonymiser.model import LABELS, Entity


# -- key -----------------------------------------------------------------------------------
def _new_passphrase(prompt: str, env: str = NEW_PASSPHRASE_ENV) -> str:
    return _secret(env, prompt, confirm=True, new=True)


def _policy() -> Any:
    from anonymiser.config.load import load_config
    from anonymiser.link import FormPolicy

    config = load_config()
    return config, FormPolicy.from_config(config)


def _add_entity(keyfile: KeyFile, form: str, label: str, pseudonym: str | None, variants: tuple[str, ...],
                *, path: str, origin: str = "manual", entity_id: str | None = None) -> str:
    """Add a known entity (sealed and indexed); an explicit pseudonym always wins."""
    from anonymiser.assign.entities import assign
    from anonymiser.assign.pools import Pools
    from anonymiser.link import Cluster, Linked
    from anonymiser.text.names import parse_name

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
    from anonymiser.link import surface_keys

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



REVIEW_ACTIONS = {"accept": N_("accept"), "mark": N_("mark"), "reject": N_("reject"), "relabel": N_("relabel")}


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
    from anonymiser.review.decisions import ReviewMemory, unindex_form

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
    from anonymiser.review.decisions import release_form

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


