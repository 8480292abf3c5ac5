"""recognizers/persons: names after a civility, full names, initials, particles, speakers; ordinary words left alone
(hand-built texts, no spaCy model)."""

from __future__ import annotations

import pytest

from .recognizing import by_name
from .recognizing import found as _found


@pytest.fixture(scope="module")
def recognizers(config):
    return by_name(config)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Quand M. Tessier est arrivé", "Tessier"),
        ("J'ai vu Isabelle Marchal hier", "Isabelle Marchal"),
        ("avec J.-P. ROUSSEL et d'autres", "J.-P. ROUSSEL"),
        ("Anne de La Salle nous a reçus", "Anne de La Salle"),
        ("Mme N'Diaye est venue", "N'Diaye"),
        ("Nadia : oui, tout à fait.", "Nadia"),
        ("avec Bruno Kerleau du CCAS de Poitiers", "Bruno Kerleau"),
    ],
)
def test_recognizers_persons_person(recognizers, text: str, expected: str) -> None:
    assert ("PERSON", expected) in _found(recognizers["FrenchPersonRecognizer"], text)


@pytest.mark.parametrize("text", ["Enquêtrice : alors ?", "La Région finance.", "Les chefs d'entreprise"])
def test_recognizers_persons_person_not_found(recognizers, text: str) -> None:
    assert _found(recognizers["FrenchPersonRecognizer"], text) == []


def _rules(recognizer, text: str) -> list[tuple[str, str]]:
    return [(text[r.start:r.end], r.recognition_metadata["rule_id"]) for r in recognizer.analyze(text, None, None)]


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ("[00:12:34] Lucie : alors on commence", "Lucie"),
        ("[Lucie] alors on commence", "Lucie"),
        ("L.A. : alors on commence", "L.A."),
        ("Vijay M. : alors on commence", "Vijay M."),
        ("- Lucie Arnaud (ENQ) : alors on commence", "Lucie Arnaud"),
        ("LUCIE: alors on commence", "LUCIE"),
    ],
)
def test_recognizers_persons_speaker_turns_of_every_shape(recognizers, text: str, speaker: str) -> None:
    assert (speaker, "fr.person.speaker") in _rules(recognizers["FrenchPersonRecognizer"], text)


def test_recognizers_persons_a_comment_author_in_bold_is_a_speaker(recognizers) -> None:
    # a blog comment opens with its author in bold and a dash; a first name that is also a word
    # ("Olivier", "Gilles") speaks there once, and a bold word that is no first name does not
    text = "**Olivier** — Merci pour ce compte rendu !\n\n**Attention** — la rue est fermée.\n"
    speakers = [s for s, rule in _rules(recognizers["FrenchPersonRecognizer"], text) if rule == "fr.person.speaker"]
    assert speakers == ["Olivier"]


def test_recognizers_persons_corpus_tags_are_no_speakers(recognizers) -> None:
    text = "ENQ : vous habitez où\nINT : et depuis quand\nQ : pourquoi\nR : parce que"
    assert [s for s, rule in _rules(recognizers["FrenchPersonRecognizer"], text) if rule == "fr.person.speaker"] == []


def test_recognizers_persons_an_unknown_label_that_keeps_speaking_is_a_speaker(recognizers) -> None:
    text = "Zorvan Kettal : bonjour\nAnne : oui\nZorvan Kettal : on y va\nAnne : d'accord"
    speakers = [s for s, rule in _rules(recognizers["FrenchPersonRecognizer"], text) if rule == "fr.person.speaker"]
    assert speakers == ["Zorvan Kettal", "Anne", "Zorvan Kettal", "Anne"]


def test_recognizers_persons_a_name_never_runs_into_the_next_turn(recognizers) -> None:
    text = "Anne : on allait vers Paris\nMarc Tellier : oui"
    names = [s for s, _rule in _rules(recognizers["FrenchPersonRecognizer"], text)]
    assert "Marc Tellier" in names and not any("\n" in s for s in names)


