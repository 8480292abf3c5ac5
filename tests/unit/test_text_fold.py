import pytest

from anonymiser.text.fold import fold, fold_key, fold_one_line, normalize_with_map


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Saint-Étienne", "saint etienne"),
        ("JOUÉ-LÈS-TOURS", "joue les tours"),
        ("l’Île", "l'ile"),
        ("Œuvre", "œuvre"),
    ],
)
def test_text_fold_fold(text: str, expected: str) -> None:
    assert fold(text) == expected
    assert len(fold(text)) == len(text)


def test_text_fold_fold_key_collapses_spaces() -> None:
    assert fold_key("  Saint -  Ismier ") == "saint ismier"


def test_text_fold_normalize_with_map_points_back() -> None:
    text = "Budget annuel  et principaux financeurs :"
    norm, mapping = normalize_with_map(text)
    assert norm == "budget annuel et principaux financeurs:"
    assert text[mapping[norm.index("financeurs")]:].startswith("financeurs")


def test_text_fold_one_line_is_fold_with_line_ends_as_spaces() -> None:
    text = "Mme Kerhervé\r\nà Saint-Étienne’s\rFIN\n"
    assert fold_one_line(text) == fold(text).replace("\n", " ").replace("\r", " ") == \
        "mme kerherve  a saint etienne's fin "
    assert fold("a\nb") == "a\nb"  # the two tables are apart: fold keeps its line ends
