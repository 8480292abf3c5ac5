"""A run over a corpus of files: the per-document phases of ``pipeline`` as batched tasks on
an executor (this process, N processes, or a Dask cluster), the corpus-wide steps here.

    find (parallel) -> spread -> propagate (parallel) -> plan, save key -> replace (parallel)

Each task reads its documents itself, so no document's text is held for the whole run: the
coordinating process keeps the spans (what linking the corpus needs) and streams the audit
log to disk. Results come back in input order, so the output does not depend on the
executor or on the number of processes.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from anonymiser import audit
from anonymiser.detect.spans import Detection
from anonymiser.documents import TableOptions, read_document, write_document
from anonymiser.errors import AnonymiserError, DocumentError
from anonymiser.i18n import N_
from anonymiser.keys import store as keyfile_io
from anonymiser.keys.store import KeyFile
from anonymiser.model import Document, Entity, Span
from anonymiser.pipeline import Anonymiser, Found, Plan, Spread
from anonymiser.run.executors import Executor, worker_engine
from anonymiser.text.grid import GridRegion

# A task reads at most this many characters' worth of files (by size on disk) or documents:
# large enough for nlp.pipe to batch, small enough to spread work and bound memory.
TASK_BYTES = 120_000
TASK_DOCUMENTS = 32


@dataclass(frozen=True)
class Source:
    """One input file: where it is, the folder it was found in, its place in the corpus."""

    index: int
    path: str
    root: str | None = None
    size: int = 0


@dataclass(frozen=True)
class Settings:
    """What every task needs to know of the run (small; shipped with each phase)."""

    out_dir: str = ""
    table_options: TableOptions | None = None
    strategies: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Skipped:
    """A document left out, with the error that says why in one line (names the file, no
    content; translated where it is shown, not in the worker)."""

    index: int
    path: str
    reason: AnonymiserError


def _named(error: AnonymiserError, path: str) -> AnonymiserError:
    """``error``, naming ``path`` when it names no file."""
    return error if error.path else type(error)(path, error.message)


@dataclass(frozen=True)
class Detected:
    """A document after ``find`` or ``propagate``: its spans and grid, not its text; the
    digest tells a later phase that it reads the same text."""

    index: int
    document_id: str
    path: str
    digest: str
    length: int
    spans: tuple[Span, ...]
    grid: tuple[GridRegion, ...]
    civility: tuple[str, ...] = ()


@dataclass(frozen=True)
class Written:
    """A document written: its audit records (keyed hashes, no text) and counts."""

    index: int
    path: str
    length: int
    mentions: int
    records: tuple[dict[str, Any], ...]


Outcome = Skipped | Detected


class Progress(Protocol):
    """Told when a phase starts (how many documents) and as documents are done."""

    def start(self, phase: str, total: int) -> None: ...

    def advance(self, phase: str, documents: int, chars: int) -> None: ...


class _Silent:
    def start(self, phase: str, total: int) -> None:
        pass

    def advance(self, phase: str, documents: int, chars: int) -> None:
        pass


@dataclass
class CorpusResult:
    written: list[Written]
    skipped: list[Skipped]
    audit_path: Path

    @property
    def mentions(self) -> int:
        return sum(w.mentions for w in self.written)


# -- tasks (run where the executor puts them; pure but for reading and writing documents) -------
def _digest(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def _read(source: Source, settings: Settings) -> Document:
    root = Path(source.root) if source.root is not None else None
    return read_document(source.path, root=root, table_options=settings.table_options)


def _reread(item: Detected, source: Source, settings: Settings) -> Document:
    document = _read(source, settings)
    if _digest(document.text) != item.digest:
        raise DocumentError(source.path, N_("the file changed during the run"))
    return document


def find_task(settings: Settings, sources: Sequence[Source]) -> list[Outcome]:
    """Phase 1: read and detect a batch of documents (one ``nlp.pipe`` over the batch)."""
    engine = worker_engine()
    documents: list[tuple[Source, Document]] = []
    outcomes: dict[int, Outcome] = {}
    for source in sources:
        try:
            documents.append((source, _read(source, settings)))
        except AnonymiserError as error:
            outcomes[source.index] = Skipped(source.index, source.path, _named(error, source.path))
    detections = engine.find([d for _, d in documents])
    for (source, document), detection in zip(documents, detections):
        outcomes[source.index] = Detected(source.index, document.id, document.path, _digest(document.text),
                                          len(document.text), detection.spans, detection.grid)
    return [outcomes[s.index] for s in sources]


def propagate_task(shared: tuple[Settings, KeyFile, Spread],
                   items: Sequence[tuple[Source, Detected]]) -> list[Outcome]:
    """Phase 2: find the key file's and the run's forms in a batch of documents."""
    settings, keyfile, spread = shared
    engine = worker_engine()
    outcomes: list[Outcome] = []
    for source, item in items:
        try:
            document = _reread(item, source, settings)
        except AnonymiserError as error:
            outcomes.append(Skipped(source.index, source.path, _named(error, source.path)))
            continue
        detection = engine.propagate(Detection(document, item.spans, item.grid), keyfile, spread)
        found = engine.found(detection)
        outcomes.append(Detected(item.index, item.document_id, item.path, item.digest, item.length,
                                 found.spans, item.grid, found.civility))
    return outcomes


def replace_task(shared: tuple[Settings, KeyFile],
                 items: Sequence[tuple[Source, Detected, tuple[tuple[Span, Entity], ...]]],
                 ) -> list[Written | Skipped]:
    """Phase 3: write the pseudonymised documents of a batch; return their audit records."""
    settings, keyfile = shared
    engine = worker_engine()
    renderer = engine.renderer(settings.strategies)
    outcomes: list[Written | Skipped] = []
    targets: list[Path] = []
    try:
        for source, item, mentions in items:
            try:
                document = _reread(item, source, settings)
                result = engine.replace(Detection(document, item.spans, item.grid), mentions, renderer, keyfile)
                target = Path(settings.out_dir) / document.path
                write_document(document, result.output, target, edits=result.replacements, sync=False)
            except AnonymiserError as error:
                outcomes.append(Skipped(source.index, source.path, _named(error, source.path)))
                continue
            targets.append(target)
            outcomes.append(Written(source.index, document.path, len(document.text), len(result.replacements),
                                    result.records))
    finally:
        keyfile_io.sync_files(targets)  # the batch's outputs are durable before they are reported
    return outcomes


# -- the run -------------------------------------------------------------------------------------
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


def batches(items: Sequence[Any], sizes: Sequence[int], *, max_bytes: int = TASK_BYTES,
            max_items: int = TASK_DOCUMENTS) -> list[list[Any]]:
    """Consecutive groups of ``items`` of at most ``max_bytes`` (by ``sizes``) or ``max_items``."""
    groups: list[list[Any]] = []
    current: list[Any] = []
    weight = 0
    for item, size in zip(items, sizes):
        if current and (weight + size > max_bytes or len(current) >= max_items):
            groups.append(current)
            current, weight = [], 0
        current.append(item)
        weight += size
    if current:
        groups.append(current)
    return groups


def _flatten(results: Iterator[list[Any]]) -> Iterator[Any]:
    for batch in results:
        yield from batch


def run_corpus(sources: Sequence[Source], keyfile: KeyFile, key_path: str | os.PathLike[str],
               out_dir: str | os.PathLike[str], audit_path: str | os.PathLike[str], *,
               engine: Anonymiser, executor: Executor, settings: Settings,
               progress: Progress | None = None, sources_guard: Callable[[str], None] | None = None,
               ) -> CorpusResult:
    """Pseudonymise ``sources`` into ``out_dir``; new entities are saved in the key file at
    ``key_path`` (atomically, before any output is written); the audit log is written to
    ``audit_path`` as documents are done, and appears there (atomically) at the end.

    ``sources_guard(target)`` may refuse an output path (one that would overwrite an input).
    """
    progress = progress or _Silent()
    by_index = {s.index: s for s in sources}
    skipped: list[Skipped] = []

    # phase 1: find
    detected: list[Detected] = []
    seen: set[str] = set()
    votes = engine.form_votes()  # counted as documents come, while the workers detect
    groups = batches(sources, [s.size for s in sources])
    progress.start("find", len(sources))
    for outcome in _flatten(executor.map(find_task, groups, settings)):
        progress.advance("find", 1, getattr(outcome, "length", 0))
        if isinstance(outcome, Skipped):
            skipped.append(outcome)
        elif outcome.path in seen or outcome.document_id in seen:
            path = by_index[outcome.index].path
            skipped.append(Skipped(outcome.index, path, AnonymiserError(path, N_("another input has the same name"))))
        else:
            seen.update((outcome.path, outcome.document_id))
            detected.append(outcome)
            votes.add(outcome.spans)
    if sources_guard is not None:
        for item in detected:
            sources_guard(str(Path(out_dir) / item.path))

    # spread, then phase 2: propagate (workers get the key file's index, not its originals)
    spread = engine.spread(votes)
    view = keyfile.for_workers()
    pairs = [(by_index[item.index], item) for item in detected]
    groups = batches(pairs, [item.length for item in detected])
    propagated: list[Detected] = []
    votes = engine.form_votes()
    progress.start("propagate", len(pairs))
    for outcome in _flatten(executor.map(propagate_task, groups, (settings, view, spread))):
        progress.advance("propagate", 1, getattr(outcome, "length", 0))
        if isinstance(outcome, Skipped):
            skipped.append(outcome)
        else:
            propagated.append(outcome)
            votes.add(outcome.spans)
    del detected, pairs

    # plan: link the corpus, assign pseudonyms, save the key file before writing any output
    plan: Plan = engine.plan((Found(d.document_id, d.spans, d.civility) for d in propagated), keyfile,
                             settings.strategies, votes=votes)
    keyfile_io.save(keyfile, key_path)

    # phase 3: replace and write; the audit log is chained in input order as results arrive
    view = keyfile.for_workers()
    triples = [(by_index[d.index], d, plan.of(d.document_id)) for d in propagated]
    groups = batches(triples, [d.length for d in propagated])
    written: list[Written] = []
    chain = audit.Chain(keyfile.chain_key("audit"))
    target = Path(audit_path)
    target.parent.mkdir(parents=True, exist_ok=True)
    progress.start("replace", len(triples))
    # each task makes its outputs durable before it reports them: every output listed in the
    # audit log is on disk before the log appears
    with keyfile_io.atomic_file(target, mode=0o600) as handle:
        for outcome in _flatten(executor.map(replace_task, groups, (settings, view))):
            progress.advance("replace", 1, getattr(outcome, "length", 0))
            if isinstance(outcome, Skipped):
                skipped.append(outcome)
                continue
            handle.write("".join(chain.line(record) + "\n" for record in outcome.records).encode("utf-8"))
            written.append(Written(outcome.index, outcome.path, outcome.length, outcome.mentions, ()))
        handle.write((audit.dumps(chain.close()) + "\n").encode("utf-8"))
    skipped.sort(key=lambda s: s.index)
    return CorpusResult(written, skipped, target)
