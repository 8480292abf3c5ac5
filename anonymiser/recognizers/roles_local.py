"""ROLE ``fr.role.local``: a title of one local body or unit said without its name (roles.py).

- a unit of the place the text is about, with or without an article: "le maire de quartier", "la
  secrétaire de mairie", "le médecin du village", "la présidente du club de rugby";
- an arrondissement, in digits or words: "le maire du 8e", "la maire du onzième";
- a body that points at one person only with its article: "la directrice de l'école", "le
  directeur d'une usine", "la présidente de l'asso" (bare, "directrice d'école" and "chef
  d'entreprise" say a kind of work: rules/roles.yaml ``article_units``);
- where one works, with the body's article: "elle était institutrice à l'école du bourg";
- with a subject or a domain between the title and the unit: "la prof de maths du collège",
  "l'animatrice jeunesse du centre social" (a bare word only after a title that takes a domain,
  and never a verb of the parsed text: "le maire parle du village" is no title).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from anonymiser.recognizers.lexical import SP, Anchored, alternation, tagged_tokens
from anonymiser.text.fold import fold

LOWER_WORD = r"[a-zß-öø-ÿœ][a-zß-öø-ÿœ'’-]*"
_VERBS = frozenset({"VERB", "AUX"})
_PARTICIPLE = ("é", "ée", "és", "ées")
_POSSESSIVES = r"(?:notre|ma|mon|la|le|cette|ce|ta|votre)"
_DEFINITE = re.compile(r"(?<![\w'’-])(?i:la|le|l['’]|notre|sa|son|leur|votre|cette|ce)[ \t]*$")


class LocalTitles:
    """Finds ``(start, end)`` of the titles of the module's docstring."""

    def __init__(self, *, titled_head: str, anchors: tuple[str, ...], own: str, domain_heads: tuple[str, ...],
                 units: tuple[str, ...], article_units: tuple[str, ...], domain_stop: tuple[str, ...],
                 ordinals: tuple[str, ...] = ()) -> None:
        bare = alternation(units) if units else "(?!)"
        with_article = alternation(article_units) if article_units else "(?!)"
        # a subject ("de maths", "d'anglais") or one word of a domain ("jeunesse") before the unit
        pre = rf"(?P<pre>{SP}(?:(?:de|d['’])(?:{SP}|(?<=['’])){own}{LOWER_WORD}|{own}{LOWER_WORD}))?"
        article = (rf"(?:du|des|de{SP}la|de{SP}l['’]|de{SP}(?:notre|mon|ma|cette|ce|leur|son|sa)"
                   rf"|de{SP}ces)(?:{SP}|(?<=['’]))")
        bare_link = rf"(?:de|d['’])(?:{SP}|(?<=['’]))(?:{_POSSESSIVES}{SP})?"
        # "la directrice d'une école": one of them, when the title has its article ("être secrétaire
        # d'un syndicat" is anyone's; a unit of the place is no one of many: "le maire d'une commune")
        one_of = rf"(?P<one_of>d['’]une?{SP})"
        # where one works, with the body's article: "institutrice à l'école du bourg"; a body
        # with a capital is its own span ("chargée de mission à la Région")
        at = rf"(?:à{SP}l['’]|à{SP}la{SP}|au{SP})"
        # an arrondissement: "le maire du 8e", "la mairie du onzième"
        spelled = alternation(ordinals) if ordinals else "(?!)"
        district = rf"(?:(?:[1-9]|1\d|20)(?:er|e|è|ème|eme|ᵉ)|(?i:{spelled}))(?:{SP}arrondissement)?"
        self._pattern = Anchored(re.compile(
            rf"(?<![\w-])(?P<role>{titled_head}{pre}{SP}(?:{article}(?:{_POSSESSIVES}{SP})?(?i:{bare}|{with_article})"
            rf"|{one_of}(?i:{with_article})|{bare_link}(?i:{bare})|du{SP}{district}"
            rf"|{at}(?=[a-zß-öø-ÿœ])(?i:{with_article})))(?![\w-])"), anchors)
        # what a unit's kind says of it: "du club [de rugby]", "de l'amicale [laïque]", "l'école [maternelle]"
        stop = alternation(domain_stop) if domain_stop else "(?!)"
        self._tail = re.compile(
            rf"{SP}(?:(?:de|du|des|d['’])(?:{SP}|(?<=['’])){own}{LOWER_WORD}(?![\w'’-])"
            rf"|(?!(?:{stop})(?![\w'’-]))"
            rf"[a-zß-öø-ÿœ]+(?:que|ale|al|ive|if|elle|el|aire|ole|ien|ienne|iste|aux)(?![\w'’-]))")
        self.domain_heads = {fold(h) for h in domain_heads}

    def finditer(self, text: str, folded: str | None, nlp_artifacts: Any) -> Iterator[tuple[int, int]]:
        for match in self._pattern.finditer(text, folded):
            pre = match.group("pre")
            if pre and not re.match(r"\s*(?:de|d['’])", pre):
                head = text[match.start("role"):match.start("pre")]
                if fold(head) not in self.domain_heads:
                    continue  # "le maire parle du village": a bare word after a title that takes no domain
            if pre and _has_verb(nlp_artifacts, match.start("pre"), match.end("pre")):
                continue
            if match.group("one_of") and not _DEFINITE.search(text, max(0, match.start() - 12), match.start()):
                continue
            tail = self._tail.match(text, match.end("role"))
            yield match.start("role"), tail.end() if tail else match.end("role")


def _has_verb(nlp_artifacts: Any, start: int, end: int) -> bool:
    """True when the parsed text has a verb in ``[start, end)`` (a participle is a title's word)."""
    for token in tagged_tokens(nlp_artifacts, start, end) or []:
        if token.pos_ in _VERBS and start <= token.idx < end and not token.text.lower().endswith(_PARTICIPLE):
            return True
    return False
