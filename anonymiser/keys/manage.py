"""Key management: add an entity, export and import CSV, merge key files, apply review
decisions, erase an entity and record accesses; plain functions on a ``KeyFile``."""

from __future__ import annotations

import csv
import functools
import io
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from anonymiser import audit
from anonymiser.errors import NotFoundError, RefusedError
from anonymiser.i18n import N_, Message, Nn_, ScreenLabel
from anonymiser.keys import heads
from anonymiser.keys.store import FORGOTTEN, KeyFile
from anonymiser.model import LABELS, Entity

if TYPE_CHECKING:
    from anonymiser.assign.pools import Pools
    from anonymiser.config.rules import Config
    from anonymiser.link import FormPolicy
    from anonymiser.review.decisions import Decision

ACCESS_RECORDS = ("access", "erasure", "new-log")  # the records of the access log
CSV_COLUMNS = ["id", "label", "canonical", "variants", "pseudonym", "origin", "first_document"]


class Rules:
    """What key management needs of the rules (index entries, pseudonym generation), loaded
    on first use: a refused operation never needs them."""

    def __init__(self, load: Callable[[], Config] | None = None) -> None:
        self._load = load

    def load(self) -> Rules:
        """Load them now, so that a broken rules file stops a command before it changes anything."""
        _ = self.policy
        return self

    @functools.cached_property
    def config(self) -> Config:
        if self._load is not None:
            return self._load()
        from anonymiser.config.load import load_config

        return load_config()

    @functools.cached_property
    def policy(self) -> FormPolicy:
        from anonymiser.link import FormPolicy

        return FormPolicy.from_config(self.config)

    @functools.cached_property
    def pools(self) -> Pools:
        from anonymiser.assign.pools import Pools

        return Pools.from_config(self.config)


@dataclass
class Outcome:
    """What an import or a merge did, or would have done: conflicts stop it (nothing is saved)."""

    added: int = 0
    extended: int = 0
    conflicts: list[Message] = field(default_factory=list)


# -- entities --------------------------------------------------------------------------------
def owner(keyfile: KeyFile, label: str, surface: str) -> str | None:
    """The known entity that a surface form of ``label`` belongs to, if any."""
    from anonymiser.link import surface_keys

    for key in surface_keys(label, surface):
        for entity_id in keyfile.entities_for_key(key):
            if keyfile.entities[entity_id].label == label:
                return entity_id
    return None


def owners(keyfile: KeyFile, label: str, surfaces: Iterable[str]) -> set[str]:
    """The known entities that these surface forms of ``label`` belong to."""
    return {found for surface in surfaces if (found := owner(keyfile, label, surface)) is not None}


def add_entity(keyfile: KeyFile, rules: Rules, form: str, label: str, pseudonym: str | None,
               variants: Sequence[str] = (), *, path: str, origin: str = "manual") -> str:
    """Add a known entity (sealed and indexed); an explicit pseudonym always wins. Returns its id."""
    from anonymiser.assign.entities import assign
    from anonymiser.link import Cluster, Linked
    from anonymiser.text.names import parse_name

    policy = rules.policy
    surfaces = tuple(dict.fromkeys((form, *variants)))
    for surface in surfaces:
        if owner(keyfile, label, surface):
            raise RefusedError(path, N_("a form of this %(label)s entity is already in the key file"),
                               label=ScreenLabel(label))
    if pseudonym is not None:
        if pseudonym in keyfile.pseudonyms():
            raise RefusedError(path, N_("this pseudonym is already given to another entity"))
        entity_id = keyfile.new_id(label)
        attributes: tuple[tuple[str, str], ...] = ()
        if label == "PERSON" and " " in pseudonym:
            first, last = pseudonym.rsplit(" ", 1)
            attributes = (("first", first), ("last", last))
        attributes = tuple(sorted((*attributes, ("explicit", "yes"))))  # wins over every strategy
        keyfile.add(Entity(entity_id, label, form, surfaces, pseudonym, origin=origin, attributes=attributes))
    else:
        name = parse_name(form, policy.first_names) if label == "PERSON" else None
        cluster = Cluster(label, form, list(surfaces), "", "", name)
        entity_id = assign(Linked((cluster,), ()), keyfile, rules.config, rules.pools, policy.first_names)[0]
        keyfile.set_origin(entity_id, origin)
    keyfile.index(entity_id, *policy.index_entries(label, surfaces))
    return entity_id


