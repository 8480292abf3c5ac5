"""spaCy and Presidio for French: the NLP engine, the analyzer with our recognizers, and
``detect`` over documents in batches."""

from __future__ import annotations

import logging
from collections.abc import Generator, Iterable, Iterator, Sequence
from typing import Any

import spacy
from presidio_analyzer import (
    AnalyzerEngine,
    EntityRecognizer,
    RecognizerRegistry,
    RecognizerResult,
)
from presidio_analyzer.context_aware_enhancers import ContextAwareEnhancer
from presidio_analyzer.nlp_engine import (
    NerModelConfiguration,
    NlpArtifacts,
    NlpEngine,
    SpacyNlpEngine,
)
from spacy.attrs import IDX
from spacy.tokens import Doc

from anonymiser.config.rules import Config
from anonymiser.detect.regex_union import factored_full_matches
from anonymiser.detect.spans import layout_spans, never_masked, outside, outside_grid, resolve_overlaps
from anonymiser.model import Document, Span
from anonymiser.recognizers import (
    KnownEntityRecognizer,
    french_recognizers,
)
from anonymiser.recognizers.base import rule_id_of
from anonymiser.text.grid import Grid, GridRegion

log = logging.getLogger(__name__)

ALL_LABELS = ["PERSON", "ROLE", "ORGANIZATION", "MUNICIPALITY", "LOCATION",
              "EMAIL_ADDRESS", "PHONE_NUMBER", "URL", "ADDRESS"]


class FrenchNlpEngine(SpacyNlpEngine):
    """Presidio's spaCy engine, loading and running only what our recognizers read.

    Components in ``exclude`` are never loaded; those in ``on_demand`` are loaded but left out
    of ``nlp.pipe``, and ``part_of_speech`` runs them on one ``Doc`` when a recognizer asks
    (a few documents in a corpus). Each text is parsed once; nothing is downloaded.
    """

    def __init__(self, *, model: str, language: str, exclude: Sequence[str] = (),
                 on_demand: Sequence[str] = (), ner_model_configuration: NerModelConfiguration | None = None):
        super().__init__(models=[{"lang_code": language, "model_name": model}],
                         ner_model_configuration=ner_model_configuration)
        self.model, self.language = model, language
        self.exclude, self.on_demand = tuple(exclude), tuple(on_demand)
        score = self.ner_model_configuration.default_score
        if score is None:
            raise ValueError("the NER model configuration needs a default score (spaCy gives none)")
        self.ner_score: float = score

    def load(self) -> None:
        with factored_full_matches():  # spaCy's French token_match: 0.2 s to compile, not 2.5
            nlp = spacy.load(self.model, exclude=list(self.exclude))
        for name in self.on_demand:
            if name in nlp.pipe_names:
                nlp.disable_pipe(name)
        # Presidio's __init__ sets self.nlp = None, which mypy takes for its type
        self.nlp = {self.language: nlp}  # type: ignore[assignment]

    def part_of_speech(self, doc: Doc) -> Doc:
        """Run the on-demand components on ``doc`` (once), so that ``token.pos_`` is set."""
        if doc.has_annotation("POS"):
            return doc
        nlp = self.get_nlp(self.language)
        for name in self.on_demand:
            if name in nlp.component_names:
                doc = nlp.get_pipe(name)(doc)
        return doc

    # SpacyNlpEngine's signature, which Presidio made incompatible with NlpEngine's (no
    # **kwargs, (text, artifacts, context) triples with as_tuples): mypy checks both
    def process_batch(  # type: ignore[override]
            self, texts: list[str] | list[tuple[str, object]], language: str, batch_size: int = 1,
            n_process: int = 1, as_tuples: bool = False,
    ) -> Generator[tuple[Any, NlpArtifacts, Any] | tuple[Any, NlpArtifacts], Any, None]:
        if as_tuples:
            yield from super().process_batch(texts, language, batch_size, n_process, as_tuples)
            return
        texts = [str(text) for text in texts]  # yielded as given: doc.text would rebuild each one
        docs = self.get_nlp(language).pipe(texts, batch_size=batch_size, n_process=n_process)
        for text, doc in zip(texts, docs):
            yield text, self._doc_to_nlp_artifact(doc, language)

    def _doc_to_nlp_artifact(self, doc: Doc, language: str) -> NlpArtifacts:
        """As Presidio's, without a Python object per token for lemmas when there is no
        lemmatizer (they would all be empty), and without the context keywords that only
        Presidio's context enhancer reads (we use ``NoContextEnhancer``)."""
        lemmatized = "lemmatizer" in self.get_nlp(language).pipe_names
        found = list(doc.ents)  # built once (Presidio's helpers each rebuild doc.ents)
        entities, scores = self._get_updated_entities(
            found, [self.ner_score] * len(found))
        artifacts = NlpArtifacts(
            entities=entities, tokens=doc, tokens_indices=doc.to_array(IDX).tolist(),
            lemmas=[t.lemma_ for t in doc] if lemmatized else [""] * len(doc),
            nlp_engine=None, language=language, scores=scores,  # no engine: no context keywords
        )
        artifacts.nlp_engine = self  # for recognizers that ask for part-of-speech on demand
        return artifacts


def load_nlp_engine(config: Config) -> FrenchNlpEngine:
    """Load the spaCy model once, through a Presidio engine (no download: it is installed)."""
    ner_config = NerModelConfiguration(
        model_to_presidio_entity_mapping=dict(config.ner_mapping),
        labels_to_ignore=["MISC"],
        default_score=config.ner_score,
    )
    engine = FrenchNlpEngine(model=config.model, language=config.language,
                             exclude=config.exclude_components, on_demand=config.on_demand_components,
                             ner_model_configuration=ner_config)
    engine.load()
    return engine


