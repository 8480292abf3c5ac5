"""The message catalogue: complete, consistent with the code and with click, compiled; the
language choice; messages and errors translated when shown, never before."""

from __future__ import annotations

import gettext
import pickle
import re
import sys
from pathlib import Path

import click
import pytest

from anonymiser import i18n
from anonymiser.errors import KeyFileError, RefusedError
from anonymiser.i18n import (
    N_,
    Message,
    label_name,
    language_from_args,
    language_from_env,
    set_language,
)

from ..conftest import ROOT

sys.path.insert(0, str(ROOT / "scripts"))
import messages  # noqa: E402  (scripts/messages.py: the extraction `make messages` uses)

PO = ROOT / "anonymiser" / "locale" / "fr" / "LC_MESSAGES" / "anonymiser.po"


def ids(message) -> tuple[str, ...]:
    return (message.id,) if isinstance(message.id, str) else tuple(message.id)


def strings(message) -> tuple[str, ...]:
    return (message.string,) if isinstance(message.string, str) else tuple(message.string)


@pytest.fixture(scope="module")
def catalogue():
    return messages.read(PO)


@pytest.fixture(scope="module")
def code_messages():
    return {ids(m) for m in messages.extract() if m.id}


def test_i18n_every_message_of_the_code_is_translated(catalogue, code_messages) -> None:
    translated = {ids(m): strings(m) for m in catalogue if m.id}
    missing = sorted(k for k in code_messages if not all(translated.get(k, ("",))))
    assert not missing, f"untranslated (run make messages, then translate): {missing}"


def test_i18n_no_orphan_or_fuzzy_translation(catalogue, code_messages) -> None:
    orphans = sorted(ids(m) for m in catalogue if m.id and ids(m) not in code_messages)
    assert not orphans, f"translations of messages no longer in the code: {orphans}"
    assert not catalogue.obsolete
    assert not [ids(m) for m in catalogue if m.id and m.fuzzy]


def test_i18n_counts_take_plural_forms(catalogue) -> None:
    """A message with a count is a gettext plural ("1 mention", "2 mentions"), never "mention(s)"."""
    for message in catalogue:
        if not message.id:
            continue
        texts = ids(message) + strings(message)
        assert not any("(s)" in text for text in texts), message.id
        if isinstance(message.id, str):
            assert not re.search(r"%\(count\)d|\{n\}", message.id), f"a count without plural forms: {message.id!r}"


PERCENT = re.compile(r"%\((\w+)\)([sdr])")
BRACES = re.compile(r"\{(\w*)(![rsa])?(:[^}]*)?\}")


def placeholders(text: str) -> tuple[list[tuple[str, str]], list[str]]:
    return sorted(PERCENT.findall(text)), sorted(m.group(0) for m in BRACES.finditer(text))


def test_i18n_placeholders_match(catalogue) -> None:
    wrong = []
    for message in catalogue:
        if not message.id:
            continue
        for source, target in zip(ids(message) * 2 if len(ids(message)) == 1 else ids(message), strings(message)):
            if placeholders(source) != placeholders(target):
                wrong.append((source, target))
    assert not wrong, wrong
    assert not list(catalogue.check())  # babel's own checks (python-format, plural forms)


def test_i18n_placeholder_check_can_fail() -> None:
    assert placeholders("line %(line)s: {name!r}") != placeholders("ligne %(lines)s : {name}")


def test_i18n_compiled_catalogue_is_up_to_date(catalogue) -> None:
    """The installed .mo holds exactly the .po's translations (else: make install)."""
    compiled = gettext.translation(i18n.DOMAIN, i18n.LOCALE_DIR, languages=["fr"])
    stale = []
    for message in catalogue:
        if not message.id:
            continue
        if isinstance(message.id, str):
            if compiled.gettext(message.id) != message.string:
                stale.append(message.id)
        elif (compiled.ngettext(*message.id, 1), compiled.ngettext(*message.id, 2)) != tuple(message.string):
            stale.append(message.id[0])
    assert not stale, f"anonymiser.mo is older than anonymiser.po (run make install): {stale}"


def test_i18n_click_messages_are_still_clicks() -> None:
    """The click messages we translate are the ones click 8.5.1 shows (a click upgrade that
    rewords one would leave it in English)."""
    from babel.messages.extract import extract_from_dir

    theirs = {m[2] if isinstance(m[2], str) else tuple(m[2])
              for m in extract_from_dir(Path(click.__file__).parent, method_map=[("**.py", "python")])}
    ours = set(i18n.CLICK_MESSAGES) | set(i18n.CLICK_PLURALS)
    assert ours - theirs == set()


