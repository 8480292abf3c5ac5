"""detect/rejects: candidates that are no name whatever found them -- a heading line's
ordinary words, people named after their town, a place in a figure of speech, an ordinal of
rank or a floor, a generic acronym or a civility alone (invented sentences; the bundled rules)."""

import re

import pytest

from anonymiser.config import load_config
from anonymiser.config.spoken import Rejects
from anonymiser.detect.rejects import Rejector, heading_line, rejector_of
from anonymiser.errors import ConfigError
from anonymiser.model import Span


@pytest.fixture(scope="module")
def rejector() -> Rejector:
    return rejector_of(load_config())


def span(text: str, surface: str, label: str, recognizer: str = "fr.ner.spacy.x", nth: int = 0) -> Span:
    start = -1
    for _ in range(nth + 1):
        start = text.index(surface, start + 1)
    return Span.of(text, start, start + len(surface), label, score=0.8, recognizer=recognizer)


def kept(rejector: Rejector, text: str, *spans: Span) -> list[str]:
    return [s.text for s in rejector.keep(text, list(spans))]


def test_heading_line_shapes() -> None:
    text = "Voirie\n\nLe Parking Du Stade Agrandi\nLes travaux ont duré trois mois.\n\nVIE ASSOCIATIVE\n\nFin."
    assert heading_line(text, text.index("Parking"), text.index("Parking") + 7) == "title"
    assert heading_line(text, text.index("ASSOCIATIVE"), text.index("ASSOCIATIVE") + 3) == "caps"
    assert heading_line(text, text.index("travaux"), text.index("travaux") + 7) is None  # a sentence
    body = "Nous avons vu\nLe Parking Du Stade Agrandi\nhier soir."
    assert heading_line(body, body.index("Parking"), body.index("Parking") + 7) is None  # no blank line
    assert heading_line("## Nos Belles Rencontres\nTexte.", 3, 6) == "title"  # a Markdown heading
    assert heading_line("\nChers Amis Voisins,\n\n", 1, 6) is None  # a salutation's comma


def test_heading_line_blank_edges_and_long_lines() -> None:
    # only blanks before the first line or after the last one: set apart like a blank line
    text = "  \n Le Marché Des Producteurs\nLes étals ouvrent à huit heures.\n"
    assert heading_line(text, text.index("Marché"), text.index("Marché") + 6) == "title"
    tail = "Les étals ouvrent tôt.\nLe Marché Des Producteurs\n \t\n"
    assert heading_line(tail, tail.index("Marché"), tail.index("Marché") + 6) == "title"
    # a text in one long line (a transcript without breaks) has no heading in it
    long = "Le Marché Des Producteurs " + "et puis on a parlé du marché " * 40
    assert heading_line(long, 3, 9) is None


def test_heading_words_of_ordinary_french_are_dropped(rejector: Rejector) -> None:
    text = ("Travaux\n\nLa Grange Des Fêtes Fait Peau Neuve\nLes murs sont isolés.\n\n"
            "SPORT\n\nLe club de Montrevel gagne.\n\nPortrait\n\nMarcel Vautrin Fête Ses Cent Ans\n")
    assert kept(rejector, text,
                span(text, "Des Fêtes Fait Peau Neuve", "LOCATION", "fr.location.place_noun"),
                span(text, "SPORT", "ORGANIZATION", "fr.org.acronym"),
                span(text, "Montrevel", "MUNICIPALITY"),
                span(text, "Marcel Vautrin", "PERSON", "fr.person.first_last"),
                ) == ["Montrevel", "Marcel Vautrin"]  # a name's words are no ordinary words


def test_heading_place_after_street_noun_is_kept(rejector: Rejector) -> None:
    text = "Voirie\n\nChemin Du Grand Pré\nLa chaussée est refaite.\n"
    assert kept(rejector, text, span(text, "Grand Pré", "LOCATION", "fr.location.place_noun")) == ["Grand Pré"]


def test_demonyms_after_determiner_or_salutation(rejector: Rejector) -> None:
    text = "Chères Montrevellines, chers Montrevelois,\n\nles Tarbaises et les Bressiens sont venus chez les Dubois."
    assert kept(rejector, text,
                span(text, "Chères Montrevellines", "LOCATION"),  # ending not listed: kept
                span(text, "Montrevelois", "ORGANIZATION"),
                span(text, "Tarbaises", "LOCATION"),
                span(text, "Bressiens", "LOCATION"),
                span(text, "Dubois", "LOCATION"),  # a family: "chez les"
                ) == ["Chères Montrevellines", "Dubois"]
    assert rejector.demonyms(text, text.index("Tarbaises"), text.index("Tarbaises") + 9)
    lone = "Il est parti à Valbois hier."
    assert kept(rejector, lone, span(lone, "Valbois", "MUNICIPALITY")) == ["Valbois"]


