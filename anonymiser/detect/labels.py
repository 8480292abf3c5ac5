"""Labels from evidence: what each mention's own words and the words before it say (a civility, a
coordination, a kind with its place, head words, the gazetteer, first names; never the span's
length). The run's decision per form is ``detect.label_votes``."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from anonymiser.detect.members import coordination, kind_of_place
from anonymiser.detect.person_spans import person_words, surname_in_capitals
from anonymiser.detect.repeats import repeated
from anonymiser.link import form_key
from anonymiser.model import Document, Span
from anonymiser.text.fold import fold, fold_key
from anonymiser.text.names import parse_name

if TYPE_CHECKING:
    from anonymiser.config.rules import Config

# Labels a form's evidence may move between; contacts and roles keep their own.
NAME_LABELS = ("PERSON", "ORGANIZATION", "MUNICIPALITY", "LOCATION")
_TOKEN = re.compile(r"\S+")
# Place nouns after which a name may be a person as well as a place: no evidence.
_NOT_EVIDENCE = frozenset({"maison", "ferme", "site", "tour", "domaine", "port", "zone", "voie", "passage", "val",
                           "mont", "col", "cap", "pointe"})


def label_key(surface: str) -> str:
    """The form under which a mention's label is decided: folded, without a leading article."""
    return form_key("", surface)


def _phrases(words: Iterable[str]) -> str:
    """An alternation of folded phrases, longest first, as whole words."""
    folded = sorted({fold_key(w) for w in words if w.strip()}, key=len, reverse=True)
    return "|".join(re.escape(w) for w in folded) or "(?!)"


