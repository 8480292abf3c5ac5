"""recognizers/lexical: the regular-expression building blocks of the rule recognizers (literal
alternations, case variants, name chains, sentence starts, headings, anchored patterns)."""

from __future__ import annotations

import re

import pytest

from anonymiser.recognizers.lexical import (
    CONNECTORS,
    Anchored,
    alternation,
    anchor_text,
    case_variants,
    in_upper_line,
    name_chain,
    sentence_initial,
)


def test_recognizers_lexical_alternation_longest_first_any_space_and_apostrophe() -> None:
    pattern = re.compile(alternation(["de", "de la", "l'", "Saint-Jean"]))
    assert pattern.match("de la Loire").group() == "de la"  # the longest word first
    assert pattern.fullmatch("de\u00a0la") and pattern.fullmatch("l’") and pattern.fullmatch("Saint–Jean")
    assert not pattern.fullmatch("de\nla")  # a name never runs across a line end
    assert re.fullmatch(alternation(["a.b"]), "axb") is None  # literal words: dots are escaped


def test_recognizers_lexical_case_variants_without_duplicates() -> None:
    assert case_variants(["Rue", "maire"]) == ["Rue", "rue", "maire", "Maire"]
    assert case_variants(["ccas"]) == ["ccas", "Ccas"]


def test_recognizers_lexical_name_chain_ends_on_a_capitalised_token() -> None:
    pattern = re.compile(name_chain(CONNECTORS))
    text = "avec les Pays de la Loire et Saint-Herblain sur Loire, puis Odile de la"
    assert [m.group() for m in pattern.finditer(text)] == ["Pays de la Loire", "Saint-Herblain sur Loire", "Odile"]
    assert [m.group() for m in pattern.finditer("MAISON DES LISSE\nCombelorge")] == ["MAISON DES LISSE", "Combelorge"]


@pytest.mark.parametrize(("text", "start", "expected"), [
    ("Odile parle", 0, True), ("Bon. Odile", 5, True), ("Elle dit : « Odile", 12, True), ("ligne\n- Odile", 8, True),
    ("vu Odile", 3, False), ("avec, Odile", 6, False),
])
def test_recognizers_lexical_sentence_initial(text: str, start: int, expected: bool) -> None:
    assert sentence_initial(text, start) is expected


def test_recognizers_lexical_in_upper_line_needs_a_heading_of_twelve_letters() -> None:
    text = "TERRITOIRES COOPÉRATIFS – GROUPE 2\nOdile Brossard parle à l'ESS\nCCAS DE REZÉ"
    assert in_upper_line(text, 0, 11)
    assert not in_upper_line(text, text.index("ESS"), text.index("ESS") + 3)
    assert not in_upper_line(text, text.index("CCAS"), len(text))  # capitals, but too short for a heading


def test_recognizers_lexical_anchored_finds_what_finditer_finds() -> None:
    pattern = re.compile(r"(?i:maison|mission)\s+(?:des|locale)\s+\w+")
    anchored = Anchored(pattern, ["Maison", "Mission"])
    text = "La MAISON des Lisse et la Mission locale de Lorient ; lamaison des x ; MISSION LOCALE"
    folded = anchor_text(text)
    assert folded is not None
    assert [m.group() for m in anchored.finditer(text, folded)] == [m.group() for m in pattern.finditer(text)
                                                                   if not text[m.start() - 1:m.start()].isalpha()]
    assert [m.group() for m in anchored.finditer(text, None)] == [m.group() for m in pattern.finditer(text)]
    assert anchor_text("Łucja Nowak") is None  # outside Latin-1: every position is tried
    assert [m.group() for m in Anchored(pattern, []).finditer(text, folded)] == [m.group() for m in
                                                                                 pattern.finditer(text)]


@pytest.mark.parametrize(
    ("line", "heading"),
    [
        ("Compte Rendu De L'Assemblée Générale", True),
        ("### Fin De La Réunion", True),
        ("## Vie Associative", True),
        ('title: "Ce Qu\'il Faut Retenir"', True),
        ("Comité de quartier Saint-Jacques", False),
        ("Vie Associative", False),  # two capitalised words and no mark of a heading: maybe a name
        ("## Le marché rouvre", False),
    ],
)
def test_recognizers_lexical_title_case_lines(line: str, heading: bool) -> None:
    from anonymiser.recognizers.lexical import in_title_case_line

    text = f"Avant.\n{line}\nAprès."
    start = text.index(line) + len(line) - 3
    assert in_title_case_line(text, start, start + 2) is heading


def _line_tests_on_the_whole_line(text: str, start: int, end: int) -> tuple[bool, bool]:
    """``in_upper_line`` and ``in_title_case_line`` as first written: the line cut out again
    and read whole for every span."""
    from anonymiser.recognizers.lexical import _HEADING, _SMALL_WORDS

    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line = text[line_start: line_end if line_end >= 0 else len(text)]
    letters = [c for c in line if c.isalpha()]
    upper = len(letters) >= 12 and sum(c.isupper() for c in letters) / len(letters) > 0.8
    heading = _HEADING.match(line)
    if heading:
        line = line[heading.end():]
    words = [w for w in (t.strip("«»\"'’()[]:;,.!?–—-") for t in line.split()) if w[:1].isalpha()]
    title = (len(words) >= 2 and all(w[:1].isupper() for w in words)
             and (bool(heading) or any(w.lower() in _SMALL_WORDS for w in words[1:])))
    return upper, title


@pytest.mark.parametrize("text", [
    "## Vie De La Commune\nLe CCAS De Rezé Et La MJC\nCOMPTE RENDU DU CONSEIL DE LA MJC\n"
    "title: \"Rapport Moral\"\nla Maison de la Vie\u00a0Associative, « Fin De La Réunion »\n",
    "Le Comité De Quartier Des Lilas " * 40 + "et la MJC de Rezé " * 40,  # one long line
])
def test_recognizers_lexical_line_tests_read_each_line_once_with_the_same_answers(text: str) -> None:
    from anonymiser.recognizers.lexical import in_title_case_line

    for match in re.finditer(r"\S+(?: \S+)?", text):
        start, end = match.start(), match.end()
        assert (in_upper_line(text, start, end), in_title_case_line(text, start, end)) == \
            _line_tests_on_the_whole_line(text, start, end), text[start:end]
