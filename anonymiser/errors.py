"""Errors with stable codes. Messages never carry personal data: they name a file and a cause.

The cause is an English message id marked with ``N_`` and its parameters; it is translated when
the error is shown (``str(error)``), in the language the CLI chose::

    raise KeyFileError(path, N_("cannot read key file (%(reason)s)"), reason=os_error_text(exc))
"""

from __future__ import annotations

from typing import Any

from anonymiser.i18n import Message, _

EXIT_OK = 0
EXIT_SKIPPED = 1
EXIT_USAGE = 2
EXIT_REFUSED = 3
EXIT_INTERNAL = 70


class AnonymiserError(Exception):
    """Base error: ``code`` is a stable identifier, ``exit_code`` what the CLI returns."""

    code = "E000"
    exit_code = EXIT_USAGE

    def __init__(self, path: str | None, cause: str | Message, **params: Any) -> None:
        self.path = path
        self.message = cause if isinstance(cause, Message) else Message(cause, params)
        super().__init__(path, self.message.msgid)

    @property
    def cause(self) -> str:
        """The cause, in the current language."""
        return str(self.message)

    def __str__(self) -> str:
        return _("%(path)s: %(cause)s") % {"path": self.path, "cause": self.cause} if self.path else self.cause

    def __reduce__(self) -> tuple[Any, ...]:  # across processes, with its parameters
        return type(self), (self.path, self.message)


class ConfigError(AnonymiserError):
    """A rules file is missing or invalid (names the file and the key)."""

    code = "E001"


class DocumentError(AnonymiserError):
    """A document cannot be read: wrong encoding, binary, empty, unreadable."""

    code = "E010"
    exit_code = EXIT_SKIPPED


class NotFoundError(AnonymiserError):
    """An input file does not exist (a document, the key file, an audit log, a CSV, a gold or
    decisions file): a usage error, like a missing option."""

    code = "E011"
    exit_code = EXIT_USAGE


class KeyFileError(AnonymiserError):
    """The key file is missing, damaged, or the passphrase is wrong."""

    code = "E020"
    exit_code = EXIT_REFUSED


class RefusedError(AnonymiserError):
    """An operation was refused (missing reason, audit mismatch)."""

    code = "E030"
    exit_code = EXIT_REFUSED


class UsageError(AnonymiserError):
    """A command-line option cannot be used as given (names the option and the cause)."""

    code = "E040"
    exit_code = EXIT_USAGE



class WorkerError(AnonymiserError):
    """A worker process stopped (killed, out of memory): the run stops; rerun it (the key
    file is consistent, and a rerun gives the same output)."""

    code = "E050"
    exit_code = EXIT_INTERNAL
