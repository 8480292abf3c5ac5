"""ROLE: a title or mandate that points at one person (docs/annotation.en.md).

Rules, from the most to the least specific:

- ``fr.role.titled``: a title tied to a named place or organisation ("maire de Lusignan",
  "directrice du centre social Les Acacias", "co-président.e.s de l'association X");
- ``fr.role.respondent``: the respondent's own title, after their name ("Nadia Haddad, Responsable
  Développement – Entreprises à ...") or said of oneself ("j'ai été trésorière de l'amicale", "je suis
  aussi présidente du club"; bare, a mandate only: "depuis que je suis maire");
- ``fr.role.domain``: an elected or staff title with its domain ("adjointe à
  l'urbanisme", "vice-président aux déchets et à l'économie circulaire", "chargée de
  projet ESS"), unless a determiner makes it generic ("les adjoints", "une chargée de mission");
- ``fr.role.possessive``: a title owned by a named body or person ("leur DRH", "notre trésorier");
- ``fr.role.beside_name``: a title said of a named person (roles_beside.py), in brackets after the
  name ("Paul Terrier (chargé de mission)"), before a colon and the name ("Cheffe de projet : Mme
  Roche", "- Trésorière : Yvette Caron"), or in an apposition ("Inès, qui est coordinatrice");
- ``fr.role.title_case``: a capitalised title with capitalised words of its own, alone in its
  line or between commas, as a signature or a caption writes it ("Chargée de mission
  Transition – Mobilités, Référente Vélo").
"""

from __future__ import annotations

import re
from typing import Any

from presidio_analyzer import RecognizerResult

from anonymiser.recognizers.base import FrenchRecognizer, make_result
from anonymiser.recognizers.lexical import (
    CAP,
    CONNECTORS,
    SP,
    Anchored,
    alternation,
    anchor_text,
    name_chain,
)
from anonymiser.recognizers.roles_beside import beside_patterns
from anonymiser.recognizers.roles_local import LocalTitles
from anonymiser.recognizers.roles_speech import Before, before_verb
from anonymiser.text.fold import fold

LOWER_WORD = r"[a-zß-öø-ÿœ][a-zß-öø-ÿœ'’-]*"
INCLUSIVE = r"(?:\.e\.s|\.e|\.es|·e·s|·e|\(e\)s?|\(s\))?"
# Words after a title that introduce another person: what follows them is never the title's
_PERSON_LINK = re.compile(r"(?i)\s(?:sous|avec|auprès|chez)\s")
_DOMAIN_LINKS = ["à la", "à l'", "au", "aux", "pour la", "pour l'", "pour le", "pour les",
                 "en charge de", "en charge du", "en charge des",
                 "en charge de la", "en charge de l'", "chargé de", "chargée de", "chargé du", "chargée du",
                 "chargé des", "chargée des"]
# a staff title of any charge: "chargé de prévention", "chargée d'insertion", "chargée des
# partenariats" (not "chargé de faire": an infinitive is a task, not a post)
_CHARGE = (rf"(?i:chargée?)(?:{SP}(?:de{SP}la|de{SP}l['’]|de|du|des|d['’])(?:{SP}|(?<=['’])))"
           r"(?![a-zß-öø-ÿœ]+(?:er|ir|re)(?![\w'’-]))[a-zß-öø-ÿœ]{3,}(?![\w'’-])")
# hesitations a speaker puts between a title and a name: no part of the title
_FILLERS = frozenset({"euh", "heu", "hein", "ben", "bah", "bon"})
_LAST_WORD = re.compile(r"[\w'’-]+$")
# what follows a title and makes it one post: an article, a possessive or a name
_SPECIFIC = re.compile(r"[ \t]+(?:(?:de|à)[ \t]+(?:l['’]|(?:la|notre|mon|ma|cette|ce|leur)(?![\w-]))|(?:du|des|au|aux)"
                       r"(?![\w'’-])|d['’]une?(?![\w-])|(?:de|d['’]|à)[ \t]*(?=[A-ZÀ-Þ])|l['’])")
_AT_EMPLOYER = re.compile(r"[ \t]+chez[ \t]+[A-ZÀ-Þ]")
# one more domain of the same title after a comma: "délégué aux bâtiments, aux écoles et aux cimetières"
_MORE_DOMAIN = re.compile(r",[ \t]*(?=(?P<link>aux|au|à[ \t]+la|à[ \t]+l['’])(?![\w-]))")
_CONNECTIVES = {"et", "de", "des", "du", "la", "l'", "l’", "à", "aux", "au", "d'", "d’", "le", "les", "en"}


