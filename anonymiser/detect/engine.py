"""spaCy and Presidio for French: the NLP engine, the analyzer with our recognizers, and
``detect`` over documents in batches."""

from __future__ import annotations

import bisect
import functools
import itertools
import logging
import operator
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from dataclasses import dataclass
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
from spacy.attrs import ENT_ID, ENT_IOB, ENT_KB_ID, ENT_TYPE, IDX
from spacy.tokens import Doc

from anonymiser.config.rules import Config
from anonymiser.detect.regex_union import factored_full_matches
from anonymiser.detect.rejects import rejector_of
from anonymiser.detect.spans import (
    heading_words,
    layout_spans,
    never_masked,
    outside,
    outside_grid,
    resolve_overlaps,
    saint_day,
)
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


# tokens tagged on each side of the ones asked for (``FrenchNlpEngine.tagged``): the shared
# tok2vec of fr_core_news_md reads 4 tokens on each side of a token (depth 4, window 1)
TAG_CONTEXT = 16


@dataclass(frozen=True, slots=True)
class Tagged:
    """A token of a text with its part of speech: ``idx`` is its offset in the text."""

    text: str
    idx: int
    pos_: str


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
        # the last Doc ``tagged`` read, the attributes it copies from it and their values
        self._arrays: tuple[Doc, list[int | str], Any] | None = None

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

    def tagged(self, doc: Doc, start: int, end: int) -> list[Tagged]:
        """The tokens ``doc[start:end]`` with their part of speech. The on-demand components
        run on those tokens and ``TAG_CONTEXT`` tokens on each side only, not on the whole
        text: what they read of a token is a few tokens around it."""
        if doc.has_annotation("POS"):
            return [Tagged(t.text, t.idx, t.pos_) for t in doc[start:end]]
        first, last = max(0, start - TAG_CONTEXT), min(len(doc), end + TAG_CONTEXT)
        window = self.part_of_speech(self._window(doc, first, last))
        offset = doc[first].idx if last > first else 0
        return [Tagged(t.text, offset + t.idx, t.pos_) for t in window[start - first:end - first]]

    def _window(self, doc: Doc, first: int, last: int) -> Doc:
        """``doc[first:last].as_doc()`` without its entities (the on-demand components do not
        read them), from the attribute arrays of ``doc`` read once for all its windows:
        ``Span.as_doc`` reads the whole Doc's arrays and entities at each call, which made the
        windows of a text cost its length times their number (8 s a MB of text in one Doc)."""
        if self._arrays is None or self._arrays[0] is not doc:
            entities = (ENT_IOB, ENT_TYPE, ENT_KB_ID, ENT_ID)
            head: list[int | str] = [attr for attr in doc._get_array_attrs() if attr not in entities]
            self._arrays = (doc, head, doc.to_array(head))
        _doc, head, array = self._arrays
        tokens = doc[first:last]
        window = Doc(doc.vocab, words=[t.text for t in tokens], spaces=[bool(t.whitespace_) for t in tokens])
        rows: Any = array[first:last]  # Ints2d, which numpy's slicing does not say
        return window.from_array(head, rows)

    # SpacyNlpEngine's signature, which Presidio made incompatible with NlpEngine's (no
    # **kwargs, (text, artifacts, context) triples with as_tuples): mypy checks both
    def process_batch(  # type: ignore[override]
            self, texts: Iterable[str] | list[tuple[str, object]], language: str, batch_size: int = 1,
            n_process: int = 1, as_tuples: bool = False,
    ) -> Generator[tuple[Any, NlpArtifacts, Any] | tuple[Any, NlpArtifacts], Any, None]:
        if as_tuples:
            yield from super().process_batch(list(texts), language, batch_size, n_process,  # type: ignore[arg-type]
                                             as_tuples)
            return
        # yielded as given (doc.text would rebuild each one), read as nlp.pipe asks for them, in
        # groups of ZONE_CHARS: each group in a memory zone of spaCy, which forgets at its end the
        # words it had not seen (a table's row numbers, a long text's rare words: 0.5 KB each,
        # for good); each text is analysed before the next one is asked for, inside its zone
        nlp = self.get_nlp(language)
        for group in _groups((str(text) for text in texts), ZONE_CHARS):
            with nlp.memory_zone():
                for text, doc in zip(group, nlp.pipe(group, batch_size=batch_size, n_process=n_process)):
                    yield text, self._doc_to_nlp_artifact(doc, language)
                self._arrays = None  # a Doc is not to be read past its memory zone

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


ZONE_CHARS = 1_000_000  # characters parsed in one memory zone of spaCy (``process_batch``)


