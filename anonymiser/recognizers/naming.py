"""Names that the sentence itself announces: after a naming verb ("une association qui
s'appelle les amis du lavoir", "elle s'appelait Lan", "ça s'appelle La Fabrique":
``fr.name.called``), and lower-case names after an organisation head and an article
("le collectif les pieds dans le goudron": ``fr.org.head_article``) or right after the head
("l'association mermoz en couleurs": ``fr.org.head_bare``), and a capitalised name
with its article that an apposition says the kind of ("La Tannerie, tiers-lieu de Millau",
"Les Tilleuls, un quartier calme": ``fr.name.apposition``), and an electoral list or a council
group by its motto and town ("la liste Ensemble pour Vitré": ``fr.name.list_motto``), and a
group's name opened by a capitalised plural ("les Amis du tissage": ``fr.name.group_opener``), and
a body's name opened by its kind with a capital in running text and going on in lower case
("l'Office municipal des sports": ``fr.org.capitalised_kind``).

The label comes from the nearest head noun before the verb (an organisation, a place), else
a capitalised name is a person's. A lower-case name is taken only after an organisation or
place head, and ends at a stop word, punctuation, or (with the parsed document) a verb.
"""

from __future__ import annotations

import re
from typing import Any

from presidio_analyzer import RecognizerResult

from anonymiser.recognizers.base import FrenchRecognizer, make_result
from anonymiser.recognizers.lexical import (
    LOWER,
    NAME_TOKEN,
    SP,
    UPPER,
    Anchored,
    alternation,
    anchor_text,
    name_chain,
    tagged_tokens,
)
from anonymiser.text.fold import fold

CALLED = "fr.name.called"
HEAD_ARTICLE = "fr.org.head_article"
APPOSITION = "fr.name.apposition"
MOTTO = "fr.name.list_motto"
OPENED = "fr.name.group_opener"
CAPITALISED_KIND = "fr.org.capitalised_kind"
HEAD_BARE = "fr.org.head_bare"
_TOKEN = re.compile(r"[ \t\u00a0\u202f]*(?P<word>[^\W\d_](?:[\w'’-]*[^\W\d_])?['’]?)")
_CLAUSE_END = re.compile(r"[.;:!?()\[\]\n«»\"]")
_ARTICLES = frozenset({"le", "la", "les", "l'", "l’"})
_CONNECTORS = frozenset({"de", "du", "des", "d'", "d’", "la", "le", "les", "l'", "l’", "et", "à", "aux", "au"})
# prepositions inside a group's name ("les pieds dans le goudron", "l'art pour tous")
_PREPOSITIONS = frozenset({"dans", "sur", "à", "au", "aux", "pour", "avec", "en", "et"})
# ... and in a group's name a naming verb announces ("une asso qui s'appelle Vélo pour tous")
_CALLED_INSIDE = frozenset({"dans", "sur", "pour", "avec", "en"})
_NOT_IN_NAMES = frozenset({"VERB", "AUX", "PRON", "SCONJ", "ADV"})
# heads after which a lower-case name may follow an article without a naming verb
_GROUP_HEADS = ("association", "collectif", "comité", "club", "compagnie", "troupe", "chorale", "amicale",
                "fanfare", "groupe")


