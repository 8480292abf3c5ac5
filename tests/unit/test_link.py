from anonymiser.link import link
from anonymiser.model import Entity, Span

FIRST = frozenset({"isabelle", "bruno", "paul"})


def _span(text: str, label: str = "PERSON") -> Span:
    return Span(0, len(text), label, text)


def test_link_person_variants_become_one_entity() -> None:
    mentions = [("d1", _span(t)) for t in ["Mme Marchal"[4:], "Isabelle Marchal", "Isabelle", "I. MARCHAL"]]
    mentions.append(("d2", _span("MARCHAL")))
    linked = link(mentions, None, first_names=FIRST)
    assert len(linked.clusters) == 1
    cluster = linked.clusters[0]
    assert cluster.canonical == "Isabelle Marchal"
    assert cluster.first_document == "d1"
    assert {m[2] for m in linked.mentions} == {0}


def test_link_distinct_people_stay_distinct() -> None:
    mentions = [("d1", _span("Isabelle Marchal")), ("d1", _span("Bruno Kerleau")), ("d1", _span("Kerleau"))]
    linked = link(mentions, None, first_names=FIRST)
    assert len(linked.clusters) == 2
    assert [m[2] for m in linked.mentions] == [0, 1, 1]


def test_link_full_names_are_linked_first_then_the_partial_forms_each_in_corpus_order() -> None:
    # the surname alone comes first in the corpus but joins the first full name that has it;
    # clusters are numbered in the order linking made them: full names and other labels first
    mentions = [("d1", _span("Marchal")), ("d1", _span("Rezé", "MUNICIPALITY")), ("d2", _span("Paul Marchal")),
                ("d2", _span("Isabelle Marchal")), ("d2", _span("Isabelle")), ("d3", _span("Bruno"))]
    linked = link(mentions, None, first_names=FIRST)
    assert [c.canonical for c in linked.clusters] == ["Rezé", "Paul Marchal", "Isabelle Marchal", "Bruno"]
    assert [m[2] for m in linked.mentions] == [1, 0, 1, 2, 2, 3]
    assert linked.clusters[1].first_document == "d2" and linked.clusters[1].variants == ["Paul Marchal", "Marchal"]


def test_link_initial_picks_matching_first_name() -> None:
    mentions = [("d", _span("Isabelle Marchal")), ("d", _span("Paul Marchal")), ("d", _span("P. Marchal"))]
    linked = link(mentions, None, first_names=FIRST)
    assert [m[2] for m in linked.mentions] == [0, 1, 1]


def test_link_reuses_key_file_entities_by_keyed_hash() -> None:
    from anonymiser.keys.store import KeyFile
    from anonymiser.link import FormPolicy

    team = KeyFile.create()
    keyfile = KeyFile(team.secret, team.public_key)  # the pseudonymise role: no original can be read
    known = Entity("PER-0007", "PERSON", "Isabelle Marchal", ("Isabelle Marchal",), "Sophie Lambert", "manual")
    keyfile.add(known)
    policy = FormPolicy(frozenset(FIRST), frozenset(), frozenset(), frozenset())
    keyfile.index(known.id, *policy.index_entries(known.label, known.variants))
    mentions = [("d", _span("Marchal")), ("d", _span("I. Marchal")), ("d", _span("Paul Marchal"))]
    linked = link(mentions, keyfile, first_names=FIRST)
    ids = [linked.clusters[m[2]].entity_id for m in linked.mentions]
    assert ids == ["PER-0007", "PER-0007", ""]


def test_link_other_labels_by_folded_form() -> None:
    mentions = [("d", _span("Ville de Poitiers", "ORGANIZATION")), ("d", _span("VILLE DE POITIERS", "ORGANIZATION")),
                ("d", _span("Poitiers", "MUNICIPALITY"))]
    linked = link(mentions, None, first_names=FIRST)
    assert [m[2] for m in linked.mentions] == [0, 0, 1]


def _bare(surface: str) -> str:
    """A stand-in for ``LabelEvidence.bare_name``: "SCOP La Clairière" -> "La Clairière"."""
    for head in ("SCOP ", "Collectif "):
        if surface.startswith(head):
            return surface[len(head):]
    return ""


def test_link_an_organisation_with_and_without_its_kind_word_is_one() -> None:
    forms = ["SCOP La Clairière", "La Clairière", "la Clairière", "Clairière", "Collectif Les Tisserands"]
    mentions = [("d1", _span(t, "ORGANIZATION")) for t in forms]
    linked = link(mentions, None, first_names=FIRST, bare_name=_bare)
    assert [m[2] for m in linked.mentions] == [0, 0, 0, 0, 1]
    assert linked.clusters[0].canonical == "SCOP La Clairière"


