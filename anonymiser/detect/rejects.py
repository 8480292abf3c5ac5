"""Candidates that are no name, whatever found them: the words of a heading line, people
named after their town ("chers Grenoblois"), a place name in a fixed figure of speech ("c'est
pas Byzance"), an ordinal of rank or a floor taken for an arrondissement, a generic acronym
or a civility alone. The data is in ``rules/spoken.yaml`` (``rejects``)."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property

from anonymiser.config.rules import Config
from anonymiser.config.spoken import Rejects
from anonymiser.detect.spans import outside
from anonymiser.model import Span
from anonymiser.recognizers.municipalities import SIGNED
from anonymiser.recognizers.naming import OPENED
from anonymiser.recognizers.organizations import LETTERHEAD
from anonymiser.text.fold import fold
from anonymiser.text.matching import PhraseIndex

_CONTACTS = frozenset({"EMAIL_ADDRESS", "PHONE_NUMBER", "URL", "ADDRESS"})
# a number that ends a name's span, and what after it says it is a count or an amount
_COUNT_TAIL = re.compile(r"[ \t\u00a0\u202f]+\d{1,3}$")
_COUNT_AFTER = re.compile(r"[ \t\u00a0\u202f]*(?:\d|[,.]\d|€|%|(?:voix|euros?|ans|personnes|adhérents|membres|"
                          r"h|heures|km|m²|ha|habitants|places|lits|élèves)(?![\w'’-]))")
_NAMES = frozenset({"ORGANIZATION", "LOCATION", "MUNICIPALITY"})
_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
# what opens a heading line without being one of its words: Markdown marks, a front-matter key
_FILLED = re.compile(r"\S")
# a heading's body is 90 characters at most (see heading_line): past this a line is none
_HEADING_MAX = 400
_MARKS = re.compile(r"^[ \t#>*•\-–—]*(?:title:[ \t]*)?[\"'«“ \t]*")
_LINKS = frozenset({"et", "ou", "de", "du", "des", "la", "le", "les", "en", "au", "aux", ",", "/", "+"})
_ELISION = re.compile(r"^[a-zA-Z][’']")
# an inverted pronoun ends a verb of a question ("Rouvrira-t-il"): the verb is the word
_INVERTED = re.compile(r"(?:-t)?-(?:il|elle|on|ils|elles|je|tu|nous|vous)$", re.IGNORECASE)
# a lower-case word and a full stop open the span: it runs over a sentence's end ("18 h. Téléphone")
_SENTENCE_END = re.compile(r"^[a-zà-ÿ]{1,4}\.\s+")


@dataclass(frozen=True)
class Rejector:
    """Tells which candidate spans of a text are no name (see the module)."""

    rules: Rejects
    common_words: frozenset[str]
    peoples: frozenset[str]  # nationalities, folded, every form
    generic_acronyms: frozenset[str]
    civilities: frozenset[str]
    events: frozenset[str] = frozenset()  # kinds of event, capitalised in their names ("la Fête des voisins")

    @cached_property
    def _figures(self) -> PhraseIndex[str]:
        return PhraseIndex((phrase, phrase) for phrase in sorted({fold(f) for f in self.rules.figures}))

    @cached_property
    def _demonym(self) -> re.Pattern[str]:
        endings = "|".join(sorted(self.rules.demonym_endings, key=len, reverse=True)) or "(?!)"
        return re.compile(rf"[A-ZÀ-Ý][a-zà-ÿ-]{{3,}}(?:{endings})")

    @cached_property
    def _demonym_before(self) -> re.Pattern[str]:
        words = "|".join(re.escape(w) for w in sorted(self.rules.demonym_before, key=len, reverse=True)) or "(?!)"
        return re.compile(rf"(?:^|[\s(«\"])(?:{words})\s+$", re.IGNORECASE)

    @cached_property
    def _salutation(self) -> re.Pattern[str]:
        words = "|".join(re.escape(w) for w in sorted(self.rules.salutations, key=len, reverse=True)) or "(?!)"
        return re.compile(rf"^(?:{words})\s+", re.IGNORECASE)

    @cached_property
    def _rank_after(self) -> re.Pattern[str]:
        return re.compile("|".join(f"(?:{p})" for p in self.rules.rank_after) or "(?!)", re.IGNORECASE)

    @cached_property
    def _floor_people(self) -> re.Pattern[str]:
        words = "|".join(re.escape(w) for w in self.rules.floor_people) or "(?!)"
        return re.compile(rf"\b(?:{words})\s+(?:du|de\s+l[a']|au)\s*$", re.IGNORECASE)

    def figure_ranges(self, text: str) -> list[tuple[int, int]]:
        """Where the fixed figures of speech are in ``text`` ("du Nord au Sud")."""
        return [(m.start, m.end) for m in self._figures.find(text)] if self.rules.figures else []

    def keep(self, text: str, spans: Iterable[Span]) -> list[Span]:
        """``spans`` without the rejected ones, and without those that open inside a figure of speech
        ("c'est pas Byzance hein"); a name never takes the number after it (``without_count``)."""
        kept = [without_count(text, s) for s in spans if not self.rejected(text, s)]
        figures = self.figure_ranges(text)
        return [s for s in kept if not any(a <= s.start < b for a, b in figures)] if figures else kept

    def before_never_masked(self, spans: Iterable[Span], ranges: Sequence[tuple[int, int]]) -> list[Span]:
        """``spans`` without those that run into a phrase never masked with nothing of a name
        before it, only generic acronyms and small words: "DETR et Action" in "la DETR et Action
        cœur de ville"."""
        kept = []
        ordered = sorted(ranges)  # each span reads the ranges that start inside it (bisection), not all
        starts = [start for start, _end in ordered]
        for span in spans:
            inside = ordered[bisect.bisect_right(starts, span.start):bisect.bisect_left(starts, span.end)]
            into = next((start for start, end in inside if span.end <= end), None)
            head = span.text[:into - span.start].split() if into is not None else []
            if not head or not all(w in self.generic_acronyms or w.lower() in _LINKS for w in head):
                kept.append(span)
        return kept

    def rejected(self, text: str, span: Span) -> bool:
        if span.label in _CONTACTS:
            return False
        surface = span.text.strip()
        if span.label != "ROLE" and (surface in self.generic_acronyms or surface in self.civilities):
            return True  # "la CUMA", "le RPI"; "Dr" alone (not a title: "leur DRH")
        if span.label in _NAMES and (self.demonyms(text, span.start, span.end) or self.peoples_only(surface)):
            return True
        if span.label in ("ORGANIZATION", "LOCATION") and self.event(surface):
            return True  # "la Fête des Lumières", "les Journées du patrimoine": an event, no body or place
        if span.label in _NAMES and self._building_part.fullmatch(surface):
            return True  # "le bâtiment C", "l'escalier 2": a part of a building
        if span.recognizer.startswith("fr.municipality.arrondissement") and self.not_arrondissement(text, span):
            return True
        if span.label in _NAMES and span.recognizer.startswith("fr.ner.") \
                and self.ordinary_phrase(_before_quote(surface)):
            return True
        # a letterhead is a heading's name; a group's name opened by its plural is one whatever its words
        # ("Les Amis Du Musée" as a section title)
        return span.recognizer not in (LETTERHEAD, OPENED, SIGNED) and self.heading_words(text, span)

    @cached_property
    def _event_names(self) -> re.Pattern[str]:
        kinds = "|".join(re.escape(w) for w in sorted(self.events, key=len, reverse=True)) or "(?!)"
        link = r"(?:de[ \t]+la|de[ \t]+l['’]|du|des|de|d['’])"
        return re.compile(rf"(?<![\w'’-])(?:{kinds})[ \t]+{link}[ \t]*(?:[A-ZÀ-Þ][\w'’-]*)"
                          rf"(?:[ \t]+(?:{link}[ \t]*)?[A-ZÀ-Þ][\w'’-]*)*")

    @cached_property
    def _building_part(self) -> re.Pattern[str]:
        parts = "|".join(re.escape(w) for w in sorted(self.rules.building_parts, key=len, reverse=True)) or "(?!)"
        return re.compile(rf"(?i:{parts})[ \t]+(?:[A-Z]|\d{{1,2}})")

    @cached_property
    def _spoken_event_names(self) -> re.Pattern[str]:
        kinds = "|".join(re.escape(w.lower()) for w in sorted(self.events, key=len, reverse=True)) or "(?!)"
        return re.compile(rf"(?<![\w'’-])(?:{kinds})[ \t]+(?:de[ \t]+la|de[ \t]+l['’]|du|des|aux|au)[ \t]*"
                          rf"(?P<word>[A-ZÀ-Þ][a-zß-ÿœ]+)(?![\w'’-])")

    def event_ranges(self, text: str) -> list[tuple[int, int]]:
        """Where an event's name lies ("Fête des Lumières", "Salon de l'Agriculture"): no name of
        a body or a place in it. Speech writes the kind in lower case before one capitalised
        word of French ("la fête des Lumières", "la fête de la Musique"), not before a place's
        own name ("la fête de Kerhuel")."""
        if not self.events:
            return []
        return sorted([*(m.span() for m in self._event_names.finditer(text)),
                       *(m.span() for m in self._spoken_event_names.finditer(text)
                         if m.group("word").lower() in self.common_words)])

    def outside_events(self, text: str, spans: list[Span]) -> list[Span]:
        """``spans`` but the bodies and venues inside an event's name ("la Fête des Lumières"); a
        person's or a commune's name in it stays ("la Foire de Brest")."""
        events = self.event_ranges(text)
        if not events:
            return spans
        named = [s for s in spans if s.label in ("ORGANIZATION", "LOCATION")]
        return [*outside(named, events), *(s for s in spans if s.label not in ("ORGANIZATION", "LOCATION"))]

    def event(self, surface: str) -> bool:
        """True for an event's name: opened (after its article) by a kind of event of the rules,
        capitalised, and going on ("Fête des Lumières"; "Forum" alone may be a place's name)."""
        words = _ELISION.sub("", surface).split()
        if words and words[0].lower() in ("la", "le", "les"):
            words = words[1:]
        return len(words) > 1 and words[0] in self.events

    def _common(self, word: str) -> bool:
        """An ordinary French word, also elided ("d'abord"), a verb with its inverted pronoun
        ("Rouvrira-t-il"), a compound whose later parts are in lower case ("Vide-greniers")."""
        word = _INVERTED.sub("", _ELISION.sub("", word))
        lower = word.lower()
        if lower in self.common_words or lower.rstrip("s") in self.common_words or len(word) <= 2:
            return True
        parts = word.split("-")
        return len(parts) > 1 and all(p[:1].islower() for p in parts[1:]) and all(map(self._common, parts))

    def ordinary_phrase(self, surface: str) -> bool:
        """True for what NER found whose only capital is its first letter and whose words are
        ordinary French words or numbers: "Association loi 1901", "Citoyens d'abord", "Vide-greniers";
        or that runs over a sentence's end into ordinary words ("18 h. Téléphone")."""
        crossing = _SENTENCE_END.match(surface) is not None
        surface = _SENTENCE_END.sub("", surface)
        words = re.findall(r"[\w'’-]+", surface)
        if not words or not surface[:1].isupper() or any(w[:1].isupper() for w in words[1:]):
            return False
        # NER's own filter drops plain ordinary words (recognizers/ner.py, with its place
        # adjectives kept: "Mission locale angevine"): only the forms it does not read are here
        plain = [w.lower() in self.common_words or w.lower().rstrip("s") in self.common_words for w in words]
        # an elided word is a body's word ("Caisse d'épargne") but in a locution ("d'abord")
        locutions = {fold(w) for w in self.rules.locutions}
        return (crossing or not all(plain)) and all(
            w.isdigit() or (fold(w) in locutions if _ELISION.match(w) else self._common(w)) for w in words)

    def heading_words(self, text: str, span: Span) -> bool:
        """True when the span lies in a heading line (see ``heading_line``) and every word of it
        is an ordinary French word: "Une Année Bien Remplie", "SPORT", "Vie Associative"."""
        if heading_line(text, span.start, span.end) is None or self._after_street(text, span):
            return False
        words = _WORD.findall(span.text)
        return bool(words) and all(self._common(w) for w in words)

    def _after_street(self, text: str, span: Span) -> bool:
        """True for a place after a street noun in a heading ("Route Du Lac Blanc")."""
        if span.label != "LOCATION" or not self.rules.street_nouns:
            return False
        words = "|".join(re.escape(w) for w in self.rules.street_nouns)
        before = text[max(0, span.start - 30):span.start]
        pattern = rf"\b(?:{words})(?:\s+(?:de|du|des|de\s+la|d['’]|l['’]))?\s*$"
        return re.search(pattern, before, re.IGNORECASE) is not None

    def demonyms(self, text: str, start: int, end: int) -> bool:
        """True for people named after their town, in the plural after a determiner or a
        salutation: "chères Lapoutroisiennes", "les Grenoblois" (not a family, "chez les X")."""
        surface = self._salutation.sub("", text[start:end])
        saluted = surface != text[start:end]
        if not self._demonym.fullmatch(surface) or surface.lower() in self.common_words:
            return False
        before = text[max(0, start - 30):start]
        if re.search(r"\bchez\s+les\s+$", before, re.IGNORECASE):
            return False
        if saluted or self._demonym_before.search(before) is not None:
            return True
        # one of a pair of demonyms: "Appaméennes, Appaméens", "Grenoblois et Grenobloises"
        pair = re.search(r"([^\W\d_][\w-]*)\s*(?:,|\bet|\bou)\s+$", before)
        after = re.match(r"\s*(?:,|et\b|ou\b)\s*([^\W\d_][\w-]*)", text[end:end + 40])
        return any(m is not None and self._demonym.fullmatch(m.group(1)) is not None
                   and m.group(1).lower() not in self.common_words for m in (pair, after))

    def peoples_only(self, surface: str) -> bool:
        """True when every capitalised word is a nationality ("des Comoriennes, des Afghanes")."""
        words = [w for w in _WORD.findall(surface) if w[:1].isupper()]
        return bool(words) and all(fold(w) in self.peoples for w in words) \
            and all(w[:1].isupper() or w.lower() in ("des", "les", "et", "de", "ou") for w in _WORD.findall(surface))

    def not_arrondissement(self, text: str, span: Span) -> bool:
        """True for an ordinal of rank ("c'est le quatrième en huit ans") or a floor where
        people live ("le monsieur du quatrième"): not an arrondissement."""
        if any(c.isdigit() for c in span.text) or " " in span.text.strip():
            return False
        after = text[span.end:span.end + 40]
        before = text[max(0, span.start - 40):span.start]
        return self._rank_after.match(after) is not None or self._floor_people.search(before) is not None