class NamingRecognizer(FrenchRecognizer):
    """Names introduced by a naming verb or by an organisation head and an article (rules in
    ``rules/spoken.yaml``, section ``naming``)."""

    def __init__(self, *, verbs: tuple[str, ...], organization_heads: tuple[str, ...], place_heads: tuple[str, ...],
                 stop: tuple[str, ...], max_words: int, score: float, group_openers: tuple[str, ...] = (),
                 not_first: tuple[str, ...] = (), not_bare: tuple[str, ...] = (), remarks: tuple[str, ...] = (),
                 adjective_endings: tuple[str, ...] = (), capitalised_kinds: tuple[str, ...] = (),
                 kind_names: frozenset[str] = frozenset(), common_words: frozenset[str] = frozenset(),
                 first_names: frozenset[str] = frozenset(), supported_language: str = "fr") -> None:
        self.not_first = frozenset(w.lower() for w in not_first)
        # a kind with its capital, a lower-case word after it: "l'Office municipal des sports"
        self._capitalised_kind = Anchored(re.compile(
            rf"(?<![\w-])(?:{alternation(capitalised_kinds)})(?=[ \t]+[{LOWER}])"),
            capitalised_kinds) if capitalised_kinds else None
        self.kind_names = kind_names  # folded: a kind's own name is no body's ("comité des fêtes")
        self._verb = Anchored(re.compile(rf"(?<![\w'’])(?i:{alternation(verbs)})(?:{SP}(?:euh|heu|hum))*{SP}"), verbs)
        heads = [h for h in _GROUP_HEADS if h in organization_heads]
        self._head_article = Anchored(re.compile(
            rf"(?<![\w-])(?P<head>(?i:{alternation(heads)}))(?:{SP}(?:de{SP}quartier|des{SP}fêtes))?{SP}"
            rf"(?=(?:les|le|la|l['’])(?:{SP}|(?<=['’]))[a-zß-öø-ÿœ])"), heads) if heads else None
        # a neighbourhood body and its name with no article: "le comité de quartier plaine des sables"
        self._body_bare = Anchored(re.compile(
            rf"(?<![\w-])(?i:comité|conseil){SP}de{SP}quartier{SP}(?=[a-zß-öø-ÿœ])"), ("comité", "conseil"))
        # a lower-case name right after a group's head and its article: "l'association mermoz
        # en couleurs" (French puts an adjective there, "l'association sportive", not a noun)
        bare = [h for h in _BARE_HEADS if h in organization_heads]
        # (a filler of speech may come between: "l'association euh mermoz en couleurs")
        self._head_bare = Anchored(re.compile(
            rf"(?<![\w'’-])(?:l['’]|le{SP}|la{SP})(?P<head>(?i:{alternation(bare)})){SP}(?:{_FILLERS}{SP})*"
            rf"(?=[a-zß-öø-ÿœ])"),
            ("l'", "le", "la")) if bare else None
        self.not_bare = frozenset(w.lower() for w in not_bare)
        self.adjective_endings, self.common_words = tuple(e.lower() for e in adjective_endings), common_words
        self.first_names = first_names
        self.remarks = tuple(sorted((r.lower().split() for r in remarks), key=len, reverse=True))
        # "La Tannerie, tiers-lieu de ...": the apposition's head says what the name is
        kinds = alternation((*organization_heads, *place_heads))
        self._apposition = Anchored(re.compile(
            rf"(?<![\w'’-])(?:La|Le|Les|L['’])(?:{SP}|(?<=['’]))(?P<name>{name_chain(_CHAIN_LINKS)}),{SP}"
            rf"(?:(?:un|une|le|la|l['’]|notre|leur|son|sa|ce|cette)(?:{SP}|(?<=['’])))?(?P<head>(?i:{kinds}))(?![\w-])"),
            ("la", "le", "les", "l'"))
        # ... and a name with no article before a kind in apposition: "InCité, la société
        # d'économie mixte, rachète": found from the comma, the name read back from it
        self._kind_after_comma = re.compile(
            rf",{SP}(?:un|une|le|la|l['’]|notre|leur|cette|ce)(?:{SP}|(?<=['’]))(?P<head>(?i:{kinds}))(?![\w-])")
        token = rf"(?:{NAME_TOKEN}|{_CAMEL})"
        self._name_before = re.compile(rf"(?<![\w'’-])(?P<name>{token}(?:{SP}{token}){{0,2}})$")
        # an electoral list or council group by its motto and its town: "la liste Ensemble pour
        # Vitré", "Groupe Agir pour Pamiers (opposition)"; the kind word stays out
        self._motto = Anchored(re.compile(
            rf"(?<![\w-])(?i:liste|groupe)(?:{SP}«)?{SP}(?P<name>[A-ZÀ-Þ][\w'’-]+(?:{SP}[\w'’-]+){{0,2}}?"
            rf"{SP}(?:pour|à|avec|en|pour{SP}la|pour{SP}le|pour{SP}l['’])(?:{SP}|(?<=['’])){name_chain(_CHAIN_LINKS)})"),
            ("liste", "groupe"))
        # ... or its name in quotes, whatever its words: liste « Vierzon en commun », « Le Renouveau »
        self._motto_quoted = re.compile(
            r"(?<![\w-])(?i:liste|listes|groupe)[ \t\u00a0]+«[ \t\u00a0\u202f]*(?P<name>[A-ZÀ-Þ][^«»\n]{1,60}?)"
            r"[ \t\u00a0\u202f]*»")
        # a group's name opened by a capitalised plural, with its article: "les Amis du tissage"
        # (a heading in title case capitalises the link too: "Les Amis Du Musée")
        link = r"(?P<link>(?i:de[ \t]+la[ \t]+|de[ \t]+l['’]|du[ \t]+|des[ \t]+|de[ \t]+|d['’]))"
        self._opened = re.compile(
            rf"(?<![\w'’-])(?:[Ll]es|des|aux)[ \t]+(?P<name>(?:{alternation(group_openers)}))[ \t]+{link}"
        ) if group_openers else None
        # ... and in lower case right after an association's head: "l'association des amis du
        # musée", "une association, les amis de la Flèche" (without the head, "les amis de Paul")
        lower = [o.lower() for o in group_openers]
        self._opened_lower = re.compile(
            rf"(?<![\w-])(?i:association|asso|amicale)(?:{SP}|,{SP})(?:les|des)[ \t]+"
            rf"(?P<name>(?:{alternation(lower)}))[ \t]+{link}") if lower else None
        self.organization_heads = frozenset(organization_heads)
        self.place_heads = frozenset(place_heads)
        self.stop = frozenset(w.lower() for w in stop)
        self.max_words, self.score = max_words, score
        super().__init__(supported_entities=["ORGANIZATION", "LOCATION", "PERSON"],
                         supported_language=supported_language, name="NamingRecognizer")

    def load(self) -> None:
        pass

    def _head_label(self, text: str, start: int) -> str:
        """The label of the nearest head noun before ``start`` in its clause ("" if none)."""
        window = text[max(0, start - 80):start]
        cut = max((m.end() for m in _CLAUSE_END.finditer(window)), default=0)
        for word in reversed(re.findall(r"[^\W\d_][\w-]*", window[cut:].lower())):
            if word in self.organization_heads:
                return "ORGANIZATION"
            if word in self.place_heads:
                return "LOCATION"
        return ""

    def _name_end(self, text: str, start: int, *, lower_ok: bool, inside: frozenset[str] = frozenset(),
                  longest: int = 0) -> tuple[int, int, bool]:
        """(start, end, capitalised) of the name that starts at ``start``, of ``longest`` words at
        most (``max_words`` by default); end == start if none. A leading article stays out of a
        capitalised name ("La Fabrique")."""
        words: list[tuple[int, int, str]] = []
        cursor = start
        while len(words) < (longest or self.max_words):
            match = _TOKEN.match(text, cursor)
            if not match:
                break
            word = match.group("word")
            if (word.lower().rstrip("'’") in self.stop or word.lower() in self.stop) and word.lower() not in inside:
                break
            if not lower_ok and not word[:1].isupper() and word.lower() not in _CONNECTORS:
                break
            words.append((match.start("word"), match.end("word"), word))
            cursor = match.end()
        if words and words[0][2].lower() in _ARTICLES and len(words) > 1 and words[1][2][:1].isupper():
            words = words[1:]
        while words and words[-1][2].lower() in _CONNECTORS | _ARTICLES | inside:
            words.pop()
        if not words:
            return start, start, False
        return words[0][0], words[-1][1], any(w[2][:1].isupper() for w in words)

    def _before_remark(self, text: str, start: int, end: int) -> int:
        """``end`` before the first remark on the name's spelling inside it ("mermoz en couleurs
        en minuscules c'est": ``remarks``), else ``end``."""
        words = list(re.finditer(r"[^\s'’]+['’]?", text[start:end]))
        lowered = [w.group().lower() for w in words]
        cut = min((i for remark in self.remarks for i in range(1, len(words))
                   if lowered[i:i + len(remark)] == remark), default=None)
        return end if cut is None else start + words[cut - 1].end()

    def analyze(self, text: str, entities: list[str], nlp_artifacts: Any = None) -> list[RecognizerResult]:
        results = []
        folded = anchor_text(text)
        for match in self._verb.finditer(text, folded):
            label = self._head_label(text, match.start())
            inside = _CALLED_INSIDE if label == "ORGANIZATION" else frozenset()
            start, end, capitalised = self._name_end(text, match.end(), lower_ok=bool(label), inside=inside)
            if end <= start or not (label or capitalised):
                continue
            if not label:
                label = "ORGANIZATION" if text[match.end():start].strip().lower() in _ARTICLES else "PERSON"
                longer = self._common_noun_name(text, start, end)
                if longer > end:  # "qui s'appelle le Réseau des jardins bretons": a body's name, no person's
                    label, end = "ORGANIZATION", longer
            end = self._before_verb(nlp_artifacts, start, end)
            results.append(make_result(label, start, end, self.score, rule_id=CALLED, recognizer=self.name))
        if self._head_article is not None:
            for match in self._head_article.finditer(text, folded):
                start, end, _caps = self._name_end(text, match.end(), lower_ok=True, inside=_PREPOSITIONS)
                opening = [w.lower() for w in text[start:end].split()[:2]]
                opening = opening[1:] if opening and opening[0] in _ARTICLES else opening
                if opening and (opening[0] in self.not_first or opening[0] in self.not_bare):
                    continue  # "le collectif le samedi": a day of the sentence, no name; "le comité des
                    # fêtes le président du comité": a title, no name
                end = self._before_verb(nlp_artifacts, start, end)
                if end - start > 4 and len(text[start:end].split()) >= 2:
                    results.append(make_result("ORGANIZATION", match.start(), end, self.score,
                                               rule_id=HEAD_ARTICLE, recognizer=self.name))
        for match in self._head_bare.finditer(text, folded) if self._head_bare is not None else ():
            start, end, _caps = self._name_end(text, match.end(), lower_ok=True, inside=_PREPOSITIONS)
            first = text[start:end].split(maxsplit=1)[0].lower() if end > start else ""
            if not first or first in self.not_bare or first in self.not_first or first in _CONNECTORS | _ARTICLES:
                continue  # "l'association loi 1901", "l'association membre du réseau"
            if first in self.common_words and first.endswith(self.adjective_endings):
                continue  # "l'association culturelle du quartier": an adjective of the head
            tokens = tagged_tokens(nlp_artifacts, start, end)
            if not tokens or tokens[0].pos_ not in _BARE_NAME_HEADS:
                continue  # "l'association organise", "l'association elle a": no name follows
            end = self._before_remark(text, start, self._before_verb(nlp_artifacts, start, end))
            if end > start:
                results.append(make_result("ORGANIZATION", start, end, self.score,
                                           rule_id=HEAD_BARE, recognizer=self.name))
        for match in self._body_bare.finditer(text, folded):
            start, end, _caps = self._name_end(text, match.end(), lower_ok=True, inside=_PREPOSITIONS)
            first = text[start:end].split(maxsplit=1)[0].lower() if end > start else ""
            if not first or first in _CONNECTORS or first in _ARTICLES or first in _PREPOSITIONS:
                continue  # "... de la ville", "... et les habitants": tagging the text would say the same
            tokens = tagged_tokens(nlp_artifacts, start, end)
            if not tokens or tokens[0].pos_ not in _NAME_HEADS:
                continue  # "le comité de quartier était là", "... de la ville": no name follows
            end = self._before_verb(nlp_artifacts, start, end)
            results.append(make_result("ORGANIZATION", match.start(), end, self.score,
                                       rule_id=HEAD_ARTICLE, recognizer=self.name))
        opened = [*(self._opened.finditer(text) if self._opened is not None else ()),
                  *(self._opened_lower.finditer(text) if self._opened_lower is not None else ())]
        for match in opened:
            start, end, _caps = self._name_end(text, match.end(), lower_ok=True, inside=_CALLED_INSIDE)
            if end > start:
                end = self._before_verb(nlp_artifacts, start, end)
                results.append(make_result("ORGANIZATION", match.start("name"), end, self.score,
                                           rule_id=OPENED, recognizer=self.name))
        # a name another rule of this recognizer announced is that rule's
        results += [r for r in self._capitalised_kind_names(text, folded, nlp_artifacts)
                    if not any(o.start <= r.start and r.end <= o.end for o in results)]
        quoted = {match.span("name") for match in self._motto_quoted.finditer(text)}
        for start, end in sorted(quoted):
            results.append(make_result("ORGANIZATION", start, end, self.score, rule_id=MOTTO, recognizer=self.name))
        for match in self._motto.finditer(text, folded):
            if match.span("name") in quoted:
                continue
            results.append(make_result("ORGANIZATION", match.start("name"), match.end("name"), self.score,
                                       rule_id=MOTTO, recognizer=self.name))
        for match in self._apposition.finditer(text, folded):
            head = match.group("head").lower()
            if match.group("name").lower() in self.organization_heads | self.place_heads:
                continue  # "La Ville, commune de ...": a common noun with a capital
            label = "ORGANIZATION" if head in self.organization_heads else "LOCATION"
            results.append(make_result(label, match.start("name"), match.end("name"), self.score,
                                       rule_id=APPOSITION, recognizer=self.name))
        for match in self._kind_after_comma.finditer(text):
            before = self._name_before.search(text, max(0, match.start() - 60), match.start())
            if before is None or not self._unknown_word(before.group("name")):
                continue  # "Ensuite, l'association", "Marie, la présidente": a word of French, a person
            head = match.group("head").lower()
            label = "ORGANIZATION" if head in self.organization_heads else \
                "MUNICIPALITY" if head in _TOWN_HEADS else "LOCATION"
            results.append(make_result(label, before.start("name"), before.end("name"), self.score,
                                       rule_id=APPOSITION, recognizer=self.name))
        return results

    def _before_verb(self, nlp_artifacts: Any, start: int, end: int) -> int:
        """With the parsed document, end a name before its first verb or pronoun after its first
        word ("les amis du lavoir vient"; "le club les accueille" keeps nothing after the article).
        A word tagged as a verb right after "des", "du", or that is no French word, is a name's
        word: the tagger reads a rare adjective so ("le Réseau des assos quimperoises")."""
        tokens = tagged_tokens(nlp_artifacts, start, end)
        if tokens is None:
            return end
        for index, token in enumerate(tokens):
            if index >= 1 and token.pos_ in _NOT_IN_NAMES and not (token.pos_ == "VERB" and (
                    tokens[index - 1].text.lower() in _NOUN_AFTER or token.text.lower() not in self.common_words)):
                tokens = tokens[:index]
                break
        if not tokens:
            return start
        return min(end, tokens[-1].idx + len(tokens[-1].text))

    def _capitalised_kind_names(self, text: str, folded: str | None, nlp_artifacts: Any) -> list[RecognizerResult]:
        """``fr.org.capitalised_kind``: after an article in running text, a kind of body with its
        capital and the lower-case words of its name, to a punctuation mark, a stop word, a
        possessive ("pour son soutien"), a new article or a verb."""
        results = []
        for match in self._capitalised_kind.finditer(text, folded) if self._capitalised_kind else ():
            start = match.start()
            if not _KIND_ARTICLE.search(text, max(0, start - 12), start):
                continue  # at a sentence start, in a heading: the capital says nothing
            _start, end, _caps = self._name_end(text, start, lower_ok=True, inside=_KIND_INSIDE, longest=10)
            words = list(re.finditer(r"[^\s'’]+['’]?", text[start:end]))
            lowered = [w.group().lower() for w in words]
            cut = next((i for i in range(1, len(words)) if lowered[i] in _POSSESSIVES or (
                lowered[i] in _ARTICLES and lowered[i - 1] not in _CONNECTORS | _KIND_INSIDE)), len(words))
            while cut > 1 and lowered[cut - 1] in _CONNECTORS | _KIND_INSIDE:
                cut -= 1
            end = self._before_verb(nlp_artifacts, start, start + words[cut - 1].end())
            own = [w for w in text[start:end].split()[1:] if w[:1].islower() and w.lower() not in _CONNECTORS]
            if own and " ".join(fold(text[start:end]).split()) not in self.kind_names:
                results.append(make_result("ORGANIZATION", start, end, self.score, rule_id=CAPITALISED_KIND,
                                           recognizer=self.name))
        return results

    def _common_noun_name(self, text: str, start: int, end: int) -> int:
        """The end of a name announced with no head that opens with a capitalised common noun
        and goes on in lower case, as French writes a body's name ("Réseau des jardins bretons",
        "Pierres et sentiers du Val"); ``end`` when it opens with a first name or a rare word, or
        nothing in lower case follows ("Lina", "Kerbrat")."""
        first = text[start:end].split(maxsplit=1)[0]
        lower = first.lower()
        if not first[:1].isupper() or lower not in self.common_words or first in self.first_names \
                or lower.capitalize() in self.first_names:
            return end
        _start, longer, _caps = self._name_end(text, start, lower_ok=True, inside=_CALLED_INSIDE | {"et"})
        words = list(re.finditer(r"\S+", text[start:longer]))
        lowered = [w.group().lower() for w in words]
        # "... bretons le RJB": the name ends before a new article
        cut = next((i for i in range(1, len(words)) if lowered[i] in _ARTICLES and lowered[i - 1] not in _CONNECTORS),
                   len(words))
        if not any(words[i].group()[:1].islower() and lowered[i] not in _CONNECTORS for i in range(1, cut)):
            return end  # nothing in lower case after the noun: "Caramel", a name of its own
        return start + words[cut - 1].end()

    def _unknown_word(self, name: str) -> bool:
        """A name that is no French word, article or first name: one of its words is no common
        word, or is written with a capital inside ("InCité"); its first word is no article."""
        words = name.split()
        if words[0].lower() in _ARTICLES or words[0].lower() in {"un", "une", "des"} or words[0] in self.first_names:
            return False
        return any(w.lower() not in self.common_words or any(c.isupper() for c in w[1:]) for w in words) \
            and not name.isupper()


