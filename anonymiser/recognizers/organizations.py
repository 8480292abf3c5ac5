"""ORGANIZATION by head word or suffix over a capitalised name, whole name kept:
"Ville de Poitiers", "CCAS de Rezé", "Association Vélo Cité Angers", "Nantes Métropole";
then, with lower scores, acronyms that are not generic ("AMORCE") with their long form in
brackets beside them (``fr.org.long_form``), and runs of capitalised
words in mid-sentence ("Solaris Armor", "Transports Yonne Express")."""

from __future__ import annotations

import re
from typing import Any

from presidio_analyzer import RecognizerResult

from anonymiser.recognizers.base import FrenchRecognizer, make_result
from anonymiser.recognizers.companies import COMPANY_CONTEXT, CompanyContext
from anonymiser.recognizers.lexical import (
    CAP,
    CAPS,
    CONNECTORS,
    LOWER,
    NAME_TOKEN,
    SP,
    UPPER,
    Anchored,
    alone_on_line,
    alternation,
    anchor_text,
    heading_words,
    in_title_case_line,
    in_upper_line,
    name_chain,
    sentence_initial,
    tagged_tokens,
)
from anonymiser.recognizers.long_forms import long_form_after, long_form_apposition, long_form_before
from anonymiser.recognizers.named_after import NAMED_AFTER_HEAD, NamedAfterHead
from anonymiser.text.fold import fold

LETTERHEAD = "fr.org.letterhead"
# a clause, not a kind's own words, goes on after it: "l'association s'appelle les amis de X"
_NO_CLAUSE = r"(?!(?:s|c|n|qu)['’]|(?:qui|que|est|était|sont|ont|a|se|ne|il|elle|on|y)(?![\w'’-]))"


