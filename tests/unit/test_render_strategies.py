"""Each strategy on hand-built documents (issue 4), through ``Engine.run``.

Spans are written into the text by hand (``{Isabelle Marchal|PERSON}``), so these tests
do not load the spaCy model: detection is replaced, every later stage is the real one.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Sequence
from dataclasses import replace

import pytest

from anonymiser.config.load import load_config
from anonymiser.config.rules import Config
from anonymiser.detect.propagate import Spread
from anonymiser.engine import DocumentResult, Engine
from anonymiser.errors import ConfigError
from anonymiser.keys.store import KeyFile
from anonymiser.link import FormPolicy
from anonymiser.model import Detected, Document, Entity, Span
from anonymiser.reidentify import reidentify_text
from anonymiser.render.strategies import parse_strategies

_MARK = re.compile(r"\{([^{}|]+)\|([A-Z_]+)(?:\|([a-z_.]+))?\}")


def marked(doc_id: str, source: str) -> tuple[Document, tuple[Span, ...]]:
    """``"Bonjour {Isabelle|PERSON}"`` -> the plain document and its spans (``{Kerjean|PERSON|fr.ner.spacy.person}``:
    found by that rule)."""
    text, spans, cursor, out = [], [], 0, 0
    for match in _MARK.finditer(source):
        text.append(source[cursor:match.start()])
        out += match.start() - cursor
        surface, label = match.group(1), match.group(2)
        spans.append((out, out + len(surface), label, match.group(3) or ""))
        text.append(surface)
        out += len(surface)
        cursor = match.end()
    text.append(source[cursor:])
    plain = "".join(text)
    return Document(doc_id, plain, f"{doc_id}.txt"), tuple(Span.of(plain, s, e, label, recognizer=rule)
                                                           for s, e, label, rule in spans)


def add_known(keyfile: KeyFile, entity: Entity) -> None:
    """A known entity, sealed and indexed as ``anonymiser key add`` does."""
    keyfile.add(entity)
    keyfile.index(entity.id, *FormPolicy.from_config(load_config()).index_entries(
        entity.label, (entity.canonical, *entity.variants)))


class HandBuilt(Engine):
    """The real pipeline after detection; detection returns the hand-written spans."""

    def __init__(self, config: Config) -> None:
        super().__init__(config=config, nlp_engine=object())  # type: ignore[arg-type]
        self.spans: dict[str, tuple[Span, ...]] = {}

    def find(self, documents: Sequence[Document], batch_size: int | None = None, *,
             extra_grid: tuple[str, ...] = ()) -> list[Detected]:
        # a file name (``run.names``), given to detection with the documents, has no hand-written span
        return [Detected.of(d, self.spans.get(d.id, ()), (), index=i) for i, d in enumerate(documents)]

    def propagate(self, document: Document, detected: Detected, keyfile: KeyFile | None,
                  spread: Spread) -> Detected:
        """No propagation: the hand-written spans are the document's, with their civilities."""
        return replace(detected, civility=self.civilities(document, detected.spans))

    def pseudonymise(self, sources: Sequence[str], keyfile: KeyFile,
                     strategies: dict[str, str] | None = None) -> list[DocumentResult]:
        documents = []
        for index, source in enumerate(sources):
            document, spans = marked(f"d{index}", source)
            self.spans[document.id] = spans
            documents.append(document)
        results = self.run(documents, keyfile, strategies=strategies)
        for result in results:  # every strategy round-trips byte for byte
            assert reidentify_text(result.output, result.records, keyfile, path="x") == result.document.text
            assert "  " not in result.output
        return results


@pytest.fixture(scope="module")
def pipe(config: Config) -> HandBuilt:
    return HandBuilt(config)


def outputs(pipe: HandBuilt, sources: Sequence[str], strategies: dict[str, str] | None = None,
            keyfile: KeyFile | None = None) -> list[str]:
    return [r.output for r in pipe.pseudonymise(sources, keyfile or KeyFile.create(), strategies)]


