"""spaCy and Presidio for French: chunks of a long text, the NLP engine loading only what the
configuration asks for, ``detect`` over hand-built documents, and the analyzer's recognizers."""

from __future__ import annotations

import pytest

from anonymiser.detect import engine as engine_module
from anonymiser.detect.engine import ALL_LABELS, OVERLAP, Chunk, FrenchNlpEngine, build_analyzer, chunks, detect
from anonymiser.detect.spans import LAYOUT_RULE_ID
from anonymiser.model import Document, Layout
from anonymiser.recognizers import KnownEntityRecognizer
from anonymiser.text.grid import Grid


# -- chunks ------------------------------------------------------------------------------------
def _check_pieces(text: str, pieces: list[Chunk], size: int, overlap: int = OVERLAP) -> None:
    """The owned stretches follow each other over the whole text; each piece is the text at
    its offset, holds its stretch and reads at most ``overlap`` more on each side."""
    assert "".join(text[c.own_start:c.own_end] for c in pieces) == text
    offset = 0
    for chunk in pieces:
        assert chunk.own_start == offset and 0 < chunk.own_end - chunk.own_start <= size
        assert text[chunk.offset:chunk.offset + len(chunk.piece)] == chunk.piece
        assert chunk.offset <= chunk.own_start and chunk.own_end <= chunk.offset + len(chunk.piece)
        assert chunk.own_start - chunk.offset <= overlap
        assert chunk.offset + len(chunk.piece) - chunk.own_end <= overlap
        offset = chunk.own_end


def test_detect_engine_chunks_cut_at_line_breaks() -> None:
    text = "Elle habite Rezé.\nIl vient de Quimper.\nOn se voit jeudi.\n"
    pieces = chunks(text, 40)
    _check_pieces(text, pieces, 40)
    # cut at a line break: no piece reads past its own stretch
    assert [c.piece for c in pieces] == ["Elle habite Rezé.\nIl vient de Quimper.\n", "On se voit jeudi.\n"]


def test_detect_engine_chunks_cut_a_long_line_at_spaces_then_anywhere() -> None:
    line = "une ligne sans retour " * 5
    pieces = chunks(line, 30, 12)
    _check_pieces(line, pieces, 30, 12)
    assert all(line[c.own_end - 1] == " " for c in pieces)
    # inside a line, a piece reads on past its cut, up to a space: a word cut there is whole in it
    assert all(c.piece.startswith(("ligne", "sans", "retour", "une")) for c in pieces)
    assert all(len(c.piece) > c.own_end - c.own_start for c in pieces)
    word = "x" * 25
    pieces = chunks(word, 10, 0)
    _check_pieces(word, pieces, 10, 0)
    assert [len(c.piece) for c in pieces] == [10, 10, 5]


def test_detect_engine_chunks_of_a_short_or_empty_text() -> None:
    assert chunks("Mme Kerhervé.\n") == [Chunk(0, "Mme Kerhervé.\n", 0, 14)]
    assert chunks("") == []


# -- the NLP engine (the session's model) -------------------------------------------------------
@pytest.mark.slow
def test_detect_engine_nlp_engine_leaves_out_what_the_configuration_excludes(engine) -> None:
    nlp_engine = engine.nlp_engine
    assert isinstance(nlp_engine, FrenchNlpEngine)
    nlp = nlp_engine.nlp[engine.config.language]
    assert engine.config.exclude_components
    assert not set(engine.config.exclude_components) & set(nlp.component_names)
    on_demand = [name for name in engine.config.on_demand_components if name in nlp.component_names]
    assert on_demand and not set(on_demand) & set(nlp.pipe_names)  # loaded, but not run by nlp.pipe
    assert "ner" in nlp.pipe_names


@pytest.mark.slow
def test_detect_engine_part_of_speech_on_demand(engine) -> None:
    nlp_engine = engine.nlp_engine
    doc = nlp_engine.nlp[engine.config.language]("Mme Kerhervé travaille à Landerneau.")
    assert not doc.has_annotation("POS")
    tagged = nlp_engine.part_of_speech(doc)
    assert tagged.has_annotation("POS") and {t.pos_ for t in tagged} & {"NOUN", "VERB", "PROPN"}
    assert nlp_engine.part_of_speech(tagged) is tagged  # once


