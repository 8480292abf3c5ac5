import pytest

from anonymiser.text.names import as_surname, parse_name, render_name

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


@pytest.mark.parametrize(
    ("surface", "first", "last", "rendered"),
    [
        ("MARCHAL Isabelle", "isabelle", "marchal", "LAMBERT Sophie"),
        ("DE LA SALLE Anne", "anne", "de la salle", "LAMBERT Sophie"),
        ("DUPUIS Marie-Claire", "marie claire", "dupuis", "LAMBERT Sophie"),
        ("PIERRE Jean", "jean", "pierre", "LAMBERT Sophie"),  # capitals say the surname, a first name too
    ],
)
def test_names_upper_case_surname_first(surface: str, first: str, last: str, rendered: str) -> None:
    """A register's order, surname in capitals then first name: one person, rendered in that order."""
    name = parse_name(surface, FIRST)
    assert (name.shape, name.first, name.last, name.surname_first) == ("first+last", first, last, True)
    assert render_name(name, "Sophie", "Lambert") == rendered


@pytest.mark.parametrize("surface", ["Marchal Isabelle", "MARCHAL DUPUIS", "Jean Marchal", "MARCHAL ISABELLE"])
def test_names_surname_first_needs_capitals_then_a_first_name(surface: str) -> None:
    name = parse_name(surface, FIRST)
    assert not name.surname_first


def test_names_a_surname_written_as_its_initial_is_rendered_so() -> None:
    name = parse_name("Isabelle M.", FIRST)
    assert (name.first, name.last_initial) == ("isabelle", "m")
    assert render_name(name, "Sophie", "Lambert") == "Sophie L."
    assert parse_name("Isabelle Marchal", FIRST).last_initial == ""


def test_names_one_word_after_a_title_is_a_surname() -> None:
    name = as_surname(parse_name("PIERRE", FIRST))
    assert (name.shape, name.last, name.upper_last) == ("last", "pierre", True)
    assert render_name(name, "Sophie", "Lambert") == "LAMBERT"
    for other in ("Isabelle Marchal", "Marchal", "J.-P. Roussel"):  # a surname said already: as it is
        assert as_surname(parse_name(other, FIRST)) == parse_name(other, FIRST)
