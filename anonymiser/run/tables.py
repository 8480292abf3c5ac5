"""Replace and write one document; a csv block by block, cell by cell, so that a table of any length fits in memory."""

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
from anonymiser.documents.table_stream import CsvUnits, imposed, unit_key
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
    if layout is not None and layout.repeats is not None:  # a csv read as its distinct units
        if target is None or spool is None:
            raise DocumentError(document.path, N_("a table read as its distinct cells is written to a file"))
        count, record = replace_streamed(engine, document, mentions, renderer, keyfile, spool, target,
                                         block_lines=BLOCK_LINES)
        return count, (record,), None
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

    Each cell is rewritten on its own text (``Cells``: a repeated cell once): a replacement
    never reaches across a cell's line (in the whole text, one that would is refused, as
    ``Units.write`` refuses it), so each block is written as the whole text would be. The
    header units, last in the text, are rewritten first (the header row comes first and the
    audit names the columns by their new names), their records last."""
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
        cells = Cells(text, steps)
        for start, stop in zip(bounds, bounds[1:]):
            low, high = bisect.bisect_left(starts, start), bisect.bisect_left(starts, stop)
            lines, replacements = cells.block(ordered[low:high], start, stop, out_at)
            out = SEPARATOR.join(lines) + (SEPARATOR if stop < len(text) else "")
            out_at += len(out)
            digest.update(out.encode("utf-8"))
            writer.feed(lines)
            count += len(replacements)
            yield from replacements
        if layout.headers:
            start, stop = header_start, len(text)
            low, high = bisect.bisect_left(starts, start), len(starts)
            out, replacements = replace_spans(text, ordered[low:high], *steps, start=start, stop=stop,
                                              out_start=out_at)
            for r in replacements:
                if SEPARATOR in r.original or SEPARATOR in r.replacement:
                    raise DocumentError(path, N_("a replacement crosses a paragraph or cell boundary"))
            digest.update(out.encode("utf-8"))
            count += len(replacements)
            yield from replacements

    target.parent.mkdir(parents=True, exist_ok=True)
    with atomic_file(target, mode=0o644, sync=False) as handle:
        writer = CsvWriter(layout.data, path, layout.options, tail.split(SEPARATOR) if layout.headers else [],
                           handle, document.encoding)
        audit.write_spool(audit.iter_mention_records(document, replaced(writer), regions, keyfile, kept=kept), spool)
        writer.close()
    return count, audit.document_record(document, tail, count, keyfile, output_sha256=digest.hexdigest())


CACHE_CELLS = 65_536  # distinct cells whose new text is remembered (then forgotten all at once)


class Cells:
    """The cells of a table rewritten one at a time, each on its own text (a replacement never
    reads nor reaches across a cell), so that a cell that repeats another, with the same
    mentions of the same entities, is rewritten once: spreadsheets of open answers repeat
    many cells. ``steps``: the renderer's render, adjust and follow."""

    def __init__(self, text: str, steps: tuple[Any, Any, Any]) -> None:
        self.text, self.steps = text, steps
        self.done: dict[tuple[Any, ...], tuple[str, list[Replacement]]] = {}

    def block(self, mentions: Sequence[tuple[Span, Entity]], start: int, stop: int,
              out_start: int) -> tuple[list[str], list[Replacement]]:
        """The new text of the cells of ``text[start:stop]`` (a stretch of whole lines), one
        line each, and their replacements (offsets in the whole text, output offsets from
        ``out_start``); ``mentions`` are those of the stretch, in text order."""
        text = self.text
        lines = text[start:stop].split(SEPARATOR)
        if stop < len(text):
            lines.pop()  # the stretch ends with the line break after its last cell
        new: list[str] = []
        found: list[Replacement] = []
        at, out_at, next_mention = start, out_start, 0
        for line in lines:
            end = at + len(line)
            first = next_mention
            while next_mention < len(mentions) and mentions[next_mention][0].start < end:
                next_mention += 1
            if first == next_mention:
                new.append(line)
            else:
                written, replacements = self._cell(line, mentions[first:next_mention], at)
                new.append(written)
                found += [Replacement(r.start + at, r.end + at, r.out_start + out_at, r.out_end + out_at, r.original,
                                      r.replacement, r.label, r.entity_id, r.score, r.recognizer, r.context,
                                      r.propagated, r.after, r.after_out) for r in replacements]
            out_at += len(new[-1]) + 1
            at = end + 1
        return new, found

    def _cell(self, line: str, mentions: Sequence[tuple[Span, Entity]], at: int) -> tuple[str, list[Replacement]]:
        key = (line, *((s.start - at, s.end - at, s.label, s.score, s.recognizer, s.propagated, e.id)
                       for s, e in mentions))
        done = self.done.get(key)
        if done is None:
            moved = [(Span(s.start - at, s.end - at, s.label, s.text, s.score, s.recognizer, s.propagated), e)
                     for s, e in mentions]
            done = replace_spans(line, moved, *self.steps)
            if len(self.done) >= CACHE_CELLS:
                self.done.clear()
            self.done[key] = done
        return done


