"""What every command shares: the ``anonymiser`` group, translated help, passphrases, one-line
errors and exit codes.

Exit codes: 0 done, 1 done with skipped documents, 2 usage error (an option, an input not found),
3 refused (passphrase, damaged key file, missing reason, audit mismatch), 70 internal error,
130 interrupted (the README's table; tests/unit/test_cli_exit_codes.py checks every command).

Every message shown goes through the catalogue (``i18n``): help texts are message ids marked with
``N_`` and translated when help is shown; the language is chosen in :meth:`Group.main`,
before click parses anything.
"""

from __future__ import annotations

import logging
import os
import sys
import time
import warnings
from collections.abc import Callable
from functools import wraps
from typing import Any, NoReturn, ParamSpec, TypeVar

import click

from anonymiser import __version__
from anonymiser.cli import verbose
from anonymiser.documents import TableOptions, collect_inputs, read_document
from anonymiser.errors import (
    EXIT_INTERNAL,
    EXIT_USAGE,
    AnonymiserError,
    KeyFileError,
)
from anonymiser.i18n import (
    LANGUAGES,
    N_,
    CatalogueMissing,
    _,
    choose_language,
    os_error_text,
)
from anonymiser.keys import format as keyfile_io
from anonymiser.keys.store import KeyFile
from anonymiser.model import Document

PASSPHRASE_ENV = "ANONYMISER_PASSPHRASE"
NEW_PASSPHRASE_ENV = "ANONYMISER_NEW_PASSPHRASE"
REIDENTIFY_ENV = "ANONYMISER_REIDENTIFY_PASSPHRASE"
OTHER_ENV = "ANONYMISER_OTHER_PASSPHRASE"
F = TypeVar("F", bound=Callable[..., Any])
P = ParamSpec("P")
R = TypeVar("R")


def _quiet_libraries() -> None:
    """Only our notes, one line each ("anonymiser: ..."); the libraries' own at WARNING or above
    (Dask's: see ``run.executors.quiet_dask``), their Python warnings never."""
    logging.basicConfig(level=logging.WARNING, format=_("anonymiser: %(message)s"))
    for name in ("presidio-analyzer", "presidio-anonymizer", "spacy", "tldextract"):
        logging.getLogger(name).setLevel(logging.ERROR)
    for name in ("distributed", "dask", "tornado"):
        logging.getLogger(name).setLevel(logging.WARNING)
    warnings.filterwarnings("ignore")


EXIT_INTERRUPTED = 130


def one_line(text: object) -> str:
    """``text`` on one line: a control character (a newline in a file name) is shown escaped."""
    return "".join(repr(c)[1:-1] if ord(c) < 32 or 127 <= ord(c) < 160 or c in "\u2028\u2029" else c
                   for c in str(text))


def _fail(error: AnonymiserError) -> NoReturn:
    click.echo(_("anonymiser: error: %(error)s") % {"error": one_line(error)}, err=True)
    sys.exit(error.exit_code)


def _skipped(what: object) -> None:
    click.echo(_("anonymiser: skipped: %(error)s") % {"error": one_line(what)}, err=True)


def handle_errors(func: Callable[P, R]) -> Callable[P, R]:
    """Turn every error into one line on stderr and a stable exit code; never a traceback."""

    @wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except AnonymiserError as error:
            _fail(error)
        except KeyboardInterrupt:
            click.echo(_("anonymiser: interrupted"), err=True)
            sys.exit(EXIT_INTERRUPTED)
        except OSError as error:
            cause = (_("%(path)s: %(cause)s") % {"path": error.filename, "cause": os_error_text(error)}
                     if error.filename else os_error_text(error))
            click.echo(_("anonymiser: error: %(error)s") % {"error": one_line(cause)}, err=True)
            sys.exit(EXIT_USAGE)
        except Exception as error:
            click.echo(_("anonymiser: internal error (%(kind)s)") % {"kind": type(error).__name__}, err=True)
            sys.exit(EXIT_INTERNAL)

    return wrapper


def _interactive() -> bool:
    """Whether a passphrase can be asked for (a terminal on standard input)."""
    return sys.stdin.isatty()


def _secret(env: str, prompt: str, *, confirm: bool, new: bool = False) -> str:
    """A passphrase from ``env``, else from a hidden prompt (``prompt``: a message id ending with
    its colon); refused without a terminal."""
    value = os.environ.get(env)
    if value:
        return value
    if not _interactive():
        cause = (N_("no new passphrase: set %(variable)s or run in a terminal") if new
                 else N_("no passphrase: set %(variable)s or run in a terminal"))
        raise KeyFileError(None, cause, variable=env)
    return str(click.prompt(_(prompt), hide_input=True, prompt_suffix=" ",
                            confirmation_prompt=_("Repeat for confirmation:") if confirm else False))


def _passphrase(*, confirm: bool = False, prompt: str = N_("Passphrase:")) -> str:
    return _secret(PASSPHRASE_ENV, prompt, confirm=confirm)


def _load_key(path: str, *, need_private: bool = False) -> KeyFile:
    keyfile_io.tidy(path)  # a crashed save's copies go, whichever key command comes next
    passphrase = _passphrase()
    with verbose.timed(N_("key file %(path)s opened in %(seconds)s s"), path=path):
        return keyfile_io.load(path, passphrase, need_private=need_private)