def _before_quote(surface: str) -> str:
    """What comes before a quotation that opens in the span and does not close there: a
    title's words run into the quoted subject ("Atelier n° 2 – « Vivre ensemble"), no name."""
    if "«" not in surface or "»" in surface:
        return surface
    return surface.split("«")[0].rstrip(" \t–—-:,")


def rejector_of(config: Config) -> Rejector:
    """The rules that reject candidates whatever found them, from ``config``."""
    return Rejector(config.spoken.rejects, config.common_words, config.spoken.nationality_forms(),
                    frozenset(config.generic_acronyms), frozenset(config.civilities), frozenset(config.spoken.events))


def heading_line(text: str, start: int, end: int) -> str | None:
    """``"caps"`` or ``"title"`` when the line around ``[start, end)`` has a heading's shape:
    short, no final punctuation of a sentence, every word capitalised (two words at least) or
    every letter in capitals, a Markdown heading or set apart by a blank line before or after.
    None for any other line."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    if line_end - line_start > _HEADING_MAX:
        return None  # a long line is no heading: read no further (one line of a megabyte)
    line = text[line_start:line_end]
    marks = _MARKS.match(line)
    body = line[marks.end() if marks else 0:].rstrip(" \t\"'»”")
    words = _WORD.findall(body)
    if not words or len(body.split()) > 10 or len(body) > 90 or body[-1:] in ".,;:…":
        return None
    markdown = line.lstrip().startswith(("#", "title:"))
    # only blanks before or after the line: searched up to the first other character, never copied
    blank_before = (line_start < 2 or text[line_start - 2] == "\n"
                    or _FILLED.search(text, 0, line_start - 1) is None)
    blank_after = (line_end >= len(text) or text.startswith("\n", line_end + 1)
                   or _FILLED.search(text, line_end + 1) is None)
    if not (markdown or blank_before or blank_after):
        return None
    letters = [c for c in body if c.isalpha()]
    if len(letters) >= 3 and all(c.isupper() for c in letters):
        return "caps"
    if len(words) >= 2 and all(w[:1].isupper() for w in words):
        return "title"
    return None


def without_count(text: str, span: Span) -> Span:
    """A name's span run on into the number of a count or an amount after it ("la Ville de Rennes
    3 000 €", "Josette Kervec 40 voix"): the name alone, so the figure stays as it is; "ALEC 71",
    "Tremplin 61" keep their number."""
    tail = _COUNT_TAIL.search(span.text) if span.label not in _CONTACTS and span.label != "ROLE" else None
    if tail is None or tail.start() == 0 or not _COUNT_AFTER.match(text, span.end):
        return span
    return span.moved(text, span.start, span.start + tail.start())
