"""text/agreement: a neutral phrase in the plural, and the words after a replacement that agree
with it (invented sentences, no model)."""

from __future__ import annotations

import pytest

from anonymiser.text.agreement import Agreed, agree, form, gender, plural, variants


@pytest.mark.parametrize(("phrase", "expected"), [
    ("un lieu", "des lieux"),
    ("une association", "des associations"),
    ("un centre social", "des centres sociaux"),
    ("une maison de quartier", "des maisons de quartier"),
    ("un tiers-lieu", "des tiers-lieux"),
    ("un CCAS", "des CCAS"),
    ("une structure d'insertion", "des structures d'insertion"),
    ("une petite ville", "des petites villes"),
    ("La Clairière", "La Clairière"),  # no indefinite phrase: as it is
])
def test_text_agreement_plural(phrase: str, expected: str) -> None:
    assert plural(phrase) == expected


def test_text_agreement_gender_of_a_phrase() -> None:
    assert (gender("un lieu"), gender("une entreprise"), gender("des lieux"), gender("L'Olivier")) == ("M", "F", "", "")


@pytest.mark.parametrize(("word", "wanted", "expected"), [
    ("fermé", "F", "fermée"), ("fermées", "M", "fermés"), ("ancienne", "M", "ancien"), ("active", "M", "actif"),
    ("municipaux", "F", "municipales"), ("heureux", "F", "heureuse"), ("ouverte", "M", "ouvert"),
    ("devenu", "F", "devenue"), ("reprises", "M", "repris"), ("important", "F", "importante"),
    # words that look so but never agree
    ("bien", "F", None), ("ici", "F", None), ("avant", "F", None), ("vraiment", "F", None), ("célèbre", "M", None),
])
def test_text_agreement_form_keeps_the_number(word: str, wanted: str, expected: str | None) -> None:
    assert form(word, wanted) == expected


@pytest.mark.parametrize(("after", "wanted", "subject", "expected"), [
    # (a mention that opens its clause: it is the subject, and the topic a pronoun takes up)
    (" est fermé le lundi.", "F", True, Agreed(10, " est fermée")),
    (" qui est fermé le lundi.", "F", False, Agreed(14, " qui est fermée")),
    (", elle est fermée depuis.", "M", True, Agreed(17, ", il est fermé")),
    (", elles ont fermé.", "M", True, Agreed(7, ", ils")),
    (" n'est plus ouverte le soir.", "M", True, Agreed(19, " n'est plus ouvert")),
    (" s'est installée à côté.", "M", True, Agreed(16, " s'est installé")),
    (" a été reprise par un jeune.", "M", True, Agreed(14, " a été repris")),
    (" sont très anciennes.", "M", True, Agreed(20, " sont très anciens")),
    # already agreeing, or no agreeing word: nothing changes
    (" est fermée le lundi.", "F", True, Agreed(0, "")),
    (" est ici depuis longtemps.", "M", True, Agreed(0, "")),
    (" est une ferme.", "M", True, Agreed(0, "")),
    # after a preposition the mention is no subject: the verb is another's
    (" est fermé le lundi.", "F", False, Agreed(0, "")),
    (", elle est contente.", "M", False, Agreed(0, "")),
    # a phrase without a gender
    (" est fermé.", "", True, Agreed(0, "")),
])
def test_text_agreement_the_words_after(after: str, wanted: str, subject: bool, expected: Agreed) -> None:
    assert agree(after, gender=wanted, subject=subject, topic=subject) == expected


def test_text_agreement_a_pronoun_only_for_the_topic_of_its_clause() -> None:
    # "J'ai vu la Bergerie, elle est fermée": "elle" may be the Bergerie or anyone else
    assert agree(", elle est fermée.", gender="M", subject=True, topic=False) == Agreed(0, "")
    assert agree(", elle est fermée.", gender="M", subject=True, topic=True) == Agreed(17, ", il est fermé")


def test_text_agreement_variants_hold_the_original() -> None:
    found = variants(", il est fermé")
    assert ", elle est fermée" in found and ", il est fermé" in found
    assert all(v.startswith(", ") and v.endswith(("fermé", "fermée", "fermés", "fermées")) for v in found)
