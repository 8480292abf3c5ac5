"""Corpus-wide propagation: the forms a run detected (``FormVotes`` -> ``Spread``) and the key
file's forms, found again in every document (``propagate``)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from anonymiser.detect.spans import (
    outside_grid,
    resolve_overlaps,
    split_at_units,
    without_artefacts,
)
from anonymiser.keys.store import KeyFile
from anonymiser.link import FormPolicy, person_forms
from anonymiser.model import Document, Span
from anonymiser.recognizers import KnownEntityRecognizer
from anonymiser.recognizers.lexical import sentence_initial
from anonymiser.review.decisions import kept_spans
from anonymiser.text.fold import fold_key
from anonymiser.text.grid import GridRegion

PROPAGATION_ID = "corpus.propagation"
PROPAGATION_SCORE = 0.99


@dataclass(frozen=True)
class Spread:
    """Forms detected in a run that are searched in every document, each with one label,
    keyed by folded form (see ``FormVotes.forms``)."""

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

    def spread(self, language: str) -> Spread:
        return Spread(self.forms(), language)


def propagate(document: Document, spans: Sequence[Span], grid: Sequence[GridRegion], keyfile: KeyFile | None,
              spread: Spread, *, priority: Sequence[str], common_words: frozenset[str]) -> tuple[Span, ...]:
    """Find every form of the key file (by keyed hash) and every spread form (by automaton)
    in this document, beside its detected ``spans``. Then no span is left on a conversion
    artefact or across a paragraph or cell.

    Forms that would mask ordinary words are not spread (``FormPolicy``); a form that is
    also a word ("Claire", "Sens") is not taken at a sentence start.
    """
    text = document.text
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
                  if not _word_at_sentence_start(text, s, e, common_words)]
    extra = outside_grid(text, extra, grid)
    # spans the review decided to leave unmasked go before overlaps are resolved (they
    # hide no other span) and after (the key file or a spread form cannot bring them back)
    chosen = resolve_overlaps(kept_spans([*spans, *extra], document.id, keyfile), priority)
    done = split_at_units(document, without_artefacts(text, chosen))
    return tuple(kept_spans(done, document.id, keyfile))


def _word_at_sentence_start(text: str, start: int, end: int, common_words: frozenset[str]) -> bool:
    surface = text[start:end]
    return " " not in surface and surface.lower() in common_words and sentence_initial(text, start)