def _anonymiser() -> Any:
    started = time.perf_counter()
    from anonymiser.engine import (
        Engine,  # the model loads only for commands that need it
    )

    engine = Engine()
    verbose.engine_loaded(engine, started)
    return engine


class _HelpText:
    """A help text kept as its message id and translated each time it is read."""

    def __set_name__(self, owner: type, name: str) -> None:
        self.attribute = f"_msgid_{name}"

    def __get__(self, obj: Any, objtype: type | None = None) -> Any:
        if obj is None:
            return self
        msgid = obj.__dict__.get(self.attribute)
        return _(msgid) if msgid else msgid

    def __set__(self, obj: Any, value: str | None) -> None:
        obj.__dict__[self.attribute] = value


# Click's placeholders ("metavars") as shown: the words click makes from a type, an argument's name,
# or an option's own metavar, kept in this catalogue.
METAVARS = (
    N_("[OPTIONS]"), N_("COMMAND [ARGS]..."), N_("TEXT"), N_("INTEGER"), N_("INTEGER RANGE"),
    N_("INPUTS"), N_("PATH"), N_("FORM"), N_("ENTITY_ID"), N_("OTHER"), N_("DECISION_FILES"),
    N_("AUDIT_PATH"), N_("LABEL=STRATEGY,..."), N_("ADDRESS"),
)


def _translated_metavar(shown: str, word: str) -> str:
    """``shown`` (click's metavar, with its brackets and ellipsis) with ``word`` in the current language."""
    return shown.replace(word, _(word), 1) if word else shown


class Option(click.Option):
    help = _HelpText()

    def make_metavar(self, ctx: click.Context) -> str:
        word = self.metavar or ("" if self.type.get_metavar(param=self, ctx=ctx) else self.type.name.upper())
        return _translated_metavar(super().make_metavar(ctx), word)


class Argument(click.Argument):
    """``click.Argument`` whose placeholder (its name: ``INPUTS...``) is shown in the current language."""

    def make_metavar(self, ctx: click.Context) -> str:
        word = self.metavar or ("" if self.type.get_metavar(param=self, ctx=ctx) else (self.name or "").upper())
        return _translated_metavar(super().make_metavar(ctx), word)


def option(*decls: str, **attrs: Any) -> Callable[[F], F]:
    """``click.option`` whose help is a message id (``N_``), shown translated."""
    return click.option(*decls, cls=Option, **attrs)


class PathType(click.Path):
    """``click.Path`` whose kind ("file", "directory", "path") is shown in the current language."""

    name = _HelpText()


class _Translated(click.Command):
    help = _HelpText()
    short_help = _HelpText()
    epilog = _HelpText()
    options_metavar = _HelpText()
    subcommand_metavar = _HelpText()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for param in self.params:  # every argument, however declared, shows a translated placeholder
            if type(param) is click.Argument:
                param.__class__ = Argument

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        help_option = super().get_help_option(ctx)
        if help_option is not None:  # click caches it with the text of its first language
            help_option.help = _("Show this message and exit.")
        return help_option


class Command(_Translated, click.Command):
    """A command, with ``--verbose`` (what it uses, how long each step takes)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.params.append(Option(["--verbose"], is_flag=True, expose_value=False, is_eager=True,
                                  callback=verbose.switch,
                                  help=N_("Show the rules, grid, model and key file in use and the time of each "
                                          "step (never any personal data).")))

    def invoke(self, ctx: click.Context) -> Any:
        return verbose.run_command(lambda: super(Command, self).invoke(ctx))


class Group(_Translated, click.Group):
    command_class = Command
    group_class = type  # subgroups are Groups too

    def main(self, args: Any = None, *pargs: Any, **kwargs: Any) -> Any:
        """Choose the language (``--lang``, else the locale) before click parses anything."""
        argv = list(sys.argv[1:] if args is None else args)
        try:
            choose_language(argv)
        except CatalogueMissing:  # an install that skipped the build step: say so, go on in English
            click.echo("anonymiser: the French messages are not compiled (run 'make install'); "
                       "messages in English", err=True)
        return super().main(argv, *pargs, **kwargs)


def _show_version(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if value and not ctx.resilient_parsing:
        click.echo(_("%(prog)s, version %(version)s") % {"prog": "anonymiser", "version": __version__})
        ctx.exit()


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]},
             help=N_("Consistent, auditable, reversible pseudonymisation of French interviews."))
@option("--version", is_flag=True, expose_value=False, is_eager=True, callback=_show_version,
        help=N_("Show the version and exit."))
@option("--lang", type=click.Choice(LANGUAGES), expose_value=False, is_eager=True,
        help=N_("Language of messages (default: from LC_ALL, LC_MESSAGES or LANG; fr_* is French)."))
def cli() -> None:
    _quiet_libraries()


def _read_inputs(inputs: tuple[str, ...], table_options: TableOptions | None = None,
                 ) -> tuple[list[Document], list[str]]:
    documents, skipped = [], []
    seen: set[str] = set()
    for path, root in collect_inputs(list(inputs)):
        try:
            document = read_document(path, root=root, table_options=table_options)
        except AnonymiserError as error:
            _skipped(error)
            skipped.append(str(path))
            continue
        if document.path in seen or document.id in seen:
            _skipped(AnonymiserError(str(path), N_("another input has the same name")))
            skipped.append(str(path))
            continue
        seen.update((document.path, document.id))
        documents.append(document)
    return documents, skipped
