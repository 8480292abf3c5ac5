"""anonymiser.reidentify: the audit offsets replayed backwards with the originals of a key file.

The pseudonymised text, its audit records and the key file are built by hand here (no model),
as the pipeline writes them: one ``mention`` record per replacement (output offsets, pseudonym,
keyed hash of the original range, how many characters of a function word it took over), then a
``document`` record with the keyed hash of the input.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from anonymiser.errors import KeyFileError, RefusedError
from anonymiser.keys import format as store
from anonymiser.keys.store import KeyFile
from anonymiser.model import Entity
from anonymiser.reidentify import reidentify_text
from tests.unit.keying import PASSPHRASE

ORIGINAL = "Odile Brossard est adjointe à Valbrune. Odile parle d'Anaïs, puis de Valbrune.\n"
ORIGINALS = ("Odile", "Brossard", "Anaïs", "Valbrune")
# (start, end of the original range, entity id, replacement, characters of a function word taken over)
MENTIONS = (
    (0, 14, "PER-0001", "Gisèle Marquet", 0),
    (30, 38, "COM-0001", "Rocheval", 0),
    (40, 45, "PER-0001", "Gisèle", 0),
    (52, 59, "PER-0002", "de Colette", 2),  # "d'Anaïs": the elided "d'" becomes "de"
    (69, 77, "COM-0001", "Rocheval", 0),
)
ENTITIES = (
    Entity("PER-0001", "PERSON", "Odile Brossard", ("Odile",), "Gisèle Marquet"),
    Entity("PER-0002", "PERSON", "Anaïs", (), "Colette"),
    Entity("COM-0001", "MUNICIPALITY", "Valbrune", (), "Rocheval"),
)


def keyfile_with_entities() -> KeyFile:
    keyfile = KeyFile.create()
    for entity in ENTITIES:
        keyfile.add(entity)
    return keyfile


def pseudonymise(text: str, keyfile: KeyFile) -> tuple[str, list[dict[str, Any]]]:
    """The output and audit records of ``MENTIONS`` applied to ``text``."""
    pieces, records, cursor, length = [], [], 0, 0
    for start, end, entity_id, new, context in MENTIONS:
        pieces.append(text[cursor:start])
        length += start - cursor
        records.append({"record": "mention", "document": "entretien_01", "entity_id": entity_id,
                        "out_start": length, "out_end": length + len(new), "pseudonym": new,
                        "hash": keyfile.keyed_hash(text[start:end]), "context": context})
        pieces.append(new)
        length += len(new)
        cursor = end
    pieces.append(text[cursor:])
    records.append({"record": "document", "document": "entretien_01", "input_hash": keyfile.keyed_hash(text)})
    return "".join(pieces), records


@pytest.fixture()
def keyfile() -> KeyFile:
    return keyfile_with_entities()


def refused(text: str, records: list[dict[str, Any]], keyfile: KeyFile, cause: str) -> RefusedError:
    with pytest.raises(RefusedError) as caught:
        reidentify_text(text, records, keyfile, path="entretien_01.txt")
    error = caught.value
    assert str(error) == f"entretien_01.txt: {cause}"
    shown = str(error) + repr(error.message.params)
    assert not [word for word in ORIGINALS if word in shown], "no original in an error"
    return error


def test_hand_built_records_are_consistent(keyfile: KeyFile) -> None:
    output, records = pseudonymise(ORIGINAL, keyfile)
    assert output == ("Gisèle Marquet est adjointe à Rocheval. Gisèle parle de Colette, puis de Rocheval.\n")
    assert all(output[r["out_start"]:r["out_end"]] == r["pseudonym"] for r in records[:-1])


def test_restores_every_original(keyfile: KeyFile) -> None:
    output, records = pseudonymise(ORIGINAL, keyfile)
    assert reidentify_text(output, records, keyfile, path="entretien_01.txt") == ORIGINAL


def test_records_of_other_kinds_are_ignored(keyfile: KeyFile) -> None:
    output, records = pseudonymise(ORIGINAL, keyfile)
    noise = [{"record": "run", "version": 1}, {"record": "review", "entity_id": "PER-0001"}]
    assert reidentify_text(output, noise + records, keyfile, path="entretien_01.txt") == ORIGINAL


def test_a_text_without_mentions_comes_back_as_it_is(keyfile: KeyFile) -> None:
    text = "Rien à masquer dans cette phrase.\n"
    assert reidentify_text(text, [], keyfile, path="x.txt") == text
    document = {"record": "document", "input_hash": keyfile.keyed_hash(text)}
    assert reidentify_text(text, [document], keyfile, path="x.txt") == text


def test_restores_with_the_key_file_reopened_from_disk(tmp_path: Path) -> None:
    path = tmp_path / "projet.key"
    keyfile = store.create(path, "phrase-pseudo", reidentify_passphrase="phrase-direction")
    for entity in ENTITIES:
        keyfile.add(entity)
    store.save(keyfile, path)
    output, records = pseudonymise(ORIGINAL, keyfile)
    director = store.load(path, "phrase-direction", need_private=True)
    assert reidentify_text(output, records, director, path="entretien_01.txt") == ORIGINAL
    assistant = store.load(path, "phrase-pseudo")  # pseudonymisation only: the originals stay sealed
    with pytest.raises(KeyFileError, match="does not allow re-identification") as caught:
        reidentify_text(output, records, assistant, path="entretien_01.txt")
    assert not [word for word in ORIGINALS if word in str(caught.value)]


def test_refuses_an_output_edited_at_a_mention(keyfile: KeyFile) -> None:
    output, records = pseudonymise(ORIGINAL, keyfile)
    edited = output.replace("Rocheval.", "Rochevol.", 1)
    refused(edited, records, keyfile, "file does not match its audit records (edited after pseudonymisation?)")


def test_refuses_records_of_another_text(keyfile: KeyFile) -> None:
    output, records = pseudonymise(ORIGINAL, keyfile)
    shifted = [dict(r, out_start=r["out_start"] + 1, out_end=r["out_end"] + 1) if r["record"] == "mention" else r
               for r in records]
    refused(output, shifted, keyfile, "file does not match its audit records (edited after pseudonymisation?)")


def test_refuses_an_entity_the_key_file_does_not_hold(keyfile: KeyFile) -> None:
    output, records = pseudonymise(ORIGINAL, keyfile)
    records[1]["entity_id"] = "COM-0099"
    error = refused(output, records, keyfile, "entity COM-0099 is not in this key file")
    assert error.message.params == {"entity": "COM-0099"}


def test_refuses_a_hash_no_sealed_form_has(keyfile: KeyFile) -> None:
    output, records = pseudonymise(ORIGINAL, keyfile)
    records[2]["hash"] = keyfile.keyed_hash("Odette")
    refused(output, records, keyfile, "no original form for entity PER-0001 in this key file")


def test_refuses_a_function_word_the_grammar_never_takes_over(keyfile: KeyFile) -> None:
    output, records = pseudonymise(ORIGINAL, keyfile)
    records[3]["context"] = 7  # no function word of 7 characters is ever followed by this original
    refused(output, records, keyfile, "no original form for entity PER-0002 in this key file")


def test_refuses_the_key_file_of_another_project(keyfile: KeyFile) -> None:
    output, records = pseudonymise(ORIGINAL, keyfile)
    other = keyfile_with_entities()  # same ids and originals, another secret: no keyed hash matches
    refused(output, records, other, "no original form for entity PER-0001 in this key file")


def test_refuses_a_text_edited_between_mentions(keyfile: KeyFile) -> None:
    output, records = pseudonymise(ORIGINAL, keyfile)
    edited = output.replace("adjointe", "adjoint_", 1)  # same length: the offsets still hold
    refused(edited, records, keyfile, "restored text does not match the original's hash")


@pytest.mark.slow
def test_reidentify_files_restores_a_run_and_records_each_access(engine, tmp_path: Path) -> None:
    import json

    from anonymiser.pipeline import Settings
    from anonymiser.reidentify import default_access_log, reidentify_files
    from anonymiser.run.corpus import run_corpus, sources_of
    from anonymiser.run.executors import InProcess

    folder = tmp_path / "in"
    folder.mkdir()
    original = "Entretien avec Gwenaëlle Kervella, présidente de l'association Les Amis du Lavoir.\n"
    (folder / "e1.txt").write_text(original, encoding="utf-8")
    key_path = tmp_path / "k.key"
    keyfile = store.create(key_path, PASSPHRASE)
    out = tmp_path / "out"
    run_corpus(sources_of([(folder / "e1.txt", folder)]), keyfile, key_path, out, out / "audit.jsonl",
               engine=engine, executor=InProcess(engine), settings=Settings())
    assert "Kervella" not in (out / "e1.txt").read_text(encoding="utf-8")
    keyfile = store.load(key_path, PASSPHRASE, need_private=True)
    with pytest.raises(RefusedError, match="reason"):
        list(reidentify_files([out / "e1.txt"], keyfile, key_path=key_path, out_dir=tmp_path / "back", reason=" "))
    done = list(reidentify_files([out / "e1.txt"], keyfile, key_path=key_path, out_dir=tmp_path / "back",
                                 reason="vérification d'une citation"))
    assert done == [(out / "e1.txt", tmp_path / "back" / "e1.txt")]
    assert (tmp_path / "back" / "e1.txt").read_text(encoding="utf-8") == original
    log = [json.loads(line) for line in default_access_log(key_path).read_text().splitlines()]
    assert [(r["record"], r["reason"], r["file"]) for r in log] == [
        ("access", "vérification d'une citation", str(out / "e1.txt"))]
    assert "Kervella" not in default_access_log(key_path).read_text(encoding="utf-8")
    assert store.load(key_path, PASSPHRASE).access_log["count"] == 1  # the key file keeps the log's head
    (out / "autre.txt").write_text("Un autre texte.\n", encoding="utf-8")
    with pytest.raises(RefusedError, match="no audit record"):
        list(reidentify_files([out / "autre.txt"], keyfile, key_path=key_path, out_dir=tmp_path / "x",
                              reason="r", audit_path=out / "audit.jsonl"))


def test_a_kept_mention_is_checked_by_its_hash_and_left_as_it_is(keyfile: KeyFile) -> None:
    text, records = pseudonymise(ORIGINAL, keyfile)
    kept_at = text.index("Rocheval")
    records[1] = {**records[1], "pseudonym": "", "kept": True, "out_end": kept_at + len("Valbrune"),
                  "out_start": kept_at}
    shift = len("Valbrune") - len("Rocheval")  # 0: same length, the later offsets hold
    assert shift == 0
    kept_text = text[:kept_at] + "Valbrune" + text[kept_at + len("Rocheval"):]
    assert reidentify_text(kept_text, records, keyfile, path="entretien_01.txt") == ORIGINAL
    refused(text, records, keyfile, "file does not match its audit records (edited after pseudonymisation?)")


def test_a_folder_expands_to_the_files_its_audit_log_lists(tmp_path: Path) -> None:
    from anonymiser.reidentify import default_audit, expand_inputs

    out = tmp_path / "anonymise"
    (out / "lot2").mkdir(parents=True)
    for name in ("e1.txt", "lot2/e2.docx", "notes.txt"):
        (out / name).write_text("x", encoding="utf-8")
    records = [{"record": "document", "path": "e1.txt"}, {"record": "mention", "path": "e1.txt"},
               {"record": "document", "path": "lot2/e2.docx"}, {"record": "document", "path": "absent.txt"},
               {"record": "document", "path": "../ailleurs.txt"}]
    assert default_audit([out]) == out / "audit.jsonl"
    assert default_audit([out / "e1.txt"]) == out / "audit.jsonl"
    assert expand_inputs([out, out / "notes.txt"], records, out / "audit.jsonl") == [
        (out / "e1.txt", Path("e1.txt")), (out / "lot2" / "e2.docx", Path("lot2/e2.docx")),
        (out / "notes.txt", Path("notes.txt"))]
    with pytest.raises(RefusedError, match="no file of this folder"):
        expand_inputs([tmp_path / "anonymise" / "lot2"], [{"record": "document", "path": "e1.txt"}], out)


def test_restores_words_that_agreed_with_a_neutral_phrase() -> None:
    # "la Bergerie, elle est fermée" -> "un lieu, il est fermé": the record says how many
    # characters of its pseudonym are words after the mention; their original is among their forms
    text = "Alors la Bergerie, elle est fermée le lundi.\n"
    keyfile = KeyFile.create()
    keyfile.add(Entity("LOC-0001", "LOCATION", "Bergerie", (), "Valmont"))
    original = "la Bergerie, elle est fermée"
    new = "un lieu, il est fermé"
    output = text.replace(original, new)
    records = [{"record": "mention", "entity_id": "LOC-0001", "out_start": 6, "out_end": 6 + len(new),
                "pseudonym": new, "hash": keyfile.keyed_hash(original), "context": 3, "after": 14},
               {"record": "document", "input_hash": keyfile.keyed_hash(text)}]
    assert reidentify_text(output, records, keyfile, path="x.txt") == text
    records[0]["after"] = 0  # without it, no sealed form matches the range
    with pytest.raises(RefusedError):
        reidentify_text(output, records, keyfile, path="x.txt")
