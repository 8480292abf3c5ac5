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


def test_text_agreement_a_word_alone_has_no_gender() -> None:
    # an organisation's acronym pseudonym can spell an article; alone it opens no phrase
    assert (gender("UNE"), gender("un"), gender("Une maison")) == ("", "", "F")


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


@pytest.mark.parametrize(("after", "wanted", "subject", "was", "complement", "expected"), [
    # a participle right after the mention, and those coordinated with it
    (" rénovée en 2010.", "M", True, "F", False, Agreed(8, " rénové")),
    (" construite en 1900.", "M", False, "F", False, Agreed(11, " construit")),  # «dans la Bergerie construite»
    (" rénovée et agrandie est ouverte le lundi.", "M", True, "F", False,
     Agreed(32, " rénové et agrandi est ouvert")),
    (" rénovées et agrandies sont ouvertes.", "M", True, "", False, Agreed(36, " rénovés et agrandis sont ouverts")),
    (" ouvert le lundi.", "F", True, "M", False, Agreed(7, " ouverte")),
    # the participles coordinated with the predicate, after «être», «qui», «, qui» and a pronoun
    (" est fermée et vendue depuis.", "M", True, "F", False, Agreed(21, " est fermé et vendu")),
    (" qui est fermée ou reprise.", "M", False, "", False, Agreed(26, " qui est fermé ou repris")),
    (", qui est fermée depuis mars.", "M", False, "F", False, Agreed(16, ", qui est fermé")),
    (", elle est fermée et vendue.", "M", True, "F", False, Agreed(27, ", il est fermé et vendu")),
    (" est fermée et bien vendue.", "M", True, "F", False, Agreed(26, " est fermé et bien vendu")),
    # past a complement of the mention's own, the verb of which it is the subject
    (" au bout du chemin est fermée le lundi.", "M", True, "F", False, Agreed(29, " au bout du chemin est fermé")),
    (" de mon enfance sont très anciennes.", "M", True, "", False,
     Agreed(35, " de mon enfance sont très anciens")),
    (" près de l'école n'est plus ouverte.", "M", True, "F", False, Agreed(35, " près de l'école n'est plus ouvert")),
    # ... not after a preposition, nor after «qui» (the complement's noun may be its subject), nor
    # a word of another gender than the mention's
    (" du haut est fermée le lundi.", "M", False, "F", False, Agreed(0, "")),
    (" du haut est fermé le lundi.", "M", True, "F", True, Agreed(0, "")),
    (" du chemin qui est fermée le lundi.", "M", True, "F", False, Agreed(0, "")),
    (" du moulin est fermé le lundi.", "F", True, "F", False, Agreed(0, "")),
    # words that agree with something else, or may: left as they are
    (" fermé le lundi.", "F", False, "F", True, Agreed(0, "")),  # «le portail de la Bergerie fermé»: the portail
    (", qui est fermé le lundi.", "M", False, "F", True, Agreed(0, "")),  # «le chemin de la Bergerie, qui est fermé»
    (", qui est fermé le lundi.", "F", True, "F", False, Agreed(0, "")),  # not the Bergerie's gender: another's
    (" fermé depuis.", "M", True, "F", False, Agreed(0, "")),  # «la Bergerie fermé»: not hers
    (" rénovées sont ouvertes.", "M", False, "", False, Agreed(0, "")),  # no article, after a preposition
    (" est fermée et Paul est content.", "M", True, "F", False, Agreed(11, " est fermé")),
    (" est fermée et vendus.", "M", True, "F", False, Agreed(11, " est fermé")),  # another form: another's
    # verbs of the present tense, nouns and invariable words right after a mention
    (" fait du pain.", "F", True, "M", False, Agreed(0, "")),
    (" produit du fromage.", "F", True, "M", False, Agreed(0, "")),
    (" active ses réseaux.", "M", True, "F", False, Agreed(0, "")),
    (" présente ses comptes.", "M", True, "F", False, Agreed(0, "")),
    (" appelle le maire.", "M", True, "F", False, Agreed(0, "")),
    (" année 1990.", "M", True, "F", False, Agreed(0, "")),
    (" passé 18 heures.", "F", True, "M", False, Agreed(0, "")),
    (" est fermée et présente partout.", "M", True, "F", False, Agreed(11, " est fermé")),
    (" est ouvert et fait du pain.", "F", True, "M", False, Agreed(11, " est ouverte")),
])
def test_text_agreement_the_following_words(after: str, wanted: str, subject: bool, was: str, complement: bool,
                                            expected: Agreed) -> None:
    assert agree(after, gender=wanted, subject=subject, topic=subject, was=was, complement=complement) == expected


def test_text_agreement_variants_hold_the_original_of_several_words() -> None:
    found = variants(" rénové et agrandi est ouvert")
    assert " rénovée et agrandie est ouverte" in found and " rénovés et agrandis est ouverts" in found
