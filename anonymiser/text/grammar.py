"""French grammar around a replacement (pure): elision and contraction recomputed.

A pseudonym does not always take the same little words as the original: "d'Isabelle"
becomes "de Sophie", "de Sophie" becomes "d'Élodie", "du Havre" becomes "de Valmont",
"à Rezé" becomes "au Montac" (a name with its own article) or "dans une petite ville"
(a generalisation). ``adjust`` looks at the function word just before a mention and
returns how many of its characters the replacement must take over and the new text for
the whole range, so that re-identification restores that range byte for byte.

>>> adjust("avec l'aide d'", "Sophie", label="PERSON").text
'de Sophie'
>>> adjust("habite du côté du ", "Valmont", label="MUNICIPALITY", name_article=True).text
'de Valmont'
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from anonymiser.text.fold import fold

APOSTROPHES = "'’"
# The function words a replacement may take over, longest first: (surface, preposition,
# article). Apostrophes are written "'" here and match both forms.
_WORDS: tuple[tuple[str, str, str], ...] = (
    ("jusqu'", "jusque", ""), ("lorsqu'", "lorsque", ""), ("puisqu'", "puisque", ""),
    ("jusque ", "jusque", ""), ("lorsque ", "lorsque", ""), ("puisque ", "puisque", ""),
    ("de la ", "de", "la"), ("de l'", "de", "l'"), ("à la ", "à", "la"), ("à l'", "à", "l'"),
    ("que ", "que", ""), ("qu'", "que", ""),
    ("aux ", "à", "les"), ("des ", "de", "les"), ("les ", "", "les"),
    ("du ", "de", "le"), ("de ", "de", ""), ("au ", "à", "le"), ("en ", "en", ""),
    ("le ", "", "le"), ("la ", "", "la"),
    ("d'", "de", ""), ("à ", "à", ""), ("l'", "", "l'"),
)
_PATTERN = re.compile(
    "(?:" + "|".join(
        "(?P<w{}>{})".format(i, re.escape(w).replace("'", "['’]").replace("\\ ", " "))
        for i, (w, _p, _a) in enumerate(_WORDS)
    ) + ")$",
    re.IGNORECASE,
)
_ELIDING = {"de": "d'", "que": "qu'", "jusque": "jusqu'", "lorsque": "lorsqu'", "puisque": "puisqu'"}
_INDEFINITE = re.compile(r"^(?:un|une|des) ")
OWN_ARTICLE = re.compile(r"^(?P<art>Le|Les) (?=[A-ZÀ-Þ])")
LOCATIVE_LABELS = frozenset({"MUNICIPALITY", "LOCATION"})


# An article and the eliding word before it, taken over together ("que la " + "Mission" -> "qu'un lieu")
_TWO_WORDS = tuple(f"{outer} {article}" for outer in ("que", "jusque", "lorsque", "puisque")
                   for article in ("la ", "le ", "les ", "l'"))


def prefix_candidates(length: int) -> list[str]:
    """Every surface a replacement may have taken over, of this length (for re-identification)."""
    out = []
    for word in (*(w for w, _prep, _article in _WORDS), *_TWO_WORDS):
        for apostrophe in APOSTROPHES:
            form = word.replace("'", apostrophe)
            last = form.rstrip().rfind(" ") + 1  # the name's own article with its capital: "à L'Isle"
            for variant in (form, form[:1].upper() + form[1:], form.title(), form.upper(),
                            form[:last] + form[last:].capitalize()):  # title: "De L'"
                if len(variant) == length:
                    out.append(variant)
    return list(dict.fromkeys(out))


def vowel_sound(word: str, h_aspire: frozenset[str] = frozenset()) -> bool:
    """True when ``word`` elides what comes before it ("d'Élodie", "d'Hélène", not "de Hamon")."""
    letters = fold(word.lstrip(" \"«“"))
    if not letters or not letters[0].isalpha():
        return False
    if letters[0] == "h":
        return fold(word.split()[0]).strip(".,") not in h_aspire
    return letters[0] in "aeiouy"


@dataclass(frozen=True)
class Adjusted:
    """``consumed`` characters before the mention are replaced too; ``text`` covers both."""

    consumed: int
    text: str


def adjust(before: str, new: str, *, label: str, name_article: bool = False, sentence_start: bool = False,
           apostrophe: str = "'", h_aspire: frozenset[str] = frozenset()) -> Adjusted:
    """Recompute the function word before a replacement.

    ``before`` is the text just before the mention (only its end is read); ``new`` the
    pseudonym in the shape of the mention. ``name_article`` says that an article in the
    function word belongs to the original name ("du Havre": Le Havre), so it goes with
    the name. ``sentence_start``: a lower-case ``new`` ("une petite ville") gets a capital.
    """
    match = _find(before)
    if match is None:
        return Adjusted(0, _capital(new) if sentence_start and new[:1].islower() else new)
    surface, prep, article = match
    if prep == "en" and label not in LOCATIVE_LABELS:
        return Adjusted(0, new)
    if prep == "" and article and _INDEFINITE.match(new):
        # "que la Mission" -> "qu'un lieu": the article goes, and "que" elides before "un"
        outer = _find(before[:-len(surface)])
        if outer is not None and outer[1] in _ELIDING and outer[1] != "de" and not outer[2]:
            quote = next((c for c in outer[0] if c in APOSTROPHES), apostrophe)
            text = (_ELIDING[outer[1]].replace("'", quote) if vowel_sound(new) else outer[1] + " ") + new
            return Adjusted(len(outer[0]) + len(surface), _capital(text) if outer[0][:1].isupper() else text)
    after_elision = prep == "à" and len(before) > len(surface) and before[-len(surface) - 1] in APOSTROPHES
    quote = next((c for c in surface if c in APOSTROPHES), apostrophe)
    text = _compose(prep, article, name_article, new, label=label, after_elision=after_elision,
                    quote=quote, h_aspire=h_aspire)
    if surface[:1].isupper():
        text = _capital(text)
    if text == surface + new:
        return Adjusted(0, new)
    return Adjusted(len(surface), text)


# The number and gender a definite article tells: feminine, masculine, plural, elided (either gender).
_ARTICLE_SHAPES = {"la": "F", "le": "M", "les": "P", "l'": "E"}
_OWN_SHAPE = re.compile(r"^(?:(?P<F>La )|(?P<M>Le )|(?P<P>Les )|(?P<E>L['’]))")


def article_shape(before: str) -> str:
    """What the article just before a mention says of the name: "F" («la», «de la», «à la»), "M" («le»,
    «du», «au»), "P" («les», «des», «aux»), "E" («l'»: either gender), "" when there is none.

    >>> article_shape("on travaille avec la "), article_shape("on va au "), article_shape("grâce à ")
    ('F', 'M', '')
    """
    match = _find(before)
    return _ARTICLE_SHAPES.get(match[2], "") if match is not None else ""


def own_shape(name: str) -> str:
    """The same for a name that opens with its own article ("La Source": "F", "L'Escale": "E"), else ""."""
    found = _OWN_SHAPE.match(name)
    return found.lastgroup or "" if found is not None else ""


def _find(before: str) -> tuple[str, str, str] | None:
    match = _PATTERN.search(before[-16:])
    if match is None:
        return None
    index = int(next(k for k, v in match.groupdict().items() if v is not None)[1:])
    surface = match.group(0)
    start = len(before) - len(surface)
    if start > 0:
        previous = before[start - 1]
        elided = previous in APOSTROPHES and not surface.lower().startswith(("à", "au"))
        if previous.isalnum() or previous in "-" or elided:
            return None
    _word, prep, article = _WORDS[index]
    return surface, prep, article


def _compose(prep: str, article: str, name_article: bool, new: str, *, label: str, after_elision: bool,
             quote: str, h_aspire: frozenset[str]) -> str:
    elided = "l" + quote
    if _INDEFINITE.match(new):
        # "de l'Association X" -> "d'une association"; "à Rezé" -> "dans une petite ville"
        if new.startswith("des "):  # "des Ateliers X" -> "d'ateliers"; "que les Glycines" -> "que des lieux"
            if prep == "de":
                body = new[4:]
                return ("d" + quote if vowel_sound(body, h_aspire) else "de ") + body
            if prep in _ELIDING:
                return f"{prep} {new}"
        if prep == "de" or prep in _ELIDING:
            return _ELIDING[prep].replace("'", quote) + new
        if prep in {"à", "en"}:
            if label in LOCATIVE_LABELS and not after_elision:
                return "dans " + new
            return "à " + new
        return new
    body = new
    own = OWN_ARTICLE.match(new)
    if own is None and re.match(r"^(?:La |L['’])(?=[A-ZÀ-Þ])", new):
        article = ""  # "de la Loire" -> "de La Roche": the new name brings its own article
    if article and not name_article and own is None:
        # the article belongs to the noun phrase ("le CCAS de Rezé"): keep it, elided as needed
        if article in {"le", "la"} and vowel_sound(new, h_aspire):
            article = elided
        elif article == "l'" and not vowel_sound(new, h_aspire):
            article = ""  # gender unknown ("l'[ORGANISATION_3]" reads badly): drop it
    elif own is not None:
        article = own.group("art").lower()
        body = new[own.end():]
    else:
        article = ""
    if article == "l'":
        article = elided
    if prep == "":
        return _with_article(article, body, quote)
    if prep in {"de", "à", "en"}:
        base = "à" if prep == "en" else prep
        if article == "le":
            return ("du " if base == "de" else "au ") + body
        if article == "les":
            return ("des " if base == "de" else "aux ") + body
        if article:
            return f"{base} {article}{'' if article == elided else ' '}{body}"
        if base == "de" and vowel_sound(body, h_aspire):
            return "d" + quote + body
        return f"{base} {body}"
    # que, jusque, lorsque, puisque
    body = _with_article(article, body, quote)
    if vowel_sound(body, h_aspire):
        return _ELIDING[prep].replace("'", quote) + body
    return f"{prep} {body}"


def _with_article(article: str, body: str, quote: str) -> str:
    if not article:
        return body
    return article + ("" if article.endswith(quote) else " ") + body


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]