@dataclass(frozen=True)
class LabelEvidence:
    """The word lists that are evidence for a label (from ``Config``), and what a mention's
    own words and the words before it say (``settle``, ``votes``)."""

    civilities: frozenset[str]
    first_names: frozenset[str]
    communes: frozenset[str]
    ambiguous: frozenset[str]
    org_heads: re.Pattern[str]
    org_suffixes: frozenset[str]
    org_names: frozenset[str]
    org_prefixes: frozenset[str]
    generic_acronyms: frozenset[str]
    place_names: frozenset[str]
    kind_heads: re.Pattern[str]
    municipal_kinds: re.Pattern[str]
    place_heads: frozenset[str]
    place_noun: re.Pattern[str]
    street: re.Pattern[str]
    lower_heads: frozenset[str]
    trade_heads: re.Pattern[str]  # a lower-case trade or kind opening a name: "cave Rouchon", "cars Delorme"
    trade_of: re.Pattern[str]  # the same with its place, in a span of a weak rule: "université de Dijon"
    before: tuple[tuple[re.Pattern[str], str, str], ...]  # pattern on the folded text before, label, weight kind
    indefinite: re.Pattern[str]
    weak_rules: tuple[str, ...]
    codes: re.Pattern[str]
    person_rules: frozenset[str]
    weights: Mapping[str, int]
    fillers: frozenset[str] = frozenset()  # words of speech before a name ("bah", "ouais")
    role_heads: re.Pattern[str] = re.compile("(?!)")  # a title opening a span: "présidente du ..."
    common_words: frozenset[str] = frozenset()  # a trade's plural after a surname: "Rigaudeau Fermetures"

    @classmethod
    def from_config(cls, config: Config, first_names: frozenset[str]) -> LabelEvidence:
        rules = config.labels
        institutions = {fold_key(w) for w in rules.institutions_before}
        nouns = [n for n in config.location_nouns if fold_key(n) not in institutions | _NOT_EVIDENCE]
        links = r"(?:\s+(?:de la|de l'|de|du|des|d')|\s+d'|)"
        # a territorial head in lower case is the place itself ("la région Bretagne")
        not_trades = {fold_key(n) for n in (*config.location_nouns, *config.pseudonym_rules.org_territorial)}
        not_trades |= _NOT_EVIDENCE
        trades = sorted({w.lower() for w in (*config.org_trade_heads, *config.org_kind_heads, *config.org_heads,
                                             *rules.organization_heads) if fold_key(w) not in not_trades},
                        key=len, reverse=True)
        place_words = (*config.location_nouns, *config.role_local_units)
        before = (
            (re.compile(rf"(?:^|\W)(?:{_phrases(rules.person_before)})\s*$"), "PERSON", "context"),
            (re.compile(rf"(?:^|\W)(?:{_phrases(rules.organization_before)})\s*$"), "ORGANIZATION", "employer"),
            (re.compile(rf"(?:^|\W)(?:{_phrases(rules.institutions_before)})"
                        rf"(?:\s+(?:{_phrases(rules.institution_adjectives)}))*{links}\s*$"), "ORGANIZATION",
             "context"),
            # a lower-case trade or kind before a name, or with a complement not a place's: "le club des aînés X"
            (re.compile(rf"(?:^|\W)(?:{_phrases(trades)})(?:\s+(?:des|du|de)\s+(?!(?:{_phrases(place_words)})\b)"
                        rf"[a-z][a-z-]+){{0,2}}\s+(?:(?:les|la|le)\s+|l['’])?$"), "ORGANIZATION", "context"),
            (re.compile(rf"(?:^|\W)(?:{_phrases(nouns)}){links}\s*$"), "LOCATION", "context"),
            (re.compile(rf"(?:^|\W)(?:{_phrases(rules.place_before)})\s*$"), "LOCATION", "context"),
            (re.compile(rf"(?:^|\W)(?:{_phrases(rules.weak_place_before)})\s*$"), "LOCATION", "weak_context"),
            (re.compile(rf"(?:^|\W)(?:{_phrases(rules.weak_organization_before)})\s*$"), "ORGANIZATION",
             "weak_context"),
        )
        streets = "|".join(map(re.escape, sorted(config.location_streets, key=len, reverse=True))) or "(?!)"
        named = {fold_key(c).rstrip(".") for c in rules.civilities_in_names}
        nouns_all = config.location_nouns
        heads = (*config.org_heads, *rules.organization_heads)
        return cls(
            civilities=frozenset(k for c in config.civilities if (k := fold_key(c).rstrip(".")) not in named),
            first_names=first_names,
            communes=frozenset(fold_key(name) for name, _code, _pop in config.communes),
            ambiguous=frozenset(fold_key(c) for c in config.ambiguous_communes),
            org_heads=re.compile(rf"^(?:{_phrases(heads)})(?![\w])"),
            org_suffixes=frozenset(fold_key(s) for s in (*config.org_suffixes, *rules.organization_suffixes)),
            org_names=frozenset(fold_key(n) for n in config.org_names),
            org_prefixes=frozenset(fold_key(n) for n in config.org_prefixes),
            generic_acronyms=frozenset(config.generic_acronyms),
            place_names=frozenset(fold_key(n) for n in config.location_names),
            kind_heads=re.compile(rf"^(?:{_phrases(config.org_kind_heads)})(?![\w])"),
            municipal_kinds=re.compile(rf"^(?:{_phrases(rules.municipal_kinds)})\s+(?:de|d')"),
            place_heads=frozenset(fold_key(n) for n in (*config.location_nouns, *rules.place_heads)) - institutions,
            place_noun=re.compile(rf"(?:{'|'.join(re.escape(n) for n in sorted(nouns_all, key=len, reverse=True))})"
                                  rf"(?:\s+(?:de la|de l'|de l’|de|du|des)\s+|\s+d['’]|\s+)"),
            lower_heads=frozenset(fold_key(h) for h in config.org_heads),
            street=re.compile(rf"(?:^|\s)(?:{streets})s?(?:\s+(?:de la|de l'|de l’|de|du|des)\s+|\s+d['’]|\s+)"
                              r"(?=[A-ZÀ-Þ])"),
            trade_heads=re.compile(rf"^(?:{'|'.join(map(re.escape, trades))})\s+(?=[A-ZÀ-Þ])"),
            trade_of=re.compile(rf"^(?:{'|'.join(map(re.escape, trades))})\s+(?:de la\s+|de l['’]|du\s+|des\s+|de\s+|"
                                r"d['’])(?=[A-ZÀ-Þ])"),
            before=before,
            indefinite=re.compile(rf"(?:^|\W)(?:{_phrases(rules.indefinite)})\s*$"),
            weak_rules=rules.weak_rules,
            codes=re.compile("|".join(f"(?:{p})" for p in rules.codes) or "(?!)"),
            person_rules=frozenset(rules.person_rules), weights=dict(rules.weights),
            fillers=frozenset(fold_key(w) for w in rules.person_fillers),
            common_words=config.common_words,
            role_heads=re.compile(rf"(?:{_phrases(config.role_heads)}) (?:{_phrases(_ROLE_LINKS)})(?<=')|"
                                  rf"(?:{_phrases(config.role_heads)}) (?:{_phrases(_ROLE_LINKS)}) "),
        )

    # -- what one mention's words say -----------------------------------------------------------
    def commune(self, surface: str) -> bool:
        key = fold_key(surface)
        return key in self.communes or label_key(surface) in self.communes

    def first_name(self, surface: str) -> bool:
        return " " not in surface.strip() and fold(surface) in self.first_names

    def dropped_code(self, document: Document, span: Span) -> bool:
        """Whether ``settle`` drops ``span`` of ``document`` as a code taken for a name, whatever
        else is found (in a table, on the text of the cell it starts in: ``detect.cells``)."""
        if span.label not in NAME_LABELS:
            return False
        surface = span.text
        if document.layout is not None and document.layout.format in ("csv", "xlsx"):
            surface = surface.split("\n", 1)[0]
        return bool(self.codes.search(surface.strip()))

    def settle(self, text: str, spans: Sequence[Span]) -> list[Span]:
        """The spans of one document with no code taken for a name ("E07", "ENT-12"), a
        civility left out of every name (the name after it is a person), a coordination of
        communes or first names cut into its members, a name said twice cut in two, and a
        lower-case kind before a commune or first name left out ("la ville de Rezé")."""
        out: list[Span] = []
        for span in spans:
            if span.label == "ROLE":
                span = self._named_after_title(text, span)
            if span.label not in NAME_LABELS:
                out.append(span)
                continue
            if self.codes.search(span.text.strip()):
                continue
            if (span.recognizer.startswith("fr.ner.") or span.label == "ORGANIZATION") and span.text[:1].islower() \
                    and self.role_heads.match(fold_key(span.text)):
                # "présidente du Secours populaire de X": a title and its body, a role (the NER's span,
                # or a body's rule's run on over the NER's title)
                out.append(Span.of(text, span.start, span.end, "ROLE", score=span.score, recognizer=span.recognizer,
                                   propagated=span.propagated))
                continue
            named = person_words(self, text, span)
            if named is None:
                continue
            span = self._place_noun(text, self._civility(text, self._trailing(text, named)))
            out += [part for one in coordination(self, text, kind_of_place(self, text, span))
                    for part in repeated(text, one)]
        return surname_in_capitals(self, text, out)

    def _named_after_title(self, text: str, span: Span) -> Span:
        """A title run on into a person's name, with no "de" or "à" between them ("la secrétaire de
        mairie Josiane", "une cheffe de projet Manon Girod"): the name alone, a person (no place or body)."""
        if span.recognizer != "fr.role.titled":
            return span
        tokens = list(_TOKEN.finditer(span.text))
        last = max((i for i, t in enumerate(tokens) if not t.group(0)[:1].isupper()), default=-1)
        word = tokens[last].group(0) if last >= 1 else ""
        if last < 1 or last == len(tokens) - 1 or word.lower() in _TITLE_LINKS or word[-1:] in {"'", "’"}:
            return span
        name = span.text[tokens[last + 1].start():]
        if self.kind_heads.match(fold(_ARTICLE.sub("", word))) and len(name.split()) > 1:
            return span  # "directrice de l'association Nadia Solidaire": the body's name; no body is "Josiane"
        words = fold_key(name).split()
        if not self.first_opens(name) or fold_key(name) in self.org_names or words[-1] in self.org_suffixes:
            return span
        return Span.of(text, span.start + tokens[last + 1].start(), span.end, "PERSON", score=span.score,
                       recognizer=span.recognizer, propagated=span.propagated)

    @staticmethod
    def _trailing(text: str, span: Span) -> Span:
        """A NER span run on into an article and lower-case words ("Villette le soir"), or into
        adverbs ("Les Tisserands aussi"), and any span run on into fillers ("... hein"), ends with its name."""
        found = _TRAILING.search(span.text) if span.recognizer.startswith("fr.ner.") else None
        # whatever found it, a name ends before the fillers of speech after it ("Stade du Moulin hein")
        found = found or _FILLERS_AFTER.search(span.text)
        return span if found is None else Span.of(text, span.start, span.start + found.start("tail"), span.label,
                                                  score=span.score, recognizer=span.recognizer,
                                                  propagated=span.propagated)

    def _place_noun(self, text: str, span: Span) -> Span:
        """The name after a lower-case place noun ("rue de X"), or after a street in a body or NER span, is a place."""
        if span.label in NAME_LABELS and (span.recognizer == "fr.org.kind_of_place" or span.text[:1].islower() and (
                span.recognizer.startswith("fr.ner.") or span.label == "ORGANIZATION")):
            kind = self.kind_heads.match(fold(span.text))
            street = self.street.search(span.text, kind.end() if kind else 0)
            if street is not None and (span.label != "LOCATION" or street.start() > 0):
                return Span.of(text, span.start + street.end(), span.end, "LOCATION", score=span.score,
                               recognizer=span.recognizer, propagated=span.propagated)
        if span.label != "LOCATION" or not span.text[:1].islower():
            return span
        found = self.place_noun.match(span.text)
        if found is None or found.end() >= len(span.text) or not span.text[found.end()].isupper():
            return span
        return Span.of(text, span.start + found.end(), span.end, span.label, score=span.score,
                       recognizer=span.recognizer, propagated=span.propagated)

    def _civility(self, text: str, span: Span) -> Span:
        tokens = list(_TOKEN.finditer(span.text))
        for i, token in enumerate(tokens[:-1]):
            nxt = tokens[i + 1]
            if fold_key(token.group(0)).rstrip(".") in self.civilities and nxt.group(0)[:1].isupper():
                return Span.of(text, span.start + nxt.start(), span.end, "PERSON", score=span.score,
                               recognizer=span.recognizer, propagated=span.propagated)
        return span

    # -- what a mention votes for ---------------------------------------------------------------
    def votes(self, text: str, span: Span) -> tuple[tuple[str, int], list[tuple[str, int]]]:
        """What one mention says of its label: its rule's label with the rule's weight, and the
        labels its evidence speaks for, with their weights: a civility or a first name
        (PERSON), a head word or a known name (ORGANIZATION, LOCATION), the words before it,
        the gazetteer (MUNICIPALITY)."""
        w = self.weights
        weak = self._weak(span)
        out: list[tuple[str, int]] = []
        # the words before, on the mention's line (read up to 40 characters back)
        line = text.rfind("\n", max(0, span.start - 40), span.start) + 1
        before = fold(text[max(line, span.start - 40):span.start])
        words = before.split()
        surface = _ARTICLE.sub("", span.text)
        # a surname in capitals and a first name: "DUPONT Marie", "LE GALL Anne"
        first = self.first_opens(span.text) or parse_name(surface, self.first_names).surname_first
        if first and " " not in surface.strip() and not weak and span.label != "PERSON":
            first = False  # a lone word a rule of its own names a place or body ("le Layon")
        article = bool(_ARTICLE_BEFORE.search("\n" + text[max(line, span.start - 5):span.start]))
        if first and (article or _ARTICLE.match(span.text) or self._acronym_of_place(surface)):
            first = False  # no person after a definite article ("la Roya", "L'Éden"), nor "CHU de Brest"
        # a first name and a surname joined by a hyphen name a place or a body after the person
        # ("avec Jules-Verne", "la médiathèque Marie-Curie"); "Jean-Marc" is two first names
        venue = self._named_after_person(surface)
        if span.recognizer in self.person_rules or (words and words[-1].rstrip(".") in self.civilities):
            out.append(("PERSON", w["civility"]))
        else:
            for pattern, label, kind in self.before:
                if pattern.search(before):
                    if self.commune(span.text) and (label == "LOCATION" or _LINK.search(before)):
                        label = "MUNICIPALITY"  # "une entreprise de Flins": the commune, where it is
                    # a name of two words after an article is no person's, whatever rule found it: "à la Belle de Mai"
                    article_name = article and span.label == "PERSON" and " " in surface.strip()
                    if kind == "context" or ((weak or article_name) and not first) or (kind == "employer" and not (
                            first and " " in surface.strip())):  # "travaillé chez Martin Dubreuil": a person
                        out.append((label, w["context" if kind == "employer" else kind]))
                    break
        key = fold_key(surface)
        tokens = key.split()
        if venue:
            # a hall by a place noun ("salle Léon-Gambier"), a station one goes to ("vers Jean-Macé"), else a body
            place = self.place_noun.search(" ".join(words[-3:])) is not None or any(
                label == "LOCATION" and pattern.search(before) for pattern, label, _kind in self.before)
            if place or not any(label in {"ORGANIZATION", "LOCATION", "MUNICIPALITY"} for label, _w in out):
                out.append(("LOCATION" if place else "ORGANIZATION", w["context"]))
        elif first:
            out.append(("PERSON", w["first_name"]))
        if key in self.org_names or any(key[:at] in self.org_names for at, c in enumerate(key) if c == " "):
            out.append(("ORGANIZATION", w["context"]))  # a known body, or its branch ("France Active Bretagne")
        elif (self.org_heads.match(key) and len(tokens) > 1 and (surface[:1].isupper() or self._named_kind(surface))) \
                or (len(tokens) > 1 and self.trade_heads.match(surface) is not None) \
                or (len(tokens) > 1 and tokens[-1] in self.org_suffixes) or "&" in tokens \
                or self._trade_plural(surface) \
                or (weak and self.trade_of.match(surface) is not None) \
                or (len(tokens) > 1 and surface.split()[0].isupper() and self.kind_heads.match(key)) \
                or (len(tokens) > 1 and tokens[0] in self.org_prefixes and self.commune(" ".join(tokens[1:]))) \
                or (_ACRONYM.match(surface) and not self.commune(surface) and not first
                    and self._acronym_body(surface)):
            out.append(("ORGANIZATION", w["head"]))
        elif tokens and tokens[0] in self.place_heads and surface[:1].isupper() and len(tokens) > 1:
            out.append(("LOCATION", w["context"]))  # a place by its own first word: "Cours de Vincennes"
        if self.commune(span.text):
            out.append(("MUNICIPALITY", w["gazetteer"] if key not in self.ambiguous else w["weak_context"]))
        return (span.label, w["weak_rule" if weak else "rule"]), out

    def _named_after_person(self, surface: str) -> bool:
        """One word of a first name and a surname joined by hyphens ("Marie-Curie", "Léon-Gambier"): how
        French writes a school, a hall or a street named after a person, never the person."""
        parts = surface.strip().split("-")
        if len(parts) < 2 or " " in surface.strip() or self.commune(surface) or fold(parts[0]) in {"saint", "sainte"}:
            return False  # "Clermont-Ferrand", "Saint-Ouen": communes
        return all(p[:1].isupper() and p[1:].islower() for p in parts) and len(parts[-1]) >= 3 \
            and fold(parts[0]) in self.first_names and fold(parts[-1]) not in self.first_names \
            and parts[-1].lower() not in self.common_words  # "Pierre-Grosse": a hamlet's words

    def _trade_plural(self, surface: str) -> bool:
        """A name and a capitalised plural of a French noun after it ("Rigaudeau Fermetures", "Maurin
        Emballages"): a firm by its founder and its trade, never a person's name (two words, the first
        no first name and no French word)."""
        words = surface.split()
        if len(words) != 2 or not all(w[:1].isupper() for w in words) or not words[1].endswith(("s", "x")):
            return False
        first, last = words[0], words[1].lower()
        return last in self.common_words and last[:-1] in self.common_words and first.lower() not in \
            self.common_words and fold(first) not in self.first_names

    def given_name(self, span: Span) -> str:
        """The first name (its ``label_key``) of a person named in full by a rule of persons
        ("Gilles Jeunet" -> "gilles"), else ""."""
        words = span.text.split()
        if span.label != "PERSON" or len(words) < 2 or not words[1][:1].isupper() or self._weak(span) \
                or not self.first_name(words[0]) or _ARTICLE.match(span.text):
            return ""
        return label_key(words[0])

    def _weak(self, span: Span) -> bool:
        return any(span.recognizer == r or (r.endswith("*") and span.recognizer.startswith(r[:-1]))
                   for r in self.weak_rules)

    def bare_name(self, surface: str, *, strict: bool = True) -> str:
        """The name of an organisation without its kind word when the name follows it directly
        ("SCOP La Clairière" -> "La Clairière", "collectif Les Jardins" -> "Les Jardins"); "" when
        there is none, or (``strict``) when the rest is a place or opens with a first name ("Ville
        de Brest", "Région Bretagne", "Collège Jean Moulin" have no bare name); after a lower-case
        kind, when it is a place noun or the name one word with no article ("centre social X")."""
        surface = _ARTICLE.sub("", surface)
        head = self.org_heads.match(fold_key(surface))
        if head is None or (surface[:1].islower() and self._place_kind(surface, head.group(0))):
            return ""
        words = surface.split()
        taken = len(head.group(0).split())
        rest = " ".join(words[taken:])
        article = _ARTICLE.match(rest)
        if surface[:1].islower() and article and rest[article.end():][:1].islower():
            # "association les amis du lavoir": a group named in lower case after its kind word
            # and an article is "les amis du lavoir" (fr.org.head_article), one with "amis du lavoir"
            return rest
        if not rest[:1].isupper() and not _ARTICLE.match(rest):
            return ""
        name = _ARTICLE.sub("", rest)
        if not name[:1].isupper():
            return ""
        if strict and not _ARTICLE.match(rest) and (
                self.commune(rest) or fold_key(name) in self.place_names or self.first_opens(name)):
            return ""  # "Région Bretagne", "Collège Jean Moulin"; but "Association Les Genêts"
        if surface[:1].islower() and not _ARTICLE.match(rest) and " " not in name:
            return ""  # "centre social Mermoz" may be named after its place; "collectif Les Jardins" is a name
        return rest

    def _place_kind(self, surface: str, head: str) -> bool:
        """Whether a kind word is also a place noun ("salle Jean-Moulin", "cité Mermoz"): a place."""
        return bool(self.place_noun.match(surface)) or fold_key(head) in self.place_heads

    def _named_kind(self, surface: str) -> bool:
        """A lower-case kind of body and a capitalised name after it, with or without "de" ("la
        communauté de communes du Pays de Landivisiau", "le collectif Les Jardins"): a body."""
        head = self.org_heads.match(fold_key(surface))
        if head is None or self._place_kind(surface, head.group(0)):
            return False
        rest = _LINK_START.sub("", " ".join(surface.split()[len(head.group(0).split()):]))
        return rest[:1].isupper()

    def _acronym_of_place(self, surface: str) -> bool:
        """An acronym with its place ("CHU de Brest"), even one that is a first name in capitals."""
        return bool((f := _ACRONYM_ALONE.match(surface)) and f.end() < len(surface) and self._acronym_body(surface))

    def _acronym_body(self, surface: str) -> bool:
        """An acronym alone or with its place ("CPAM", "CHU de Nantes"), not a name in capitals ("DJAMEL Roux")."""
        if _ACRONYM_ALONE.match(surface):
            return True
        rest = surface.split(" ", 1)[1] if " " in surface else ""
        return bool(rest) and (self.commune(rest) or fold_key(rest) in self.place_names)

    def first_opens(self, text: str) -> bool:
        """Whether a mention opens with a first name (and is no commune, nor a figure after it: "Paris 14e")."""
        words = _ARTICLE.sub("", text).split()
        figure = len(words) > 1 and any(c.isdigit() for c in words[1])
        return bool(words) and not figure and fold(words[0]) in self.first_names and not self.commune(text)


