"""Re-identification: replay the audit offsets backwards with the originals from the key file.

Each original is found among its entity's sealed forms by its keyed hash and unsealed with
the team's private key (re-identification role only), so the audit itself holds no
plaintext. The result is checked against the input's keyed hash, and written under the
original file name when the run renamed it (sealed in the key file, ``run.names``). Every
file restored is recorded, with its reason, in the key file's hash-chained access log.
"""

from __future__ import annotations

import datetime as _dt
import getpass
import hashlib
import os
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from anonymiser import audit
from anonymiser.documents import (
    TableOptions,
    files,
    read_document,
    reverse_edits,
    with_text,
    write_document,
)
from anonymiser.errors import RefusedError
from anonymiser.i18n import N_, Message, os_error_text
from anonymiser.keys import format as key_format
from anonymiser.keys import heads, manage
from anonymiser.keys.store import KeyFile
from anonymiser.render.replace import restore
from anonymiser.run import names
from anonymiser.text.agreement import variants
from anonymiser.text.grammar import prefix_candidates


def reidentify_text(text: str, records: Sequence[dict[str, Any]], keyfile: KeyFile, *, path: str) -> str:
    """Restore the original of a pseudonymised ``text`` from its audit ``records``."""
    mentions = [r for r in records if r.get("record") == "mention"]
    documents = [r for r in records if r.get("record") == "document"]
    undo = []
    for record in mentions:
        start, end = int(record["out_start"]), int(record["out_end"])
        if record.get("kept"):  # left as it was: its original is the text there, as its hash says
            if keyfile.keyed_hash(text[start:end]) != record["hash"]:
                raise RefusedError(path, N_("file does not match its audit records (edited after pseudonymisation?)"))
            continue
        if text[start:end] != record["pseudonym"]:
            raise RefusedError(path, N_("file does not match its audit records (edited after pseudonymisation?)"))
        if record["entity_id"] not in keyfile.entities:
            raise RefusedError(path, N_("entity %(entity)s is not in this key file"), entity=record["entity_id"])
        context, after = int(record.get("context") or 0), int(record.get("after") or 0)
        if context or after:  # grammar took over a function word before the mention ("d'" + "Isabelle"),
            # or words after it that agree with a neutral phrase ("un lieu, il est fermé")
            prefixes = prefix_candidates(context) if context else [""]
            suffixes = variants(record["pseudonym"][len(record["pseudonym"]) - after:]) if after else [""]
            forms = tuple(p + v + s for v in keyfile.originals(record["entity_id"]) for p in prefixes for s in suffixes)
            original = next((v for v in forms if keyfile.keyed_hash(v) == record["hash"]), None)
        else:
            original = keyfile.original_for(record["entity_id"], record["hash"])
        if original is None:
            raise RefusedError(path, N_("no original form for entity %(entity)s in this key file"),
                               entity=record["entity_id"])
        undo.append((start, end, original))
    restored = restore(text, undo)
    if documents and keyfile.keyed_hash(restored) != documents[-1]["input_hash"]:
        raise RefusedError(path, N_("restored text does not match the original's hash"))
    return restored


def check_reason(reason: str | None) -> str:
    """The declared reason for re-identifying, stripped; refused when there is none."""
    if not reason or not reason.strip():
        raise RefusedError(None, N_("re-identification needs --reason"))
    return reason.strip()


def default_audit(paths: Sequence[str | os.PathLike[str]]) -> Path:
    """Where a run wrote the audit log of ``paths``: ``audit.jsonl`` in the first one when it is
    a folder (a run's output folder), else beside it."""
    first = Path(paths[0])
    return first / "audit.jsonl" if first.is_dir() else first.parent / "audit.jsonl"