def _groups(texts: Iterable[str], chars: int) -> Iterator[list[str]]:
    """Consecutive groups of ``texts`` of about ``chars`` characters (a longer text alone)."""
    group: list[str] = []
    size = 0
    for text in texts:
        if group and size + len(text) > chars:
            yield group
            group, size = [], 0
        group.append(text)
        size += len(text)
    if group:
        yield group


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
    rule id in the audit would change from run to run). The answer for a language and a
    list of labels is remembered while the registry holds the same recognizers: ``analyze``
    asks for it on every text, the same list each time."""

    _last_answer: tuple[tuple[str, tuple[str, ...] | None, bool], tuple[EntityRecognizer, ...],
                        tuple[EntityRecognizer, ...]] | None = None

    def get_recognizers(self, language: str, entities: list[str] | None = None, all_fields: bool = False,
                        ad_hoc_recognizers: list[EntityRecognizer] | None = None) -> list[EntityRecognizer]:
        question = (language, None if entities is None else tuple(entities), all_fields)
        last, held = self._last_answer, tuple(self.recognizers)
        if not ad_hoc_recognizers and last is not None and last[0] == question \
                and len(last[1]) == len(held) and all(map(operator.is_, last[1], held)):
            return list(last[2])
        found = super().get_recognizers(language, entities, all_fields, ad_hoc_recognizers)
        order = {id(recognizer): index for index, recognizer in enumerate(self.recognizers)}
        answer = sorted(found, key=lambda recognizer: order.get(id(recognizer), len(order)))
        if not ad_hoc_recognizers:  # the last question only: it is asked again and again
            self._last_answer = (question, held, tuple(answer))
        return answer


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


# characters per parse: spaCy refuses texts over nlp.max_length, and its NER takes about 3.4 KB
# a character of the texts it parses at once (170 MB for 50,000 characters)
MAX_CHUNK = 50_000
OVERLAP = 2_000  # characters read on both sides of a cut that is not at a line break


@dataclass(frozen=True)
class Chunk:
    """``piece`` is ``text[offset:offset + len(piece)]``; the spans found in it are kept when
    they start in ``[own_start, own_end)``. The owned stretches of a text's chunks follow each
    other; a piece reads ``OVERLAP`` characters past an owned stretch that ends or starts
    inside a line, so that a name cut there is found whole by the chunk that owns its start."""

    offset: int
    piece: str
    own_start: int
    own_end: int


def chunks(text: str, size: int = MAX_CHUNK, overlap: int = OVERLAP) -> list[Chunk]:
    """Cut ``text`` into owned stretches of at most ``size`` characters at line breaks (at
    spaces, or anywhere, for a longer line). Names never cross a line break: a piece cut there
    is its stretch; a piece cut inside a line reads up to ``overlap`` more characters on that
    side (up to a space), so no name is lost at a cut.

    >>> [(c.offset, c.piece) for c in chunks("ab\ncd\nef", 5)]
    [(0, 'ab\ncd\n'), (6, 'ef')]
    """
    bounds = [0]
    while bounds[-1] < len(text):
        start = bounds[-1]
        end = min(len(text), start + size)
        if end < len(text):
            cut = text.rfind("\n", start, end)
            if cut <= start:
                cut = text.rfind(" ", start, end)
            end = cut + 1 if cut > start else end
        bounds.append(end)
    found = []
    for own_start, own_end in zip(bounds, bounds[1:]):
        first, last = own_start, own_end
        if own_start > 0 and text[own_start - 1] != "\n":
            first = max(0, own_start - overlap)
            space = text.find(" ", first, own_start)
            first = space + 1 if first > 0 and space >= 0 else first
        if own_end < len(text) and text[own_end - 1] != "\n":
            last = min(len(text), own_end + overlap)
            space = text.rfind(" ", own_end, last)
            last = space if last < len(text) and space >= 0 else last
        found.append(Chunk(first, text[first:last], own_start, own_end))
    return found


# characters parsed in one nlp.pipe batch at most, beyond one piece: a batch of interview-sized
# texts is the configuration's size (32 x ~1,100), one of long pieces is shorter (memory)
BATCH_CHARS = 100_000


def alone(spans: list[Span], chunk: Chunk, imposed: Sequence[tuple[int, int, str]],
          dropped: Callable[[Span], bool]) -> list[Span]:
    """``spans`` of ``chunk`` but those ``dropped`` that overlap no other span of the chunk nor
    of ``imposed``, ending in the chunk's owned stretch and, when the chunk was cut inside a
    line (its piece reads before the stretch), at least ``OVERLAP`` characters after it starts:
    no span of a neighbouring chunk reaches them, resolving overlaps would not see them, so
    leaving them out now changes nothing but memory."""
    order = sorted(range(len(spans)), key=lambda i: (spans[i].start, spans[i].end))
    cut: set[int] = set()
    reach = -1  # the furthest end of the spans before, in start order
    for place, i in enumerate(order):
        span = spans[i]
        after = spans[order[place + 1]].start if place + 1 < len(order) else None
        if (span.start >= reach and (after is None or after >= span.end)
                and (chunk.offset == chunk.own_start or chunk.own_start + OVERLAP <= span.start)
                and span.end <= chunk.own_end
                and dropped(span) and not _overlaps_imposed(span, imposed)):
            cut.add(i)
        reach = max(reach, span.end)
    return [span for i, span in enumerate(spans) if i not in cut] if cut else spans


def _overlaps_imposed(span: Span, imposed: Sequence[tuple[int, int, str]]) -> bool:
    """Whether ``span`` overlaps one of ``imposed`` (in start order, one per cell: disjoint)."""
    before = bisect.bisect_left(imposed, (span.end,)) - 1
    return before >= 0 and imposed[before][1] > span.start


def _max_length(nlp_engine: NlpEngine, language: str) -> int:
    get_nlp = getattr(nlp_engine, "get_nlp", None)
    nlp = get_nlp(language) if get_nlp is not None else None
    return int(getattr(nlp, "max_length", 1_000_000))


def detect(analyzer: AnalyzerEngine, documents: Sequence[Document], *, config: Config,
           grid: Grid, batch_size: int | None = None,
           dropped: Callable[[Document, Span], bool] | None = None,
           ) -> Iterator[tuple[tuple[Span, ...], tuple[GridRegion, ...]]]:
    """Detect spans in each document, parsing texts in batches with ``nlp.pipe``; a long
    document is parsed in chunks (see ``chunks``). ``batch_size`` defaults to the configuration's.
    ``dropped(document, span)``: a span the caller drops whatever else is found (a code taken
    for a name), left out as its chunk is read when it overlaps no other span there nor near its
    borders (``alone``): a table of a million participant codes does not hold a million spans.

    Yields, per document, its spans (overlaps resolved, with the spans its layout imposes:
    identifier cells; none on a transcript mark) and where its grid text lies."""
    size = min(MAX_CHUNK, _max_length(analyzer.nlp_engine, config.language) - 2 * OVERLAP)
    # the pieces are cut as nlp.pipe asks for them: a long text is not held twice
    pieces = ((index, chunk) for index, doc in enumerate(documents) for chunk in chunks(doc.text, size, OVERLAP))
    longest = max((min(len(doc.text), size + 2 * OVERLAP) for doc in documents), default=1)
    batch = max(1, min(batch_size or config.batch_size, BATCH_CHARS // max(longest, 1)))
    first, second = itertools.tee(pieces)
    artifacts = analyzer.nlp_engine.process_batch((chunk.piece for _i, chunk in first),
                                                  language=config.language, batch_size=batch)
    found: dict[int, list[Span]] = {}
    rejector = rejector_of(config)
    imposed: dict[int, list[tuple[int, int, str]]] = {}  # per document, its layout's spans in order
    for (index, chunk), (_text, nlp_artifacts) in zip(second, artifacts):
        results = analyzer.analyze(
            text=chunk.piece, language=config.language, entities=ALL_LABELS,
            nlp_artifacts=nlp_artifacts, return_decision_process=True,
        )
        document = documents[index]
        text, offset = document.text, chunk.offset
        spans = [Span.of(text, offset + r.start, offset + r.end, r.entity_type, score=round(float(r.score), 4),
                         recognizer=rule_id_of(r))
                 for r in results if r.end > r.start and chunk.own_start <= offset + r.start < chunk.own_end]
        if dropped is not None:
            if index not in imposed:
                imposed[index] = sorted(document.layout.spans) if document.layout is not None else []
            spans = alone(spans, chunk, imposed[index], functools.partial(dropped, document))
        found.setdefault(index, []).extend(spans)
    for index, document in enumerate(documents):
        regions = grid.regions(document.text) if grid else []
        spans = outside_grid(document.text, found.get(index, []), regions)
        spans = [span for span in spans if not config.spoken.is_marker(span.text)]  # 417PERS, [rires], XXX
        # "## École Et Jeunesse", "Ils Se Sont Installés": a heading's words
        spans = [span for span in spans if not heading_words(document.text, span, config.common_words)]
        spans = [span for span in spans if not saint_day(document.text, span)]  # "la fête de la Saint-Jean"
        spans = rejector.keep(document.text, spans)  # headings' words, "les Grenoblois", "c'est pas Byzance"
        never = never_masked(document.text, config.never_mask)  # national schemes, a project's words
        spans = rejector.before_never_masked(outside(spans, never), never)  # "la DETR et Action cœur de ville"
        spans = rejector.outside_events(document.text, spans)  # "la Fête des Lumières"
        spans += layout_spans(document)
        yield tuple(resolve_overlaps(spans, config.label_priority)), tuple(regions)