@pytest.mark.slow
def test_detect_engine_tagged_tags_a_window_as_the_whole_text_would(engine) -> None:
    nlp_engine = engine.nlp_engine
    text = ("Bon alors euh on a commencé en deux mille douze avec les voisins du quartier, et puis "
            "le comité des fêtes de Kervec est arrivé, il organise tout depuis, les repas, les "
            "brocantes et même le loto du dimanche avec Mme Kerhervé qui tient la buvette.")
    doc = nlp_engine.nlp[engine.config.language](text)
    start = text.index("le comité")
    span = doc.char_span(start, start + len("le comité des fêtes de Kervec est arrivé"))
    assert span is not None and span.start > 16 and len(doc) - span.end > 16  # a window, not the text
    tagged = nlp_engine.tagged(doc, span.start, span.end)
    assert not doc.has_annotation("POS")  # the text itself is not tagged
    whole = nlp_engine.part_of_speech(doc.copy())
    assert [(t.text, t.idx, t.pos_) for t in tagged] == [(t.text, t.idx, t.pos_) for t in whole[span.start:span.end]]
    assert [text[t.idx:t.idx + len(t.text)] for t in tagged] == [t.text for t in tagged]
    assert {t.pos_ for t in tagged} >= {"NOUN", "VERB"}
    assert nlp_engine.tagged(whole, span.start, span.end) == tagged  # a tagged text is read as it is


@pytest.mark.slow
def test_detect_engine_tagged_windows_of_two_texts_read_each_its_own_text(engine) -> None:
    # the arrays of a text are read once for all its windows: a second text must not be read
    # through the first one's; each window is tagged as Span.as_doc's copy of it would be
    nlp_engine = engine.nlp_engine
    nlp = nlp_engine.nlp[engine.config.language]
    texts = ["Le lundi on voit Mme Quéré au marché, puis on passe chez les Loriot pour le pain. " * 4,
             "Aujourd'hui le club de voile de Trévarez reçoit M. Guivarch et sa fille. " * 4]
    for text in texts:
        doc = nlp(text)
        for first in (0, 9, 20):
            expected = nlp_engine.part_of_speech(doc[max(0, first - 16):first + 3 + 16].as_doc())
            got = nlp_engine.tagged(doc, first, first + 3)
            offset = doc[max(0, first - 16)].idx
            assert [(t.text, t.idx, t.pos_) for t in got] == [
                (t.text, offset + t.idx, t.pos_) for t in expected[first - max(0, first - 16):][:3]]
            assert [text[t.idx:t.idx + len(t.text)] for t in got] == [t.text for t in doc[first:first + 3]]


@pytest.mark.slow
def test_detect_engine_process_batch_yields_texts_as_given(engine) -> None:
    texts = ["Mme Kerhervé est venue.", "Rien à signaler."]
    out = list(engine.nlp_engine.process_batch(texts, language=engine.config.language))
    assert [text for text, _artifacts in out] == texts
    assert all(artifacts.nlp_engine is engine.nlp_engine for _text, artifacts in out)


def test_detect_engine_groups_of_texts_of_about_a_size() -> None:
    assert list(engine_module._groups(["aaaa", "bb", "cccccc", "d", ""], 6)) == [["aaaa", "bb"], ["cccccc"], ["d", ""]]
    assert list(engine_module._groups([], 6)) == []


@pytest.mark.slow
def test_detect_engine_process_batch_forgets_the_words_it_had_not_seen(engine, monkeypatch) -> None:
    monkeypatch.setattr(engine_module, "ZONE_CHARS", 40)  # several zones
    strings = engine.nlp_engine.get_nlp(engine.config.language).vocab.strings
    texts = [f"Mme Kerhervé a reçu le dossier qzx{n:05d}w hier." for n in range(6)]
    before = len(strings)
    out = list(engine.nlp_engine.process_batch(texts, language=engine.config.language))
    assert [text for text, _artifacts in out] == texts and len(strings) == before
    found = [_detect(engine, [Document(f"d{n}", text)]) for n, text in enumerate(texts)]
    assert all(any("Kerhervé" in s.text and s.label == "PERSON" for s in spans) for ((spans, _regions),) in found)
    assert len(strings) == before


# -- detect ------------------------------------------------------------------------------------
def _detect(engine, documents, grid=None):
    return list(detect(engine.analyzer(), documents, config=engine.config, grid=grid or Grid([])))