def _extend(keyfile: KeyFile, rules: Rules, entity: Entity, label: str, surfaces: Sequence[str]) -> None:
    """New surfaces of a known entity, sealed and indexed."""
    keyfile.add(Entity(entity.id, label, "", tuple(surfaces), entity.pseudonym))
    keyfile.index(entity.id, *rules.policy.index_entries(label, surfaces))


def forget(keyfile: KeyFile, entity_id: str, *, path: str) -> None:
    """Erase an entity (see ``KeyFile.forget``); refused for an unknown or erased one."""
    entity = keyfile.entities.get(entity_id)
    if entity is None or entity.origin == FORGOTTEN:
        raise RefusedError(path, N_("no entity %(entity)s to erase in this key file"), entity=entity_id)
    keyfile.forget(entity_id)


# -- CSV -------------------------------------------------------------------------------------
def export_csv(keyfile: KeyFile) -> str:
    """Every entity with its originals, as CSV text (needs the re-identification role)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for e in keyfile.entities.values():
        writer.writerow([e.id, e.label, e.canonical, " | ".join(v for v in e.variants if v != e.canonical),
                         e.pseudonym, e.origin, e.first_document])
    return buffer.getvalue()


def read_csv(csv_path: str) -> list[dict[str, str]]:
    """The rows of a CSV written by ``export_csv`` (and edited)."""
    try:
        with open(csv_path, encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
    except FileNotFoundError as exc:
        raise NotFoundError(csv_path, N_("CSV not found")) from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise RefusedError(csv_path, N_("cannot read CSV")) from exc
    if not rows or set(CSV_COLUMNS) - set(rows[0]):
        raise RefusedError(csv_path, N_("CSV needs the columns %(columns)s"), columns=", ".join(CSV_COLUMNS))
    return rows


def import_rows(keyfile: KeyFile, rules: Rules, rows: Iterable[dict[str, str]], *, path: str) -> Outcome:
    """New forms and entities are added; a row that would change an existing mapping is a
    conflict (listed by line and id, never by form)."""
    outcome = Outcome()
    for number, row in enumerate(rows, 2):
        label = row["label"]
        if label not in LABELS or not row["canonical"]:
            outcome.conflicts.append(Message(N_("line %(line)s: bad label or empty canonical form"),
                                             {"line": number}))
            continue
        surfaces = tuple(v.strip() for v in [row["canonical"], *row["variants"].split(" | ")] if v.strip())
        known = keyfile.entities.get(row["id"]) if row["id"] else None
        found = owners(keyfile, label, surfaces)
        if known is not None:
            if known.label != label or (row["pseudonym"] and known.pseudonym != row["pseudonym"]):
                outcome.conflicts.append(Message(N_("line %(line)s: %(entity)s would get another label or pseudonym"),
                                                 {"line": number, "entity": known.id}))
            elif found - {known.id}:
                outcome.conflicts.append(Message(N_("line %(line)s: a form of %(entity)s belongs to %(other)s"),
                                                 {"line": number, "entity": known.id,
                                                  "other": sorted(found - {known.id})[0]}))
            else:
                _extend(keyfile, rules, known, label, surfaces)
                outcome.extended += 1
            continue
        if found:
            outcome.conflicts.append(Message(N_("line %(line)s: a form already belongs to %(other)s"),
                                             {"line": number, "other": sorted(found)[0]}))
            continue
        add_entity(keyfile, rules, surfaces[0], label, row["pseudonym"] or None, surfaces[1:], path=path,
                   origin=row["origin"] or "manual")
        outcome.added += 1
    return outcome


# -- merge -----------------------------------------------------------------------------------
def merge(ours: KeyFile, theirs: KeyFile, rules: Rules) -> Outcome:
    """Another team's entities into ``ours``: a known one gets its new forms, a new one a new
    id; two pseudonyms for one entity, or one pseudonym for two, are conflicts."""
    outcome = Outcome()
    for entity in theirs.entities.values():
        surfaces = tuple(dict.fromkeys((entity.canonical, *entity.variants)))
        found = owners(ours, entity.label, surfaces)
        if len(found) > 1:
            outcome.conflicts.append(Message(N_("%(entity)s: its forms belong to several entities (%(others)s)"),
                                             {"entity": entity.id,
                                              "others": ", ".join(sorted(found))}))
        elif found:
            mine = ours.entities[found.pop()]
            if mine.pseudonym != entity.pseudonym:
                outcome.conflicts.append(Message(N_("%(entity)s: same entity as %(other)s with another pseudonym"),
                                                 {"entity": entity.id, "other": mine.id}))
            else:
                _extend(ours, rules, mine, mine.label, surfaces)
                outcome.extended += 1
        elif entity.pseudonym in ours.pseudonyms():
            outcome.conflicts.append(Message(N_("%(entity)s: its pseudonym is already given to another entity"),
                                             {"entity": entity.id}))
        else:
            new_id = ours.new_id(entity.label)
            ours.add(Entity(new_id, entity.label, entity.canonical, surfaces, entity.pseudonym,
                            entity.origin, entity.first_document, entity.attributes))
            ours.index(new_id, *rules.policy.index_entries(entity.label, surfaces))
            outcome.added += 1
    return outcome


def refusal(path: str, conflicts: Sequence[Message], *, imported: bool) -> RefusedError:
    """The error that stops an import or a merge with conflicts (their count only)."""
    count = len(conflicts)
    singular, plural = (Nn_("%(count)d conflict; nothing imported", "%(count)d conflicts; nothing imported")
                        if imported else
                        Nn_("%(count)d conflict; nothing merged", "%(count)d conflicts; nothing merged"))
    return RefusedError(path, Message(singular, {"count": count}, plural, count))


# -- review decisions ------------------------------------------------------------------------
def apply_decisions(keyfile: KeyFile, rules: Rules, decisions: Iterable[Decision], *, path: str) -> dict[str, int]:
    """Record review decisions for every later run; returns how many of each action."""
    from anonymiser.review.decisions import ReviewMemory

    rules.load()
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
            keyfile.unindex_form(d.form, d.label)
            mark_entity(keyfile, rules, d.form, d.new_label, "", path=path)
        else:
            memory.disallow(keyfile, d.form, d.label)
            mark_entity(keyfile, rules, d.form, d.label, d.variant_of, path=path)
        counts[d.action] = counts.get(d.action, 0) + 1
    memory.store(keyfile)
    return counts


def mark_entity(keyfile: KeyFile, rules: Rules, form: str, label: str, variant_of: str, *, path: str) -> None:
    """Missed text becomes a manual entity, or a form of the entity of ``variant_of`` (taken
    from the entity it was linked to, if any: the reviewer said they are one). A person's
    civility stays outside the form ("Mme Kerhervé": "Kerhervé", so that "Mme" stays in the
    text), and a person form joins the known person it names ("Kerhervé": Yvonne Kerhervé)."""
    if label == "PERSON":
        form, variant_of = without_civility(form, rules), without_civility(variant_of, rules)
    current = owner(keyfile, label, form)
    target = owner(keyfile, label, variant_of) if variant_of else None
    if label == "PERSON" and target is None and not variant_of:
        target = person_owner(keyfile, rules, form)
        if target is not None and current is None:
            _extend(keyfile, rules, keyfile.entities[target], label, (form,))
            return
    if current is not None and (target is None or target == current):
        # a form the run found once and did not spread: the reviewer's mark makes it found in every document
        keyfile.index(current, *rules.policy.index_entries(label, [form]))
        return
    if current is not None:
        keyfile.release_form(current, form, rules.policy.index_entries(label, [form])[1])
    if target is not None:
        _extend(keyfile, rules, keyfile.entities[target], label, (form,))
    elif variant_of:
        add_entity(keyfile, rules, variant_of, label, None, (form,), path=path)
    else:
        add_entity(keyfile, rules, form, label, None, (), path=path)


def without_civility(form: str, rules: Rules) -> str:
    """``form`` without the civilities it starts with ("Mme Kerhervé" -> "Kerhervé")."""
    civilities = {c.casefold() for c in rules.config.civilities}
    words = form.split(" ")
    while len(words) > 1 and words[0].casefold() in civilities:
        words = words[1:]
    return " ".join(words)


def person_owner(keyfile: KeyFile, rules: Rules, form: str) -> str | None:
    """The known person a person form names (full name, surname, first name, initials)."""
    from anonymiser.link import _known_entity as known_entity  # the key look-up linking uses
    from anonymiser.text.names import parse_name

    return known_entity(keyfile, "PERSON", form, parse_name(form, rules.policy.first_names))


# -- the access log --------------------------------------------------------------------------
def _existing_log(log_path: Path) -> list[dict[str, Any]]:
    """The records of the access log at ``log_path``; none if it is missing or empty."""
    if not log_path.exists():
        return []
    return audit.read_records(log_path)


def record_access(keyfile: KeyFile, log_path: Path, entry: dict[str, Any], *, new_log: bool = False,
                  copy_to: Path | None = None) -> None:
    """Append one hash-chained record to the access log (fsync) and move the key file's head.

    ``log_path`` is the key file's own log, whose head it keeps: every access is there. With
    ``copy_to`` (``--access-log``, another file), the record also goes there, marked ``copy``,
    chained after that file's own last record, and the own log's record names it.

    Records beyond the key file's head that chain from it (the process died between the
    append and the key file's save) are taken first: no seq is ever given twice. A log the
    key file expects but that is missing (or empty) is refused, unless ``new_log``: then a
    new log starts with a ``new-log`` record that gives the lost log's count and head."""
    head = keyfile.access_log
    count = int(head.get("count", 0))
    key = keyfile.chain_key("access")
    existing = _existing_log(log_path)
    entries = [dict(entry, copied_to=str(copy_to)) if copy_to is not None else entry]
    if count and not existing:
        if not new_log:
            raise RefusedError(str(log_path), N_("the access log the key file expects is missing (--new-access-log "
                                                 "starts a new one, recorded in it)"))
        entries.insert(0, {"record": "new-log", "previous_count": count, "previous_head": str(head.get("chain", "")),
                           "time": entry.get("time", ""), "user": entry.get("user", "")})
        keyfile.restart_access_log()
    elif len(existing) > count and check_access_head(keyfile, existing) \
            and audit.verify(existing, key, expect_end=False).ok:
        for record in existing[count:]:
            keyfile.advance_access_log(int(record["seq"]), str(record["chain"]))
    head = keyfile.access_log
    records = audit.chain(entries, key, previous=str(head.get("chain", "")), start=int(head.get("count", 0)),
                          end_record=False)
    if copy_to is not None:  # the copy first: the own log's record, which names it, is then true
        seq, previous = audit.head(_existing_log(copy_to))
        _append(copy_to, audit.chain([dict(entry, copy=True)], key, previous=previous, start=seq, end_record=False))
    _append(log_path, records)
    for record in records:
        keyfile.advance_access_log(record["seq"], record["chain"])


