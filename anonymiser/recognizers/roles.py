"""ROLE: a title or mandate tied to a named place or organisation ("maire de Lusignan",
"adjointe à l'urbanisme de Rezé"), or given as the respondent's own ("Nadia Haddad,
Responsable Développement – Entreprises à ...", "je suis chargée de mission ...")."""

from __future__ import annotations

import re
from typing import Any

from presidio_analyzer import LocalRecognizer, RecognizerResult

from .base import make_result
from .lexical import CAP, CAPS, CONNECTORS, LOWER, alternation, name_chain


class FrenchRoleRecognizer(LocalRecognizer):
    """Rule-based ROLE recognizer built from ``rules/roles.yaml``."""

    def __init__(
        self,
        *,
        heads: tuple[str, ...],
        links: tuple[str, ...],
        max_domain_words: int,
        scores: dict[str, float],
        supported_language: str = "fr",
    ) -> None:
        head = alternation(heads)
        link = alternation(links)
        chain = name_chain(CONNECTORS)
        domain = rf"(?:\s+(?:{link}\s*)?[{LOWER}][{LOWER}'’-]*){{0,{max_domain_words}}}"
        # head [domain words] link NamedThing
        self._titled = re.compile(
            rf"(?<![\w-])(?P<role>{head}(?:\s+{CAP})?{domain}\s+{link}\s*(?:{chain}))",
            re.IGNORECASE,
        )
        # respondent's own role: after "Name Surname, " or "je suis / en tant que"
        person = rf"(?:{CAP}|{CAPS})(?:[\s-](?:{CAP}|{CAPS})){{1,3}}"
        tail = r"[^\n,;.()]{0,70}?"
        stop = r"(?=\s+(?:à|au|aux|chez|pour|dans|depuis|sur)\s|\s*[,;.()\n]|\s*$)"
        self._respondent = re.compile(
            rf"(?:{person}\s*,\s*|(?:je suis|j['’]étais|je suis aujourd['’]hui|en tant que|en qualité de)\s+(?:l['’]|le\s+|la\s+)?)"
            rf"(?P<role>{head}\b{tail}){stop}",
            re.IGNORECASE | re.MULTILINE,
        )
        self._heads_re = re.compile(rf"^{head}$", re.IGNORECASE)
        self.scores = scores
        super().__init__(supported_entities=["ROLE"], supported_language=supported_language,
                         name="FrenchRoleRecognizer")

    def load(self) -> None:  # noqa: D102
        pass

    def analyze(self, text: str, entities: list[str], nlp_artifacts: Any = None) -> list[RecognizerResult]:
        results = []
        for match in self._titled.finditer(text):
            role = match.group("role")
            # the named complement must really be capitalised (IGNORECASE relaxes the chain)
            last = role.split()[-1]
            if not last[:1].isupper():
                continue
            results.append(make_result("ROLE", match.start("role"), match.end("role"),
                                       self.scores.get("fr.role.titled", 0.85),
                                       rule_id="fr.role.titled", recognizer=self.name))
        for match in self._respondent.finditer(text):
            role = match.group("role").rstrip()
            if not role:
                continue
            start = match.start("role")
            results.append(make_result("ROLE", start, start + len(role),
                                       self.scores.get("fr.role.respondent", 0.8),
                                       rule_id="fr.role.respondent", recognizer=self.name))
        return results