# a word written with a capital inside, a body's name ("InCité", "BioCoop")
_CAMEL = rf"[{UPPER}][{LOWER}]+[{UPPER}][{UPPER}{LOWER}]*(?![\w'’-])"
_TOWN_HEADS = frozenset({"commune", "ville"})
# fillers of speech between a head and its name ("l'association euh les amis du lavoir")
_FILLERS = r"(?:euh|heu|hum|bah|ben)(?![\w'’-])"
_CHAIN_LINKS = ("de", "du", "des", "d'", "de la", "de l'", "la", "le", "les", "l'", "sur", "en", "aux", "au")
_NAME_HEADS = frozenset({"NOUN", "PROPN", "ADJ"})
_BARE_NAME_HEADS = frozenset({"NOUN", "PROPN", "ADJ"})  # the tagger reads "mermoz en couleurs" as ADJ
# heads after which (and their article) a lower-case name may follow with no article of its own
_BARE_HEADS = ("association", "asso", "collectif")


# the article before a kind with its capital in running text ("de l'Office", "à la Fédération")
_KIND_ARTICLE = re.compile(r"(?:(?<![\w'’-])(?:la|le|les|du|des|au|aux)[ \t]+|(?<![\w'’-])[ld]['’])\Z")
_KIND_INSIDE = frozenset({"pour", "en", "sur"})  # "Association provençale pour l'insertion des jeunes"
_POSSESSIVES = frozenset({"son", "sa", "ses", "leur", "leurs", "notre", "nos", "votre", "vos", "mon", "ma", "mes"})
# after these a word is a noun, whatever the tagger says ("le Réseau des assos": no verb follows "des")
_NOUN_AFTER = frozenset({"de", "du", "des", "d'", "d’", "au", "aux"})


