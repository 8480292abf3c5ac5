"""Labels from evidence, on hand-built spans of invented sentences: what a mention's own words
and the words before it say (civility, coordination, a kind with its place, heads, context,
gazetteer)."""

from __future__ import annotations

from pathlib import Path

import pytest

from anonymiser.config.rules import Config, LabelRules
from anonymiser.detect.label_votes import LabelVotes, document_votes
from anonymiser.detect.labels import LabelEvidence, label_key
from anonymiser.errors import ConfigError
from anonymiser.model import Span

from .labelling import label_evidence, shown, span


@pytest.fixture(scope="module")
def evidence(config: Config) -> LabelEvidence:
    return label_evidence(config)


# -- a mention's own words ----------------------------------------------------------------------
@pytest.mark.parametrize(("text", "form", "expected"), [
    ("Nous avons vu Mme Yvonne Kerhervé hier.", "Mme Yvonne Kerhervé", [("Yvonne Kerhervé", "PERSON")]),
    ("Merci beaucoup, Madame Kerhervé.", "Madame Kerhervé", [("Kerhervé", "PERSON")]),
    ("Le Dr Marchal arrive lundi.", "Le Dr Marchal", [("Marchal", "PERSON")]),
    ("Il dit Bonjour Monsieur Kervec au guichet.", "Bonjour Monsieur Kervec", [("Kervec", "PERSON")]),
    # a civility that opens a place name stays in it
    ("On monte vers Père Kervec le dimanche.", "Père Kervec", [("Père Kervec", "ORGANIZATION")]),
])
def test_detect_labels_a_civility_is_never_inside_a_name(evidence: LabelEvidence, text: str, form: str,
                                                         expected: list[tuple[str, str]]) -> None:
    assert shown(evidence.settle(text, [span(text, form, "ORGANIZATION")])) == expected


@pytest.mark.parametrize(("text", "form", "label", "rule", "expected"), [
    # a street inside a lower-case kind of body, or inside a span of the NER: the street's name
    ("Mes amis à l'école de rue des Kervec ont changé.", "école de rue des Kervec", "ORGANIZATION",
     "fr.org.kind_of_place", [("Kervec", "LOCATION")]),
    ("L'association de la rue de Kervec s'est montée.", "association de la rue de Kervec", "ORGANIZATION",
     "fr.org.kind_of_place", [("Kervec", "LOCATION")]),
    ("On a monté l'association de la rue de Kervec avec eux.", "association de la rue de Kervec", "ORGANIZATION",
     "fr.org.kind_of_place", [("Kervec", "LOCATION")]),
    ("L'École de la rue de Kervec ferme.", "École de la rue de Kervec", "ORGANIZATION",
     "fr.org.kind_of_place", [("Kervec", "LOCATION")]),  # a kind with its capital, the street's all the same
    ("Une école sur les quais de la Kervec ouvre.", "école sur les quais de la Kervec", "ORGANIZATION",
     "fr.org.kind_of_place", [("Kervec", "LOCATION")]),  # a street noun in the plural
    ("Le collège du quartier de Kervec ouvre.", "collège du quartier de Kervec", "ORGANIZATION",
     "fr.org.kind_of_place", [("Kervec", "LOCATION")]),
    ("Je leur disais je vis ben rue de la Kervec, ils riaient.", "ben rue de la Kervec", "PERSON",
     "fr.ner.spacy.person", [("Kervec", "LOCATION")]),
    # ... not the "quartier" of a kind's own name
    ("Le comité de quartier de Kervec se réunit.", "comité de quartier de Kervec", "ORGANIZATION",
     "fr.org.head_lower", [("comité de quartier de Kervec", "ORGANIZATION")]),
    # a span of the NER that runs on into an article and lower-case words ends with the name
    ("On passait par Porte de Kervec le soir.", "Porte de Kervec le soir", "LOCATION", "fr.ner.spacy.location",
     [("Porte de Kervec", "LOCATION")]),
    # ... or into adverbs of the sentence
    ("Le Collectif Les Tisserands aussi.", "Le Collectif Les Tisserands aussi", "ORGANIZATION",
     "fr.ner.spacy.organization", [("Le Collectif Les Tisserands", "ORGANIZATION")]),
    ("Et Kervec encore là-bas.", "Kervec encore là-bas", "LOCATION", "fr.ner.spacy.location",
     [("Kervec", "LOCATION")]),
    # ... but a rule of its own keeps its span, and a lower-case word of the name stays
    ("Le Collectif Les Tisserands aussi.", "Collectif Les Tisserands aussi", "ORGANIZATION",
     "fr.org.capitalised_run", [("Collectif Les Tisserands aussi", "ORGANIZATION")]),
    ("Il va à la Maison de la culture.", "Maison de la culture", "ORGANIZATION", "fr.ner.spacy.organization",
     [("Maison de la culture", "ORGANIZATION")]),
    # a coordination of a commune and a street-like place is two places
    ("On allait entre Plouay et Porte de Kervec le soir.", "Plouay et Porte de Kervec le soir", "LOCATION",
     "fr.ner.spacy.location", [("Plouay", "MUNICIPALITY"), ("Porte de Kervec", "LOCATION")]),
    # ... but two place-headed names with no commune or first name may be one name
    ("On allait à Porte Kervec et Porte Marchal.", "Porte Kervec et Porte Marchal", "LOCATION",
     "fr.ner.spacy.location", [("Porte Kervec et Porte Marchal", "LOCATION")]),
    # whatever found it, a name ends before the fillers of speech after it
    ("Au Stade Kervec hein pas ailleurs.", "Stade Kervec hein", "ORGANIZATION", "fr.org.head_name",
     [("Stade Kervec", "ORGANIZATION")]),
])
def test_detect_labels_streets_coordinations_and_run_on_spans(evidence: LabelEvidence, text: str, form: str,
                                                              label: str, rule: str,
                                                              expected: list[tuple[str, str]]) -> None:
    assert shown(evidence.settle(text, [span(text, form, label, rule)])) == expected