def test_recognizers_persons_initials_given_to_a_named_person(recognizers) -> None:
    text = "La séance est ouverte par Marc Tellier (MT). MT rappelle l'ordre du jour ; ensuite MT lève la séance."
    aliases = [s for s, rule in _rules(recognizers["FrenchPersonRecognizer"], text) if rule == "fr.person.initials_alias"]
    assert aliases == ["MT", "MT", "MT"]
    dotted = "Présente : Anne Vautrin (A. V.). A. V. ouvre la séance."
    assert [s for s, rule in _rules(recognizers["FrenchPersonRecognizer"], dotted)
            if rule == "fr.person.initials_alias"] == ["A. V.", "A. V."]
    unrelated = "Le comité (CQ) a voté. CQ est content."
    assert not [r for r in _rules(recognizers["FrenchPersonRecognizer"], unrelated) if r[1] == "fr.person.initials_alias"]


def test_recognizers_persons_dotted_initials_in_brackets_stand_for_a_person(recognizers) -> None:
    text = "Bernard (G. E.) m'a dit non, et le comité (CQ) aussi."
    found = _rules(recognizers["FrenchPersonRecognizer"], text)
    assert ("G. E.", "fr.person.initials_bracket") in found and not any(s == "CQ" for s, _rule in found)


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("deux animatrices, dont Clémence, que les enfants connaissent", True),
        ("c'est Clémence qui avait monté le spectacle", True),
        ("on a fait appel à la Clémence du juge", False),
        ("Clémence est une vertu, disait-il", False),  # a sentence start: no evidence
        # set off by commas after a named person: her first name
        ("Oui, Madame Vasseur, Clémence. Elle est là depuis dix ans.", True),
        ("on est passés par Lyon, Clémence, et la Drôme", False),  # after a place, no person
    ],
)
def test_recognizers_persons_a_first_name_that_is_a_word_where_a_person_is_spoken_of(
        recognizers, text: str, found: bool) -> None:
    names = [s for s, rule in _rules(recognizers["FrenchPersonRecognizer"], text) if rule == "fr.person.first_name"]
    assert (names == ["Clémence"]) is found


def test_recognizers_persons_a_feast_day_after_a_time_word_is_no_first_name(recognizers) -> None:
    text = "On ferme à Noël et depuis la Toussaint. Noël Vidal est venu."
    results = recognizers["FrenchPersonRecognizer"].analyze(text, ["PERSON"], None)
    spans = {(r.start, text[r.start:r.end]) for r in results}
    assert (text.index("Noël Vidal"), "Noël Vidal") in spans
    assert not any(start < text.index(".") for start, _surface in spans)  # nothing in the first sentence
    fair = "On se voit au marché de Noël de Plouay, puis à Pâques Le Goff."
    assert not any(t.startswith(("Noël", "Pâques")) for t, _r in _rules(recognizers["FrenchPersonRecognizer"], fair))


def test_recognizers_persons_a_first_name_that_is_also_a_word_speaks_with_a_tag_or_two_turns(recognizers) -> None:
    tagged = "[00:01:12] Gilles (1er adjoint) : bonjour je vous dérange\n[00:01:15] ENQ : non\n"
    twice = "Olivier : oui\nENQ : et ensuite\nOlivier : ensuite on a vu\n"
    once = "Rose : une fleur qui pousse partout\n"
    for text, expected in ((tagged, ["Gilles"]), (twice, ["Olivier", "Olivier"]), (once, [])):
        speakers = [s for s, rule in _rules(recognizers["FrenchPersonRecognizer"], text) if rule == "fr.person.speaker"]
        assert speakers == expected, text


def test_recognizers_persons_a_generic_acronym_before_a_colon_is_no_speaker(recognizers) -> None:
    text = "- FDVA : le dossier 2024 a été refusé.\n- CCAS : une permanence le jeudi.\n"
    assert [s for s, rule in _rules(recognizers["FrenchPersonRecognizer"], text) if rule == "fr.person.speaker"] == []