# -- realistic ------------------------------------------------------------------------------
def test_strategies_realistic_persons_follow_every_form(pipe: HandBuilt, config: Config) -> None:
    keyfile = KeyFile.create()
    [out] = outputs(pipe, ["{Isabelle Marchal|PERSON} est venue. Mme {Marchal|PERSON} a parlé, puis "
                           "{Isabelle|PERSON}, puis {I. MARCHAL|PERSON} et {ISABELLE MARCHAL|PERSON}.\n"],
                    keyfile=keyfile)
    person = next(e for e in keyfile.entities.values() if e.label == "PERSON")
    first, last = person.attribute("first"), person.attribute("last")
    assert out == (f"{first} {last} est venue. Mme {last} a parlé, puis {first}, puis "
                   f"{first[0]}. {last.upper()} et {first.upper()} {last.upper()}.\n")
    assert config.first_names.get(first) == "F" and person.attribute("gender") == "F"


def test_strategies_realistic_first_name_keeps_the_decade(pipe: HandBuilt, config: Config) -> None:
    keyfile = KeyFile.create()
    outputs(pipe, ["{Isabelle Marchal|PERSON} et {Kylian Morel|PERSON}.\n"], keyfile=keyfile)
    decades = {e.canonical: int(config.first_name_info[e.attribute("first")][0])
               for e in keyfile.entities.values()}
    assert abs(decades["Isabelle Marchal"] - 1960) <= 10  # Isabelle: 1960s
    assert abs(decades["Kylian Morel"] - 2000) <= 10      # Kylian: 2000s


def test_strategies_civility_gives_the_gender(pipe: HandBuilt) -> None:
    keyfile = KeyFile.create()
    outputs(pipe, ["M. {Tessier|PERSON} et Mme {Keraudren|PERSON} ont signé.\n"], keyfile=keyfile)
    genders = {e.canonical: e.attribute("gender") for e in keyfile.entities.values()}
    assert genders == {"Tessier": "M", "Keraudren": "F"}


@pytest.mark.parametrize("secret", range(12))
def test_strategies_realistic_places_are_invented_and_compositional(pipe: HandBuilt, secret: int) -> None:
    team = KeyFile.create()
    keyfile = KeyFile(bytes([secret]) * 32, team.public_key, team.private_key)
    [out] = outputs(pipe, ["À {Avignon|MUNICIPALITY}, la {Ville d'Avignon|ORGANIZATION} et le "
                           "{Grand Avignon|ORGANIZATION} aident {Villeneuve-lès-Avignon|MUNICIPALITY}.\n"],
                    keyfile=keyfile)
    avignon = next(e for e in keyfile.entities.values() if e.canonical == "Avignon")
    town = avignon.pseudonym
    assert town not in pipe.pools.gazetteer and "Avignon" not in out
    bare = re.sub(r"^(?:Les |Le |La |L')", "", town)
    de_town = {"Le": f"du {bare}", "Les": f"des {bare}"}.get(town.split(" ")[0], f"de {town}")
    if de_town == f"de {town}" and town[0] in "AEIOUÉH":
        de_town = f"d'{town}"
    assert f"Ville {de_town}" in out
    assert f"Grand {bare}" in out
    assert f"Villeneuve-lès-{bare}" in out


def test_strategies_component_keeps_its_pseudonym_in_later_runs(pipe: HandBuilt) -> None:
    keyfile = KeyFile.create()
    outputs(pipe, ["La {Ville d'Avignon|ORGANIZATION} recrute.\n"], keyfile=keyfile)
    town = next(e for e in keyfile.entities.values() if e.canonical == "Avignon").pseudonym
    [out] = outputs(pipe, ["Né à {Avignon|MUNICIPALITY}.\n"], keyfile=keyfile)
    assert re.sub(r"^(?:Les |Le |La |L')", "", town) in out


def test_strategies_realistic_names_are_never_real_communes(pipe: HandBuilt) -> None:
    keyfile = KeyFile.create()
    names = [f"{{{n}|MUNICIPALITY}}" for n in ("Rezé", "Lorient", "Poitiers", "Lusignan", "Quimperlé",
                                                 "Saint-Herblain", "Vannes", "Angers", "Firminy", "Roanne")]
    outputs(pipe, [", ".join(names) + ".\n"] * 3, keyfile=keyfile)
    pseudonyms = [e.pseudonym for e in keyfile.entities.values()]
    assert len(set(pseudonyms)) == len(pseudonyms) == 10
    assert not any(p in pipe.pools.gazetteer for p in pseudonyms)


