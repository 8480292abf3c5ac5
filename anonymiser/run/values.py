"""The small values the phases of a run pass (``pipeline``): sources, settings, results, progress."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from anonymiser.documents import OfficeLimits, TableOptions
from anonymiser.errors import AnonymiserError
from anonymiser.model import Document

if TYPE_CHECKING:
    from anonymiser.engine import DocumentResult


@dataclass(frozen=True)
class Source:
    """One input: where it is, the folder it was found in, its place in the corpus, its size;
    ``document`` when it is already in memory (then nothing is read); ``output``, set after
    ``plan``, the relative path its output is written to, named in its audit records."""

    index: int
    path: str
    root: str | None = None
    size: int = 0
    document: Document | None = field(default=None, repr=False, compare=False)
    output: str = ""  # its output path under the output folder, when it is not its own (``run.names``)


@dataclass(frozen=True)
class Settings:
    """What every task needs to know of the run (small; shipped with each phase). Without
    ``out_dir`` nothing is written: each result is returned whole."""

    out_dir: str = ""
    table_options: TableOptions | None = None
    office_limits: OfficeLimits | None = None
    strategies: dict[str, str] = field(default_factory=dict)
    grid_lines: tuple[str, ...] = ()  # inferred from the corpus, beside the configuration's grid
    distinct_tables: bool = False  # a csv read as its distinct units, written from its file (needs ``out_dir``)


@dataclass(frozen=True)
class Skipped:
    """A document left out, with the error that says why in one line (names the file, no
    content; translated where it is shown, not in the worker)."""

    index: int
    path: str
    reason: AnonymiserError


@dataclass(frozen=True)
class Written:
    """A document pseudonymised: its audit records (keyed hashes, no text) and counts; the
    whole ``result`` when it was not written to a file."""

    index: int
    path: str
    length: int
    mentions: int
    records: tuple[dict[str, Any], ...]
    result: DocumentResult | None = field(default=None, repr=False)
    spool: str = ""  # written to a file: the file of its mention records, which come before ``records``


class Progress(Protocol):
    """Told when a phase starts (how many documents, and ``size``: its work, in characters, or
    in bytes on disk before documents are read) and as documents are done (their characters,
    and their ``size`` when it is not their characters)."""

    def start(self, phase: str, total: int, size: int = 0) -> None: ...

    def advance(self, phase: str, documents: int, chars: int, size: int | None = None) -> None: ...


class _Silent:
    def start(self, phase: str, total: int, size: int = 0) -> None:
        pass

    def advance(self, phase: str, documents: int, chars: int, size: int | None = None) -> None:
        pass
