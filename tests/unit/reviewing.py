"""Shared by the review tests: a hand-written interview and hand-made marks on it."""

from __future__ import annotations

import re

from anonymiser.review.attention import Mark

TEXT = ("Isabelle Marchal travaille à Poitiers depuis 2015.\n"
        "Elle a revu Mme Marchall et Zorglub au marché de la Ville.\n"
        "La commune compte 2 300 habitants et un budget de 1,2 millions d'euros.\n")


def mark(text: str, form: str, label: str, entity: str, *, index: int = 0, score: float = 0.99, mentions: int = 2,
         occurrence: int = 0, checked: bool = False) -> Mark:
    start = [m.start() for m in re.finditer(re.escape(form), text)][occurrence]
    return Mark(index, start, start + len(form), label, form, "test.rule", score, entity, "X", start,
                start + len(form), mentions=mentions, checked=checked)


def demo_marks(text: str = TEXT) -> list[Mark]:
    return [mark(text, "Isabelle Marchal", "PERSON", "PER-0001", index=0),
            mark(text, "Poitiers", "MUNICIPALITY", "COM-0001", index=1, score=0.5, mentions=1)]