class FrenchOrganizationRecognizer(FrenchRecognizer):
    """Rule-based ORGANIZATION recognizer built from ``rules/organizations.yaml``."""

    def __init__(
        self,
        *,
        heads: tuple[str, ...],
        suffixes: tuple[str, ...],
        prefixes: tuple[str, ...],
        names: tuple[str, ...],
        score: float,
        demonym_endings: tuple[str, ...] = (),
        department_heads: tuple[str, ...] = (),
        kind_heads: tuple[str, ...] = (),
        letterhead_kinds: tuple[str, ...] = (),
        trade_heads: tuple[str, ...] = (),
        run_score: float = 0.6,
        acronym_score: float = 0.55,
        generic_acronyms: frozenset[str] = frozenset(),
        common_words: frozenset[str] = frozenset(),
        blocked_words: frozenset[str] = frozenset(),
        peoples: frozenset[str] = frozenset(),
        civilities: tuple[str, ...] = (),
        activity_suffixes: tuple[str, ...] = (),
        head_adjectives: tuple[str, ...] = (),
        first_names: frozenset[str] = frozenset(),
        not_first: frozenset[str] = frozenset(),
        named_after: tuple[str, ...] = (),
        named_after_stop: tuple[str, ...] = (),
        company_acquired: tuple[str, ...] = (),
        company_words: tuple[str, ...] = (),
        given_names: frozenset[str] = frozenset(),
        supported_language: str = "fr",
    ) -> None:
        self._named_after = NamedAfterHead(named_after, named_after_stop)
        self._companies = CompanyContext(company_acquired, company_words, given_names,
                                         frozenset(fold(w) for w in (*blocked_words, *civilities)))
        self.first_names = {fold(n) for n in first_names}
        # words that never open a run of capitals that is a body's name: a title's, an event's
        self.not_first = {fold(w) for w in not_first}
        self._activity = Anchored(re.compile(rf"(?<![\w'’-]){alternation(activity_suffixes)}(?![\w'’-])"),
                                  activity_suffixes) if activity_suffixes else None
        self.civilities = {fold(c).rstrip(".") for c in civilities}
        self.peoples = {fold(w) for w in peoples}
        self.trades = {fold(w) for w in trade_heads}
        # a trade in the plural names a business too: "Fromageries Vialar", "Boulangeries Mougeot"
        heads = (*heads, *(t + "s" for t in trade_heads if not t.endswith(("s", "x")) and t + "s" not in heads))
        chain = name_chain(CONNECTORS)
        # a name may end on "et X" / "& X" when X is its last word: "Guérin & Fils"
        # (also in lower case after a trade: "l'entreprise Guillou et fils")
        link = alternation(["de", "du", "des", "d'", "de la", "de l'"])
        # ... or on "et" and a second complement of its head: "Communauté de communes du Sor et de
        # l'Agout", "Agence de l'eau Adour et du Gave" (one body: two bodies would each have their head)
        chain_and = (rf"{chain}(?:{SP}(?:et|&){SP}(?:{NAME_TOKEN}(?!{SP}{NAME_TOKEN})"
                     rf"|(?:fils|frères|associés|cie)(?![\w'’-]))"
                     rf"|{SP}et{SP}(?:{link})(?:{SP}|(?<=['’]))(?!(?:{alternation(heads)})(?![\w'’-])){chain})?")
        head = alternation(heads)
        # an adjective of the kind between it and the name: "le lycée professionnel Jean-Moulin"
        adjective = rf"(?:{SP}(?:{alternation(head_adjectives)}))?" if head_adjectives else ""
        # a chain's name is no kind in lower case ("le carrefour des Trois Chênes")
        lower_heads = alternation(h[0].lower() + h[1:] for h in heads if not h.isupper() and h not in names)
        endings = "|".join(sorted(demonym_endings, key=len, reverse=True)) or "(?!)"
        # each pattern with the words its matches start with (none: tried at every position)
        self._rules = [
            ("fr.org.head_name", Anchored(re.compile(
                rf"(?<![\w-])(?:{head})(?:{SP}{link}[ \t]*|{SP}|(?<=['’]))(?:{chain_and})"), heads)),
            ("fr.org.head_lower", Anchored(re.compile(
                rf"(?:(?<=\s)(?P<head>{lower_heads}){adjective}(?:{SP}{link}[ \t]*|{SP})"
                # after an elided article, a name right after a trade: "l'entreprise Guillou et fils"
                rf"|(?<=\s[lL]['’])(?P<elided>{lower_heads}){SP})(?P<name>{chain_and})"),
                heads)),
            ("fr.org.head_demonym", Anchored(re.compile(
                rf"(?<![\w-])(?:{head}){SP}[{LOWER}]+(?:{endings})(?![\w-])"), heads)),
            ("fr.org.department", Anchored(re.compile(
                rf"(?<![\w-])(?:{alternation(department_heads) if department_heads else '(?!)'})"
                rf"{SP}{link}(?:{SP}|(?<=['’]))"
                rf"[{LOWER}][{LOWER}'’-]*(?:{SP}(?:(?:et|de|des|du|d['’]|la|l['’])(?:{SP}|(?<=['’])))?[{LOWER}][{LOWER}'’-]*){{0,3}}"),
                department_heads)),
            ("fr.org.name_suffix", Anchored(re.compile(
                rf"(?<![\w-])(?:{chain}){SP}(?:{alternation(suffixes)})(?![\w-])"), ())),
            ("fr.org.prefix_name", Anchored(re.compile(
                rf"(?<![\w-])(?:{alternation(prefixes)}){SP}(?:{chain})"), prefixes)),
            ("fr.org.kind_of_place", Anchored(re.compile(
                rf"(?<![\w-])(?i:{alternation(kind_heads) if kind_heads else '(?!)'})"
                rf"(?:{SP}{_NO_CLAUSE}[{LOWER}][{LOWER}'’-]*){{0,5}}?{SP}(?:de|du|des|d['’])(?:{SP}|(?<=['’]))"
                rf"(?:la{SP}|l['’])?(?=[{UPPER}])(?:{chain})"), kind_heads)),
            # a known name with its capital, whatever the case of its later words ("Restos du cœur")
            ("fr.org.known_name", Anchored(re.compile(rf"(?<![\w-])(?=[{UPPER}])(?i:{alternation(names)})(?![\w-])"),
                                           names)),
        ]
        # an acronym in capitals, or in mixed case where each small letter sits between capitals
        # ("la CeA", "la CdC", "le SIVoM"), not a word with a capital inside ("InCité", "MHz")
        self._acronym = re.compile(rf"(?<![\w-])[{UPPER}](?:[{UPPER}0-9]{{2,}}|"
                                   rf"(?=[{UPPER}0-9]*[{LOWER}])(?:[{UPPER}0-9]|[{LOWER}](?=[{UPPER}0-9])){{2,5}})(?![\w-])")
        # a local body's acronym with its place, up to two words of the area between: "l'ADMR de
        # Morteau", "le SIVU du plateau de Retord", "le SIVOM de la vallée de l'Ognon"
        to = rf"(?:de|du|des|d['’])(?:{SP}|(?<=['’]))(?:la{SP}|l['’])?"
        self._acronym_place = re.compile(
            rf"{SP}{to}(?:[{LOWER}][{LOWER}-]+(?:{SP}[{LOWER}][{LOWER}-]+)?{SP}{to})?(?=[{UPPER}])(?:{chain})")
        run_chain = name_chain(("de", "du", "des", "d'", "de la", "de l'", "la", "le", "les", "l'", "en"))
        self._run = re.compile(rf"(?<![\w'’-])(?:{run_chain}(?:{SP}(?:et|&){SP}(?:{NAME_TOKEN}(?!{SP}{NAME_TOKEN})"
                               rf"|(?:fils|frères|associés|cie)(?![\w'’-])))?"
                               rf"(?:{SP}\d{{1,4}}(?![\w-]))?)")
        self._caps = re.compile(rf"^{CAPS}$")
        self._branch = re.compile(rf"{SP}(?:{chain})")
        # ... or with its place after "de": "le Secours populaire de Plouay", "... du huitième" (an
        # arrondissement said as an ordinal)
        self._branch_of = re.compile(rf"{SP}(?:de{SP}la{SP}|de{SP}l['’]|du{SP}|de{SP}|d['’])"
                                     rf"(?:(?=[{UPPER}])(?:{chain})|{_ORDINAL})")
        # a letterhead in capitals opened by a body's head: "ASSOCIATION LES AMIS DU MOULIN",
        # "COMITÉ DES FÊTES DE SAINT-GILDAS" (the whole line is the body's name)
        self._letterhead = re.compile(
            rf"^[ \t]*(?P<name>(?i:{head})[ \t]+(?P<rest>[^\n]*?))[ \t]*(?:[ \t]+[–—-][ \t]+[^\n]*|:[^\n]*)?$",
            re.MULTILINE)
        # a line in capitals that the next line says is a body: "LES RÉPARATEURS DU RIED" over
        # "Association inscrite au registre ..." (the article stays out, as in a sentence)
        self._caps_over_kind = re.compile(
            rf"^[ \t]*(?:(?:LES|LA|LE)[ \t]+|L['’])?(?P<name>[{UPPER}][{UPPER}0-9'’ \t&-]*[{UPPER}0-9])[ \t]*\n"
            rf"[ \t]*(?P<kind>(?i:{alternation(letterhead_kinds) if letterhead_kinds else '(?!)'}))"
            rf"(?P<said>[ \t]+(?i:{_SAID}))?"
            r"(?![\w'’-])", re.MULTILINE)
        # a capitalised noun and a place's adjective that is no French word: a local body ("la Lyre
        # puylaurentaise", "l'Étoile plouayenne"), the adjective of a town too small for the dictionary
        self._noun_demonym = re.compile(
            rf"(?<![\w'’-])(?:(?:La|Le|Les|la|le|les)[ \t]+|[Ll]['’])(?P<name>{CAP}[ \t]+"
            rf"[{LOWER}]{{3,}}(?:{endings})s?)(?![\w'’-])")
        # an article written with a capital inside a sentence belongs to a name: "sur La Centrale"
        self._capital_article = re.compile(rf"(?<=[\w,;(][ \t])(?:La|Le|Les|L['’])(?:[ \t]+|(?<=['’]))"
                                           rf"(?P<name>{CAP}(?:(?:[ \t]+|-){CAP})*)(?![\w'’-])")
        self.score = score
        self.run_score = run_score
        self.acronym_score = acronym_score
        self.generic_acronyms = generic_acronyms
        self.common_words = common_words
        self.known = {fold(n) for n in names}
        self.blocked = {fold(w) for w in blocked_words}
        # an acronym is compared with its accents: "Mél" (a label of contact data) blocks no "MEL"
        self.blocked_accented = {w.lower() for w in blocked_words}
        super().__init__(supported_entities=["ORGANIZATION"], supported_language=supported_language,
                         name="FrenchOrganizationRecognizer")

    def load(self) -> None:
        pass

    def analyze(self, text: str, entities: list[str], nlp_artifacts: Any = None) -> list[RecognizerResult]:
        results = []
        folded = anchor_text(text)
        for rule_id, pattern in self._rules:
            for match in pattern.finditer(text, folded):
                start, end = match.span()
                if rule_id == "fr.org.head_lower":
                    elided = match.group("elided")
                    trade = fold(match.group("head") or elided) in self.trades
                    if (elided and not trade) or fold(match.group("name")) in self.first_names:
                        # "l'association Les Amis du Lavoir": the name's own rules say where it starts;
                        # "la secrétaire de mairie Josette": a first name alone is a person's
                        continue
                    if trade:
                        start = match.start("name")  # "la boulangerie [Mougin]": the trade is no part of it
                if rule_id == "fr.org.department":
                    end = _trim_trailing_verbs(nlp_artifacts, match.start(), end)
                if rule_id == "fr.org.known_name":
                    end = _department_number(text, end)
                    branch = self._branch.match(text, end) or self._branch_of.match(text, end)
                    if branch:  # a network's local branch: "France Active Bretagne", "Initiative Pays de Morlaix"
                        end = branch.end()
                if rule_id == "fr.org.head_name" and all(
                        w in self.generic_acronyms for w in text[start:end].split()[1:]):
                    continue  # "SCIC SAS", "SCOP SARL": legal forms one after the other, no name
                results.append(self._result(start, end, self.score, rule_id))
        for match in self._acronym.finditer(text):
            word = match.group(0)
            if word in self.generic_acronyms or word.lower() in self.blocked_accented:
                continue
            if word.lower() in self.common_words and (len(word) < 4 or _NUMBERED.match(text, match.end())
                                                      or alone_on_line(text, match.start(), match.end())
                                                      or self._upper_words_around(text, match.start(), match.end())):
                continue  # a French word in capitals, a numbered part ("PARTIE 2"), a heading alone on its
                # line ("EXCUSÉS :") or a heading's words ("RÉUNION PUBLIQUE — ..."), not an acronym
            if in_upper_line(text, match.start(), match.end()):
                continue
            for long in (long_form_after(text, match.end(), word), long_form_before(text, match.start(), match.end()),
                         long_form_apposition(text, match.end(), word)):
                if long is not None:  # "le SIVOM (syndicat intercommunal ... de la vallée du Lot)"
                    results.append(self._result(long[0], long[1], self.score, "fr.org.long_form"))
            place = self._acronym_place.match(text, match.end())
            if place:
                results.append(self._result(match.start(), place.end(), self.score, "fr.org.acronym_place"))
                continue
            end = _department_number(text, match.end())
            results.append(self._result(match.start(), end, self.acronym_score, "fr.org.acronym"))
        for match in self._letterhead.finditer(text):
            name = match.group("name")
            letters = [c for c in name if c.isalpha()]
            rest = match.group("rest").split()
            if not rest or not all(c.isupper() for c in letters) or len(letters) > 80:
                continue
            if len(rest) >= 2 or rest[0].lower() not in self.common_words:  # "UNION SPORTIVE": no name
                results.append(self._result(match.start("name"), match.end("name"), self.score, LETTERHEAD))
        for match in self._caps_over_kind.finditer(text):
            words = re.findall(r"[^\W\d_]+", match.group("name"))
            if not 1 <= len(words) <= 8 or not match.group("kind")[:1].isupper():
                continue
            # "Association loi 1901" under it says the line is the body's name; a kind alone says so
            # only of a line with a word of a name ("VIE ASSOCIATIVE" over "Association des parents")
            if match.group("said") or any(w.lower() not in self.common_words for w in words):
                results.append(self._result(match.start("name"), match.end("name"), self.score, LETTERHEAD))
        for match in self._noun_demonym.finditer(text):
            noun, adjective = match.group("name").split()
            if adjective in self.common_words or noun.lower() not in self.common_words \
                    or fold(noun) in self.first_names:
                continue  # "la Boule lyonnaise": a French phrase; a first name: a person
            results.append(self._result(match.start("name"), match.end("name"), self.run_score, "fr.org.noun_demonym"))
        results += self._activity_names(text, folded)
        bare = set(self._named_after.find_bare(text, folded, nlp_artifacts))
        for start, end in (*self._named_after.find(text, folded, nlp_artifacts), *sorted(bare)):
            if fold(text[start:end].split()[0]) in self.first_names:
                continue  # "l'association Pierre Martin": a person, the head's member or founder
            if (start, end) in bare and " " not in text[start:end] and (
                    text[start:end].lower() in self.common_words or fold(text[start:end]) in self.known):
                continue  # one word with no article: a name when it is no French word ("l'association
                # Kerbrat-Rando"), nor a known body's (its own rule finds it: "l'association Emmaüs")
            results.append(self._result(start, end, self.score, NAMED_AFTER_HEAD))
        for start, end in self._companies.find(text):  # the sentence says it: above a bare name's NER
            results.append(self._result(start, end, self.score, COMPANY_CONTEXT))
        for match in self._capital_article.finditer(text):
            start, end = match.span("name")
            if sentence_initial(text, match.start()) or in_title_case_line(text, start, end):
                continue
            if fold(match.group("name")) in self.blocked or heading_words(text, start, end, self.common_words):
                continue
            results.append(self._result(start, end, self.run_score, "fr.org.capital_article"))
        for match in self._run.finditer(text):
            if not _SPACE.search(match.group(0)):
                continue  # one word: never a run of two (most matches; _trim_run would say the same)
            span = self._trim_run(text, match.start(), match.end())
            if span:
                results.append(self._result(span[0], span[1], self.run_score, "fr.org.capitalised_run"))
        return [r for r in results if self._before_civility(text, r)]

    def _before_civility(self, text: str, result: RecognizerResult) -> bool:
        """End a body's name before a civility inside it, the person it is said of ("de La
        Souterraine [Mme Touati]": issue 16, a civility is never in an organisation's span);
        False when no capitalised word is left before it."""
        words = list(re.finditer(r"[\w'’.-]+", text[result.start:result.end]))
        at = next((w.start() for w in words[1:] if fold(w.group(0)).rstrip(".") in self.civilities), None)
        if at is not None:
            kept = list(re.finditer(r"[\w'’-]+", text[result.start:result.start + at]))
            while kept and (not kept[-1].group(0)[:1].isupper() or _ARTICLE.fullmatch(kept[-1].group(0))):
                kept.pop()  # "Le [Dr Bonnefoy]": no name before the person
            if not kept:
                return False
            result.end = result.start + kept[-1].end()
        return True

    def _upper_words_around(self, text: str, start: int, end: int) -> bool:
        """True when a French word in capitals stands next to ``[start, end)`` on its line."""
        before = _UPPER_BEFORE.search(text, max(0, start - 30), start)
        after = _UPPER_AFTER.match(text, end)
        return any(m is not None and m.group(1).lower() in self.common_words and len(m.group(1)) > 1
                   for m in (before, after))

    def _activity_names(self, text: str, folded: str | None) -> list[RecognizerResult]:
        """A capitalised name of up to three words and its activity in lower case, inside a
        sentence ("animé par Clin d'œil animation"): a small business (``fr.org.activity_suffix``)."""
        if self._activity is None:
            return []
        out = []
        for match in self._activity.finditer(text, folded):
            name = _NAME_BEFORE.search(text, max(0, match.start() - 40), match.start())
            if name is None or sentence_initial(text, name.start()):
                continue
            first, *more = name.group(0).split()
            if fold(first).rstrip(".") in self.civilities or fold(first) in self.blocked:
                continue
            if any(fold(w) in _NOT_IN_A_NAME for w in more):
                continue  # "la mairie de Rezé avec les services": words of the sentence, no name
            out.append(self._result(name.start(), match.end(), self.run_score, "fr.org.activity_suffix"))
        return out

    def _one_name_with_et(self, last: str) -> bool:
        """Without a head, "et" joins one name's words when the word after it is an ordinary
        word with a capital ("Terre et Partage", "Vivre et Agir") or a firm's partners ("Morel
        et Fils"); before a proper name it joins two names ("Vienne et Seyssuel")."""
        return bool(_PARTNERS_WORD.fullmatch(last)) or last.lower() in self.common_words

    def _trim_run(self, text: str, start: int, end: int) -> tuple[int, int] | None:
        """A run of capitalised words is a name when it has two or more of them, does not
        start a sentence (the first word is then dropped), and is not a heading in capitals."""
        words = list(re.finditer(r"[^\s]+", text[start:end]))
        if len(words) >= 3 and words[-2].group(0) == "et" and not self._one_name_with_et(words[-1].group(0)):
            words = words[:-2]  # "Vienne et Seyssuel", "Bouygues et Free": two names, not one
        if sentence_initial(text, start) and words and not _ARTICLE.fullmatch(words[0].group(0)):
            words = words[1:]
            while words and not words[0].group(0)[:1].isupper():
                words = words[1:]
        if words and fold(words[0].group(0)).rstrip(".") in self.civilities:
            return None  # "Mme Perrotin": a person; a civility is never in an organisation's name
        if words and fold(words[0].group(0)) in self.not_first:
            return None  # "Directeur Général Jean X", "Noël de X", "Journées Portes Ouvertes": a title, an event
        capitalised = [w.group(0) for w in words if w.group(0)[:1].isupper()]
        if len(words) >= 3 and words[-2].group(0) in {"et", "&"} and _PARTNERS_WORD.fullmatch(
                words[-1].group(0).capitalize()):
            capitalised.append(words[-1].group(0))  # "Moreau et fils": a firm by its founder and partners
        if len(capitalised) < 2:
            return None
        content = [w for w in capitalised if not _ARTICLE.fullmatch(w)]
        if len(content) < 2 or all(w in self.generic_acronyms for w in content):
            return None
        if all(fold(w) in self.blocked for w in capitalised):
            return None
        if any(fold(w) in self.peoples for w in content):
            return None  # "des Italiens des Arméniens": peoples named in a row, not one name
        if all(self._caps.match(w) for w in capitalised) and in_upper_line(text, start, end):
            return None
        if in_title_case_line(text, start, end):
            return None  # a heading: "Vie Associative", "Fin De La Réunion"
        if heading_words(text, start + words[0].start(), start + words[-1].end(), self.common_words):
            return None  # "Le CCAS À Vos Côtés": a heading's words
        return start + words[0].start(), start + words[-1].end()

    def _result(self, start: int, end: int, score: float, rule_id: str) -> RecognizerResult:
        return make_result("ORGANIZATION", start, end, score, rule_id=rule_id, recognizer=self.name)


