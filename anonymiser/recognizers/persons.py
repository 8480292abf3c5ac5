"""French person names: civility + surname, first name + surname, initials, speaker turns,
first names alone (lexicon with gender), upper-case surnames and particles."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection
from typing import Any

from presidio_analyzer import RecognizerResult

from anonymiser.config.persons import PersonForms
from anonymiser.recognizers.base import FrenchRecognizer, make_result
from anonymiser.recognizers.lexical import (
    CAP,
    CAPS,
    INITIALS,
    LOWER,
    SP,
    UPPER,
    alternation,
    in_title_case_line,
    sentence_initial,
)
from anonymiser.recognizers.person_forms import SpeechCues
from anonymiser.text.fold import fold

# words around a first name that is also a common word and is spoken of as a person
_TIME_BEFORE = re.compile(r"(?<![\w'’])(?:à|a|pour|avant|après|depuis|dès|vers|de|la|le)[ \t]+$", re.IGNORECASE)
_PERSON_BEFORE = frozenset({"c'est", "c’est", "dont", "avec", "et", "par", "pour", "chez", "que", "qu'", "à", "voir",
                            "appelle", "connais", "connaît", "demande", "demandé", "dit", "moi", "toi", "lui", "elle"})
_PERSON_AFTER = frozenset({",", "qui", "et", "a", "avait", "est", "était", "nous", "me", "m'", "m’", "lui", "elle",
                           "il", "dit", "fait", "vient", "venait", "sait", "pense"})
_APPOSED_BEFORE = re.compile(r",[ \t]*$")
_APPOSED_AFTER = re.compile(r"[ \t]*(?:[,.;:!?)]|$)", re.MULTILINE)


def _in_apposition(text: str, start: int, end: int, name_ends: Collection[int]) -> bool:
    """A first name set off by commas right after a detected name: "Mme Da Costa, Rosa,"."""
    before = _APPOSED_BEFORE.search(text, max(0, start - 4), start)
    return (before is not None and before.start() in name_ends
            and _APPOSED_AFTER.match(text, end) is not None)


_SPEAKER_INITIALS = re.compile(r"^(?:(?:[A-Z]\.-?){2,3}|[A-Z]{2,3})$")  # "M.D.", and without dots "CV"
# the rest of a label's line in capitals, two words or more and ten capitals or more: a heading's
# subtitle ("BRIVE SOLIDAIRE : UN REPAS POUR TOUS"), not a speaker's "OK OK" or "NON NON NON"
_CAPITALS_AFTER = re.compile(r"[ \t]*(?=(?:[^\n]*?[A-ZÀ-Þ]{3}){2})(?=(?:[^\n]*?[A-ZÀ-Þ]){10})[^a-zß-ÿœ\n]+$",
                             re.MULTILINE)
_DOTTED = re.compile(r"\(((?:[A-Z]\.[ \t]?){1,3}[A-Z]\.)\)")
_ALIAS = re.compile(r"[ \t]*\(((?:[A-Z]\.[ \t]?){2,4}|[A-Z]{2,4})\)")
HS = r"[ \t\u00a0\u202f]*"  # horizontal space: a name never runs on to the next line
_CHEZ = re.compile(rf"(?<![\w'’-])chez[ \t]+(?P<name>{CAP}(?:[ \t]{CAP})?)(?![\w'’-])")
_FAMILY = re.compile(rf"(?<![\w'’-])(?P<chez>chez[ \t]+)?(?:[Ll]es|des|aux)[ \t]+"
                     rf"(?P<name>(?P<particle>(?:Le|La|Du|Da|Di|Van|Mac)[ \t]+)?(?P<last>{CAP}))(?![\w'’-])")
_SAINT = re.compile(r"(?:Saint|Sainte|St|Ste)-")
_ARTICLE_BEFORE = re.compile(r"(?<![\w'’-])(?:[Ll][ea]s?|[Ll]['’]|[Dd]u|[Dd]es|[Aa]ux?|[Uu]ne?)[ \t]*$")
_THEY = re.compile(r",?[ \t]+(?:ils|elles)[ \t]+(?![\w'’]*y\b)")
_PRONOUNS = frozenset({"nous", "vous", "moi", "toi", "lui", "elle", "eux", "elles", "soi"})


class FrenchPersonRecognizer(FrenchRecognizer):
    """Rule-based PERSON recognizer; civilities stay outside the span.

    ``first_names`` maps a first name to its gender; ``common_words`` (lower case) marks
    first names or surnames that are also ordinary words and need more evidence.
    """

    def __init__(
        self,
        *,
        first_names: dict[str, str],
        civilities: tuple[str, ...],
        particles: tuple[str, ...],
        interviewer_labels: frozenset[str],
        scores: dict[str, float],
        common_words: frozenset[str] = frozenset(),
        blocked_words: frozenset[str] = frozenset(),
        generic_acronyms: frozenset[str] = frozenset(),
        function_words: tuple[str, ...] = (),
        events: frozenset[str] = frozenset(),
        business_words: frozenset[str] = frozenset(),
        surnames: frozenset[str] = frozenset(),
        titles: frozenset[str] = frozenset(),
        forms: PersonForms | None = None,
        supported_language: str = "fr",
    ) -> None:
        self._cues = SpeechCues(forms, strong=lambda w: not self._is_common(w)) if forms is not None else None
        # a title in apposition after a first name that is also a word ("Olivier, professeur de ...")
        self._title_after = re.compile(
            rf",[ \t]+(?:(?:le|la|l['’]|notre|leur|son|sa)[ \t]*)?(?i:{alternation(sorted(titles))})(?![\w'’-])") \
            if titles else None
        self.surnames = {fold(n) for n in surnames}
        # a shop or a body just before "chez" says the name is a business's ("la boucherie où on
        # allait chez Bouvier")
        self._business = re.compile(rf"(?<![\w'’-])(?i:{alternation(sorted(business_words))})s?(?![\w'’-])") \
            if business_words else None
        self.events = {fold(w) for w in events}
        self.first_names = {fold(n) for n in first_names}
        self.common_words = common_words
        self.blocked = {fold(w) for w in blocked_words} | {fold(w) for w in interviewer_labels}
        self.generic_acronyms = generic_acronyms  # "- FDVA : le dossier a été refusé": a scheme, no speaker
        self.interviewer_labels = {fold(w) for w in interviewer_labels}
        self.scores = scores
        self.function_words = {w.lower() for w in function_words}
        civ = alternation(civilities)
        part = alternation(p for p in particles)
        surname = rf"(?:(?:{part})(?:{SP}|(?<=['’]))){{0,2}}(?:{CAP}|{CAPS})"
        first = rf"(?:{CAP}|{CAPS})"
        self._civility = re.compile(rf"(?<![\w.])(?:{civ})\.?{SP}(?P<name>(?:{first}{SP})?{surname}(?:-{CAP})?)")
        # a careless transcript writes the name after a civility in lower case ("madame konaté"):
        # the civility in full, then no French word
        self._civility_lower = re.compile(rf"(?<![\w.])(?i:madame|monsieur|mademoiselle){SP}"
                                          rf"(?P<name>[{LOWER}][{LOWER}-]{{2,}})(?![\w'’-])")
        self._full2 = re.compile(rf"(?<![\w'’])(?P<first>{first}{SP}{first}){SP}(?P<last>{surname}(?:{SP}{CAPS})?)")
        self._full = re.compile(rf"(?<![\w'’])(?P<first>{first}){SP}(?P<last>{surname}(?:{SP}{CAPS})?)")
        self._initials = re.compile(rf"(?<![\w.])(?P<init>{INITIALS}){HS}(?P<last>{surname})")
        self._token = re.compile(rf"(?<![\w'’-])(?:{CAP}|{CAPS})(?![\w'’-])")
        # a turn: [timestamp] [bullet] Name (tag) :  or  [Name]  or  L.A. :  or  Vijay M. :
        self._speaker = re.compile(
            rf"^[ \t]*(?:[\[(]?\d{{1,2}}:\d{{2}}(?::\d{{2}})?[\])]?{HS})?(?:[-–•*]{HS})?(?P<open>\[)?(?P<bold>\*\*|__)?"
            rf"(?P<civ>(?:{civ})\.?{SP})?"
            rf"(?P<name>(?:{INITIALS}{HS})?(?:{first}|{surname})(?:[ \t-](?:{part}{SP})?(?:{first}|{CAPS}))?"
            rf"(?:{SP}{INITIALS})?|{INITIALS})(?(bold)(?:\*\*|__))"
            rf"(?(open)\]|{HS}(?:\([^)\n]{{0,40}}\))?{HS}(?::|\.{HS}[—–-]|[ \t][—–][ \t]))",
            re.MULTILINE,
        )
        self._civilities_folded = {fold(c).rstrip(".") for c in civilities}
        super().__init__(supported_entities=["PERSON", "ORGANIZATION"], supported_language=supported_language,
                         name="FrenchPersonRecognizer")

    def load(self) -> None:
        pass

    # -- helpers -------------------------------------------------------------------------
    def _is_first_name(self, token: str) -> bool:
        return fold(token) in self.first_names or all(
            fold(part) in self.first_names for part in token.split("-") if part
        )

    def _is_common(self, token: str) -> bool:
        return token.lower() in self.common_words or fold(token) in self.blocked

    def _surname_end(self, text: str, start: int, last: str) -> int | None:
        """End of the surname: cut before a blocked word ("Kerleau du CCAS" -> "Kerleau")."""
        end = start
        for word in re.finditer(r"\S+", last):
            token = word.group(0)
            if fold(token) in self.blocked:
                break
            end = start + word.end()
        if end == start:
            return None
        surface = text[start:end]
        tail = surface.split()[-1]
        if tail.lower() in self.function_words or (tail[:1].islower()):
            # never end on a particle
            surface = surface[: surface.rfind(" ")] if " " in surface else ""
            end = start + len(surface)
        return end if end > start else None

    def _score(self, rule: str) -> float:
        return self.scores.get(rule, 0.8)

    def _result(self, start: int, end: int, rule: str) -> RecognizerResult:
        return make_result("PERSON", start, end, self._score(rule), rule_id=rule, recognizer=self.name)

    # -- analysis ------------------------------------------------------------------------
    def analyze(self, text: str, entities: list[str], nlp_artifacts: Any = None) -> list[RecognizerResult]:
        results: list[RecognizerResult] = []
        results += self._civility_names(text)
        full = self._full_names(text)
        results += full
        results += self._initial_names(text)
        results += self._speakers(text)
        # first names the text also says with a surname ("Pierre Lambert"): "Pierre a dit" opens a sentence
        named = {fold(re.split(r"[\s-]", text[r.start:r.end])[0]) for r in full}
        results += self._lone_first_names(text, {r.end for r in results}, named, full)
        results += self._initials_aliases(text, results)
        results += self._after_chez(text)
        results += self._families(text)
        return results

    def _families(self, text: str) -> list[RecognizerResult]:
        """A family by its surname in the plural ("les Le Bris", "chez les Quéméner", "des Martin"):
        a surname of the lexicon that is no French word, or any capitalised name after a particle,
        after "chez les" or taken up by "ils" ("les Castagnet ils sont d'ici")."""
        out = []
        for match in _FAMILY.finditer(text):
            last = match.group("last")
            if fold(last) in self.blocked or (self._is_common(last) and not match.group("particle")):
                continue  # "les Jardins"; but "les Le Bris": a particle says a surname
            # "les Castagnet ils sont là depuis toujours": a plural pronoun takes up a family; a
            # people's name takes the plural's s ("les Lyonnais ils"), a surname does not
            taken_up = _THEY.match(text, match.end()) is not None and not last.endswith(("s", "x"))
            if match.group("particle") or match.group("chez") or fold(last) in self.surnames or taken_up:
                out.append(self._result(match.start("name"), match.end("name"), "fr.person.family"))
        return out

    def _after_chez(self, text: str) -> list[RecognizerResult]:
        """A capitalised name after "chez" ("le fromage de chez Colin", "on va chez Jacquot"): a
        home or a business is said by whose it is; a function word or a head is no name."""
        out = []
        for match in _CHEZ.finditer(text):
            name = match.group("name")
            if any(fold(w) in self.blocked or w.lower() in self.function_words or fold(w) in _PRONOUNS
                   for w in name.split()):
                continue
            result = self._result(match.start("name"), match.end("name"), "fr.person.chez")
            if self._business is not None and self._business.search(text, max(0, match.start() - 40), match.start()):
                result.entity_type = "ORGANIZATION"
            out.append(result)
        return out

    def _initials_aliases(self, text: str, names: list[RecognizerResult]) -> list[RecognizerResult]:
        """Initials that a text gives a named person and then uses for them: "Marc Tellier (MT)"
        or "(M. T.)" makes every "MT" (or "M. T.") of the text this person."""
        aliases = set()
        for name in names:
            said = text[name.start:name.end]
            rule = (name.recognition_metadata or {}).get("rule_id")
            if _SPEAKER_INITIALS.match(said) and rule == "fr.person.speaker":
                aliases.add(said)  # "M.D. :" speaks, and "Participante : M.D. (coordinatrice)", "CV = …" is the same
            match = _ALIAS.match(text, name.end) if text.find("(", name.end, name.end + 3) >= 0 else None
            if match is None:
                continue
            initials = "".join(w[0] for w in re.split(r"[\s-]+", text[name.start:name.end]) if w[:1].isupper())
            if re.sub(r"[^A-Z]", "", match.group(1)) == initials.upper():
                aliases.add(match.group(1).strip())
        found = [self._result(m.start(), m.end(), "fr.person.initials_alias")
                 for alias in sorted(aliases)
                 for m in re.finditer(rf"(?<![\w.]){re.escape(alias)}(?![\w])", text)]
        # dotted initials in brackets stand for a person even when their name is not given: "(G. E.)"
        found += [self._result(m.start(1), m.end(1), "fr.person.initials_bracket")
                  for m in _DOTTED.finditer(text)]
        return found

    def _civility_names(self, text: str) -> list[RecognizerResult]:
        out = [self._result(m.start("name"), m.end("name"), "fr.person.civility_surname")
               for m in self._civility_lower.finditer(text)
               if not self._is_common(m.group("name")) and m.group("name") not in self.function_words]
        for match in self._civility.finditer(text):
            name = match.group("name")
            tokens = name.split()
            if fold(tokens[-1]) in self.blocked:
                continue
            out.append(self._result(match.start("name"), match.end("name"), "fr.person.civility_surname"))
        return out

    def _feast_day(self, text: str, word: str, start: int) -> bool:
        """A feast day's name after a time or place word ("à Noël", "le marché de Noël")."""
        return fold(word) in self.events and _TIME_BEFORE.search(text, max(0, start - 12), start) is not None

    def _full_names(self, text: str) -> list[RecognizerResult]:
        out = []
        for token in self._token.finditer(text):
            match = self._full2.match(text, token.start())
            if not match or not all(self._is_first_name(t) for t in match.group("first").split()):
                match = self._full.match(text, token.start())
            if not match:
                continue
            first, last = match.group("first"), match.group("last")
            first_tokens = re.split(r"[\s-]", first)
            if not self._is_first_name(first_tokens[0]):
                continue
            if fold(first_tokens[0]) in self.blocked:
                continue
            if first_tokens[0].lower() in self.function_words:
                continue
            if self._feast_day(text, first_tokens[0], match.start()):
                continue  # "le marché de Noël de Pamiers": a feast day and where, not Noël the man
            if _SAINT.match(first):
                continue  # "Sainte-Bazeille Beaupuy": communes, no first name of a saint's
            end = self._surname_end(text, match.start("last"), last)
            if end is None:
                continue
            words = [first_tokens[0], *text[match.start("last"):end].split()]
            if all(self._is_common(w) for w in words) and in_title_case_line(text, match.start(), end):
                continue  # "Une Maison De Santé Pluridisciplinaire": a heading's words (not "Prudence Gachet")
            out.append(self._result(match.start(), end, "fr.person.first_last"))
        return out

    def _initial_names(self, text: str) -> list[RecognizerResult]:
        out = []
        for match in self._initials.finditer(text):
            init, last = match.group("init"), match.group("last")
            if fold(init).rstrip(".") in self._civilities_folded:
                continue
            last_word = last.split()[-1]
            if not last_word.isupper() and self._is_common(last_word):
                continue
            out.append(self._result(match.start(), match.end(), "fr.person.initial_surname"))
        return out

    def _speakers(self, text: str) -> list[RecognizerResult]:
        """Speaker labels. A label is a name with evidence of its own (a first name, an upper-case
        word, initials, a civility), or any label that opens two turns or more of the text: a name
        the lexicon does not know is still a speaker when it keeps speaking."""
        candidates = []
        # a text written in capitals says nothing by its capitals
        headings_in_capitals = sum(c.islower() for c in text) > sum(c.isupper() for c in text)
        for match in self._speaker.finditer(text):
            name = match.group("name").strip()
            tokens = name.split()
            if fold(tokens[0]).rstrip(".") in self.interviewer_labels or fold(name) in self.interviewer_labels:
                continue
            if all(t in self.generic_acronyms for t in tokens):
                continue
            if len(tokens) > 1 and fold(tokens[0]) in _GENERIC_SPEAKER:
                continue  # "UNE HABITANTE :", "Un élu :": who speaks, not a name
            if all(self._is_common(t) and not t.isupper() for t in tokens):
                # a first name that is also a word ("Gilles", "Olivier") speaks when a tag in
                # brackets says who it is or when it opens two turns or more; a word alone never
                if any(self._is_first_name(t) for t in tokens):
                    # a tag in brackets, or a blog comment's author in bold ("**Gilles** —")
                    tagged = "(" in text[match.end("name"):match.end()] or bool(match.group("bold"))
                    candidates.append((match.start("name"), match.start("name") + len(name), fold(name), tagged))
                continue
            if headings_in_capitals and _CAPITALS_AFTER.match(text, match.end()):
                continue  # "BRIVE SOLIDAIRE : UN REPAS POUR TOUS": a heading and its subtitle
            # "Corpus TERR-COOP — entretien 21": an ordinary word before an upper-case code is a title
            worded = self._is_common(tokens[0]) and not tokens[0].isupper() and not self._is_first_name(tokens[0]) \
                and fold(tokens[0]) not in self.surnames
            evidence = (
                any(self._is_first_name(t) and not self._is_common(t) for t in tokens)
                # in brackets, a word in capitals alone is a heading's as much as a name ("[ÉDITO]")
                or any(t.isupper() and len(t) > 2 and not self._is_common(t) and not worded
                       and not (match.group("open") and len(tokens) == 1 and fold(t) not in self.surnames)
                       for t in tokens)
                or bool(re.match(INITIALS, tokens[0]))
                or bool(match.group("civ"))
            )
            candidates.append((match.start("name"), match.start("name") + len(name), fold(name), evidence))
        turns = Counter(key for _s, _e, key, _ev in candidates)
        return [self._result(start, end, "fr.person.speaker")
                for start, end, key, evidence in candidates if evidence or turns[key] >= 2]

    def _said_of_a_person(self, text: str, start: int, end: int) -> bool:
        """A capitalised word between words that speak of a person: "c'est Clémence qui", "avec
        Rose et", "dont Claire," (not "la Marine", "en France": a determiner makes it a noun)."""
        before = re.search(r"([\w'’]+)[ \t]+$", text[max(0, start - 25):start])
        after = re.match(r"[ \t]*(,|[\w'’]+)", text[end:end + 20])
        if not before or not after or sentence_initial(text, start):
            return False
        if self._cues is not None and self._cues.beside_other_names(text, start, end, self._is_first_name):
            return False  # "à Florence et Rome": places
        if before.group(1).lower() in {"c'est", "c’est"} and after.group(1).lower() in {"le", "la"}:
            return True  # "c'est Olivier le président"
        return before.group(1).lower() in _PERSON_BEFORE and after.group(1).lower() in _PERSON_AFTER

    def _lone_first_names(self, text: str, name_ends: Collection[int] = (), named: Collection[str] = (),
                          full: Collection[RecognizerResult] = ()) -> list[RecognizerResult]:
        """First names of the lexicon; one that is also a word needs a name beside it, words
        that speak of a person around it, or a named person it stands in apposition to
        ("Mme Da Costa, Rosa, s'en occupe"), a filler before it ("euh Pierre il a") or other
        first names it is coordinated with ("Paul, Marie et Chloé"); at a sentence's start, the
        same first name with a surname elsewhere in the text ("Pierre Lambert… Pierre a dit")."""
        cues = self._cues
        full_starts = {r.start for r in full}
        out = []
        for token in self._token.finditer(text):
            word = token.group(0)
            if not self._is_first_name(word) or fold(word) in self.blocked or _SAINT.match(word):
                continue
            if word.lower() in self.function_words:
                continue
            if self._feast_day(text, word, token.start()):
                continue  # "à Noël", "depuis la Toussaint": a feast day, not Noël the man
            if word.isupper() and (len(word) <= 3 or _ARTICLE_BEFORE.search(text, max(0, token.start() - 6),
                                                                         token.start())):
                continue  # "la CUMA", "du CCAS": an acronym after an article is a body's
            if _DISLOCATED.match(text, token.end()) and sentence_initial(text, token.start()) \
                    and not in_title_case_line(text, token.start(), token.end()):
                # "Capucine elle a trois ans": a bare noun opens no clause taken up by "elle"
                out.append(self._result(token.start(), token.end(), "fr.person.first_name"))
                continue
            if self._title_after is not None and self._title_after.match(text, token.end()) \
                    and not in_title_case_line(text, token.start(), token.end()):
                # "Olivier, professeur de mécanique": a title in apposition says a person
                out.append(self._result(token.start(), token.end(), "fr.person.first_name"))
                continue
            if self._is_common(word) and (sentence_initial(text, token.start())
                                          or in_title_case_line(text, token.start(), token.end())):
                if cues is None or in_title_case_line(text, token.start(), token.end()) or not (
                        (fold(word) in named and token.start() not in full_starts
                         and cues.opens_as_a_name(text, token.end())) or cues.aged(text, token.end())
                        or cues.coordinated(text, token.start(), token.end(), self._is_first_name,
                                            strong=lambda w: not self._is_common(w) and self._is_first_name(w))):
                    continue  # "Bienvenue Aux Nouveaux Habitants": a heading's word
                out.append(self._result(token.start(), token.end(), "fr.person.first_name"))
                continue
            if word.lower() in self.common_words and not word.isupper():
                # a first name that is also a word ("Rose", "Pierre", "Clémence"): next to a name,
                # or where a person is spoken of ("c'est Clémence qui", "dont Clémence,")
                nxt = text[token.end(): token.end() + 2]
                if not re.match(rf"\s[{UPPER}]", nxt) and not self._said_of_a_person(text, token.start(), token.end()) \
                        and not _in_apposition(text, token.start(), token.end(), name_ends) and not (
                            cues is not None and (cues.after_filler(text, token.start(), token.end())
                                                  or cues.aged(text, token.end())
                                                  or cues.coordinated(text, token.start(), token.end(),
                                                                      self._is_first_name))):
                    continue
            out.append(self._result(token.start(), token.end(), "fr.person.first_name"))
        return out


# a speaker said by a determiner and a noun is a kind of person, never a name
_GENERIC_SPEAKER = frozenset({"un", "une", "le", "la", "les", "l'", "des", "plusieurs", "autre", "deux", "trois",
                              "quelques", "certains", "certaines", "tous", "toutes"})
# spoken French takes up a name at a clause's start with a pronoun ("Capucine elle a trois ans",
# "Pierre, lui, il compte"), or has it report speech to the speaker ("Olive m'a dit que…")
_DISLOCATED = re.compile(
    r"[ \t]*(?:,?[ \t]+(?:il|elle)[ \t]+(?:[a-zà-ÿœ]|[nmlst]['’]|y[ \t])"
    r"|,[ \t]*(?:lui|elle|eux)[ \t]*,"
    r"|[ \t]+(?:m['’]|nous[ \t]+|t['’])(?:a|avait)[ \t]+(?:dit|raconté|expliqué|appris|demandé|proposé|"
    r"montré|présenté|prévenu|prévenue|appelé|appelée|écrit|envoyé|conseillé|répondu)\b)")


__all__ = ["FrenchPersonRecognizer", "LOWER"]
