"""review/report/text: every string of the review report is a catalogue message id, shown in the
user's language; the script's strings come as one dictionary."""

from __future__ import annotations

from anonymiser.i18n import _, ngettext, set_language
from anonymiser.review.attention import KINDS as ATTENTION_KINDS
from anonymiser.review.report import text


def test_review_report_text_every_attention_kind_has_a_title_and_an_explanation() -> None:
    assert set(text.KINDS) == set(ATTENTION_KINDS)
    for title, explanation in text.KINDS.values():
        assert title and explanation and title != explanation


def test_review_report_text_script_strings_in_the_current_language() -> None:
    english = text.script_strings()
    assert english["accept"] == "Accept" and english["noDecision"] == text.NO_DECISIONS
    assert english["decisions"] == ["{n} decisions", "{n} decision", "{n} decisions"]  # for 0, 1, more
    assert all("{n}" in form for key in ("mentions", "exported") for form in english[key])
    set_language("fr")
    french = text.script_strings()
    assert set(french) == set(english)
    assert french["accept"] == "Accepter"
    assert french["close"] != english["close"]
    assert french["decisions"] == ["{n} décision", "{n} décision", "{n} décisions"]  # French: 0 is singular
    assert all("{n}" in form for key in ("mentions", "exported") for form in french[key])  # placeholders survive


def test_review_report_text_counts_take_their_plural_forms() -> None:
    assert text.counts(words=1, mentions=1, entities=2, attention=0) == (
        "1 word · 1 masked mention · 2 entities · 0 items to check")
    set_language("fr")
    assert text.counts(documents=1, mentions=0, entities=1, attention=3) == (
        "1 document · 0 mention masquée · 1 entité · 3 points à vérifier")
    assert text.counts(documents=2, mentions=5) == "2 documents · 5 mentions masquées"


def test_review_report_text_page_strings_are_translated_with_their_placeholders() -> None:
    set_language("fr")
    assert _(text.INDEX_TITLE) == "Relire avant de partager"
    assert "données personnelles" in _(text.BANNER)
    for singular, plural in text.COUNTS.values():
        assert all("{n}" in ngettext(singular, plural, n) for n in (0, 1, 2)), singular
    assert text.label_name("PERSON") == "Personne"
    set_language("en")
    assert _(text.INDEX_TITLE) == "Review before sharing" and text.label_name("PERSON") == "Person"
