"""Corpus-wide propagation: the forms a run detected (``FormVotes`` -> ``Spread``) and the key
file's forms, found again in every document (``propagate``)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from anonymiser.detect.label_votes import relabel
from anonymiser.detect.labels import NAME_LABELS
from anonymiser.detect.spans import (
    outside_grid,
    resolve_overlaps,
    saint_day,
    split_at_units,
    without_artefacts,
)
from anonymiser.keys.store import KeyFile
from anonymiser.link import FormPolicy, form_key, person_forms
from anonymiser.model import Document, Span
from anonymiser.recognizers import KnownEntityRecognizer
from anonymiser.recognizers.lexical import sentence_initial
from anonymiser.review.decisions import kept_spans
from anonymiser.text.fold import fold, fold_key
from anonymiser.text.grid import GridRegion

PROPAGATION_SCORE = 0.99


@dataclass(frozen=True)
class Spread:
    """Forms detected in a run that are searched in every document, each with one label and
    the rule that first found it, keyed by folded form (see ``FormVotes.forms``)."""

    forms: Mapping[str, tuple[str, str, str]] = field(default_factory=dict)
    language: str = "fr"
    labels: Mapping[str, str] = field(default_factory=dict)  # form (label_key) -> its label in the run
    # the forms (as in ``forms``' values) also found in lower case: persons' names that are no word
    lower_ok: frozenset[str] = frozenset()

    @cached_property
    def recognizer(self) -> KnownEntityRecognizer | None:
        """One automaton over every form (built once per process that uses it); a match
        gives back the form's rule."""
        forms = list(self.forms.values())
        return KnownEntityRecognizer(forms, supported_language=self.language, lower_ok=self.lower_ok) \
            if forms else None

    def __getstate__(self) -> dict[str, Any]:  # the automaton is rebuilt, not shipped
        return {"forms": dict(self.forms), "language": self.language, "labels": dict(self.labels),
                "lower_ok": self.lower_ok}

    def __setstate__(self, state: dict[str, Any]) -> None:
        object.__setattr__(self, "forms", state["forms"])
        object.__setattr__(self, "language", state["language"])
        object.__setattr__(self, "labels", state.get("labels", {}))
        object.__setattr__(self, "lower_ok", state.get("lower_ok", frozenset()))