def replace_streamed(engine: Engine, document: Document, mentions: Sequence[tuple[Span, Entity]],
                     renderer: Renderer, keyfile: KeyFile, spool: IO[str], target: Path, *,
                     block_lines: int = 8192) -> tuple[int, dict[str, Any]]:
    """``replace_table`` for a csv read as its distinct units (``Layout.repeats``, see
    ``documents.table_stream``): ``mentions`` lie in its distinct units; the table's units are
    read again from its file, a block of rows at a time, and each is rewritten as its distinct
    unit is (once: ``CACHE_CELLS``), with the offsets, lines and fields of the whole table's
    text. Same output, records and document record as ``replace_table`` on the whole table."""
    layout = document.layout
    assert layout is not None and layout.repeats is not None
    repeats, text, path = layout.repeats, document.text, document.path
    steps = (renderer.render, renderer.adjust, renderer.follow)
    per_unit: dict[int, list[tuple[Span, Entity]]] = {}
    for span, entity in sorted(mentions, key=lambda m: m[0].start):
        unit = repeats.unit_at(span.start)
        base = repeats.starts[unit]
        per_unit.setdefault(unit, []).append((Span(span.start - base, span.end - base, span.label, span.text,
                                                   span.score, span.recognizer, span.propagated), entity))

    def unit_text(unit: int) -> str:
        end = text.find(SEPARATOR, repeats.starts[unit])
        return text[repeats.starts[unit]:end if end >= 0 else len(text)]

    # the header units, last in the text, are rewritten first (the header row comes first)
    header_texts = [unit_text(unit) for unit in repeats.headers]
    tail_mentions, at = [], 0
    for unit, value in zip(repeats.headers, header_texts, strict=True):
        tail_mentions += [(Span(s.start + at, s.end + at, s.label, s.text, s.score, s.recognizer, s.propagated), e)
                          for s, e in per_unit.get(unit, ())]
        at += len(value) + 1
    tail_text = SEPARATOR.join(header_texts)
    tail, tail_replacements = replace_spans(tail_text, tail_mentions, *steps)
    for r in tail_replacements:
        if SEPARATOR in r.original or SEPARATOR in r.replacement:
            raise DocumentError(path, N_("a replacement crosses a paragraph or cell boundary"))
    renamed = layout.renamed(tail) if layout.headers else {}
    kept = frozenset(entity.id for _span, entity in mentions if renderer.kept(entity))
    reader = CsvUnits(Path(repeats.source), path, layout.options, document.encoding, repeats.dialect)
    # a cell is known by its text and imposed span (``unit_key``): only the units with a mention are looked for
    imposed_in = {(unit := repeats.unit_at(s)): (s - repeats.starts[unit], e - repeats.starts[unit], label)
                  for s, e, label in layout.spans}
    wanted = {unit_key(unit_text(unit), imposed_in.get(unit)): unit for unit in per_unit}
    digest, hasher = hashlib.sha256(), keyfile.keyed_hasher()
    done: dict[int, tuple[str, list[Replacement]]] = {}
    fields: dict[str, str] = {}
    count = cells = 0

    def records(writer: CsvWriter) -> Iterator[dict[str, Any]]:
        nonlocal count, cells
        at = out_at = 0
        lines: list[str] = []
        originals: list[str] = []
        for value, column, label in reader.units():
            if column is None:
                continue  # a header: rewritten above
            cells += 1
            new = value
            unit = wanted.get(unit_key(value, imposed(value, label))) if wanted else None
            if unit is not None:
                cached = done.get(unit)
                if cached is None:
                    if len(done) >= CACHE_CELLS:
                        done.clear()
                    cached = done[unit] = replace_spans(value, per_unit[unit], *steps)
                new = cached[0]
                field = fields.get(column)
                if field is None:
                    field = fields[column] = engine.field_of(column, renamed)
                for r in cached[1]:
                    count += 1
                    yield audit.mention_record(document, _moved(r, at, out_at), cells, field, keyfile, kept)
            lines.append(new)
            originals.append(value)
            at += len(value) + 1
            out_at += len(new) + 1
            if len(lines) >= block_lines:
                _block(writer, lines, originals, digest, hasher, cells == len(lines))
        _block(writer, lines, originals, digest, hasher, cells == len(lines))
        if not layout.headers:
            return
        for r in tail_replacements:
            count += 1
            at_line = cells + 1 + tail_text.count(SEPARATOR, 0, r.start)
            yield audit.mention_record(document, _moved(r, at, out_at), at_line, engine.field_of("", renamed),
                                       keyfile, kept)

    target.parent.mkdir(parents=True, exist_ok=True)
    with atomic_file(target, mode=0o644, sync=False) as handle:
        writer = CsvWriter(Path(repeats.source), path, layout.options,
                           tail.split(SEPARATOR) if layout.headers else [], handle, document.encoding,
                           dialect=repeats.dialect)
        audit.write_spool(records(writer), spool)
        writer.close()
    if layout.headers:  # the header units end the text
        start = SEPARATOR if cells else ""
        digest.update((start + tail).encode("utf-8"))
        hasher.update(start + tail_text)
    return count, audit.document_record(document, tail, count, keyfile, output_sha256=digest.hexdigest(),
                                        input_hash=hasher.hexdigest())


def _block(writer: CsvWriter, lines: list[str], originals: list[str], digest: Any, hasher: Any, first: bool) -> None:
    """Write a block of cells' new lines; hash them and their originals (``first``: the
    block that begins the table's text, no line break before it); empty both lists."""
    if lines:
        start = "" if first else SEPARATOR
        writer.feed(lines)
        digest.update((start + SEPARATOR.join(lines)).encode("utf-8"))
        hasher.update(start + SEPARATOR.join(originals))
    lines.clear()
    originals.clear()


def _moved(r: Replacement, at: int, out_at: int) -> Replacement:
    return Replacement(r.start + at, r.end + at, r.out_start + out_at, r.out_end + out_at, r.original,
                       r.replacement, r.label, r.entity_id, r.score, r.recognizer, r.context, r.propagated,
                       r.after, r.after_out)
