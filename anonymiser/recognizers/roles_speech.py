"""What the words before a title say of it (roles.py): a determiner that makes it anyone's ("une
chargée de mission", "les adjoints"), unless the speaker introduces one person with it ("on a un
délégué du préfet pour les quartiers"); an auxiliary that makes it a participle ("on a élu un
bureau"); a figure of speech ("c'est un peu le maire du quartier"). And the parsed text's verbs,
which end a title's domain."""

from __future__ import annotations

import re
from typing import Any

from anonymiser.recognizers.lexical import tagged_tokens
from anonymiser.text.fold import fold

_WORDS = re.compile(r"[\w'’]+")
_ONE = frozenset({"un", "une"})
_VERBS = frozenset({"VERB", "AUX"})
_PARTICIPLE = ("é", "ée", "és", "ées")


class Before:
    """The word lists of rules/roles.yaml that a title's left context is read with (folded)."""

    def __init__(self, *, generic: tuple[str, ...], introducers: tuple[str, ...], verb_before: tuple[str, ...],
                 hedges: tuple[str, ...]) -> None:
        self.generic_words = {fold(w) for w in generic}
        self.introducers = tuple(fold(w).split() for w in introducers)
        self.verb_before = {fold(w) for w in verb_before}
        self.hedges = tuple(_said(h) for h in hedges)

    def _words(self, text: str, start: int) -> list[str]:
        return [fold(w).replace("’", "'") for w in _WORDS.findall(text[max(0, start - 40):start])]

    def generic(self, text: str, start: int) -> bool:
        """True when the word before ``start`` is a determiner that makes a role generic, and no
        introducer of one person comes before an indefinite one ("il y a une", "on a un")."""
        words = self._words(text, start)
        if not words or words[-1] not in self.generic_words:
            return False
        return not (words[-1] in _ONE and any(words[-1 - len(i):-1] == i for i in self.introducers))

    def after_auxiliary(self, text: str, start: int) -> bool:
        """True when the word before ``start`` is an auxiliary: a participle then ("on a élu")."""
        words = self._words(text, start)
        return bool(words) and words[-1] in self.verb_before

    def hedged(self, text: str, start: int) -> bool:
        """True when a figure of speech comes right before ``start`` ("un peu le", "comme la")."""
        before = _said(text[max(0, start - 40):start])
        return any(before == h or before.endswith(" " + h) for h in self.hedges)


def _said(text: str) -> str:
    """Folded, with one kind of apostrophe and single spaces, without trailing ones."""
    return re.sub(r"\s+", " ", fold(text).replace("’", "'")).strip()


def before_verb(nlp_artifacts: Any, start: int, end: int) -> int:
    """With the parsed document, end a title's domain (from ``start``) before its first verb
    ("l'adjointe à la culture [viendra] jeudi"; a participle is a title's word: "conseillère
    municipale déléguée à la jeunesse"); ``end`` unchanged without one."""
    tokens = tagged_tokens(nlp_artifacts, start, end) or []
    for index, token in enumerate(tokens):
        if token.pos_ in _VERBS and token.idx >= start and not token.text.lower().endswith(_PARTICIPLE):
            kept = [t for t in tokens[:index] if t.idx >= start]
            return kept[-1].idx + len(kept[-1].text) if kept else start
    return end
