"""One label per form for a run: the votes of each document's mentions (``LabelEvidence.votes``)
added up, the key file's label where it knows the form, and every span given its form's label."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from anonymiser.detect.labels import NAME_LABELS, LabelEvidence, label_key
from anonymiser.model import Span

if TYPE_CHECKING:
    from anonymiser.keys.store import KeyFile


class LabelVotes:
    """The evidence of a run, per form (``label_key``): the weight each label got from the
    evidence of every mention found, and from the rules that found them. ``decide`` gives each
    form one label, whatever the order documents came in."""

    def __init__(self, priority: Sequence[str]) -> None:
        self.priority = tuple(priority)
        self.evidence: Counter[tuple[str, str]] = Counter()
        self.rules: Counter[tuple[str, str]] = Counter()

    def add(self, votes: Iterable[tuple[str, str, int, int]]) -> LabelVotes:
        for key, label, evidence, rules in votes:
            self.evidence[(key, label)] += evidence
            self.rules[(key, label)] += rules
        return self

    def decide(self, keyfile: KeyFile | None = None) -> dict[str, str]:
        """Each form's label: the one the key file holds it under, else the one with the most
        evidence, then the most rule votes, then label priority."""
        rank = {label: i for i, label in enumerate(self.priority)}
        best: dict[str, tuple[int, int, int, str]] = {}
        for key, label in self.evidence.keys() | self.rules.keys():
            candidate = (-self.evidence[(key, label)], -self.rules[(key, label)], rank.get(label, len(rank)), label)
            if key not in best or candidate < best[key]:
                best[key] = candidate
        decided = {key: label for key, (_e, _w, _r, label) in sorted(best.items())}
        if keyfile is not None:
            for key in decided:
                known = [label for label in NAME_LABELS if keyfile.entities_for_key(f"form:{label}|{key}")]
                if known:
                    decided[key] = known[0]
        return decided


def document_votes(evidence: LabelEvidence, text: str, spans: Sequence[Span],
                   weights: Sequence[int] | None = None) -> tuple[tuple[str, str, int, int], ...]:
    """Per form of a document's name spans and label: ``(form, label, evidence weight, rule weight)``.
    ``weights``: per span, how many mentions it stands for (a table's repeated cells), else one."""
    found: Counter[tuple[str, str]] = Counter()
    rules: Counter[tuple[str, str]] = Counter()
    named: set[str] = set()  # the first names of the document's persons named in full
    for span, times in zip(spans, weights if weights is not None else [1] * len(spans), strict=True):
        if span.label in NAME_LABELS and not span.propagated:
            key = label_key(span.text)
            (label, weight), votes = evidence.votes(text, span)
            rules[(key, label)] += weight * times
            for label, weight in votes:
                found[(key, label)] += weight * times
            bare = evidence.bare_name(span.text) if span.label == "ORGANIZATION" else ""
            if bare:  # "SCOP La Clairière" says "La Clairière" is an organisation
                found[(label_key(bare), "ORGANIZATION")] += evidence.weights["context"] * times
            given = evidence.given_name(span)
            if given and all(label == "PERSON" for label, _weight in votes):  # not "Roya Réemploi"
                named.add(given)
    for given in sorted(named):  # "Gilles Jeunet" says "Gilles" alone is a person, even one a commune is called
        found[(given, "PERSON")] += evidence.weights["first_name"]
    return tuple((key, label, found[(key, label)], rules[(key, label)])
                 for key, label in sorted(found.keys() | rules.keys()))


def relabel(spans: Iterable[Span], labels: Mapping[str, str]) -> list[Span]:
    """Every name span with the label decided for its form."""
    out = []
    for span in spans:
        label = labels.get(label_key(span.text)) if span.label in NAME_LABELS else None
        out.append(replace(span, label=label) if label and label != span.label else span)
    return out