def test_recognizers_persons_a_first_name_taken_up_by_a_pronoun_opens_its_clause(recognizers) -> None:
    text = ("Capucine elle a trois ans maintenant.\nAlors il a dit oui.\nRose, elle venait le jeudi.\n"
            "Pierre, lui, il tient les comptes.\nOlive m'a dit que non.\nSuite, elle a dit oui.\n"
            "Pierre, lui a dit le maire, ne bouge pas.\n")
    names = [s for s, rule in _rules(recognizers["FrenchPersonRecognizer"], text) if rule == "fr.person.first_name"]
    assert names == ["Capucine", "Rose", "Pierre", "Olive"]


def test_recognizers_persons_a_determiner_and_a_noun_speak_as_no_name(recognizers) -> None:
    text = ("UNE HABITANTE : bonsoir\nLE MAIRE : oui\nUNE HABITANTE : et la route\nUn élu : non\n"
            "Un élu : si\nJOSIANE : moi je dis\n")
    speakers = [s for s, rule in _rules(recognizers["FrenchPersonRecognizer"], text) if rule == "fr.person.speaker"]
    assert speakers == ["JOSIANE"]


def test_recognizers_persons_a_name_after_chez_is_whose_home_or_business(recognizers) -> None:
    text = "on a le fromage de chez Colin.\nOn dîne chez Nous, le restaurant.\nIl passe chez Paulo Berthe.\n"
    names = [s for s, rule in _rules(recognizers["FrenchPersonRecognizer"], text) if rule == "fr.person.chez"]
    assert names == ["Colin", "Paulo Berthe"]
    found = recognizers["FrenchPersonRecognizer"].analyze("la boucherie où on allait chez Bouvier", None, None)
    assert [(r.entity_type, r.start) for r in found] == [("ORGANIZATION", 31)]  # a shop's name


def test_recognizers_persons_a_family_by_its_surname_in_the_plural(recognizers) -> None:
    text = ("Les Le Bris sont arrivés en 1998.\nOn allait chez les Kerzerho le dimanche.\n"
            "les Martin aussi, mais pas les Jardins ni les Lilas.\n")
    names = [s for s, rule in _rules(recognizers["FrenchPersonRecognizer"], text) if rule == "fr.person.family"]
    assert names == ["Le Bris", "Kerzerho", "Martin"]


def test_recognizers_persons_a_family_taken_up_by_a_plural_pronoun(recognizers) -> None:
    text = ("ses grands-parents les Castagnet ils sont là depuis toujours, les Lyonnais ils viennent l'été,\n"
            "les Bleus ils ont gagné et les Tilleuls ils y sont.\n")
    names = [s for s, rule in _rules(recognizers["FrenchPersonRecognizer"], text) if rule == "fr.person.family"]
    assert names == ["Castagnet"]


def test_recognizers_persons_an_acronym_after_an_article_is_no_first_name(recognizers) -> None:
    text = "bon bref la CUMA ça marche et l'ADMR aussi, mais NADIA est venue"
    names = [s for s, rule in _rules(recognizers["FrenchPersonRecognizer"], text) if rule == "fr.person.first_name"]
    assert names == ["NADIA"]


def test_recognizers_persons_a_first_name_that_is_a_word_with_a_title_or_after_cest(recognizers) -> None:
    text = ("avec le lycée de Sélestat : Olivier, professeur de mécanique, y amène ses élèves.\n"
            "c'est Olivier le président il est motivé.\nOlivier, arbre fruitier, pousse bien.\n")
    names = [s for s, rule in _rules(recognizers["FrenchPersonRecognizer"], text) if rule == "fr.person.first_name"]
    assert names == ["Olivier", "Olivier"]


