"""What a reviewer needs to check before an interview leaves: every masked mention, with
the recognizer and score that found it, and the items that need attention (pure).

``review`` runs the phase chain as ``anonymiser run`` does (detect, link, assign, replace) on
the key file it is given, in memory: the caller decides whether to save it (the ``review``
command never does, so pseudonyms of entities new to the key file are provisional). The
needs-attention analysis (``attention``) is pure and works on hand-built data too.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from anonymiser.config.rules import Config
from anonymiser.detect.rejects import rejector_of
from anonymiser.detect.spans import never_masked
from anonymiser.keys.store import KeyFile
from anonymiser.link import CONTACT_LABELS
from anonymiser.model import Document, Replacement, Span
from anonymiser.recognizers.lexical import feast_day
from anonymiser.review.candidates import (
    LOWER_NAME_RULES,
    lexical,
    name_tails,
    one_word_communes,
    sentence_start_names,
    suspects,
    tail_mentions,
)
from anonymiser.review.decisions import ReviewMemory
from anonymiser.text.fold import fold, fold_key
from anonymiser.text.grid import GridRegion, inside_grid

if TYPE_CHECKING:
    from anonymiser.engine import Engine

# kinds of attention items, in the order the report lists them
LOW_SCORE = "low_score"
POSSIBLE_MISS = "possible_miss"
SUSPECT = "suspect"  # left in clear where a name may be: ``rule`` says why (see review/candidates.py)
NEAR_FORM = "near_form"
QUASI = "quasi_identifier"
KINDS = (LOW_SCORE, POSSIBLE_MISS, SUSPECT, NEAR_FORM, QUASI)

_WORD = re.compile(r"[^\W\d_]+(?:[-‐‑’'][^\W\d_]+)*")
_ELISION = re.compile(r"^(?:[LlDdJjNnSsCcMmTt]|[Qq]u|[Jj]usqu|[Ll]orsqu|[Pp]uisqu)['’]")
_INVERTED = re.compile(r"(?:-t)?-(?:il|elle|on|ils|elles|je|tu|nous|vous|moi|toi|le|la|les|lui|leur|y|en|là|ci)$",
                       re.IGNORECASE)
_LINKS = frozenset({"de", "du", "des", "d'", "d’", "la", "le", "les", "l'", "l’", "sur", "en"})


@dataclass(frozen=True)
class Mark:
    """A masked mention as the report shows it: ``start``/``end`` in the original text,
    ``out_start``/``out_end`` the replaced range in the output. ``recognizer`` and ``score``
    are those of the detection before propagation when there was one."""

    index: int
    start: int
    end: int
    label: str
    text: str
    recognizer: str
    score: float
    entity_id: str
    pseudonym: str
    out_start: int
    out_end: int
    known: bool = False
    checked: bool = False
    mentions: int = 1  # of its entity, across the corpus
    kept: bool = False  # left as it is (strategy keep): still shown, still audited


@dataclass(frozen=True)
class Item:
    """Something to look at: a detection (``mark`` is its index) or a stretch of text."""

    kind: str
    start: int
    end: int
    text: str
    mark: int | None = None
    label: str = ""      # suggested label (a near form's, a suspect's guess), or the detection's
    near: str = ""       # the known form one letter away
    near_entity: str = ""
    rule: str = ""       # quasi-identifier or suspect reason, recognizer of a low-score detection
    score: float = 0.0

    @property
    def reason(self) -> str:
        """A stable code for why the item is listed: its kind, or its rule's id."""
        return self.rule if self.kind in (SUSPECT, QUASI) else self.kind


@dataclass(frozen=True)
class DocumentReview:
    document: Document
    output: str
    marks: tuple[Mark, ...]
    items: tuple[Item, ...]
    grid: tuple[GridRegion, ...]
    records: tuple[dict[str, object], ...]