# -- tag, generalise, redact ----------------------------------------------------------------
def test_strategies_tag_is_numbered_per_entity_across_documents(pipe: HandBuilt) -> None:
    out = outputs(pipe, ["{Isabelle Marchal|PERSON} habite {Rezé|MUNICIPALITY}.\n",
                         "À {Rezé|MUNICIPALITY}, Mme {Marchal|PERSON} et {Bruno Kerleau|PERSON}.\n"],
                  {"PERSON": "tag", "MUNICIPALITY": "tag"})
    assert out == ["[PERSONNE_1] habite [COMMUNE_1].\n", "À [COMMUNE_1], Mme [PERSONNE_1] et [PERSONNE_2].\n"]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("Il est {maire de Quimperlé|ROLE}.\n", "Il est maire d'une petite ville.\n"),
        ("Elle vit à {Quimperlé|MUNICIPALITY}.\n", "Elle vit dans une petite ville.\n"),
        ("{Quimperlé|MUNICIPALITY} a changé.\n", "Une petite ville a changé.\n"),
        ("On va à {Lyon|MUNICIPALITY} et à {Saint-Herblain|MUNICIPALITY}.\n",
         "On va dans une grande ville et dans une commune de la métropole.\n"),
        ("La mairie de {Lusignan|MUNICIPALITY}.\n", "La mairie d'une commune périurbaine.\n"),
        ("Le port du {Havre|MUNICIPALITY}.\n", "Le port d'une grande ville.\n"),
        ("La {directrice du centre social Les Acacias|ROLE} parle.\n",
         "La directrice d'un centre social parle.\n"),
        ("L'{adjoint aux sports de Vannes|ROLE} vient.\n", "L'adjoint aux sports d'une ville moyenne vient.\n"),
        # a trade in a named street: the street said by a noun reads as French, a body's kind would not
        ("L'ancienne {couturière de la rue des Tanneurs|ROLE} tricote.\n", "L'ancienne couturière du quartier tricote.\n"),
        ("Membre de l'{Association Vélo Cité Angers|ORGANIZATION}.\n", "Membre d'une association.\n"),
        ("Financé par la {Région Bretagne|ORGANIZATION}.\n", "Financé par une région.\n"),
    ],
)
def test_strategies_generalise(pipe: HandBuilt, source: str, expected: str) -> None:
    [out] = outputs(pipe, [source], {"MUNICIPALITY": "generalise", "ORGANIZATION": "generalise"})
    assert out == expected