def _append(log_path: Path, records: Sequence[dict[str, Any]]) -> None:
    """Append ``records`` to an access log (created 0600, never through a link), durably."""
    fd = os.open(log_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_NOFOLLOW, 0o600)
    os.fchmod(fd, 0o600)  # names of users and reasons: the DPO's, as private as the key file
    with os.fdopen(fd, "a", encoding="utf-8") as handle:
        handle.write("".join(audit.dumps(record) + "\n" for record in records))
        handle.flush()
        os.fsync(handle.fileno())


def check_access_head(keyfile: KeyFile, records: Sequence[dict[str, Any]]) -> bool:
    """True unless the key file knows a longer access log than ``records`` (records were removed)."""
    head = keyfile.access_log
    count = int(head.get("count", 0))
    return not (count > len(records) or (count and records[count - 1].get("chain") != head.get("chain")))


def verify_log(records: Sequence[dict[str, Any]], keyfile: KeyFile, path: str | os.PathLike[str] | None = None,
               ) -> audit.Verification:
    """Check an audit log or an access log (told apart by its first record) with the key
    file's chain key for it; an access log must also reach the head the key file keeps."""
    is_access = bool(records) and records[0].get("record") in ACCESS_RECORDS
    result = audit.verify(records, keyfile.chain_key("access" if is_access else "audit"), expect_end=not is_access)
    copies = is_access and all(r.get("copy") for r in records)  # an --access-log copy: its head is its own
    if result.ok and is_access and not copies and not check_access_head(keyfile, records):
        return audit.Verification(False, len(records), result.head,
                                  Message(N_("records are missing: the key file knows a longer log")))
    if result.ok and not is_access:  # cut after a run, or an access log cut back with an older key file
        problem = (heads.missing_runs(keyfile, records, path) if path is not None else None) \
            or heads.access_behind(keyfile, records)
        if problem is not None:
            return audit.Verification(False, len(records), result.head, problem)
    return result
