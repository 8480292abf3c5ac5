"""The names one span of ``LabelEvidence.settle`` holds: a kind before a commune left out, a coordination cut."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from anonymiser.model import Span
from anonymiser.text.fold import fold, fold_key

if TYPE_CHECKING:
    from anonymiser.detect.labels import LabelEvidence

_TOKEN = re.compile(r"\S+")
_ARTICLE = re.compile(r"^(?:l['’]|la\s+|le\s+|les\s+)", re.IGNORECASE)
# Where a coordination splits: "X et Y", "X, Y et Z", "X + Y" (a transcript's pause mark).
_COORDINATION = re.compile(r"\s*,\s+|\s+(?:et|\+)\s+")


def kind_of_place(evidence: LabelEvidence, text: str, span: Span) -> Span:
    """An organisation span of a lower-case kind and a commune, a first name or a place ("la ville de
    Rezé", "une clinique Cours de Kervec"): the name alone, with its label; else ``span``."""
    if span.label != "ORGANIZATION":
        return span
    tokens = list(_TOKEN.finditer(span.text))
    after = 1  # the name is looked for after the kind's first word
    acronym = next((i for i, t in enumerate(tokens[:2]) if t.group(0) in evidence.generic_acronyms
                    and not evidence.org_heads.match(fold(t.group(0)))
                    and not evidence.kind_heads.match(fold(t.group(0)))), None)
    if acronym is not None and (acronym == 0 or _ARTICLE.match(tokens[0].group(0) + " ")):
        after = acronym + 1  # "les PME de Lorient": a kind of body, and where they are
    elif not span.text[:1].islower():
        return span
    elif span.recognizer == "fr.org.kind_of_place" or evidence.kind_heads.match(fold(span.text)):
        if not evidence.indefinite.search(fold(text[max(0, span.start - 12):span.start])):
            return span
    elif span.recognizer != "fr.org.head_lower":
        return span
    first = next((i for i, t in enumerate(tokens) if i >= after and (t.group(0)[:1].isupper() or
                  (t.group(0)[:2].lower() in {"d'", "d’"} and t.group(0)[2:3].isupper()))), None)
    if first is None:
        return span
    start = span.start + tokens[first].start()
    if text[start:start + 2].lower() in {"d'", "d’"}:
        start += 2
    tail = text[start:span.end]
    words = fold_key(tail).split()
    if evidence.commune(tail) or (evidence.municipal_kinds.match(fold(span.text)) and len(words) <= 3):
        label = "MUNICIPALITY"  # "la ville de Rosny": a commune, in the gazetteer or not
    elif evidence.first_name(tail):
        label = "PERSON"
    elif len(words) > 1 and words[0] in evidence.place_heads and evidence.indefinite.search(
            fold(text[max(0, span.start - 12):span.start])):
        label = "LOCATION"  # "une clinique Cours de Vincennes": where it is
    else:
        return span
    return Span.of(text, start, span.end, label, score=span.score, recognizer=span.recognizer,
                   propagated=span.propagated)


def _place_headed(evidence: LabelEvidence, part: str) -> bool:
    """A capitalised place noun and a name after it ("Porte de la Villette", "Rue Kervec")."""
    return part[:1].isupper() and len(words := fold_key(part).split()) > 1 and words[0] in evidence.place_heads


# a body's head with two communes, "X de A et de B": two bodies said once, not one name
_TWO_PLACES = re.compile(r"^(?P<first>.+?\s(?:de|du|des|d['’])\s?(?P<a>[^\s].*?))\s+et\s+"
                         r"(?:de\s+la\s+|de\s+l['’]|de\s+|du\s+|des\s+|d['’])(?P<b>\S.*)$")


def coordination(evidence: LabelEvidence, text: str, span: Span) -> list[Span]:
    """A coordination of communes, first names or headed places ("Plouay et Scaër", "Léa + Nadia")
    cut into its members, each with its label; a body of two communes ("le CCAS de Rezé et de
    Nantes") cut into the first body and the second commune; else ``[span]``."""
    two = _TWO_PLACES.match(span.text) if span.label == "ORGANIZATION" else None
    if two is not None and evidence.commune(two.group("a")) and evidence.commune(two.group("b")):
        return [Span.of(text, span.start, span.start + two.end("first"), span.label, score=span.score,
                        recognizer=span.recognizer, propagated=span.propagated),
                Span.of(text, span.start + two.start("b"), span.end, "MUNICIPALITY", score=span.score,
                        recognizer=span.recognizer, propagated=span.propagated)]
    cuts = list(_COORDINATION.finditer(span.text))
    if not cuts:
        return [span]
    bounds, start = [], 0
    for cut in cuts:
        bounds.append((start, cut.start()))
        start = cut.end()
    bounds.append((start, len(span.text)))
    parts = [span.text[a:b] for a, b in bounds]
    if not all(p[:1].isupper() and (evidence.commune(p) or evidence.first_name(p) or _place_headed(evidence, p))
               for p in parts):
        return [span]
    if not any(evidence.commune(p) or evidence.first_name(p) for p in parts):
        return [span]  # "Porte Neuve et Porte Haute" may be one name; a commune or a first name says not
    persons = all(evidence.first_name(p) for p in parts)
    places = all(evidence.commune(p) for p in parts)
    out = []
    for (a, b), part in zip(bounds, parts, strict=True):
        if _place_headed(evidence, part) and not evidence.commune(part):
            label = "LOCATION"  # "entre Pantin et Porte de la Villette"
        elif persons and not places:
            label = "PERSON"
        elif places and not persons:
            label = "MUNICIPALITY"
        else:
            label = "MUNICIPALITY" if evidence.commune(part) and not evidence.first_name(part) else "PERSON"
        out.append(Span.of(text, span.start + a, span.start + b, label, score=span.score,
                           recognizer=span.recognizer, propagated=span.propagated))
    return out
