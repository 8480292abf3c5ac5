"""Errors with stable codes. Messages never carry personal data: they name a file and a cause."""

from __future__ import annotations

EXIT_OK = 0
EXIT_SKIPPED = 1
EXIT_USAGE = 2
EXIT_REFUSED = 3


class AnonymiserError(Exception):
    """Base error: ``code`` is a stable identifier, ``exit_code`` what the CLI returns."""

    code = "E000"
    exit_code = EXIT_USAGE

    def __init__(self, path: str | None, cause: str) -> None:
        self.path = path
        self.cause = cause
        super().__init__(f"{path}: {cause}" if path else cause)


class ConfigError(AnonymiserError):
    """A rules file is missing or invalid (names the file and the key)."""

    code = "E001"


class DocumentError(AnonymiserError):
    """A document cannot be read: wrong encoding, binary, empty, unreadable."""

    code = "E010"
    exit_code = EXIT_SKIPPED


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
