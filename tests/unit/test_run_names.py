"""run/names: output file names are pseudonymised like text (known names replaced, a detected
unknown name gives a neutral id), made unique, sealed for re-identification; end to end, no
output, audit record, key file payload or message of a run holds an original name, and
re-identification gives the restored file its name back."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from anonymiser.documents import collect_inputs
from anonymiser.keys import format as kf
from anonymiser.keys import manage
from anonymiser.keys.store import KeyFile
from anonymiser.pipeline import Settings
from anonymiser.reidentify import reidentify_files
from anonymiser.run import names
from anonymiser.run.corpus import run_corpus, sources_of
from anonymiser.run.executors import InProcess, use_engine

from .keying import PASSPHRASE


class Pseudonyms:
    """The renderer a run uses, reduced to what names need: each entity's pseudonym."""

    def __init__(self, kept: tuple[str, ...] = ()) -> None:
        self.kept_labels = kept

    def kept(self, entity) -> bool:
        return entity.label in self.kept_labels

    def render(self, span, entity) -> str:
        return entity.pseudonym


def _keyfile() -> KeyFile:
    keyfile = KeyFile.create()
    manage.add_entity(keyfile, manage.Rules(), "Ophélie Quéméneur", "PERSON", "Léa Martin", path="k.key")
    manage.add_entity(keyfile, manage.Rules(), "Plouzévédé", "MUNICIPALITY", "Aurot", path="k.key")
    return keyfile


@pytest.mark.parametrize(("path", "expected"), [
    ("Entretien Ophélie Quéméneur.docx", "Entretien Léa Martin.docx"),
    ("entretiens/Entretien_Ophélie_Quéméneur.odt", "entretiens/Entretien_Léa_Martin.odt"),
    ("entretien_ophelie_quemeneur.txt", "entretien_léa_martin.txt"),  # no accent, lower case
    ("Plouzévédé/entretien 03.txt", "Aurot/entretien 03.txt"),  # a folder too
    ("entretien 03.txt", "entretien 03.txt"),
])
def test_run_names_known_names_are_replaced_by_their_pseudonyms(path, expected) -> None:
    assert names.pseudonymised_path(path, _keyfile(), Pseudonyms()) == expected


def test_run_names_a_kept_label_stays() -> None:
    assert names.pseudonymised_path("Plouzévédé 2.txt", _keyfile(), Pseudonyms(kept=("MUNICIPALITY",))) \
        == "Plouzévédé 2.txt"


def test_run_names_an_unknown_detected_name_gives_a_neutral_id() -> None:
    keyfile = _keyfile()
    path = "entretiens/Notes Gwendal Ruellan.txt"
    text = names.name_text(path)
    spans = [(text.index("Gwendal"), len(text), "PERSON")]
    out = names.pseudonymised_path(path, keyfile, Pseudonyms(), spans)
    assert out.startswith("entretiens/document-") and out.endswith(".txt") and len(out) == len("entretiens/") + 21
    assert names.pseudonymised_path(path, keyfile, Pseudonyms(), spans) == out  # deterministic
    assert names.pseudonymised_path(path, KeyFile.create(), Pseudonyms(), spans) != out  # keyed
    other = "entretiens/Notes Gwendal Ruellan bis.txt"
    assert names.pseudonymised_path(other, keyfile, Pseudonyms(), spans) != out
    folder = names.pseudonymised_path("Gwendal Ruellan/e1.txt", keyfile, Pseudonyms(), [(0, 15, "PERSON")])
    assert folder.startswith("folder-") and folder.endswith("/e1.txt")


def test_run_names_a_detected_span_around_a_known_name_or_of_ordinary_words_is_taken_care_of() -> None:
    keyfile = _keyfile()
    path = "Entretien Ophélie Quéméneur.txt"
    ordinary = {"entretien", "compte", "rendu", "réunion"}.__contains__
    spans = [(0, len(names.name_text(path)), "PERSON")]  # the engine takes "Entretien" in
    assert names.pseudonymised_path(path, keyfile, Pseudonyms(), spans, ordinary=lambda w: ordinary(w.lower())) \
        == "Entretien Léa Martin.txt"
    meeting = "Compte Rendu Réunion.txt"
    assert names.pseudonymised_path(meeting, keyfile, Pseudonyms(), [(7, 20, "ORGANIZATION")],
                                    ordinary=lambda w: ordinary(w.lower())) == meeting
    # a person that no known form covers is never let through, ordinary words or not
    assert names.pseudonymised_path(meeting, keyfile, Pseudonyms(), [(7, 20, "PERSON")],
                                    ordinary=lambda w: ordinary(w.lower())).startswith("document-")


def test_run_names_first_names_of_the_lexicon_are_found_in_lower_case() -> None:
    text = names.name_text("entretien_gwendal_ruellan.txt")
    assert names.first_name_spans(text, frozenset({"gwendal"}), lambda w: w == "entretien") == [(10, 17, "PERSON")]
    assert names.first_name_spans(text, frozenset({"entretien"}), lambda w: w == "entretien") == []


