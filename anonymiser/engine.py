"""The engine: the rules, the spaCy model and our recognizers, loaded once, and the work of
each phase on one document (``find``, ``propagate``, ``replace``) or on the corpus (``plan``).

The phases are chained by ``pipeline`` (in this process, in N processes or on Dask); the
methods ``detect``, ``detect_documents``, ``run`` and ``pseudonymise`` run that chain in memory.

    >>> engine = Engine()                                          # doctest: +SKIP
    >>> [s.label for s in engine.detect("Mme Ferrand, maire de Chinon.")]  # doctest: +SKIP
    ['PERSON', 'ROLE']
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import IO, TYPE_CHECKING, Any

from presidio_analyzer import AnalyzerEngine, EntityRecognizer
from presidio_analyzer.nlp_engine import NlpEngine

from anonymiser import audit
from anonymiser.assign.entities import assign
from anonymiser.assign.evidence import neutral_attributes, weak_clusters
from anonymiser.assign.pools import Pools
from anonymiser.config.load import load_config
from anonymiser.config.project import apply_project, read_project
from anonymiser.config.rules import Config
from anonymiser.detect.cells import distinct, in_their_cells, is_table
from anonymiser.detect.engine import (
    build_analyzer,
    detect,
    load_nlp_engine,
)
from anonymiser.detect.label_votes import LabelVotes, document_votes
from anonymiser.detect.labels import LabelEvidence, label_key
from anonymiser.detect.propagate import FormVotes, Spread, propagate
from anonymiser.detect.spans import never_masked, outside
from anonymiser.keys.draft import Keys
from anonymiser.keys.store import KeyFile
from anonymiser.link import FormPolicy, link, surface_keys
from anonymiser.model import Detected, Document, Entity, Repeats, Replacement, Span
from anonymiser.recognizers import french_recognizers
from anonymiser.render.replace import replace_spans
from anonymiser.render.strategies import Renderer, article_hints, civility_before, civility_hints
from anonymiser.text.fold import fold, fold_key
from anonymiser.text.grammar import article_shape, own_shape
from anonymiser.text.grid import Grid, GridRegion

if TYPE_CHECKING:
    from anonymiser.review.attention import DocumentReview

_CAPITALISED = re.compile(r"(?<![\w-])[A-ZÀ-Þ][a-zß-ÿœ]+(?:-[A-ZÀ-Þ][a-zß-ÿœ]+)*")


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
    """One document pseudonymised: its output text, the replacements made (input and output
    offsets), where its grid lies, and its audit records (keyed hashes, no original)."""

    document: Document
    output: str
    replacements: tuple[Replacement, ...]
    grid: tuple[GridRegion, ...]
    records: tuple[dict[str, Any], ...]


@dataclass(frozen=True)
class Pseudonymised:
    """What ``Engine.pseudonymise`` returns: each document's pseudonymised text, by name, and
    the audit records of the run in document order (keyed hashes and offsets, no original)."""

    texts: Mapping[str, str]
    records: tuple[dict[str, Any], ...]
    results: tuple[DocumentResult, ...] = field(repr=False, default=())


class Engine:
    """The rules, the model and the recognizers, loaded once; the phases of a run.

    ``rules`` is a rules folder like the bundled ``rules/`` (default: the bundled one, or
    ``ANONYMISER_RULES``); ``project`` a team's project file (``anonymiser.toml``), laid over
    them. The spaCy model loads on first use: a process that only plans or replaces never loads it.
    """

    def __init__(self, rules: str | os.PathLike[str] | None = None, *, config: Config | None = None,
                 nlp_engine: NlpEngine | None = None, project: str | os.PathLike[str] | None = None) -> None:
        self.config = config or load_config(rules)
        if project is not None:
            self.config = apply_project(self.config, read_project(project))
        self._nlp_engine = nlp_engine
        self.grid = Grid(self.config.grid_lines)
        self._extra_grid: tuple[tuple[str, ...], Grid] = ((), self.grid)
        self.policy = FormPolicy.from_config(self.config)
        self.first_names = self.policy.first_names
        self.pools = Pools.from_config(self.config)  # ranks from the first-name lexicon
        self.label_evidence = LabelEvidence.from_config(self.config, self.first_names)

    # -- the public verbs (in memory) ----------------------------------------------------------
    def detect(self, text: str, *, key: KeyFile | None = None) -> list[Span]:
        """The spans of ``text`` (start, end, label, score, rule id), as a run finds them: with
        propagation inside the text and, given ``key``, the key file's known forms."""
        return list(self.detect_documents([Document("text", text)], key=key)[0].spans)

    def detect_documents(self, documents: Sequence[Document], *, key: KeyFile | None = None) -> list[Detected]:
        """Detect and propagate across ``documents`` (the first two phases of a run)."""
        from anonymiser.pipeline import detect_corpus, in_memory

        sources, executor = in_memory(documents, self)
        return detect_corpus(sources, key, engine=self, executor=executor).propagated

    def run(self, documents: Sequence[Document], keyfile: KeyFile,
            strategies: Mapping[str, str] | None = None) -> list[DocumentResult]:
        """Pseudonymise ``documents`` in memory; new entities and forms are added to ``keyfile``
        (save it to keep them). ``strategies`` overrides ``rules/pseudonyms.yaml`` per label
        (``{"PERSON": "tag"}``). For a corpus of files, see ``run.corpus.run_corpus``."""
        from anonymiser.pipeline import Settings, Written, in_memory, plan_corpus, replace_corpus

        sources, executor = in_memory(documents, self)
        settings = Settings(strategies=dict(strategies or {}))
        planned = plan_corpus(sources, keyfile, engine=self, executor=executor, settings=settings)
        return [w.result for w in replace_corpus(planned, keyfile, engine=self, executor=executor, settings=settings)
                if isinstance(w, Written) and w.result is not None]

    def pseudonymise(self, documents: Mapping[str, str] | Sequence[Document], *, key: KeyFile,
                     strategies: Mapping[str, str] | None = None) -> Pseudonymised:
        """Pseudonymise named texts (``{"entretien_01": "..."}``) or documents with ``key``:
        their texts and audit records. New entities are added to ``key`` (in memory)."""
        if isinstance(documents, Mapping):
            documents = [Document(name, text, name) for name, text in documents.items()]
        results = self.run(list(documents), key, strategies)
        return Pseudonymised({r.document.id: r.output for r in results},
                             tuple(record for r in results for record in r.records), tuple(results))

    def review(self, documents: Sequence[Document], *, key: KeyFile,
               strategies: Mapping[str, str] | None = None) -> list[DocumentReview]:
        """What ``run`` would do to ``documents``, with what needs a human look in each (see
        ``review.attention``). New entities are added to ``key`` in memory: do not save it
        unless that is meant (their pseudonyms are provisional)."""
        from anonymiser.review.attention import review

        return review(self, documents, key, dict(strategies) if strategies else None)

    def with_project(self, project: str | os.PathLike[str]) -> Engine:
        """An engine with the project file ``project`` laid over this one's rules, sharing its
        spaCy model (loaded or not)."""
        return Engine(config=apply_project(self.config, read_project(project)), nlp_engine=self._nlp_engine)

    # -- what is expensive to build ------------------------------------------------------------
    @property
    def nlp_engine(self) -> NlpEngine:
        if self._nlp_engine is None:
            self._nlp_engine = load_nlp_engine(self.config)
        return self._nlp_engine

    @cached_property
    def recognizers(self) -> list[EntityRecognizer]:
        return french_recognizers(self.config)

    def analyzer(self) -> AnalyzerEngine:
        return build_analyzer(self.config, self.nlp_engine, recognizers=self.recognizers)

    # -- phase 1: find -------------------------------------------------------------------------
    def find(self, documents: Sequence[Document], batch_size: int | None = None, *,
             extra_grid: tuple[str, ...] = ()) -> list[Detected]:
        """Detect spans in each document (``nlp.pipe`` in batches), with the spans a
        structured document imposes (identifier cells); ``index`` is the place in ``documents``.
        ``extra_grid``: grid lines inferred from the corpus, beside the configuration's."""
        grid = self.grid_with(extra_grid)
        # a table read as its distinct units (``Layout.repeats``) is its own view
        views = [view if (view := distinct(d) if is_table(d) and not _repeats(d) else None) and view.repeats else None
                 for d in documents]
        read = [view.document if view else document for document, view in zip(documents, views, strict=True)]
        found = detect(self.analyzer(), read, config=self.config, grid=grid, batch_size=batch_size,
                       dropped=self.label_evidence.dropped_code)
        out = []
        for index, (document, view, (spans, regions)) in enumerate(zip(documents, views, found, strict=True)):
            text = read[index].text  # a table's distinct cells, each detected once (``detect.cells``)
            if is_table(document):
                spans = tuple(in_their_cells(text, spans))
            settled = tuple(self.label_evidence.settle(text, spans))
            repeats = _repeats(document)
            weights = repeats.weights(settled) if repeats is not None else ()
            votes = document_votes(self.label_evidence, text, settled,
                                   weights=view.weights(settled) if view else list(weights) if weights else None)
            if view is not None:
                settled, regions = tuple(view.spread(settled)), tuple(view.spread_regions(regions))
            detected = Detected.of(document, settled, regions, index=index)
            out.append(replace(detected, label_votes=votes, weights=weights))
        return out

    def label_votes(self) -> LabelVotes:
        """An empty count of the evidence for each form's label, to add documents to."""
        return LabelVotes(self.config.label_priority)

    def grid_with(self, extra: tuple[str, ...]) -> Grid:
        """The configuration's grid with ``extra`` lines (built once per set of lines)."""
        if not extra:
            return self.grid
        if self._extra_grid[0] != extra:
            self._extra_grid = (extra, Grid((*self.config.grid_lines, *extra)))
        return self._extra_grid[1]

    def form_votes(self) -> FormVotes:
        """An empty count of the forms detected in the run that may be spread, to add
        documents to as they are found."""
        return FormVotes(self.policy, self.config.common_words, self.config.label_priority)

    def spread(self, votes: FormVotes, labels: Mapping[str, str] | None = None) -> Spread:
        """Corpus-wide: the forms found in the run that may be searched everywhere, and the
        label decided for each form (``LabelVotes.decide``)."""
        return replace(votes.spread(self.config.language), labels=dict(labels or {}))

    # -- phase 2: propagate --------------------------------------------------------------------
    def propagate(self, document: Document, detected: Detected, keyfile: KeyFile | None,
                  spread: Spread) -> Detected:
        """The key file's forms and the spread forms found in this document (see
        ``detect.propagate.propagate``), with the gender of a civility before each person."""
        spans = propagate(document, detected.spans, detected.grid, keyfile, spread,
                          priority=self.config.label_priority, common_words=self.config.common_words)
        if self.config.never_mask:  # a form spread from elsewhere, inside a phrase the project never masks
            spans = tuple(outside(spans, never_masked(document.text, self.config.never_mask)))
        repeats = _repeats(document)
        return replace(detected, spans=spans, civility=self.civilities(document, spans),
                       first_names=self.first_names_in(document.text),
                       weights=repeats.weights(spans) if repeats is not None else ())

    def first_names_in(self, text: str) -> tuple[str, ...]:
        """The first names of the lexicon written with a capital in ``text``, folded."""
        # one word at a time: a long text has millions of capitalised words
        words = (fold(m.group()) for m in _CAPITALISED.finditer(text))
        return tuple(sorted({w for w in words if w in self.first_names}))

    @cached_property
    def civility_words(self) -> dict[str, str]:
        """Civilities and titles with the gender they give: F, M, or X for none ("Dr")."""
        return {**{c: "X" for c in self.config.civilities}, **self.config.pseudonym_rules.civility_gender}

    def civilities(self, document: Document, spans: Sequence[Span]) -> tuple[str, ...]:
        """Per span, the gender (F, M; X for a title of none) of a civility just before a person; for an organisation
        named without a kind word, what the article before it says of its name (``article_shape``:
        F, M, P, E); else ""."""
        genders = self.civility_words
        heads = self.label_evidence.org_heads
        return tuple(civility_before(document.text, s.start, genders) if s.label == "PERSON"
                     else article_shape(document.text[max(0, s.start - 16):s.start])
                     if s.label == "ORGANIZATION" and not own_shape(s.text) and not heads.match(fold_key(s.text))
                     else "" for s in spans)

    # -- plan (corpus-wide) --------------------------------------------------------------------
    def plan(self, propagated: Iterable[Detected], keyfile: KeyFile,
             strategies: Mapping[str, str] | None = None, *, votes: FormVotes | None = None,
             labels: Mapping[str, str] | None = None) -> Plan:
        """Link every mention of the corpus, give each entity its pseudonym; new entities and
        forms go into ``keyfile`` (in memory). ``propagated`` is in corpus order; ``votes``,
        when given, are those of its spans (counted as the documents came); ``labels``, the
        label decided for each form (a form is indexed for later runs only under it)."""
        propagated = list(propagated)
        if votes is None:
            votes = self.form_votes()
            for detected in propagated:
                votes.add(detected.spans, detected.document_id)
        spread = votes.forms()
        mentions = [(d.document_id, span) for d in propagated for span in d.spans]
        bare_name = self.label_evidence.bare_name
        genders = {(d.document_id, s.start, s.end): g for d in propagated
                   for s, g in zip(d.spans, d.civility) if g}
        titled = frozenset(k for d in propagated for s, g in zip(d.spans, d.civility)
                           if g and s.label == "PERSON" for k in [(d.document_id, s.start, s.end)])
        linked = link(mentions, keyfile, first_names=self.first_names, bare_name=bare_name, titled=titled)
        hints = civility_hints(linked, genders)
        draft = keyfile.draft()  # assignment proposes; the key file takes it all at once below
        ids = assign(linked, draft, self.config, self.pools, self.first_names, hints=hints,
                     articles=article_hints(linked, genders),
                     run_words=sorted({w for d in propagated for w in d.first_names}))
        renderer = self.renderer(strategies)
        weak = weak_clusters(linked, self.config.pseudonym_rules, keyfile.entities, hints)
        for entity_id, attributes in neutral_attributes(linked, ids, weak, self.config.pseudonym_rules,
                                                        draft.entities, renderer.known_kind).items():
            draft.set_attributes(entity_id, attributes)
        for index, cluster in enumerate(linked.clusters):
            forms, keys = self.policy.index_entries(cluster.label, cluster.variants)
            if cluster.label == "ORGANIZATION":  # found again by its name without its kind word
                keys += [k for v in cluster.variants if (b := bare_name(v)) for k in surface_keys(cluster.label, b)]
            # a form is found later if this run could spread it, under the label this run
            # spread it with and no other: the next run with this key file then takes the same
            # decisions as this one
            forms = [(f, flags) for f, flags in forms if spread.get(fold_key(f), ("", "", ""))[1] == cluster.label
                     and (labels or {}).get(label_key(f), cluster.label) == cluster.label]
            draft.index(ids[index], forms, keys)
        remember_generalisations(draft, renderer)
        keyfile.commit(draft)
        by_document: dict[str, list[tuple[Span, Entity]]] = {}
        # a role that cannot read originals renders new entities as the next run will see them,
        # without their canonical form (sealed then): the two runs write the same bytes
        sealed = not keyfile.can_reidentify
        for document_id, span, cluster_index in linked.mentions:
            entity = keyfile.entities[ids[cluster_index]]
            by_document.setdefault(document_id, []).append(
                (span, replace(entity, canonical="") if sealed else entity))
        return Plan({d: tuple(pairs) for d, pairs in by_document.items()}, dict(strategies or {}))

    def renderer(self, strategies: Mapping[str, str] | None = None) -> Renderer:
        return Renderer(self.config, self.pools, self.first_names, dict(strategies or {}),
                        bare_name=self.label_evidence.bare_name)

    # -- phase 3: replace ----------------------------------------------------------------------
    def replace(self, document: Document, detected: Detected, mentions: Sequence[tuple[Span, Entity]],
                renderer: Renderer, keyfile: KeyFile, *, spool: IO[str] | None = None) -> DocumentResult:
        """Write the pseudonyms of one document; its audit records (keyed hashes, no text).
        With ``spool``, its mention records are written there as they are made (``audit.write_spool``)
        and only its document record is kept in the result: a long document's records are never
        all in memory."""
        output, replacements = replace_spans(document.text, list(mentions), renderer.render, renderer.adjust,
                                             renderer.follow)
        kept = frozenset(entity.id for _span, entity in mentions if renderer.kept(entity))
        stream = audit.iter_mention_records(document, replacements, self.fields(document, detected.grid, output),
                                            keyfile, kept=kept)
        records: list[dict[str, Any]] = []
        if spool is None:
            records.extend(stream)
        else:
            audit.write_spool(stream, spool)
        records.append(audit.document_record(document, output, len(replacements), keyfile))
        return DocumentResult(document, output, tuple(replacements), detected.grid, tuple(records))

    def fields(self, document: Document, grid: tuple[GridRegion, ...], output: str = "") -> tuple[GridRegion, ...]:
        """Where each field starts: the grid questions found in the text, or, for a table,
        each cell's column (named after the grid question it matches, if any, else by its
        name in ``output``, the pseudonymised text, when given)."""
        layout = document.layout
        if layout is None or not layout.fields:
            return grid
        renamed = layout.renamed(output) if output else {}
        names = {name: self.field_of(name, renamed) for name in {name for _, name in layout.fields}}
        return tuple(GridRegion(offset, offset, names[name]) for offset, name in layout.fields)

    def field_of(self, column: str, renamed: Mapping[str, str]) -> str:
        """The field of a table's column in the audit: the grid question it matches, if any,
        else its name in the output (``renamed``: ``Layout.renamed``)."""
        found = self.grid.regions(column) if self.grid and column else []
        return found[0].field if found else renamed.get(column, column)

    def render(self, span: Span, entity: Entity) -> str:
        """The pseudonym of ``entity`` in the shape of this mention (default strategies, no grammar)."""
        return self.renderer().render(span, entity)


def _repeats(document: Document) -> Repeats | None:
    """How a table read as its distinct units repeats them (None for any other document)."""
    return document.layout.repeats if document.layout is not None else None


GENERALISED_LABELS = ("MUNICIPALITY", "ORGANIZATION", "ROLE")


def remember_generalisations(keyfile: Keys, renderer: Renderer) -> None:
    """Store each new entity's generalised form while its original is known, so that a run
    with the pseudonymise role alone renders it the same way."""
    for entity in list(keyfile.entities.values()):
        if entity.label in GENERALISED_LABELS and entity.canonical and not entity.attribute("generalised"):
            keyfile.set_attributes(entity.id, {"generalised": renderer.generalise_original(entity)})