@pytest.mark.parametrize(("environ", "language"), [
    ({}, "en"),
    ({"LANG": "fr_FR.UTF-8"}, "fr"),
    ({"LANG": "fr_CA.UTF-8"}, "fr"),
    ({"LANG": "fr"}, "fr"),
    ({"LANG": "en_US.UTF-8"}, "en"),
    ({"LANG": "C.UTF-8"}, "en"),
    ({"LANG": "de_DE.UTF-8"}, "en"),
    ({"LC_MESSAGES": "fr_FR.UTF-8", "LANG": "en_US.UTF-8"}, "fr"),
    ({"LC_ALL": "C", "LC_MESSAGES": "fr_FR.UTF-8", "LANG": "fr_FR.UTF-8"}, "en"),
    ({"LC_ALL": "fr_BE.UTF-8", "LANG": "C"}, "fr"),
    ({"LC_ALL": "", "LANG": "fr_FR.UTF-8"}, "fr"),  # an empty variable does not count
])
def test_i18n_language_from_locale(environ, language) -> None:
    assert language_from_env(environ) == language


@pytest.mark.parametrize(("args", "language"), [
    (["--lang", "fr", "run", "x"], "fr"),
    (["--lang=en", "key", "show", "k"], "en"),
    (["--lang", "de", "run"], None),  # click reports the bad value
    (["run", "--lang", "fr"], None),  # an option of the command, not of anonymiser
    (["--help"], None),
    ([], None),
])
def test_i18n_language_from_command_line(args, language) -> None:
    assert language_from_args(args) == language


def test_i18n_label_names() -> None:
    assert label_name("MUNICIPALITY") == "Municipality" and i18n.screen_label("MUNICIPALITY") == "MUNICIPALITY"
    set_language("fr")
    assert i18n.screen_label("MUNICIPALITY") == "Commune"
    assert [label_name(c) for c in ("PERSON", "ROLE", "ORGANIZATION", "MUNICIPALITY", "LOCATION")] == [
        "Personne", "Rôle", "Organisation", "Commune", "Lieu"]
    assert label_name("EMAIL_ADDRESS") == "Adresse électronique"
    assert set(i18n.label_names()) == {"PERSON", "ROLE", "ORGANIZATION", "MUNICIPALITY", "LOCATION",
                                       "EMAIL_ADDRESS", "PHONE_NUMBER", "URL", "ADDRESS"}


def test_i18n_errors_are_translated_when_shown() -> None:
    error = KeyFileError("projet.key", N_("wrong passphrase or damaged key file"))
    assert str(error) == "projet.key: wrong passphrase or damaged key file"
    set_language("fr")
    assert str(error) == "projet.key\u00a0: phrase de passe erronée ou fichier de clés endommagé"
    nested = RefusedError("a.jsonl", N_("verification failed: %(problem)s"),
                          problem=Message(N_("record %(index)s was altered"), {"index": 4}))
    assert str(nested) == "a.jsonl\u00a0: vérification échouée\u00a0: l'enregistrement 4 a été modifié"
    set_language("en")
    assert str(nested) == "a.jsonl: verification failed: record 4 was altered"


def test_i18n_errors_keep_their_parameters_across_processes() -> None:
    error = RefusedError("a.jsonl", N_("no audit record for this file in %(audit)s"), audit="b.jsonl")
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is RefusedError and str(copy) == str(error) and copy.exit_code == 3


def test_i18n_plurals_follow_french_rules() -> None:
    set_language("fr")
    singular, plural = "%(count)d mention", "%(count)d mentions"
    assert [i18n.ngettext(singular, plural, n) % {"count": n} for n in (0, 1, 2)] == [
        "0 mention", "1 mention", "2 mentions"]
    set_language("en")
    assert i18n.ngettext(singular, plural, 0) % {"count": 0} == "0 mentions"


def test_i18n_missing_catalogue_is_reported(monkeypatch, tmp_path) -> None:
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path)
    with pytest.raises(i18n.CatalogueMissing):
        set_language("fr")
    assert i18n.current_language() == "en"


def test_i18n_os_errors(tmp_path) -> None:
    try:
        open(tmp_path / "absent")
    except OSError as error:
        assert i18n.os_error_text(error) == "no such file or directory"
        set_language("fr")
        assert i18n.os_error_text(error) == "fichier ou dossier introuvable"


def test_i18n_a_label_in_a_message_is_shown_by_its_name_in_french() -> None:
    """A label code passed to a message (an error of the key file) is shown as the screen shows
    labels: the code in English, the name in French, never the code there."""
    import pickle

    from anonymiser.i18n import ScreenLabel

    error = RefusedError("k.key", N_("a form of this %(label)s entity is already in the key file"),
                         label=ScreenLabel("ORGANIZATION"))
    assert str(error) == "k.key: a form of this ORGANIZATION entity is already in the key file"
    set_language("fr")
    assert "(Organisation)" in str(error) and "ORGANIZATION" not in str(error)
    assert str(pickle.loads(pickle.dumps(error))) == str(error)  # across worker processes too


def test_i18n_sort_key_orders_words_as_a_reader_does() -> None:
    from anonymiser.i18n import sort_key

    names = ["Rôle", "Lieu", "Adresse postale", "Élu", "Commune", "entité", "Adresse électronique"]
    assert sorted(names, key=sort_key) == ["Adresse électronique", "Adresse postale", "Commune", "Élu", "entité",
                                           "Lieu", "Rôle"]
