"""The one phase chain of a run: ``anonymiser run``, ``review``, ``detect``, ``evaluate``, the
Python API, ``--jobs`` and Dask all go through it.

    find (per document) -> spread -> propagate (per document) -> plan (corpus; the caller
    commits the key file) -> replace (per document)

Per-document phases are batched tasks on an executor (this process, N processes, a Dask
cluster); each task reads its documents itself, once per phase, so no document's text is held
for the whole run: the coordinating process keeps the spans (``Detected``: what linking the
corpus needs). Results come back in input order, so the output does not depend on the
executor or on the number of processes. In-memory documents (``in_memory``) travel inside
their sources. No file is written here but a task's outputs (``Settings.out_dir``).
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from anonymiser.detect.propagate import FormVotes, Spread
from anonymiser.documents import read_document
from anonymiser.documents.files import sync_files
from anonymiser.errors import AnonymiserError, DocumentError
from anonymiser.i18n import N_
from anonymiser.keys.store import KeyFile
from anonymiser.model import Detected, Document, Entity, Span, digest
from anonymiser.run import tables
from anonymiser.run.executors import Executor, InProcess, keep_frozen, release_memory, worker_engine
from anonymiser.run.names import first_name_spans, input_name, name_text
from anonymiser.run.values import Progress as Progress
from anonymiser.run.values import Settings as Settings
from anonymiser.run.values import Skipped as Skipped
from anonymiser.run.values import Source as Source
from anonymiser.run.values import Written as Written
from anonymiser.run.values import _Silent
from anonymiser.text.fold import fold
from anonymiser.text.grid import MIN_DOCUMENTS, infer_lines

if TYPE_CHECKING:
    from anonymiser.config.rules import Config
    from anonymiser.engine import Engine, Plan

# A task reads at most this many characters' worth of files (by size on disk) or documents:
# large enough for nlp.pipe to batch, small enough to spread work and bound memory.
TASK_BYTES = 120_000
TASK_DOCUMENTS = 32
SPOOL_CHARS = 100_000  # a text up to this long keeps its mention records in memory; a longer one, a table, spools


def _named(error: AnonymiserError, path: str) -> AnonymiserError:
    """``error``, naming ``path`` when it names no file."""
    return error if error.path else type(error)(path, error.message)


# -- tasks (run where the executor puts them; pure but for reading and writing documents) -------
def _read(source: Source, settings: Settings) -> Document:
    if source.document is not None:
        return source.document
    root = Path(source.root) if source.root is not None else None
    return read_document(source.path, root=root, table_options=settings.table_options, limits=settings.office_limits,
                         distinct_tables=settings.distinct_tables and bool(settings.out_dir))


def _reread(item: Detected, source: Source, settings: Settings) -> Document:
    document = _read(source, settings)
    if digest(document.text) != item.digest:
        raise DocumentError(source.path, N_("the file changed during the run"))
    return document


def _out_of_memory(source: Source) -> Skipped:
    """A document that took more memory than there is: left out, the run goes on."""
    return Skipped(source.index, source.path, DocumentError(source.path, N_("not enough memory to process it")))


def find_task(engine: Engine | None, settings: Settings, sources: Sequence[Source]) -> list[Skipped | Detected]:
    """Phase 1: read and detect a batch of documents (one ``nlp.pipe`` over the batch; when
    the batch does not fit in memory, one document after the other)."""
    engine = engine if engine is not None else worker_engine()
    documents: list[tuple[Source, Document]] = []
    outcomes: dict[int, Skipped | Detected] = {}
    for source in sources:
        try:
            documents.append((source, _read(source, settings)))
        except AnonymiserError as error:
            outcomes[source.index] = Skipped(source.index, source.path, _named(error, source.path))
        except MemoryError:
            outcomes[source.index] = _out_of_memory(source)

    def ordinary(word: str) -> bool:
        return word.lower() in engine.config.common_words

    def find(batch: list[Document]) -> list[Detected]:
        # each document and, after them, its path as a text: what detection finds in the file name
        names = [Document(f"name-{position}", name_text(d.path)) for position, d in enumerate(batch)]
        both = batch + names
        found = engine.find(both, extra_grid=settings.grid_lines) if settings.grid_lines else engine.find(both)
        return [replace(item, name_spans=(*((s.start, s.end, s.label) for s in name.spans),
                                          *first_name_spans(text.text, engine.first_names, ordinary)))
                for item, name, text in zip(found[:len(batch)], found[len(batch):], names, strict=True)]

    try:
        detected: list[Detected] | None = find([d for _, d in documents])
    except MemoryError:
        detected = None
    for position, (source, document) in enumerate(documents):
        try:
            item = detected[position] if detected is not None else find([document])[0]
        except MemoryError:
            outcomes[source.index] = _out_of_memory(source)
            continue
        outcomes[source.index] = replace(item, index=source.index)
    del documents, detected
    release_memory()  # the batch's texts and parses are freed: their memory goes back
    return [outcomes[s.index] for s in sources]


def propagate_task(engine: Engine | None, shared: tuple[Settings, KeyFile | None, Spread],
                   items: Sequence[tuple[Source, Detected]]) -> list[Skipped | Detected]:
    """Phase 2: find the key file's and the run's forms in a batch of documents."""
    engine = engine if engine is not None else worker_engine()
    settings, keyfile, spread = shared
    outcomes: list[Skipped | Detected] = []
    for source, item in items:
        try:
            document = _reread(item, source, settings)
            outcomes.append(engine.propagate(document, item, keyfile, spread))
        except AnonymiserError as error:
            outcomes.append(Skipped(source.index, source.path, _named(error, source.path)))
        except MemoryError:
            outcomes.append(_out_of_memory(source))
    release_memory()
    return outcomes


def replace_task(engine: Engine | None, shared: tuple[Settings, KeyFile],
                 items: Sequence[tuple[Source, Detected, tuple[tuple[Span, Entity], ...]]],
                 ) -> list[Written | Skipped]:
    """Phase 3: pseudonymise a batch of documents, and write them when the run has an output
    folder (made durable before they are reported); return their audit records. With an output
    folder, a table's or a long text's mention records go to a spool file there (``Written.spool``,
    the caller reads and removes it), so that they are never all in memory."""
    engine = engine if engine is not None else worker_engine()
    settings, keyfile = shared
    renderer = engine.renderer(settings.strategies)
    outcomes: list[Written | Skipped] = []
    targets: list[Path] = []
    try:
        for source, item, mentions in items:
            spool = ""
            try:
                document = _reread(item, source, settings)
                if source.output:  # from here on, the document is known by its output name
                    original = document.path
                    document = replace(document, id=Path(source.output).stem, path=source.output)
                target = Path(settings.out_dir) / document.path if settings.out_dir else None
                with _spool_file(settings.out_dir, document) as (spool, handle):
                    count, records, result = tables.replace_document(engine, document, item, mentions, renderer,
                                                                     keyfile, handle, target)
                if source.output:
                    records = tuple({**r, "input_name": input_name(keyfile, original)} if r.get("record") == "document"
                                    else r for r in records)
                if target is not None:
                    targets.append(target)
            except AnonymiserError as error:
                _remove(spool)
                outcomes.append(Skipped(source.index, source.path, _named(error, source.path)))
                continue
            except MemoryError:
                _remove(spool)
                outcomes.append(_out_of_memory(source))
                continue
            except BaseException:
                _remove(spool)
                raise
            repeats = document.layout.repeats if document.layout is not None else None
            length = repeats.length if repeats is not None else len(document.text)
            outcomes.append(Written(source.index, document.path, length, count, records,
                                    None if settings.out_dir or result is None else replace(result, records=records),
                                    spool))
    finally:
        sync_files(targets)  # the batch's outputs are durable before they are reported
    release_memory()
    return outcomes


@contextlib.contextmanager
def _spool_file(out_dir: str, document: Document) -> Iterator[tuple[str, IO[str] | None]]:
    """Without ``out_dir``, or for a text of ``SPOOL_CHARS`` characters or fewer, ``("", None)``.
    Else a new file of mention records in ``out_dir`` (0600, named as a temporary file of this
    process: ``files.remove_stale_in`` removes it if killed), and its handle, closed at the end."""
    if not out_dir or (document.layout is None and len(document.text) <= SPOOL_CHARS):
        yield "", None
        return
    Path(out_dir).mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".records.{os.getpid()}.", suffix=".tmp", dir=out_dir)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        yield name, handle


def _remove(path: str) -> None:
    if path:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path)


# -- the grid of a corpus whose grid is not given -------------------------------------------------
GRID_SAMPLE = 64  # documents read, evenly spread over the corpus, to find the lines most of them print


def inferred_grid(texts: Iterable[str], config: Config) -> tuple[str, ...]:
    """The lines most of ``texts`` print (see ``text.grid.infer_lines``): questions, headings,
    answer categories; not speaker labels, names or transcript marks."""
    labels = {fold(w) for w in (*config.interviewer_labels, *config.propagation.markers)}
    ordinary = config.common_words | {w.lower() for w in config.function_words}
    return infer_lines(texts, ordinary=ordinary,
                       is_marker=lambda line: config.spoken.is_marker(line) or fold(line) in labels)


def _grid_sample(sources: Sequence[Source], settings: Settings) -> Iterator[str]:
    """The texts of at most ``GRID_SAMPLE`` sources, evenly spread (all of a smaller corpus);
    a document that cannot be read is left out here (``find`` reports it)."""
    count = min(len(sources), GRID_SAMPLE)
    for index in sorted({(i * len(sources)) // count for i in range(count)}):
        try:
            yield _read(sources[index], settings).text
        except AnonymiserError:
            continue


# -- the chain ----------------------------------------------------------------------------------
def in_memory(documents: Sequence[Document], engine: Engine) -> tuple[list[Source], InProcess]:
    """Sources for documents already in memory, and the executor that runs them here."""
    sources = [Source(index, document.path, None, len(document.text), document)
               for index, document in enumerate(documents)]
    return sources, InProcess(engine)


def batches(items: Sequence[Any], sizes: Sequence[int], *, max_bytes: int = TASK_BYTES,
            max_items: int = TASK_DOCUMENTS) -> list[list[Any]]:
    """Consecutive groups of ``items`` of at most ``max_bytes`` (by ``sizes``) or ``max_items``."""
    groups: list[list[Any]] = []
    current: list[Any] = []
    weight = 0
    for item, size in zip(items, sizes, strict=True):
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
        keep_frozen()  # what this process keeps of the batch, out of later collections (in a run)


@dataclass
class Propagated:
    """After the first two phases: each document's spans as ``find`` saw them (``found``) and
    after propagation, the votes of the propagated spans, the documents skipped so far, and
    the label decided for each form (``labels``)."""

    sources: dict[int, Source]
    found: list[Detected]
    propagated: list[Detected]
    votes: FormVotes
    skipped: list[Skipped]
    labels: dict[str, str] = field(default_factory=dict)


@dataclass
class Planned:
    """After ``plan``: each entity has its pseudonym (new ones are in the key file, in memory)."""

    done: Propagated
    plan: Plan


def detect_corpus(sources: Sequence[Source], keyfile: KeyFile | None, *, engine: Engine, executor: Executor,
                  settings: Settings | None = None, progress: Progress | None = None,
                  sources_guard: Callable[[str], None] | None = None, found_spans: bool = True) -> Propagated:
    """Phases 1 and 2: find, spread, propagate. Two inputs with one name: the second is
    skipped. ``sources_guard(path)`` may refuse a document's output path (after ``find``).
    Without ``found_spans``, ``Propagated.found`` keeps no spans (they are dropped as each
    document is propagated: a long text's spans are not held twice)."""
    settings = settings or Settings()
    if engine.config.infer_grid and not settings.grid_lines and len(sources) >= MIN_DOCUMENTS:  # else none found
        settings = replace(settings, grid_lines=inferred_grid(_grid_sample(sources, settings), engine.config))
    progress = progress or _Silent()
    by_index = {s.index: s for s in sources}
    skipped: list[Skipped] = []

    found: list[Detected] = []
    seen: set[str] = set()
    votes = engine.form_votes()  # counted as documents come, while the workers detect
    labels = engine.label_votes()
    progress.start("find", len(sources), sum(s.size for s in sources))
    for outcome in _flatten(executor.map(find_task, batches(sources, [s.size for s in sources]), settings)):
        progress.advance("find", 1, getattr(outcome, "length", 0), by_index[outcome.index].size)
        if isinstance(outcome, Skipped):
            skipped.append(outcome)
        elif (outcome.path and outcome.path in seen) or outcome.document_id in seen:
            path = by_index[outcome.index].path
            skipped.append(Skipped(outcome.index, path, AnonymiserError(path, N_("another input has the same name"))))
        else:
            seen.update(name for name in (outcome.path, outcome.document_id) if name)
            found.append(outcome)
            votes.add(outcome.spans, outcome.document_id, outcome.weights or None)
            labels.add(outcome.label_votes)
    if sources_guard is not None and settings.out_dir:
        for item in found:
            sources_guard(str(Path(settings.out_dir) / item.path))

    # workers get the key file's index, not its originals
    decided = labels.decide(keyfile)
    spread = engine.spread(votes, decided)
    view = keyfile.for_workers() if keyfile is not None else None
    pairs = [(by_index[item.index], item) for item in found]
    propagated: list[Detected] = []
    votes = engine.form_votes()
    progress.start("propagate", len(pairs), sum(item.length for item in found))
    groups = batches(pairs, [item.length for item in found])
    position = {item.index: at for at, item in enumerate(found)}
    for outcome in _flatten(executor.map(propagate_task, groups, (settings, view, spread))):
        progress.advance("propagate", 1, getattr(outcome, "length", 0))
        if not found_spans:
            at = position[outcome.index]
            found[at] = replace(found[at], spans=(), grid=(), label_votes=(), weights=())
        if isinstance(outcome, Skipped):
            skipped.append(outcome)
        else:
            propagated.append(outcome)
            votes.add(outcome.spans, outcome.document_id, outcome.weights or None)
    return Propagated(by_index, found, propagated, votes, skipped, decided)


def plan_corpus(sources: Sequence[Source], keyfile: KeyFile, *, engine: Engine, executor: Executor,
                settings: Settings, progress: Progress | None = None,
                sources_guard: Callable[[str], None] | None = None, found_spans: bool = True) -> Planned:
    """Phases 1 and 2, then ``plan``: link the corpus and give each entity its pseudonym (new
    entities go into ``keyfile``, in memory: the caller saves it before any output is written).
    ``found_spans``: see ``detect_corpus``."""
    done = detect_corpus(sources, keyfile, engine=engine, executor=executor, settings=settings,
                         progress=progress, sources_guard=sources_guard, found_spans=found_spans)
    plan = engine.plan(done.propagated, keyfile, settings.strategies, votes=done.votes, labels=done.labels)
    return Planned(done, plan)


def replace_corpus(planned: Planned, keyfile: KeyFile, *, engine: Engine, executor: Executor,
                   settings: Settings, progress: Progress | None = None) -> Iterator[Written | Skipped]:
    """Phase 3: pseudonymise (and write, with ``settings.out_dir``) every planned document;
    yields in input order as results arrive."""
    progress = progress or _Silent()
    view = keyfile.for_workers()
    propagated = planned.done.propagated
    triples = [(planned.done.sources[d.index], d, planned.plan.of(d.document_id)) for d in propagated]
    progress.start("replace", len(triples), sum(d.length for d in propagated))
    groups = batches(triples, [d.length for d in propagated])
    for outcome in _flatten(executor.map(replace_task, groups, (settings, view))):
        progress.advance("replace", 1, getattr(outcome, "length", 0))
        yield outcome
