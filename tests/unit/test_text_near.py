"""text/near.py: words within two edits, by deletion neighbourhood and exactly."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from anonymiser.text.near import NearIndex, close, deletions, words_of


def test_near_deletions_up_to_two_characters_folded() -> None:
    assert deletions("Roy", 1) == {"roy", "oy", "ry", "ro"}
    assert "ry" in deletions("Rémy") and "my" in deletions("Rémy") and len(min(deletions("Rémy"), key=len)) == 2


@pytest.mark.parametrize(("a", "b", "expected"), [
    ("Diaby", "Diabi", True),  # one substitution
    ("Ferrand", "Férand", True),  # accents folded, one deletion
    ("Marchal", "Maréchal", True),  # one insertion
    ("Kerhervé", "Kerhervier", True),  # two insertions
    ("Kerhervé", "Kervier", False),  # three deletions
    ("Kerhervé", "Kerhervi", True),  # a folded accent, one insertion
    ("Marchal", "Marchand", True),
    ("Ferrand", "Mayeur", False),
    ("Caradec", "Carrier", False),
])
def test_near_close_is_the_levenshtein_distance(a: str, b: str, expected: bool) -> None:
    assert close(a, b) is expected


def test_near_words_of_skips_short_words_and_splits_compounds() -> None:
    assert words_of("Le Goff-Kerbrat d'Arvor") == ["goff", "kerbrat", "arvor"]


def test_near_index_answers_exactly() -> None:
    index = NearIndex({"diabi", "kerherve"})
    assert index.near("Diaby") and index.near("Kerhervé") and index.near("Le Kerhervo")
    assert index.near("Dia")  # two deletions
    assert not index.near("Mayeur") and not index.near("Di")  # far; too short to compare
    assert not NearIndex().near("Diaby")


_WORDS = st.text(alphabet="abcdeé", min_size=3, max_size=7)


@settings(max_examples=200, deadline=None)
@given(real=_WORDS, candidate=_WORDS)
def test_near_index_agrees_with_the_distance(real: str, candidate: str) -> None:
    assert NearIndex({real}).near(candidate) is close(real, candidate)
