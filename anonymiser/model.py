"""Value objects that flow between the stages. All frozen; spans check their own text."""

from __future__ import annotations

import bisect
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from anonymiser.text.grid import GridRegion

LABELS: tuple[str, ...] = (
    "PERSON",
    "ROLE",
    "ORGANIZATION",
    "MUNICIPALITY",
    "LOCATION",
    "EMAIL_ADDRESS",
    "PHONE_NUMBER",
    "URL",
    "ADDRESS",
)


@dataclass(frozen=True)
class Repeats:
    """A table read as its distinct units (``documents.table_stream``): its ``Document.text``
    holds each distinct unit once, one a line, in the order they first come; ``counts``, per
    distinct unit, how many units of the whole table it stands for; ``starts``, where each
    begins in that text; ``length``, the characters of the whole table's text; ``source``,
    the file it is read from again, a block of rows at a time, to be written."""

    counts: Sequence[int]
    starts: Sequence[int]
    length: int
    source: str
    dialect: tuple[str, str] = (",", "\n")
    headers: tuple[int, ...] = ()  # the distinct unit of each header unit (the last units of the table)

    def unit_at(self, offset: int) -> int:
        """The distinct unit that holds ``offset`` of the text."""
        return bisect.bisect_right(self.starts, offset) - 1

    def weights(self, spans: Sequence[Span]) -> tuple[int, ...]:
        """Per span, how many units of the whole table it stands for."""
        return tuple(self.counts[self.unit_at(span.start)] for span in spans)


@dataclass(frozen=True)
class Layout:
    """How a structured document (docx, odt, csv, xlsx) was read, so that it can be written
    back: its ``text`` is one unit (paragraph, cell) per line.

    ``fields`` gives the field of the units that name one (a table cell: its column), as
    ``(offset, name)``; ``spans`` are stretches that are one entity whatever detection says
    (identifier cells), as ``(start, end, label)``; ``options`` are the reader's options.
    """

    format: str
    data: bytes = field(repr=False, default=b"")
    fields: tuple[tuple[int, str], ...] = ()
    spans: tuple[tuple[int, int, str], ...] = ()
    options: Any = None
    columns: tuple[str, ...] = ()
    headers: tuple[tuple[str, str], ...] = ()
    repeats: Repeats | None = None  # a table read as its distinct units (``run``: a table of any length)

    def renamed(self, output: str) -> dict[str, str]:
        """Each column name -> its name in ``output`` (this document's text once pseudonymised,
        whose last units are the ``headers``); the first one when two sheets share a name."""
        if not self.headers:
            return {}
        new = output.rsplit("\n", len(self.headers))[-len(self.headers):]
        found: dict[str, str] = {}
        for (kind, name), written in zip(self.headers, new, strict=True):
            if kind == "column":
                found.setdefault(name, written.replace("\u2028", "\n").replace("\u2029", "\r"))
        return found


@dataclass(frozen=True)
class Document:
    """A decoded document. ``id`` is the file stem; ``path`` is where it came from;
    ``layout`` is set for structured documents (``None`` for plain text)."""

    id: str
    text: str
    path: str = ""
    encoding: str = "utf-8"
    layout: Layout | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, slots=True)  # millions in a long text: no __dict__ each
class Span:
    """A detected mention: half-open code-point offsets into ``Document.text``.

    ``recognizer`` is the rule or recognizer id (``fr.person.title_surname``) that
    travels into the audit log. ``propagated`` spans were not found by that rule here but
    by searching a form found elsewhere (by ``recognizer``, or in the key file).
    """

    start: int
    end: int
    label: str
    text: str
    score: float = 1.0
    recognizer: str = ""
    propagated: bool = False

    def __post_init__(self) -> None:
        if not 0 <= self.start < self.end:
            raise ValueError(f"bad span offsets {self.start}:{self.end}")
        if len(self.text) != self.end - self.start:
            raise ValueError(f"span text length does not match offsets {self.start}:{self.end}")
        if self.label not in LABELS:
            raise ValueError(f"unknown label {self.label!r}")

    @classmethod
    def of(cls, text: str, start: int, end: int, label: str, *, score: float = 1.0,
           recognizer: str = "", propagated: bool = False) -> Span:
        """Build a span from the document text, so that ``span.text == text[start:end]``."""
        return cls(start, end, label, text[start:end], score, recognizer, propagated)

    def moved(self, text: str, start: int, end: int) -> Span:
        """This span on another stretch of ``text`` (clipped or widened), with its label, score,
        rule and origin."""
        return Span.of(text, start, end, self.label, score=self.score, recognizer=self.recognizer,
                       propagated=self.propagated)

    def check(self, text: str) -> None:
        """Raise if this span does not lie on ``text``."""
        if text[self.start:self.end] != self.text:
            raise ValueError(f"span {self.start}:{self.end} does not match its document")

    def overlaps(self, other: Span) -> bool:
        return self.start < other.end and other.start < self.end

    @property
    def length(self) -> int:
        return self.end - self.start


