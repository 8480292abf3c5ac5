"""Stretches left unmasked that may still name someone or somewhere (pure): the review list's
safety net beyond capitalised unknown words.

Three sources, each item tagged with a stable reason code:

- ``name_lexicon``: a capitalised word that is an ordinary French word too ("Rose", "Sens")
  left in clear where a name would be: in the middle of a sentence, or at its start when the
  word is a first name or a commune, or a part of a name masked elsewhere in the corpus;
- ``initials``: upper-case initials and short acronyms that are not generic ("FB");
- the pattern rules of ``rules/review.yaml`` (``suspects``), each with its id as the reason:
  spelled-out arrondissements, lower-case names after "l'association", roles, speaker turns...
  and a person's occupation beside a masked name (``review.beside_name``);
- ``review.name_tail``: the lower-case name of a body masked elsewhere in the corpus ("le comité
  de quartier plaine des sables" masked, "la plaine des sables" left in clear in a caption).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from anonymiser.config.rules import Config
from anonymiser.recognizers.lexical import in_heading_words
from anonymiser.text.fold import fold
from anonymiser.text.grid import GridRegion, inside_grid

NAME_LEXICON = "name_lexicon"
INITIALS = "initials"
BESIDE_NAME = "review.beside_name"
NAME_TAIL = "review.name_tail"
# rules that find a lower-case name: its words alone, said elsewhere, may name the same body
LOWER_NAME_RULES = frozenset({"fr.org.head_article", "fr.name.called"})
ARTICLE = "review.article"  # "le lycée de La Vinadie": the article of a name, left out of its mask
_ARTICLE = re.compile(r"(?:(?<=\s)|^)(?:La|Le|Les|L['’]|[Ss]aint|[Ss]ainte)[ \u00a0-]*")

_TOKEN = re.compile(r"[^\W\d_]+(?:[-‐‑’'][^\W\d_]+)*\.?")
_ELIDED = re.compile(r"^(?:[LlDdJjNnSsCcMmTt]|[Qq]u|[Jj]usqu|[Ll]orsqu|[Pp]uisqu)['’]")
_SENTENCE_END = re.compile(r"[.!?…:;«»\"()\[\]]|^\s*[-–—•*·]")
_TURN = re.compile(r"^[^\n:]{1,60}:[ \u00a0]*$")
_BESIDE = re.compile(r"[ \u00a0]*(?:[,(–—]|\n)[ \u00a0]*(?P<name>[^\W\d_][\w'’-]*(?:[ \u00a0]+[\w'’-]+){0,2})")


@dataclass(frozen=True)
class Suspect:
    """An unmasked stretch, why it is listed (``reason``) and the label it would likely get."""

    start: int
    end: int
    reason: str
    label: str


def _masked(covered: Sequence[tuple[int, int]], start: int, end: int) -> bool:
    return any(s < end and start < e for s, e in covered)


def _fully_masked(text: str, covered: Sequence[tuple[int, int]], start: int, end: int) -> bool:
    letters = [i for i in range(start, end) if text[i].isalnum()]
    return all(any(s <= i < e for s, e in covered) for i in letters)


def _sentence_start(text: str, start: int) -> bool:
    """True when only punctuation, a list bullet or a speaker label precede ``start`` in its sentence."""
    line_start = text.rfind("\n", 0, start) + 1
    before = text[line_start:start]
    if not before.strip() or _TURN.match(before):
        return True
    tail = before.rstrip()
    return bool(tail) and tail[-1] in ".!?…«\"([-–—•*·>#|)]"


def lexical(text: str, covered: Sequence[tuple[int, int]], grid: Sequence[GridRegion], config: Config, *,
            ordinary: frozenset[str], name_parts: frozenset[str],
            communes: frozenset[str], start_names: frozenset[str]) -> list[Suspect]:
    """Capitalised ordinary words where a name would be, and non-generic initials."""
    rules = config.review
    regions = list(grid)
    stop = {fold(w) for w in (*config.function_words, *config.civilities, *config.interviewer_labels,
                              *rules.not_names, *config.spoken.transcript_names.not_names)}  # "du Nord au Sud"
    generic = {fold(w) for w in (*config.org_heads, *config.role_heads, *config.location_nouns)}
    out: list[Suspect] = []
    for match in _TOKEN.finditer(text):
        word, start = match.group(), match.start()
        elided = _ELIDED.match(word)
        if elided and len(word) > elided.end():
            word, start = word[elided.end():], start + elided.end()
        bare = word.rstrip(".")
        end = start + len(bare)
        if not bare[:1].isupper() or _masked(covered, start, end) or inside_grid(regions, start, end):
            continue
        folded = fold(bare)
        if folded in stop:
            continue
        if bare.isupper():
            if 2 <= len(bare) <= 4 and folded not in config.generic_acronyms and bare not in config.generic_acronyms \
                    and folded not in ordinary:
                out.append(Suspect(start, end, INITIALS, "PERSON"))
            continue
        if folded not in ordinary and bare.lower() not in ordinary:
            continue  # an unknown word: a possible miss, listed by ``attention``
        if len(bare) < rules.min_miss_length or folded in generic:
            continue  # a generic head alone ("la Ville") is not a name
        if in_heading_words(text, start, end):
            continue  # "## Sport Et Loisirs": a heading's words
        if _sentence_start(text, start):
            if folded in name_parts or folded in start_names:
                out.append(Suspect(start, end, NAME_LEXICON, _label_of(bare, folded, config, communes)))
        elif not _after_capital(text, start, stop):
            out.append(Suspect(start, end, NAME_LEXICON, _label_of(bare, folded, config, communes)))
    return out


def _after_capital(text: str, start: int, stop: set[str]) -> bool:
    """A word inside a run of capitalised words ("Conseil Municipal"): a title, not a name alone
    (an article before it does not count: "sur La Centrale")."""
    before = text[max(0, start - 40):start].rstrip(" \u00a0'’")
    last = re.search(r"([^\W\d_]+)$", before)
    return last is not None and last.group(1)[:1].isupper() and fold(last.group(1)) not in stop


def one_word_communes(config: Config, *, min_population: int = 0) -> frozenset[str]:
    """Folded one-word commune names ("Sens"); with an article dropped ("Les Lilas" -> "lilas")
    unless ``min_population`` is given (then only communes that large, without an article)."""
    names = set()
    for name, _code, population in config.communes:
        if min_population:
            if (population or 0) < min_population or re.match(r"(?:Les|Le|La|L['’])\b", name):
                continue
            bare = name
        else:
            bare = re.sub(r"^(?:Les|Le|La|L['’])\s*", "", name)
        if " " not in bare and "-" not in bare:
            names.add(fold(bare))
    return frozenset(names)


def sentence_start_names(config: Config) -> frozenset[str]:
    """Folded words that are listed even at a sentence start, though ordinary words: common
    first names and surnames, large communes (the ranks and size of ``rules/review.yaml``)."""
    rules = config.review
    first = {fold(name) for name, (_decade, rank) in config.first_name_info.items()
             if rank <= rules.start_first_name_rank}
    surnames = {fold(name) for name in config.surnames[:rules.start_surname_rank]}
    return frozenset(first | surnames | one_word_communes(config, min_population=rules.start_commune_population))


def _label_of(word: str, folded: str, config: Config, communes: frozenset[str]) -> str:
    if word not in config.first_names and folded in communes:
        return "MUNICIPALITY"
    return "PERSON"


def suspects(text: str, covered: Sequence[tuple[int, int]], grid: Sequence[GridRegion], config: Config, *,
             ordinary: frozenset[str], persons: Sequence[tuple[int, int]] = ()) -> list[Suspect]:
    """Stretches the pattern rules of ``rules/review.yaml`` point at, not wholly masked;
    occupations and capitalised articles beside a masked name (``persons``: the offsets of the
    masked mentions that may be names)."""
    rules = config.review
    regions = list(grid)
    out: list[Suspect] = []
    spread: dict[str, tuple[str, str]] = {}
    for rule in rules.candidates:
        for match in rule.pattern.finditer(text):
            start, end = match.span("name") if "name" in rule.pattern.groupindex else match.span()
            if rule.unknown_word and not _has_unknown(text, covered, start, end, ordinary, config):
                continue
            while end > start and not text[end - 1].isalnum():
                end -= 1
            if start >= end or _fully_masked(text, covered, start, end) or inside_grid(regions, start, end):
                continue
            out.append(Suspect(start, end, rule.id, rule.label))
            form = text[start:end]
            if rule.spread and len(form) >= 5 and form.lower() not in ordinary:
                spread.setdefault(form.lower(), (rule.id, rule.label))
    if spread:
        found = {(s.start, s.end) for s in out}
        pattern = re.compile("|".join(rf"(?<!\w){re.escape(f)}(?!\w)" for f in sorted(spread, key=len, reverse=True)),
                             re.IGNORECASE)
        for match in pattern.finditer(text):
            start, end = match.span()
            if (start, end) in found or _fully_masked(text, covered, start, end) or inside_grid(regions, start, end):
                continue
            rule_id, label = spread[match.group().lower()]
            out.append(Suspect(start, end, rule_id, label))
    out.extend(_beside_names(text, covered, regions, config, persons))
    for begin, _end in persons:
        article = _ARTICLE.search(text, max(0, begin - 8), begin)
        if article and article.end() == begin and not _sentence_start(text, article.start()) \
                and not _masked(covered, article.start(), article.start() + 1):
            out.append(Suspect(article.start(), article.start() + len(article.group().rstrip(" \u00a0'’")),
                               ARTICLE, "ORGANIZATION"))
    return out


def _has_unknown(text: str, covered: Sequence[tuple[int, int]], start: int, end: int, ordinary: frozenset[str],
                 config: Config) -> bool:
    """Some unmasked word of the stretch is not an ordinary word, a civility or a label (or is an initial)."""
    stop = {fold(w) for w in (*config.civilities, *config.interviewer_labels)}
    first = True
    for match in _TOKEN.finditer(text, start, end):
        word = match.group()
        if _masked(covered, match.start(), match.end()):
            first = False
            continue
        bare = word.rstrip(".")
        if first and fold(bare) in stop:
            first = False
            continue  # a civility before the name ("M. Roche")
        first = False
        if len(bare) == 1 and word.endswith(".") and bare.isupper():
            return True  # an initial ("Vijay M.")
        if fold(bare) in stop or fold(bare) in ordinary or bare.lower() in ordinary:
            continue
        if bare.isupper() and (bare in config.generic_acronyms or fold(bare) in config.generic_acronyms):
            continue
        return True
    return False


def _beside_names(text: str, covered: Sequence[tuple[int, int]], regions: list[GridRegion], config: Config,
                  persons: Sequence[tuple[int, int]]) -> list[Suspect]:
    """"Paul Roche, médecin généraliste": an occupation right after a masked person."""
    rules = config.review
    heads = {fold(w) for w in (*config.role_heads, *config.role_trades) if " " not in w}
    labels = {fold(w) for w in config.interviewer_labels}
    out = []
    for _start, end in persons:
        match = _BESIDE.match(text, end)
        if not match:
            continue
        start, stop = match.span("name")
        first = re.split(r"[ \u00a0]", match.group("name"))[0]
        if _masked(covered, start, start + len(first)):
            continue  # "Estrablin, Vienne et ...": the next name of a list, masked already
        key = fold(first)
        bare = re.sub(r"^(?:co|vice|sous|ex)-", "", key)
        # on the next line only a known head or trade: a line such as "Entretien E14" follows names
        by_ending = bare.endswith(rules.occupation_endings) and "\n" not in text[end:start]
        if key in labels or not (bare in heads or key in heads or by_ending):
            continue
        if _fully_masked(text, covered, start, stop) or inside_grid(regions, start, stop):
            continue
        out.append(Suspect(start, stop, BESIDE_NAME, "ROLE"))
    return out


def name_tails(names: Sequence[str]) -> frozenset[str]:
    """The lower-case tails of masked names found by ``LOWER_NAME_RULES``: from each name, the
    word runs of two words or more that start on a content word and end it ("plaine des
    sables" from "comité de quartier plaine des sables"), folded."""
    connectors = {"de", "du", "des", "d", "la", "le", "les", "l", "et", "à", "au", "aux", "en"}
    tails = set()
    for name in names:
        parts = re.findall(r"[^\W\d_]+", fold(name))
        for index in range(1, len(parts) - 1):
            if parts[index] not in connectors and len(parts) - index >= 2:
                tails.add(" ".join(parts[index:]))
    return frozenset(tails)


def tail_mentions(text: str, covered: Sequence[tuple[int, int]], tails: frozenset[str]) -> list[Suspect]:
    """Unmasked stretches of ``text`` that say one of ``tails`` (see ``name_tails``)."""
    if not tails:
        return []
    folded = fold(text)
    if len(folded) != len(text):
        return []  # offsets would not line up (a folded ligature): nothing rather than a wrong place
    found = []
    for tail in sorted(tails, key=len, reverse=True):
        pattern = r"(?<![\w'’-])" + r"[\s'’-]+".join(re.escape(w) for w in tail.split()) + r"(?![\w'’-])"
        for match in re.finditer(pattern, folded):
            if not _masked(covered, match.start(), match.end()):
                found.append(Suspect(match.start(), match.end(), NAME_TAIL, "ORGANIZATION"))
    return found