def review(engine: Engine, documents: Sequence[Document], keyfile: KeyFile,
           strategies: dict[str, str] | None = None) -> list[DocumentReview]:
    """Pseudonymise ``documents`` as ``run`` would, with ``keyfile`` (changed in memory:
    do not save it unless that is meant), and list what needs attention in each.

    The phases are those of every run (``pipeline``); the review keeps what ``find`` saw:
    which recognizer found each mention and with what score (propagation re-finds every
    form with its own score)."""
    from anonymiser.pipeline import Settings, Written, in_memory, plan_corpus, replace_corpus

    known = set(keyfile.entities)
    sources, executor = in_memory(documents, engine)
    settings = Settings(strategies=dict(strategies or {}))
    planned = plan_corpus(sources, keyfile, engine=engine, executor=executor, settings=settings)
    found = {d.index: d.spans for d in planned.done.found}
    written = [w for w in replace_corpus(planned, keyfile, engine=engine, executor=executor, settings=settings)
               if isinstance(w, Written) and w.result is not None]
    results = [w.result for w in written if w.result is not None]
    memory = ReviewMemory.of(keyfile)
    counts: Counter[str] = Counter(r.entity_id for result in results for r in result.replacements)
    marks_of: dict[str, tuple[Mark, ...]] = {}
    for item, result in zip(written, results, strict=True):
        kept = frozenset(str(r["entity_id"]) for r in result.records if r.get("kept"))
        marks_of[result.document.id] = tuple(_marks(result.document, result.replacements, found[item.index],
                                                    known, counts, memory, keyfile, kept))
    surfaces = _known_surfaces(keyfile, known)
    items = attention([(r.document, marks_of[r.document.id], r.grid) for r in results], engine.config,
                      allowed=lambda form: memory.allows(keyfile, form), extra_forms=surfaces)
    return [DocumentReview(r.document, r.output, marks_of[r.document.id], tuple(items[r.document.id]), r.grid,
                           r.records) for r in results]


def attention_records(reviews: Sequence[DocumentReview]) -> list[dict[str, object]]:
    """The needs-attention list as data, one record an item, in the report's order:
    ``{"id", "start", "end", "label", "reason"}`` (``id`` as ``detect`` prints it; offsets into
    the original text; ``label`` a guess; ``reason`` a stable code: a kind or a rule id)."""
    return [{"id": r.document.id, "start": i.start, "end": i.end, "label": i.label, "reason": i.reason}
            for r in reviews for i in r.items]


def _known_surfaces(keyfile: KeyFile, known: set[str]) -> list[tuple[str, str, str]]:
    """Plaintext forms of entities known before the review (re-identification role only)."""
    out = []
    for entity_id in sorted(known):
        entity = keyfile.entities[entity_id]
        for variant in dict.fromkeys((entity.canonical, *entity.variants)):
            if variant:
                out.append((variant, entity.label, entity_id))
    return out


def _marks(document: Document, replacements: Iterable[Replacement], found: Sequence[Span], known: set[str],
           counts: Counter[str], memory: ReviewMemory, keyfile: KeyFile,
           kept: frozenset[str] = frozenset()) -> Iterable[Mark]:
    raw = {(s.start, s.end): s for s in found}
    for index, r in enumerate(replacements):
        start, end = r.start + r.context, r.end - r.after  # the mention, without the words grammar changed
        span = Span.of(document.text, start, end, r.label)
        detected = raw.get((start, end))
        yield Mark(index, start, end, r.label, span.text,
                   detected.recognizer if detected else r.recognizer, detected.score if detected else r.score,
                   r.entity_id, r.replacement, r.out_start, r.out_end,
                   r.entity_id in known, memory.checked(keyfile, document.id, span), counts[r.entity_id],
                   r.entity_id in kept)


