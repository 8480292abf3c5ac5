"""Structured documents as text: units joined by newlines, and the way back.

A structured document (docx, odt, csv, xlsx) is read as a list of *units* (a paragraph,
a table cell, a link target), one unit per line of ``Document.text``. Each unit is made of
*owners*: the smallest pieces of the file that carry their own formatting (a Word run, an
ODF text node, a spreadsheet cell), each knowing its own text and how to write a new one.

``distribute`` maps a new text back onto the owners: characters outside the edits keep
their owner; the new text of an edit goes to the owner of the edit's first character (the
first run of a span keeps the replacement, the other runs lose the span's characters), or
word by word when old and new have as many words (each word keeps its run).

>>> class Piece:
...     def __init__(self, text): self.text, self.written = text, None
...     def write(self, text): self.written = text
>>> a, b, c = Piece("Isabelle "), Piece("Marchal"), Piece(" parle.")
>>> layout = Units([[a, b, c]])
>>> layout.text
'Isabelle Marchal parle.'
>>> layout.write("Sophie Lambert parle.", [Edit(0, 16, 0, 14)])
>>> a.written, b.written, c.written
('Sophie ', 'Lambert', None)
>>> Units([[a, b, c]]).write("[PER_1] parle.", [Edit(0, 16, 0, 7)])
>>> a.written, b.written, c.written
('[PER_1]', '', None)
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from anonymiser.errors import DocumentError
from anonymiser.i18n import N_

SEPARATOR = "\n"
SOFT_BREAK = "\u2028"  # a line break inside a unit (Word <w:br/>, ODF <text:line-break/>)
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
_TOKENS = re.compile(r"\s+|\S+")


class Owner(Protocol):
    """A piece of a file that holds text with one formatting."""

    @property
    def text(self) -> str: ...

    def write(self, text: str) -> None: ...


@dataclass(frozen=True)
class Edit:
    """``old[start:end]`` became ``new[out_start:out_end]`` (the fields of a ``Replacement``)."""

    start: int
    end: int
    out_start: int
    out_end: int


class EditError(ValueError):
    """Edits that cannot be mapped back onto the units (crossing a unit boundary); the argument
    is a message id, shown translated in the ``DocumentError`` it becomes."""


class Units:
    """The units of one structured document, in reading order."""

    def __init__(self, units: Sequence[Sequence[Owner]]) -> None:
        # a list given is kept, not copied (a table gives one per cell)
        self.units = [unit if isinstance(unit, list) else list(unit) for unit in units]
        self.text = SEPARATOR.join("".join(owner.text for owner in unit) for unit in self.units)
        if self.text.count(SEPARATOR) != max(len(self.units) - 1, 0):
            raise ValueError("a unit contains the unit separator")

    def write(self, new: str, edits: Sequence[Edit] | None = None) -> None:
        """Write ``new`` (the text after ``edits``) into the owners whose text changed."""
        old = self.text
        if edits is None:
            edits = line_edits(old, new)
        if all(len(unit) == 1 for unit in self.units):
            self._write_lines(new, edits)
            return
        owners: list[Owner | None] = []
        for index, unit in enumerate(self.units):
            if index:
                owners.append(None)
            for owner in unit:
                owners.extend([owner] * len(owner.text))
        pieces: dict[int, list[str]] = {}
        cursor = 0
        for edit in sorted(edits, key=lambda e: (e.start, e.end)):
            if edit.start < cursor:
                raise EditError(N_("overlapping edits"))
            _keep(old, owners, cursor, edit.start, pieces)
            if SEPARATOR in old[edit.start:edit.end] or SEPARATOR in new[edit.out_start:edit.out_end]:
                raise EditError(N_("a replacement crosses a paragraph or cell boundary"))
            for target, piece in _split(old, new, owners, edit):
                pieces.setdefault(id(target), []).append(piece)
            cursor = edit.end
        _keep(old, owners, cursor, len(old), pieces)
        rebuilt = SEPARATOR.join("".join("".join(pieces.get(id(o), ())) for o in unit) for unit in self.units)
        if rebuilt != new:
            raise EditError(N_("edits do not match the new text"))
        for unit in self.units:
            for owner in unit:
                text = "".join(pieces.get(id(owner), ()))
                if text != owner.text:
                    owner.write(text)


    def _write_lines(self, new: str, edits: Sequence[Edit]) -> None:
        """``write`` when each unit has one owner (a table's cells): each owner takes its line
        of ``new``, checked against ``edits``; time and memory linear in the text, not a list
        entry per character."""
        old, rebuilt, cursor = self.text, [], 0
        for edit in sorted(edits, key=lambda e: (e.start, e.end)):
            if edit.start < cursor:
                raise EditError(N_("overlapping edits"))
            if SEPARATOR in old[edit.start:edit.end] or SEPARATOR in new[edit.out_start:edit.out_end]:
                raise EditError(N_("a replacement crosses a paragraph or cell boundary"))
            if edit.start == edit.end and _empty_at(old, edit.start):
                raise EditError(N_("an insertion into an empty paragraph or cell"))
            rebuilt += [old[cursor:edit.start], new[edit.out_start:edit.out_end]]
            cursor = edit.end
        rebuilt.append(old[cursor:])
        if "".join(rebuilt) != new:
            raise EditError(N_("edits do not match the new text"))
        lines = new.split(SEPARATOR)
        if len(lines) != len(self.units):
            raise EditError(N_("edits do not match the new text"))
        for (owner,), line in zip(self.units, lines):
            if line != owner.text:
                owner.write(line)


def _empty_at(text: str, index: int) -> bool:
    """Whether ``index`` is in an empty line of ``text`` (no character on either side)."""
    before = index == 0 or text[index - 1] == SEPARATOR
    after = index == len(text) or text[index] == SEPARATOR
    return before and after


def _keep(old: str, owners: Sequence[Owner | None], start: int, end: int, pieces: dict[int, list[str]]) -> None:
    for index in range(start, end):
        owner = owners[index]
        if owner is not None:
            pieces.setdefault(id(owner), []).append(old[index])


def _split(old: str, new: str, owners: Sequence[Owner | None], edit: Edit) -> list[tuple[Owner, str]]:
    """Where the new text of an edit goes. Word by word when the old and new text have the
    same shape ("Isabelle **Marchal**" -> "Sophie **Lambert**": each word takes the run of
    the word it replaces); else the last word in the run of the last replaced word and the
    rest in the owner of the first replaced character."""
    before, after = old[edit.start:edit.end], new[edit.out_start:edit.out_end]
    old_tokens, new_tokens = _TOKENS.findall(before), _TOKENS.findall(after)
    if len(old_tokens) > 1 and [t.isspace() for t in old_tokens] == [t.isspace() for t in new_tokens]:
        result: list[tuple[Owner, str]] = []
        at = edit.start
        for old_token, new_token in zip(old_tokens, new_tokens):
            owner = owners[at]
            if owner is None:
                break
            result.append((owner, new_token))
            at += len(old_token)
        else:
            return result
    # other shapes ("Isabelle **Marchal**" -> "Anne-Laure de **Tour**"): the last word still
    # takes the run of the last word it replaces, the rest goes to the first run
    last_old, last_new = before.rstrip().rfind(" ") + 1, after.rstrip().rfind(" ") + 1
    if last_old > 0 and last_new > 0 and (last := owners[edit.start + last_old]) is not None:
        first = _owner_for(owners, edit.start, edit.end)
        return [(first, after[:last_new]), (last, after[last_new:])]
    return [(_owner_for(owners, edit.start, edit.end), after)]


def _owner_for(owners: Sequence[Owner | None], start: int, end: int) -> Owner:
    """The owner of an edit: that of its first character, else (insertion) its neighbour's."""
    candidates = [start] if end > start else [start - 1, start]
    for index in candidates:
        if 0 <= index < len(owners) and (owner := owners[index]) is not None:
            return owner
    raise EditError(N_("an insertion into an empty paragraph or cell"))


def line_edits(old: str, new: str) -> list[Edit]:
    """Edits between two texts with the same lines count: one per changed line (common
    prefix and suffix kept), for callers that do not know their replacements."""
    old_lines, new_lines = old.split(SEPARATOR), new.split(SEPARATOR)
    if len(old_lines) != len(new_lines):
        raise EditError(N_("the new text does not have one line per paragraph or cell"))
    edits = []
    old_at = new_at = 0
    for a, b in zip(old_lines, new_lines):
        if a != b:
            prefix = 0
            while prefix < min(len(a), len(b)) and a[prefix] == b[prefix]:
                prefix += 1
            suffix = 0
            while suffix < min(len(a), len(b)) - prefix and a[-1 - suffix] == b[-1 - suffix]:
                suffix += 1
            edits.append(Edit(old_at + prefix, old_at + len(a) - suffix, new_at + prefix, new_at + len(b) - suffix))
        old_at += len(a) + 1
        new_at += len(b) + 1
    return edits


def deterministic_zip(data: bytes, *, stored: Iterable[str] = ("mimetype",),
                      rewrite: Mapping[str, Callable[[bytes], bytes]] | None = None) -> bytes:
    """Rewrite a zip with fixed entry dates and attributes, same entry order (byte-identical
    output for identical content); ``rewrite`` maps entry names to a transformation of
    their bytes (to fix a time stamp written inside a file)."""
    keep_stored, rewrite = set(stored), dict(rewrite or {})
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=ZIP_DATE)
            entry.compress_type = zipfile.ZIP_STORED if info.filename in keep_stored else zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            entry.create_system = 3
            content = source.read(info.filename)
            if info.filename in rewrite:
                content = rewrite[info.filename](content)
            target.writestr(entry, content)
    return out.getvalue()


def non_empty(text: str, path: str) -> str:
    """The units' text of a structured document, refused when it holds no text at all."""
    if not text.strip():
        raise DocumentError(path, N_("empty document"))
    return text
