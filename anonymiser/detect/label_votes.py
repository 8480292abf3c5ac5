"""One label per form for a run: the votes of each document's mentions (``LabelEvidence.votes``)
added up, the key file's label where it knows the form, and every span given its form's label."""

from __future__ import annotations

import re
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
        evidence, then the most rule votes, then label priority. Of several labels the key file
        holds a form under, the one the evidence gives (a second run labels as the first did)."""
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
                if known and decided[key] not in known:  # a form the key holds under several labels
                    decided[key] = known[0]  # keeps the one this run's evidence gives, as the run that filled it
        return decided


def document_votes(evidence: LabelEvidence, text: str, spans: Sequence[Span],
                   weights: Sequence[int] | None = None) -> tuple[tuple[str, str, int, int], ...]:
    """Per form of a document's name spans and label: ``(form, label, evidence weight, rule weight)``.
    ``weights``: per span, how many mentions it stands for (a table's repeated cells), else one."""
    found: Counter[tuple[str, str]] = Counter()
    rules: Counter[tuple[str, str]] = Counter()
    named: set[str] = set()  # the first names of the document's persons named in full
    speaking: set[str] = set()  # the parts of the names of the document's speakers
    counted = zip(spans, weights if weights is not None else [1] * len(spans), strict=True)
    voting = [(span, times) for span, times in counted if span.label in NAME_LABELS and not span.propagated]
    voted = [evidence.votes(text, span) for span, _times in voting]
    shared = coordinated(text, [span for span, _times in voting], [votes for _rule, votes in voted],
                         evidence.weights["weak_context"])
    for (span, times), ((label, weight), votes), more in zip(voting, voted, shared, strict=True):
        key = label_key(span.text)
        rules[(key, label)] += weight * times
        for label, weight in (*votes, *more):
            found[(key, label)] += weight * times
        bare = evidence.bare_name(span.text) if span.label == "ORGANIZATION" else ""
        if bare and span.text.split()[0].isupper() and " " not in bare:
            bare = ""  # "MJC Monplaisir" may be named after its place: no vote for "Monplaisir"
        if bare:  # "SCOP La Clairière" says "La Clairière" is an organisation
            found[(label_key(bare), "ORGANIZATION")] += evidence.weights["context"] * times
        if span.label == "PERSON" and _speaker(text, span):  # "Anne-Lies Kervec :" says "Lies" alone is a person
            speaking.update(label_key(part) for part in _NAME_PART.findall(span.text))
        given = evidence.given_name(span)
        if given and all(label == "PERSON" for label, _weight in votes):  # not "Roya Réemploi"
            named.add(given)
    for part in sorted(speaking):  # once a document, however many turns
        found[(part, "PERSON")] += evidence.weights["civility"]
    for given in sorted(named):  # "Gilles Jeunet" says "Gilles" alone is a person, even one a commune is called
        found[(given, "PERSON")] += evidence.weights["first_name"]
    return tuple((key, label, found[(key, label)], rules[(key, label)])
                 for key, label in sorted(found.keys() | rules.keys()))


# The parts of a speaker's name that may be said alone: capitalised words of four letters or more.
_NAME_PART = re.compile(r"(?<![\w'’])[A-ZÀ-Þ][a-zß-ÿ]{3,}(?![\w'’])")
_TURN = re.compile(r"[ \t]*(?:\([^()\n]{0,20}\)[ \t]*)?:")


def _speaker(text: str, span: Span) -> bool:
    """Whether a person's span is the name of a speaker's turn ("Anne-Lies Kervec (ENQ) :" at a line start)."""
    return (span.start == 0 or text[span.start - 1] == "\n") and _TURN.match(text, span.end) is not None


# What may lie between two members of a coordination: a comma or "et", a remark in brackets, the
# article or preposition the members repeat ("de la Banque X et de la Nef", "le Rawing et l'Émulation").
_GAP = re.compile(r"\s*(?:\([^()\n]{0,60}\)\s*)?(?:,\s*(?:(?P<and>et|ou)\s+)?|(?P<and2>et|ou)\s+)"
                  r"(?:(?:de|à)\s+(?:la\s+|l['’])|(?:la|le|les|du|des|au|aux)\s+|l['’]|d['’])?")


def coordinated(text: str, spans: Sequence[Span], votes: Sequence[Sequence[tuple[str, int]]],
                weight: int) -> list[tuple[tuple[str, int], ...]]:
    """Per span, what its coordination says of it: the members of "X, Y et Z" are of one kind, so a
    member with no evidence of its own ("familles Kerbrat, Le Guellec et Ouhadi", "la Banque X et la
    Nef") gets ``weight`` for the label its fellow members' evidence speaks for most (none on a tie)."""
    order = sorted(range(len(spans)), key=lambda i: (spans[i].start, spans[i].end))
    chains: list[list[int]] = []
    joined: list[bool] = []  # a chain with "et" or "ou": "I. Kervec, ALM" is an apposition, no coordination
    for i in order:
        last = chains[-1][-1] if chains else None
        gap = _GAP.fullmatch(text, spans[last].end, spans[i].start) \
            if last is not None and spans[last].end <= spans[i].start else None
        if gap is not None:
            chains[-1].append(i)
            joined[-1] = joined[-1] or bool(gap.group("and") or gap.group("and2"))
        else:
            chains.append([i])
            joined.append(False)
    out: list[tuple[tuple[str, int], ...]] = [()] * len(spans)
    for chain in (c for c, j in zip(chains, joined, strict=True) if j):
        for i in chain:
            if votes[i]:
                continue
            weights: Counter[str] = Counter()
            for j in chain:
                for label, w in votes[j]:
                    weights[label] += w
            ranked = weights.most_common(2)
            if ranked and (len(ranked) == 1 or ranked[0][1] > ranked[1][1]):
                out[i] = ((ranked[0][0], weight),)
    return out


def relabel(spans: Iterable[Span], labels: Mapping[str, str]) -> list[Span]:
    """Every name span with the label decided for its form."""
    out = []
    for span in spans:
        label = labels.get(label_key(span.text)) if span.label in NAME_LABELS else None
        out.append(replace(span, label=label) if label and label != span.label else span)
    return out