def test_nationalities_in_a_list(rejector: Rejector) -> None:
    text = "il y a des Maliennes des Syriennes des Ukrainiennes au cours"
    assert kept(rejector, text, span(text, "Maliennes des Syriennes des Ukrainiennes", "LOCATION")) == []
    other = "des Maliennes de Montrevel"
    assert kept(rejector, other, span(other, "Maliennes de Montrevel", "LOCATION")) == ["Maliennes de Montrevel"]


def test_figures_of_speech(rejector: Rejector) -> None:
    text = "le salaire c'est pas Byzance mais on vit, et à Byzance-sur-Loire on a vendu du Nord au Sud"
    assert kept(rejector, text,
                span(text, "Byzance", "LOCATION"),
                span(text, "Byzance-sur-Loire", "MUNICIPALITY"),
                span(text, "Nord", "LOCATION"), span(text, "Sud", "LOCATION"),
                ) == ["Byzance-sur-Loire"]


def test_ordinal_of_rank_or_floor_is_no_arrondissement(rejector: Rejector) -> None:
    rule = "fr.municipality.arrondissement"
    text = "le nouveau chef c'est le cinquième en six ans, la dame du sixième le dit, et j'habite dans le onzième"
    assert kept(rejector, text,
                span(text, "cinquième", "MUNICIPALITY", rule),
                span(text, "sixième", "MUNICIPALITY", rule + "_bare", nth=0),
                span(text, "onzième", "MUNICIPALITY", rule),
                ) == ["onzième"]


def test_generic_acronym_and_civility_alone(rejector: Rejector) -> None:
    text = "la CUMA prête le tracteur, le Dr passe, leur DRH signe, la SCIC Bois Vert"
    assert kept(rejector, text,
                span(text, "CUMA", "ORGANIZATION"), span(text, "Dr", "LOCATION"),
                span(text, "DRH", "ROLE", "fr.role.x"), span(text, "SCIC Bois Vert", "ORGANIZATION"),
                ) == ["DRH", "SCIC Bois Vert"]


def test_rejects_section_is_checked() -> None:
    with pytest.raises(ConfigError):
        Rejects.from_data({"figure": ["x"]}, "spoken.yaml")
    with pytest.raises(ConfigError):
        Rejects.from_data({"rank_after": ["("]}, "spoken.yaml")
    assert Rejects.from_data(None, "spoken.yaml") == Rejects()


def test_ordinary_phrases_that_ner_takes_for_names(rejector: Rejector) -> None:
    text = ("Statuts : Association loi 1901.\nDimanche : Vide-greniers du club.\n"
            "Ouvert de 9 h à 12 h. Renseignements : x.\n"
            "Liste : Habitants d'abord\nCompte à la Banque d'épargne\n"
            "La Mission locale angevine et Loire-Atlantique 2030 ouvrent.")
    ner = "fr.ner.spacy.organization"
    assert kept(rejector, text,
                span(text, "Association loi 1901", "ORGANIZATION", ner),
                span(text, "Vide-greniers", "LOCATION", ner),
                span(text, "h. Renseignements", "LOCATION", ner),
                span(text, "Habitants d'abord", "ORGANIZATION", ner),
                span(text, "Banque d'épargne", "ORGANIZATION", ner),  # an elided word of a name
                span(text, "Mission locale angevine", "ORGANIZATION", ner),  # a place adjective: NER's rule
                span(text, "Loire-Atlantique 2030", "ORGANIZATION", ner),  # a capital inside the compound
                span(text, "Association loi 1901", "ORGANIZATION", "fr.org.head_name"),  # not NER's
                ) == ["Banque d'épargne", "Mission locale angevine", "Loire-Atlantique 2030", "Association loi 1901"]


def test_heading_question_with_inverted_pronoun(rejector: Rejector) -> None:
    text = 'title: "Le Lavoir Sera-t-il Restauré ?"\n---\nTexte.'
    assert kept(rejector, text, span(text, "Lavoir Sera-t-il", "LOCATION", "fr.location.place_noun")) == []