@pytest.mark.parametrize(("text", "form", "expected"), [
    # a title run on into a name in apposition: the name alone, a person
    ("Le matin la secrétaire de mairie Josiane ouvre le courrier.", "secrétaire de mairie Josiane",
     [("Josiane", "PERSON")]),
    ("On a eu une cheffe de projet Maëlle Kervadec pour trois ans.", "cheffe de projet Maëlle Kervadec",
     [("Maëlle Kervadec", "PERSON")]),
    ("Elle appelle la médiatrice du bailleur euh Nadia qui vient.", "médiatrice du bailleur euh Nadia",
     [("Nadia", "PERSON")]),
    # a title tied to its place or body by "de", "du", "à" stays a role, even a place a first name is spelt as
    ("Le maire de Gilles est venu.", "maire de Gilles", [("maire de Gilles", "ROLE")]),
    ("La directrice du centre social Les Acacias parle.", "directrice du centre social Les Acacias",
     [("directrice du centre social Les Acacias", "ROLE")]),
    ("La présidente de l'association Nadia Solidaire parle.", "présidente de l'association Nadia Solidaire",
     [("présidente de l'association Nadia Solidaire", "ROLE")]),
    # a name after the title that is a commune, not a first name, is no person
    ("Le secrétaire de mairie Plouay part.", "secrétaire de mairie Plouay", [("secrétaire de mairie Plouay", "ROLE")]),
])
def test_detect_labels_a_name_after_a_title_is_the_person(evidence: LabelEvidence, text: str, form: str,
                                                          expected: list[tuple[str, str]]) -> None:
    assert shown(evidence.settle(text, [span(text, form, "ROLE", "fr.role.titled")])) == expected


def test_detect_labels_contacts_and_roles_are_left_alone(evidence: LabelEvidence) -> None:
    text = "Écrire à Mme Kervec et Nadia, maire de Rezé."
    spans = [span(text, "Mme Kervec et Nadia", "ROLE", "fr.role.titled")]
    assert evidence.settle(text, spans) == spans


# -- what a mention votes for -------------------------------------------------------------------
def best(evidence: LabelEvidence, text: str, s: Span) -> str:
    votes = LabelVotes(("ROLE", "ORGANIZATION", "PERSON", "MUNICIPALITY", "LOCATION"))
    return votes.add(document_votes(evidence, text, [s])).decide()[label_key(s.text)]


