"""recognizers/ner: the entities of an already parsed text (hand-made NLP artefacts, no model),
trimmed of civilities and punctuation, split at line ends, stop-listed and ordinary words dropped,
a location that is a known commune relabelled."""

from __future__ import annotations

from types import SimpleNamespace

from anonymiser.recognizers.base import rule_id_of
from anonymiser.recognizers.ner import FrenchNerRecognizer
from anonymiser.text.matching import PhraseIndex


def artefacts(text: str, *entities: tuple[str, str, float]) -> SimpleNamespace:
    """NLP artefacts whose entities are the first occurrences of ``(surface, label, score)``."""
    ents = [SimpleNamespace(label_=label, start_char=text.index(surface), end_char=text.index(surface) + len(surface))
            for surface, label, _score in entities]
    return SimpleNamespace(entities=ents, scores=[score for _s, _l, score in entities])


def recognizer() -> FrenchNerRecognizer:
    return FrenchNerRecognizer(labels=("PERSON", "LOCATION", "ORGANIZATION"), score=0.8, rule_id="fr.ner",
                               stoplist=frozenset({"Grille"}), civilities=("M.", "Mme"),
                               communes=PhraseIndex([("Combelorge", "99002")]),
                               common_words=frozenset({"citoyens", "d'abord", "maison"}),
                               generic_acronyms=frozenset({"ESS"}), demonym_endings=("ais", "aise"))


def found(text: str, *entities: tuple[str, str, float]) -> list[tuple[str, str, float, str]]:
    return [(text[r.start:r.end], r.entity_type, r.score, rule_id_of(r))
            for r in recognizer().analyze(text, [], artefacts(text, *entities))]


def test_recognizers_ner_without_artefacts_finds_nothing() -> None:
    assert recognizer().analyze("Odile Brossard", [], None) == []
    assert recognizer().supported_entities == ["LOCATION", "MUNICIPALITY", "ORGANIZATION", "PERSON"]


def test_recognizers_ner_trims_civilities_and_punctuation_and_caps_the_score() -> None:
    text = "Hier, Mme Odile Brossard, est venue."
    assert found(text, ("Mme Odile Brossard,", "PERSON", 0.95)) == [("Odile Brossard", "PERSON", 0.8, "fr.ner.person")]
    assert found(text, ("Odile Brossard", "PERSON", 0.6)) == [("Odile Brossard", "PERSON", 0.6, "fr.ner.person")]


def test_recognizers_ner_a_known_commune_becomes_a_municipality() -> None:
    text = "à Combelorge et à Valbrune"
    assert found(text, ("Combelorge", "LOCATION", 0.9), ("Valbrune", "LOCATION", 0.9)) == [
        ("Combelorge", "MUNICIPALITY", 0.8, "fr.ner.municipality"), ("Valbrune", "LOCATION", 0.8, "fr.ner.location")]


def test_recognizers_ner_splits_at_line_ends() -> None:
    text = "Odile Brossard\nGaspard Lemarchal"
    assert [f[0] for f in found(text, (text, "PERSON", 0.9))] == ["Odile Brossard", "Gaspard Lemarchal"]


def test_recognizers_ner_drops_what_is_no_name() -> None:
    text = ("Grille d'entretien. Citoyens d'abord est un collectif. L'ESS aussi.\n"
            "TERRITOIRES COOPÉRATIFS ET SOLIDAIRES\nle maire parle. Une Maison lyonnaise. Un Xq.")
    entities = [("Grille", "PERSON", 0.9), ("Citoyens d'abord", "ORGANIZATION", 0.9), ("ESS", "ORGANIZATION", 0.9),
                ("TERRITOIRES COOPÉRATIFS ET SOLIDAIRES", "ORGANIZATION", 0.9), ("le maire", "PERSON", 0.9),
                ("Maison lyonnaise", "ORGANIZATION", 0.9), ("X", "PERSON", 0.9), ("Citoyens", "MISC", 0.9)]
    assert [f[0] for f in found(text, *entities)] == ["Maison lyonnaise"]  # a place adjective keeps it


def placed() -> FrenchNerRecognizer:
    from anonymiser.recognizers.ner import PlaceHeads

    return FrenchNerRecognizer(labels=("PERSON", "LOCATION", "ORGANIZATION"), score=0.8, rule_id="fr.ner",
                               stoplist=frozenset(), civilities=("M.", "Mme"),
                               communes=PhraseIndex([("Saint-Lubin", "99003")]),
                               common_words=frozenset({"gare", "aux", "loutres"}),
                               places=PlaceHeads(nouns=("rue", "place", "gare", "parc"), streets=("rue", "faubourg"),
                                                 links=("de", "des", "de la", "d'", "aux"),
                                                 generic=frozenset({"Mairie"})))


def run(text: str, *entities: tuple[str, str, float]) -> list[tuple[str, str]]:
    """(surface, label) of what ``placed()`` keeps of the given NER entities."""
    return [(text[r.start:r.end], r.entity_type) for r in placed().analyze(text, [], artefacts(text, *entities))]


