"""documents/table: .csv and .xlsx read as one cell per line (chosen, dropped and identifier
columns) and written back with their encoding and separator (tables built by hand)."""

from __future__ import annotations

import pandas as pd
import pytest

from anonymiser import cli as cli_module
from anonymiser.documents import TableOptions, read_document, table, write_document
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
    names = "\nEntretiens" if suffix == ".xlsx" else ""  # then the headers written out
    assert document.text == ("Samia Cherif\nJe travaille avec Mehdi Bouzid\u2028à Rezé.\nMehdi Bouzid\nRien."
                             f"{names}\nparticipant\nâge\nréponse")
    assert document.layout is not None
    assert [name for _, name in document.layout.fields][:4] == ["participant", "réponse", "participant", "réponse"]
    assert document.layout.headers[-3:] == (("column", "participant"), ("column", "âge"), ("column", "réponse"))
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


NAMES = {"sheet": "Gwendoline Kerbrat", "xlsx header": "Maëlys Tanguy", "csv header": "Ophélie Quéméneur"}


@pytest.mark.slow
def test_documents_table_names_in_sheet_names_headers_and_phone_numbers_are_pseudonymised(runner, tmp_path) -> None:
    import zipfile

    inputs, out, key = tmp_path / "in", tmp_path / "out", tmp_path / "k.key"
    inputs.mkdir()
    answers = [{NAMES["xlsx header"]: "Elle anime l'atelier du jeudi.", "joignable": 612345678, "âge": 41}]
    pd.DataFrame(answers).to_excel(inputs / "suivi.xlsx", index=False, sheet_name=NAMES["sheet"])
    write_table(inputs / "avis.csv", [{NAMES["csv header"]: "Rien à signaler.", "réponse": "Oui."}])
    env = {"ANONYMISER_PASSPHRASE": "a long test passphrase"}
    assert runner.invoke(cli_module.cli, ["key", "init", str(key)], env=env).exit_code == 0
    result = runner.invoke(cli_module.cli, ["run", str(inputs), "--key", str(key), "--out", str(out)], env=env)
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(out / "suivi.xlsx") as archive:
        members = {name: archive.read(name).decode("utf-8", "replace") for name in archive.namelist()}
    members["avis.csv"] = (out / "avis.csv").read_text(encoding="utf-8")
    members["audit.jsonl"] = (out / "audit.jsonl").read_text(encoding="utf-8")
    left = [(member, secret) for member, text in members.items()
            for secret in (*NAMES.values(), "612345678", "0612345678") if secret in text]
    assert left == []
    frame = pd.read_excel(out / "suivi.xlsx", dtype=object, sheet_name=None)
    (sheet, written), = frame.items()
    assert sheet and list(written.columns)[1:] == ["joignable", "âge"] and written["âge"][0] == 41
    assert isinstance(written["joignable"][0], str)  # the phone number's replacement, as text
    restored = tmp_path / "restored"
    result = runner.invoke(cli_module.cli, ["reidentify", str(out / "suivi.xlsx"), str(out / "avis.csv"),
                                            "--key", str(key), "--reason", "contrôle", "--out", str(restored)],
                           env=env)
    assert result.exit_code == 0, result.output
    back = pd.read_excel(restored / "suivi.xlsx", dtype=object, sheet_name=None)
    assert list(back) == [NAMES["sheet"]] and list(back[NAMES["sheet"]].columns)[0] == NAMES["xlsx header"]
    assert pd.read_csv(restored / "avis.csv", sep=";").columns[0] == NAMES["csv header"]


def test_documents_table_sheet_names_are_made_valid_and_unique() -> None:
    from anonymiser.documents.table import _sheet_name

    assert _sheet_name("Suivi [2024]: A/B", {}) == "Suivi -2024-- A-B"
    assert _sheet_name("Léa Martin", {"léa martin": None}) == "Léa Martin (2)"
    assert len(_sheet_name("x" * 40, {"x" * 31: None})) == 31


