"""Render (pure): the text that replaces one mention, by the strategy of its label.

``realistic`` uses the entity's stored pseudonym in the shape of the mention; ``tag`` is
computed from the entity id ("[COMMUNE_2]"); ``generalise`` from the original and the
gazetteer ("une petite ville", "maire d'une petite ville"); ``redact`` is "[…]"; ``keep``
leaves the mention as it is (the audit marks it as kept). An
explicit pseudonym (``anonymiser key add --pseudonym``) wins over every strategy.
``Renderer.adjust`` then recomputes the function word before the mention (grammar.py), and
``Renderer.follow`` the words after a neutral phrase that agree with it (agreement.py).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import replace

from anonymiser.assign.evidence import NEUTRAL
from anonymiser.assign.persons import person_parts
from anonymiser.assign.pools import Pools
from anonymiser.assign.realistic import realistic_of
from anonymiser.config.rules import Config
from anonymiser.errors import ConfigError
from anonymiser.i18n import N_
from anonymiser.link import Linked, form_key
from anonymiser.model import Entity, Span
from anonymiser.recognizers.lexical import sentence_initial
from anonymiser.text.agreement import agree, gender, plural
from anonymiser.text.fold import fold
from anonymiser.text.grammar import adjust
from anonymiser.text.names import as_surname, parse_name, render_name
from anonymiser.text.phrases import join_after, leading, split_role
from anonymiser.text.places import describe_commune

WINDOW = 24  # characters looked at before a mention for its function word


def parse_strategies(text: str, config: Config) -> dict[str, str]:
    """``"PERSON=tag,MUNICIPALITY=generalise"`` -> a checked mapping (error names the option)."""
    choices: dict[str, str] = {}
    for item in filter(None, (part.strip() for part in text.split(","))):
        label, sep, strategy = item.partition("=")
        if not sep:
            raise ConfigError("--strategy", N_("expected LABEL=STRATEGY, got '%(item)s'"), item=item)
        choices[label.strip().upper()] = strategy.strip().lower()
    return config.pseudonym_rules.check_strategies(choices, "--strategy")


def civility_hints(linked: Linked, genders: Mapping[tuple[str, int, int], str]) -> dict[int, str]:
    """Cluster index -> gender given by a civility just before one of its mentions ("Mme
    Marchal"); ``genders`` maps ``(document id, start, end)`` of a mention to F or M (see
    ``civility_before``)."""
    hints: dict[int, str] = {}
    for document, span, cluster in linked.mentions:
        if span.label != "PERSON" or cluster in hints:
            continue
        gender = genders.get((document, span.start, span.end), "")
        if gender:
            hints[cluster] = gender
    return hints


def article_hints(linked: Linked, shapes: Mapping[tuple[str, int, int], str]) -> dict[int, str]:
    """Cluster index -> what the articles before an organisation's mentions say of its name
    («la Clairière»: F; ``article_shape``), the shape most of them give, the first on a tie."""
    counts: dict[int, dict[str, int]] = {}
    for document, span, cluster in linked.mentions:
        shape = shapes.get((document, span.start, span.end), "") if span.label == "ORGANIZATION" else ""
        if shape:
            counted = counts.setdefault(cluster, {})
            counted[shape] = counted.get(shape, 0) + 1
    return {cluster: max(counted, key=lambda s: counted[s]) for cluster, counted in counts.items()}


def civility_before(text: str, start: int, civility_gender: Mapping[str, str]) -> str:
    """F or M when a civility ends just before ``start`` (one space between)."""
    before = text[max(0, start - 14):start]
    if not before.endswith((" ", "\u00a0")):
        return ""
    words = before.split()
    if not words:
        return ""
    word = words[-1]
    boundary = len(before.rstrip()) - len(word) - 1
    if boundary >= 0 and before[boundary].isalnum():
        return ""
    return civility_gender.get(word, "")


class Renderer:
    """Strategy per label, applied to one mention; built per run."""

    def __init__(self, config: Config, pools: Pools, first_names: frozenset[str],
                 strategies: Mapping[str, str] | None = None,
                 bare_name: Callable[..., str] | None = None) -> None:
        self.config = config
        self.bare_name = bare_name  # an organisation's name without its kind word (detect.labels)
        self.rules = config.pseudonym_rules
        self.pools = pools
        self.first_names = first_names
        self.strategies = {**self.rules.strategies, **(strategies or {})}
        self.civility_words = {**{c: "X" for c in config.civilities}, **self.rules.civility_gender}
        self.kinds = {fold(k): v for k, v in self.rules.org_kinds.items()}
        self.municipal_heads = {fold(h) for h in self.rules.municipal_heads}
        self.place_nouns = {fold(n) for n in self.pools.place_nouns}
        # the last words of nouns a name completes ("place X", "l'association X", "Mme X"):
        # a neutral phrase cannot follow them
        self.naming_words = {fold(w).split()[-1] for w in (*pools.place_nouns, *pools.org_heads, *pools.role_heads,
                                                           *config.civilities, *self.rules.neutral_not_after)
                             if fold(w).split()}

    def strategy(self, entity: Entity) -> str:
        if entity.attribute("explicit"):
            return "realistic"
        return self.strategies.get(entity.label, "tag")

    def render(self, span: Span, entity: Entity) -> str:
        """The text for this mention, before grammar."""
        strategy = self.strategy(entity)
        if strategy == "keep":
            return span.text
        if strategy == "redact":
            return self.rules.redaction
        if strategy == "tag":
            number = entity.id.split("-")[-1].lstrip("0") or "0"
            return f"[{self.config.tags.get(entity.label, entity.label)}_{number}]"
        if strategy == "realistic" and entity.attribute(NEUTRAL) and not entity.attribute("explicit"):
            return entity.attribute(NEUTRAL)  # weak evidence: "une structure", never a proper name
        if entity.label == "PERSON":
            first, last = person_parts(entity)
            return render_name(parse_name(span.text, self.first_names), first, last)
        new = realistic_of(entity) if strategy == "realistic" else self.generalise(entity)
        if strategy == "realistic" and entity.label == "ORGANIZATION":
            new = self._organization_shape(span.text, entity.canonical, new)
        return _follow_case(span.text, new)

    def kept(self, entity: Entity) -> bool:
        """Whether ``entity``'s mentions are left as they are (strategy ``keep``)."""
        return self.strategy(entity) == "keep"

    def _organization_shape(self, mention: str, canonical: str, new: str) -> str:
        """An organisation's pseudonym in the shape of the mention: with its kind word when the
        mention has one, without when it has none ("SCOP La Clairière" and "La Clairière")."""
        if self.bare_name is None or not canonical:
            return new
        bare_canonical, bare_mention = self.bare_name(canonical), self.bare_name(mention)
        if bare_canonical and not bare_mention and form_key("", mention) == form_key("", bare_canonical):
            return self.bare_name(new, strict=False) or new
        if bare_mention and not bare_canonical and form_key("", bare_mention) == form_key("", canonical):
            return mention[:len(mention) - len(bare_mention)] + new
        return new

    def generalise(self, entity: Entity) -> str:
        """The generalised form, remembered in the key file when the entity was created (a
        pseudonymising run cannot read the original it is computed from)."""
        if entity.attribute("generalised"):
            return entity.attribute("generalised")
        if not entity.canonical:
            return self.rules.role_fallback if entity.label == "ROLE" else self.rules.redaction
        return self.generalise_original(entity)

    def generalise_original(self, entity: Entity) -> str:
        if entity.label == "MUNICIPALITY":
            return self.commune(entity.canonical)
        if entity.label == "ORGANIZATION":
            return self.organization_kind(entity.canonical)
        if entity.label == "ROLE":
            return self.role(entity.canonical)
        return self.rules.redaction

    def commune(self, name: str) -> str:
        return describe_commune(self.pools.gazetteer.get(name), self.rules.commune_rules, self.rules.place_default)

    def organization_kind(self, name: str) -> str:
        return self.known_kind(name) or self.rules.org_kind_default

    def known_kind(self, name: str) -> str:
        """The kind of organisation its head or its last word says ("la Mairie de X": "une
        mairie"), or ""."""
        head = leading(_ARTICLE.sub("", name), self.rules.org_kinds, ignore_case=True)
        if head:
            return self.kinds[fold(head)]
        for suffix, kind in self.rules.org_suffix_kinds.items():
            if name.endswith(" " + suffix):
                return kind
        return ""

    def role(self, canonical: str) -> str:
        """"maire de Quimperlé" -> "maire d'une petite ville": the family stays, the tail is generalised."""
        role = split_role(canonical, self.pools.org_heads, self.pools.role_heads)
        if not role.tail:
            return role.family or self.rules.role_fallback
        street = _STREET_END.search(role.family)
        if street and fold(street.group("noun")) in self.place_nouns:
            # "la couturière de la rue des Jacobins" -> "la couturière du quartier": the street said
            # by a noun, not a name, reads as French
            return role.family[:street.start()] + " du quartier"
        commune = self.pools.gazetteer.get(role.tail)
        if commune is not None:
            return join_after(role.family + role.link, self.commune(role.tail), label="MUNICIPALITY")
        if leading(role.tail, self.pools.org_heads, ignore_case=True) or \
                fold(role.family) not in self.municipal_heads:
            return join_after(role.family + role.link, self.organization_kind(role.tail), label="ORGANIZATION")
        return join_after(role.family + role.link, self.rules.place_default, label="MUNICIPALITY")

    def adjust(self, text: str, cursor: int, span: Span, entity: Entity, new: str) -> tuple[int, str]:
        """How many characters before ``span`` the replacement takes over, and its text."""
        if self.strategy(entity) == "keep":
            return 0, new
        if entity.label == "PERSON" and self.strategy(entity) == "realistic" and not entity.attribute(NEUTRAL) \
                and civility_before(text, span.start, self.civility_words):
            first, last = person_parts(entity)  # "M. Martin": the surname, even one that is a first name
            new = render_name(as_surname(parse_name(span.text, self.first_names)), first, last)
        before = text[max(0, span.start - WINDOW):span.start]
        if new == entity.attribute(NEUTRAL) and self.completes_a_noun(before):
            new = self.render(span, replace(entity, attributes=tuple(
                (k, v) for k, v in entity.attributes if k != NEUTRAL)))  # "place Fichet": a name it is
        if gender(new) and self.plural_subject(before, span.text):
            new = plural(new)  # "les Glycines sont" -> "des lieux sont": the phrase takes the name's number
        if entity.label == "MUNICIPALITY":
            name_article = self.pools.gazetteer.takes_article(span.text)
        elif entity.label == "LOCATION":
            name_article = not leading(span.text, self.pools.place_nouns, ignore_case=True)
        else:
            name_article = False
        adjusted = adjust(before, new, label=entity.label, name_article=name_article,
                          sentence_start=span.text[:1].isupper() and sentence_initial(text, span.start),
                          apostrophe=_apostrophe(text, span.start), h_aspire=self.rules.h_aspire)
        if adjusted.consumed > span.start - cursor:
            return 0, new
        taken = text[span.start - adjusted.consumed:span.start]
        if _all_capitals(taken) and _all_capitals(span.text) and not new.startswith("["):
            # "LES RÉPARATEURS DU RIED" -> "LES MAINS VERTES": the words it takes over keep their capitals
            return adjusted.consumed, adjusted.text.upper()
        return adjusted.consumed, adjusted.text


    def follow(self, text: str, span: Span, entity: Entity, new: str, limit: int) -> tuple[int, str]:
        """How many characters after ``span`` agree with the neutral phrase that replaces it
        (``new``, the text of the whole range), and their new text: «la Bergerie, elle est
        fermée» -> «un lieu, il est fermé». Up to ``limit`` and the end of the line."""
        phrase = self.render(span, entity) if self.strategy(entity) in {"realistic", "generalise"} else ""
        told = gender(phrase)
        if not told or entity.label == "ROLE" or fold(phrase.split(" ", 1)[1]) not in fold(new):
            return 0, ""
        line = _line_before(text, span.start)
        before = _ARTICLE_END.sub("", line)
        after = text[span.end:min(limit, span.end + WINDOW * 3)].split("\n", 1)[0]
        subject = not _PREPOSITION_END.search(before)
        topic = subject and (not before.strip() or bool(_CLAUSE_END.search(before)))
        found = agree(after, gender=told, subject=subject, topic=topic, was=_was(line, span, entity),
                      complement=bool(_DE_END.search(before)))
        return found.consumed, found.text

    @staticmethod
    def plural_subject(before: str, mention: str) -> bool:
        """Whether a mention is a name in the plural that may be the subject of the verb after
        it ("les Glycines sont", "Les Ateliers X ont"): its neutral phrase goes in the plural so
        the verb still agrees. After a preposition ("aux Glycines", "des Ateliers X") the phrase
        stays in the singular: "dans un lieu", "d'un atelier" read better than "de lieux"."""
        if _PLURAL_NAME.match(mention):
            return not _PREPOSITION_END.search(before)
        found = _PLURAL_ARTICLE.search(before)
        rest = before[:found.start() + 1] if found is not None else ""
        # "les Hauts et les Bas sont": two singulars take the plural verb too
        return found is not None and not _PREPOSITION_END.search(rest) and not _COORDINATION_END.search(rest)

    def completes_a_noun(self, before: str) -> bool:
        """True when the text ``before`` a mention ends with a noun the mention names
        ("rue ", "l'association ", "Mme ", "côté "): no phrase like "une personne" fits there."""
        match = _LAST_WORD.search(before)
        return match is not None and fold(match.group(1)) in self.naming_words