class FormVotes:
    """The forms detected in a run that may be spread: how often each was detected under
    each label, by which rule first, and on what evidence. Spans can be added in any number
    of steps, in corpus order (``document`` names where they lie); ``forms`` gives each form
    that may be spread its label and rule.

    A form is spread on strong evidence only (``FormPolicy.strong``): one detection by a
    strong rule or the key file, or detections at ``min_places`` distinct places (two NER
    hits in two documents). A propagated span is no evidence of its own form. Titles,
    corpus markers and short forms are never spread (``FormPolicy.never_spread``).
    """

    def __init__(self, policy: FormPolicy, common_words: frozenset[str], priority: Sequence[str]) -> None:
        self.policy, self.common_words, self.priority = policy, common_words, priority
        self.votes: Counter[tuple[str, str]] = Counter()
        self.surfaces: dict[str, str] = {}
        self.rules: dict[tuple[str, str], str] = {}  # the first rule that found a form under a label
        self.strong: set[str] = set()
        self.places: dict[str, set[tuple[str, int]]] = {}  # up to min_places per form
        # word -> each longer detection that holds it -> up to min_places of its places
        self.inside: dict[str, dict[str, set[tuple[str, int]]]] = {}
        # (label, text) -> its forms that may be spread, each with its key and bare form: a
        # corpus detects the same texts again and again, and these depend on nothing else
        self._forms: dict[tuple[str, str], tuple[tuple[str, str, str], ...]] = {}

    def _spreadable_forms(self, label: str, text: str) -> tuple[tuple[str, str, str], ...]:
        found = self._forms.get((label, text))
        if found is None:
            found = self._forms[(label, text)] = tuple(
                (form, fold_key(form), form_key(label, form))  # "La Clé des Champs" is evidence for "Clé des Champs"
                for form in person_forms(label, [text], self.policy.first_names, self.common_words)
                if self.policy.spreadable(form, label) and not self.policy.never_spread(form, label))
        return found

    def _group_name(self, span: Span) -> tuple[tuple[str, str, str], ...]:
        """A lower-case group name a strong naming rule found, without its kind word and article
        ("association les amis du lavoir" -> "amis du lavoir"), as a form to spread: only from a
        detection of ``name_rules``, never a propagated span, and only a name of two words of
        its own or more ("la ruche" is a word)."""
        if span.label != "ORGANIZATION" or span.propagated or span.recognizer not in self.policy.name_rules:
            return ()
        name = group_name(span.text, self.policy.generic_words)
        if not name or name[:1].isupper() or self.policy.never_spread(name, span.label):
            return ()
        own = [w for w in re.findall(r"[^\W\d_]+", name.lower()) if w not in _LINK_WORDS]
        if len(own) < 2 or sum(map(str.isalpha, name)) < 2 * self.policy.min_letters:
            return ()
        return ((name, fold_key(name), form_key(span.label, name)),)

    def add(self, spans: Iterable[Span], document: str = "", weights: Sequence[int] | None = None) -> FormVotes:
        """Count ``spans`` of ``document``; ``weights``, per span, the places it stands for
        (a table's distinct cell, read once: ``detect.cells``), each a place of its own."""
        needed = self.policy.min_places
        for index, span in enumerate(spans):
            weight = weights[index] if weights is not None else 1
            # a span that stands for more places is at as many places, told apart by a copy number
            places = [(document, span.start)] if weight == 1 else [(document, -(span.start * needed + copy) - 1)
                                                                   for copy in range(min(weight, needed))]
            evidence = not span.propagated or self.policy.strong(span.recognizer)
            whole = form_key(span.label, span.text)
            if evidence and " " in whole:
                for word in set(whole.split()):
                    held = self.inside.setdefault(word, {}).setdefault(whole, set())
                    for place in places:
                        if len(held) < needed:  # more places could not change ``evident``: memory bounded by forms
                            held.add(place)
            for form, key, bare in (*self._spreadable_forms(span.label, span.text), *self._group_name(span)):
                self.votes[(key, span.label)] += weight
                self.surfaces.setdefault(key, form)
                self.rules.setdefault((key, span.label), span.recognizer)
                if not evidence or bare in self.strong:
                    continue
                if self.policy.strong(span.recognizer):
                    self.strong.add(bare)
                    self.places.pop(bare, None)
                else:
                    held_places = self.places.setdefault(bare, set())
                    for place in places:
                        if len(held_places) < needed:
                            held_places.add(place)
        return self

    def evident(self, key: str) -> bool:
        """Whether a form (folded) has the evidence to be spread: a strong rule, or
        ``min_places`` places, where a longer detection that holds the form elsewhere
        ("MJC Kerlouan" beside "Kerlouan") counts as one."""
        bare = form_key("", key)
        places = self.places.get(bare, set())
        if bare in self.strong or len(places) >= self.policy.min_places:
            return True
        padded = f" {bare} "
        words = bare.split()
        around = {place for whole, held in self.inside.get(words[0], {}).items() if whole != bare
                  and padded in f" {whole} " for place in held} if places and words else set()
        return len(places | around) >= self.policy.min_places

    def forms(self) -> dict[str, tuple[str, str, str]]:
        """Each form that may be spread with one label, the one it was detected under most
        often, then label priority; and the first rule that found it under that label.
        Keyed by folded form."""
        rank = {label: index for index, label in enumerate(self.priority)}
        best: dict[str, tuple[int, int, str]] = {}
        for (key, label), count in self.votes.items():
            candidate = (-count, rank.get(label, len(rank)), label)
            if key not in best or candidate < best[key]:
                best[key] = candidate
        return {key: (self.surfaces[key], label, self.rules[(key, label)])
                for key, (_c, _r, label) in sorted(best.items()) if self.evident(key)}

    def spread(self, language: str) -> Spread:
        forms = self.forms()
        lower = frozenset(surface for surface, label, _rule in forms.values()
                          if label == "PERSON" and self._no_word(surface))
        return Spread(forms, language, lower_ok=lower)

    def _no_word(self, name: str) -> bool:
        """A person's name that lower-case text says only as the name: each of its words has
        three letters or more, none is a French word or is written in capitals ("Raymond",
        "Jean-Luc Moreau"; not "Rose", "Jean", "MT")."""
        words = re.split(r"[\s'’-]+", name)
        return all(len(w) >= 3 and w.isalpha() and not w.isupper() and w.lower() not in self.common_words
                   for w in words)


# words of a group's name that are none of its own
_LINK_WORDS = frozenset({"de", "du", "des", "d", "la", "le", "les", "l", "à", "au", "aux", "en", "et", "pour", "sur",
                         "dans", "avec", "sous", "un", "une"})
_GROUP_ARTICLE = re.compile(r"(?:les|le|la|l['’])$", re.IGNORECASE)


def group_name(text: str, heads: frozenset[str]) -> str:
    """A group's name without the kind word and the article before it ("association les amis
    du lavoir" -> "amis du lavoir", "comité de quartier la source" -> "source"); the text itself
    when it opens with no kind word ("amis du lavoir")."""
    words = text.split()
    if not words or fold(words[0]) not in heads:
        return text.strip()
    for index in range(1, min(len(words), 4)):
        word = words[index]
        if _GROUP_ARTICLE.match(word):
            return " ".join(words[index + 1:])
        if word.lower().startswith(("l'", "l’")):
            return " ".join([word[2:], *words[index + 1:]])
    return ""


