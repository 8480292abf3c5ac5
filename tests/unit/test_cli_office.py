"""Word, OpenDocument and table interviews through the whole CLI (loads the model: slow).

A gold grid interview is rebuilt by hand as .docx and .odt with formatting, lists, a table,
header, footer, comment and names split across runs; it is pseudonymised, reopened with
python-docx / odfpy, checked for every gold mention and for its formatting, re-identified,
and summarised per grid field. A .docx written by LibreOffice goes through too.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pandas as pd
import pytest
from click.testing import CliRunner

from anonymiser import cli as cli_module
from anonymiser.cli import base as cli_base
from anonymiser.documents import read_document
from anonymiser.evaluate import read_gold
from anonymiser.keys import format as kf

from ..conftest import GOLD, ROOT
from .office import RED, build_docx, build_odt, docx_paragraphs, write_table

pytestmark = pytest.mark.slow
PASS = {"ANONYMISER_PASSPHRASE": "correct horse"}
SPLIT = [("Samia", "Cherif"), ("Nathalie", "Vasseur-Lemoine")]
ARTEFACT = "[bookmark: _GoBack]"
TABLE = [["Répondante", "Samia Cherif"], ["Structure", "Terres de Seine Solidaires"]]


def invoke(runner: CliRunner, *args: str):
    return runner.invoke(cli_module.cli, list(args), env=PASS, catch_exceptions=False)


def gold_interview(document_id: str = "entretien_06") -> tuple[str, list[str]]:
    """The text of a gold grid interview and its required surface forms."""
    gold = next(g for g in read_gold(GOLD) if g.id == document_id)
    return gold.text, sorted({gold.text[s.start:s.end] for s in gold.spans if s.required})


def survivors(text: str, forms: list[str]) -> list[str]:
    return [f for f in forms if re.search(rf"(?<!\w){re.escape(f)}(?!\w)", text)]


def zip_text(path: Path) -> str:
    with zipfile.ZipFile(path) as archive:
        return "\n".join(archive.read(n).decode("utf-8", "replace") for n in archive.namelist()
                         if n.endswith(".xml") or n.endswith(".rels"))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> dict[str, Path]:
    """Build the corpus once, pseudonymise it twice, re-identify it."""
    base = tmp_path_factory.mktemp("office")
    text, _forms = gold_interview()
    lines = text.split("\n")
    inputs = base / "in"
    inputs.mkdir()
    build_docx(inputs / "e06.docx", [*lines, ARTEFACT], table_rows=TABLE, split_names=SPLIT)
    build_odt(inputs / "e06o.odt", lines, table_rows=TABLE, split_names=SPLIT,
              note="Selon Mehdi Bouzid, joignable au 01 99 00 42 17.", link="contact@terresdeseine-solidaires.org")
    write_table(inputs / "grille.csv", [
        {"Prénom et nom du ou des répondant.e.s": "Samia Cherif", "Finalités affichées":
         "Avec Mehdi Bouzid, aux Mureaux, jardiner ensemble.", "courriel": "samia@tss.fr"}])
    (inputs / "cassé.docx").write_bytes(b"PK\x03\x04 cut short")
    (inputs / "ancien.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64)
    return {"base": base, "in": inputs}


@pytest.fixture(scope="module")
def runs(corpus, engine) -> dict[str, object]:
    import unittest.mock

    base = corpus["base"]
    key = base / "project.key"
    kf.create(key, PASS["ANONYMISER_PASSPHRASE"])
    results = {}
    with unittest.mock.patch.object(cli_base, "_anonymiser", lambda: engine):
        runner = CliRunner()
        for name in ("out", "again"):
            results[name] = runner.invoke(cli_module.cli, [
                "run", str(corpus["in"]), "--key", str(key), "--out", str(base / name),
                "--id-columns", "Prénom et nom du ou des répondant.e.s", "--drop-columns", "courriel"],
                env=PASS, catch_exceptions=False)
        outputs = [base / "out" / n for n in ("e06.docx", "e06o.odt", "grille.csv")]
        results["reidentify"] = runner.invoke(cli_module.cli, [
            "reidentify", *map(str, outputs), "--key", str(key), "--reason", "contrôle",
            "--out", str(base / "restored")], env=PASS, catch_exceptions=False)
        results["by_field"] = runner.invoke(cli_module.cli, ["audit", str(base / "out" / "audit.jsonl"),
                                                             "--by-field"], catch_exceptions=False)
    results["key"] = key
    return results


def test_cli_office_run_skips_unreadable_in_one_line(runs) -> None:
    result = runs["out"]
    assert result.exit_code == 1
    skipped = [line for line in result.stderr.splitlines() if line.startswith("anonymiser: skipped:")]
    assert len(skipped) == 2
    assert any("cassé.docx" in line and "damaged zip" in line for line in skipped)
    assert any("ancien.doc" in line and ".doc" in line for line in skipped)
    assert "Traceback" not in result.output
    assert "pseudonymised 3 documents" in result.stdout


def test_cli_office_docx_no_gold_mention_survives(corpus, runs) -> None:
    _text, forms = gold_interview()
    out = corpus["base"] / "out" / "e06.docx"
    paragraphs = docx_paragraphs(out)
    source = docx_paragraphs(corpus["in"] / "e06.docx")
    assert len(paragraphs) == len(source)
    assert survivors("\n".join(source), forms) == forms  # the test can fail
    assert survivors("\n".join(paragraphs), forms) == []
    assert survivors(zip_text(out), [*forms, "Cherif", "Bouzid"]) == []
    assert ARTEFACT in paragraphs  # a conversion artefact, not personal data
    assert 'w:name="_GoBack"' in zipfile.ZipFile(out).read("word/document.xml").decode()


def test_cli_office_docx_formatting_is_kept(corpus, runs) -> None:
    source = docx.Document(str(corpus["in"] / "e06.docx"))
    result = docx.Document(str(corpus["base"] / "out" / "e06.docx"))
    assert [p.style.name for p in result.paragraphs] == [p.style.name for p in source.paragraphs]
    assert "List Bullet" in {p.style.name for p in result.paragraphs}
    assert result.paragraphs[0].style.name == "Heading 1"
    formatted = [r for p in result.paragraphs for r in p.runs if r.bold and r.italic and r.underline]
    assert len(formatted) == len(SPLIT)
    assert all(r.font.color.rgb == RED and r.text and r.text not in ("Cherif", "Vasseur-Lemoine")
               for r in formatted)
    assert [len(t.rows) for t in result.tables] == [2]
    assert result.tables[0].cell(0, 0).text == "Répondante"
    props = result.core_properties
    assert (props.author, props.last_modified_by, props.title) == ("", "", "")
    assert [c.author for c in result.comments] == [""]


def test_cli_office_odt_no_gold_mention_survives(corpus, runs) -> None:
    _text, forms = gold_interview()
    out = corpus["base"] / "out" / "e06o.odt"
    text = read_document(out).text
    assert survivors(read_document(corpus["in"] / "e06o.odt").text, forms) == forms
    assert survivors(text, forms) == []
    assert survivors(zip_text(out), [*forms, "Cherif", "Bouzid", "terresdeseine"]) == []
    content = zipfile.ZipFile(out).read("content.xml").decode()
    assert '<text:span text:style-name="Gras">' in content and "<text:list>" in content
    assert "<table:table " in content and "<text:note " in content


def test_cli_office_outputs_are_byte_identical(corpus, runs) -> None:
    assert runs["again"].exit_code == 1
    for name in ("e06.docx", "e06o.odt", "grille.csv"):
        assert (corpus["base"] / "again" / name).read_bytes() == (corpus["base"] / "out" / name).read_bytes()


def test_cli_office_reidentify_restores_every_paragraph(corpus, runs) -> None:
    assert runs["reidentify"].exit_code == 0, runs["reidentify"].output
    restored = corpus["base"] / "restored"
    assert docx_paragraphs(restored / "e06.docx") == docx_paragraphs(corpus["in"] / "e06.docx")
    assert read_document(restored / "e06o.odt").text == read_document(corpus["in"] / "e06o.odt").text
    source = pd.read_csv(corpus["in"] / "grille.csv", sep=";", dtype=str).drop(columns=["courriel"])
    assert pd.read_csv(restored / "grille.csv", sep=";", dtype=str).equals(source)


def test_cli_office_table_columns_ids_and_fields(corpus, runs) -> None:
    frame = pd.read_csv(corpus["base"] / "out" / "grille.csv", sep=";", dtype=str)
    assert list(frame.columns) == ["Prénom et nom du ou des répondant.e.s", "Finalités affichées"]
    keyfile = kf.load(runs["key"], PASS["ANONYMISER_PASSPHRASE"])
    samia = next(e for e in keyfile.entities.values() if "Samia Cherif" in e.variants)
    assert frame.iloc[0, 0] == samia.pseudonym
    assert survivors(frame.iloc[0, 1], ["Mehdi Bouzid", "Mureaux"]) == []


def test_cli_office_audit_by_field(corpus, runs) -> None:
    records = [json.loads(line) for line in (corpus["base"] / "out" / "audit.jsonl").read_text().splitlines()]
    mentions = [r for r in records if r["record"] == "mention"]
    fields: dict[str, set[str]] = {}
    for record in mentions:
        fields.setdefault(record["path"], set()).add(record["field"])
    respondent = "Prénom et nom du ou des répondant.e.s"
    assert fields["e06.docx"] == fields["e06o.odt"]
    assert {respondent, "Budget annuel et principaux financeurs"} <= fields["e06.docx"]
    assert fields["grille.csv"] == {respondent, "Finalités affichées"}
    csv_fields = {(r["field"], r["label"]) for r in mentions if r["path"] == "grille.csv"}
    assert (respondent, "PERSON") in csv_fields
    table = runs["by_field"]
    assert table.exit_code == 0
    row = next(line for line in table.output.splitlines() if line.startswith(respondent))
    assert int(row.split()[-1]) == sum(1 for r in mentions if r["field"] == respondent)
    dump = (corpus["base"] / "out" / "audit.jsonl").read_text()
    assert survivors(dump, ["Samia Cherif", "Mehdi Bouzid", "Cherif", "Bouzid"]) == []


def _soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.skipif(_soffice() is None, reason="LibreOffice is not installed (make test installs "
                    "libreoffice-writer-nogui when run as root with apt-get; see scripts/install_office.sh)")
def test_cli_office_libreoffice_docx(runner, tmp_path) -> None:
    text, forms = gold_interview("entretien_06")
    source = tmp_path / "src"
    source.mkdir()
    build_odt(source / "e06lo.odt", text.split("\n"), table_rows=TABLE, split_names=SPLIT,
              note="Selon Mehdi Bouzid.")
    converted = tmp_path / "in"
    profile = (tmp_path / "lo-profile").as_uri()
    done = subprocess.run([str(_soffice()), f"-env:UserInstallation={profile}", "--headless", "--convert-to",
                           "docx", "--outdir", str(converted), str(source / "e06lo.odt")],
                          capture_output=True, text=True, timeout=180, stdin=subprocess.DEVNULL)
    assert done.returncode == 0 and (converted / "e06lo.docx").exists(), done.stderr[-500:]
    assert "word/footnotes.xml" in zipfile.ZipFile(converted / "e06lo.docx").namelist()
    key = tmp_path / "k.key"
    assert invoke(runner, "key", "init", str(key)).exit_code == 0
    out = tmp_path / "out"
    result = invoke(runner, "run", str(converted), "--key", str(key), "--out", str(out))
    assert result.exit_code == 0, result.output
    assert survivors("\n".join(docx_paragraphs(out / "e06lo.docx")), forms) == []
    assert survivors(zip_text(out / "e06lo.docx"), [*forms, "Cherif", "Bouzid"]) == []
    restored = tmp_path / "restored"
    result = invoke(runner, "reidentify", str(out / "e06lo.docx"), "--key", str(key), "--reason", "contrôle",
                    "--out", str(restored))
    assert result.exit_code == 0, result.output
    assert read_document(restored / "e06lo.docx").text == read_document(converted / "e06lo.docx").text
    assert docx_paragraphs(restored / "e06lo.docx") == docx_paragraphs(converted / "e06lo.docx")


def _formatting(path: Path) -> list[tuple[str, list[tuple[object, ...]]]]:
    """Per paragraph of the body, the header and the footer: its style, and each character with
    its run's formatting (bold, italic, underline, highlight, colour): runs may be cut anew."""
    document = docx.Document(str(path))
    section = document.sections[0]
    paragraphs = [*section.header.paragraphs, *document.paragraphs, *section.footer.paragraphs,
                  *(p for table in document.tables for row in table.rows for cell in row.cells for p in cell.paragraphs)]
    return [(p.style.name if p.style is not None else "", [
        (c, r.bold, r.italic, r.underline, r.font.highlight_color, r.font.color.rgb) for r in p.runs for c in r.text])
        for p in paragraphs]


