"""recognizers/long_forms: the long form of an acronym in brackets beside it (invented
sentences, no model)."""

from __future__ import annotations

import pytest

from anonymiser.recognizers.long_forms import long_form_after, long_form_before, spells


@pytest.mark.parametrize(("acronym", "long_form"), [
    ("SIVOM", "syndicat intercommunal à vocation multiple de la vallée du Lot"),  # "VOcation"
    ("SMEDAR", "syndicat mixte d'élimination des déchets de l'arrondissement de Rouen"),
    ("SMICTOM", "syndicat mixte de collecte et de traitement des ordures ménagères du Pays de Fougères"),
    ("AMAP", "association pour le maintien d'une agriculture paysanne"),
    ("CLIC", "centre local d'information et de coordination"),
])
def test_recognizers_long_forms_an_acronym_spells_its_long_form(acronym: str, long_form: str) -> None:
    assert spells(acronym, long_form) == len(__import__("re").findall(r"[^\W\d_]+", long_form))


@pytest.mark.parametrize(("acronym", "text"), [
    ("MJC", "le lundi soir"),  # no word opens with its first letter
    ("SIVOM", "salle des fêtes"),  # letters left over
    ("SMICTOM", "syndicat mixte"),
    ("X", "xylophone"),  # one letter spells nothing
])
def test_recognizers_long_forms_other_brackets_are_no_long_form(acronym: str, text: str) -> None:
    assert spells(acronym, text) == 0


def test_recognizers_long_forms_after_and_before_the_acronym() -> None:
    text = "Le SMEDAR (syndicat mixte d'élimination des déchets de l'arrondissement de Rouen) passe."
    start, end = long_form_after(text, text.index(" ("), "SMEDAR") or (0, 0)
    assert text[start:end] == "syndicat mixte d'élimination des déchets de l'arrondissement de Rouen"
    text = "On voit le centre local d'information et de coordination (CLIC) le mardi."
    at = text.index("CLIC")
    start, end = long_form_before(text, at, at + 4) or (0, 0)
    assert text[start:end] == "centre local d'information et de coordination"
    assert long_form_before("le CLIC ferme", 3, 7) is None  # no bracket
    assert long_form_after("le CLIC (fermé lundi)", 7, "CLIC") is None


def test_recognizers_long_forms_in_apposition_after_the_acronym() -> None:
    from anonymiser.recognizers.long_forms import long_form_apposition

    text = "le SMBAL, le syndicat mixte des bus de l'agglomération de Lorvan qui gère les lignes"
    start, end = long_form_apposition(text, text.index(","), "SMBAL")
    assert text[start:end] == "syndicat mixte des bus de l'agglomération de Lorvan"
    assert long_form_apposition("le SMBAL, la commune et nous", 8, "SMBAL") is None