def test_recognizers_ner_a_place_keeps_the_name_after_its_place_noun() -> None:
    text = "au 4 rue des Vanniers, puis place de la Mairie et le parc naturel des Combes."
    assert run(text, ("rue des Vanniers", "LOCATION", 0.9), ("place de la Mairie", "LOCATION", 0.9),
               ("parc naturel des Combes", "LOCATION", 0.9)) == [
        ("Vanniers", "LOCATION"), ("parc naturel des Combes", "LOCATION")]  # a body's whole name stays
    text = "on sortait à la Gare aux Loutres le soir"
    assert run(text, ("Gare aux Loutres", "LOCATION", 0.9)) == [("Gare aux Loutres", "LOCATION")]  # a venue


def test_recognizers_ner_a_name_after_a_street_noun_is_the_street_and_a_family_is_a_person() -> None:
    text = "rue Firmin Laborde, vers le faubourg Saint-Lubin, on dînait chez les Castagnet."
    assert run(text, ("Firmin Laborde", "PERSON", 0.9), ("Saint-Lubin", "LOCATION", 0.9),
               ("Castagnet", "LOCATION", 0.9)) == [
        ("Firmin Laborde", "LOCATION"), ("Saint-Lubin", "LOCATION"), ("Castagnet", "PERSON")]


def test_recognizers_ner_a_place_led_by_an_acronym_is_a_body() -> None:
    text = "Le SMICTOM passe, le SIVOM du Haut-Célé aussi, mais pas l'ESS ni la VALLÉE DU LOT."
    entities = [("SMICTOM", "LOCATION", 0.9), ("SIVOM du Haut-Célé", "LOCATION", 0.9), ("ESS", "LOCATION", 0.9),
                ("VALLÉE DU LOT", "LOCATION", 0.9)]
    labels = {f[0]: f[1] for f in found(text, *entities)}
    assert labels["SMICTOM"] == "ORGANIZATION" and labels["SIVOM du Haut-Célé"] == "ORGANIZATION"
    assert labels.get("VALLÉE DU LOT", "LOCATION") == "LOCATION" and "ESS" not in labels


def test_recognizers_ner_a_noun_after_de_is_no_place_adjective() -> None:
    text = "Statut : Maison de concertaise. Puis la Maison concertaise ouvre."  # "-aise" after "de": a noun
    entities = [("Maison de concertaise", "ORGANIZATION", 0.9), ("Maison concertaise", "ORGANIZATION", 0.9)]
    rec = FrenchNerRecognizer(labels=("ORGANIZATION",), score=0.8, rule_id="fr.ner", stoplist=frozenset(),
                              civilities=(), common_words=frozenset({"maison", "concertaise"}),
                              demonym_endings=("ais", "aise"))
    assert [text[r.start:r.end] for r in rec.analyze(text, [], artefacts(text, *entities))] == ["Maison concertaise"]


def test_recognizers_ner_an_interview_code_is_no_name() -> None:
    text = "Entretien E14 avec Odile Brossard. Participant P3 : oui."
    entities = [("Entretien E14", "PERSON", 0.9), ("Odile Brossard", "PERSON", 0.9), ("Participant P3", "PERSON", 0.9)]
    rec = FrenchNerRecognizer(labels=("PERSON",), score=0.8, rule_id="fr.ner", stoplist=frozenset(), civilities=(),
                              common_words=frozenset({"entretien", "participant"}))
    assert [text[r.start:r.end] for r in rec.analyze(text, [], artefacts(text, *entities))] == ["Odile Brossard"]


def test_recognizers_ner_a_person_takes_the_particle_of_its_surname() -> None:
    text = "Le docteur Le Kervec est parti. Du Marchal, rien.\nLe Kervec aussi. Il est à La Rivière."
    entities = [("Kervec", "PERSON", 0.9), ("Marchal", "PERSON", 0.9), ("Kervec", "PERSON", 0.9),
                ("Rivière", "LOCATION", 0.9)]
    starts = [text.index("Kervec"), text.index("Marchal"), text.rindex("Kervec"), text.index("Rivière")]
    ents = [SimpleNamespace(start_char=s, end_char=s + len(form), label_=label)
            for s, (form, label, _score) in zip(starts, entities)]
    found_ = [(text[r.start:r.end], r.entity_type) for r in recognizer().analyze(
        text, [], SimpleNamespace(entities=ents, scores=[0.9] * 4))]
    # a person's particle is its own ("Le Kervec", "Du Marchal"); a place's article is left alone
    assert found_ == [("Le Kervec", "PERSON"), ("Du Marchal", "PERSON"), ("Le Kervec", "PERSON"),
                      ("Rivière", "LOCATION")]


def test_recognizers_ner_the_state_and_its_code_are_no_names(config) -> None:
    from .recognizing import by_name

    text = "L'État finance, selon le Code général des impôts, la salle Berthelot."
    entities = [("État", "ORGANIZATION", 0.9), ("Code", "LOCATION", 0.9), ("Berthelot", "PERSON", 0.9)]
    ner = by_name(config)["FrenchNerRecognizer"]
    assert [text[r.start:r.end] for r in ner.analyze(text, [], artefacts(text, *entities))] == ["Berthelot"]


def test_recognizers_ner_the_people_a_letter_addresses_are_no_place() -> None:
    text = "Chères Vernoises, chers Ambrunois, la rentrée à Valbrune. Chère Odile Brossard, merci."
    entities = [("Vernoises", "LOCATION", 0.9), ("Ambrunois", "LOCATION", 0.9), ("Valbrune", "LOCATION", 0.9),
                ("Odile Brossard", "PERSON", 0.9)]
    assert [f[0] for f in found(text, *entities)] == ["Valbrune", "Odile Brossard"]
