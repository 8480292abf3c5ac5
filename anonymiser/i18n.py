"""Messages in the user's language: one gettext catalogue, English message ids, French translations.

The catalogue is ``anonymiser/locale/fr/LC_MESSAGES/anonymiser.po``; it is compiled to ``.mo``
when the package is built (``setup.py``), never committed. The language is chosen once, when the
CLI starts (:func:`choose_language`): ``--lang`` > ``LC_ALL`` > ``LC_MESSAGES`` > ``LANG``; a value
starting with ``fr`` gives French, anything else English.

Nothing is translated at import time. Code that prints calls :func:`_` or :func:`ngettext`;
library code marks its message with :func:`N_` and passes it on untranslated, with its parameters,
as a :class:`Message` (errors carry one), which is translated when it is shown::

    >>> str(Message(N_("damaged audit record at line %(line)s"), {"line": 3}))
    'damaged audit record at line 3'

Click's own messages ("Usage:", "Missing option"...) go through the same catalogue: click calls
``gettext.gettext`` through a name ``_`` in each of its modules, which :func:`_route_click` points
at :func:`_`. Labels keep their codes in files; :func:`label_name` names them (the review
report), :func:`screen_label` is what the CLI shows (codes in English, names in French).
"""

from __future__ import annotations

import errno
import gettext as _gettext
import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DOMAIN = "anonymiser"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
LANGUAGES = ("en", "fr")
SOURCE_LANGUAGE = "en"
LOCALE_VARIABLES = ("LC_ALL", "LC_MESSAGES", "LANG")

# The one process-wide setting, like gettext's own: set by the CLI at start, read when a message
# is shown. English (the message ids themselves) until then.
_active: _gettext.NullTranslations = _gettext.NullTranslations()
_language = SOURCE_LANGUAGE
_from_args = False


class CatalogueMissing(RuntimeError):
    """The compiled French catalogue is not installed (``make install`` compiles it)."""


def language_from_env(environ: Mapping[str, str] | None = None) -> str:
    """The language of the locale: the first set of LC_ALL, LC_MESSAGES, LANG; ``fr*`` is French.

    >>> language_from_env({"LANG": "fr_FR.UTF-8"}), language_from_env({"LC_ALL": "C", "LANG": "fr_FR"})
    ('fr', 'en')
    """
    environ = os.environ if environ is None else environ
    for name in LOCALE_VARIABLES:
        value = environ.get(name, "")
        if value:
            return "fr" if value.lower().startswith("fr") else SOURCE_LANGUAGE
    return SOURCE_LANGUAGE


def language_from_args(args: list[str]) -> str | None:
    """``--lang fr`` or ``--lang=fr`` among the options before the command, if any (else None)."""
    for index, arg in enumerate(args):
        if arg == "--lang" and index + 1 < len(args):
            value = args[index + 1]
        elif arg.startswith("--lang="):
            value = arg.split("=", 1)[1]
        elif arg.startswith("-"):
            continue
        else:
            return None  # the command: options after it are its own
        return value if value in LANGUAGES else None
    return None


def choose_language(args: list[str], environ: Mapping[str, str] | None = None) -> str:
    """Set the language from the command line, else the locale; returns it."""
    global _from_args
    given = language_from_args(args)
    _from_args = given is not None
    language = given or language_from_env(environ)
    set_language(language)
    return language


def language_given() -> bool:
    """Whether ``--lang`` chose the language (a project file's language does not override it)."""
    return _from_args


def set_language(language: str) -> None:
    """Make ``language`` ('en' or 'fr') the language of every message shown from now on."""
    global _active, _language
    if language not in LANGUAGES:
        raise ValueError(f"unsupported language {language!r}")
    _route_click()
    if language == SOURCE_LANGUAGE:
        _active, _language = _gettext.NullTranslations(), language
        return
    try:
        translations = _gettext.translation(DOMAIN, LOCALE_DIR, languages=[language])
    except FileNotFoundError as exc:
        raise CatalogueMissing(str(LOCALE_DIR)) from exc
    _active, _language = translations, language


def current_language() -> str:
    return _language


def _(message: str) -> str:
    """``message`` (an English message id) in the current language."""
    return _active.gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    """The singular or plural message for ``count``, in the current language (French: 0 and 1 singular)."""
    return _active.ngettext(singular, plural, count)


def pgettext(context: str, message: str) -> str:
    return _active.pgettext(context, message)


def N_(message: str) -> str:
    """Mark ``message`` for the catalogue without translating it (it is translated when shown)."""
    return message


def Nn_(singular: str, plural: str) -> tuple[str, str]:
    """Mark a singular/plural pair for the catalogue without translating it."""
    return singular, plural


@dataclass(frozen=True)
class Message:
    """A message id and its parameters, translated when shown (``str()``).

    A parameter may itself be a ``Message`` (shown translated) or a ``ScreenLabel``. With a
    ``plural``, the form is chosen by ``count`` (``ngettext``)."""

    msgid: str
    params: Mapping[str, Any] = field(default_factory=dict)
    plural: str | None = None
    count: int = 1

    def __str__(self) -> str:
        text = _(self.msgid) if self.plural is None else ngettext(self.msgid, self.plural, self.count)
        if not self.params:
            return text
        return text % {name: str(value) if isinstance(value, (Message, ScreenLabel)) else value
                       for name, value in self.params.items()}


