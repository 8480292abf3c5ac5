import pytest

from anonymiser.text.names import parse_name, render_name

FIRST = {"isabelle", "jean", "pierre", "anne", "marie claire"}


@pytest.mark.parametrize(
    ("surface", "shape", "first", "last"),
    [
        ("Isabelle Marchal", "first+last", "isabelle", "marchal"),
        ("Marchal", "last", "", "marchal"),
        ("Isabelle", "first", "isabelle", ""),
        ("I. MARCHAL", "initials+last", "", "marchal"),
        ("J.-P. ROUSSEL", "initials+last", "", "roussel"),
        ("Anne de La Salle", "first+last", "anne", "de la salle"),
        ("Marie-Claire Dupuis", "first+last", "marie claire", "dupuis"),
    ],
)
def test_names_parse(surface: str, shape: str, first: str, last: str) -> None:
    name = parse_name(surface, FIRST)
    assert (name.shape, name.first, name.last) == (shape, first, last)


@pytest.mark.parametrize(
    ("surface", "expected"),
    [
        ("Isabelle Marchal", "Sophie Lambert"),
        ("Marchal", "Lambert"),
        ("MARCHAL", "LAMBERT"),
        ("Isabelle", "Sophie"),
        ("I. Marchal", "S. Lambert"),
        ("Isabelle MARCHAL", "Sophie LAMBERT"),
    ],
)
def test_names_render_follows_the_mention(surface: str, expected: str) -> None:
    assert render_name(parse_name(surface, FIRST), "Sophie", "Lambert") == expected
