"""JSON written a piece at a time: the key file's payload is never one string, nor one set of
objects, in memory (a run with hundreds of thousands of forms took hundreds of MiB to save).

``Items`` and ``Pairs`` stand for a JSON array and a JSON object whose members are made as
they are written; ``pieces`` writes a value holding them exactly as ``json.dumps(value,
ensure_ascii=False, sort_keys=True)`` writes the same value made whole.

    >>> "".join(pieces({"b": Items(iter([1, {"y": 2, "x": 3}])), "a": Pairs(iter([("k", [])]))}))
    '{"a": {"k": []}, "b": [1, {"x": 3, "y": 2}]}'
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterable, Iterator
from typing import Any


class Items:
    """A JSON array whose items come from ``items`` as it is written (once)."""

    def __init__(self, items: Iterable[Any]) -> None:
        self.items = items


class Pairs:
    """A JSON object whose ``(key, value)`` pairs come from ``pairs``, already in key order."""

    def __init__(self, pairs: Iterable[tuple[str, Any]]) -> None:
        self.pairs = pairs


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


BATCH = 1000  # members of an array or object written by one ``json.dumps``


def pieces(value: Any) -> Iterator[str]:
    """The JSON text of ``value`` (see the module's docstring), in pieces: an ``Items`` or
    ``Pairs`` ``BATCH`` members at a time (members that are ``Items`` or ``Pairs`` one by one)."""
    if isinstance(value, Items | Pairs):
        lazy = isinstance(value, Items)
        members = iter(value.items if isinstance(value, Items) else value.pairs)
        yield "[" if lazy else "{"
        first = True
        while batch := list(itertools.islice(members, BATCH)):
            if not first:
                yield ", "
            first = False
            if any(isinstance(m if lazy else m[1], Items | Pairs) for m in batch):
                for index, member in enumerate(batch):
                    yield ", " if index else ""
                    if not lazy:
                        yield _dumps(member[0]) + ": "
                    yield from pieces(member if lazy else member[1])
            else:  # the batch written as json.dumps writes it, less its brackets (pairs in order stay so)
                yield _dumps(batch if lazy else dict(batch))[1:-1]
        yield "]" if lazy else "}"
    elif isinstance(value, dict):
        yield "{"
        for index, (key, item) in enumerate(sorted(value.items())):
            yield (", " if index else "") + _dumps(key) + ": "
            yield from pieces(item)
        yield "}"
    else:
        yield _dumps(value)


def encoded(texts: Iterable[str], size: int = 1 << 20) -> Iterator[bytes]:
    """``texts`` in UTF-8, gathered into pieces of about ``size`` bytes."""
    buffer: list[str] = []
    held = 0
    for text in texts:
        buffer.append(text)
        held += len(text)
        if held >= size:
            yield "".join(buffer).encode("utf-8")
            buffer, held = [], 0
    if buffer:
        yield "".join(buffer).encode("utf-8")