def test_demonyms_in_pairs(rejector: Rejector) -> None:
    text = "Le Mot Du Maire\n\nTarbaises, Tarbais,\n\nLes Bressanes et Bressans sont là. Valbois, Montrevel."
    assert kept(rejector, text, span(text, "Tarbais", "LOCATION", nth=1), span(text, "Tarbaises", "LOCATION"),
                span(text, "Montrevel", "MUNICIPALITY"), span(text, "Valbois", "MUNICIPALITY"),
                ) == ["Montrevel", "Valbois"]


def test_corpus_tags_and_project_codes_are_transcript_marks() -> None:
    spoken = load_config().spoken
    assert all(spoken.is_marker(s) for s in ("Corpus VIL-ASSO", "corpus AB-12", "ENT-12", "P3", "E07"))
    assert not any(spoken.is_marker(s) for s in ("Corpus Vilasso", "Ent-12", "Pierre", "PARIS", "p3"))


def test_a_title_running_into_its_quoted_subject(rejector: Rejector) -> None:
    text = "Atelier de parole n° 2 – « Vivre ensemble au bourg »\nMai\n« Les Amis de Montrevel »"
    ner = "fr.ner.spacy.organization"
    assert kept(rejector, text, span(text, "Atelier de parole n° 2 – « Vivre ensemble", "ORGANIZATION", ner),
                span(text, "« Les Amis de Montrevel", "ORGANIZATION", ner),
                ) == ["« Les Amis de Montrevel"]


def test_a_generic_acronym_run_into_a_scheme_never_masked(rejector: Rejector) -> None:
    text = "financé par la DETR et Petites villes de demain, et par Montrevel Active et Petites villes de demain"
    scheme = [(m.start(), m.end()) for m in re.finditer("Petites villes de demain", text)]
    spans = [span(text, "DETR et Petites", "ORGANIZATION", "fr.org.capitalised_run"),
             span(text, "Montrevel Active et Petites", "ORGANIZATION", "fr.org.capitalised_run"),
             span(text, "DETR", "ORGANIZATION", "fr.org.acronym")]
    assert [s.text for s in rejector.before_never_masked(spans, scheme)] == ["Montrevel Active et Petites", "DETR"]


def test_an_event_s_name_is_no_body_or_place(rejector: Rejector) -> None:
    text = "Infos du quartier : la Fête des Lumières approche, et le Salon de l'Agriculture aussi."
    assert kept(rejector, text, span(text, "Fête des Lumières", "ORGANIZATION")) == []
    assert rejector.event_ranges(text) == [(text.index("Fête"), text.index(" approche")),
                                           (text.index("Salon"), text.index(" aussi"))]
    assert kept(rejector, "le Forum est plein", span("le Forum est plein", "Forum", "LOCATION")) == ["Forum"]


def test_an_event_said_with_its_kind_in_lower_case_is_no_place(rejector: Rejector) -> None:
    text = "Pendant la fête des Lumières on sort, puis la fête de Kerhuel et la fête du Secours populaire."
    spans = [span(text, "Lumières", "LOCATION", "fr.location.article_name"),
             span(text, "Kerhuel", "LOCATION", "fr.ner.spacy.location"),
             span(text, "Secours populaire", "ORGANIZATION", "fr.org.known_name")]
    assert [s.text for s in rejector.outside_events(text, spans)] == ["Kerhuel", "Secours populaire"]


def test_a_name_never_takes_the_count_or_the_amount_after_it(rejector: Rejector) -> None:
    text = "Subvention de la Ville de Kervec 3 000 € ; Josette Kervec 40 voix ; l'ALEC 71 enfin ; le 44 rue."
    spans = [span(text, "Ville de Kervec 3", "ORGANIZATION", "fr.org.head_name"),
             span(text, "Josette Kervec 40", "ORGANIZATION", "fr.org.capitalised_run"),
             span(text, "ALEC 71", "ORGANIZATION", "fr.org.acronym")]
    assert [s.text for s in rejector.keep(text, spans)] == ["Ville de Kervec", "Josette Kervec", "ALEC 71"]


def test_a_part_of_a_building_by_its_letter_is_no_place(rejector: Rejector) -> None:
    text = "Le bâtiment C est fini, l'escalier 2 aussi, mais la Tour Kervec et le bâtiment Ker non."
    spans = [span(text, w, "LOCATION", "fr.ner.spacy.location")
             for w in ("bâtiment C", "escalier 2", "Tour Kervec", "bâtiment Ker")]
    assert [s.text for s in rejector.keep(text, spans)] == ["Tour Kervec", "bâtiment Ker"]