@dataclass(frozen=True)
class Entity:
    """One real-world entity and every surface form it has been seen under.

    ``pseudonym`` is the replacement of the canonical form; person pseudonyms also
    carry their parts so that each variant gets the matching form.
    """

    id: str
    label: str
    canonical: str
    variants: tuple[str, ...]
    pseudonym: str
    origin: str = "detected"  # "manual" or "detected"
    first_document: str = ""
    attributes: tuple[tuple[str, str], ...] = field(default=())

    def attribute(self, key: str, default: str = "") -> str:
        return dict(self.attributes).get(key, default)


@dataclass(frozen=True, slots=True)  # millions in a long text: no __dict__ each
class Mention:
    """A span of one document assigned to an entity."""

    document: str
    span: Span
    entity_id: str


@dataclass(frozen=True, slots=True)  # millions in a long text: no __dict__ each
class Replacement:
    """A replacement applied to a document, with input and output offsets.

    ``context`` characters before the mention are part of the range when grammar changed
    them ("d'Isabelle" -> "de Sophie": ``original`` is "d'Isabelle", ``context`` 2); ``after``
    characters after it, when words agree with a neutral phrase ("la Bergerie, elle" -> "un
    lieu, il": ``after`` 6), written as the last ``after_out`` characters of ``replacement``.
    """

    start: int
    end: int
    out_start: int
    out_end: int
    original: str
    replacement: str
    label: str
    entity_id: str
    score: float
    recognizer: str
    context: int = 0
    propagated: bool = False
    after: int = 0
    after_out: int = 0


DIGEST_CHARS = 1 << 20  # characters encoded at a time: a long text is not copied whole to be hashed


def digest(text: str) -> str:
    """A short digest of a document's text: a later phase checks that it reads the same text."""
    hashed = hashlib.blake2b(digest_size=16)
    for at in range(0, len(text), DIGEST_CHARS):
        hashed.update(text[at:at + DIGEST_CHARS].encode("utf-8", "surrogatepass"))
    return hashed.hexdigest()


@dataclass(frozen=True)
class Detected:
    """One document between the phases of a run, without its text: its spans (after
    ``find``, then after ``propagate``), where its grid text lies, and, after ``propagate``,
    per span the gender of a civility before it (F, M or ""; before an organisation, what its
    article says: ``text.grammar.article_shape``), and the first names of the
    lexicon written in it (folded: no pseudonym of the run reuses one). ``index`` is its place
    in the corpus; ``digest`` and ``length`` tell a later phase that it reads the same text.
    ``label_votes``, after ``find``: the evidence of its mentions for their labels, per form
    (folded form, label, weight of evidence, weight of rules; see ``detect.label_votes``).
    ``name_spans``, after ``find``: what detection found in its path (``run.names.name_text``):
    start, end, label."""

    index: int
    document_id: str
    path: str
    digest: str
    length: int
    spans: tuple[Span, ...]
    grid: tuple[GridRegion, ...] = ()
    civility: tuple[str, ...] = ()
    first_names: tuple[str, ...] = ()
    label_votes: tuple[tuple[str, str, int, int], ...] = field(default=(), repr=False)
    name_spans: tuple[tuple[int, int, str], ...] = field(default=(), repr=False)  # in its file name
    # per span, the places it stands for (a table read as its distinct units: ``Repeats``); () when one each
    weights: tuple[int, ...] = field(default=(), repr=False)

    @classmethod
    def of(cls, document: Document, spans: tuple[Span, ...], grid: tuple[GridRegion, ...] = (), *,
           index: int = 0) -> Detected:
        return cls(index, document.id, document.path, digest(document.text), len(document.text), spans, grid)