@pytest.mark.parametrize(("text", "form", "label", "rule", "expected"), [
    ("On descend la rue de Kervec jusqu'au bout.", "Kervec", "PERSON", "fr.ner.spacy.person", "LOCATION"),
    ("Le bureau de vote est salle Nadia Kervec.", "Nadia Kervec", "PERSON", "fr.person.first_last", "LOCATION"),
    ("Sa fille est au lycée Yvonne Marchal.", "Yvonne Marchal", "PERSON", "fr.person.first_last", "ORGANIZATION"),
    ("Il a parlé avec M. Kervec hier.", "Kervec", "ORGANIZATION", "fr.ner.spacy.organization", "PERSON"),
    ("Le soir ils traînent vers Kervec.", "Kervec", "PERSON", "fr.ner.spacy.person", "LOCATION"),
    ("Il a été apprenti chez Kervec.", "Kervec", "PERSON", "fr.ner.spacy.person", "ORGANIZATION"),
    ("Il dîne chez Nadia ce soir.", "Nadia", "ORGANIZATION", "fr.ner.spacy.organization", "PERSON"),
    # "en" before a name says a place, whatever first name it also is
    ("Les syndicats en France sont divisés.", "France", "LOCATION", "fr.ner.spacy.location", "LOCATION"),
    ("Elle vit à Quimperlé depuis peu.", "Quimperlé", "PERSON", "fr.ner.spacy.person", "MUNICIPALITY"),
    ("Le financeur, Kervec Communauté, suit.", "Kervec Communauté", "LOCATION", "fr.ner.spacy.location",
     "ORGANIZATION"),
    ("La Confédération des Landes Kervec suit.", "Confédération des Landes Kervec", "LOCATION",
     "fr.ner.spacy.location", "ORGANIZATION"),
    ("Le répondant : NADIA Kervec, gérante.", "NADIA Kervec", "PERSON", "fr.person.first_last", "PERSON"),
    ("La CAF Bretagne suit le dossier.", "CAF Bretagne", "LOCATION", "fr.ner.spacy.location", "ORGANIZATION"),
    ("Les bilans, la CPAM de Kervec les fait.", "CPAM de Kervec", "LOCATION", "fr.ner.spacy.location",
     "ORGANIZATION"),
    ("On prenait le Cours de Kervec le matin.", "Cours de Kervec", "ORGANIZATION", "fr.org.capitalised_run",
     "LOCATION"),
    ("Le conseiller de France Travail appelle.", "France Travail", "PERSON", "fr.person.first_last",
     "ORGANIZATION"),
    ("Elle était à l'école Yvonne-Marchal.", "Yvonne-Marchal", "PERSON", "fr.ner.spacy.person", "ORGANIZATION"),
    ("Il y a une usine Kervec en bas.", "Kervec", "PERSON", "fr.ner.spacy.person", "ORGANIZATION"),
    ("Le financeur, Grand-Quimperlé, suit.", "Grand-Quimperlé", "LOCATION", "fr.ner.spacy.location",
     "ORGANIZATION"),
    ("On arrive au Mail Nadia Kervec.", "Mail Nadia Kervec", "ORGANIZATION", "fr.org.capitalised_run", "LOCATION"),
    # a lone word a rule of its own names as a place is no person for being a first name too
    ("La vallée entre la Loire et le Tanguy.", "Tanguy", "LOCATION", "fr.location.named_place", "LOCATION"),
    ("Il a vu Tanguy hier.", "Tanguy", "ORGANIZATION", "fr.ner.spacy.organization", "PERSON"),
    # a kind word alone is no evidence: "du Centre" stays the place its rule says
    ("On parle des régions du Centre.", "Centre", "LOCATION", "fr.location.article_name", "LOCATION"),
    # a trade or a kind of body in lower case, just before the name or opening it: an organisation
    ("La scierie Bois du Kervec, à Plouay, recrute.", "Bois du Kervec", "ORGANIZATION", "fr.org.head_lower",
     "ORGANIZATION"),
    ("On travaille avec l'association Épi'Kervec cette année.", "Épi'Kervec", "PERSON", "fr.ner.spacy.person",
     "ORGANIZATION"),
    ("On achète le cidre de la cave Kervec, à Plouay.", "cave Kervec", "LOCATION", "fr.ner.spacy.location",
     "ORGANIZATION"),
    ("On a vu l'association Les Plouay, elle est active.", "Plouay", "MUNICIPALITY", "fr.org.capital_article",
     "ORGANIZATION"),
    ("Il faut prendre les cars Marchal le matin.", "cars Marchal", "PERSON", "fr.ner.spacy.person", "ORGANIZATION"),
    # ... or with a lower-case complement of its own between them
    ("On remercie le club des aînés Les Plouay.", "Plouay", "MUNICIPALITY", "fr.org.capital_article", "ORGANIZATION"),
    # ... but not a place's complement: the name is the neighbourhood's
    ("Avec l'association de quartier Kervec-en-Val, on a fait trois ateliers.", "Kervec-en-Val", "LOCATION",
     "fr.org.capitalised_run", "LOCATION"),
    # ... but a territorial head in lower case is the place itself
    ("On vit dans la région Kervec depuis peu.", "Kervec", "LOCATION", "fr.ner.spacy.location", "LOCATION"),
    # a commune after "une entreprise de" is the commune, where the body is
    ("Les salariés d'une entreprise de Quimperlé viennent.", "Quimperlé", "ORGANIZATION", "fr.org.head_lower",
     "MUNICIPALITY"),
    # a first name after a definite article is no person ("la Roya", "L'Éden"), nor an acronym with its place
    ("Les vallées de la Tinée et de la Nadia sont touchées.", "Nadia", "LOCATION", "fr.ner.spacy.location",
     "LOCATION"),
    ("Rue de Kervec, c'était L'Yvonne, un cinéma.", "Yvonne", "ORGANIZATION", "fr.org.capital_article",
     "ORGANIZATION"),
    ("Suivi par le Pr Kervec, du CHU de Quimperlé, le projet avance.", "CHU de Quimperlé", "PERSON",
     "fr.person.first_last", "ORGANIZATION"),
    # a family by its name is a person, even a surname that is a commune too
    ("On voit la famille Plouay tous les étés.", "Plouay", "MUNICIPALITY", "fr.municipality.gazetteer", "PERSON"),
    ("Le dimanche on allait chez les Marchal.", "Marchal", "ORGANIZATION", "fr.org.capitalised_run", "PERSON"),
    # an employer or a buyer is an organisation, even spelt as a first name of the lexicon...
    ("Mon père bossait chez Tanguy à l'usine.", "Tanguy", "ORGANIZATION", "fr.ner.spacy.organization",
     "ORGANIZATION"),
    ("La laiterie a été rachetée par Tanguy en 2010.", "Tanguy", "PERSON", "fr.ner.spacy.person", "ORGANIZATION"),
    # ... but "chez" alone before a first name is at that person's home
    ("Le dimanche on allait chez Tanguy, le voisin.", "Tanguy", "ORGANIZATION", "fr.ner.spacy.organization",
     "PERSON"),
    # "à" before a name the NER took for a person says a place, unless the name is a first name
    ("On descendait à Kervec pour le marché.", "Kervec", "PERSON", "fr.ner.spacy.person", "LOCATION"),
    ("Je l'ai dit à Nadia hier.", "Nadia", "PERSON", "fr.ner.spacy.person", "PERSON"),
    # "à la", "jusqu'aux" (an article after "à") before a name a weak rule found say a place ...
    ("Le dimanche on montait à la Coudraie pour la messe.", "Coudraie", "ORGANIZATION",
     "fr.transcript.capitalised", "LOCATION"),
    ("On descendait à pied jusqu'aux Tanneurs le samedi.", "Tanneurs", "ORGANIZATION", "fr.transcript.capitalised",
     "LOCATION"),
    # ... but "au" is as often a body or a café as a place: no evidence
    ("Le soir on se retrouvait au Triskell après le travail.", "Triskell", "ORGANIZATION",
     "fr.transcript.capitalised", "ORGANIZATION"),
    # a kind of body written as an acronym opens the name of one: "MJC Kervec", even "à la MJC Kervec"
    ("Il a fait du théâtre à la MJC Kervec tout l'hiver.", "MJC Kervec", "ORGANIZATION", "fr.org.capitalised_run",
     "ORGANIZATION"),
    ("Elle vit à l'EHPAD Les Tilleuls depuis mai.", "EHPAD Les Tilleuls", "LOCATION", "fr.ner.spacy.location",
     "ORGANIZATION"),
    # a trade in lower case just before a name: the shop ("la droguerie Kervec", "la mercerie Le Goff")
    ("La droguerie Kervec, qui tenait la place depuis 1970, ferme.", "Kervec", "PERSON", "fr.ner.spacy.person",
     "ORGANIZATION"),
    ("La mercerie Le Goff a trouvé un repreneur.", "Le Goff", "PERSON", "fr.ner.spacy.person", "ORGANIZATION"),
    # a trade after a first name and a surname makes it a business ("Mathis Kervec Cycles")
    ("Depuis, Mathis Kervec Cycles répare les vélos.", "Mathis Kervec Cycles", "PERSON", "fr.ner.spacy.person",
     "ORGANIZATION"),
    # the words before are those of the mention's line: a speaker label is a person
    ("un coin de jardin\nNadia Kervec : oui", "Nadia Kervec", "PERSON", "fr.person.speaker", "PERSON"),
    ("on longe le jardin\nKERVEC : oui", "KERVEC", "PERSON", "fr.person.speaker", "PERSON"),
    # an institution with an adjective before its name: "l'école élémentaire X" names the school
    ("Le bilan : l'école élémentaire Odile-Kervec revient.", "Odile-Kervec", "LOCATION", "fr.ner.spacy.location",
     "ORGANIZATION"),
    ("Il est au collège public Yvonne Marchal.", "Yvonne Marchal", "PERSON", "fr.person.first_last",
     "ORGANIZATION"),
    # "&" joins the words of a body's or a firm's name, never a person's or a place's
    ("On a l'aide de Grand Kervec Seine & Blavet, le bailleur.", "Grand Kervec Seine & Blavet", "LOCATION",
     "fr.ner.spacy.location", "ORGANIZATION"),
    ("Depuis, Marchal & Tanguy répare les vélos.", "Marchal & Tanguy", "PERSON", "fr.ner.spacy.person",
     "ORGANIZATION"),
    # a kind of body in lower case with its place, in a span of the NER: the body ("l'université de X")
    ("C'est la dame de l'université de Quimperlé pour l'enquête.", "université de Quimperlé", "LOCATION",
     "fr.ner.spacy.location", "ORGANIZATION"),
    # families, in the plural too
    ("Par ordre : familles Plouay et Marchal.", "Plouay", "MUNICIPALITY", "fr.ner.spacy.location", "PERSON"),
    # where one is born, lives or goes: a place, whatever found it
    ("Je suis née au Kerbrac, mes parents étaient corses.", "Kerbrac", "ORGANIZATION", "fr.transcript.capitalised",
     "LOCATION"),
    ("Je change à Plouay et je descends à Jean Kerbrat le soir.", "Jean Kerbrat", "PERSON", "fr.person.first_last",
     "LOCATION"),
    # a name of two words after an article is no person's, even one a rule of persons found
    ("On est montés à la Belle de Kervec en soixante-dix.", "Belle de Kervec", "PERSON", "fr.person.first_last",
     "LOCATION"),
    # ... but a first name alone after it may be ("la Josiane", said so in the country)
    ("Je l'ai dit à la Josiane hier.", "Josiane", "PERSON", "fr.person.first_name", "PERSON"),
    # a first name after a contracted article is no person's either: "jusqu'aux Lilas"
    ("Ça va jusqu'aux Lilas le soir.", "Lilas", "PERSON", "fr.ner.spacy.person", "LOCATION"),
    # a maiden or married name is a person's surname, even one a commune has
    ("Décès : Paulette Kervec, née Plouay (91 ans).", "Plouay", "MUNICIPALITY", "fr.ner.spacy.location", "PERSON"),
    ("Mme veuve Scaër a été reçue.", "Scaër", "MUNICIPALITY", "fr.ner.spacy.location", "PERSON"),
    # a name and a trade's plural after it is a firm, unless the name is a first name
    ("oui alors Kerbriand Fermetures c'est mon grand-père qui l'a créée", "Kerbriand Fermetures", "PERSON",
     "fr.ner.spacy.person", "ORGANIZATION"),
    ("Ce matin Pierre Fontaines est passé.", "Pierre Fontaines", "PERSON", "fr.ner.spacy.person", "PERSON"),
    # an acronym in mixed case is a body's, as one in capitals
    ("On en parle avec la CdK, qui gère la route.", "CdK", "LOCATION", "fr.ner.spacy.location", "ORGANIZATION"),
    ("Le SIVoK de Plouay a voté.", "SIVoK de Plouay", "LOCATION", "fr.ner.spacy.location", "ORGANIZATION"),
    # a first name and a surname joined by a hyphen: a body or a hall named after a person, not the person
    ("L'école Kervec va fusionner avec Yvonne-Marchal l'an prochain.", "Yvonne-Marchal", "PERSON",
     "fr.ner.spacy.person", "ORGANIZATION"),
    ("Réunion à la salle des fêtes Nadia-Kervec, jeudi.", "Nadia-Kervec", "PERSON", "fr.ner.spacy.person",
     "LOCATION"),
    ("Ce soir Jean-Marc vient.", "Jean-Marc", "PERSON", "fr.ner.spacy.person", "PERSON"),  # two first names
    # a figure in a mention makes it no person's, whatever first name opens it
    ("Lieu : centre social, Paris 14e, le 3 mai.", "Paris 14e", "MUNICIPALITY", "fr.municipality.arrondissement",
     "MUNICIPALITY"),
    # going up to a hamlet or a farm
    ("Le soir je monte au Kerbihan voir les bêtes.", "Kerbihan", "ORGANIZATION", "fr.transcript.capitalised",
     "LOCATION"),
    ("Votes : Josette Kervec 40 voix, Paul Le Bihan 37 voix.", "Josette Kervec 40", "ORGANIZATION",
     "fr.org.capitalised_run", "PERSON"),
    # ... a station or a street when one goes there
    ("Métro jusqu'à Yvonne-Marchal et après à pied.", "Yvonne-Marchal", "PERSON", "fr.ner.spacy.person", "LOCATION"),
    ("Moi j'habite vers Nadia-Kervec, au nord.", "Nadia-Kervec", "PERSON", "fr.ner.spacy.person", "LOCATION"),
    ("Du côté de Montkervec c'est plus calme.", "Montkervec", "PERSON", "fr.ner.spacy.person", "LOCATION"),
    # years at an employer, the works that closed
    ("Il a fait trente ans chez Kervec, au moulage.", "Kervec", "LOCATION", "fr.ner.spacy.location", "ORGANIZATION"),
    ("Depuis la fermeture de chez Kervec, rien.", "Kervec", "PERSON", "fr.ner.spacy.person", "ORGANIZATION"),
])
def test_detect_labels_the_evidence_of_a_mention(evidence: LabelEvidence, text: str, form: str, label: str,
                                                 rule: str, expected: str) -> None:
    assert best(evidence, text, span(text, form, label, rule)) == expected


