"""The whole pipeline on hand-built documents (loads the spaCy model once: slow)."""

import copy

import pytest

from anonymiser.keys.store import KeyFile
from anonymiser.model import Document, Entity
from anonymiser.pipeline import batches
from anonymiser.reidentify import reidentify_text

pytestmark = pytest.mark.slow

DOC1 = Document("d1", "Entretien avec Isabelle Marchal, maire de Lusignan.\nMme Marchal parle à Bruno Kerleau.\n")
DOC2 = Document("d2", "Isabelle a appelé Bruno. MARCHAL et Kerleau travaillent ensemble à Poitiers.\n")


def test_pipeline_links_variants_across_documents(engine) -> None:
    keyfile = KeyFile.create()
    results = engine.run([DOC1, DOC2], keyfile)
    persons = [e for e in keyfile.entities.values() if e.label == "PERSON"]
    assert sorted(e.canonical for e in persons) == ["Bruno Kerleau", "Isabelle Marchal"]
    marchal = next(e for e in persons if e.canonical == "Isabelle Marchal")
    first, last = marchal.attribute("first"), marchal.attribute("last")
    out1, out2 = results[0].output, results[1].output
    assert f"{first} {last}" in out1 and f"Mme {last}" in out1
    assert first in out2 and last.upper() in out2
    for result in results:
        assert "Marchal" not in result.output and "MARCHAL" not in result.output and "Kerleau" not in result.output


def test_pipeline_known_entities_always_found(engine) -> None:
    keyfile = KeyFile.create()
    known = Entity("PER-0001", "PERSON", "Zoé Quillivic", ("Zoé Quillivic",), "Léa Martin", "manual",
                   attributes=(("first", "Léa"), ("last", "Martin")))
    keyfile.add(known)
    keyfile.index(known.id, *engine.policy.index_entries(known.label, known.variants))
    doc = Document("k", "le dossier quillivic ? Non : Quillivic l'a suivi, et Zoé Quillivic aussi.\n")
    result = engine.run([doc], keyfile)[0]
    assert "Quillivic" not in result.output
    assert "Léa Martin" in result.output
    # the name in lower case is no word of French: a careless transcript's, masked too ("rose" would stay)
    assert "quillivic" not in result.output.lower()


def test_pipeline_is_deterministic_and_reversible(engine) -> None:
    keyfile = KeyFile.create()
    snapshot = copy.deepcopy(keyfile)
    first = engine.run([DOC1, DOC2], keyfile)
    second = engine.run([DOC1, DOC2], snapshot)
    assert [r.output for r in first] == [r.output for r in second]
    third = engine.run([DOC1, DOC2], keyfile)  # the key file now knows every entity
    assert [r.output for r in first] == [r.output for r in third]
    for result in first:
        assert reidentify_text(result.output, result.records, keyfile, path="x") == result.document.text


def test_pipeline_pseudonyms_are_distinct_and_not_real(engine) -> None:
    keyfile = KeyFile.create()
    engine.run([DOC1, DOC2], keyfile)
    pseudonyms = [e.pseudonym for e in keyfile.entities.values()]
    assert len(pseudonyms) == len(set(pseudonyms))
    real = {v for e in keyfile.entities.values() for v in e.variants}
    assert not real & set(pseudonyms)


def test_pipeline_audit_has_no_plaintext(engine) -> None:
    import json

    keyfile = KeyFile.create()
    results = engine.run([DOC1, DOC2], keyfile)
    dump = "\n".join(json.dumps(r, ensure_ascii=False) for res in results for r in res.records)
    for entity in keyfile.entities.values():
        for variant in entity.variants:
            assert variant not in dump
    record = next(r for r in results[0].records if r["record"] == "mention")
    assert {"document", "line", "field", "start", "end", "out_start", "out_end", "label", "recognizer",
            "score", "entity_id", "pseudonym", "hash"} <= set(record)


def test_pipeline_blank_grid_is_never_masked(engine, config) -> None:
    grid_text = (config.rules_dir / "grid" / "grille_territoires_cooperatifs.txt").read_text(encoding="utf-8")
    detection = engine.detect_documents([Document("grille", grid_text)])[0]
    assert detection.spans == ()


