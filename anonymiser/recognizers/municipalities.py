"""MUNICIPALITY from the Etalab gazetteer, accent-, case-, hyphen- and apostrophe-tolerant.

Names that are also ordinary French words ("Tours", "Sens", "Orange") are taken only with
evidence: a preposition or phrase of place just before, or a spaCy place entity, and a
capital letter that is not merely sentence-initial; or a list of communes it stands in
("Sens, Paron et Joigny"); or a dateline that it starts ("Sens, salle des fêtes, 3 mai 2022":
``fr.municipality.dateline``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from presidio_analyzer import RecognizerResult

from anonymiser.recognizers.base import FrenchRecognizer, make_result
from anonymiser.recognizers.lexical import CAP, alternation, feast_day, in_title_case_line, sentence_initial
from anonymiser.text.fold import fold, fold_key
from anonymiser.text.matching import PhraseIndex

_ARTICLES = ("Le ", "La ", "Les ", "L'", "L’")
_SAINTS = tuple((re.compile(rf"\b{long}\b"), short) for long, short in (("Saint", "St"), ("Sainte", "Ste")))


def commune_variants(name: str) -> list[tuple[str, str]]:
    """Surface variants of a commune name: (variant, kind). Kinds: ``full`` or
    ``article-less`` (for "du Havre", "des Mureaux")."""
    variants = [(name, "full")]
    if "Saint" in name:
        for pattern, short in _SAINTS:
            if pattern.search(name):
                variants.append((pattern.sub(short, name), "full"))
    for article in _ARTICLES:
        if name.startswith(article) and article.strip() in {"Le", "Les"}:
            variants.append((name[len(article):], "article-less"))
    return variants


def _same_capitals(surface: str, name: str) -> bool:
    """Every word capitalised in the official name is capitalised in the text ("Le Port",
    not "Le port"), unless the text is all upper case."""
    if surface.isupper():
        return True
    words = re.split(r"[\s\-'’]+", surface)
    official = re.split(r"[\s\-'’]+", name)
    if len(words) != len(official):
        return surface[:1].isupper()
    return all(w[:1].isupper() for w, o in zip(words, official) if o[:1].isupper())


# "il y a Gilles", "on a Sandrine": the verb, not a written-down "à"
_HAS_BEFORE = re.compile(r"(?:\by|\bil|\belle|\bon|\bils|\belles|\bqu['’]il|\bqu['’]on)[ \t]+a[ \t]+$")
# a lower-case article just before a word: its common noun, not a commune's name
_ARTICLE_BEFORE = re.compile(r"(?<![\w'’-])(?:le|la|les)[ \t]+$")


DATELINE = "fr.municipality.dateline"
SIGNED = "fr.municipality.signed"
# a letter's signature: a first name, an initial and the writer's commune, alone on its line
# ("Jean-Marc R., Ballots"): the commune, even one that is a word
_SIGNED_BEFORE = re.compile(rf"(?:^|\n)[ \t]*{CAP}(?:[ \t]+{CAP})?[ \t]+[A-ZÀ-Þ]\.[ \t]*,[ \t]*$")
_LINE_END = re.compile(r"[ \t]*(?:\n|$)")
LIVES_IN = "fr.municipality.lives_in"
# an article written with a capital inside a sentence is the commune's own: "à L'Isle", "au sud de La Rochelle"
_CAPITAL_ARTICLE = re.compile(r"(?<=[\w,;][ \t])(?:Le|La|Les)[ \t]+$|(?<=[\w,;][ \t])L['’]$")
# a commune's name: capitalised words joined by hyphens, small words between ("Mons-en-Pévèle")
_COMMUNE = (rf"(?:(?:Le|La|Les)[ \t]+|L['’])?{CAP}"
            rf"(?:-(?:(?:sur|sous|en|lès|lez|de|du|des|la|le|les|aux|au|à)-)?(?:[dl]['’])?{CAP})*")


def _residence(verbs: tuple[str, ...], bare: tuple[str, ...]) -> re.Pattern[str] | None:
    """A verb of residence, "à" (or nothing after a verb of ``bare``), then a commune's name."""
    if not verbs:
        return None
    with_a = rf"(?:{alternation(verbs)})[ \t]+(?:à|a)"
    without = rf"|(?:{alternation(bare)})" if bare else ""
    return re.compile(rf"(?<![\w-])(?i:{with_a}{without})[ \t]+(?P<name>{_COMMUNE})(?![\w'’-])")


