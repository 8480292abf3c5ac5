"""Replace and write one document; a csv block by block, so that a table of any length fits in memory."""

from __future__ import annotations

import bisect
import hashlib
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from anonymiser import audit
from anonymiser.documents import write_document
from anonymiser.documents.files import atomic_file
from anonymiser.documents.table import CsvWriter
from anonymiser.documents.units import SEPARATOR
from anonymiser.errors import DocumentError
from anonymiser.i18n import N_
from anonymiser.keys.store import KeyFile
from anonymiser.model import Detected, Document, Entity, Replacement, Span
from anonymiser.render.replace import replace_spans
from anonymiser.render.strategies import Renderer
from anonymiser.run.texts import replace_text

if TYPE_CHECKING:
    from anonymiser.engine import DocumentResult, Engine

BLOCK_LINES = 8192  # cells rewritten at a time (read when a table is written: tests make it small)


def replace_document(engine: Engine, document: Document, detected: Detected,
                     mentions: Sequence[tuple[Span, Entity]], renderer: Renderer, keyfile: KeyFile,
                     spool: IO[str] | None, target: Path | None,
                     ) -> tuple[int, tuple[dict[str, Any], ...], DocumentResult | None]:
    """Pseudonymise ``document`` (``Engine.replace``) and write it to ``target`` if given: its
    number of replacements, its records (without ``spool``; with it, its document record
    alone) and its result, or None for a csv written to a file with a spool (``replace_table``)."""
    layout = document.layout
    if target is not None and spool is not None and layout is not None and layout.format == "csv":
        count, record = replace_table(engine, document, detected, mentions, renderer, keyfile, spool, target,
                                      block_lines=BLOCK_LINES)
        return count, (record,), None
    if target is not None and spool is not None and layout is None:  # a plain text: written as it is replaced
        count, record = replace_text(engine, document, detected, mentions, renderer, keyfile, spool, target)
        return count, (record,), None
    result = engine.replace(document, detected, mentions, renderer, keyfile, spool=spool)
    if target is not None:
        write_document(document, result.output, target, edits=result.replacements, sync=False)
    return len(result.replacements), result.records, result


def replace_table(engine: Engine, document: Document, detected: Detected, mentions: Sequence[tuple[Span, Entity]],
                  renderer: Renderer, keyfile: KeyFile, spool: IO[str], target: Path, *,
                  block_lines: int = 8192) -> tuple[int, dict[str, Any]]:
    """Pseudonymise the csv ``document`` into ``target`` (atomically, not synced: the caller
    syncs a batch), ``block_lines`` cells at a time; its mention records go to ``spool`` as
    they are made. Returns the number of replacements and the document's record, as
    ``Engine.replace`` and ``write_document`` would make and write them, byte for byte.

    A block starts at a line: a replacement never reaches across a cell's line (one that would
    is refused, as ``Units.write`` refuses it), so each block is rewritten as the whole text
    would be. The header units, last in the text, are rewritten first (the header row comes
    first and the audit names the columns by their new names), their records last."""
    layout = document.layout
    assert layout is not None
    text, path = document.text, document.path
    cells = len(layout.fields) - len(layout.headers)
    header_start = layout.fields[cells][0] if layout.headers else len(text)
    ordered = sorted(mentions, key=lambda m: m[0].start)
    starts = [span.start for span, _ in ordered]
    steps = (renderer.render, renderer.adjust, renderer.follow)
    first_header = bisect.bisect_left(starts, header_start)
    tail, _ = replace_spans(text, ordered[first_header:], *steps, start=header_start)
    regions = engine.fields(document, detected.grid, tail)
    kept = frozenset(entity.id for _span, entity in mentions if renderer.kept(entity))
    bounds = [layout.fields[line][0] for line in range(0, cells, block_lines)] + [header_start]
    digest = hashlib.sha256()
    count = 0

    def replaced(writer: CsvWriter) -> Iterator[Replacement]:
        nonlocal count
        out_at = 0
        blocks = [*zip(bounds, bounds[1:])] + ([(header_start, len(text))] if layout.headers else [])
        for start, stop in blocks:
            low, high = bisect.bisect_left(starts, start), bisect.bisect_left(starts, stop)
            out, replacements = replace_spans(text, ordered[low:high], *steps, start=start, stop=stop,
                                              out_start=out_at)
            for r in replacements:
                if SEPARATOR in r.original or SEPARATOR in r.replacement:
                    raise DocumentError(path, N_("a replacement crosses a paragraph or cell boundary"))
            out_at += len(out)
            digest.update(out.encode("utf-8"))
            if start < header_start:
                lines = out.split(SEPARATOR)
                writer.feed(lines[:-1] if stop < len(text) else lines)
            count += len(replacements)
            yield from replacements

    target.parent.mkdir(parents=True, exist_ok=True)
    with atomic_file(target, mode=0o644, sync=False) as handle:
        writer = CsvWriter(layout.data, path, layout.options, tail.split(SEPARATOR) if layout.headers else [],
                           handle, document.encoding)
        audit.write_spool(audit.iter_mention_records(document, replaced(writer), regions, keyfile, kept=kept), spool)
        writer.close()
    return count, audit.document_record(document, tail, count, keyfile, output_sha256=digest.hexdigest())
