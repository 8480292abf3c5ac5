"""Wire the stages: detect -> propagate -> link -> assign -> replace (+ audit records).

``Anonymiser`` holds what is expensive to build (spaCy model, recognizers). A run has three
per-document phases and two corpus-wide steps between them:

1. ``find``: detect spans in each document (spaCy and our recognizers);
   then, for the corpus, ``spread``: the forms found that may be searched everywhere;
2. ``propagate``: find those forms, and the key file's, in each document;
   then, for the corpus, ``plan``: link the mentions, give each entity its pseudonym
   (new ones are added to the key file, once, here);
3. ``replace``: write each document's pseudonyms, with its audit records.

Per-document phases need no other document, so they run in batches, in any number of
processes or on a cluster (``corpus.py``); ``run`` chains them in memory. No file I/O here.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any

from presidio_analyzer import AnalyzerEngine
from presidio_analyzer.nlp_engine import NlpEngine

from anonymiser import audit
from anonymiser.assign.pseudonyms import Pools, assign
from anonymiser.config.load import load_config
from anonymiser.config.rules import Config
from anonymiser.detect.engine import (
    build_analyzer,
    build_recognizers,
    detect,
    load_nlp_engine,
)
from anonymiser.detect.spans import (
    Detection,
    outside_grid,
    resolve_overlaps,
    split_at_units,
    with_layout_spans,
    without_artefacts,
)
from anonymiser.keys.store import KeyFile
from anonymiser.link import FormPolicy, link, person_forms
from anonymiser.model import Document, Entity, Replacement, Span
from anonymiser.recognizers import KnownEntityRecognizer
from anonymiser.recognizers.lexical import sentence_initial
from anonymiser.render.replace import replace_spans
from anonymiser.render.strategies import Renderer, civility_before, civility_hints
from anonymiser.review.decisions import kept_spans
from anonymiser.text.fold import fold_key
from anonymiser.text.grid import Grid, GridRegion

log = logging.getLogger(__name__)
PROPAGATION_ID = "corpus.propagation"
PROPAGATION_SCORE = 0.99


@dataclass(frozen=True)
class Spread:
    """Forms detected in a run that are searched in every document, each with one label,
    keyed by folded form (see ``Anonymiser.spread``)."""

    forms: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    language: str = "fr"

    @cached_property
    def recognizer(self) -> KnownEntityRecognizer | None:
        """One automaton over every form (built once per process that uses it)."""
        forms = [(surface, label, "") for surface, label in self.forms.values()]
        return KnownEntityRecognizer(forms, supported_language=self.language) if forms else None

    def __getstate__(self) -> dict[str, Any]:  # the automaton is rebuilt, not shipped
        return {"forms": dict(self.forms), "language": self.language}

    def __setstate__(self, state: dict[str, Any]) -> None:
        object.__setattr__(self, "forms", state["forms"])
        object.__setattr__(self, "language", state["language"])


class FormVotes:
    """How often each form that may be spread was detected under each label; spans can be
    added in any number of steps, ``forms`` gives each form its label."""

    def __init__(self, policy: FormPolicy, common_words: frozenset[str], priority: Sequence[str]) -> None:
        self.policy, self.common_words, self.priority = policy, common_words, priority
        self.votes: Counter[tuple[str, str]] = Counter()
        self.surfaces: dict[str, str] = {}

    def add(self, spans: Iterable[Span]) -> FormVotes:
        for span in spans:
            for form in person_forms(span.label, [span.text], self.policy.first_names, self.common_words):
                if self.policy.spreadable(form, span.label):
                    key = fold_key(form)
                    self.votes[(key, span.label)] += 1
                    self.surfaces.setdefault(key, form)
        return self

    def forms(self) -> dict[str, tuple[str, str]]:
        """Each form with one label: the one it was detected under most often, then label
        priority. Keyed by folded form."""
        rank = {label: index for index, label in enumerate(self.priority)}
        best: dict[str, tuple[int, int, str]] = {}
        for (key, label), count in self.votes.items():
            candidate = (-count, rank.get(label, len(rank)), label)
            if key not in best or candidate < best[key]:
                best[key] = candidate
        return {key: (self.surfaces[key], label) for key, (_c, _r, label) in sorted(best.items())}


@dataclass(frozen=True)
class Found:
    """One document's mentions after propagation, without its text: what the corpus-wide
    ``plan`` needs (``civility``: per span, F or M when a civility precedes it)."""

    document_id: str
    spans: tuple[Span, ...]
    civility: tuple[str, ...]


@dataclass(frozen=True)
class Plan:
    """What ``plan`` decided: for each document, its spans and their entities; and the
    strategies the run renders with."""

    mentions: Mapping[str, tuple[tuple[Span, Entity], ...]]
    strategies: Mapping[str, str] = field(default_factory=dict)

    def of(self, document_id: str) -> tuple[tuple[Span, Entity], ...]:
        return tuple(self.mentions.get(document_id, ()))


@dataclass(frozen=True)
class DocumentResult:
    document: Document
    output: str
    replacements: tuple[Replacement, ...]
    grid: tuple[GridRegion, ...]
    records: tuple[dict[str, Any], ...]


class Anonymiser:
    """The whole pipeline, with the model and recognizers loaded once.

    >>> engine = Anonymiser()                      # doctest: +SKIP
    >>> results = engine.run(documents, keyfile)   # doctest: +SKIP

    The spaCy model loads on first use: a process that only plans or replaces never loads it.
    """

    def __init__(self, config: Config | None = None, nlp_engine: NlpEngine | None = None) -> None:
        self.config = config or load_config()
        self._nlp_engine = nlp_engine
        self.grid = Grid(self.config.grid_lines)
        self.policy = FormPolicy.from_config(self.config)
        self.first_names = self.policy.first_names
        self.pools = Pools.from_config(self.config)  # ranks from the first-name lexicon

    @property
    def nlp_engine(self) -> NlpEngine:
        if self._nlp_engine is None:
            self._nlp_engine = load_nlp_engine(self.config)
        return self._nlp_engine

    @cached_property
    def recognizers(self) -> list[object]:
        return build_recognizers(self.config)

    def analyzer(self) -> AnalyzerEngine:
        return build_analyzer(self.config, self.nlp_engine, recognizers=self.recognizers)

    # -- phase 1: find -------------------------------------------------------------------------
    def find(self, documents: Sequence[Document], batch_size: int | None = None) -> list[Detection]:
        """Detect spans in each document (``nlp.pipe`` in batches), with the spans a
        structured document imposes (identifier cells)."""
        detections = detect(self.analyzer(), documents, config=self.config, grid=self.grid,
                            batch_size=batch_size)
        return [with_layout_spans(d, self.config.label_priority) for d in detections]

    def spread(self, spans: Iterable[Span] | FormVotes) -> Spread:
        """Corpus-wide: the forms found in the run that may be searched everywhere (from the
        spans, or from their votes counted as documents came: ``form_votes``)."""
        votes = spans if isinstance(spans, FormVotes) else self.form_votes().add(spans)
        return Spread(votes.forms(), self.config.language)

    def form_votes(self) -> FormVotes:
        """An empty count of the forms detected in the run that may be spread (``FormVotes``),
        to add documents to as they are found."""
        return FormVotes(self.policy, self.config.common_words, self.config.label_priority)

    # -- phase 2: propagate --------------------------------------------------------------------
    def propagate(self, detection: Detection, keyfile: KeyFile | None, spread: Spread) -> Detection:
        """Find every form of the key file (by keyed hash) and every spread form (by
        automaton) in this document: corpus-wide propagation. Then no span is left on a
        conversion artefact or across a paragraph or cell.

        Forms that would mask ordinary words are not spread (``FormPolicy``); a form that is
        also a word ("Claire", "Sens") is not taken at a sentence start.
        """
        text = detection.document.text
        extra: list[Span] = []
        if keyfile is not None:
            for start, end, label, _entity, flags in keyfile.find_forms(text):
                if "c" in flags and not text[start].isupper():
                    continue
                if "w" in flags and sentence_initial(text, start):
                    continue
                extra.append(Span.of(text, start, end, label, score=1.0, recognizer=KnownEntityRecognizer.RULE_ID))
        recognizer = spread.recognizer
        if recognizer is not None:
            extra += [Span.of(text, s, e, label, score=PROPAGATION_SCORE, recognizer=PROPAGATION_ID)
                      for s, e, label, _id in recognizer.matches(text)
                      if not self._word_at_sentence_start(text, s, e)]
        extra = outside_grid(text, extra, detection.grid)
        # spans the review decided to leave unmasked go before overlaps are resolved (they
        # hide no other span) and after (the key file or a spread form cannot bring them back)
        spans = resolve_overlaps(kept_spans([*detection.spans, *extra], detection.document.id, keyfile),
                                 self.config.label_priority)
        done = split_at_units(without_artefacts(Detection(detection.document, tuple(spans), detection.grid)))
        return Detection(done.document, tuple(kept_spans(done.spans, done.document.id, keyfile)), done.grid)

    def found(self, detection: Detection) -> Found:
        """What ``plan`` needs of a propagated document (its spans, civilities before them)."""
        text, genders = detection.document.text, self.config.pseudonym_rules.civility_gender
        civility = tuple(civility_before(text, s.start, genders) if s.label == "PERSON" else ""
                         for s in detection.spans)
        return Found(detection.document.id, detection.spans, civility)

    def detect(self, documents: Sequence[Document], keyfile: KeyFile | None = None) -> list[Detection]:
        """Phases 1 and 2 in memory: detect, then propagate across ``documents``."""
        raw = self.find(documents)
        spread = self.spread(s for d in raw for s in d.spans)
        return [self.propagate(d, keyfile, spread) for d in raw]

    def _word_at_sentence_start(self, text: str, start: int, end: int) -> bool:
        surface = text[start:end]
        return (" " not in surface and surface.lower() in self.config.common_words
                and sentence_initial(text, start))

    # -- plan (corpus-wide) --------------------------------------------------------------------
    def plan(self, found: Iterable[Found], keyfile: KeyFile,
             strategies: Mapping[str, str] | None = None, *, votes: FormVotes | None = None) -> Plan:
        """Link every mention of the corpus, give each entity its pseudonym; new entities and
        forms go into ``keyfile`` (in memory). ``found`` is in corpus order; ``votes``, when
        given, are those of its spans (counted as the documents came)."""
        found = list(found)
        if votes is None:
            votes = self.form_votes().add(s for f in found for s in f.spans)
        spread = votes.forms()
        mentions = [(f.document_id, span) for f in found for span in f.spans]
        linked = link(mentions, keyfile, first_names=self.first_names)
        genders = {(f.document_id, s.start, s.end): g for f in found for s, g in zip(f.spans, f.civility) if g}
        hints = civility_hints(linked, genders)
        ids = assign(linked, keyfile, self.config, self.pools, self.first_names, hints=hints)
        for index, cluster in enumerate(linked.clusters):
            forms, keys = self.policy.index_entries(cluster.label, cluster.variants)
            # a form is found later under the label this run spread it with, and no other:
            # the next run with this key file then takes the same decisions as this one
            forms = [(f, flags) for f, flags in forms
                     if spread.get(fold_key(f), (f, cluster.label))[1] == cluster.label]
            keyfile.index(ids[index], forms, keys)
        remember_generalisations(keyfile, self.renderer(strategies))
        by_document: dict[str, list[tuple[Span, Entity]]] = {}
        for document_id, span, cluster in linked.mentions:
            by_document.setdefault(document_id, []).append((span, keyfile.entities[ids[cluster]]))
        return Plan({d: tuple(pairs) for d, pairs in by_document.items()}, dict(strategies or {}))

    def renderer(self, strategies: Mapping[str, str] | None = None) -> Renderer:
        return Renderer(self.config, self.pools, self.first_names, dict(strategies or {}))

    # -- phase 3: replace ----------------------------------------------------------------------
    def replace(self, detection: Detection, mentions: Sequence[tuple[Span, Entity]], renderer: Renderer,
                keyfile: KeyFile) -> DocumentResult:
        """Write the pseudonyms of one document; its audit records (keyed hashes, no text)."""
        document = detection.document
        output, replacements = replace_spans(document.text, list(mentions), renderer.render, renderer.adjust)
        records = audit.mention_records(document, replacements, self.fields(detection), keyfile)
        records.append(audit.document_record(document, output, len(replacements), keyfile))
        return DocumentResult(document, output, tuple(replacements), detection.grid, tuple(records))

    def run(self, documents: Sequence[Document], keyfile: KeyFile,
            progress: Callable[[int], None] | None = None,
            strategies: dict[str, str] | None = None) -> list[DocumentResult]:
        """Pseudonymise ``documents`` in memory; new entities and forms are added to
        ``keyfile``. ``strategies`` overrides ``rules/pseudonyms.yaml`` per label
        (``{"PERSON": "tag"}``). For a corpus of files, see ``corpus.run_corpus``."""
        detections = self.detect(documents, keyfile)
        plan = self.plan((self.found(d) for d in detections), keyfile, strategies)
        renderer = self.renderer(plan.strategies)
        results = []
        for detection in detections:
            results.append(self.replace(detection, plan.of(detection.document.id), renderer, keyfile))
            if progress:
                progress(len(detection.document.text))
        return results

    def fields(self, detection: Detection) -> tuple[GridRegion, ...]:
        """Where each field starts: the grid questions found in the text, or, for a table,
        each cell's column (named after the grid question it matches, if any)."""
        layout = detection.document.layout
        if layout is None or not layout.fields:
            return detection.grid
        names = {}
        for name in {name for _, name in layout.fields}:
            found = self.grid.regions(name) if self.grid else []
            names[name] = found[0].field if found else name
        return tuple(GridRegion(offset, offset, names[name]) for offset, name in layout.fields)

    def render(self, span: Span, entity: Entity) -> str:
        """The pseudonym of ``entity`` in the shape of this mention (default strategies, no grammar)."""
        return self.renderer().render(span, entity)


GENERALISED_LABELS = ("MUNICIPALITY", "ORGANIZATION", "ROLE")


def remember_generalisations(keyfile: KeyFile, renderer: Renderer) -> None:
    """Store each new entity's generalised form while its original is known, so that a run
    with the pseudonymise role alone renders it the same way."""
    for entity in list(keyfile.entities.values()):
        if entity.label in GENERALISED_LABELS and entity.canonical and not entity.attribute("generalised"):
            attributes = tuple(sorted((*entity.attributes, ("generalised", renderer.generalise_original(entity)))))
            keyfile.entities[entity.id] = replace(entity, attributes=attributes)