@pytest.mark.parametrize(("text", "form", "expected"), [
    # a lower-case kind with a name is a body, even beside a commune ("la ville de X et la communauté de communes Y")
    ("Avec Rezé et la communauté de communes du Pays de Kervec, ça marche.", "communauté de communes du Pays de Kervec",
     "ORGANIZATION"),
    ("On va à Rezé puis à la salle Kervec le soir.", "salle Kervec", "LOCATION"),
])
def test_detect_labels_a_lower_case_kind_with_a_name(evidence: LabelEvidence, text: str, form: str,
                                                      expected: str) -> None:
    spans = [span(text, "Rezé", "MUNICIPALITY", "fr.municipality.gazetteer"),
             span(text, form, "LOCATION", "fr.ner.spacy.location")]
    votes = LabelVotes(("ROLE", "ORGANIZATION", "PERSON", "MUNICIPALITY", "LOCATION"))
    assert votes.add(document_votes(evidence, text, spans)).decide()[label_key(form)] == expected


@pytest.mark.parametrize(("text", "form", "expected"), [
    ("Elle est présidente du Secours populaire de Kervec.", "présidente du Secours populaire de Kervec",
     [("présidente du Secours populaire de Kervec", "ROLE")]),
    ("Il était technicien de l'ONF pour le secteur.", "technicien de l'ONF pour le secteur",
     [("technicien de l'ONF pour le secteur", "ROLE")]),
    # a capitalised title may open a body's name; a title before no "de" is no role of a body
    ("La Présidente du Club Kervec est là.", "Présidente du Club Kervec", [("Présidente du Club Kervec",
                                                                            "ORGANIZATION")]),
])
def test_detect_labels_a_title_opening_a_ner_body_is_a_role(evidence: LabelEvidence, text: str, form: str,
                                                             expected: list[tuple[str, str]]) -> None:
    found = span(text, form, "ORGANIZATION", "fr.ner.spacy.organization")
    assert shown(evidence.settle(text, [found])) == expected


