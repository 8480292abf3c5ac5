"""A person's span, by the words a name is written with (pure): a NER person ends with its
name, not the speech around it ("bah Etienne", "Julie ma copine"); a surname in capitals beside
a first name is one person ("DUPONT Marie", "LE GALL Anne"), not an acronym and a first name.
Part of ``LabelEvidence.settle``."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from anonymiser.model import Span
from anonymiser.text.fold import fold_key
from anonymiser.text.names import parse_name

if TYPE_CHECKING:
    from anonymiser.detect.labels import LabelEvidence

NAME_LABELS = ("PERSON", "ORGANIZATION", "MUNICIPALITY", "LOCATION")
_TOKEN = re.compile(r"\S+")
# a speaker's colon or the end of a line inside a span: the name ends before it
_SPEAKER_CUT = re.compile(r"\s*(?:\n|\s:\s|:\s)")
_ELIDED = re.compile(r"^[dDlL]['’]")
# a surname in capitals, one or two words ("DUPONT", "LE GALL", "D'ARC"), with a vowel (not "CFDT")
_CAPITALS = re.compile(r"^[A-ZÀ-Þ][A-ZÀ-Þ'’-]+(?: [A-ZÀ-Þ][A-ZÀ-Þ'’-]+)?$")
_VOWEL = re.compile(r"[AEIOUYÀ-ÆÈ-ÏÒ-ÖÙ-Ü]")
_ARTICLE_CASED = re.compile(r"\W(?:[Ll]['’]|[Ll]as?\s|[Ll]es?\s|[Aa]ux?\s|[Dd]u\s|[Dd]es\s)$")  # not "LE GUEN"
_NEXT_WORD = re.compile(r" ([A-ZÀ-Þ][a-zß-ÿ]+(?:-[A-ZÀ-Þ][a-zß-ÿ]+)?)(?![\w'’-])")
_WORD_BEFORE = re.compile(r"(?<![\w'’-])([A-ZÀ-Þ][a-zß-ÿ]+(?:-[A-ZÀ-Þ][a-zß-ÿ]+)?) $")
_PARTICLE_BEFORE = re.compile(r"(?<![\w'’-])(LE|LA|DE|DU|DES|VAN|VON|BEN|EL|DA|DI) $")
# characters before a span that those two read: a search from the start of the text to the span
# cost the text's length at each span (cProfile, 3 MB in lines: 29 s of 31 in surname_in_capitals)
_BEFORE = 100


def person_words(evidence: LabelEvidence, text: str, span: Span) -> Span | None:
    """A NER person span ends at a speaker's colon or the end of its line ("Michel : Ozgur"),
    and leaves out the words of speech before its name ("bah Etienne", "ouais Etienne") and
    the lower-case words after its last capitalised word when it opens with a first name
    ("Julie ma copine bosse", "Bernard rue"): a name's words are capitalised but for its
    particles ("Anne de La Salle", "Fabre d'Églantine"). None when no capitalised word is left."""
    if span.label != "PERSON" or not span.recognizer.startswith("fr.ner."):
        return span
    cut = _SPEAKER_CUT.search(span.text)
    end = span.start + (cut.start() if cut is not None else len(span.text))
    tokens = list(_TOKEN.finditer(text, span.start, end))
    named = [i for i, t in enumerate(tokens) if _ELIDED.sub("", t.group(0))[:1].isupper()]
    if not named:
        return None
    first = 0
    while first < named[0] and fold_key(tokens[first].group(0)) in evidence.fillers:
        first += 1
    start, stop = tokens[first].start(), tokens[named[-1]].end()
    if stop < end and not evidence.first_opens(text[start:stop]):
        stop = end  # lower-case words after a name with no first name may be a body's ("Terre de liens")
    if (start, stop) == (span.start, span.end):
        return span
    return Span.of(text, start, stop, span.label, score=span.score, recognizer=span.recognizer,
                   propagated=span.propagated)


def surname_in_capitals(evidence: LabelEvidence, text: str, spans: list[Span]) -> list[Span]:
    """A surname in capitals with a first name is one person, whatever found it ("DUPONT
    Marie", "LE GALL Anne", "Marie DUPONT"): not an acronym and a first name, nor an
    organisation's run of capitals. A particle in capitals before it is the surname's ("LE")."""
    out: list[Span] = []
    for span in spans:
        previous = out[-1] if out else None
        if previous is not None and previous.start <= span.start and span.end <= previous.end:
            continue  # the first name a surname in capitals took in
        if previous is not None and text[previous.end:span.start] == " " and not previous.propagated \
                and not span.propagated and _capitals_and_first_name(evidence, text, previous, span):
            out[-1] = _person_in_capitals(evidence, text, previous.start, span.end, span)
            continue
        if span.label in NAME_LABELS and not span.propagated and _capitals(evidence, text, span):
            after = _NEXT_WORD.match(text, span.end)
            before = _WORD_BEFORE.search(text, max(0, span.start - _BEFORE), span.start)
            if after is not None and _first_word(evidence, after.group(1)):
                span = _person_in_capitals(evidence, text, span.start, after.end(1), span)
            elif before is not None and _first_word(evidence, before.group(1)) \
                    and (previous is None or previous.end <= before.start(1)):
                span = _person_in_capitals(evidence, text, before.start(1), span.end, span)
        if span.label in NAME_LABELS and span.label != "PERSON" and not span.propagated \
                and parse_name(span.text, evidence.first_names).surname_first \
                and fold_key(span.text) not in evidence.org_names:
            span = _person_in_capitals(evidence, text, span.start, span.end, span)
        while out and out[-1].start >= span.start:
            out.pop()  # taken in by a name it is part of ("LE" of "LE GALL Anne")
        if out and out[-1].end > span.start:
            span = span.moved(text, out[-1].end, span.end)
        out.append(span)
    return out


def _person_in_capitals(evidence: LabelEvidence, text: str, start: int, end: int, span: Span) -> Span:
    particle = _PARTICLE_BEFORE.search(text, max(0, start - _BEFORE), start)
    if particle is not None and parse_name(text[start:end], evidence.first_names).surname_first:
        start = particle.start(1)
    return Span.of(text, start, end, "PERSON", score=span.score, recognizer=span.recognizer)


def _capitals(evidence: LabelEvidence, text: str, span: Span) -> bool:
    """A surname in capitals, one or two words ("DUPONT", "LE GALL"), with a vowel, after
    no article, that is no known acronym, body or commune ("la CAF", "CFDT")."""
    surface = span.text
    return bool(_CAPITALS.match(surface)) and bool(_VOWEL.search(surface)) \
        and surface not in evidence.generic_acronyms and not evidence.commune(surface) \
        and fold_key(surface) not in evidence.org_names \
        and not _ARTICLE_CASED.search("\n" + text[max(0, span.start - 5):span.start])


def _first_word(evidence: LabelEvidence, word: str) -> bool:
    """A first name of the lexicon, capitalised, not in capitals ("Marie", not "MARIE")."""
    return word[:1].isupper() and not word.isupper() and evidence.first_name(word)


def _capitals_and_first_name(evidence: LabelEvidence, text: str, left: Span, right: Span) -> bool:
    for capitals, first in ((left, right), (right, left)):
        if first.label == "PERSON" and capitals.label in NAME_LABELS and _capitals(evidence, text, capitals) \
                and _first_word(evidence, first.text):
            return True
    return False
