"""errors: each class has a stable code and exit code; the message names the file and a cause,
translated when shown, never the text of a document; errors cross process boundaries intact."""

from __future__ import annotations

import pickle

import pytest

from anonymiser import errors
from anonymiser.i18n import N_, Message, set_language


@pytest.mark.parametrize(("cls", "code", "exit_code"), [
    (errors.AnonymiserError, "E000", errors.EXIT_USAGE),
    (errors.ConfigError, "E001", 2),
    (errors.DocumentError, "E010", errors.EXIT_SKIPPED),
    (errors.NotFoundError, "E011", errors.EXIT_USAGE),
    (errors.KeyFileError, "E020", errors.EXIT_REFUSED),
    (errors.RefusedError, "E030", 3),
    (errors.UsageError, "E040", 2),
    (errors.WorkerError, "E050", errors.EXIT_INTERNAL),
])
def test_errors_codes_and_exit_codes(cls: type[errors.AnonymiserError], code: str, exit_code: int) -> None:
    error = cls("E01.txt", N_("empty file"))
    assert (error.code, error.exit_code) == (code, exit_code)
    assert isinstance(error, errors.AnonymiserError) and isinstance(error, Exception)


def test_errors_exit_code_values_are_stable() -> None:
    assert (errors.EXIT_OK, errors.EXIT_SKIPPED, errors.EXIT_USAGE, errors.EXIT_REFUSED, errors.EXIT_INTERNAL) == (
        0, 1, 2, 3, 70)
    assert len({cls.code for cls in errors.AnonymiserError.__subclasses__()} | {"E000"}) == 8  # codes are distinct


def test_errors_message_names_the_file_and_the_cause() -> None:
    error = errors.DocumentError("corpus/E01.txt", N_("cannot decode as %(encoding)s"), encoding="utf-16")
    assert str(error) == "corpus/E01.txt: cannot decode as utf-16"
    assert error.cause == "cannot decode as utf-16" and error.path == "corpus/E01.txt"
    assert str(errors.RefusedError(None, N_("re-identification needs --reason"))) == "re-identification needs --reason"


def test_errors_message_is_translated_when_shown() -> None:
    error = errors.DocumentError("E01.txt", N_("empty file"))
    english = str(error)
    set_language("fr")
    assert str(error) != english and str(error).startswith("E01.txt")
    set_language("en")
    assert str(error) == english == "E01.txt: empty file"


def test_errors_carry_no_document_text() -> None:
    """Causes are message ids with parameters; a document's text is never one of them."""
    text = "Odile Brossard vit à Combelorge."
    error = errors.DocumentError("E01.txt", N_("binary file (control characters)"))
    assert text not in str(error) and text not in repr(error.args)
    assert error.args == ("E01.txt", "binary file (control characters)")


def test_errors_cross_processes_with_their_parameters() -> None:
    error = errors.UsageError("--jobs", N_("must be at least %(minimum)s"), minimum=1)
    again = pickle.loads(pickle.dumps(error))
    assert type(again) is errors.UsageError and str(again) == str(error) == "--jobs: must be at least 1"
    assert again.message == Message("must be at least %(minimum)s", {"minimum": 1})
