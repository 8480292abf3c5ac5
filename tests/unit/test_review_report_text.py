"""review/report/text: every string of the review report is a catalogue message id, shown in the
user's language; the script's strings come as one dictionary."""

from __future__ import annotations

from anonymiser.i18n import _, set_language
from anonymiser.review.attention import KINDS as ATTENTION_KINDS
from anonymiser.review.report import text


def test_review_report_text_every_attention_kind_has_a_title_and_an_explanation() -> None:
    assert set(text.KINDS) == set(ATTENTION_KINDS)
    for title, explanation in text.KINDS.values():
        assert title and explanation and title != explanation


def test_review_report_text_script_strings_in_the_current_language() -> None:
    english = text.script_strings()
    assert english["accept"] == "Accept" and english["noDecision"] == text.NO_DECISIONS
    assert "{n}" in english["decisions"] and "{n}" in english["exported"]
    set_language("fr")
    french = text.script_strings()
    assert set(french) == set(english)
    assert french["accept"] == "Accepter"
    assert french["close"] != english["close"]
    assert "{n}" in french["decisions"] and "{n}" in french["exported"]  # the placeholders survive


def test_review_report_text_page_strings_are_translated_with_their_placeholders() -> None:
    set_language("fr")
    assert _(text.INDEX_TITLE) == "Relire avant de partager"
    assert "données personnelles" in _(text.BANNER)
    for message, fields in ((text.SUMMARY, ("{words}", "{mentions}", "{entities}", "{attention}")),
                            (text.CORPUS_SUMMARY, ("{documents}", "{mentions}", "{entities}", "{attention}")),
                            (text.STATUS_OPEN, ("{n}",))):
        shown = _(message)
        assert shown != message and all(field in shown for field in fields), message
    assert text.label_name("PERSON") == "Personne"
    set_language("en")
    assert _(text.INDEX_TITLE) == "Review before sharing" and text.label_name("PERSON") == "Person"