def test_documents_table_numbers_shaped_like_phone_numbers_are_read_as_phone_numbers(tmp_path) -> None:
    path = tmp_path / "t.xlsx"
    pd.DataFrame([{"note": "Rien.", "tel": 612345678, "âge": 41, "montant": 1234567890}]).to_excel(
        path, index=False, sheet_name="Feuille")
    document = read_document(path)
    assert document.text.split("\n")[:2] == ["Rien.", "0612345678"]
    assert document.layout is not None and document.layout.spans == ((6, 16, "PHONE_NUMBER"),)


def test_documents_table_a_large_table_keeps_its_rows_in_order(tmp_path) -> None:
    rows = [{"participant": f"P{row:05d}", "réponse": f"Ligne {row} : Samia Cherif\nest venue." if row % 3 else "Rien."}
            for row in range(20_000)]
    path = tmp_path / "grand.csv"
    write_table(path, rows)
    document = read_document(path)
    output, replacements = pseudonymise(document.text)
    assert len(replacements) == sum(1 for row in range(20_000) if row % 3)
    write_document(document, output, tmp_path / "out.csv", edits=replacements)
    frame = pd.read_csv(tmp_path / "out.csv", sep=";", dtype=str, keep_default_na=False)
    assert list(frame["participant"]) == [r["participant"] for r in rows]
    assert list(frame["réponse"]) == [str(r["réponse"]).replace("Samia Cherif", "Léa Martin") for r in rows]


# -- the csv written row by row (CsvWriter), as render writes it whole -------------------------
STREAMED = ('n°;participant;réponse;note\r\n'
            '1;Samia Cherif;"Je travaille avec ""Mehdi"" Bouzid\r\nà Rezé; souvent.";\r\n'
            '2;Mehdi Bouzid;Rien.;ok\r\n'
            '3;;"";\r\n')


def _streamed(data: bytes, options: TableOptions, lines, names, encoding: str = "utf-8") -> bytes:
    import io

    handle = io.BytesIO()
    writer = table.CsvWriter(data, "t.csv", options, names, handle, encoding)
    for start in range(0, len(lines), 3):  # three cells at a time: rows are cut across feeds
        writer.feed(lines[start:start + 3])
    writer.close()
    return handle.getvalue()


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
@pytest.mark.parametrize("options", [TableOptions(), TableOptions.parse(columns="réponse", drop="note",
                                                                        ids="participant")])
def test_documents_table_csv_writer_writes_what_render_writes(encoding: str, options: TableOptions) -> None:
    data = STREAMED.encode(encoding)
    opened, found = table.open_file(data, "t.csv", "csv", options)
    new = opened.text.replace("Mehdi", "Jules").replace("Samia Cherif", "Anne Roux").replace("réponse", "avis")
    whole = table.render(data, "t.csv", "csv", options, new, None, found)
    cells = len(opened.fields) - len(opened.headers)
    lines = new.split("\n")
    assert _streamed(data, options, lines[:cells], lines[cells:], found) == whole
    assert "avis" in whole.decode(encoding) and "Mehdi" not in whole.decode(encoding)


def test_documents_table_csv_writer_refuses_a_wrong_count_and_an_unwritable_pseudonym() -> None:
    data = STREAMED.encode("cp1252")
    opened, _ = table.open_file(data, "t.csv", "csv", TableOptions())
    cells = len(opened.fields) - len(opened.headers)
    lines = opened.text.split("\n")
    with pytest.raises(DocumentError, match="edits do not match"):
        _streamed(data, TableOptions(), lines[:cells - 1], lines[cells:], "cp1252")
    with pytest.raises(DocumentError, match="edits do not match"):
        _streamed(data, TableOptions(), lines[:cells] + ["de trop"], lines[cells:], "cp1252")
    with pytest.raises(DocumentError, match="edits do not match"):
        _streamed(data, TableOptions(), lines[:cells], lines[cells:-1], "cp1252")
    with pytest.raises(DocumentError, match="cannot be written in cp1252"):
        _streamed(data, TableOptions(), ["Œuvre ≠"] + lines[1:cells], lines[cells:], "cp1252")