def expand_inputs(paths: Sequence[str | os.PathLike[str]], records: Sequence[dict[str, Any]],
                  audit_path: Path) -> list[tuple[Path, Path]]:
    """``(file, where it goes under the output folder)`` for each input: a file as itself; a
    folder (a run's output) as the files of it that the audit log lists, in the log's order,
    at the same place under the output folder."""
    expanded: list[tuple[Path, Path]] = []
    for raw in paths:
        path = Path(raw)
        if not path.is_dir():
            expanded.append((path, Path(path.name)))
            continue
        listed = dict.fromkeys(str(r["path"]) for r in records if r.get("record") == "document" and r.get("path"))
        found = [(path / name, Path(name)) for name in listed
                 if not Path(name).is_absolute() and ".." not in Path(name).parts and (path / name).is_file()]
        if not found:
            raise RefusedError(str(path), N_("no file of this folder is in %(audit)s"), audit=audit_path)
        expanded.extend(found)
    return expanded


def default_access_log(key_path: str | os.PathLike[str]) -> Path:
    return Path(f"{key_path}.access.jsonl")


def verified_records(audit_path: Path, keyfile: KeyFile) -> list[dict[str, Any]]:
    """The records of the audit log at ``audit_path``, refused unless its hash chain holds."""
    records = audit.read_records(audit_path)
    checked = audit.verify(records, keyfile.chain_key("audit"))
    problem = checked.problem if not checked.ok else heads.missing_runs(keyfile, records, audit_path)
    if problem:
        raise RefusedError(str(audit_path), N_("audit log fails verification: %(problem)s"), problem=problem)
    return records


def close_accesses(audit_path: Path, records: Sequence[dict[str, Any]], keyfile: KeyFile) -> Message | None:
    """Append to the audit log a closing record with the key file's state once accesses were
    recorded (the access log's new head: cutting it back is then seen), and remember the log's
    head in the key file; the cause, when the audit log cannot be written (the accesses stand)."""
    chain = audit.Chain(keyfile.chain_key("audit"), previous=str(records[-1]["chain"]), start=int(records[-1]["seq"]))
    end = chain.close(key=heads.state(keyfile))
    try:
        files.atomic_write(audit_path, audit_path.read_bytes() + (audit.dumps(end) + "\n").encode("utf-8"))
    except OSError as exc:
        return Message(N_("%(path)s: the access log's head is not recorded in it (%(reason)s)"),
                       {"path": str(audit_path), "reason": os_error_text(exc)})
    heads.remember_audit(keyfile, audit_path, int(end["seq"]), str(end["chain"]))
    return None


def records_of(path: Path, records: Sequence[dict[str, Any]], audit_path: Path,
               text: str | None = None) -> list[dict[str, Any]]:
    """The audit records of one output file (by its name), refused when there are none. When
    several runs wrote a file of that name into the folder, the run whose output has the
    SHA-256 of ``text`` (the file as read now), else the last one."""
    def mine(r: dict[str, Any]) -> bool:
        return r.get("path") == path.name or (r.get("document") == path.stem
                                               and Path(str(r.get("path"))).name == path.name)

    candidates = [own for own in ([r for r in run if mine(r)] for run in audit.runs(records)) if own]
    if not candidates:
        raise RefusedError(str(path), N_("no audit record for this file in %(audit)s"), audit=audit_path)
    if text is not None and len(candidates) > 1:
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        matching = [own for own in candidates if any(r.get("output_sha256") == digest for r in own)]
        if matching:
            return matching[-1]
    return candidates[-1]


def refuse_overwrite(target: Path, protected: set[Path], what: str = N_("output would overwrite an input")) -> None:
    """Refuse to write ``target`` when it is (once resolved) one of the ``protected`` files."""
    if target.resolve() in protected:
        raise RefusedError(str(target), what)


def guarded(paths: Sequence[str | os.PathLike[str]], key_path: str | os.PathLike[str], audit_path: Path,
            log_path: Path) -> set[Path]:
    """The files no output of a re-identification may be (resolved): the inputs, the audit log,
    the key file and its own files. The access log may be none of them but the key's own."""
    key = key_format.resolved(key_path)
    keys = {key, Path(f"{key}.bak"), Path(f"{key}.lock")}
    inputs = {Path(p).resolve() for p in paths} | {audit_path.resolve()}
    refuse_overwrite(log_path, inputs | keys, N_("the access log cannot be an input, the audit log or the key file"))
    return inputs | keys | {log_path.resolve(), Path(f"{key}.access.jsonl")}


