"""Replace and write one plain text piece by piece: its output and its replacements (together
ten times its size in memory) are never all held at once."""

from __future__ import annotations

import codecs
import hashlib
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from anonymiser import audit
from anonymiser.documents.files import atomic_file
from anonymiser.errors import DocumentError
from anonymiser.i18n import N_
from anonymiser.keys.store import KeyFile
from anonymiser.model import Detected, Document, Entity, Replacement, Span
from anonymiser.render.replace import iter_replaced
from anonymiser.render.strategies import Renderer

if TYPE_CHECKING:
    from anonymiser.engine import Engine

WRITE_CHARS = 1 << 16  # output characters gathered before they are encoded and written


def replace_text(engine: Engine, document: Document, detected: Detected, mentions: Sequence[tuple[Span, Entity]],
                 renderer: Renderer, keyfile: KeyFile, spool: IO[str], target: Path, *,
                 write_chars: int = WRITE_CHARS) -> tuple[int, dict[str, Any]]:
    """Pseudonymise the plain text ``document`` into ``target`` (atomically, not synced: the
    caller syncs a batch) as the replacements come, its mention records to ``spool``. Returns
    the number of replacements and the document's record: the bytes, records and record that
    ``Engine.replace`` and ``write_document`` make of the whole text at once."""
    if document.layout is not None:
        raise ValueError("replace_text writes plain text only")
    kept = frozenset(entity.id for _span, entity in mentions if renderer.kept(entity))
    encoder = codecs.getincrementalencoder(document.encoding)()  # a BOM once, at the start
    digest = hashlib.sha256()
    count = 0
    target.parent.mkdir(parents=True, exist_ok=True)
    with atomic_file(target, mode=0o644, sync=False) as handle:
        waiting: list[str] = []
        size = 0

        def write(final: bool = False) -> None:
            nonlocal size
            piece = "".join(waiting)
            waiting.clear()
            size = 0
            digest.update(piece.encode("utf-8"))
            try:
                handle.write(encoder.encode(piece, final))
            except UnicodeEncodeError:
                raise DocumentError(document.path, N_("a pseudonym cannot be written in %(encoding)s"),
                                    encoding=document.encoding) from None

        def replaced() -> Iterator[Replacement]:
            nonlocal count, size
            for before, replacement in iter_replaced(document.text, list(mentions), renderer.render,
                                                     renderer.adjust, renderer.follow):
                waiting.append(before)
                size += len(before)
                if replacement is not None:
                    waiting.append(replacement.replacement)
                    size += len(replacement.replacement)
                    count += 1
                    yield replacement
                if size >= write_chars:
                    write()

        audit.write_spool(audit.iter_mention_records(document, replaced(), engine.fields(document, detected.grid),
                                                     keyfile, kept=kept), spool)
        write(final=True)
    return count, audit.document_record(document, "", count, keyfile, output_sha256=digest.hexdigest())
