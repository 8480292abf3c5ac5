"""recognizers/person_forms: how speech names people without a full name -- familiar forms,
nicknames, a first name and an initial -- and the cues that make a first name that is also a
word a person's (invented sentences, no spaCy model)."""

from __future__ import annotations

import pytest

from .recognizing import by_name


@pytest.fixture(scope="module")
def recognizers(config):
    return by_name(config)


def _rules(recognizer, text: str) -> list[tuple[str, str]]:
    return [(text[r.start:r.end], r.recognition_metadata["rule_id"]) for r in recognizer.analyze(text, None, None)]


def _of(recognizers, text: str, rule: str, name: str = "PersonFormsRecognizer") -> list[str]:
    return [surface for surface, found in _rules(recognizers[name], text) if found == rule]


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("La mère Michaud tenait l'épicerie et le père Fournier le fournil.", ["Michaud", "Fournier"]),
        ("tonton Marcel venait avec tata Josette et mémé Lucienne.", ["Marcel", "Josette", "Lucienne"]),
        ("ma fille Rose et mon mari Pascal, sa voisine Blanche ; ma fille Lycée non", ["Rose", "Pascal", "Blanche"]),
        # a first name that is also a word, after an endearing word
        ("la petite Rose jouait avec le petit Pierre et la petite Léa", ["Rose", "Pierre", "Léa"]),
        # a feast day's figure, an ordinary word, a rare first name that is a word: no one
        ("le père Noël passait, la mère Patrie, le petit Prince lisait", []),
        ("la mère de Julien et le petit déjeuner", []),
        # a careless transcript: in lower case after a kin word, when it is no word of French
        ("même la mère vaudrin était là, et le vieux garçon, ma mère m'a dit", ["vaudrin"]),
    ],
)
def test_recognizers_person_forms_familiar(recognizers, text: str, names: list[str]) -> None:
    assert _of(recognizers, text, "fr.person.familiar") == names


def test_recognizers_person_forms_a_first_name_said_by_a_doubled_syllable(recognizers) -> None:
    text = "Jojo et Dédé venaient ; mais Papa, Coco et Dodo dorment, et Anne-Anne ou Lili-Rose non."
    assert _of(recognizers, text, "fr.person.familiar") == ["Jojo", "Dédé"]
    short = "avec Seb et NATH on a vu Caro ; le sebum, la caronade et Sebastopol non."
    assert _of(recognizers, short, "fr.person.familiar") == ["Seb", "NATH", "Caro"]


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("il y avait Albert qu'on appelle Bébert, un gars du coin", ["Bébert", "Albert"]),
        ("et Marius dit « la Puce » parce qu'il était petit", ["Puce", "Marius"]),
        ("Gilbert, surnommé Tintin, avait sa houppe", ["Tintin", "Gilbert"]),
        ("le patron on l'appelait le Grand Jojo, il faisait deux mètres", ["Grand Jojo"]),
        ("sa fille Mélodie qu'on appelle Mélo", ["Mélo", "Mélodie"]),  # a word, but nicknaming a named girl
        ("Jean dit Bébert est passé", ["Bébert", "Jean"]),
        # a term, a place's name, a word, "dit" after no name: no nickname
        ("ce qu'on appelle la Politique de la ville", []),
        ("le quartier qu'on appelle les Bas-Prés", []),
        ("il y a qu'on appelle la Cité", []),
        ("il a dit Paul viens", []),
    ],
)
def test_recognizers_person_forms_nickname(recognizers, text: str, names: list[str]) -> None:
    assert _of(recognizers, text, "fr.person.nickname") == names


