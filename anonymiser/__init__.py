"""anonymiser: consistent, auditable, reversible pseudonymisation of French interviews.

The data flows one way: read -> detect -> link -> assign -> replace -> write (+ audit);
re-identification runs it back from the audit log and the key file.

The public API:

- ``Engine(rules=None)``: the rules and the spaCy model, loaded once; ``Engine.detect(text)``
  gives ``Span``s, ``Engine.pseudonymise(documents, key=...)`` pseudonymised texts and their
  audit records, ``Engine.review(...)`` what needs a human look;
- ``KeyFile``: the encrypted key file, where the originals live;
- ``anonymiser.recognizers.french_recognizers()``: our Presidio recognizers, for any
  ``AnalyzerEngine``;
- ``Span``, ``Document``, ``Entity``: the value objects; the errors of ``anonymiser.errors``.

``Engine`` is imported when first used (``anonymiser.Engine``): importing it loads spaCy and
Presidio (3 s), which commands such as ``anonymiser key init`` never need.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from anonymiser.errors import (
    AnonymiserError,
    ConfigError,
    DocumentError,
    KeyFileError,
    NotFoundError,
    RefusedError,
    UsageError,
)
from anonymiser.keys.store import KeyFile
from anonymiser.model import Document, Entity, Span

if TYPE_CHECKING:
    from anonymiser.engine import Engine, Pseudonymised

__version__ = "0.1.0"
__all__ = [
    "AnonymiserError",
    "ConfigError",
    "Document",
    "DocumentError",
    "Engine",
    "Entity",
    "KeyFile",
    "KeyFileError",
    "NotFoundError",
    "Pseudonymised",
    "RefusedError",
    "Span",
    "UsageError",
    "__version__",
]
_LAZY = {"Engine", "Pseudonymised"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        from anonymiser import engine

        return getattr(engine, name)
    raise AttributeError(f"module 'anonymiser' has no attribute {name!r}")