PROPAGATION_BATCH = 4096  # spread-form matches made into spans at a time


def propagate(document: Document, spans: Sequence[Span], grid: Sequence[GridRegion], keyfile: KeyFile | None,
              spread: Spread, *, priority: Sequence[str], common_words: frozenset[str]) -> tuple[Span, ...]:
    """Find every form of the key file (by keyed hash) and every spread form (by automaton)
    in this document, beside its detected ``spans``. Then no span is left on a conversion
    artefact or across a paragraph or cell.

    Forms that would mask ordinary words are not spread (``FormPolicy``); a form that is
    also a word ("Claire", "Sens") is not taken at a sentence start. A span found so is
    ``propagated``; a spread form's keeps the rule that first found it.
    """
    text = document.text
    extra: list[Span] = []
    if keyfile is not None:
        for start, end, label, _entity, flags in keyfile.find_forms(text):
            if ("c" in flags and not text[start].isupper()) or _SEPARATOR.search(text, start, end):
                continue  # a form found again across a heading's dash ("DOULON – BOTTIÈRE" for "Doulon-Bottière")
            if "w" in flags and sentence_initial(text, start) and not _place_standing_alone(text, end, label):
                continue
            extra.append(Span.of(text, start, end, label, score=1.0, recognizer=KnownEntityRecognizer.RULE_ID,
                                 propagated=True))
    # where the key file knows a form under another label, its span replaces the detection;
    # every other span takes the label decided for its form in this run
    known = {(s.start, s.end): s.label for s in extra}
    spans = relabel([s for s in spans if known.get((s.start, s.end), s.label) == s.label or s.label not in NAME_LABELS],
                    spread.labels)
    # where a form was detected in place, the detection stays (its own rule and score)
    detected = {(s.start, s.end, s.label) for s in spans}

    def fresh(found: list[Span]) -> list[Span]:
        # a form found again on a saint's day is that day's ("la fête de la Saint-Jean")
        return [s for s in outside_grid(text, found, grid)
                if (s.start, s.end, s.label) not in detected and not saint_day(text, s)]

    extra = fresh(extra)
    recognizer = spread.recognizer
    if recognizer is not None:
        # a few thousand matches at a time: in a long text most are detections found again
        # in place, whose spans need not all be made before they are dropped
        matches = recognizer.matches(text)
        for at in range(0, len(matches), PROPAGATION_BATCH):
            extra += fresh(relabel([Span.of(text, s, e, label, score=PROPAGATION_SCORE, recognizer=rule,
                                            propagated=True)
                                    for s, e, label, rule in matches[at:at + PROPAGATION_BATCH]
                                    if not _word_at_sentence_start(text, s, e, label, common_words)
                                    and not _SEPARATOR.search(text, s, e)], spread.labels))
    # spans the review decided to leave unmasked go before overlaps are resolved (they
    # hide no other span) and after (the key file or a spread form cannot bring them back)
    chosen = resolve_overlaps(kept_spans([*spans, *extra], document.id, keyfile), priority)
    done = split_at_units(document, without_artefacts(text, chosen))
    return tuple(kept_spans(done, document.id, keyfile))


# a dash between spaces: a heading's separator, never inside a name (forms are folded with their hyphens)
_SEPARATOR = re.compile(r"[ \t\u00a0][–—-][ \t\u00a0]")
# after a word at a sentence start, what a common noun's phrase cannot go on with: the end of
# the line or a mark, "et" before a determiner or a name, "c'est", a verb of one syllable
_STANDS_ALONE = re.compile(
    r"[ \t]*(?:$|[,;:?!.…)\]]|et[ \t]+(?:l[ea]s?\b|l['’]|du\b|des\b|au\b|aux\b|sa\b|son\b|ses\b|tout|[A-ZÀ-Ý])"
    r"|c['’]est\b|s['’]est\b|ç['’]a\b|ça\b|est\b|a\b|était\b|avait\b|aussi\b|hein\b|là\b|quoi\b)",
    re.MULTILINE)


def _place_standing_alone(text: str, end: int, label: str) -> bool:
    """A commune or place of the run that is also a word, at a sentence start, when what
    follows it cannot go on with the word's common noun ("Sens et le Sénonais", "Fougères,
    c'est…", a tag line "- Battant"), unlike "Sens interdit", "Tours de garde"."""
    return label in {"MUNICIPALITY", "LOCATION"} and _STANDS_ALONE.match(text, end) is not None


def _word_at_sentence_start(text: str, start: int, end: int, label: str, common_words: frozenset[str]) -> bool:
    surface = text[start:end]
    return (" " not in surface and surface.lower() in common_words and sentence_initial(text, start)
            and not _place_standing_alone(text, end, label))
