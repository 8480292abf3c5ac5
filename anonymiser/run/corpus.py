"""A run over a corpus of files: the phase chain of ``pipeline`` with the file run's own steps,
the key file saved before any output is written and the audit log streamed to disk.

    find (parallel) -> spread -> propagate (parallel) -> plan, save key -> replace (parallel)

The coordinating process keeps the spans (what linking the corpus needs) and streams the audit
log to disk; it appears there (atomically) at the end.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from anonymiser import audit
from anonymiser.documents import files
from anonymiser.errors import RefusedError
from anonymiser.i18n import N_
from anonymiser.keys import format as keyfile_io
from anonymiser.keys.store import KeyFile
from anonymiser.pipeline import (
    Progress,
    Settings,
    Skipped,
    Source,
    Written,
    plan_corpus,
    replace_corpus,
)
from anonymiser.run.executors import Executor

if TYPE_CHECKING:
    from anonymiser.engine import Engine


@dataclass
class CorpusResult:
    written: list[Written]
    skipped: list[Skipped]
    audit_path: Path

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


def overwrite_guard(sources: Sequence[Source]) -> Callable[[str], None]:
    """A check that refuses an output path that is one of the inputs."""
    inputs = {Path(s.path).resolve() for s in sources}

    def guard(target: str) -> None:
        if Path(target).resolve() in inputs:
            raise RefusedError(target, N_("output would overwrite an input"))

    return guard


def run_corpus(sources: Sequence[Source], keyfile: KeyFile, key_path: str | os.PathLike[str],
               out_dir: str | os.PathLike[str], audit_path: str | os.PathLike[str], *,
               engine: Engine, executor: Executor, settings: Settings,
               progress: Progress | None = None) -> CorpusResult:
    """Pseudonymise ``sources`` into ``out_dir``; new entities are saved in the key file at
    ``key_path`` (atomically, before any output is written); the audit log is written to
    ``audit_path`` as documents are done, and appears there (atomically) at the end.

    Refused before anything is written: an output that would overwrite an input.
    """
    settings = replace(settings, out_dir=str(out_dir))
    planned = plan_corpus(sources, keyfile, engine=engine, executor=executor, settings=settings,
                          progress=progress, sources_guard=overwrite_guard(sources))
    keyfile_io.save(keyfile, key_path)

    # the audit log is chained in input order as results arrive; each task makes its outputs
    # durable before it reports them: every output listed in the log is on disk before it appears
    skipped = list(planned.done.skipped)
    written: list[Written] = []
    chain = audit.Chain(keyfile.chain_key("audit"))
    target = Path(audit_path)
    target.parent.mkdir(parents=True, exist_ok=True)
    with files.atomic_file(target, mode=0o600) as handle:
        for outcome in replace_corpus(planned, keyfile, engine=engine, executor=executor, settings=settings,
                                      progress=progress):
            if isinstance(outcome, Skipped):
                skipped.append(outcome)
                continue
            handle.write("".join(chain.line(record) + "\n" for record in outcome.records).encode("utf-8"))
            written.append(Written(outcome.index, outcome.path, outcome.length, outcome.mentions, ()))
        handle.write((audit.dumps(chain.close()) + "\n").encode("utf-8"))
    skipped.sort(key=lambda s: s.index)
    return CorpusResult(written, skipped, target)