def test_link_the_bare_name_first_then_the_headed_one() -> None:
    mentions = [("d1", _span("Clairière", "ORGANIZATION")), ("d2", _span("SCOP La Clairière", "ORGANIZATION"))]
    linked = link(mentions, None, first_names=FIRST, bare_name=_bare)
    assert [m[2] for m in linked.mentions] == [0, 0]
    assert linked.clusters[0].variants == ["Clairière", "SCOP La Clairière"]
    # without the rule, and across labels, they stay two
    assert [m[2] for m in link(mentions, None, first_names=FIRST).mentions] == [0, 1]
    other = [("d1", _span("Clairière", "LOCATION")), ("d2", _span("SCOP La Clairière", "ORGANIZATION"))]
    assert [m[2] for m in link(other, None, first_names=FIRST, bare_name=_bare).mentions] == [0, 1]


def test_link_a_first_name_and_the_initial_of_a_surname_join_the_full_name() -> None:
    # "Paul M." is the Paul whose surname starts with M, wherever it comes in the corpus
    mentions = [("d", _span("Paul M.")), ("d", _span("Paul Kerleau")), ("d", _span("Paul Marchal")),
                ("d", _span("Isabelle K."))]
    linked = link(mentions, None, first_names=FIRST)
    assert [m[2] for m in linked.mentions] == [1, 0, 1, 2]
    assert [c.canonical for c in linked.clusters] == ["Paul Kerleau", "Paul Marchal", "Isabelle K."]


def test_link_one_word_after_a_civility_is_a_surname() -> None:
    # "M. Paul" is a Mr Paul, not the Paul of "Paul Kerleau"; "Paul" alone is that Paul
    mentions = [("d", _span("Paul Kerleau")), ("d", Span(3, 7, "PERSON", "Paul")), ("d", _span("Paul"))]
    linked = link(mentions, None, first_names=FIRST, titled=frozenset({("d", 3, 7)}))
    assert [m[2] for m in linked.mentions] == [0, 1, 0]
    assert linked.clusters[1].name is not None and linked.clusters[1].name.last == "paul"


def test_link_a_titled_surname_finds_the_entity_a_past_run_made_of_it() -> None:
    # "M. Paul" in a second run is the Mr Paul of the first run's key file (held as the one-word
    # form "Paul", indexed as a first name's), never the Paul of a full name "Paul Kerleau"
    from anonymiser.keys.store import KeyFile
    from anonymiser.link import FormPolicy

    team = KeyFile.create()
    keyfile = KeyFile(team.secret, team.public_key)
    policy = FormPolicy(frozenset(FIRST), frozenset(), frozenset(), frozenset())
    for entity in (Entity("PER-0001", "PERSON", "Paul Kerleau", ("Paul Kerleau", "Paul"), "Jean Morel", "detected"),
                   Entity("PER-0002", "PERSON", "Paul", ("Paul",), "Louis Tessier", "detected")):
        keyfile.add(entity)
        keyfile.index(entity.id, *policy.index_entries(entity.label, entity.variants))
    linked = link([("d", Span(3, 7, "PERSON", "Paul"))], keyfile, first_names=FIRST,
                  titled=frozenset({("d", 3, 7)}))
    assert [linked.clusters[m[2]].entity_id for m in linked.mentions] == ["PER-0002"]


def test_link_a_form_of_two_key_file_entities_goes_to_the_one_first_seen_in_its_document() -> None:
    # a second run links "Paul" alone as the first run did: in "e", the Paul first seen there,
    # not the Paul Kerleau of "a" whose form it also is; elsewhere the key file's first entity
    from anonymiser.keys.store import KeyFile
    from anonymiser.link import FormPolicy

    team = KeyFile.create()
    keyfile = KeyFile(team.secret, team.public_key)
    policy = FormPolicy(frozenset(FIRST), frozenset(), frozenset(), frozenset())
    for entity in (Entity("PER-0001", "PERSON", "Paul Kerleau", ("Paul Kerleau", "Paul"), "Jean Morel", "detected",
                          "a"),
                   Entity("PER-0002", "PERSON", "Paul", ("Paul",), "Louis Tessier", "detected", "e")):
        keyfile.add(entity)
        keyfile.index(entity.id, *policy.index_entries(entity.label, entity.variants))
    linked = link([("e", _span("Paul")), ("a", _span("Paul"))], keyfile, first_names=FIRST)
    assert [linked.clusters[m[2]].entity_id for m in linked.mentions] == ["PER-0002", "PER-0001"]


def test_link_initials_that_another_first_name_contradicts_link_to_no_one() -> None:
    mentions = [("a", _span("Bruno L.")), ("b", _span("P. L.")), ("b", _span("B. L."))]
    linked = link(mentions, None, first_names=FIRST)
    clusters = [m[2] for m in linked.mentions]
    assert clusters[0] != clusters[1] and clusters[0] == clusters[2]