_ARTICLE = re.compile(r"^(?:[Ll]a |[Ll]e |[Ll]es |[Ll]['’])")
_OWN_ARTICLE = re.compile(r"^(?:La |Le |Les |L['’])(?=[A-ZÀ-Þ])")
_STREET_END = re.compile(r" (?:de la|de l['’]|du|des|de) ?(?P<noun>[\w-]+)$")
_PLURAL_ARTICLE = re.compile(r"(?:^|\W)les\s+$", re.IGNORECASE)
_PLURAL_NAME = re.compile(r"^[Ll]es\s")
_COORDINATION_END = re.compile(r"(?:^|\W)(?:et|ou|ni)\s*$", re.IGNORECASE)
_ARTICLE_END = re.compile(r"(?:(?<=\W)|^)(?:la|le|les|l['’])\s*$", re.IGNORECASE)
# a mention after a preposition is no subject of the verb after it ("le chemin de la Bergerie est ...")
_PREPOSITION_END = re.compile(r"(?:^|\W)(?:à|de|d['’]|du|des|au|aux|dans|chez|vers|pour|par|avec|sur|sous|en|entre|"
                              r"près|depuis|jusqu['’]|contre|sans|devant|derrière|après|avant|pendant)\s*$",
                              re.IGNORECASE)