_SPACE = re.compile(r"\s")
_UPPER_BEFORE = re.compile(rf"([{UPPER}][{UPPER}'’-]+)[ \t]+$")
_UPPER_AFTER = re.compile(rf"[ \t]+([{UPPER}][{UPPER}'’-]+)(?![\w'’-])")
_PARTNERS_WORD = re.compile(r"Fils|Filles|Frères|Sœurs|Associés|Associées|Cie|Compagnie")
# words of a sentence that a small business's name never holds after its first word
_NOT_IN_A_NAME = frozenset({"avec", "les", "le", "la", "des", "pour", "et", "ou", "en", "au", "aux", "sur", "dans",
                            "par", "qui", "que", "a", "est", "sont", "ses", "son", "sa", "leurs", "nos", "vos"})
# the name before an activity: a capitalised word after a word, a comma or a bracket, then up
# to two words (elided links allowed): "par [Clin d'œil] animation", "de [Berthaud] transports"
_NAME_BEFORE = re.compile(
    rf"(?<=[\w,;:(«\"][ \t])[{UPPER}][{LOWER}]+(?:['’-][\w]+)*(?:[ \t]+(?:d['’]|de[ \t]+)?[\w'’-]+){{0,2}}?[ \t]+$")
# A body's department number after its acronym is part of its name ("le SDE 03", "la CAF 35"),
# when punctuation, the line's end or a function word follows it ("35 adhérents" is a count).
_DEPARTMENT = re.compile(
    r"[ \t](?:0[1-9]|[1-8]\d|9[0-5]|2[AB]|97[1-6])"
    r"(?=[ \t]*(?:[^\w\s]|$)|[ \t]+(?:et|ou|a|ont|est|sont|qui|que|de|du|des|d['’]|pour|avec|sur|dans|en|au|aux"
    r"|le|la|les|l['’]|nous|vous|il|elle|ils|elles|on)(?![\w-]))", re.MULTILINE)


