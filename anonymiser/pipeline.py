"""Wire the stages: read -> detect -> propagate -> link -> assign -> replace (+ audit records).

``Anonymiser`` holds what is expensive to build (spaCy model, recognizers); ``run`` takes
documents and a ``KeyFile`` and returns outputs and audit records. No file I/O here.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from presidio_analyzer import AnalyzerEngine
from presidio_analyzer.nlp_engine import NlpEngine

from . import audit
from .config import Config, load_config
from .decisions import without_kept
from .detect import (
    Detection,
    build_analyzer,
    build_recognizers,
    detect,
    load_nlp_engine,
    outside_grid,
    resolve_overlaps,
    split_at_units,
    with_layout_spans,
    without_artefacts,
)
from .grid import Grid, GridRegion
from .keyfile import KeyFile
from .link import FormPolicy, link, person_forms
from .model import Document, Entity, Replacement, Span
from .pseudonyms import Pools, assign
from .recognizers import KnownEntityRecognizer
from .recognizers.lexical import sentence_initial
from .replace import replace_spans
from .strategies import Renderer, civility_hints
from .textnorm import fold, fold_key

log = logging.getLogger(__name__)
PROPAGATION_ID = "corpus.propagation"
PROPAGATION_SCORE = 0.99


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
    """

    def __init__(self, config: Config | None = None, nlp_engine: NlpEngine | None = None) -> None:
        self.config = config or load_config()
        self.nlp_engine = nlp_engine or load_nlp_engine(self.config)
        self.recognizers = build_recognizers(self.config)
        self.grid = Grid(self.config.grid_lines)
        self.policy = FormPolicy.from_config(self.config)
        self.first_names = self.policy.first_names
        self.pools = Pools.from_config(self.config, _ranks(self.config))

    def analyzer(self) -> AnalyzerEngine:
        return build_analyzer(self.config, self.nlp_engine, recognizers=self.recognizers)

    # -- stages ----------------------------------------------------------------------------
    def detect(self, documents: Sequence[Document], keyfile: KeyFile | None = None) -> list[Detection]:
        """Detect, then propagate every known and found form across the corpus. Spans the
        review decided to leave unmasked (``decisions.without_kept``) are dropped before
        propagation, so they do not spread, and after it, so the key file cannot bring them back."""
        detections = without_kept(list(detect(self.analyzer(), documents, config=self.config, grid=self.grid)),
                                  keyfile)
        return without_kept(self._finish(self.propagate(self._with_layouts(detections), keyfile)), keyfile)

    def _with_layouts(self, detections: list[Detection]) -> list[Detection]:
        """Spans a structured document imposes (identifier cells), before propagation."""
        return [with_layout_spans(d, self.config.label_priority) for d in detections]

    @staticmethod
    def _finish(detections: list[Detection]) -> list[Detection]:
        """No span on a conversion artefact, none across a paragraph or a cell."""
        return [split_at_units(without_artefacts(d)) for d in detections]

    def propagate(self, detections: list[Detection], keyfile: KeyFile | None = None) -> list[Detection]:
        """Find every form of the key file (by keyed hash) and every form detected in the
        run (by automaton) in every document: corpus-wide propagation.

        Forms that would mask ordinary words are not spread (``FormPolicy``); a form that is
        also a word ("Claire", "Sens") is not taken at a sentence start.
        """
        forms = [(surface, label, "") for surface, label in self.corpus_forms(detections).values()]
        recognizer = KnownEntityRecognizer(forms, supported_language=self.config.language) if forms else None
        result = []
        for detection in detections:
            text = detection.document.text
            extra: list[Span] = []
            if keyfile is not None:
                for start, end, label, _entity, flags in keyfile.find_forms(text):
                    if "c" in flags and not text[start].isupper():
                        continue
                    if "w" in flags and sentence_initial(text, start):
                        continue
                    extra.append(Span.of(text, start, end, label, score=1.0, recognizer=KnownEntityRecognizer.RULE_ID))
            if recognizer is not None:
                extra += [Span.of(text, s, e, label, score=PROPAGATION_SCORE, recognizer=PROPAGATION_ID)
                          for s, e, label, _id in recognizer.matches(text)
                          if not self._word_at_sentence_start(text, s, e)]
            extra = outside_grid(text, extra, detection.grid)
            spans = resolve_overlaps([*detection.spans, *extra], self.config.label_priority)
            result.append(Detection(detection.document, tuple(spans), detection.grid))
        return result

    def corpus_forms(self, detections: Sequence[Detection]) -> dict[str, tuple[str, str]]:
        """Forms detected in the run that may be spread, each with one label: the one it was
        detected under most often, then label priority. Keyed by folded form."""
        votes: Counter[tuple[str, str]] = Counter()
        surfaces: dict[str, str] = {}
        for detection in detections:
            for span in detection.spans:
                for form in person_forms(span.label, [span.text], self.first_names, self.config.common_words):
                    if self.policy.spreadable(form, span.label):
                        votes[(fold_key(form), span.label)] += 1
                        surfaces.setdefault(fold_key(form), form)
        rank = {label: index for index, label in enumerate(self.config.label_priority)}
        best: dict[str, tuple[int, int, str]] = {}
        for (key, label), count in votes.items():
            candidate = (-count, rank.get(label, len(rank)), label)
            if key not in best or candidate < best[key]:
                best[key] = candidate
        return {key: (surfaces[key], label) for key, (_c, _r, label) in sorted(best.items())}

    def _word_at_sentence_start(self, text: str, start: int, end: int) -> bool:
        surface = text[start:end]
        return (" " not in surface and surface.lower() in self.config.common_words
                and sentence_initial(text, start))

    def run(self, documents: Sequence[Document], keyfile: KeyFile,
            progress: Callable[[int], None] | None = None,
            strategies: dict[str, str] | None = None) -> list[DocumentResult]:
        """Pseudonymise ``documents``; new entities and forms are added to ``keyfile`` (in memory).

        ``strategies`` overrides ``rules/pseudonyms.yaml`` per label (``{"PERSON": "tag"}``).
        """
        detections = self.detect(documents, keyfile)
        spread = self.corpus_forms(detections)
        mentions = [(d.document.id, span) for d in detections for span in d.spans]
        linked = link(mentions, keyfile, first_names=self.first_names)
        hints = civility_hints(linked, {d.document.id: d.document.text for d in detections},
                               self.config.pseudonym_rules.civility_gender)
        ids = assign(linked, keyfile, self.config, self.pools, self.first_names, hints=hints)
        for index, cluster in enumerate(linked.clusters):
            forms, keys = self.policy.index_entries(cluster.label, cluster.variants)
            # a form is found later under the label this run spread it with, and no other:
            # the next run with this key file then takes the same decisions as this one
            forms = [(f, flags) for f, flags in forms
                     if spread.get(fold_key(f), (f, cluster.label))[1] == cluster.label]
            keyfile.index(ids[index], forms, keys)
        renderer = Renderer(self.config, self.pools, self.first_names, strategies)
        remember_generalisations(keyfile, renderer)
        by_document: dict[str, list[tuple[Span, Entity]]] = {}
        for document_id, span, cluster in linked.mentions:
            by_document.setdefault(document_id, []).append((span, keyfile.entities[ids[cluster]]))
        results = []
        for detection in detections:
            document = detection.document
            output, replacements = replace_spans(document.text, by_document.get(document.id, []),
                                                 renderer.render, renderer.adjust)
            records = audit.mention_records(document, replacements, self.fields(detection), keyfile)
            records.append(audit.document_record(document, output, len(replacements), keyfile))
            results.append(DocumentResult(document, output, tuple(replacements), detection.grid, tuple(records)))
            if progress:
                progress(len(document.text))
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
        return Renderer(self.config, self.pools, self.first_names).render(span, entity)


GENERALISED_LABELS = ("MUNICIPALITY", "ORGANIZATION", "ROLE")


def remember_generalisations(keyfile: KeyFile, renderer: Renderer) -> None:
    """Store each new entity's generalised form while its original is known, so that a run
    with the pseudonymise role alone renders it the same way."""
    for entity in list(keyfile.entities.values()):
        if entity.label in GENERALISED_LABELS and entity.canonical and not entity.attribute("generalised"):
            attributes = tuple(sorted((*entity.attributes, ("generalised", renderer.generalise_original(entity)))))
            keyfile.entities[entity.id] = replace(entity, attributes=attributes)


def _ranks(config: Config) -> dict[str, int]:
    import csv

    path = config.rules_dir / "lexicons" / "prenoms.tsv"
    if not path.exists():
        return {}
    with path.open(encoding="utf-8", newline="") as handle:
        return {row["prenom"]: int(row["rang"]) for row in csv.DictReader(handle, delimiter="\t")
                if (row.get("rang") or "").isdigit()}