def test_detect_labels_the_length_of_a_span_is_no_evidence(evidence: LabelEvidence) -> None:
    # the same form, one mention longer than the other: the label is the evidence's
    text = "Le Ravelin Kervec ouvre. On voit le Ravelin Kervec Club ensuite, salle Ravelin Kervec."
    spans = [span(text, "Ravelin Kervec", "ORGANIZATION"), span(text, "Ravelin Kervec", "PERSON", nth=2,
                                                                  rule="fr.ner.spacy.person")]
    votes = LabelVotes(("ORGANIZATION", "PERSON", "LOCATION")).add(document_votes(evidence, text, spans))
    assert votes.decide()["ravelin kervec"] == "LOCATION"


# -- the rules file -----------------------------------------------------------------------------
def test_detect_labels_rules_file_is_checked_on_load(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="weights"):
        LabelRules.of({"weights": {"rule": 2}}, tmp_path / "labels.yaml")
    weights = {w: 1 for w in ("rule", "weak_rule", "context", "weak_context", "civility", "first_name", "head",
                              "gazetteer")}
    with pytest.raises(ConfigError, match="weak_rules"):
        LabelRules.of({"weights": weights, "weak_rules": "fr.ner.*"}, tmp_path / "labels.yaml")
    assert LabelRules.of({"weights": weights}, tmp_path / "labels.yaml").weight("head") == 1