def test_run_names_collisions_get_a_number_in_corpus_order() -> None:
    proposed = [("a", "Entretien Léa.txt"), ("b", "entretien léa.txt"), ("c", "Entretien Léa.txt"), ("d", "x.txt")]
    assert names.unique_paths(proposed, {}) == ["Entretien Léa.txt", "entretien léa (2).txt",
                                                "Entretien Léa (3).txt", "x.txt"]
    # an earlier run wrote x.txt for input d: d may write it again; e may not
    assert names.unique_paths([("d", "x.txt")], {"x.txt": "d"}) == ["x.txt"]
    assert names.unique_paths([("e", "x.txt")], {"x.txt": "d"}) == ["x (2).txt"]


def test_run_names_originals_are_sealed_and_opened_by_reidentification_only() -> None:
    keyfile = _keyfile()
    names.seal_names(keyfile, [("Entretien Ophélie Quéméneur.txt", "Entretien Léa Martin.txt"), ("a.txt", "a.txt")])
    stored = keyfile.extras[names.EXTRAS_KEY]
    assert len(stored) == 1 and "Ophélie" not in json.dumps(stored, ensure_ascii=False)
    record = {"record": "document", "input_name": names.input_name(keyfile, "Entretien Ophélie Quéméneur.txt")}
    assert names.original_name(keyfile, record) == "Entretien Ophélie Quéméneur.txt"
    assert names.original_name(keyfile, {"record": "document"}) is None
    names.seal_names(keyfile, [("Entretien Ophélie Quéméneur.txt", "Entretien Léa Martin.txt")])
    assert keyfile.extras[names.EXTRAS_KEY] == stored  # sealed once: a rerun does not grow the key file


# -- end to end, with the session's model -----------------------------------------------------------
ORIGINALS = ("Ophélie", "Quéméneur", "Quemeneur", "Gwendal", "Ruellan")


@pytest.mark.slow
def test_run_names_a_run_holds_no_original_file_name_and_reidentification_restores_it(engine, tmp_path) -> None:
    corpus = tmp_path / "entretiens"
    corpus.mkdir()
    (corpus / "Entretien Ophélie Quéméneur.txt").write_text(
        "Entretien avec Ophélie Quéméneur, animatrice du jardin.\nOphélie Quéméneur habite ici depuis dix ans.\n",
        encoding="utf-8")
    (corpus / "Notes Gwendal Ruellan.txt").write_text("Rien à signaler.\nLe jardin est fermé.\n", encoding="utf-8")
    (corpus / "Quéméneur.doc").write_bytes(b"\xd0\xcf\x11\xe0")  # reported and skipped
    kf.create(tmp_path / "k.key", PASSPHRASE)
    use_engine(engine)

    def run(out: Path):
        keyfile = kf.load(tmp_path / "k.key", PASSPHRASE)
        return keyfile, run_corpus(sources_of(collect_inputs([str(corpus)])), keyfile, tmp_path / "k.key", out,
                                   out / "audit.jsonl", engine=engine, executor=InProcess(engine),
                                   settings=Settings(str(out)))

    keyfile, result = run(tmp_path / "out")
    outputs = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert len(outputs) == 3 and "audit.jsonl" in outputs
    audit_text = (tmp_path / "out" / "audit.jsonl").read_text(encoding="utf-8")
    payload = json.dumps(kf.to_payload(keyfile), ensure_ascii=False)
    shown = " ".join([*(w.path for w in result.written), *(str(s.reason) for s in result.skipped)])
    for where in (" ".join(outputs), audit_text, payload, shown):
        assert not any(name in where for name in ORIGINALS), where
    assert len(result.skipped) == 1 and str(result.skipped[0].reason).endswith("(binary Word file: save it as .docx)")
    assert any(name.startswith("document-") for name in outputs)  # Gwendal Ruellan: named only in the file name
    documents = [json.loads(line) for line in audit_text.splitlines() if '"document"' in line]
    assert {d["path"] for d in documents if d["record"] == "document"} == set(outputs) - {"audit.jsonl"}

    _again, _second = run(tmp_path / "out2")  # same inputs, same key file: same names
    assert sorted(p.name for p in (tmp_path / "out2").iterdir()) == outputs

    reopened = kf.load(tmp_path / "k.key", PASSPHRASE)
    restored = [target.name for _path, target in reidentify_files(
        [str(tmp_path / "out")], reopened, key_path=tmp_path / "k.key", out_dir=tmp_path / "back", reason="contrôle")]
    assert sorted(restored) == ["Entretien Ophélie Quéméneur.txt", "Notes Gwendal Ruellan.txt"]
    assert (tmp_path / "back" / "Entretien Ophélie Quéméneur.txt").read_bytes() == \
        (corpus / "Entretien Ophélie Quéméneur.txt").read_bytes()
    log = (tmp_path / "k.key.access.jsonl").read_text(encoding="utf-8")
    assert not any(name in log for name in ORIGINALS)
