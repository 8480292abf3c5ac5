"""The factored form of a union of full-match alternatives matches what the union matches
(spaCy's French token_match above all), and anything else compiles unchanged."""

from __future__ import annotations

import gzip
import random
import re
from pathlib import Path

import pytest

from anonymiser.detect import regex_union
from anonymiser.detect.regex_union import (
    Unreadable,
    atoms,
    factor_union,
    factored_full_matches,
)

ROOT = Path(__file__).resolve().parents[2]
SEPARATORS = ["-", "–", "—", "‐", "‑", "'", "’", "~", " "]


def test_atoms_keep_classes_groups_and_quantifiers_whole() -> None:
    assert atoms(r"^a\-[x\]y]{2,3}(?:b(?:c|d))*?é+$") == ["^", "a", r"\-", r"[x\]y]{2,3}", "(?:b(?:c|d))*?",
                                                          "é+", "$"]


def test_shared_endings_are_written_once() -> None:
    letters = "[a-zà-ÿ]"
    union = "(?iu)" + "|".join(f"(?:^{head}[-–]{letters}+$)" for head in ("anti", "contre", "demi")) \
        + "|(?:^r['’]" + letters + "+$)"
    factored = factor_union(union)
    assert factored.count(letters) == 1  # the shared ending once, not once per alternative
    compiled, original = re.compile(factored), re.compile(union)
    words = ["anti-gaspi", "ANTI–Gel", "contre-pied", "demi-tour", "r'habiller", "r’ABC", "anti-", "antigel",
             "pro-vie", "demi-tour-", "anti-gaspi\n", "", "r'", "xanti-gel"]
    assert [bool(compiled.match(w)) for w in words] == [bool(original.match(w)) for w in words]


@pytest.mark.parametrize("pattern", [
    "(?:^a(b)c$)|(?:^d$)",          # a capturing group: its number would change
    r"(?:^(?:a)\1$)|(?:^d$)",        # a backreference
    "(?:^abc)|(?:^d$)",             # an alternative not anchored at its end: the match could be shorter
    "(?:^a$)|b|(?:^d$)",            # an alternative outside a group
    "(?:^a$|^b$)|(?:^d$)" + ")",     # unbalanced
    "(?:^[abc$)|(?:^d$)",           # an unclosed class
])
def test_what_it_cannot_read_is_refused(pattern: str) -> None:
    with pytest.raises(Unreadable):
        factor_union(pattern)


def test_outside_the_block_and_for_other_patterns_re_compile_is_unchanged(monkeypatch) -> None:
    monkeypatch.setattr(regex_union, "MIN_LENGTH", 20)
    real = re.compile
    union = "(?i)" + "|".join(f"(?:^{w}[0-9]+$)" for w in ("alpha", "beta", "gamma"))
    with factored_full_matches():
        assert re.compile is not real
        assert re.compile(union).pattern == factor_union(union)
        assert re.compile(union) is re.compile(union)                   # factored once
        assert re.compile("(?:^ab)|(?:^cd)|(?:^efgh)|(?:^ijkl)").pattern == "(?:^ab)|(?:^cd)|(?:^efgh)|(?:^ijkl)"
        assert re.compile("a+b").pattern == "a+b"                       # short: untouched
    assert re.compile is real


def _french_tokens(count: int, seed: int = 3) -> list[str]:
    """Words of the French word list and of the fixtures, and made-up compounds with every
    hyphen and apostrophe the pattern knows, in several cases."""
    words = gzip.open(ROOT / "rules" / "lexicons" / "mots_francais.txt.gz", "rt", encoding="utf-8").read().split()
    rng = random.Random(seed)
    tokens = set(rng.sample(words, count // 3))
    tokens.update(w for w in words if "-" in w or "'" in w)
    for path in (ROOT / "fixtures").rglob("*.txt"):
        tokens.update(path.read_text(encoding="utf-8").split())
    links = ["la", "le", "lès", "les", "des", "de", "du", "sur", "sous", "aux", "au", "à", "et", "près", "saint", "en"]
    while len(tokens) < count:
        a, b = rng.choice(words), rng.choice(words)
        tokens.add(a + rng.choice(SEPARATORS) + b)
        tokens.add(a[:rng.randint(1, 7)] + rng.choice(SEPARATORS) + b)
        tokens.add(a + rng.choice(SEPARATORS) + rng.choice(links) + rng.choice(SEPARATORS)
                   + rng.choice(["l'", "l’", ""]) + b)
    out = sorted(tokens)
    return out + [t.upper() for t in out[::3]] + [t.title() for t in out[1::3]]


@pytest.mark.slow
def test_spacy_french_token_match_factored_matches_the_same_tokens() -> None:
    """spaCy's own pattern against its factored form, on about 300,000 tokens (a run on
    1.7 million found no difference either). How long each takes to compile is measured by
    ``make bench``'s start-up, not here."""
    import spacy.lang.fr.tokenizer_exceptions as exceptions

    written = "(?iu)" + "|".join("(?:{})".format(m) for m in exceptions._regular_exp)
    factored = re.compile(factor_union(written))
    original = re.compile(written)
    tokens = _french_tokens(200_000)
    differ = [t for t in tokens if bool(original.match(t)) != bool(factored.match(t))]
    assert not differ
    assert sum(1 for t in tokens if original.match(t)) > 10_000  # the sample exercises the pattern


@pytest.mark.slow
def test_the_loaded_model_uses_the_factored_token_match(engine) -> None:
    tokenizer = engine.nlp_engine.nlp["fr"].tokenizer
    assert len(tokenizer.token_match.__self__.pattern) < 100_000
    assert [t.text for t in tokenizer("Le porte-parole d'Aix-en-Provence, né à Saint-Étienne-de-l'Olme.")] == \
        ["Le", "porte-parole", "d'", "Aix-en-Provence", ",", "né", "à", "Saint-Étienne-de-l'Olme", "."]
