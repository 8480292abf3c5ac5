"""French agreement with a generalised replacement (pure): the phrase's number, the words after it.

A neutral phrase does not always have the gender or the number of the name it replaces: «la
Bergerie, elle est fermée» becomes «un lieu, il est fermé», «le Comptoir est fermé» becomes
«une entreprise est fermée», and «les Glycines sont fermées» becomes «des lieux sont fermés»
(the phrase takes the number of the name: ``plural``). ``agree`` rewrites, after a mention, to
the gender of the phrase: a pronoun taken up after a comma; a participle right after the
mention («la Bergerie rénovée»); the participle or adjective after a form of «être» («est
fermée», «qui est fermée», «, qui est fermée»), also past a complement of the mention's own
(«la Bergerie au bout du chemin est fermée», but not «… du chemin qui est fermée», which may be
the chemin's); and the participles coordinated with either by «et» or «ou» («rénovée et
agrandie»). Words that may agree with something else are left as
they are: a word right after the mention or after «, qui» only when the mention completes no
noun («le portail de la Bergerie fermé»: the portail) and the word has the gender the mention
had in the text (``was``; when no article tells it, only without a preposition before the
mention); a coordinated word only when it had the form of the word it is coordinated with; and
there only participles that are neither a verb of the present tense («le Comptoir produit du
pain») nor a noun («année»). ``variants`` gives back every form such words may have had (for
re-identification, which finds the original among them by its keyed hash).

>>> plural("un centre social")
'des centres sociaux'
>>> agree(" qui est fermé le lundi", gender="F", subject=False)
Agreed(consumed=14, text=' qui est fermée')
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import product

# Endings of one word in its four forms: masculine and feminine, singular and plural.
_ENDINGS: tuple[tuple[str, str, str, str], ...] = (
    ("é", "ée", "és", "ées"), ("if", "ive", "ifs", "ives"), ("eux", "euse", "eux", "euses"),
    ("el", "elle", "els", "elles"), ("al", "ale", "aux", "ales"), ("ien", "ienne", "iens", "iennes"),
    ("ant", "ante", "ants", "antes"), ("ent", "ente", "ents", "entes"),
)
# Words whose feminine adds an "e" (participles and adjectives not told by their ending).
_PLAIN = frozenset({
    "fait", "ouvert", "couvert", "offert", "mort", "construit", "reconstruit", "détruit", "produit", "inscrit",
    "écrit", "dit", "conduit", "petit", "grand", "fort", "haut", "gratuit", "plein", "prêt", "seul", "nul",
    "parti", "sorti", "fini", "choisi", "réuni", "établi", "agrandi", "réussi", "rempli", "uni", "garanti",
    "venu", "devenu", "revenu", "connu", "reconnu", "vendu", "perdu", "tenu", "obtenu", "soutenu", "entendu",
    "élu", "vu", "battu", "rendu", "repris", "pris", "compris", "appris", "mis", "remis", "permis", "soumis",
    "assis", "acquis", "content", "lourd", "froid", "chaud", "court", "droit", "étroit", "vert", "noir",
})
# Of these, the forms that are also a verb of the present tense, or nouns: never agreed outside «être».
_NOT_ATTRIBUTIVE = frozenset({
    "fait", "dit", "écrit", "produit", "construit", "reconstruit", "détruit", "conduit", "inscrit", "court",
    "année", "journée", "soirée", "matinée", "entrée", "rentrée", "idée", "arrivée", "veillée", "durée", "allée",
    "vallée", "assemblée", "tournée", "randonnée", "pensée", "musée", "lycée", "café", "comité", "marché", "congé",
    "curé", "député", "délégué", "employé", "salarié", "retraité", "invité", "associé", "élu", "côté",
    "passé", "vu", "excepté", "compris",  # invariable before a noun: «passé 18 heures», «vu le prix»
})
# Words after «être» that never agree (adverbs, prepositions), though their ending looks so.
_NEVER = frozenset({"bien", "rien", "avant", "devant", "pendant", "durant", "cependant", "autant", "tant",
                    "maintenant", "souvent", "comment", "vraiment", "seulement", "également", "évidemment",
                    "ici", "ainsi", "aussi", "parmi", "déjà", "été", "côté", "quant", "loin", "moins", "plus"})
_ADVERB = r"(?:pas|plus|jamais|déjà|toujours|très|bien|aussi|encore|vraiment|trop|assez|souvent|tout|plutôt|" \
          r"désormais|maintenant|enfin|même|beaucoup|un peu|quand même|\w+ment)"
_ETRE = r"(?:est|était|sera|serait|sont|étaient|seront|seraient|a été|avait été|aura été|ont été|avaient été|" \
        r"s['’]est|s['’]était|se sont|s['’]étaient)"
_WORD = r"(?P<word>[a-zà-ÿ]+)(?![\w'’-])"
_COPULA = re.compile(rf"(?P<head>(?:(?P<comma>\s*,)\s+qui|\s+qui)?(?:\s+ne\s+|\s+n['’]|\s+){_ETRE}(?:\s+{_ADVERB})*\s+)"
                     rf"{_WORD}")
_ATTRIBUTIVE = re.compile(rf"(?P<head>\s+){_WORD}")
# a complement of the mention before the verb: «la Bergerie au bout du chemin est fermée»
_COMPLEMENT = re.compile(r"(?:\s+(?:de|du|des|au|aux|à|en|sur|sous|dans|près\s+de|près\s+du|d['’])(?:\s+|(?<=['’]))"
                         r"(?:(?:la|le|les|mon|ma|mes|son|sa|ses|notre|nos|leur|leurs)\s+|l['’])?[a-zà-ÿ-]+){1,3}"
                         rf"(?=(?:\s+ne\s+|\s+n['’]|\s+){_ETRE}\s)")
_COORDINATED = re.compile(rf"(?P<head>\s+(?:et|ou)(?:\s+{_ADVERB})*\s+){_WORD}")
_PRONOUN = re.compile(r"(?P<head>\s*,\s*)(?P<word>il|elle|ils|elles)(?![\w'’-])")
_PRONOUNS = {("M", False): "il", ("F", False): "elle", ("M", True): "ils", ("F", True): "elles"}
# The nouns, adjectives and acronyms of a phrase stop at its first link word ("une structure d'insertion").
_LINK = re.compile(r"^(?:de|du|des|d['’].*|à|au|aux|en|pour|sur)$")


def gender(phrase: str) -> str:
    """The gender (M or F) of a phrase opened by an indefinite article in the singular, or "".
    A word alone is no such phrase, even one that spells an article: an acronym pseudonym 'UNE'."""
    words = phrase.split(" ", 1)
    return {"un": "M", "une": "F"}.get(words[0].lower(), "") if len(words) == 2 else ""


def plural(phrase: str) -> str:
    """«un lieu» -> «des lieux», «une maison de quartier» -> «des maisons de quartier»."""
    words = phrase.split(" ")
    if not words or words[0].lower() not in {"un", "une"}:
        return phrase
    out = ["des"]
    for index, word in enumerate(words[1:], start=1):
        if _LINK.match(word):
            out += words[index:]
            break
        out.append("-".join([*word.split("-")[:-1], _plural_word(word.split("-")[-1])]))
    return " ".join(out)


def _plural_word(word: str) -> str:
    if word.isupper() or word.endswith(("s", "x", "z")):
        return word  # "des CCAS"
    if word.endswith(("eau", "eu")):
        return word + "x"
    if word.endswith("al") and word not in {"festival", "bal", "carnaval"}:
        return word[:-2] + "aux"
    return word + "s"


def form(word: str, gender: str) -> str | None:
    """``word`` (a participle or adjective) in this gender (M, F), in its own number, or None
    when it is none the rules know."""
    forms = _forms(word)
    if forms is None:
        return None
    index = forms.index(word.lower())
    many = index >= 2 and not (index == 2 and forms[0] == forms[2])  # "eux": the singular too
    return forms[(0 if gender == "M" else 1) + (2 if many else 0)]


def _forms(word: str) -> tuple[str, str, str, str] | None:
    lower = word.lower()
    if lower in _NEVER or lower.endswith("ment"):
        return None
    for base in (lower, lower[:-1], lower[:-2]):
        if base in _PLAIN:
            found = (base, base + "e", base if base.endswith("s") else base + "s", base + "es")
            return found if lower in found else None
    for endings in _ENDINGS:
        for ending in sorted(set(endings), key=len, reverse=True):
            if lower.endswith(ending) and len(lower) > len(ending) + 1:
                stem = lower[:-len(ending)]
                return tuple(stem + e for e in endings)  # type: ignore[return-value]
    return None


@dataclass(frozen=True)
class Agreed:
    """``consumed`` characters after the mention are replaced by ``text``."""

    consumed: int
    text: str


def agree(after: str, *, gender: str, subject: bool, topic: bool = False, was: str = "",
          complement: bool = False) -> Agreed:
    """Rewrite the words just ``after`` a mention replaced by a phrase of this ``gender`` (M, F)
    that agree with it, each in its own number (the phrase takes the number of the name): a
    pronoun after a comma that takes it up, when the mention opens its clause (``topic``: «la
    Bergerie, elle est fermée»), else a participle right after it («la Bergerie rénovée»); then
    the participle or adjective after a form of «être», when the mention may be its subject
    (``subject``: no preposition before it) or after «qui» («qui est fermé», «est très
    ancienne»); each with the participles coordinated with it («rénovée et agrandie»). ``was``:
    the gender the mention had in the text (its article), "" when unknown; ``complement``: the
    mention follows «de» and may complete a noun («le portail de la Bergerie»). See the module
    for the words left alone. Nothing is rewritten when the words already agree."""
    if gender not in {"M", "F"}:
        return Agreed(0, "")
    pieces: list[str] = []
    at = 0

    def take(found: re.Match[str]) -> None:
        """The agreed ``found`` word, then the participles coordinated with it in its form."""
        nonlocal at
        word = found.group("word")
        pieces.append(found.group("head") + (form(word, gender) or word))
        at = found.end()
        more = _COORDINATED.match(after, at)
        while more is not None and _participle(more.group("word")) \
                and _form_index(more.group("word")) == _form_index(word):
            pieces.append(more.group("head") + (form(more.group("word"), gender) or more.group("word")))
            at = more.end()
            more = _COORDINATED.match(after, at)

    pronoun = _PRONOUN.match(after) if topic else None
    if pronoun is not None:
        many = pronoun.group("word").endswith("s")
        pieces.append(pronoun.group("head") + _PRONOUNS[(gender, many)])
        at = pronoun.end()
    elif not complement and (was in {"M", "F"} or subject):
        attributive = _ATTRIBUTIVE.match(after)
        if attributive is not None and _participle(attributive.group("word")) \
                and was in {"", _gender_of(attributive.group("word"))}:
            take(attributive)
    copula = _COPULA.match(after, at)
    complemented = _COMPLEMENT.match(after, at) if copula is None and subject and not complement else None
    if complemented is not None and pronoun is None and not at:
        copula = _COPULA.match(after, complemented.end())
        if copula is not None and "qui" not in copula.group("head").split()[:2] \
                and was in {"", _gender_of(copula.group("word"))}:
            pieces.append(complemented.group(0))  # the complement stays; the verb after it agrees
            at = complemented.end()
        else:
            copula = None
    if copula is not None and form(copula.group("word"), gender) is not None:
        relative = "qui" in copula.group("head").split()[:2]
        if copula.group("comma") is not None:  # «, qui est ...»: the mention's, or the noun's it completes
            allowed = not complement and was in {"", _gender_of(copula.group("word"))}
        else:
            allowed = pronoun is not None or subject or relative
        if allowed:
            take(copula)
    text = "".join(pieces)
    if not at or text == after[:at]:
        return Agreed(0, "")
    return Agreed(at, text)


def _participle(word: str) -> bool:
    """A participle that agrees wherever it stands («rénové», «ouvert»), no verb of the present
    tense nor a noun; adjectives in «-if», «-el», «-ant»... may be verbs («active», «appelle»)."""
    lower = word.lower()
    forms = _forms(lower)
    if forms is None or lower in _NOT_ATTRIBUTIVE or (lower.endswith("s") and lower[:-1] in _NOT_ATTRIBUTIVE):
        return False
    return forms[0].endswith("é") or forms[0] in _PLAIN


def _form_index(word: str) -> int:
    forms = _forms(word)
    return forms.index(word.lower()) if forms is not None else -1


def _gender_of(word: str) -> str:
    """M or F: the gender of ``word``'s form (a word the rules know)."""
    return "F" if _form_index(word) in {1, 3} else "M"


def variants(text: str) -> list[str]:
    """Every text of which ``text`` may be the agreed form: each agreeing word in its four forms."""
    pieces = re.split(r"([\w'’-]+)", text)
    choices = []
    for piece in pieces:
        if piece in _PRONOUNS.values():
            choices.append(tuple(dict.fromkeys((piece, *_PRONOUNS.values()))))
        elif piece and (found := _forms(piece)):
            choices.append(tuple(dict.fromkeys((piece, *found))))
        else:
            choices.append((piece,))
    return ["".join(c) for c in product(*choices)]
