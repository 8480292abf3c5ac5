"""How speech names people without a full name (rules in ``rules/persons.yaml``, section
``forms``):

- ``fr.person.familiar``: a kin or familiar word before a name ("la mère Michaud", "le père
  Fournier", "tonton Marcel"), an endearing one before a first name ("la petite Léa"), or a
  first name said by a doubled syllable ("Jojo", "Dédé");
- ``fr.person.nickname``: a nickname given to someone ("surnommé Tintin", "Albert qu'on appelle
  Bébert", "Marius dit « la Puce »"), and the name it is given to;
- ``fr.person.first_initial``: a first name and the initial of a surname ("Sophie L.");
- ``fr.person.signature``: a line of initials alone, that signs a text ("M.-L. G.");
- ``fr.person.lower_first_name``: a careless transcript's first name in lower case, when it is no
  ordinary word and speech shows a person: two first names joined ("jean-luc"), a clause taken
  up by a pronoun ("jérémy il bosse"), a person in apposition ("jérémy, un développeur") or first
  names coordinated ("lucas et inès"); and a family by its surname in lower case after a plural
  article ("les vidal", "chez les garcia"), when the lexicon has the surname and it is no word
  (``fr.person.family``, as in capitals).

The article before a name or a nickname stays out of the span ("le Grand Jojo": "Grand Jojo").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping
from typing import Any

from presidio_analyzer import RecognizerResult

from anonymiser.config.persons import PersonForms
from anonymiser.recognizers.base import FrenchRecognizer, make_result
from anonymiser.recognizers.lexical import CAP, LOWER, SP, UPPER, alternation, sentence_initial
from anonymiser.text.fold import fold

FAMILIAR = "fr.person.familiar"
NICKNAME = "fr.person.nickname"
FIRST_INITIAL = "fr.person.first_initial"
SIGNATURE = "fr.person.signature"
LOWER_FIRST = "fr.person.lower_first_name"
FAMILY = "fr.person.family"
_SIGNATURE = re.compile(rf"^[ \t]*(?P<init>[{UPPER}]\.(?:-?[{UPPER}]\.)?(?:[ \t]?-?[{UPPER}]\.){{1,2}})[ \t]*$",
                        re.MULTILINE)
_ARTICLE = r"(?:(?:le|la|les|l['’])(?:[ \t]+|(?<=['’])))"
_OPEN_QUOTE = r"(?:«[ \t\u00a0\u202f]*|[\"“][ \t]*)"
_CLOSE_QUOTE = r"[ \t\u00a0\u202f]*[»\"”]"
_NAME = rf"{CAP}(?:{SP}{CAP}){{0,2}}"
_BEFORE_WORD = re.compile(r"([\w'’-]+)[ \t,]*$")
_DOUBLED = re.compile(rf"(?<![\w'’-])(?=[{UPPER}])(?i:(?P<syllable>[^\W\d_]{{2,3}})(?P=syllable))(?![\w'’-])")
_NAME_BEFORE = re.compile(rf"(?<![\w'’-])({CAP})[ \t]*,?[ \t]*$")


class PersonFormsRecognizer(FrenchRecognizer):
    """Familiar forms, nicknames and first names with an initial (see the module's doc)."""

    def __init__(self, *, forms: PersonForms, first_names: Mapping[str, int], surnames: Mapping[str, int],
                 common_words: frozenset[str], blocked_words: Collection[str], not_after: Collection[str] = (),
                 scores: Mapping[str, float] | None = None, supported_language: str = "fr") -> None:
        """``first_names`` and ``surnames`` map a folded name to its rank (1 = the most given)."""
        self.forms = forms
        self.first_names, self.surnames = dict(first_names), dict(surnames)
        self.common_words = common_words
        self.blocked = {fold(w) for w in blocked_words}
        self.not_after = {fold(w).rstrip("'’") for w in (*forms.nickname_not_after, *not_after)}
        self.scores = dict(scores or {})
        self._familiar = self._marked(forms.kin_markers, forms.endearing_markers)
        short = [*forms.short_forms, *(w.upper() for w in forms.short_forms)]
        self._short = re.compile(rf"(?<![\w'’-]){alternation(short)}(?![\w'’-])") if short else None
        self._not_signatures = {re.sub(r"\s", "", w) for w in forms.signature_not}
        self._nickname = self._verbs(forms.nickname_verbs, quoted_only=False)
        self._weak_nickname = self._verbs(forms.nickname_weak_verbs, quoted_only=False)
        self._said_nickname = self._verbs(forms.nickname_after_name, quoted_only=True)
        self._initial = re.compile(
            rf"(?<![\w'’.-])(?P<first>{CAP})[ \t\u00a0](?P<init>[{UPPER}]\.(?:-[{UPPER}]\.)?)(?![\w'’-])")
        super().__init__(supported_entities=["PERSON"], supported_language=supported_language,
                         name="PersonFormsRecognizer")

    def load(self) -> None:
        pass

    @staticmethod
    def _marked(kin: tuple[str, ...], endearing: tuple[str, ...]) -> re.Pattern[str] | None:
        words = [*(f"K{w}" for w in kin), *(f"E{w}" for w in endearing)]
        if not words:
            return None

        def group(kind: str, items: tuple[str, ...]) -> str:
            return rf"(?P<{kind}>{alternation(items)})" if items else "(?!)"
        # the marker may open a sentence ("La mère Michaud"): its first letter is either case; a
        # careless transcript writes the name in lower case ("la mère jamet")
        return re.compile(rf"(?<![\w'’-])(?i:{group('kin', kin)}|{group('dear', endearing)})"
                          rf"{SP}(?P<name>{CAP}|(?P<lower>[{LOWER}][{LOWER}-]{{2,}}))(?![\w'’-])")

    @staticmethod
    def _verbs(verbs: tuple[str, ...], *, quoted_only: bool) -> re.Pattern[str] | None:
        if not verbs:
            return None
        return re.compile(rf"(?<![\w'’-])(?i:{alternation(verbs)}){SP}(?P<open>{_OPEN_QUOTE})?"
                          rf"(?:{_ARTICLE})?(?P<name>{_NAME})(?(open){_CLOSE_QUOTE}|(?![\w'’-]))")

    def _score(self, rule: str) -> float:
        return self.scores.get(rule, 0.85)

    def _result(self, start: int, end: int, rule: str) -> RecognizerResult:
        return make_result("PERSON", start, end, self._score(rule), rule_id=rule, recognizer=self.name)

    # -- evidence --------------------------------------------------------------------------
    def _word(self, token: str) -> bool:
        return token.lower() in self.common_words

    def _first_name(self, token: str, *, word_rank: int) -> bool:
        """A first name of the lexicon; one that is also a word up to ``word_rank`` only."""
        rank = self.first_names.get(fold(token))
        if rank is None and "-" in token:
            parts = [self.first_names.get(fold(p)) for p in token.split("-") if p]
            rank = max(parts) if parts and None not in parts else None  # type: ignore[type-var]
        if rank is None:
            return False
        return not self._word(token) or rank <= word_rank

    def _kin_name(self, token: str) -> bool:
        """After a kin word: a first name, a surname of the lexicon, or no ordinary word."""
        if self._first_name(token, word_rank=self.forms.max_word_rank):
            return True
        rank = self.surnames.get(fold(token))
        if rank is not None and (not self._word(token) or rank <= self.forms.max_surname_rank):
            return True
        return not self._word(token) and fold(token) not in self.first_names

    def _known(self, token: str) -> bool:
        """A name before "dit": a first name, or a word that is no ordinary word."""
        return self._first_name(token, word_rank=1 << 30) or not self._word(token)

    def _blocked(self, name: str) -> bool:
        return any(fold(w) in self.blocked for w in name.split())

    # -- analysis ---------------------------------------------------------------------------
    def analyze(self, text: str, entities: list[str], nlp_artifacts: Any = None) -> list[RecognizerResult]:
        return [*self._familiar_forms(text), *self._diminutives(text), *self._nicknames(text), *self._initials(text),
                *self._signatures(text), *self._lower_first_names(text), *self._lower_families(text)]

    def _lower_families(self, text: str) -> list[RecognizerResult]:
        """"les vidal", "des moreau", "chez les garcia": a surname of the lexicon that is no word."""
        return [self._result(m.start("name"), m.end("name"), FAMILY) for m in _LOWER_FAMILY.finditer(text)
                if fold(m.group("name")) in self.surnames and not self._word(m.group("name"))
                and fold(m.group("name")) not in self.blocked]

    def _lower_name(self, word: str) -> bool:
        """A first name of the lexicon in lower case that is no ordinary word nor blocked."""
        return not self._word(word) and fold(word) not in self.blocked and self._first_name(word, word_rank=0)

    def _lower_first_names(self, text: str) -> list[RecognizerResult]:
        """A careless transcript's first names in lower case, with what says a person (module's doc)."""
        out = []
        for match in _LOWER_TOKEN.finditer(text):
            word = match.group(0)
            if not self._lower_name(word) or _LOWER_DETERMINED.search(text, max(0, match.start() - 8), match.start()):
                continue  # "la france elle a changé": a determiner makes it a noun
            after = _LOWER_JOINED.match(text, match.end())
            before = _LOWER_JOINED_BEFORE.search(text, max(0, match.start() - 30), match.start())
            coordinated = any(m is not None and self._lower_name(m.group(1)) for m in (after, before))
            if "-" in word or _LOWER_TAKEN_UP.match(text, match.end()) or coordinated:
                out.append(self._result(match.start(), match.end(), LOWER_FIRST))
        return out

    def _signatures(self, text: str) -> list[RecognizerResult]:
        """A line of two or three initials alone signs a text ("M.-L. G.", "R. L."): its author."""
        return [self._result(m.start("init"), m.end("init"), SIGNATURE) for m in _SIGNATURE.finditer(text)
                if re.sub(r"\s", "", m.group("init")) not in self._not_signatures]

    def _diminutives(self, text: str) -> list[RecognizerResult]:
        """A first name said by a doubled syllable ("Jojo", "Dédé"), that is no word ("papa",
        "coco"), or one of the short forms of the rules ("Seb", "Nath"): a familiar form, wherever
        it stands, capitalised (or in upper case)."""
        out = []
        for match in _DOUBLED.finditer(text):
            word = match.group(0)
            if self._word(word) or self._blocked(word):
                continue
            out.append(self._result(match.start(), match.end(), FAMILIAR))
        for match in self._short.finditer(text) if self._short is not None else ():
            if not self._word(match.group(0)):
                out.append(self._result(match.start(), match.end(), FAMILIAR))
        return out

    def _familiar_forms(self, text: str) -> list[RecognizerResult]:
        out = []
        for match in self._familiar.finditer(text) if self._familiar is not None else ():
            name = match.group("name")
            if self._blocked(name):
                continue  # "le père Noël": a feast day's figure
            if match.group("lower"):
                # in lower case, after a kin word only, and no word of French: "la mère jamet", not
                # "le vieux garçon", "mon mari pascal"
                if match.group("kin") and not self._word(name):
                    out.append(self._result(match.start("name"), match.end("name"), FAMILIAR))
                continue
            known = self._kin_name(name) if match.group("kin") else \
                self._first_name(name, word_rank=self.forms.max_word_rank)
            if known:
                out.append(self._result(match.start("name"), match.end("name"), FAMILIAR))
        return out

    def _nicknames(self, text: str) -> list[RecognizerResult]:
        out = []
        for pattern, kind in ((self._nickname, "strong"), (self._weak_nickname, "weak"),
                              (self._said_nickname, "said")):
            for match in pattern.finditer(text) if pattern is not None else ():
                name, quoted = match.group("name"), bool(match.group("open"))
                before = _NAME_BEFORE.search(text, max(0, match.start() - 40), match.start())
                if self._blocked(name) and not quoted:
                    continue
                if kind == "said" and not quoted and (before is None or not self._known(before.group(1))):
                    continue  # "dit" after no name: "il a dit Paul viens"
                if kind != "strong":
                    word = _BEFORE_WORD.search(text, max(0, match.start() - 30), match.start())
                    if word is not None and fold(word.group(1)).rstrip("'’") in self.not_after:
                        continue  # "ce qu'on appelle la Politique de la ville": a term
                    named = before is not None and self._first_name(before.group(1), word_rank=1 << 30)
                    if kind == "weak" and not quoted and not named and all(
                            self._word(w) and fold(w) not in self.first_names for w in name.split()):
                        continue  # "qu'on appelle la Cité": an ordinary word, of no one named
                out.append(self._result(match.start("name"), match.end("name"), NICKNAME))
                if before is not None and self._first_name(before.group(1), word_rank=self.forms.max_word_rank) \
                        and not self._blocked(before.group(1)):
                    out.append(self._result(before.start(1), before.end(1), NICKNAME))  # who has the nickname
        return out

    def _initials(self, text: str) -> list[RecognizerResult]:
        out = []
        for match in self._initial.finditer(text):
            first = match.group("first")
            if self._blocked(first) or not self._first_name(first, word_rank=self.forms.max_word_rank):
                continue
            out.append(self._result(match.start(), match.end(), FIRST_INITIAL))
        return out


class SpeechCues:
    """Where speech says a first name that is also a word is a person's (``rules/persons.yaml``,
    section ``forms``): right after a filler ("euh Pierre il a"), in a coordination of first
    names ("avec Paul, Marie et Chloé"), or at a sentence's start when the text has the full name
    ("Pierre Lambert… Pierre a monté"). Used by ``FrenchPersonRecognizer``."""

    def __init__(self, forms: PersonForms, strong: Callable[[str], bool] = lambda _word: False) -> None:
        self._strong = strong
        self._filler = re.compile(rf"(?<![\w'’-])(?i:{alternation(forms.fillers)}),?[ \t]+$") \
            if forms.fillers else None
        self._not_after_filler = {w.lower() for w in forms.filler_not_before}
        self._place_before = re.compile(
            rf"(?<![\w'’-])(?i:{alternation(forms.coordination_not_after)})(?:[ \t]+|(?<=['’]))$") \
            if forms.coordination_not_after else None
        self._not_after_start = {w.lower() for w in forms.start_not_before}

    def after_filler(self, text: str, start: int, end: int) -> bool:
        """Right after a filler or a discourse marker, on the same line: "ben Rose elle"."""
        if self._filler is None or not self._filler.search(text, max(0, start - 20), start):
            return False
        return _next_word(text, end) not in self._not_after_filler  # "enfin Grâce à lui"

    def coordinated(self, text: str, start: int, end: int, first_name: Callable[[str], bool],
                    strong: Callable[[str], bool] | None = None) -> bool:
        """One of two first names or more joined by commas, "et" or "ou" ("Pierre et Rose",
        "Paul, Marie et Chloé"), not after a place word ("entre Florence et Lyon"); with
        ``strong``, one of them at least must be so (a first name that is no word)."""
        members = _coordination(text, start, end)
        if len(members) < 2 or not all(first_name(text[s:e]) for s, e in members):
            return False
        if sentence_initial(text, members[0][0]) and len(members) < 3:
            strong = strong or self._strong  # "Rose et Blanche sont des couleurs": a start's capital says nothing
        if strong is not None and not any(strong(text[s:e]) for s, e in members):
            return False
        first = members[0][0]
        return self._place_before is None or not self._place_before.search(text, max(0, first - 25), first)

    def beside_other_names(self, text: str, start: int, end: int, first_name: Callable[[str], bool]) -> bool:
        """Coordinated with a capitalised word that is no first name: "à Florence et Rome"."""
        return any(not first_name(text[s:e]) for s, e in _coordination(text, start, end))

    @staticmethod
    def aged(text: str, end: int) -> bool:
        """An age in apposition says a person: "Rose, 77 ans, tient la caisse"."""
        return _AGED.match(text, end) is not None

    def opens_as_a_name(self, text: str, end: int) -> bool:
        """What follows a word at a sentence's start is no preposition or article of its phrase."""
        return _next_word(text, end) not in self._not_after_start


# a word in lower case, or two joined ("jean-luc"): what a careless transcript's name looks like
_LOWER_NAME = rf"[{LOWER}]{{3,}}(?:-[{LOWER}]{{3,}})?"
_LOWER_TOKEN = re.compile(rf"(?<![\w'’-]){_LOWER_NAME}(?![\w'’-])")
# "jérémy il bosse", "jérémy, un développeur", "jérémy, elle"
_LOWER_TAKEN_UP = re.compile(r"[ \t]*(?:,[ \t]*)?(?:(?:il|elle)[ \t]+(?:[a-zà-ÿœ]|[nmlst]['’]|y[ \t])"
                             r"|,[ \t]*(?:un|une)[ \t]+[a-zà-ÿœ]{4,})")
_LOWER_FAMILY = re.compile(rf"(?<![\w'’-])(?i:les|des|aux)[ \t]+(?P<name>{_LOWER_NAME})(?![\w'’-])")
_LOWER_DETERMINED = re.compile(r"(?<![\w'’-])(?i:la|le|les|l['’]|en|au|aux|du|des|de|d['’]|un|une|ce|cette)"
                               r"(?:[ \t]+|(?<=['’]))$")
_LOWER_JOINED = re.compile(rf"[ \t]+et[ \t]+({_LOWER_NAME})(?![\w'’-])")
_LOWER_JOINED_BEFORE = re.compile(rf"(?<![\w'’-])({_LOWER_NAME})[ \t]+et[ \t]+$")
_AGED = re.compile(r"[ \t]*(?:,|\()[ \t]*\d{1,3}[ \t\u00a0]*ans\b")
_NEXT_WORD = re.compile(r"[ \t]*([\w]+['’]?)")
_MEMBER = rf"{CAP}"
_JOINT = r"(?:[ \t]*,[ \t]*|[ \t]+(?:et|ou)[ \t]+)"
_RUN = re.compile(rf"(?<![\w'’-]){_MEMBER}(?:{_JOINT}{_MEMBER})+(?![\w'’-])")


def _next_word(text: str, end: int) -> str:
    match = _NEXT_WORD.match(text, end)
    return match.group(1).lower() if match else ""


def _coordination(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The members of the coordination of capitalised words that holds ``[start, end)``."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    for run in _RUN.finditer(text, max(line_start, start - 120), min(line_end, end + 120)):
        if run.start() <= start and end <= run.end():
            return [(run.start() + m.start(), run.start() + m.end()) for m in re.finditer(_MEMBER, run.group(0))]
    return []
