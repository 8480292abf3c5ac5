"""An organisation named after its kind word in lower case, with an article: "l'association les
amis du lavoir", "le collectif la Ruche", "la coopérative les paniers d'ici"
(``fr.org.named_after_head``). The span is the name alone, without the kind word and the
article (ANNOTATION.md: "l'association les [marcheurs du bocage]"). The name ends at a word
that ends a name or links it to the sentence (a relative pronoun, a filler, a conjunction),
at punctuation, and, with the parsed document, before a verb.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

from anonymiser.recognizers.lexical import SP, Anchored, alternation, tagged_tokens
from anonymiser.text.fold import fold

NAMED_AFTER_HEAD = "fr.org.named_after_head"
_WORD = re.compile(r"[ \t\u00a0\u202f]*(?P<word>[^\W\d_](?:[\w'’-]*[^\W\d_])?['’]?)")
# words that join a name's words and never end it
_LINKS = frozenset({"de", "du", "des", "d'", "d’", "la", "le", "les", "l'", "l’", "à", "au", "aux", "en", "et",
                    "pour", "sur", "dans", "sous", "avec"})
_ARTICLE = r"(?:les|le|la|l['’])"
_NOT_IN_NAMES = frozenset({"VERB", "AUX", "PRON", "SCONJ", "ADV"})
_VERBS = frozenset({"VERB", "AUX"})


class NamedAfterHead:
    """Finds ``(start, end)`` of names after a kind word and an article."""

    def __init__(self, heads: Iterable[str], stop: Iterable[str], *, max_words: int = 6) -> None:
        heads = tuple(heads)
        self.stop = frozenset(w.lower().replace("’", "'") for w in stop)  # accents kept: "là" is no "la"
        self.max_words = max_words
        # "l'association les amis...", "le comité de quartier la Source": a kind word (its own
        # complement allowed), an article, then the name
        self._pattern = Anchored(re.compile(
            rf"(?<![\w-])(?i:{alternation(heads)})(?:{SP}(?:de{SP}quartier|des{SP}fêtes|de{SP}soutien))?{SP}"
            rf"(?P<article>{_ARTICLE})(?:{SP}|(?<=['’]))(?=[^\W\d_])"), heads) if heads else None
        # "l'association Vivre à l'Arlequin", "l'association Roue libre Moselotte": no article, a
        # capitalised word first, and the name ends on its last capitalised word
        self._bare = Anchored(re.compile(
            rf"(?<![\w-])(?:{alternation(heads)}){SP}(?=[A-ZÀ-ÖØ-Þ][a-zß-öø-ÿœ])"), heads) if heads else None

    def find(self, text: str, folded: str | None, nlp_artifacts: Any = None) -> Iterator[tuple[int, int]]:
        if self._pattern is None:
            return
        for match in self._pattern.finditer(text, folded):
            if text[match.start()].isupper() and not _sentence_start(text, match.start()):
                continue  # "l'Association Les Amis...": a capitalised head is the name's own (fr.org.head_name)
            span = self._name(text, match.end())
            if span is None:
                continue
            start, end = span
            end = _before_verbs(nlp_artifacts, start, end)
            if end > start and self._enough(text[start:end]):
                yield start, end

    def find_bare(self, text: str, folded: str | None, nlp_artifacts: Any = None) -> Iterator[tuple[int, int]]:
        """Names right after a lower-case kind word, capitalised first, up to their last
        capitalised word before a word that ends a name."""
        if self._bare is None:
            return
        for match in self._bare.finditer(text, folded):
            words = self._words(text, match.end(), lower_ok=True)
            while words and not _capitalised(words[-1][2]):
                words.pop()
            if not words:
                continue  # (one capitalised word: the caller says whether it is a name, "l'association Kerbrat-Rando")
            start, end = words[0][0], words[-1][1]
            if _before_verbs(nlp_artifacts, start, end) == end:
                yield start, end

    def _words(self, text: str, start: int, *, lower_ok: bool) -> list[tuple[int, int, str]]:
        words: list[tuple[int, int, str]] = []
        cursor = start
        while len(words) < self.max_words:
            match = _WORD.match(text, cursor)
            if not match:
                break
            word = match.group("word")
            lower = word.lower().replace("’", "'")
            if lower in self.stop or lower.rstrip("'") in self.stop:
                break
            if not lower_ok and words and words[0][2][:1].isupper() and not word[:1].isupper() \
                    and lower not in _LINKS:
                break  # a capitalised name goes on with capitalised words only: "la Ruche organise"
            words.append((match.start("word"), match.end("word"), word))
            cursor = match.end()
        return words

    def _name(self, text: str, start: int) -> tuple[int, int] | None:
        words = self._words(text, start, lower_ok=False)
        while words and fold(words[-1][2]) in _LINKS:
            words.pop()
        if not words:
            return None
        return words[0][0], words[-1][1]

    @staticmethod
    def _enough(name: str) -> bool:
        """Two words or more, or one capitalised word ("la Ruche"): one lower-case word after an
        article is the sentence's noun ("le collectif la semaine dernière" ends early)."""
        words = name.split()
        return len(words) >= 2 or name[:1].isupper()


def _capitalised(word: str) -> bool:
    """"Moselotte", "l'Arlequin": a capital first or after an elided article."""
    return word[:1].isupper() or (word[1:2] in ("'", "’") and word[2:3].isupper())


def _sentence_start(text: str, start: int) -> bool:
    index = start - 1
    while index >= 0 and text[index] in " \t":
        index -= 1
    return index < 0 or text[index] in ".!?:\n"


def _before_verbs(nlp_artifacts: Any, start: int, end: int) -> int:
    """With the parsed document, end a name before a verb, a pronoun or an adverb after its first
    word ("les amis du lavoir organisent" -> "amis du lavoir")."""
    tokens = tagged_tokens(nlp_artifacts, start, end)
    if tokens is None:
        return end
    if tokens and tokens[0].pos_ in _VERBS and tokens[0].text[:1].islower():
        return start  # "le club les accueille": the article was a pronoun, no name follows
    for index, token in enumerate(tokens):
        if index >= 1 and token.pos_ in _NOT_IN_NAMES:
            tokens = tokens[:index]
            break
    while tokens and fold(tokens[-1].text) in _LINKS:
        tokens.pop()
    if not tokens:
        return start
    return min(end, tokens[-1].idx + len(tokens[-1].text))
