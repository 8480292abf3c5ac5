"""documents/pdf: a text PDF is read page by page into a plain-text document (page breaks kept as
a form feed on a line of its own) that comes out as .txt; a scan, an encrypted or a damaged PDF is
refused in one line naming the file, and ``run`` writes nothing for it (exit code 1)."""

from __future__ import annotations

import json

import pytest

from anonymiser.cli import cli
from anonymiser.documents import collect_inputs, read_document
from anonymiser.documents.pdf import PAGE_BREAK, read_text
from anonymiser.errors import DocumentError
from anonymiser.keys import format as kf
from tests.unit.keying import PASSPHRASE

from .pdfs import encrypted_pdf, text_pdf

PAGES = [["Entretien du 3 mars 2024.", "Hélène Bastide : Je suis arrivée à Montluçon en 2009."],
         ["ENQ : Et ensuite ?", "Hélène Bastide : J'ai rejoint l'association (la Ruche)."]]
EXPECTED = ("Entretien du 3 mars 2024.\nHélène Bastide : Je suis arrivée à Montluçon en 2009.\n"
            "\f\nENQ : Et ensuite ?\nHélène Bastide : J'ai rejoint l'association (la Ruche).\n")


def test_documents_pdf_keeps_the_text_and_the_page_breaks() -> None:
    assert PAGE_BREAK == "\f"
    assert read_text(text_pdf(PAGES), "e.pdf") == EXPECTED
    assert read_text(text_pdf([PAGES[0], [], PAGES[1]]), "e.pdf").count("\f\n") == 2  # a blank page stays a page


def test_documents_pdf_becomes_a_text_document(tmp_path) -> None:
    folder = tmp_path / "corpus"
    (folder / "lot").mkdir(parents=True)
    (folder / "lot" / "entretien_07.pdf").write_bytes(text_pdf(PAGES))
    [(path, root)] = collect_inputs([str(folder)])
    document = read_document(path, root=root)
    assert document.id == "entretien_07" and document.path == "lot/entretien_07.txt"
    assert document.text == EXPECTED and document.layout is None and document.encoding == "utf-8"


@pytest.mark.parametrize(("data", "cause"), [
    (text_pdf([[], []]), "PDF without a text layer (a scan?): run OCR on it first"),
    (encrypted_pdf(PAGES), "encrypted PDF: remove the protection first"),
    (text_pdf(PAGES)[:400], "damaged PDF"),
    (b"%PDF-1.4\n" + bytes(range(256)) * 4, "damaged PDF"),
    (b"PK\x03\x04 not a pdf", "damaged PDF (not a PDF file)"),
])
def test_documents_pdf_refuses_scans_encrypted_and_damaged_files_in_one_line(tmp_path, data, cause) -> None:
    path = tmp_path / "entretien_08.pdf"
    path.write_bytes(data)
    with pytest.raises(DocumentError) as info:
        read_document(path)
    message = str(info.value)
    assert message.startswith(f"{path}: {cause}") and "\n" not in message
    assert "Bastide" not in message and info.value.exit_code == 1


@pytest.mark.slow
def test_documents_pdf_run_writes_text_audits_it_and_restores_it(runner, tmp_path) -> None:
    inputs = tmp_path / "entretiens"
    inputs.mkdir()
    (inputs / "entretien_07.pdf").write_bytes(text_pdf(PAGES))
    (inputs / "scan_02.pdf").write_bytes(text_pdf([[]]))
    kf.create(tmp_path / "p.key", PASSPHRASE)
    env = {"ANONYMISER_PASSPHRASE": PASSPHRASE}
    out = tmp_path / "out"
    result = runner.invoke(cli, ["run", str(inputs), "--key", str(tmp_path / "p.key"), "--out", str(out)], env=env)
    assert result.exit_code == 1, result.output  # done, with a document skipped
    assert "scan_02.pdf: PDF without a text layer" in result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["audit.jsonl", "entretien_07.txt"]
    written = (out / "entretien_07.txt").read_text(encoding="utf-8")
    assert "Bastide" not in written and "Montluçon" not in written and written.count("\f\n") == 1
    records = [json.loads(line) for line in (out / "audit.jsonl").read_text(encoding="utf-8").splitlines()]
    assert {r["path"] for r in records if r["record"] in ("mention", "document")} == {"entretien_07.txt"}
    assert [r["line"] for r in records if r["record"] == "mention"][-1] == 5  # lines counted across pages
    back = runner.invoke(cli, ["reidentify", str(out / "entretien_07.txt"), "--key", str(tmp_path / "p.key"),
                               "--out", str(tmp_path / "back"), "--reason", "contrôle"], env=env)
    assert back.exit_code == 0, back.output
    assert (tmp_path / "back" / "entretien_07.txt").read_text(encoding="utf-8") == EXPECTED