# where a clause starts: a mention there, taken up by a pronoun after a comma, is the topic
_CLAUSE_END = re.compile(r"(?:[.!?:;«]\s*|(?:^|\W)(?:et|mais|alors|donc|bon|ben|euh|puis|parce que|que|qu['’]|"
                         r"oui|non|ouais)\s+)$", re.IGNORECASE)
_LAST_WORD = re.compile(r"([\w.-]+)[ \u00a0]+$")
_DE_END = re.compile(r"(?:^|\W)(?:de|d['’]|du|des)\s*$", re.IGNORECASE)  # a noun's complement may follow
_ARTICLE_GENDER = re.compile(r"(?:^|\W)(la|le|du|au)\s+$", re.IGNORECASE)


# ``follow`` reads the line before a mention with patterns anchored at its end, which see its
# last few words: the last ``_REACH`` characters of a long line, from a blank on, read the same
# when they hold ``_ENOUGH`` non-blank characters (more than any of those patterns matches)
_REACH = 400
_ENOUGH = 40
_BLANK = re.compile(r"\s")


def _line_before(text: str, start: int) -> str:
    """The text of the line before ``start``, or, for a long line, its end as ``follow``'s
    patterns read it: a text in one line of a megabyte is not copied and searched once per
    mention (that made writing it grow with the square of its length)."""
    reach = max(0, start - _REACH)
    line = text.rfind("\n", reach, start) + 1
    if line > 0 or reach == 0:
        return text[line:start]
    blank = _BLANK.search(text, reach, start)
    tail = text[blank.end():start] if blank is not None else ""
    if len(_BLANK.sub("", tail)) >= _ENOUGH:
        return tail
    return text[text.rfind("\n", 0, start) + 1:start]