class NoContextEnhancer(ContextAwareEnhancer):
    """Our rules carry their own evidence (words before a name, a civility...): Presidio's
    context-word enhancement has nothing to add, and would copy every result."""

    def __init__(self) -> None:
        super().__init__(context_similarity_factor=0.0, min_score_with_context_similarity=0.0,
                         context_prefix_count=0, context_suffix_count=0)

    def enhance_using_context(self, text: str, raw_results: list[RecognizerResult],
                              nlp_artifacts: NlpArtifacts, recognizers: list[EntityRecognizer],
                              context: list[str] | None = None) -> list[RecognizerResult]:
        return raw_results


class FrenchAnalyzerEngine(AnalyzerEngine):
    """Presidio's engine with ``NoContextEnhancer``: the context step is skipped whole (it
    would otherwise filter every result once per recognizer, for per-recognizer context
    hooks none of our recognizers has)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(context_aware_enhancer=NoContextEnhancer(), **kwargs)

    def _enhance_using_context(self, text: str, raw_results: list[RecognizerResult],
                               nlp_artifacts: NlpArtifacts, recognizers: list[EntityRecognizer],
                               context: list[str] | None = None) -> list[RecognizerResult]:
        return raw_results


class OrderedRecognizerRegistry(RecognizerRegistry):
    """Presidio's registry, giving its recognizers in the order they were added (Presidio's
    own returns ``list(set(...))``, in an order that changes from one process to the next; when
    two recognizers find the same span with the same score, Presidio keeps the first one, so the
    rule id in the audit would change from run to run)."""

    def get_recognizers(self, *args: Any, **kwargs: Any) -> list[EntityRecognizer]:
        found = super().get_recognizers(*args, **kwargs)
        order = {id(recognizer): index for index, recognizer in enumerate(self.recognizers)}
        return sorted(found, key=lambda recognizer: order.get(id(recognizer), len(order)))


def build_analyzer(config: Config, nlp_engine: NlpEngine,
                   known_forms: Iterable[tuple[str, str, str]] = (),
                   recognizers: Sequence[EntityRecognizer] | None = None) -> AnalyzerEngine:
    """An ``AnalyzerEngine`` with only our recognizers (built from ``config`` unless given)
    and, optionally, a ``KnownEntityRecognizer`` for plaintext known forms."""
    registry = OrderedRecognizerRegistry(supported_languages=[config.language])
    for recognizer in recognizers if recognizers is not None else french_recognizers(config):
        registry.add_recognizer(recognizer)
    forms = list(known_forms)
    if forms:
        registry.add_recognizer(KnownEntityRecognizer(forms, supported_language=config.language))
    return FrenchAnalyzerEngine(registry=registry, nlp_engine=nlp_engine, supported_languages=[config.language])


MAX_CHUNK = 100_000  # characters per parse: spaCy refuses texts over nlp.max_length


def chunks(text: str, size: int = MAX_CHUNK) -> list[tuple[int, str]]:
    """Cut ``text`` into pieces of at most ``size`` characters at line breaks (at spaces, or
    anywhere, for a longer line), as ``(offset, piece)``. Names never cross a line break,
    so nothing is lost at a cut.

    >>> chunks("ab\ncd\nef", 5)
    [(0, 'ab\ncd\n'), (6, 'ef')]
    """
    pieces = []
    start = 0
    while start < len(text):
        end = min(len(text), start + size)
        if end < len(text):
            cut = text.rfind("\n", start, end)
            if cut <= start:
                cut = text.rfind(" ", start, end)
            end = cut + 1 if cut > start else end
        pieces.append((start, text[start:end]))
        start = end
    return pieces


def detect(analyzer: AnalyzerEngine, documents: Sequence[Document], *, config: Config,
           grid: Grid, batch_size: int | None = None) -> Iterator[tuple[tuple[Span, ...], tuple[GridRegion, ...]]]:
    """Detect spans in each document, parsing texts in batches with ``nlp.pipe``; a long
    document is parsed in chunks (see ``chunks``). ``batch_size`` defaults to the configuration's.

    Yields, per document, its spans (overlaps resolved, with the spans its layout imposes:
    identifier cells; none on a transcript mark) and where its grid text lies."""
    pieces = [(index, offset, piece) for index, doc in enumerate(documents) for offset, piece in chunks(doc.text)]
    artifacts = analyzer.nlp_engine.process_batch([p[2] for p in pieces], language=config.language,
                                                  batch_size=batch_size or config.batch_size)
    found: dict[int, list[Span]] = {}
    for (index, offset, piece), (_text, nlp_artifacts) in zip(pieces, artifacts):
        results = analyzer.analyze(
            text=piece, language=config.language, entities=ALL_LABELS,
            nlp_artifacts=nlp_artifacts, return_decision_process=True,
        )
        text = documents[index].text
        found.setdefault(index, []).extend(
            Span.of(text, offset + r.start, offset + r.end, r.entity_type, score=round(float(r.score), 4),
                    recognizer=rule_id_of(r))
            for r in results if r.end > r.start
        )
    for index, document in enumerate(documents):
        regions = grid.regions(document.text) if grid else []
        spans = outside_grid(document.text, found.get(index, []), regions)
        spans = [span for span in spans if not config.spoken.is_marker(span.text)]  # 417PERS, [rires], XXX
        spans = outside(spans, never_masked(document.text, config.never_mask))  # a project's words
        spans += layout_spans(document)
        yield tuple(resolve_overlaps(spans, config.label_priority)), tuple(regions)