def _original_place(relative: Path, original: str | None) -> Path:
    """Where a restored file goes under the output folder: at its original name (``original``,
    from the key file) when it was renamed, in place of ``relative``; a file given alone keeps
    no folder."""
    if original is None:
        return relative
    return Path(original) if relative.parent != Path(".") else Path(Path(original).name)


def reidentify_files(paths: Sequence[str | os.PathLike[str]], keyfile: KeyFile, *, key_path: str | os.PathLike[str],
                     out_dir: str | os.PathLike[str], reason: str, audit_path: Path | None = None,
                     access_log: Path | None = None, new_access_log: bool = False,
                     warn: Callable[[Message], None] = lambda _message: None) -> Iterator[tuple[Path, Path]]:
    """Restore each pseudonymised file of ``paths`` (files, or a run's output folder) into
    ``out_dir``, in its own format; yield ``(input, restored)`` as each is written. Each access
    is recorded first (with ``reason``) in the key file's own access log, whose head the key
    file at ``key_path`` keeps (saved each time), and in ``access_log`` too when it is another
    file. The audit log then records the access log's head (``close_accesses``). An older key
    file, or an access log that went back, is said (``warn``) and recorded with the access."""
    reason = check_reason(reason)
    audit_path = audit_path or default_audit(paths)
    log_path = default_access_log(key_path)
    copy_to = access_log if access_log is not None and access_log.resolve() != log_path.resolve() else None
    protected = guarded(paths, key_path, audit_path, log_path)
    if copy_to is not None:
        protected |= guarded(paths, key_path, audit_path, copy_to)
    records = verified_records(audit_path, keyfile)
    went_back = heads.recorded(records)["access_seq"] if heads.access_behind(keyfile, records) else 0
    for problem in (heads.older_key(keyfile, records), heads.access_behind(keyfile, records)):
        if problem is not None:
            warn(problem)
    out = Path(out_dir)
    expanded = expand_inputs(paths, records, audit_path)
    protected |= {path.resolve() for path, _relative in expanded}  # a folder's files are inputs too
    accessed = False
    try:
        for path, relative in expanded:
            refuse_overwrite(out / relative, protected)
            if relative.parent == Path("."):
                own = records_of(path, records, audit_path)
            else:  # a file in a subfolder of a run's output: the last run that wrote it there
                own = [mine for mine in ([r for r in run if r.get("path") == relative.as_posix()]
                                         for run in audit.runs(records)) if mine][-1]
            header = next((r for r in own if r.get("record") == "document"), {})
            columns = header.get("columns")
            document = read_document(path, table_options=TableOptions(tuple(columns)) if columns is not None else None)
            if relative.parent == Path("."):  # the run whose output this file is, by its hash
                own = records_of(path, records, audit_path, document.text)
                header = next((r for r in own if r.get("record") == "document"), {})
            encoding = str(header.get("encoding", document.encoding))
            refuse_overwrite(out / _original_place(relative, names.original_name(keyfile, header)), protected)
            restored = reidentify_text(document.text, own, keyfile, path=str(path))
            manage.record_access(keyfile, log_path, {
                "record": "access",
                "time": _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds"),
                "user": getpass.getuser(), "file": str(path), "reason": reason,
                "key": str(key_path), "mentions": sum(1 for r in own if r.get("record") == "mention"),
                **({"went_back_from": went_back} if went_back else {}),
            }, new_log=new_access_log, copy_to=copy_to)
            went_back = 0
            accessed = True
            key_format.save(keyfile, key_path)
            target = out / _original_place(relative, names.original_name(keyfile, header))
            refuse_overwrite(target, protected)
            write_document(with_text(document, document.text, encoding), restored, target,
                           edits=reverse_edits(own), private=True)
            yield path, target
    finally:
        if accessed:  # even when a later file is refused: the accesses made are closed in the audit log
            problem = close_accesses(audit_path, records, keyfile)
            if problem is not None:
                warn(problem)
            key_format.save(keyfile, key_path)