def test_cli_office_reidentify_restores_text_and_formatting_not_bytes_as_the_readme_says(corpus, runs) -> None:
    """The README's promise for .docx: the text and its formatting come back, character by
    character; the bytes do not (the archive is rewritten, the properties erased stay erased)."""
    original, restored = corpus["in"] / "e06.docx", corpus["base"] / "restored" / "e06.docx"
    assert _formatting(restored) == _formatting(original)
    assert any(bold for _style, chars in _formatting(original) for _c, bold, *_rest in chars)  # something to keep
    assert docx.Document(str(original)).core_properties.author == "Samia Cherif"
    assert docx.Document(str(restored)).core_properties.author == ""
    assert restored.read_bytes() != original.read_bytes()
    readme = (ROOT / "README.md").read_text(encoding="utf-8") + (ROOT / "README.en.md").read_text(encoding="utf-8")
    assert "text and formatting" in readme and "le texte et la mise en forme" in readme


def test_cli_office_a_file_over_the_cap_is_skipped_in_one_line_and_the_run_goes_on(runner, tmp_path) -> None:
    """A .docx whose XML expands hundreds of times (12 MB from a few KB: a zip bomb) is
    skipped before it is read, named in one line; the other documents are pseudonymised."""
    folder = tmp_path / "in"
    folder.mkdir()
    build_docx(folder / "sain.docx", ["Mme Kerhervé est passée à Landerneau."])
    with zipfile.ZipFile(folder / "sain.docx") as healthy, \
            zipfile.ZipFile(folder / "bombe.docx", "w", zipfile.ZIP_DEFLATED) as bomb:
        for name in healthy.namelist():
            data = healthy.read(name)
            if name == "word/document.xml":
                run = b"<w:p><w:r><w:t>Mme Kerherv\xc3\xa9.</w:t></w:r></w:p>"
                data = data.replace(b"<w:body>", b"<w:body>" + run * (12 * 2**20 // len(run)))
            bomb.writestr(name, data)
    (folder / "note.txt").write_text("Bruno Kerleau habite Quimper.\n", encoding="utf-8")
    key = tmp_path / "k.key"
    assert invoke(runner, "key", "init", str(key)).exit_code == 0
    out = tmp_path / "out"
    result = invoke(runner, "run", str(folder), "--key", str(key), "--out", str(out))
    assert result.exit_code == 1, result.output
    skipped = [line for line in result.stderr.splitlines() if "bombe.docx" in line]
    assert len(skipped) == 1 and "office.max_ratio" in skipped[0] and "Kerherv" not in result.stderr
    assert sorted(p.name for p in out.iterdir() if p.suffix != ".jsonl") == ["note.txt", "sain.docx"]
    assert "Kerleau" not in (out / "note.txt").read_text(encoding="utf-8")