_ARTICLE = re.compile(r"^(?:l['’]|la\s+|le\s+|les\s+)", re.IGNORECASE)
# words that tie a title to the name after it: a place or a body, not a person in apposition
_TITLE_LINKS = frozenset({"de", "du", "des", "la", "le", "les", "à", "au", "aux", "en", "et", "sur", "pour"})
_ARTICLE_BEFORE = re.compile(r"\W(?:l['’]|la\s|le\s|les\s|au\s|aux\s|du\s|des\s)$", re.I)
_ROLE_LINKS = ("de la", "de l'", "du", "des", "de", "d'", "à la", "au", "à l'")
_LINK_START = re.compile(r"^(?:de la |de l['’]|de |du |des |d['’])")
_LINK = re.compile(r"(?:\sd(?:e|u|es)\s|\Wd['’])$")
# an article and lower-case words after a capitalised word, up to the end of a span: "Villette le soir"
# or adverbs of the sentence after it: "Les Tisserands aussi", "Kervec là-bas"
_TRAILING = re.compile(r"[A-ZÀ-Þ][\w'’-]*(?P<tail>\s+(?:le|la|les|un|une|des)\s+[a-zà-ÿ][a-zà-ÿ\s'’-]*"
                       r"|(?:\s+(?:aussi|encore|même|alors|donc|hein|quoi|là|là-bas|ici|déjà|toujours|maintenant|"
                       r"aujourd['’]hui|demain|hier|non|oui|bien|enfin|ensuite|après|avant))+)$")
_FILLERS_AFTER = re.compile(r"\w(?P<tail>(?:[ \t]+(?:euh|heu|hein|hum|ben|bah))+)$", re.IGNORECASE)
# in capitals, or in mixed case with each small letter between capitals ("CeA", "SIVoM")
_ACRONYM_WORD = r"(?:[A-Z]{3,}|[A-Z](?:[A-Z0-9]|[a-z](?=[A-Z0-9])){2,5})"
_ACRONYM = re.compile(rf"^{_ACRONYM_WORD}(?![\w'’-])")
# an acronym alone or with its place ("CPAM", "CHU de Nantes"), not a name in capitals ("DJAMEL Roux")
_ACRONYM_ALONE = re.compile(rf"^{_ACRONYM_WORD}(?:\s*$|\s+(?:de|du|des)\s|\s+d['’])")
