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


ORDINARY = frozenset({"votre", "parcours", "quel", "est", "rôle", "dans", "le", "quartier", "oui", "non", "tous",
                      "les", "jours", "parfois", "jamais", "enquête", "voisinage", "entretien", "merci"})


def _interview(number: int, *, question_two: bool = True) -> str:
    lines = ["Enquête voisinage", f"Entretien {number}, le {number} mai.", "Enquêtrice : Lucie Garnier",
             "1. Votre parcours ?", f"Nadia Haddad : oui, depuis {2000 + number}.", "Nadia Haddad :",
             "Tous les jours / Parfois / Jamais", "ENQ : Merci.", "[rires]"]
    if question_two:
        lines.insert(5, "2. Quel est votre rôle dans le quartier ?")
    return "\n".join(lines) + "\n"


def test_grid_infer_keeps_the_lines_most_documents_print() -> None:
    from anonymiser.text.grid import infer_lines

    texts = [_interview(1), _interview(2), _interview(3, question_two=False), _interview(4, question_two=False),
             _interview(5, question_two=False)]
    markers = ("[rires]", "ENQ : Merci.")
    lines = infer_lines(texts, ordinary=ORDINARY, is_marker=lambda line: line in markers)
    # headings, questions, answer categories; not the line in 2 of 5 documents, the varying lines,
    # the lines that name someone (speaker labels, the interviewer's name) or the marks
    assert lines == ("Enquête voisinage", "1. Votre parcours ?", "Tous les jours / Parfois / Jamais")


def test_grid_infer_needs_more_than_half_and_at_least_three_documents() -> None:
    from anonymiser.text.grid import infer_lines

    assert infer_lines([_interview(1), _interview(2)], ordinary=ORDINARY) == ()
    assert infer_lines([_interview(1)] * 3, ordinary=ORDINARY)[0] == "Enquête voisinage"
    printed_twice_in_four = [_interview(1), _interview(2), "Autre chose.\n", "Rien.\n"]
    assert infer_lines(printed_twice_in_four, ordinary=ORDINARY) == ()


def test_grid_infer_keeps_the_line_as_printed_and_matches_its_variants() -> None:
    from anonymiser.text.grid import infer_lines

    texts = ["· 1. Votre  parcours ? \nNon.\n", "1. Votre parcours ?\nOui.\n", "1. votre parcours?\nOui.\n"]
    lines = infer_lines(texts, ordinary=ORDINARY)
    assert lines == ("· 1. Votre  parcours ?",)
    text = "1. Votre parcours ? J'ai grandi à Lorient.\n"
    assert Grid(list(lines)).regions(text)[0].field == "1. Votre  parcours ?"


def test_grid_raw_end_agrees_with_the_whole_line_map() -> None:
    # the end of a grid line's prefix is found from the start of the line only
    from anonymiser.text.fold import normalize_with_map
    from anonymiser.text.grid import _raw_end

    lines = ["Quel est  votre rôle ?  Je suis  trésorière", "Vos   attentes\t :" + " suite" * 200,
             "a" + " " * 300 + "b : c", "Présentation : ", "É-tu-des ; de cas !" * 30]
    for body in lines:
        norm, mapping = normalize_with_map(body)
        for length in range(1, len(norm) + 1):
            if norm[length - 1] != " ":
                assert _raw_end(body, length) == mapping[length - 1] + 1, (body[:20], length)