class FrenchRoleRecognizer(FrenchRecognizer):
    """Rule-based ROLE recognizer built from ``rules/roles.yaml``."""

    def __init__(
        self,
        *,
        heads: tuple[str, ...],
        links: tuple[str, ...],
        max_domain_words: int,
        scores: dict[str, float],
        trades: tuple[str, ...] = (),
        domain_heads: tuple[str, ...] = (),
        domain_stop: tuple[str, ...] = (),
        title_stop: tuple[str, ...] = (),
        generic_before: tuple[str, ...] = (),
        possessives: tuple[str, ...] = (),
        local_units: tuple[str, ...] = (),
        article_units: tuple[str, ...] = (),
        own_post: tuple[str, ...] = (),
        not_places: frozenset[str] = frozenset(),
        civilities: tuple[str, ...] = (),
        interviewer_labels: frozenset[str] = frozenset(),
        common_words: frozenset[str] = frozenset(),
        first_names: frozenset[str] = frozenset(),
        streets: tuple[str, ...] = (),
        kinds: tuple[str, ...] = (),
        self_intro: tuple[str, ...] = (),
        self_adverbs: tuple[str, ...] = (),
        own_mandates: tuple[str, ...] = (),
        verb_before: tuple[str, ...] = (),
        introducers: tuple[str, ...] = (),
        hedges: tuple[str, ...] = (),
        ordinals: tuple[str, ...] = (),
        markers: tuple[str, ...] = (),
        areas: tuple[str, ...] = (),
        supported_language: str = "fr",
    ) -> None:
        # a trade "de la rue X" says where the shop is: the street is the place, no role's complement
        streets_said = alternation(streets) if streets else "(?!)"
        self._street_link = re.compile(rf"(?i:{streets_said})(?![\w-])")
        self.common_words = common_words
        self.first_names = {fold(n) for n in first_names}
        self.civility_words = {fold(c).rstrip(".") for c in civilities}
        self.head_words = {w for h in (*heads, *domain_heads) for w in fold(h).split()}
        self.interviewer = {fold(w) for w in interviewer_labels}
        self.markers = self.interviewer | {fold(w) for w in markers}
        head = rf"(?:(?i:{alternation(heads)})|{_CHARGE}){INCLUSIVE}"
        titled_head = rf"(?:(?i:{alternation((*heads, *trades))})|{_CHARGE}){INCLUSIVE}"
        link = alternation(links)
        chain = name_chain(CONNECTORS)
        # "la couturière de la rue des Tanneurs": a title right before a street is tied to it; a street
        # further on is where something else is ("la présidente du comité au gymnase de la rue X")
        self._at_street = re.compile(
            rf"{titled_head}{SP}(?:de{SP}la|de{SP}l['’]|du|des|de|d['’])(?:{SP}|(?<=['’]))"
            rf"(?i:{streets_said})(?![\w-])")
        # ... with its article: "de quartier" says a kind ("la mairie de quartier de Fives"), no street
        self._a_street = re.compile(rf"(?<![\w-])(?:la|le|l['’]|du|au|aux|des|les)[ \t]*(?i:{streets_said})(?![\w-])")
        # a title's own words hold no word of a clause ("le trésorier rappelle que la …")
        own = rf"(?!(?:{alternation(title_stop)})(?![\w'’-]))" if title_stop else ""
        domain = rf"(?:{SP}(?:{link}(?:{SP}|(?<=['’])))?{own}{LOWER_WORD}){{0,{max_domain_words}}}"
        self._titled = Anchored(re.compile(
            rf"(?<![\w-])(?P<role>{titled_head}(?:{SP}{CAP})?{domain}{SP}{link}(?:{SP}|(?<=['’]))"
            rf"(?P<kind>(?:{own}(?!(?:à|au|aux)(?![\w'’-])){LOWER_WORD}{SP}){{0,3}})(?P<name>{chain}))"
        ), (*heads, *trades))
        # the lower-case words before a named body that say it is one ("du centre social [Les
        # Acacias]", "de l'école [Jean Moulin]"): without them a first name is a person's
        self.kinds = tuple(sorted({fold(k) for k in kinds}, key=len, reverse=True))
        name = r"[A-ZÀ-ÖØ-Þ][\w'’.-]*"
        person = rf"{name}(?:[ \t](?:(?:de|du|des|le|la|d['’])[ \t]?)?{name}){{1,3}}"
        tail = r"[^\n,;.()]{0,70}?"
        stop = r"(?=\s+(?:à|au|aux|chez|pour|dans|depuis|sur|sous|avec|auprès)\s|\s*[,;.()\n]|\s*$)"
        self._respondent = re.compile(rf"{person}[ \t]*,[ \t]*(?P<role>{head}\b{tail}){stop}", re.MULTILINE)
        # the speaker's own title: "j'ai été trésorière de l'amicale", "je suis aussi présidente du club"
        adverbs = rf"(?:{SP}(?i:{alternation(self_adverbs)})(?![\w'’-]))*" if self_adverbs else ""
        self._self = Anchored(re.compile(
            rf"(?<![\w'’-])(?i:{alternation(self_intro)}){adverbs}{SP}(?:(?:l['’]|le{SP}|la{SP})(?:(?:nouvelle|nouveau|"
            rf"seule?|première|premier|vraie?){SP})?)?(?P<role>{head})(?![\w'’-])"), self_intro) if self_intro else None
        self.own_mandates = {fold(m) for m in own_mandates}
        self.domain_heads = {fold(h) for h in domain_heads}
        domain_head = rf"(?i:{alternation(domain_heads)}){INCLUSIVE}"
        self._domain_linked = Anchored(re.compile(
            rf"(?<![\w-])(?P<role>{domain_head}){SP}(?P<link>{alternation(_DOMAIN_LINKS)})(?:{SP}|(?<=['’]))"),
            domain_heads)
        self._domain_direct = Anchored(re.compile(rf"(?<![\w-])(?P<role>{domain_head}){SP}(?=[a-zß-ÿœA-Z])"),
                                       domain_heads)
        self._possessive = Anchored(re.compile(
            rf"(?<![\w-])(?i:{alternation(possessives)}){SP}(?P<role>{head}"
            rf"(?:{SP}(?:de|du|des|d['’])(?:{SP}|(?<=['’])){LOWER_WORD})?)(?![\w-])"
        ), possessives)
        self._local = LocalTitles(titled_head=titled_head, anchors=(*heads, *trades), own=own,
                                  domain_heads=domain_heads, units=local_units, article_units=article_units,
                                  domain_stop=domain_stop, ordinals=ordinals)
        # a title or a trade at a named place: "éleveur à Roquefort", "conseillère municipale à Millau"
        # (with up to two words of its own between: "maraîchère bio à Gramat", "éleveur ovin à Assier"),
        # or at a named employer: "boulanger chez Maison Grangeon"
        not_stop = rf"(?!(?:{alternation(domain_stop)})(?![\w'’-]))" if domain_stop else ""
        self._at_place = Anchored(re.compile(
            rf"(?<![\w-])(?P<role>{titled_head}(?:{SP}{not_stop}{LOWER_WORD}){{0,2}}?{SP}(?:à|au|chez){SP}"
            rf"(?P<place>{chain}))"), (*heads, *trades))
        # ... or at a named body: "enseignante à l'école Jules-Ferry", "animateur au centre social Les Acacias"
        kind_words = alternation(kinds) if kinds else "(?!)"
        self._at_body = Anchored(re.compile(
            rf"(?<![\w-])(?P<role>{titled_head}(?:{SP}{not_stop}{LOWER_WORD}){{0,2}}?{SP}"
            rf"(?:à{SP}l['’]|à{SP}la{SP}|au{SP}|aux{SP})(?i:{kind_words})"
            rf"(?:{SP}(?:de|du|des|d['’])(?:{SP}|(?<=['’]))(?:la{SP}|l['’])?|{SP})(?P<place>{chain}))"),
            (*heads, *trades))
        self.not_places = {fold(w) for w in not_places}
        self._beside = beside_patterns(head=head, titled_head=titled_head, link=link, chain=chain, own=own,
                                       civilities=civilities, stop=domain_stop)
        # the respondent's own post: "mon mandat de conseillère municipale", "en tant que trésorière"
        post = alternation(own_post) if own_post else "(?!)"
        self._own_post = Anchored(re.compile(
            rf"(?<![\w-])(?i:{post})(?:{SP}|(?<=['’]))(?P<role>{head})(?![\w-])"), own_post)
        # "..., chargée de la culture et du patrimoine": the charge belongs to the role
        areas_said = alternation(areas) if areas else "(?!)"
        self._area = re.compile(rf"{SP}pour{SP}(?:le{SP}|la{SP}|l['’]|les{SP})(?i:{areas_said})"
                                rf"(?:{SP}(?:de|du|des|d['’])(?:{SP}|(?<=['’])){chain})?(?![\w-])")
        self._charge = re.compile(rf",?{SP}(?:chargée?s?|en{SP}charge){SP}(?:de|du|des|de{SP}la|de{SP}l['’]|d['’])"
                                  rf"(?:{SP}|(?<=['’]))")
        # a capitalised title and up to five capitalised words of its own (its domain), from a line
        # start or a comma to a comma, a bracket or the line's end
        own_word = rf"(?:{SP}(?:[–—-]{SP})?(?:(?:et|de|des|du|de{SP}la|d['’])(?:{SP}|(?<=['’])))?{CAP})"
        self._title_case = re.compile(
            rf"(?:^[ \t]*|[,;:–—][ \t]+)(?P<role>(?=[A-ZÀ-Þ]){head}{own_word}{{1,5}})(?=[ \t]*(?:[,;()\n]|$))",
            re.MULTILINE)
        self._at_place_tail = re.compile(rf"{SP}(?:à|au){SP}(?:{chain})")
        self._place_after = re.compile(rf"{SP}(?:de|du|des|d['’]|de{SP}la|de{SP}l['’])(?:{SP}|(?<=['’]))(?:{chain})")
        self._word = re.compile(r"[^\s,;.:!?()«»\"]+")
        self.stop = {w.lower() for w in domain_stop}
        self._before = Before(generic=generic_before, introducers=introducers, verb_before=verb_before, hedges=hedges)
        self.heads = {fold(h) for h in (*heads, *domain_heads)}
        self.scores = scores
        super().__init__(supported_entities=["ROLE"], supported_language=supported_language,
                         name="FrenchRoleRecognizer")

    def load(self) -> None:
        pass

    def _result(self, start: int, end: int, rule: str, default: float) -> RecognizerResult:
        return make_result("ROLE", start, end, self.scores.get(rule, default), rule_id=rule, recognizer=self.name)

    def _ordinary_words_end(self, text: str, start: int, end: int) -> int | None:
        """Where a capitalised title's own words stop being ordinary words ("Directeur Général
        [Paul Kervec]": a name after the title is no part of it); None when no capitalised word
        of its own is left ("Trésorier Adjoint" is a bare title)."""
        title_end, own = None, False
        for word in re.finditer(r"[\w'’-]+", text[start:end]):
            found = word.group(0)
            if found[:1].isupper() and fold(found) not in self.head_words and (
                    found.lower() not in self.common_words or fold(found) in self.first_names):
                break
            title_end = start + word.end()
            own = own or (found[:1].isupper() and fold(found) not in self.head_words)
        return title_end if own else None

    def _before_person(self, match: re.Match[str]) -> int:
        """Where a titled role ends: before its name when that name is a person's, a first name
        alone, or after lower-case words that name no kind of body ("la secrétaire de mairie
        [Josette]", "la cheffe de projet [Aurélie Vuillet]", "la médiatrice du bailleur euh
        [Samira]"); at the name's end when the words say whose name it is ("directrice du centre
        social Les Acacias", "directeur de l'école Jean Moulin")."""
        kind = match.group("kind")
        first = re.match(r"[\w-]+", match.group("name"))
        inside = self._person_inside(match)
        if inside is not None:
            return inside
        if not kind.strip() or first is None or fold(first.group(0)) not in self.first_names:
            return match.end("role")
        words = fold(kind).split()
        while words and words[-1] in _FILLERS:
            words.pop()
        said = " ".join(words)
        alone = len(re.findall(r"[\w'’-]+", match.group("name"))) == 1  # a body is no "Josette"
        if not words or (not alone and any(said == k or said.endswith(" " + k) for k in self.kinds)):
            return match.end("role")
        end = match.start("name")
        text = match.string
        while True:  # back over blanks and hesitations, inside the match: no slice of the text before it
            while end > match.start("role") and text[end - 1].isspace():
                end -= 1
            last = _LAST_WORD.search(text, match.start("role"), end)
            if last is None or fold(last.group(0)) not in _FILLERS:
                return end
            end = last.start()

    def _person_inside(self, match: re.Match[str]) -> int | None:
        """Where a body's name ends before the person the title is said of, with no comma ("la
        présidente des P'tits Loups [Aurélie Fradet]", "l'inspectrice de la circonscription de Brive
        [Mme Touati]"): at a civility, or at a first name and a capitalised word after the name's
        first word ("école Jean Moulin" is named after one); None without one."""
        words = list(re.finditer(r"[\w'’.-]+", match.group("name")))
        for index in range(1, len(words)):
            word, before = words[index].group(0), fold(words[index - 1].group(0))
            civility = fold(word).rstrip(".") in self.civility_words
            named = word[:1].isupper() and fold(word) in self.first_names and index + 1 < len(words) \
                and words[index + 1].group(0)[:1].isupper() and before not in {"et", "de", "du", "des"}
            if civility or named:
                return match.start("name") + len(match.group("name")[:words[index].start()].rstrip())
        return None

    def _extend_domain(self, text: str, position: int, *, allow_caps: bool) -> int:
        """Extend over the words of a domain ("déchets et à l'économie circulaire", "ESS")."""
        end = position
        spaces = re.compile(r"[ \t]*").match(text, position)
        cursor = spaces.end() if spaces else position
        words = 0
        while words < 8:
            match = self._word.match(text, cursor)
            if not match or "\n" in text[end:match.start()]:
                break
            word = match.group(0)
            if word.lower() in self.stop and word.lower() != "et":
                break
            elided = re.match(r"[^'’]+['’](?=.)", word)
            if elided:  # "m'a", "l'urbanisme": the elided word is a word of its own
                if elided.group(0).lower() in self.stop:
                    break
                word = elided.group(0)
                match = re.compile(re.escape(word)).match(text, cursor) or match
            if word[:1].isupper() and not (allow_caps and word.isupper()):
                break
            if word[:1].isdigit():
                break
            cursor = match.end()
            words += 1
            if word.lower() not in _CONNECTIVES and word.lower() not in _FILLERS and not word.endswith(("'", "’")):
                end = cursor
            spaces = re.match(r"[ \t]*", text[cursor:])
            cursor += spaces.end() if spaces else 0
        return end

    def analyze(self, text: str, entities: list[str], nlp_artifacts: Any = None) -> list[RecognizerResult]:
        results = []
        folded = anchor_text(text)
        for match in self._titled.finditer(text, folded):
            if _PERSON_LINK.search(match.group("role")):
                continue  # "trésorière auprès de Marc Le Bihan": a person after it, not a body
            if self._a_street.search(match.group("role")) and not self._at_street.match(match.group("role")):
                continue  # a street further on: the place rule finds it
            if fold(match.group("name")) in self.markers:
                continue  # "trésorier de trois associations XXX": a transcript's marker names no body
            end = self._before_person(match)
            results.append(self._result(match.start("role"), end, "fr.role.titled", 0.85))
        for match in self._respondent.finditer(text):
            role = match.group("role").rstrip()
            if role:
                start = match.start("role")
                results.append(self._result(start, start + len(role), "fr.role.respondent", 0.8))
        results += self._said_of_oneself(text, folded, nlp_artifacts)
        for pattern, direct in ((self._domain_linked, False), (self._domain_direct, True)):
            for match in pattern.finditer(text, folded):
                start = match.start("role")
                if self._before.generic(text, start) or self._before.after_auxiliary(text, start):
                    continue
                end = before_verb(nlp_artifacts, match.end(), self._extend_domain(text, match.end(), allow_caps=True))
                if end <= match.end() or (direct and fold(text[start:end]) in self.heads):
                    continue
                place = self._place_after.match(text, end)
                if place:
                    end = place.end()
                results.append(self._result(start, end, "fr.role.domain", 0.75))
        for match in self._possessive.finditer(text, folded):
            results.append(self._result(match.start("role"), match.end("role"), "fr.role.possessive", 0.7))
        for match in self._at_place.finditer(text, folded):
            first = match.group("place").split()[0]
            if first.isupper() and len(first) > 1:
                continue  # "chargé de prévention au SMICTOM": a body, not a place (its own span)
            at_home = text[match.start("role"):match.start("place")].split()[-1:] == ["chez"]
            if at_home and (fold(first).rstrip(".") in self.civility_words or fold(first) in self.first_names):
                continue  # "infirmière chez Mme Dupont", "chez Paul": a person's home, no employer's
            if fold(first) not in self.not_places and not self._before.generic(text, match.start()):
                results.append(self._result(match.start("role"), match.end("role"), "fr.role.at_place", 0.8))
        for match in self._at_body.finditer(text, folded):
            if not self._before.generic(text, match.start()) and not self._street_link.search(match.group("role")):
                results.append(self._result(match.start("role"), match.end("role"), "fr.role.at_place", 0.8))
        for match in self._own_post.finditer(text, folded):
            end = self._extend_domain(text, match.end("role"), allow_caps=True)
            place = self._place_after.match(text, end) or self._at_place_tail.match(text, end)
            end = place.end() if place else end
            results.append(self._result(match.start("role"), end, "fr.role.own_post", 0.8))
        for start, end in self._local.finditer(text, folded, nlp_artifacts):
            if not self._before.generic(text, start):
                results.append(self._result(start, end, "fr.role.local", 0.8))
        for match in self._title_case.finditer(text):
            title_end = self._ordinary_words_end(text, match.start("role"), match.end("role"))
            if title_end is not None:
                results.append(self._result(match.start("role"), title_end, "fr.role.title_case", 0.86))
        for beside in self._beside:
            for match in beside.pattern.finditer(text):
                tag = beside.tag_checked or bool(match.groupdict().get("turn"))
                if tag and fold(match.group("role")) in self.interviewer:
                    continue  # "Animatrice : Claire Morvan", "Claire (animatrice) :": the interviewer's tag
                results.append(self._result(match.start("role"), match.end("role"), "fr.role.beside_name", 0.8))
        return [self._with_charge(text, r) for r in results if not self._before.hedged(text, r.start)]

    def _said_of_oneself(self, text: str, folded: str | None, nlp_artifacts: Any) -> list[RecognizerResult]:
        """``fr.role.respondent`` said by the speaker: the title with its domain and place ("j'étais
        adjoint aux sports", "je suis trésorière de l'amicale laïque"); bare, a mandate only ("depuis
        que je suis maire"; "je suis conseillère" says nothing of whom)."""
        results = []
        for match in self._self.finditer(text, folded) if self._self else ():
            start = match.start("role")
            end = before_verb(nlp_artifacts, match.end(), self._extend_domain(text, match.end(), allow_caps=True))
            place = self._place_after.match(text, end) or self._at_place_tail.match(text, end)
            end = place.end() if place else end
            if _PERSON_LINK.search(text[start:end + 1]):
                continue  # "je suis adjointe avec Marc Le Bihan": the person after it is someone else
            said = fold(text[start:end])
            if end == match.end() and _AT_EMPLOYER.match(text, end):
                pass  # "je suis gardienne chez Habitat Sud": one post, the employer its own span
            elif said not in self.own_mandates and not self._specific(match.group("role"), text[match.end():end]):
                continue  # "je suis conseillère", "j'étais technicien de maintenance": a kind of work
            results.append(self._result(start, end, "fr.role.respondent", 0.8))
        return results

    def _specific(self, head: str, tail: str) -> bool:
        """True when what follows a title said of oneself makes it one post: a body or a place with
        its article or its name ("trésorière de l'amicale", "présidente du club", "élue à Lunel"),
        or the domain of a title that takes one ("adjoint aux sports", "coordinatrice bénévole")."""
        if not tail.strip():
            return False
        return fold(head) in self.domain_heads or bool(_SPECIFIC.match(tail))

    def _with_charge(self, text: str, result: RecognizerResult) -> RecognizerResult:
        """Extend a role over the charge that follows it ("adjoint au maire de X chargé des sports")
        and the area it covers ("technicien de l'ONF pour le secteur de Kaysersberg")."""
        area = self._area.match(text, result.end)
        if area:
            result.end = area.end()
        charge = self._charge.match(text, result.end)
        if charge:
            end = self._extend_domain(text, charge.end(), allow_caps=False)
            if end > charge.end():
                result.end = end
        return self._more_domains(text, result)

    def _more_domains(self, text: str, result: RecognizerResult) -> RecognizerResult:
        """Extend a title over the domains it lists after a comma with the link its first took
        ("délégué aux bâtiments, aux écoles et aux cimetières"): one post, not a title and a list."""
        for _ in range(4):
            more = _MORE_DOMAIN.match(text, result.end)
            link = more and re.sub(r"[ \t]+", " ", more.group("link").lower()).rstrip("'’")
            said = fold(text[result.start:result.end]).replace("’", "'")
            if not more or not link or not re.search(rf"(?<![\w'-]){re.escape(fold(link))}(?![\w-])", said):
                break
            end = self._extend_domain(text, more.end(), allow_caps=False)
            if end <= more.end() + len(more.group("link")):
                break
            result.end = end
        return result