# -- codes, place nouns, bare names -------------------------------------------------------------
@pytest.mark.parametrize("code", ["E07", "ENT-12", "P3", "P12", "417PERS", "INT-3", "U11 U13", "P2, P3"])
def test_detect_labels_a_code_is_never_a_name(evidence: LabelEvidence, code: str) -> None:
    text = f"Voir la fiche {code} demain."
    assert evidence.settle(text, [span(text, code, "ORGANIZATION", "fr.org.acronym")]) == []


def test_detect_labels_a_name_beside_a_code_is_still_a_name(evidence: LabelEvidence) -> None:
    text = "Voir Lyon 3 et ALEC 71 demain."
    found = evidence.settle(text, [span(text, "ALEC 71", "ORGANIZATION", "fr.org.acronym")])
    assert shown(found) == [("ALEC 71", "ORGANIZATION")]


def test_detect_labels_a_place_noun_stays_out_of_the_place(evidence: LabelEvidence) -> None:
    text = "On descend la rue de Riquelme puis la Rue Haute."
    found = evidence.settle(text, [span(text, "rue de Riquelme", "LOCATION", "fr.ner.spacy.location"),
                                   span(text, "Rue Haute", "LOCATION", "fr.ner.spacy.location")])
    assert shown(found) == [("Riquelme", "LOCATION"), ("Rue Haute", "LOCATION")]