def _with_capital_article(text: str, start: int) -> int:
    """The start of a commune's name with the capitalised article just before it, in mid-sentence
    ("à L'Isle"; "Isle" is the gazetteer's)."""
    article = _CAPITAL_ARTICLE.search(text, max(0, start - 5), start)
    return article.start() if article else start

# between two names of a list: a comma, "et", "ou"
_LIST_AFTER = re.compile(r"[ \t]*(?:,|et\b|ou\b)[ \t]*")
_LIST_BEFORE = re.compile(r"[ \t]*(?:,|(?<![\w'’-])et|(?<![\w'’-])ou)[ \t]*$")
_LINE_START = re.compile(r"(?:^|\n)[ \t]*(?:[-*•#>]+[ \t]*)?$")


def _at_line_start(text: str, start: int) -> bool:
    return _LINE_START.search(text, max(0, start - 12), start) is not None


def _in_list_with(text: str, start: int, end: int, starts: set[int], ends: set[int]) -> bool:
    """A comma, "et" or "ou" joins this name to a commune just before or just after it
    ("Paron, Sens et Joigny")."""
    after = _LIST_AFTER.match(text, end)
    if after and after.end() > end and after.end() in starts:
        return True
    before = _LIST_BEFORE.search(text, max(0, start - 8), start)
    return before is not None and before.start() in ends