def attention(corpus: Sequence[tuple[Document, Sequence[Mark], Sequence[GridRegion]]], config: Config, *,
              allowed: Callable[[str], bool] | None = None,
              extra_forms: Sequence[tuple[str, str, str]] = ()) -> dict[str, list[Item]]:
    """Needs-attention items per document id, each list in ``KINDS`` order, then by offset.

    ``allowed(form)`` says a form was reviewed as not personal; ``extra_forms`` are
    ``(form, label, entity id)`` known beyond this corpus (the key file's, when readable).
    """
    rules = config.review
    is_allowed = allowed or (lambda form: False)
    near = NearForms(rules.min_typo_length)
    ordinary, rejector = _ordinary_words(config), rejector_of(config)  # "les Grenoblois": no miss
    def name_words(mark: Mark) -> list[tuple[str, int, int]]:  # a title's, a body's, an address's words name nobody
        return [w for w in words(mark.text) if mark.label in ("PERSON", "MUNICIPALITY", "LOCATION")
                or not _is_ordinary(w[0], ordinary)]  # ("maire", "boulangerie", "mairie@...")
    for _document, marks, _grid in corpus:
        for mark in marks:
            for word, _s, _e in name_words(mark):
                near.add(word, mark.label, mark.entity_id)
    for form, label, entity_id in extra_forms:
        for word, _s, _e in words(form):
            near.add(word, label, entity_id)
    communes = one_word_communes(config)
    start_names = sentence_start_names(config)
    name_parts = frozenset(fold(part) for _d, marks, _g in corpus for m in marks if m.label == "PERSON"
                           for word, _s, _e in words(m.text) for part in re.split(r"[-‐‑]", word) if len(part) >= 3)
    mentions = {m.entity_id: m.mentions for _d, marks, _g in corpus for m in marks}
    tails = name_tails([m.text for _d, marks, _g in corpus for m in marks if m.recognizer in LOWER_NAME_RULES])
    result: dict[str, list[Item]] = {}
    for document, marks, grid in corpus:
        text = document.text
        items: list[Item] = []
        low_forms: set[tuple[str, str]] = set()
        for mark in marks:
            if mark.checked:
                continue
            if mark.score < rules.low_score and (fold(mark.text), mark.label) not in low_forms:
                low_forms.add((fold(mark.text), mark.label))  # a form is checked once per document
                items.append(Item(LOW_SCORE, mark.start, mark.end, mark.text, mark.index, mark.label,
                                  rule=mark.recognizer, score=mark.score))
            for word, s, _e in name_words(mark):
                for other, label, entity_id in near.find(word):
                    # one item per pair of entities: on the rarer one (then the later id)
                    if (mentions.get(entity_id, 0), entity_id) > (mark.mentions, mark.entity_id):
                        items.append(Item(NEAR_FORM, mark.start + s, mark.start + s + len(word), word, mark.index,
                                          label, near=other, near_entity=entity_id))
                        break
        covered = [(m.start, m.end) for m in marks]
        taken: list[tuple[int, int]] = []
        for start, end in candidates(text, covered, grid):
            start, end = _trim_ordinary(text, start, end, ordinary)
            if start >= end:
                continue
            form = text[start:end]
            if is_allowed(form) or config.is_convention(form):
                continue
            unknown = [(w, s) for w, s, _e in words(form)
                       if not _is_ordinary(w, ordinary) and len(w) >= rules.min_miss_length and not w.isupper()]
            close = next((hit for w, _s, _e in words(form) for hit in near.find(w)), None)
            if close is not None:
                other, label, entity_id = close
                items.append(Item(NEAR_FORM, start, end, form, None, label, near=other, near_entity=entity_id))
                taken.append((start, end))
            elif unknown and not feast_day(text, start) and not rejector.demonyms(text, start, end):  # "la Saint-Jean"
                items.append(Item(POSSIBLE_MISS, start, end, form, label=_guess(form, config, communes)))
                taken.append((start, end))
        persons = [(m.start, m.end) for m in marks if m.label not in ("ROLE", *CONTACT_LABELS)]
        found = [*suspects(text, covered, grid, config, ordinary=ordinary, persons=persons),
                 *lexical(text, covered, grid, config, ordinary=ordinary, name_parts=name_parts, communes=communes,
                         start_names=start_names),
                 *tail_mentions(text, covered, tails)]
        for suspect in found:
            start, end = _unmasked_part(text, covered, suspect.start, suspect.end)
            if start >= end or any(s < end and start < e for s, e in taken) or is_allowed(text[start:end]) \
                    or config.is_convention(text[start:end]):  # a corpus tag (ENQ, INT, E1, 417PERS)
                continue
            taken.append((start, end))
            items.append(Item(SUSPECT, start, end, text[start:end], label=suspect.label, rule=suspect.reason))
        for rule in rules.quasi_identifiers:
            for match in re.finditer(rule.regex, text, re.IGNORECASE):
                start, end = match.start(), match.end()
                while end > start and text[end - 1] in " ,.\u00a0\u202f":
                    end -= 1
                if any(s < end and start < e for s, e in covered) or inside_grid(list(grid), start, end):
                    continue
                items.append(Item(QUASI, start, end, text[start:end], rule=rule.id))
        order = {kind: index for index, kind in enumerate(KINDS)}
        never = never_masked(text, config.never_mask)  # a project's words: not to be listed either
        items = [i for i in items if i.mark is not None or not any(s <= i.start and i.end <= e for s, e in never)]
        result[document.id] = sorted(dict.fromkeys(items), key=lambda i: (order[i.kind], i.start, i.end))
    return result


def _guess(form: str, config: Config, communes: frozenset[str]) -> str:
    """The label a possible miss would likely get: a commune, an organisation, else a person."""
    first = form.split()[0] if form.split() else form
    if fold(form) in communes:
        return "MUNICIPALITY"
    if any(fold(first) == fold(head) for head in config.org_heads) or len(form.split()) > 2:
        return "ORGANIZATION"
    return "PERSON"


def _unmasked_part(text: str, covered: Sequence[tuple[int, int]], start: int, end: int) -> tuple[int, int]:
    """The first stretch of ``start:end`` outside every masked mention, trimmed to letters and digits."""
    def masked(i: int) -> bool:
        return any(s <= i < e for s, e in covered)

    while start < end and (masked(start) or not text[start].isalnum()):
        start += 1
    stop = start
    while stop < end and not masked(stop):
        stop += 1
    while stop > start and not text[stop - 1].isalnum() and text[stop - 1] != ".":
        stop -= 1
    return start, stop