def _was(before: str, span: Span, entity: Entity) -> str:
    """The gender (M, F) a mention had in the text: a person's, else its article's («la
    Bergerie», «du Comptoir», «Le Comptoir»); "" when no article tells it («l'», «les»)."""
    if entity.label == "PERSON":
        return entity.attribute("gender") if entity.attribute("gender") in {"M", "F"} else ""
    found = _ARTICLE_GENDER.search(before) or _ARTICLE_GENDER.search(" " + span.text.split(" ", 1)[0] + " ")
    return "" if found is None else "F" if found.group(1).lower() == "la" else "M"


def _all_capitals(text: str) -> bool:
    """Two letters or more, every one a capital."""
    letters = [c for c in text if c.isalpha()]
    return len(letters) > 1 and all(c.isupper() for c in letters)


def _follow_case(mention: str, new: str) -> str:
    """Upper-case mentions stay upper-case; a kept head word keeps the mention's capital."""
    if _all_capitals(mention) and not new.startswith("["):
        # the name's own article stays an article ("Le MOULIN"), which the grammar then joins to
        # the words before it («le SYDEC» -> «le MOULIN», not «le LE MOULIN»)
        own = _OWN_ARTICLE.match(new)
        return new[:own.end()] + new[own.end():].upper() if own else new.upper()
    first_mention, first_new = mention.split(" ")[0], new.split(" ")[0]
    if fold(first_mention) == fold(first_new) and mention[:1].isupper() != new[:1].isupper():
        return mention[:1] + new[1:]
    return new


def _apostrophe(text: str, start: int) -> str:
    """The apostrophe the document uses near ``start`` (straight by default)."""
    window = text[max(0, start - 400):start]
    straight, curly = window.rfind("'"), window.rfind("’")
    return "’" if curly > straight else "'"