def test_pipeline_propagates_across_the_corpus(engine) -> None:
    docs = [Document("a", "J'ai rencontré Gwenaëlle Kervella à Lorient.\n"),
            Document("b", "Bref, Kervella et le dossier des Kervella, ça avance.\n")]
    detections = engine.detect_documents(docs)
    found = {s.text for s in detections[1].spans}
    assert "Kervella" in found


def test_pipeline_department_name_stops_before_the_verb(engine) -> None:
    text = "La Direction de l'attractivité économique suit le dossier.\n"
    spans = engine.detect_documents([Document("d", text)])[0].spans
    assert any(s.text == "Direction de l'attractivité économique" for s in spans)


# -- the phase chain (pipeline.py) ---------------------------------------------------------------
def _files(tmp_path, count: int):
    from anonymiser.pipeline import Source

    sources = []
    for index in range(count):
        path = tmp_path / f"e{index}.txt"
        path.write_text(f"Entretien {index} avec Gwenaëlle Kervella à Lorient.\n", encoding="utf-8")
        sources.append(Source(index, str(path), None, path.stat().st_size))
    return sources


@pytest.mark.slow
def test_pipeline_chain_reads_each_file_once_per_phase_and_resolves_overlaps_once_per_phase(
        engine, tmp_path, monkeypatch) -> None:
    from anonymiser import pipeline
    from anonymiser.detect import engine as detect_engine
    from anonymiser.detect import propagate as detect_propagate
    from anonymiser.run.executors import InProcess

    reads: list[str] = []
    resolved: list[int] = []
    real_read, real_resolve = pipeline.read_document, detect_engine.resolve_overlaps

    def counting_read(path, **kwargs):
        reads.append(str(path))
        return real_read(path, **kwargs)

    def counting_resolve(spans, priority):
        resolved.append(1)
        return real_resolve(spans, priority)

    monkeypatch.setattr(pipeline, "read_document", counting_read)
    monkeypatch.setattr(detect_engine, "resolve_overlaps", counting_resolve)
    monkeypatch.setattr(detect_propagate, "resolve_overlaps", counting_resolve)
    sources = _files(tmp_path, 3)
    settings = pipeline.Settings(out_dir=str(tmp_path / "out"))
    executor = InProcess(engine)
    keyfile = KeyFile.create()
    planned = pipeline.plan_corpus(sources, keyfile, engine=engine, executor=executor, settings=settings)
    written = list(pipeline.replace_corpus(planned, keyfile, engine=engine, executor=executor, settings=settings))
    # find, propagate, replace; and once before them, to infer the grid (a sample of at most
    # pipeline.GRID_SAMPLE documents: here all three)
    assert engine.config.infer_grid and len(sources) <= pipeline.GRID_SAMPLE
    assert sorted(reads) == sorted([s.path for s in sources] * 4)
    assert len(resolved) == 3 * len(sources)  # after detection (of the text, of its file name), after propagation
    assert [w.index for w in written] == [0, 1, 2]
    assert all(w.result is None for w in written)  # written to files, not returned whole
    assert all("Kervella" not in (tmp_path / "out" / f"e{i}.txt").read_text() for i in range(3))


@pytest.mark.slow
def test_pipeline_a_corpus_too_small_to_print_a_grid_is_not_read_for_one(engine, monkeypatch) -> None:
    # a grid line is one printed in MIN_DOCUMENTS documents at least: with fewer, no document
    # is read to look for one (a single long text was read whole once more for nothing)
    from anonymiser import pipeline
    from anonymiser.model import Document
    from anonymiser.text.grid import MIN_DOCUMENTS

    sampled: list[int] = []
    real_sample = pipeline._grid_sample

    def counting_sample(sources, settings):
        sampled.append(len(sources))
        return real_sample(sources, settings)

    monkeypatch.setattr(pipeline, "_grid_sample", counting_sample)
    texts = [f"Question : votre quartier ?\nMme Kervella habite à Lorient depuis {n} ans.\n" for n in range(3)]
    for count in range(1, MIN_DOCUMENTS + 1):
        sources, executor = pipeline.in_memory([Document(f"e{n}", t, f"e{n}.txt") for n, t in
                                                enumerate(texts[:count])], engine)
        pipeline.detect_corpus(sources, None, engine=engine, executor=executor)
    assert engine.config.infer_grid and sampled == [MIN_DOCUMENTS] == [3]