@pytest.mark.slow
def test_detect_engine_detect_gives_sorted_disjoint_spans_per_document(engine) -> None:
    documents = [Document("a", "Mme Solenn Kerhervé habite à Landerneau depuis dix ans.\n"),
                 Document("b", "Rien à signaler ce jour-là.\n"),
                 Document("c", "Gwenaëlle Quéméner travaille à la mairie de Quimperlé.\n")]
    found = _detect(engine, documents)
    assert len(found) == 3
    for document, (spans, regions) in zip(documents, found, strict=True):
        assert regions == ()
        assert list(spans) == sorted(spans, key=lambda s: (s.start, s.end))
        assert all(a.end <= b.start for a, b in zip(spans, spans[1:]))
        assert all(document.text[s.start:s.end] == s.text and s.label in ALL_LABELS and s.recognizer for s in spans)
    assert {"PERSON", "MUNICIPALITY"} <= {s.label for s in found[0][0]}
    assert found[1][0] == ()


@pytest.mark.slow
def test_detect_engine_detect_of_a_long_document_in_chunks(engine, monkeypatch) -> None:
    import anonymiser.detect.engine as module

    line = "Mme Kerhervé est passée à Landerneau.\n"
    document = Document("long", line * 4)
    whole = _detect(engine, [document])[0][0]
    monkeypatch.setattr(module, "MAX_CHUNK", len(line) + 5)  # detect cuts at this size
    cut = _detect(engine, [document])[0][0]
    assert [(s.start, s.end, s.label) for s in cut] == [(s.start, s.end, s.label) for s in whole]
    assert {s.start // len(line) for s in cut if s.text == "Kerhervé"} == {0, 1, 2, 3}


@pytest.mark.slow
def test_detect_engine_a_name_cut_at_a_chunk_border_is_found_whole(engine, monkeypatch) -> None:
    """A text in one line is cut inside a line: every cut here falls inside "Isabelle Marchal"
    or "Landerneau", and each is found whole, once, as in the text parsed in one piece."""
    import anonymiser.detect.engine as module

    sentence = "Hier Mme Isabelle Marchal est passée à Landerneau avec son frère. "
    text = sentence * 6
    whole = _detect(engine, [Document("one", text)])[0][0]
    for name in ("Isabelle Marchal", "Landerneau"):
        assert sum(name in s.text for s in whole) == 6
    for name in ("Isabelle ", "Lander"):
        size = text.index(name) + len(name) + len(sentence)  # owned stretches cut inside the name
        monkeypatch.setattr(module, "MAX_CHUNK", size)
        pieces = chunks(text, size)
        assert len(pieces) > 1 and any(text[c.own_end - 1] != "\n" for c in pieces)
        cut = _detect(engine, [Document("one", text)])[0][0]
        assert [(s.start, s.end, s.label, s.text) for s in cut] == [(s.start, s.end, s.label, s.text) for s in whole]
        monkeypatch.setattr(module, "OVERLAP", 0)  # without reading past the cut, a name is lost there
        lost = _detect(engine, [Document("one", text)])[0][0]
        assert [(s.start, s.end) for s in lost] != [(s.start, s.end) for s in whole]
        monkeypatch.setattr(module, "OVERLAP", OVERLAP)


@pytest.mark.slow
def test_detect_engine_detect_drops_spans_in_grid_text(engine) -> None:
    text = "Mairie de Landerneau : accueil du public\nMme Kerhervé y travaille à Landerneau.\n"
    document = Document("g", text)
    free = _detect(engine, [document])[0][0]
    assert any(s.start < text.index(":") for s in free)  # without the grid, its line has a span
    spans, regions = _detect(engine, [document], Grid(["Mairie de Landerneau :"]))[0]
    assert [(r.start, r.field) for r in regions] == [(0, "Mairie de Landerneau")]
    assert regions[0].end >= len("Mairie de Landerneau") and regions[0].end < text.index("\n")
    assert all(not (r.start < s.end and s.start < r.end) for s in spans for r in regions)
    assert any(s.text == "Kerhervé" for s in spans)


@pytest.mark.slow
def test_detect_engine_detect_turns_identifier_cells_into_spans(engine) -> None:
    text = "KGT-2031\nElle participe aux ateliers du jeudi.\n"
    layout = Layout(format="csv", spans=((0, 8, "PERSON"),), fields=((0, "identifiant"), (9, "notes")))
    spans, _regions = _detect(engine, [Document("t", text, layout=layout)])[0]
    cells = [s for s in spans if s.recognizer == LAYOUT_RULE_ID]
    assert LAYOUT_RULE_ID == "document.identifier_cell"
    assert [(s.start, s.end, s.label, s.text, s.score) for s in cells] == [(0, 8, "PERSON", "KGT-2031", 1.0)]
    plain = _detect(engine, [Document("t", text)])[0][0]
    assert not any(s.recognizer == LAYOUT_RULE_ID for s in plain)


# -- build_analyzer ------------------------------------------------------------------------------
@pytest.mark.slow
def test_detect_engine_build_analyzer_uses_our_recognizers_only(engine) -> None:
    ours = engine.recognizers
    analyzer = build_analyzer(engine.config, engine.nlp_engine, recognizers=ours)
    assert analyzer.registry.recognizers == list(ours)
    assert not any(isinstance(r, KnownEntityRecognizer) for r in analyzer.registry.recognizers)
    forms = [("Quéméner", "PERSON", "PER-0001")]
    with_forms = build_analyzer(engine.config, engine.nlp_engine, forms, recognizers=ours)
    added = with_forms.registry.recognizers[len(ours):]
    assert with_forms.registry.recognizers[:len(ours)] == list(ours)
    assert len(added) == 1 and isinstance(added[0], KnownEntityRecognizer)
    results = with_forms.analyze("On a revu Quéméner hier.", language=engine.config.language, entities=ALL_LABELS)
    assert any(r.entity_type == "PERSON" and (r.start, r.end) == (10, 18) for r in results)
    default = build_analyzer(engine.config, engine.nlp_engine)
    assert [type(r) for r in default.registry.recognizers] == [type(r) for r in ours]


def test_detect_engine_registry_gives_recognizers_in_the_order_they_were_added(config) -> None:
    from anonymiser.detect.engine import OrderedRecognizerRegistry
    from anonymiser.recognizers import french_recognizers

    recognizers = french_recognizers(config)
    registry = OrderedRecognizerRegistry(supported_languages=["fr"])
    for recognizer in reversed(recognizers):  # Presidio keeps the first of two equal results
        registry.add_recognizer(recognizer)
    for _ in range(3):
        assert registry.get_recognizers(language="fr", all_fields=True) == list(reversed(recognizers))
        assert [r.name for r in registry.get_recognizers(language="fr", entities=["PERSON"])] == [
            r.name for r in reversed(recognizers) if "PERSON" in r.supported_entities]


def test_detect_engine_registry_answers_again_only_while_it_holds_the_same_recognizers() -> None:
    from presidio_analyzer import Pattern, PatternRecognizer

    from anonymiser.detect.engine import OrderedRecognizerRegistry

    def recognizer(label: str) -> PatternRecognizer:
        return PatternRecognizer(supported_entity=label, supported_language="fr", name=f"r-{label}",
                                 patterns=[Pattern(label, r"\bzzz\b", 0.5)])

    registry = OrderedRecognizerRegistry(supported_languages=["fr"])
    person, place = recognizer("PERSON"), recognizer("LOCATION")
    registry.add_recognizer(person)
    first = registry.get_recognizers(language="fr", entities=["PERSON", "LOCATION"])
    assert first == [person]
    first.clear()  # a caller's list is its own: the remembered answer is not changed
    assert registry.get_recognizers(language="fr", entities=["PERSON", "LOCATION"]) == [person]
    registry.add_recognizer(place)
    assert registry.get_recognizers(language="fr", entities=["PERSON", "LOCATION"]) == [person, place]
    assert registry.get_recognizers(language="fr", entities=["LOCATION"]) == [place]
    registry.remove_recognizer("r-PERSON")
    assert registry.get_recognizers(language="fr", entities=["PERSON", "LOCATION"]) == [place]
    extra = recognizer("PERSON")
    assert registry.get_recognizers(language="fr", entities=["PERSON"], ad_hoc_recognizers=[extra]) == [extra]


def test_detect_engine_detect_marks_of_the_transcript_are_never_spans(engine) -> None:
    text = "417PERS : bon alors\nAnne Rivière : [Rires] XXX oui\n"
    spans = engine.detect(text)
    assert not [s for s in spans if s.text in {"417PERS", "[Rires]", "XXX"}]
    assert "Anne Rivière" in [s.text for s in spans]
