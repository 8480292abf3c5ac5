"""Names in transcripts written in lower case: there a capital letter inside a turn marks a
proper noun, whatever the lexicons know (``fr.transcript.capitalised``).

Sociolinguistic corpora transcribe speech without sentence capitals ("Anne : ben on allait
chez Olive le dimanche"). When most turns of a text start with a small letter, a capitalised
word inside a turn is a name the model and the lexicons may have missed. Its label is a guess
from the word before (a place after "à", "vers", "rue"...; a venue or an organisation after an
article; else a person), with a low score, so that the review lists it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from presidio_analyzer import RecognizerResult

from anonymiser.recognizers.base import FrenchRecognizer, make_result
from anonymiser.recognizers.lexical import LOWER, SP, UPPER
from anonymiser.text.fold import fold

RULE = "fr.transcript.capitalised"
# a turn: a label that looks like a speaker (capitalised words, particles, initials, a tag in
# brackets), a colon, what is said ("Benoît du Breuil (ENQ) : ..."; not "Le calendrier : ...")
_LABEL_WORD = r"(?:[A-ZÀ-ÖØ-Þ][\w.'’-]*|de|du|des|d['’]|la|le|van|von|ben|el)"
# ... or a label in square brackets, with or without a colon ("[Rose] ben on allait")
_LABEL = rf"{_LABEL_WORD}(?:[ \t-]+{_LABEL_WORD}){{0,4}}"
_TURN = re.compile(rf"^[ \t]*(?:\[{_LABEL}\][ \t]*:?|{_LABEL}(?:[ \t]*\([^)\n]{{1,20}}\))?[ \t]*:)[ \t]*"
                   r"(?P<body>[^\n]*)", re.MULTILINE)
_WORD = rf"[{UPPER}][{UPPER}{LOWER}'’.-]*[{UPPER}{LOWER}]|[{UPPER}]\."
_LINK = r"(?:de|du|des|la|le|d['’]|l['’])"
_RUN = re.compile(rf"(?<![\w'’.-])(?:{_WORD})(?:(?:{SP}|-)(?:{_LINK}(?:{SP}|(?<=['’])))?(?:{_WORD}))*")
_BEFORE = re.compile(rf"([{UPPER}{LOWER}]+)['’]?[ \t]*$")
_MARKER = re.compile(r"\[[^\]\n]*$")
_TOKEN = re.compile(r"[^ \t\u00a0\u202f]+")
_FILLERS = frozenset({"euh", "hum", "bah", "ben", "hein", "mm", "heu", "alors"})


def _lower(words: Iterable[str]) -> frozenset[str]:
    return frozenset(w.lower() for w in words)


class TranscriptNameRecognizer(FrenchRecognizer):
    """Capitalised words inside the turns of a lower-case transcript (rules in ``rules/spoken.yaml``)."""

    def __init__(
        self,
        *,
        min_turns: int,
        lowercase_share: float,
        score: float,
        place_before: tuple[str, ...],
        article_before: tuple[str, ...],
        not_names: tuple[str, ...],
        function_words: tuple[str, ...] = (),
        interviewer_labels: frozenset[str] = frozenset(),  # and nationalities: never names here
        generic_acronyms: frozenset[str] = frozenset(),
        supported_language: str = "fr",
    ) -> None:
        self.min_turns, self.lowercase_share, self.score = min_turns, lowercase_share, score
        self.place_before, self.article_before = _lower(place_before), _lower(article_before)
        self.not_names = {fold(w) for w in (*not_names, *interviewer_labels)}
        self.function_words = _lower(function_words)
        self.generic_acronyms = generic_acronyms
        super().__init__(supported_entities=["PERSON", "LOCATION", "ORGANIZATION"],
                         supported_language=supported_language, name="TranscriptNameRecognizer")

    def load(self) -> None:
        pass

    def lower_case_transcript(self, turns: list[re.Match[str]]) -> bool:
        firsts = [m.group("body")[:1] for m in turns if m.group("body")[:1].isalpha()]
        if len(firsts) < self.min_turns:
            return False
        return sum(1 for c in firsts if c.islower()) >= self.lowercase_share * len(firsts)

    def _not_a_name(self, word: str) -> bool:
        bare = word.rstrip(".")
        if len(bare) < 2 or fold(bare) in self.not_names or bare in self.generic_acronyms:
            return True
        return bare.isupper() and len(bare) <= 3

    def _label(self, before: str) -> str:
        if before in self.place_before:
            return "LOCATION"
        if before in self.article_before:
            return "ORGANIZATION"
        return "PERSON"

    def analyze(self, text: str, entities: list[str], nlp_artifacts: Any = None) -> list[RecognizerResult]:
        turns = list(_TURN.finditer(text))
        if not self.lower_case_transcript(turns):
            return []
        results = []
        for turn in turns:
            body_start, body_end = turn.start("body"), turn.end("body")
            for run in _RUN.finditer(text, body_start, body_end):
                if _MARKER.search(text, body_start, run.start()):
                    continue  # inside a transcription mark: [Rires], [Inaudible]
                tokens = [(run.start() + m.start(), m.group(0)) for m in _TOKEN.finditer(run.group(0))]
                if re.search(r"[.!?…][\s\]\)»\"]*$", text[body_start:run.start()]):
                    continue  # a sentence start, even in a lower-case transcript
                before = ""
                while tokens and tokens[0][1].lower() in self.function_words:
                    before = tokens.pop(0)[1].lower()  # "La Recyclerie": the article stays out
                elided = re.match(r"[LlDd]['’]", tokens[0][1]) if tokens else None
                if elided:
                    if not tokens[0][1][2:3].isupper():
                        continue  # "L'élu": an elided article before a common noun
                    before = "l"  # "L'Atelier": the article stays out
                    tokens[0] = (tokens[0][0] + 2, tokens[0][1][2:])
                words = [word for _at, word in tokens]
                start = tokens[0][0] if tokens else run.end()
                if not words or all(self._not_a_name(w) for w in words if w[:1].isupper()):
                    continue
                if not before:
                    previous = [w for w in re.findall(r"[^\W\d_]+", text[body_start:start])
                                if w.lower() not in _FILLERS]
                    before = previous[-1].lower() if previous else ""
                label = self._label(before)
                results.append(make_result(label, start, run.end(), self.score, rule_id=RULE, recognizer=self.name))
        return results