@pytest.mark.slow
def test_pipeline_chain_in_memory_returns_results_and_skips_a_second_name(engine) -> None:
    from anonymiser import pipeline

    documents = [Document("a", "Visite de Gwenaëlle Kervella.\n", "a.txt"),
                 Document("a", "Un autre texte.\n", "a.txt")]
    sources, executor = pipeline.in_memory(documents, engine)
    done = pipeline.detect_corpus(sources, None, engine=engine, executor=executor)
    assert [d.index for d in done.propagated] == [0]
    assert [(s.index, "same name" in str(s.reason)) for s in done.skipped] == [(1, True)]
    assert done.found[0].spans and done.propagated[0].civility == tuple("" for _ in done.propagated[0].spans)


def test_pipeline_batches_cut_by_size_and_count() -> None:
    assert batches(list("abcde"), [50, 60, 10, 200, 5], max_bytes=100, max_items=10) == [
        ["a"], ["b", "c"], ["d"], ["e"]]
    assert batches(list("abcde"), [1] * 5, max_bytes=100, max_items=2) == [["a", "b"], ["c", "d"], ["e"]]
    assert batches([], []) == []


class _Starved:
    """An engine whose detection runs out of memory on any batch that holds a long text."""

    first_names: frozenset[str] = frozenset()  # what file names are searched for (``run.names``)

    def find(self, documents, batch_size=None):
        from anonymiser.model import Detected

        if any(len(d.text) > 100 for d in documents):
            raise MemoryError
        return [Detected.of(d, (), (), index=i) for i, d in enumerate(documents)]


def test_pipeline_a_document_out_of_memory_is_skipped_and_the_others_go_on() -> None:
    from anonymiser.errors import DocumentError
    from anonymiser.pipeline import Settings, Skipped, Source, find_task

    short = [Document(f"d{i}", "Mme Kerhervé est passée.\n", f"d{i}.txt") for i in range(3)]
    long = Document("long", "Mme Kerhervé est passée.\n" * 10, "long.txt")
    sources = [Source(i, d.path, None, len(d.text), d) for i, d in enumerate([short[0], long, *short[1:]])]
    outcomes = find_task(_Starved(), Settings(), sources)
    assert [type(o).__name__ for o in outcomes] == ["Detected", "Skipped", "Detected", "Detected"]
    skipped = outcomes[1]
    assert isinstance(skipped, Skipped) and isinstance(skipped.reason, DocumentError)
    assert "long.txt" in str(skipped.reason) and "memory" in str(skipped.reason)
    assert [o.index for o in outcomes] == [0, 1, 2, 3]


@pytest.mark.slow
def test_pipeline_a_form_decided_a_place_is_not_indexed_as_a_person(engine) -> None:
    """A surname that this run decided is a street name ("boulevard Kervadec") is not found as
    the person's surname by the next run with the same key file: both runs write the same."""
    docs = [Document("a", "Jean Kervadec est venu. Plus tard Jean Kervadec a parlé, puis Jean Kervadec.\n", "a.txt"),
            Document("b", "On passait par le boulevard Kervadec tous les jours, le boulevard Kervadec.\n", "b.txt")]
    keyfile = KeyFile.create()
    first = [r.output for r in engine.run(docs, keyfile)]
    second = [r.output for r in engine.run(docs, keyfile)]
    assert first == second
    assert "Kervadec" not in "".join(first)
    person = next(e for e in keyfile.entities.values() if e.label == "PERSON")
    assert person.attribute("last") in first[0] and person.attribute("last") not in first[1]
