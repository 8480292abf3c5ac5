"""documents/table: .csv and .xlsx read as one cell per line (chosen, dropped and identifier
columns) and written back with their encoding and separator (tables built by hand)."""

from __future__ import annotations

import pandas as pd
import pytest

from anonymiser.documents import TableOptions, read_document, write_document
from anonymiser.errors import ConfigError, DocumentError

from .office import write_table
from .replacing import pseudonymise

ROWS = [{"participant": "Samia Cherif", "âge": 41, "réponse": "Je travaille avec Mehdi Bouzid\nà Rezé.",
         "courriel": "s@x.fr"},
        {"participant": "Mehdi Bouzid", "âge": 38, "réponse": "Rien.", "courriel": "m@x.fr"}]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_documents_table_columns_ids_and_drop(tmp_path, suffix: str) -> None:
    path = tmp_path / f"t{suffix}"
    write_table(path, ROWS)
    options = TableOptions.parse(columns="réponse", drop="courriel", ids="participant")
    document = read_document(path, table_options=options)
    assert document.text == "Samia Cherif\nJe travaille avec Mehdi Bouzid\u2028à Rezé.\nMehdi Bouzid\nRien."
    assert document.layout is not None
    assert [name for _, name in document.layout.fields] == ["participant", "réponse", "participant", "réponse"]
    second = document.text.index("\nMehdi") + 1
    assert document.layout.spans == ((0, 12, "PERSON"), (second, second + 12, "PERSON"))
    output, replacements = pseudonymise(document.text)
    write_document(document, output, tmp_path / "out" / path.name, edits=replacements)
    written = tmp_path / "out" / path.name
    frame = (pd.read_csv(written, sep=";", dtype=str, keep_default_na=False) if suffix == ".csv"
             else pd.read_excel(written, dtype=object))
    assert list(frame.columns) == ["participant", "âge", "réponse"]
    assert list(frame["participant"]) == ["Léa Martin", "Paul Girard"]
    assert frame["réponse"][0] == "Je travaille avec Paul Girard\nà [COMMUNE_1]."
    assert str(frame["âge"][0]) == "41"
    again = read_document(written, table_options=TableOptions(tuple(document.layout.columns)))
    assert again.text == output
    write_document(document, output, tmp_path / f"again{suffix}", edits=replacements)
    assert (tmp_path / f"again{suffix}").read_bytes() == written.read_bytes()


def test_documents_table_unknown_column_is_refused(tmp_path) -> None:
    path = tmp_path / "t.csv"
    write_table(path, ROWS)
    with pytest.raises(DocumentError, match="no column named 'verbatim'"):
        read_document(path, table_options=TableOptions.parse(columns="verbatim"))


def test_documents_table_csv_keeps_encoding_and_separator(tmp_path) -> None:
    path = tmp_path / "t.csv"
    write_table(path, ROWS, sep=";", encoding="cp1252")
    document = read_document(path)
    assert document.encoding == "cp1252"
    write_document(document, document.text, tmp_path / "same.csv")
    assert (tmp_path / "same.csv").read_bytes() == path.read_bytes()


def test_documents_table_options_parse_columns_drop_and_ids() -> None:
    options = TableOptions.parse(columns=" réponse ,commentaire", drop="courriel",
                                 ids="participant,structure=organization")
    assert options.columns == ("réponse", "commentaire") and options.drop == ("courriel",)
    assert options.ids == (("participant", "PERSON"), ("structure", "ORGANIZATION"))
    header = ["participant", "âge", "réponse", "courriel", "structure"]
    assert options.unit_columns(header) == ["participant", "réponse", "structure"]
    assert TableOptions.parse().unit_columns(header) == header  # no choice: every column
    assert TableOptions.parse(drop="âge").unit_columns(header) == ["participant", "réponse", "courriel", "structure"]


def test_documents_table_options_refuse_an_unknown_label() -> None:
    with pytest.raises(ConfigError) as info:
        TableOptions.parse(ids="participant=NAME")
    assert str(info.value).startswith("--id-columns: ") and "'NAME'" in str(info.value)