@pytest.fixture(scope="module")
def weak_persons(config: Config) -> HandBuilt:
    """The pipeline with one weak rule for persons (the bundled rules have none)."""
    rules = config.pseudonym_rules
    return HandBuilt(replace(config, pseudonym_rules=replace(
        rules, neutral_rules={**rules.neutral_rules, "PERSON": frozenset({"fr.ner.spacy.person"})})))


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("Les gens de la {Mairie de Tessois|ORGANIZATION|fr.org.capitalised_run}.\n", "Les gens d'une mairie.\n"),
        ("On va aux {Ateliers du Pont|ORGANIZATION|fr.org.capitalised_run}.\n", "On va à un atelier.\n"),
        ("Le bureau de l'{Association des Amis|ORGANIZATION|fr.org.head_lower}.\n",
         "Le bureau d'une association.\n"),
        ("On monte à la {Bergerie|LOCATION|fr.location.article_name}.\n", "On monte dans un lieu.\n"),
        ("{Kerjean|PERSON|fr.ner.spacy.person} est venu.\n", "Une personne est venue.\n"),
        # the phrase takes the name's number, the words after it the phrase's gender (in correct French)
        ("Alors la {Bergerie|LOCATION|fr.location.article_name}, elle est fermée.\n", "Alors un lieu, il est fermé.\n"),
        ("On monte à la {Bergerie|LOCATION|fr.location.article_name} qui est fermée le lundi.\n",
         "On monte dans un lieu qui est fermé le lundi.\n"),
        ("Le portail de la {Bergerie|LOCATION|fr.location.article_name} est fermé.\n",
         "Le portail d'un lieu est fermé.\n"),  # the portail is closed, not the place
        ("Mais les {Glycines|LOCATION|fr.location.article_name} sont fermées.\n", "Mais des lieux sont fermés.\n"),
        ("Le bureau des {Ateliers du Pont|ORGANIZATION|fr.org.capitalised_run} est ouvert.\n",
         "Le bureau d'un atelier est ouvert.\n"),  # after a preposition, no subject: the singular
        ("Les {Ateliers du Pont|ORGANIZATION|fr.org.capitalised_run} nous ont aidés.\n",
         "Des ateliers nous ont aidés.\n"),
        ("On sait que les {Glycines|LOCATION|fr.location.article_name}, c'est loin.\n",
         "On sait que des lieux, c'est loin.\n"),
        ("On vient des {Glycines|LOCATION|fr.location.article_name} à pied.\n", "On vient d'un lieu à pied.\n"),
        ("Le dossier de {Kerjean|PERSON|fr.ner.spacy.person}.\n", "Le dossier d'une personne.\n"),
        ("Chez {Kerjean|PERSON|fr.ner.spacy.person}, on mange.\n", "Chez une personne, on mange.\n"),
        # the words after it that agree with it in the same clause, not those of another noun
        ("Alors la {Bergerie|LOCATION|fr.location.article_name} rénovée est ouverte le lundi.\n",
         "Alors un lieu rénové est ouvert le lundi.\n"),
        ("On monte à la {Bergerie|LOCATION|fr.location.article_name}, qui est fermée et rénovée.\n",
         "On monte dans un lieu, qui est fermé et rénové.\n"),
        ("Alors la {Bergerie|LOCATION|fr.location.article_name}, elle est fermée et vendue.\n",
         "Alors un lieu, il est fermé et vendu.\n"),
        ("Le portail de la {Bergerie|LOCATION|fr.location.article_name} fermé le lundi nous gêne.\n",
         "Le portail d'un lieu fermé le lundi nous gêne.\n"),
        ("Le chemin de la {Bergerie|LOCATION|fr.location.article_name}, qui est fermé le lundi, monte.\n",
         "Le chemin d'un lieu, qui est fermé le lundi, monte.\n"),
        ("{Kerjean|PERSON|fr.ner.spacy.person} est venu et resté.\n", "Une personne est venue et restée.\n"),
    ],
)
def test_strategies_weak_evidence_gets_the_neutral_phrase(weak_persons: HandBuilt, source: str, expected: str) -> None:
    [out] = outputs(weak_persons, [source])  # re-identification restores the text byte for byte (``pseudonymise``)
    assert out == expected


_LONG_LINE = "On a parlé de tout, longtemps. " * 40  # 1,240 characters before the sentence, on its line


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("Alors la {Bergerie|LOCATION|fr.location.article_name}, elle est fermée.\n", "Alors un lieu, il est fermé.\n"),
        ("Le portail de la {Bergerie|LOCATION|fr.location.article_name} est fermé.\n",
         "Le portail d'un lieu est fermé.\n"),
        ("Mais les {Glycines|LOCATION|fr.location.article_name} sont fermées.\n", "Mais des lieux sont fermés.\n"),
        ("{Kerjean|PERSON|fr.ner.spacy.person} est venu et resté.\n", "Une personne est venue et restée.\n"),
        # blanks alone between the preposition and the mention, far back on the line: still no subject
        ("Le portail de" + "\t" * 500 + "la {Bergerie|LOCATION|fr.location.article_name} est fermée.\n",
         "Le portail de" + "\t" * 500 + "un lieu est fermée.\n"),
    ],
)
def test_strategies_words_after_agree_alike_at_the_end_of_a_long_line(weak_persons: HandBuilt, source: str,
                                                                      expected: str) -> None:
    # the words after a mention are read against the end of its line only (a text in one line
    # is not searched from its start for each mention): the same as on a line of its own
    [alone, long] = outputs(weak_persons, [source, _LONG_LINE + source])
    assert (alone, long) == (expected, _LONG_LINE + expected)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("Alors le {Comptoir Kervec|ORGANIZATION} est fermé et repris.\n", "Alors une structure est fermée et reprise.\n"),
        ("Alors le {Comptoir Kervec|ORGANIZATION} fait du pain.\n", "Alors une structure fait du pain.\n"),  # a verb
        ("Alors le {Collectif Kervec|ORGANIZATION} créé en 2010 est fermé.\n",
         "Alors un collectif créé en 2010 est fermé.\n"),
        ("Le {Havre|MUNICIPALITY} rénové est grand.\n", "Une grande ville rénovée est grande.\n"),
    ],
)
def test_strategies_generalise_the_words_after_agree(pipe: HandBuilt, source: str, expected: str) -> None:
    [out] = outputs(pipe, [source], {"MUNICIPALITY": "generalise", "ORGANIZATION": "generalise"})
    assert out == expected


