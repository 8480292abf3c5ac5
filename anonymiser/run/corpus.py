"""A run over a corpus of files: the phase chain of ``pipeline`` with the file run's own steps,
the key file saved before any output is written and the audit log streamed to disk.

    find (parallel) -> spread -> propagate (parallel) -> plan, save key -> replace (parallel)

The coordinating process keeps the spans (what linking the corpus needs) and streams the audit
log to disk, after the records of earlier runs into the folder; it appears there (atomically)
at the end. No output goes over an input, the key file's own files, or a file it did not write.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from anonymiser import audit
from anonymiser.documents import files
from anonymiser.errors import RefusedError
from anonymiser.i18n import N_, Message
from anonymiser.keys import format as keyfile_io
from anonymiser.keys import heads
from anonymiser.keys.store import KeyFile
from anonymiser.pipeline import (
    Planned,
    Progress,
    Settings,
    Skipped,
    Source,
    Written,
    plan_corpus,
    replace_corpus,
)
from anonymiser.render.strategies import Renderer
from anonymiser.run import names
from anonymiser.run.executors import Executor

if TYPE_CHECKING:
    from anonymiser.engine import Engine


@dataclass
class CorpusResult:
    written: list[Written]
    skipped: list[Skipped]
    audit_path: Path
    warnings: list[Message] = field(default_factory=list)  # shown by the caller (an older key file)

    @property
    def mentions(self) -> int:
        return sum(w.mentions for w in self.written)


def sources_of(inputs: Iterable[tuple[Path, Path | None]]) -> list[Source]:
    """``collect_inputs`` output as numbered sources, with their size on disk."""
    sources = []
    for index, (path, root) in enumerate(inputs):
        try:
            size = os.stat(path).st_size
        except OSError:
            size = 0
        sources.append(Source(index, str(path), None if root is None else str(root), size))
    return sources


def key_files(key_path: str | os.PathLike[str]) -> set[Path]:
    """The key file and the files kept beside it (resolved): never an output."""
    key = keyfile_io.resolved(key_path)
    named = Path(os.path.abspath(key_path))
    return {p.resolve() for k in {key, named} for p in (k, Path(f"{k}.bak"), Path(f"{k}.lock"),
                                                       Path(f"{k}.access.jsonl"))}


def overwrite_guard(sources: Sequence[Source], *, protected: Iterable[Path] = (), log: Path | None = None,
                    written: Iterable[Path] | None = None) -> Callable[[str], None]:
    """A check that refuses an output path that is one of the inputs, one of the ``protected``
    files (the key file's), or, when ``written`` (the files the tool wrote there before, from
    the folder's audit log) is given, an existing file or link not among them, or the audit
    ``log``. Paths are compared once resolved: a link or a ``..`` does not get through."""
    inputs = {Path(s.path).resolve() for s in sources}
    audit_log = None if log is None else log.resolve()
    keys = {Path(p).resolve() for p in protected}
    ours = None if written is None else {Path(p).resolve() for p in written}

    def guard(target: str) -> None:
        path = Path(target)
        resolved = path.resolve()
        if resolved in inputs:
            raise RefusedError(target, N_("output would overwrite an input"))
        if resolved in keys:
            raise RefusedError(target, N_("output would overwrite the key file or one of its files"))
        if resolved == audit_log:
            raise RefusedError(target, N_("output would overwrite the audit log"))
        if ours is not None and os.path.lexists(path) and (path.is_symlink() or resolved not in ours):
            raise RefusedError(target, N_("output would overwrite a file this tool did not write"))

    return guard


def earlier_runs(audit_path: Path, keyfile: KeyFile) -> list[dict[str, Any]]:
    """The records of the audit log a run appends to (none if there is none yet); refused when
    the file there is not an intact audit log of this key file (it is never replaced)."""
    if not os.path.lexists(audit_path):
        return []
    if audit_path.is_symlink() or not audit_path.is_file():
        raise RefusedError(str(audit_path), N_("output would overwrite a file this tool did not write"))
    records = audit.read_records(audit_path)
    checked = audit.verify(records, keyfile.chain_key("audit"))
    problem = checked.problem if not checked.ok else heads.missing_runs(keyfile, records, audit_path)
    if problem:
        raise RefusedError(str(audit_path), N_("audit log fails verification: %(problem)s"), problem=problem)
    return records


def own_output(source: Source, out_dir: str | os.PathLike[str]) -> bool:
    """Whether ``source`` was found in an output folder inside the input folder it was found
    in: an output of an earlier run, not an input."""
    if source.root is None:
        return False
    out, root = Path(out_dir).resolve(), Path(source.root).resolve()
    return out != root and out.is_relative_to(root) and Path(source.path).resolve().is_relative_to(out)


def run_corpus(sources: Sequence[Source], keyfile: KeyFile, key_path: str | os.PathLike[str],
               out_dir: str | os.PathLike[str], audit_path: str | os.PathLike[str], *,
               engine: Engine, executor: Executor, settings: Settings,
               progress: Progress | None = None) -> CorpusResult:
    """Pseudonymise ``sources`` into ``out_dir``; new entities are saved in the key file at
    ``key_path`` (atomically, before any output is written); the audit log at ``audit_path``
    gets this run's records after those of earlier runs (if it exists, it must be an intact
    audit log of this key file), and its new version appears (atomically) at the end. A run
    that writes no document leaves it as it was.

    Refused before anything is written: an output (document or audit log) that would be an
    input, the key file or one of its files, or a file there that the tool did not write.
    Files found in ``out_dir`` when it is inside an input folder are not read (``own_output``).
    """
    settings = replace(settings, out_dir=str(out_dir), distinct_tables=True)
    sources = [s for s in sources if not own_output(s, out_dir)]
    target = Path(audit_path)
    protected = key_files(key_path)
    overwrite_guard(sources, protected=protected)(str(target))
    earlier = earlier_runs(target, keyfile)
    older = heads.older_key(keyfile, earlier)
    files.remove_stale(target)  # what runs killed while writing left (outputs and logs of earlier runs)
    files.remove_stale_in(Path(out_dir))
    written_before = {Path(out_dir) / str(r["path"]) for r in earlier if r.get("record") == "document"}
    guard = overwrite_guard(sources, protected=protected, log=target, written=written_before)
    planned = plan_corpus(sources, keyfile, engine=engine, executor=executor, settings=settings,
                          progress=progress, found_spans=False)
    renderer = engine.renderer(settings.strategies)
    planned = named_outputs(planned, keyfile, renderer, names.earlier_names(earlier, keyfile),
                            ordinary=lambda word: word.lower() in engine.config.common_words)
    for item in planned.done.found:
        source = planned.done.sources[item.index]
        guard(str(Path(out_dir) / (source.output or item.path)))
    keyfile_io.save(keyfile, key_path)

    # the audit log is chained in input order as results arrive; each task makes its outputs
    # durable before it reports them: every output listed in the log is on disk before it appears
    skipped = list(planned.done.skipped)
    written: list[Written] = []
    seq, previous = audit.head(earlier)
    chain = audit.Chain(keyfile.chain_key("audit"), previous=previous, start=seq)
    with contextlib.ExitStack() as stack:
        handle = None
        for outcome in replace_corpus(planned, keyfile, engine=engine, executor=executor, settings=settings,
                                      progress=progress):
            if isinstance(outcome, Skipped):
                skipped.append(outcome)
                continue
            if handle is None:  # the log is written from the first document on: none, no new log
                target.parent.mkdir(parents=True, exist_ok=True)
                handle = stack.enter_context(files.atomic_file(target, mode=0o600))
                if earlier:
                    handle.write(target.read_bytes())
            if outcome.spool:  # its mention records, read back one at a time, then its document record
                _chain_spool(chain, Path(outcome.spool), handle)
            handle.write("".join(chain.line(record) + "\n" for record in outcome.records).encode("utf-8"))
            written.append(Written(outcome.index, outcome.path, outcome.length, outcome.mentions, ()))
        if handle is not None:
            handle.write((audit.dumps(chain.close(key=heads.state(keyfile))) + "\n").encode("utf-8"))
    if handle is not None:  # the key file knows the log's new head: a run cut from it is seen
        heads.remember_audit(keyfile, target, chain.seq, chain.previous)
        keyfile_io.save(keyfile, key_path)
    skipped.sort(key=lambda s: s.index)
    return CorpusResult(written, [_renamed(s, keyfile, renderer) for s in skipped], target,
                        [older] if older else [])


SPOOL_LINES = 4096  # spooled records chained and written at a time


def _chain_spool(chain: audit.Chain, spool: Path, handle: IO[bytes]) -> None:
    """Chain the records of a spool file (``pipeline.replace_task``) into the log, then remove it."""
    try:
        with spool.open(encoding="utf-8") as spooled:
            lines: list[str] = []
            for record in audit.read_spool(spooled):
                lines.append(chain.line(record) + "\n")
                if len(lines) >= SPOOL_LINES:
                    handle.write("".join(lines).encode("utf-8"))
                    lines.clear()
            handle.write("".join(lines).encode("utf-8"))
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(spool)


def named_outputs(planned: Planned, keyfile: KeyFile, renderer: Renderer, earlier: dict[str, str], *,
                  ordinary: Callable[[str], bool]) -> Planned:
    """``planned`` with each source's output path (``run.names``: names pseudonymised, made
    unique); the originals of renamed paths sealed in the key file, and the entities first
    seen in a renamed document named after its output."""
    done = planned.done
    items = sorted(done.propagated, key=lambda d: d.index)
    proposed = [(names.input_name(keyfile, d.path),
                 names.pseudonymised_path(d.path, keyfile, renderer, d.name_spans, ordinary=ordinary)) for d in items]
    outputs = names.unique_paths(proposed, earlier)
    renamed = [(d, out) for d, out in zip(items, outputs, strict=True) if out != d.path]
    names.seal_names(keyfile, [(d.path, out) for d, out in renamed])
    keyfile.rename_first_documents({d.document_id: Path(out).stem for d, out in renamed})
    sources = dict(done.sources)
    for d, out in renamed:
        sources[d.index] = replace(sources[d.index], output=out)
    return replace(planned, done=replace(done, sources=sources))


def _renamed(skipped: Skipped, keyfile: KeyFile, renderer: Renderer) -> Skipped:
    """A skipped input named without the names the key file knows (its error is shown)."""
    reason = skipped.reason
    if not reason.path:
        return skipped
    path = names.pseudonymised_path(reason.path, keyfile, renderer)
    if path == reason.path:
        return skipped
    return replace(skipped, path=path, reason=type(reason)(path, reason.message))