class MunicipalityRecognizer(FrenchRecognizer):
    """Gazetteer recognizer over one Aho-Corasick automaton."""

    def __init__(
        self,
        *,
        communes: Iterable[tuple[str, str, int | None]],
        ambiguous: frozenset[str],
        common_words: frozenset[str],
        evidence_before: tuple[str, ...],
        score: float,
        ambiguous_score: float,
        dateline_months: tuple[str, ...] = (),
        residence_verbs: tuple[str, ...] = (),
        residence_verbs_bare: tuple[str, ...] = (),
        first_names: frozenset[str] = frozenset(),
        blocked_words: frozenset[str] = frozenset(),
        supported_language: str = "fr",
    ) -> None:
        phrases = []
        for name, _code, _population in communes:
            for variant, kind in commune_variants(name):
                phrases.append((variant, (variant, kind)))
        self.index: PhraseIndex[tuple[str, str]] = PhraseIndex(phrases)
        self.ambiguous = {fold_key(a) for a in ambiguous}
        self.common_words = common_words
        evidence = sorted({fold_key(e) for e in evidence_before}, key=len, reverse=True)
        self._evidence = re.compile(r"(?:^|[\s'’(])(?:" + "|".join(re.escape(e) for e in evidence) + r")[\s'’]*$")
        self._contraction = re.compile(r"(?:^|\s)(?:du|au|des|aux)\s+$")
        months = "|".join(re.escape(m) for m in sorted(dateline_months, key=len, reverse=True)) or "(?!)"
        self._dateline = re.compile(
            rf"[ \t]*,[^\n]{{0,80}}?(?<!\w)(?:\d{{1,2}}(?:er)?[ \t]+(?i:{months})[ \t]+\d{{4}}"
            rf"|\d{{1,2}}[/.]\d{{1,2}}[/.]\d{{2,4}})(?!\w)")
        self._lives_in = _residence(residence_verbs, residence_verbs_bare)
        self.first_names = {fold(n) for n in first_names}
        self.blocked = {fold(w) for w in blocked_words}
        self.score = score
        self.ambiguous_score = ambiguous_score
        super().__init__(supported_entities=["MUNICIPALITY"], supported_language=supported_language,
                         name="MunicipalityRecognizer")

    def load(self) -> None:
        pass

    def _is_ambiguous(self, surface: str) -> bool:
        key = fold_key(surface)
        if key in self.ambiguous or len(key) <= 2:
            return True
        return surface.lower() in self.common_words or key in self.common_words

    def analyze(self, text: str, entities: list[str], nlp_artifacts: Any = None) -> list[RecognizerResult]:
        place_entities = []
        if nlp_artifacts is not None:
            place_entities = [(e.start_char, e.end_char) for e in nlp_artifacts.entities
                              if e.label_ in {"LOCATION", "LOC", "MUNICIPALITY"}]
        results = []
        matches = list(self.index.find(text))
        # where a commune sure of itself starts: a word-commune beside it in a list is one too
        sure = [m for m in matches if not self._is_ambiguous(text[m.start:m.end]) and text[m.start].isupper()]
        starts, ends = {m.start for m in sure}, {m.end for m in sure}
        for match in matches:
            surface = text[match.start:match.end]
            if not surface[:1].isupper():
                continue
            if not any(_same_capitals(surface, variant) for variant, _kind in match.payloads):
                continue
            before = fold(text[max(0, match.start - 20):match.start])
            kinds = {kind for _variant, kind in match.payloads}
            contracted = "full" not in kinds
            if contracted and not self._contraction.search(before):
                continue
            if feast_day(text, match.start):
                continue  # "la fête de la Saint-Jean": a saint's day, not the commune Saint-Jean
            ambiguous = self._is_ambiguous(surface)
            score = self.score
            if ambiguous and _SIGNED_BEFORE.search(text, max(0, match.start - 60), match.start) \
                    and _LINE_END.match(text, match.end):
                results.append(make_result("MUNICIPALITY", match.start, match.end, self.ambiguous_score,
                                           rule_id=SIGNED, recognizer=self.name))
                continue  # "Jean-Marc R., Ballots": a letter's signature
            if ambiguous and in_title_case_line(text, match.start, match.end):
                continue  # "Fin De La Réunion": a heading's words
            if ambiguous and _ARTICLE_BEFORE.search(before):
                continue  # "à la Place", "dans le Bois": the common noun, the commune has no article
            if ambiguous:
                by_ner = any(s <= match.start and match.end <= e for s, e in place_entities)
                # "au Mans", "des Sables-d'Olonne": the article the name has lost is its evidence
                by_word = (contracted or bool(self._evidence.search(before))) and not sentence_initial(
                    text, match.start) and not _HAS_BEFORE.search(before)
                if _at_line_start(text, match.start) and self._dateline.match(text, match.end):
                    results.append(make_result("MUNICIPALITY", match.start, match.end, self.ambiguous_score,
                                               rule_id=DATELINE, recognizer=self.name))
                    continue
                listed = _in_list_with(text, match.start, match.end, starts, ends)
                if not (by_word or listed or (by_ner and not sentence_initial(text, match.start))):
                    continue
                score = self.ambiguous_score
            start = _with_capital_article(text, match.start)
            results.append(make_result("MUNICIPALITY", start, match.end, score,
                                       rule_id="fr.municipality.gazetteer", recognizer=self.name))
        return results + self._residences(text, results)

    def _residences(self, text: str, found: list[RecognizerResult]) -> list[RecognizerResult]:
        """A capitalised name after a verb of residence ("j'habite à Kervagnac", "née à La
        Trémouzière"): a commune the gazetteer may not know (``fr.municipality.lives_in``)."""
        if self._lives_in is None:
            return []
        out = []
        for match in self._lives_in.finditer(text):
            start, end = match.span("name")
            words = re.split(r"[\s'’-]+", fold(text[start:end]))
            head = words[1] if words[0] in {"le", "la", "les", "l"} and len(words) > 1 else words[0]
            if head in self.first_names or head in self.blocked or (len(words) == 1 and head in self.common_words):
                continue  # "elle vit à Marie... ", "on est à Noël": a person, a feast, a word
            if in_title_case_line(text, start, end) or any(r.start <= start < r.end for r in found):
                continue
            out.append(make_result("MUNICIPALITY", start, end, self.ambiguous_score,
                                   rule_id=LIVES_IN, recognizer=self.name))
        return out