def test_strategies_weak_evidence_with_the_bundled_rules(pipe: HandBuilt) -> None:
    [out] = outputs(pipe, ["Avec {Kerjean|PERSON|fr.ner.spacy.person} et {Terre et Partage|ORGANIZATION|"
                           "fr.org.capitalised_run} à la {Bergerie|LOCATION|fr.location.article_name}.\n"])
    assert "Kerjean" not in out and "Partage" not in out and out.endswith(" dans un lieu.\n")
    assert "personne" not in out and "structure" not in out  # no weak rule for persons; no kind, no phrase


@pytest.mark.parametrize("before", ["On se retrouve place ", "Membre de l'association ", "On voit Mme ",
                                    "On est revenus côté ", "Le maire "])
def test_strategies_no_neutral_phrase_after_a_noun_the_name_completes(weak_persons: HandBuilt, before: str) -> None:
    [out] = outputs(weak_persons, [before + "{Kerjean|PERSON|fr.ner.spacy.person} ici.\n"])
    assert out.startswith(before) and "personne" not in out and "Kerjean" not in out


def test_strategies_neutral_phrase_until_a_surer_rule_finds_it(weak_persons: HandBuilt) -> None:
    pipe = weak_persons
    keyfile = KeyFile.create()
    assert outputs(pipe, ["Avec {Kerjean|PERSON|fr.ner.spacy.person}.\n"], keyfile=keyfile) == ["Avec une personne.\n"]
    [entity] = keyfile.entities.values()
    assert entity.attribute("neutral") == "une personne" and entity.pseudonym  # the pseudonym waits
    assert outputs(pipe, ["Avec {Kerjean|PERSON|fr.ner.spacy.person}.\n"], keyfile=keyfile) == ["Avec une personne.\n"]
    [out] = outputs(pipe, ["Avec {Kerjean|PERSON|fr.person.civility_surname}.\n"], keyfile=keyfile)
    assert out == f"Avec {entity.pseudonym.split()[-1]}.\n" and not keyfile.entities[entity.id].attribute("neutral")
    # tag and redact do not name anyone: they stay as they are
    assert outputs(pipe, ["Avec {Quéméner|PERSON|fr.ner.spacy.person}.\n"], {"PERSON": "tag"}) == \
        ["Avec [PERSONNE_1].\n"]


def test_strategies_redact_and_grammar(pipe: HandBuilt) -> None:
    [out] = outputs(pipe, ["Écrire à {accueil@velocite-angers.fr|EMAIL_ADDRESS} ou au {02 41 87 55 10|PHONE_NUMBER}, "
                           "port du {Havre|MUNICIPALITY}.\n"], {"MUNICIPALITY": "redact"})
    assert out == "Écrire à […] ou au […], port de […].\n"


def test_strategies_default_table(config: Config) -> None:
    defaults = config.pseudonym_rules.strategies
    assert defaults["PERSON"] == "realistic" and defaults["ROLE"] == "generalise"
    assert defaults["ORGANIZATION"] in {"tag", "realistic"} and defaults["MUNICIPALITY"] in {"tag", "realistic"}
    assert {defaults[label] for label in ("EMAIL_ADDRESS", "PHONE_NUMBER", "URL", "ADDRESS")} == {"redact"}