def _is_ordinary(word: str, ordinary: frozenset[str]) -> bool:
    """A French word, an inverted pronoun aside ("Travaillait-il", "Dites-moi")."""
    bare = _INVERTED.sub("", word)
    return any(w.lower() in ordinary or fold(w) in ordinary for w in {word, bare} if w)


def _ordinary_words(config: Config) -> frozenset[str]:
    extra = {fold(w) for w in (*config.ner_stoplist, *config.interviewer_labels, *config.civilities,
                                *config.role_heads, *config.org_heads, *config.propagation.markers)}
    return config.common_words | extra | config.generic_acronyms


def _trim_ordinary(text: str, start: int, end: int, ordinary: frozenset[str]) -> tuple[int, int]:
    """Drop ordinary words at the start of a group ("Quand Zorglub" -> "Zorglub")."""
    for word, s, _e in words(text[start:end]):
        if word.lower() not in ordinary and fold(word) not in ordinary:
            return start + s, end
    return end, end


def words(text: str) -> list[tuple[str, int, int]]:
    """Words of ``text`` with their offsets, an elided article dropped ("L'Union" -> "Union")."""
    out = []
    for match in _WORD.finditer(text):
        word, start = match.group(), match.start()
        elided = _ELISION.match(word)
        if elided and len(word) > elided.end():
            word, start = word[elided.end():], start + elided.end()
        out.append((word, start, start + len(word)))
    return out


def candidates(text: str, covered: Sequence[tuple[int, int]], grid: Sequence[GridRegion]) -> list[tuple[int, int]]:
    """Capitalised words and word groups ("Grain de Sel") outside masked mentions and grid text."""
    spans: list[tuple[int, int]] = []
    regions = list(grid)
    group: list[tuple[int, int]] = []
    pending_link = False
    last_end = -1

    def close() -> None:
        if group:
            spans.append((group[0][0], group[-1][1]))
        group.clear()

    for word, start, end in words(text):
        blocked = any(s < end and start < e for s, e in covered) or inside_grid(regions, start, end)
        gap = text[last_end:start] if last_end >= 0 else ""
        if blocked or "\n" in gap or any(c in gap for c in ".,;:!?()«»\""):
            close()
            pending_link = False
        if blocked:
            last_end = end
            continue
        if word[:1].isupper():
            if group and not pending_link and gap.strip() not in ("", "-"):
                close()
            group.append((start, end))
            pending_link = False
        elif group and word.lower() in _LINKS and not pending_link:
            pending_link = True
        else:
            close()
            pending_link = False
        last_end = end
    close()
    return spans


class NearForms:
    """Forms one edit away (insertion, deletion, substitution), through a deletion
    neighbourhood index: each form is indexed under itself and every one-letter deletion, so
    a look-up costs one probe per letter, never a scan of every pair. Case and accents are
    folded first: "MARCHAL" and "Marchal" are the same form, not neighbours."""

    def __init__(self, min_length: int) -> None:
        self.min_length = min_length
        self.index: dict[str, set[tuple[str, str, str]]] = {}
        self.forms: dict[str, tuple[str, str, str]] = {}

    @staticmethod
    def _deletions(word: str) -> set[str]:
        return {word} | {word[:i] + word[i + 1:] for i in range(len(word))}

    def add(self, word: str, label: str, entity_id: str) -> None:
        key = fold_key(word)
        if len(key) < self.min_length or key in self.forms:
            return
        entry = (word, label, entity_id)
        self.forms[key] = entry
        for variant in self._deletions(key):
            self.index.setdefault(variant, set()).add(entry)

    def find(self, word: str) -> list[tuple[str, str, str]]:
        """Known forms exactly one edit away from ``word`` (never ``word`` itself)."""
        key = fold_key(word)
        if len(key) < self.min_length:
            return []
        found = set()
        for variant in self._deletions(key):
            for entry in self.index.get(variant, ()):
                other = fold_key(entry[0])
                if other != key and one_edit(key, other):
                    found.add(entry)
        return sorted(found)


def one_edit(a: str, b: str) -> bool:
    """True when ``a`` and ``b`` differ by exactly one insertion, deletion or substitution.

    >>> one_edit("marchal", "marchall"), one_edit("marchal", "marchel"), one_edit("abc", "abc")
    (True, True, False)
    """
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b)) == 1
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    for i in range(len(long_)):
        if long_[:i] + long_[i + 1:] == short:
            return True
    return False
