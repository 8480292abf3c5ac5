"""Wire the stages: read -> detect -> propagate -> link -> assign -> replace (+ audit records).

``Anonymiser`` holds what is expensive to build (spaCy model, recognizers); ``run`` takes
documents and a ``KeyFile`` and returns outputs and audit records. No file I/O here.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
from presidio_analyzer.nlp_engine import NlpEngine

from . import audit
from .config import Config, load_config
from .detect import Detection, build_recognizers, detect, load_nlp_engine, outside_grid, resolve_overlaps
from .grid import Grid, GridRegion
from .keyfile import KeyFile
from .link import link, person_forms
from .model import Document, Entity, Replacement, Span
from .names import first_name_keys
from .pseudonyms import Pools, assign
from .recognizers import KnownEntityRecognizer
from .recognizers.lexical import sentence_initial
from .replace import replace_spans
from .strategies import Renderer, civility_hints
from .textnorm import fold, fold_key

log = logging.getLogger(__name__)
PROPAGATION_ID = "corpus.propagation"
CONTACT_LABELS = frozenset({"EMAIL_ADDRESS", "PHONE_NUMBER", "URL", "ADDRESS"})
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
        self.first_names = first_name_keys(self.config.first_names,
                                           (*self.config.function_words, *self.config.particles))
        self.generic_words = frozenset(
            fold(w) for w in (*self.config.org_heads, *self.config.role_heads, *self.config.ner_stoplist,
                              *self.config.interviewer_labels, *self.config.role_domain_heads)
        )
        ranks = _ranks(self.config)
        self.pools = Pools.from_config(self.config, ranks)

    def analyzer(self, known_forms: Iterable[tuple[str, str, str]] = ()) -> AnalyzerEngine:
        registry = RecognizerRegistry(supported_languages=[self.config.language])
        for recognizer in self.recognizers:
            registry.add_recognizer(recognizer)  # type: ignore[arg-type]
        forms = list(known_forms)
        if forms:
            registry.add_recognizer(KnownEntityRecognizer(forms, supported_language=self.config.language))
        return AnalyzerEngine(registry=registry, nlp_engine=self.nlp_engine,
                              supported_languages=[self.config.language])

    # -- stages ----------------------------------------------------------------------------
    def detect(self, documents: Sequence[Document], keyfile: KeyFile | None = None) -> list[Detection]:
        """Detect, then propagate every known and found form across the corpus."""
        known = known_forms(keyfile, self.first_names, self.config.common_words) if keyfile else []
        detections = list(detect(self.analyzer(), documents, config=self.config, grid=self.grid))
        return self.propagate(detections, known)

    def propagate(self, detections: list[Detection],
                  known: Sequence[tuple[str, str, str]] = ()) -> list[Detection]:
        """Find every known or detected form in every document (corpus-wide propagation).

        Forms that would mask ordinary words are not spread: lower-case forms, a generic
        head alone ("SCIC", "conseillère"), a single common word; a person's form that is
        also a word ("Claire") is not taken at a sentence start.
        """
        forms = [form for form in known if self._spreadable(form[0], form[1])]
        votes: Counter[tuple[str, str]] = Counter()
        surfaces: dict[str, str] = {}
        for detection in detections:
            for span in detection.spans:
                for form in person_forms(span.label, [span.text], self.first_names, self.config.common_words):
                    if self._spreadable(form, span.label):
                        votes[(fold_key(form), span.label)] += 1
                        surfaces.setdefault(fold_key(form), form)
        # one label per form: the one it was detected under most often (then label priority)
        rank = {label: index for index, label in enumerate(self.config.label_priority)}
        best: dict[str, tuple[int, int, str]] = {}
        for (key, label), count in votes.items():
            candidate = (-count, rank.get(label, len(rank)), label)
            if key not in best or candidate < best[key]:
                best[key] = candidate
        forms += [(surfaces[key], label, "") for key, (_c, _r, label) in sorted(best.items())]
        if not forms:
            return detections
        recognizer = KnownEntityRecognizer(forms, supported_language=self.config.language)
        result = []
        for detection in detections:
            text = detection.document.text
            extra = [Span.of(text, s, e, label, score=PROPAGATION_SCORE,
                             recognizer=KnownEntityRecognizer.RULE_ID if entity_id else PROPAGATION_ID)
                     for s, e, label, entity_id in recognizer.matches(text)
                     if not self._word_at_sentence_start(text, s, e)]
            extra = outside_grid(text, extra, detection.grid)
            spans = resolve_overlaps([*detection.spans, *extra], self.config.label_priority)
            result.append(Detection(detection.document, tuple(spans), detection.grid))
        return result

    def _spreadable(self, form: str, label: str) -> bool:
        if label in CONTACT_LABELS:
            return True
        if not form[:1].isupper():
            return False
        if " " in form.strip():
            return True
        key = fold(form)
        if key in self.generic_words or form in self.config.generic_acronyms:
            return False
        return label in {"PERSON", "MUNICIPALITY", "LOCATION"} or form.lower() not in self.config.common_words

    def _word_at_sentence_start(self, text: str, start: int, end: int) -> bool:
        surface = text[start:end]
        return (" " not in surface and surface.lower() in self.config.common_words
                and sentence_initial(text, start))

    def run(self, documents: Sequence[Document], keyfile: KeyFile,
            progress: Callable[[int], None] | None = None,
            strategies: dict[str, str] | None = None) -> list[DocumentResult]:
        """Pseudonymise ``documents``; new entities are added to ``keyfile`` (in memory).

        ``strategies`` overrides ``rules/pseudonyms.yaml`` per label (``{"PERSON": "tag"}``).
        """
        detections = self.detect(documents, keyfile)
        mentions = [(d.document.id, span) for d in detections for span in d.spans]
        linked = link(mentions, list(keyfile.entities.values()), first_names=self.first_names)
        hints = civility_hints(linked, {d.document.id: d.document.text for d in detections},
                               self.config.pseudonym_rules.civility_gender)
        ids = assign(linked, keyfile, self.config, self.pools, self.first_names, hints=hints)
        renderer = Renderer(self.config, self.pools, self.first_names, strategies)
        by_document: dict[str, list[tuple[Span, Entity]]] = {}
        for document_id, span, cluster in linked.mentions:
            by_document.setdefault(document_id, []).append((span, keyfile.entities[ids[cluster]]))
        results = []
        for detection in detections:
            document = detection.document
            output, replacements = replace_spans(document.text, by_document.get(document.id, []),
                                                 renderer.render, renderer.adjust)
            records = audit.mention_records(document, replacements, detection.grid, keyfile)
            records.append(audit.document_record(document, output, len(replacements), keyfile))
            results.append(DocumentResult(document, output, tuple(replacements), detection.grid, tuple(records)))
            if progress:
                progress(len(document.text))
        return results

    def render(self, span: Span, entity: Entity) -> str:
        """The pseudonym of ``entity`` in the shape of this mention (default strategies, no grammar)."""
        return Renderer(self.config, self.pools, self.first_names).render(span, entity)


def known_forms(keyfile: KeyFile, first_names: frozenset[str],
                common_words: frozenset[str]) -> list[tuple[str, str, str]]:
    """Every surface form the key file knows, with derived person forms (surname alone)."""
    forms = []
    for entity in keyfile.entities.values():
        if not entity.variants:  # a component never seen on its own ("Avignon" in a name)
            continue
        for form in person_forms(entity.label, (entity.canonical, *entity.variants), first_names, common_words):
            forms.append((form, entity.label, entity.id))
    return forms


def _ranks(config: Config) -> dict[str, int]:
    import csv

    path = config.rules_dir / "lexicons" / "prenoms.tsv"
    if not path.exists():
        return {}
    with path.open(encoding="utf-8", newline="") as handle:
        return {row["prenom"]: int(row["rang"]) for row in csv.DictReader(handle, delimiter="\t")
                if (row.get("rang") or "").isdigit()}