# -- grammar in context ---------------------------------------------------------------------
def test_strategies_grammar_follows_the_pseudonym(pipe: HandBuilt) -> None:
    keyfile = KeyFile.create()
    add_known(keyfile, Entity("PER-0001", "PERSON", "Isabelle Marchal", ("Isabelle Marchal",), "Sophie Lambert",
                       "manual", attributes=(("explicit", "yes"), ("first", "Sophie"), ("last", "Lambert"))))
    add_known(keyfile, Entity("PER-0002", "PERSON", "Sophie Durand", ("Sophie Durand",), "Élodie Martin",
                       "manual", attributes=(("explicit", "yes"), ("first", "Élodie"), ("last", "Martin"))))
    add_known(keyfile, Entity("COM-0001", "MUNICIPALITY", "Le Havre", ("Le Havre",), "Valmont", "manual",
                       attributes=(("explicit", "yes"),)))
    [out] = outputs(pipe, ["Le bureau d'{Isabelle|PERSON}, celui de {Sophie|PERSON} ; du {Havre|MUNICIPALITY} "
                           "au {Havre|MUNICIPALITY}, {Le Havre|MUNICIPALITY} vit.\n"], keyfile=keyfile)
    assert out == "Le bureau de Sophie, celui d'Élodie ; de Valmont à Valmont, Valmont vit.\n"


# -- pools and explicit choices -------------------------------------------------------------
def test_strategies_pools_come_first_never_collide_and_never_run_dry(pipe: HandBuilt) -> None:
    keyfile = KeyFile.create()
    keyfile.add_pool("PERSON", ["Bruno Kerleau", "Zoé Quillet"])  # the first is a real person below
    keyfile.add_pool("MUNICIPALITY", ["Lorient", "Valbrune"])      # a real commune is never used
    outputs(pipe, ["{Isabelle Marchal|PERSON} et {Bruno Kerleau|PERSON} et {Nadia Haddad|PERSON} "
                   "à {Rezé|MUNICIPALITY} et {Vannes|MUNICIPALITY}.\n"], keyfile=keyfile)
    pseudo = {e.canonical: e.pseudonym for e in keyfile.entities.values()}
    assert pseudo["Isabelle Marchal"] == "Zoé Quillet"
    assert pseudo["Rezé"] == "Valbrune"
    assert len(set(pseudo.values())) == len(pseudo)  # pools ran dry: generation followed
    assert "Bruno Kerleau" not in pseudo.values() and "Lorient" not in pseudo.values()


def test_strategies_explicit_pseudonym_wins_over_the_strategy(pipe: HandBuilt) -> None:
    keyfile = KeyFile.create()
    add_known(keyfile, Entity("COM-0001", "MUNICIPALITY", "Rezé", ("Rezé",), "Bourg-Joli", "manual",
                       attributes=(("explicit", "yes"),)))
    [out] = outputs(pipe, ["À {Rezé|MUNICIPALITY} et {Vannes|MUNICIPALITY}.\n"], {"MUNICIPALITY": "tag"},
                    keyfile=keyfile)
    assert out == "À Bourg-Joli et [COMMUNE_2].\n"


def test_strategies_older_key_files_get_a_realistic_name_once(pipe: HandBuilt) -> None:
    """Entities a key file stored with a tag only keep it for `tag`, and get a realistic name."""
    keyfile = KeyFile.create()
    add_known(keyfile, Entity("COM-0001", "MUNICIPALITY", "Rezé", ("Rezé",), "[COMMUNE_1]"))
    [realistic] = outputs(pipe, ["À {Rezé|MUNICIPALITY}.\n"], keyfile=keyfile)
    entity = keyfile.entities["COM-0001"]
    assert entity.pseudonym == "[COMMUNE_1]" and entity.attribute("realistic")
    name = re.sub(r"^(?:Les |Le |La |L['’])", "", entity.attribute("realistic"))  # "À Les X" reads "Aux X"
    assert name in realistic and "Rezé" not in realistic
    assert outputs(pipe, ["À {Rezé|MUNICIPALITY}.\n"], {"MUNICIPALITY": "tag"}, keyfile) == ["À [COMMUNE_1].\n"]
    assert outputs(pipe, ["À {Rezé|MUNICIPALITY}.\n"], keyfile=keyfile) == [realistic]


