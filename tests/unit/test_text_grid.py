from anonymiser.text.grid import Grid, field_at, inside_grid

GRID = [
    "I. Présentation générale",
    "· Prénom et nom du ou des répondant.e.s : ",
    "· Budget annuel et principaux financeurs : ",
    "Citoyen.ne / Productrice.eur / Facilitateur.rice / Autre …",
]


def test_grid_prefix_with_answer_on_same_line() -> None:
    text = "Budget annuel et principaux financeurs: 2 M€, Ville de Rezé\n"
    regions = Grid(GRID).regions(text)
    assert len(regions) == 1
    assert text[regions[0].start:regions[0].end] == "Budget annuel et principaux financeurs:"
    assert regions[0].field == "Budget annuel et principaux financeurs"


def test_grid_typographic_variation() -> None:
    text = "•  Prénom et nom du ou des répondant.e.s  :\nNadia Haddad\n"
    regions = Grid(GRID).regions(text)
    assert regions and regions[0].field.startswith("Prénom et nom")
    assert not inside_grid(regions, text.index("Nadia"), text.index("Nadia") + 5)
    assert field_at(regions, text.index("Nadia")).startswith("Prénom et nom")


def test_grid_near_identical_line() -> None:
    text = "Citoyen.ne / Productrice.eur / Facilitateur.rice / Autre...\n"
    assert Grid(GRID).regions(text)


def test_grid_answers_are_not_grid() -> None:
    text = "Nous travaillons avec la Ville de Rezé.\n"
    assert Grid(GRID).regions(text) == []
    assert field_at([], 5) == ""