# Labels: the code is what files hold and what options take; a screen shows its name.
_LABEL_NAMES = {
    "PERSON": N_("Person"),
    "ROLE": N_("Role"),
    "ORGANIZATION": N_("Organisation"),
    "MUNICIPALITY": N_("Municipality"),
    "LOCATION": N_("Place"),
    "EMAIL_ADDRESS": N_("Email address"),
    "PHONE_NUMBER": N_("Phone number"),
    "URL": N_("URL"),
    "ADDRESS": N_("Postal address"),
}


def label_name(code: str) -> str:
    """The name of a label in the current language (the review report, prose).

    >>> label_name("MUNICIPALITY")
    'Municipality'
    """
    return _(_LABEL_NAMES[code]) if code in _LABEL_NAMES else code


def screen_label(code: str) -> str:
    """A label in the CLI's tables and messages: the code in English (the word options take:
    ``--label PERSON``), the name in French ("Personne").

    >>> screen_label("MUNICIPALITY")
    'MUNICIPALITY'
    """
    return code if _language == SOURCE_LANGUAGE else label_name(code)


def label_names() -> dict[str, str]:
    """Every label code with its name in the current language."""
    return {code: label_name(code) for code in _LABEL_NAMES}


@dataclass(frozen=True)
class ScreenLabel:
    """A label as a message parameter: shown by :func:`screen_label` when the message is shown.

    >>> str(Message(N_("a %(label)s entity"), {"label": ScreenLabel("PERSON")}))
    'a PERSON entity'
    """

    code: str

    def __str__(self) -> str:
        return screen_label(self.code)


def sort_key(text: str) -> tuple[str, str]:
    """Order words as a reader does: case and accents aside first ("Étape" between "Entité" and
    "Exemple"), then as written (a stable tie-break).

    >>> sorted(["Rôle", "Lieu", "Adresse postale", "Élu", "Commune"], key=sort_key)
    ['Adresse postale', 'Commune', 'Élu', 'Lieu', 'Rôle']
    """
    import unicodedata

    plain = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    return plain.casefold(), text


def number(value: float) -> str:
    """A whole number with its thousands grouped: 12,345 in English, 12 345 in French."""
    grouped = f"{value:,.0f}"
    return grouped.replace(",", "\u202f") if _language == "fr" else grouped


# Operating-system errors: Python gives libc's English text; the common ones are translated.
_OS_ERRORS = {
    errno.ENOENT: N_("no such file or directory"),
    errno.EACCES: N_("permission denied"),
    errno.EPERM: N_("operation not permitted"),
    errno.EISDIR: N_("is a directory"),
    errno.ENOTDIR: N_("not a directory"),
    errno.EEXIST: N_("file exists"),
    errno.ENOSPC: N_("no space left on device"),
    errno.EROFS: N_("read-only file system"),
    errno.ENAMETOOLONG: N_("file name too long"),
    errno.EIO: N_("input/output error"),
}


def os_error_text(error: OSError) -> str:
    """The cause of an operating-system error, in the current language when it is a common one."""
    known = _OS_ERRORS.get(error.errno or -1)
    if known is not None:
        return _(known)
    return error.strerror or type(error).__name__


def _route_click() -> None:
    """Point click's ``_``/``ngettext`` (bound from the ``gettext`` module) at this catalogue."""
    for name, module in list(sys.modules.items()):
        if name != "click" and not name.startswith("click."):
            continue
        # click's own module attributes, which a ModuleType does not declare
        if getattr(module, "_", None) is _gettext.gettext:
            module._ = _  # type: ignore[attr-defined]
        if getattr(module, "ngettext", None) is _gettext.ngettext:
            module.ngettext = ngettext  # type: ignore[attr-defined]


# Click's messages that users meet, kept in this catalogue (tests check click still has them).
CLICK_MESSAGES = (
    N_("Usage:"), N_("Options"), N_("Commands"), N_("Positional arguments"),
    N_("Show this message and exit."), N_("Show the version and exit."),
    N_("%(prog)s, version %(version)s"),
    N_("Error: {message}"), N_("Try '{command} {option}' for help."),
    N_("Invalid value: {message}"), N_("Invalid value for {param_hint}: {message}"),
    N_("Missing argument"), N_("Missing option"), N_("Missing parameter"), N_("Missing command."),
    N_("Missing {param_type}"), N_("Missing parameter: {param_name}"),
    N_("No such option {name!r}."), N_("No such command {name!r}."),
    N_("default: {default}"), N_("required"), N_("env var: {var}"),
    N_("Aborted!"), N_("Repeat for confirmation"), N_("Error: The two entered values do not match."),
    N_("file"), N_("directory"), N_("path"),
    N_("{name} {filename!r} does not exist."), N_("{name} {filename!r} is a file."),
    N_("{name} {filename!r} is a directory."), N_("{name} {filename!r} is not readable."),
    N_("{name} {filename!r} is not writable."),
    N_("Could not open file {filename!r}: {message}"),
    N_("{value!r} is not a valid {number_type}."),
    N_("Option {name!r} does not take a value."),
)
CLICK_PLURALS = (
    Nn_("{value!r} is not {choice}.", "{value!r} is not one of {choices}."),
    Nn_("Got unexpected extra argument ({args})", "Got unexpected extra arguments ({args})"),
    Nn_("Did you mean {possibility}?", "(Did you mean one of: {possibilities}?)"),
    Nn_("Option {name!r} requires an argument.", "Option {name!r} requires {nargs} arguments."),
)