def test_strategies_are_deterministic(pipe: HandBuilt) -> None:
    keyfile = KeyFile.create()
    snapshot = copy.deepcopy(keyfile)
    source = ["{Isabelle Marchal|PERSON} de {Rezé|MUNICIPALITY}, {maire de Lusignan|ROLE}, "
              "au {CCAS de Rezé|ORGANIZATION}.\n"]
    assert outputs(pipe, source, keyfile=keyfile) == outputs(pipe, source, keyfile=snapshot)


@pytest.mark.parametrize("text", ["PERSON=generalise", "PLANET=tag", "PERSON", "MUNICIPALITY=anonymise"])
def test_strategies_option_is_checked(config: Config, text: str) -> None:
    with pytest.raises(ConfigError, match="--strategy"):
        parse_strategies(text, config)


def test_strategies_option_parses(config: Config) -> None:
    assert parse_strategies("person=tag, MUNICIPALITY=generalise", config) == \
        {"PERSON": "tag", "MUNICIPALITY": "generalise"}


def test_strategies_an_organisation_pseudonym_takes_the_shape_of_each_mention(pipe: HandBuilt) -> None:
    """With and without its kind word, one organisation, one pseudonym (the kind word kept)."""
    keyfile = KeyFile.create()
    [out] = outputs(pipe, ["La {SCOP La Clairière|ORGANIZATION} a ouvert. {La Clairière|ORGANIZATION} emploie dix "
                           "personnes. Ensuite {Clairière|ORGANIZATION}.\n"], {"ORGANIZATION": "realistic"},
                    keyfile=keyfile)
    [entity] = [e for e in keyfile.entities.values() if e.label == "ORGANIZATION"]
    assert entity.variants == ("SCOP La Clairière", "La Clairière", "Clairière")
    name = entity.pseudonym.removeprefix("SCOP ")
    assert entity.pseudonym.startswith("SCOP ") and "Clairière" not in out
    assert out == f"La {entity.pseudonym} a ouvert. {name} emploie dix personnes. Ensuite {name}.\n"
    # the bare name first: the headed mention keeps its kind word before the same pseudonym
    keyfile = KeyFile.create()
    [out] = outputs(pipe, ["{Clairière|ORGANIZATION} ouvre. La {SCOP Clairière|ORGANIZATION} recrute.\n"],
                    {"ORGANIZATION": "realistic"}, keyfile=keyfile)
    [entity] = [e for e in keyfile.entities.values() if e.label == "ORGANIZATION"]
    assert out == f"{entity.pseudonym} ouvre. La SCOP {entity.pseudonym} recrute.\n"


def test_strategies_article_hints_take_the_shape_most_mentions_give() -> None:
    from anonymiser.link import Cluster, Linked
    from anonymiser.render.strategies import article_hints

    text = "avec la Clairière, à la Clairière, le Clairière ; chez Kervec ; Mme Kervec"
    first, second, third = (m.start() for m in re.finditer("Clairière", text))
    org, person = text.index("Kervec"), text.rindex("Kervec")
    mentions = (("d0", Span.of(text, first, first + 9, "ORGANIZATION"), 0),
                ("d0", Span.of(text, second, second + 9, "ORGANIZATION"), 0),
                ("d0", Span.of(text, third, third + 9, "ORGANIZATION"), 0),
                ("d0", Span.of(text, org, org + 6, "ORGANIZATION"), 1),
                ("d0", Span.of(text, person, person + 6, "PERSON"), 2))
    clusters = (Cluster("ORGANIZATION", "Clairière"), Cluster("ORGANIZATION", "Kervec"), Cluster("PERSON", "Kervec"))
    shapes = {("d0", first, first + 9): "F", ("d0", second, second + 9): "F", ("d0", third, third + 9): "M",
              ("d0", person, person + 6): "F"}  # a person's is a civility's gender: no article
    assert article_hints(Linked(clusters, mentions), shapes) == {0: "F"}
    # on a tie, the first mention's
    shapes[("d0", second, second + 9)] = "M"
    shapes[("d0", third, third + 9)] = "P"
    assert article_hints(Linked(clusters, mentions), shapes) == {0: "F"}