@pytest.mark.parametrize(("surface", "bare"), [
    ("SCOP La Clairière", "La Clairière"), ("La SCOP La Clairière", "La Clairière"),
    ("Association Les Genêts", "Les Genêts"), ("Collectif Tisserands", "Tisserands"),
    ("Ville de Rezé", ""), ("Région Bretagne", ""), ("Association Quimperlé", ""), ("Collège Nadia Kervec", ""),
    ("La Clairière", ""), ("SCOP", ""),
    # a lower-case kind: its name when it has its own article or more than one word, not a place noun's
    ("le collectif Les Tisserands", "Les Tisserands"), ("association Trait d'Union", "Trait d'Union"),
    ("centre social Kervec", ""), ("salle Les Tisserands", ""),
])
def test_detect_labels_an_organisation_name_without_its_kind_word(evidence: LabelEvidence, surface: str,
                                                                  bare: str) -> None:
    assert evidence.bare_name(surface) == bare


@pytest.mark.parametrize(("surface", "bare", "strict"), [
    ("association les amis du moulin", "les amis du moulin", True),  # a group named in lower case
    ("collectif la ruche", "la ruche", True),
    ("association La Source", "La Source", False),  # a pseudonym's shape
    ("association sportive", "", True),
])
def test_detect_labels_a_lower_case_group_name_without_its_kind_word(evidence: LabelEvidence, surface: str,
                                                                     bare: str, strict: bool) -> None:
    assert evidence.bare_name(surface, strict=strict) == bare