# an arrondissement said as an ordinal ("du huitième", "du 11e"), after a network's name
_ORDINAL = r"(?:[1-9]|1[0-9]|20)(?:e|ème|eme)(?![\w-])|(?:[a-z]+-)?[a-z]+ième(?![\w-])"
# what a body's legal status line says right after its kind: "Association loi 1901", "... inscrite au registre"
_SAID = "loi|inscrite|inscrit|déclarée|déclaré|régie|régi|reconnue|agréée|agréé|fondée|fondé|créée|créé"


def _department_number(text: str, end: int) -> int:
    """The end of an acronym's span, with the department number that follows it."""
    match = _DEPARTMENT.match(text, end)
    return match.end() if match else end
# a part's number or an interview's code after a word in capitals ("PARTIE 2", "ENTRETIEN E34")
_NUMBERED = re.compile(r"[ \t]+(?:\d+|[IVX]+|[A-Z]{1,3}-?\d+)\b")
_NOT_IN_NAMES = {"VERB", "AUX", "ADV", "PRON", "SCONJ", "CCONJ", "ADP", "DET"}


def _trim_trailing_verbs(nlp_artifacts: Any, start: int, end: int) -> int:
    """With the parsed ``Doc``, cut a lower-case name before a trailing verb, adverb...
    ("Direction de l'attractivité économique [suit]")."""
    tokens = tagged_tokens(nlp_artifacts, start, end, more_than=3)
    if tokens is None:
        return end
    while len(tokens) > 3 and tokens[-1].pos_ in _NOT_IN_NAMES:
        tokens.pop()
    return min(end, tokens[-1].idx + len(tokens[-1].text))


_ARTICLE = re.compile(r"(?:Le|La|Les|L['’])")