def test_recognizers_person_forms_first_name_and_initial(recognizers) -> None:
    text = ("Présents : Jean D., Sophie L., Pierre M., Marie-Claire B. et Rose T.\n"
            "La vitamine C. et l'annexe B. ; Bienvenue A. ; Paris V.")
    assert _of(recognizers, text, "fr.person.first_initial") == [
        "Jean D.", "Sophie L.", "Pierre M.", "Marie-Claire B.", "Rose T."]


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("Nadine : Euh Pierre il vient le jeudi, ben Rose elle fait les papiers, enfin Grâce aussi.",
         ["Pierre", "Rose", "Grâce"]),
        ("Nadine : C'est enfin Grâce à la mairie qu'on a eu la salle.", []),  # "grâce à": the word's phrase
        ("Karim : Il y a avec Paul, Marie et Chloé, et des fois Pierre et Rose, ou Florence et Grâce.",
         ["Paul", "Marie", "Chloé", "Pierre", "Rose", "Florence", "Grâce"]),
        # after a place word, or beside a place: no one
        ("Karim : On va entre Florence et Lyon, ou à Florence et Rome.", []),
        # a start's capital says nothing: two words that are first names open the sentence
        ("Rose et Blanche sont des couleurs.", []),
    ],
)
def test_recognizers_person_forms_first_names_after_a_filler_or_coordinated(
        recognizers, text: str, names: list[str]) -> None:
    found = _of(recognizers, text, "fr.person.first_name", "FrenchPersonRecognizer")
    assert [n for n in found if n not in {"Nadine", "Karim"}] == names


def test_recognizers_person_forms_a_first_name_opens_a_sentence_when_the_text_has_the_full_name(recognizers) -> None:
    text = ("Pierre Lambert est arrivé en 2019. Pierre a monté un atelier. Pierre après pierre, le mur tient.\n"
            "Florence est une ville d'Italie.\n")
    found = recognizers["FrenchPersonRecognizer"].analyze(text, None, None)
    lone = [r.start for r in found if r.recognition_metadata["rule_id"] == "fr.person.first_name"
            and text[r.start:r.end] == "Pierre"]
    assert lone == [text.index("Pierre a")]  # not "Pierre après pierre"
    assert not any(text[r.start:r.end] == "Florence" for r in found)  # no "Florence Lambert" in the text


def test_recognizers_person_forms_a_line_of_initials_signs_a_text(recognizers) -> None:
    text = "La fête aura lieu samedi.\nM.-L. G.\n\nSPORT\nLe club monte.\nR. L.\nN.B.\nP.-S.\nVoir M. G. demain.\n"
    assert _of(recognizers, text, "fr.person.signature") == ["M.-L. G.", "R. L."]


def test_recognizers_person_forms_first_names_that_are_rare_words_only_and_ages(recognizers) -> None:
    text = ("Nouveau commerce : Élise a ouvert son épicerie.\n**Gilles** — Merci pour le résumé !\n"
            "Rose, 77 ans, tient la caisse. Pierre après pierre. Rose des vents.\n")
    found = _of(recognizers, text, "fr.person.first_name", "FrenchPersonRecognizer")
    assert found == ["Élise", "Gilles", "Rose"]



@pytest.mark.parametrize(
    ("text", "names"),
    [
        # two first names joined, a clause taken up by a pronoun, a person in apposition
        ("je la connais depuis l'école marie-claude elle a toujours dit oui", ["marie-claude"]),
        ("par exemple kevin il passe le jeudi, et puis ludivine, une voisine", ["kevin", "ludivine"]),
        # first names coordinated, both in lower case
        ("on a monté ça avec mathis et noémie en deux mille dix", ["mathis", "noémie"]),
        # ordinary words and first names that are words stay: "rose il", "claire et pierre"
        ("la couleur rose il faut aimer, c'est claire et pierre qui l'ont dit", []),
        # a lower-case word of French coordinated with a first name is no person
        ("le pain et kevin", []),
    ],
)
def test_recognizers_person_forms_lower_case_first_names_in_a_careless_transcript(
        recognizers, text: str, names: list[str]) -> None:
    assert _of(recognizers, text, "fr.person.lower_first_name") == names


def test_recognizers_person_forms_a_determiner_makes_a_lower_case_name_a_noun(recognizers) -> None:
    text = "la france elle a changé, en france il y a du monde ; avec ludivine il a parlé"
    assert _of(recognizers, text, "fr.person.lower_first_name") == ["ludivine"]


def test_recognizers_person_forms_a_family_by_its_surname_in_lower_case(recognizers) -> None:
    text = ("au deuxième il y avait les lefebvre, et le fils des bertrand ; chez les girard on mangeait, "
            "et un rousseau. "
            "Les jardins, des tomates, aux champs, les écoles : no family")
    assert _of(recognizers, text, "fr.person.family") == ["lefebvre", "bertrand", "girard"]