def test_recognizers_persons_a_speakers_initials_are_that_person_elsewhere_in_the_text(recognizers) -> None:
    text = "Enquêteur : E. Participante : M.D. (coordinatrice).\nM.D. : bonjour\nE. : oui\nM.D. : voilà\n"
    found = _rules(recognizers["FrenchPersonRecognizer"], text)
    assert ("M.D.", "fr.person.initials_alias") in found
    assert text.index("M.D.") in [r.start for r in recognizers["FrenchPersonRecognizer"].analyze(text, None, None)]


def test_recognizers_persons_no_name_in_a_headings_words_nor_a_saints_commune(recognizers) -> None:
    text = ("## Une Maison De Santé Pluridisciplinaire Au Champ De Mars\nUn Automne Riche En Rendez-Vous\n"
            "L.A. : on vient de Sainte-Bazeille Beaupuy surtout\nSanté Lambert est venue hier.\n"
            "Prudence Gachet, La Mémoire Des Vergers\n")
    names = [s for s, rule in _rules(recognizers["FrenchPersonRecognizer"], text) if rule == "fr.person.first_last"]
    # a name in a sentence, or in a heading with a surname that is no word; no heading's words
    assert names == ["Santé Lambert", "Prudence Gachet"]


def test_recognizers_persons_an_ordinary_word_before_a_code_speaks_as_no_name(recognizers) -> None:
    text = "Corpus TERR-COOP — entretien 21\nRose MARTIN : bonjour\nEnquête ABCD : note\n"
    speakers = [s for s, rule in _rules(recognizers["FrenchPersonRecognizer"], text) if rule == "fr.person.speaker"]
    assert speakers == ["Rose MARTIN"]


def test_recognizers_persons_a_heading_before_a_colon_or_in_brackets_is_no_speaker(recognizers) -> None:
    rule = "fr.person.speaker"
    body = "\n\nLe collectif des habitants organise un repas partagé chaque premier dimanche du mois à la salle."
    for heading in ("CAHORS SOLIDAIRE : UN REPAS POUR TOUS", "[BLOCNOTE]"):
        found = _rules(recognizers["FrenchPersonRecognizer"], heading + body)
        assert [s for s, r in found if r == rule] == [], heading
    # speech in capitals after a label is still a turn: too short for a subtitle
    turns = "JOCELYN : NON NON\nENQ : et pourquoi vous dites ça, vous pouvez me raconter un peu plus ?\n"
    assert [s for s, r in _rules(recognizers["FrenchPersonRecognizer"], turns) if r == rule] == ["JOCELYN"]
    # a known surname in capitals in brackets speaks; an unknown word, once it speaks twice
    turn = "[MORVAN]\noui alors moi je suis arrivé ici en quatre-vingt-dix, on était trois à la ferme.\n"
    assert [s for s, r in _rules(recognizers["FrenchPersonRecognizer"], turn) if r == rule] == ["MORVAN"]
    turns = "[KERVOAS] oui alors on était trois à la ferme.\n[ENQ] et après ?\n[KERVOAS] après on a vendu.\n"
    assert [s for s, r in _rules(recognizers["FrenchPersonRecognizer"], turns) if r == rule] == ["KERVOAS"] * 2


def test_recognizers_persons_a_lower_case_name_after_a_civility_in_full(recognizers) -> None:
    text = "il y a madame tchiloemba qui vient le lundi, monsieur le curé et madame la maire, bonjour madame"
    found = [s for s, r in _rules(recognizers["FrenchPersonRecognizer"], text) if r == "fr.person.civility_surname"]
    assert found == ["tchiloemba"]


def test_recognizers_persons_a_speakers_initials_without_dots_are_that_person_elsewhere(recognizers) -> None:
    text = ("Conventions : ENQ = enquêtrice ; KL = Katell Le Duff.\n\nENQ : bonjour\nKL : oui alors\n"
            "ENQ : et après ?\nKL : après on a vendu\n")
    found = [(s, r) for s, r in _rules(recognizers["FrenchPersonRecognizer"], text) if s == "KL"]
    assert ("KL", "fr.person.initials_alias") in found and ("KL", "fr.person.speaker") in found
