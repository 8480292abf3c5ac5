"""audit: mention and document records hold offsets, labels, keyed hashes and pseudonyms, never the
original text; the hash chain detects an edited, removed, inserted or reordered record and a
truncated log; summaries per label, per file and per grid field."""

from __future__ import annotations

import json

import pytest

from anonymiser import audit
from anonymiser.errors import NotFoundError, RefusedError
from anonymiser.keys.store import KeyFile
from anonymiser.model import Document, Layout, Replacement
from anonymiser.text.grid import GridRegion

TEXT = "Profession : éleveuse\nOdile Brossard vit à Combelorge.\nOdile l'a dit.\n"


def replacement(form: str, pseudonym: str, label: str, entity: str, *, occurrence: int = 0) -> Replacement:
    start = [i for i in range(len(TEXT)) if TEXT.startswith(form, i)][occurrence]
    return Replacement(start, start + len(form), start, start + len(pseudonym), form, pseudonym, label, entity,
                       0.9, "fr.rule")


@pytest.fixture(scope="module")
def keyfile() -> KeyFile:
    return KeyFile.create()


@pytest.fixture()
def records(keyfile: KeyFile) -> list[dict]:
    document = Document("E01", TEXT, "vague1/E01.txt")
    replacements = [replacement("Odile Brossard", "Léa Martin", "PERSON", "PER-0001"),
                    replacement("Combelorge", "Valbrune", "MUNICIPALITY", "COM-0001"),
                    replacement("Odile", "Léa", "PERSON", "PER-0001", occurrence=1)]
    mentions = audit.mention_records(document, replacements, [GridRegion(0, 12, "Profession")], keyfile)
    return [*mentions, audit.document_record(document, "sortie", len(mentions), keyfile)]


def test_audit_records_hold_no_plaintext(records: list[dict], keyfile: KeyFile) -> None:
    dumped = "\n".join(audit.dumps(r) for r in records)
    assert "Brossard" not in dumped and "Combelorge" not in dumped and "éleveuse" not in dumped
    assert '"Odile' not in dumped and " Odile" not in dumped
    first = records[0]
    assert (first["record"], first["document"], first["path"], first["line"]) == ("mention", "E01", "vague1/E01.txt", 2)
    assert (first["start"], first["end"], first["label"], first["entity_id"], first["pseudonym"]) == (
        22, 36, "PERSON", "PER-0001", "Léa Martin")
    assert first["hash"] == keyfile.keyed_hash("Odile Brossard") != KeyFile.create().keyed_hash("Odile Brossard")
    assert [r["line"] for r in records[:3]] == [2, 2, 3]


def test_audit_spool_gives_back_the_records_in_order_and_they_chain_as_the_originals(
        records: list[dict], keyfile: KeyFile, tmp_path) -> None:
    spool = tmp_path / ".records.1.x.tmp"
    with spool.open("w", encoding="utf-8") as handle:
        assert audit.write_spool(iter(records), handle) == len(records)
    with spool.open(encoding="utf-8") as handle:
        back = list(audit.read_spool(handle))
    assert back == records and [r["record"] for r in back] == ["mention"] * 3 + ["document"]
    key = keyfile.chain_key("audit")
    direct, spooled = audit.Chain(key), audit.Chain(key)
    assert [direct.line(r) for r in records] == [spooled.line(r) for r in back]


def test_audit_document_record_hashes_input_and_output(records: list[dict], keyfile: KeyFile) -> None:
    import hashlib

    document = records[-1]
    assert document["record"] == "document" and document["mentions"] == 3 and document["encoding"] == "utf-8"
    assert document["input_hash"] == keyfile.keyed_hash(TEXT)
    assert document["output_sha256"] == hashlib.sha256(b"sortie").hexdigest()
    assert document["version"] == audit.AUDIT_VERSION and "format" not in document
    table = Document("T", "Odile\n", "t.csv", layout=Layout("csv", columns=("réponse",)))
    assert audit.document_record(table, "x", 0, keyfile)["columns"] == ["réponse"]
    assert audit.document_record(Document("D", "x", layout=Layout("docx")), "x", 0, keyfile)["format"] == "docx"


def test_audit_chain_verifies_and_ends_with_a_count(records: list[dict]) -> None:
    key = b"k" * 32
    chained = audit.chain(records, key)
    assert [r["seq"] for r in chained] == [1, 2, 3, 4, 5] and chained[-1] == {
        "record": "end", "count": 4, "seq": 5, "chain": chained[-1]["chain"]}
    result = audit.verify(chained, key)
    assert result.ok and result.records == 5 and result.head == chained[-1]["chain"]
    assert not audit.verify(chained, b"x" * 32).ok  # another key file's chain
    streamed = audit.Chain(key)
    lines = [streamed.line(r) for r in records] + [audit.dumps(streamed.close())]
    assert [json.loads(line) for line in lines] == chained  # written one line at a time: the same log


def test_audit_verify_detects_an_edited_record(records: list[dict]) -> None:
    chained = audit.chain(records, b"k" * 32)
    chained[1] = {**chained[1], "pseudonym": "Autre"}
    result = audit.verify(chained, b"k" * 32)
    assert not result.ok and result.records == 1 and str(result.problem) == "record 2 was altered"


@pytest.mark.parametrize("change", ["remove", "reorder", "insert"])
def test_audit_verify_detects_a_removed_reordered_or_inserted_record(records: list[dict], change: str) -> None:
    chained = audit.chain(records, b"k" * 32)
    if change == "remove":
        del chained[1]
    elif change == "reorder":
        chained[1], chained[2] = chained[2], chained[1]
    else:
        chained.insert(1, dict(chained[1]))
    result = audit.verify(chained, b"k" * 32)
    assert not result.ok and result.records < len(chained) and str(result.problem).startswith("record ")


def test_audit_verify_detects_a_truncated_log(records: list[dict]) -> None:
    chained = audit.chain(records, b"k" * 32)
    result = audit.verify(chained[:-1], b"k" * 32)
    assert not result.ok and str(result.problem) == "the log is truncated (no closing record)"
    assert audit.verify(chained[:-1], b"k" * 32, expect_end=False).ok
    assert not audit.verify([], b"k" * 32).ok and audit.verify([], b"k" * 32, expect_end=False).ok
    continued = audit.chain(records[:1], b"k" * 32, previous=chained[2]["chain"], start=3, end_record=False)
    assert continued[0]["seq"] == 4 and audit.verify(chained[:3] + continued, b"k" * 32, expect_end=False).ok


def test_audit_read_records_refuses_in_one_line(tmp_path) -> None:
    path = tmp_path / "audit.jsonl"
    path.write_text('{"record": "mention"}\n\n{"record": "end", "count": 1}\n', encoding="utf-8")
    assert [r["record"] for r in audit.read_records(path)] == ["mention", "end"]
    for content, cause in (('{"record": "mention"}\n{"Odile Brossard\n', "damaged audit record at line 2"),
                           ('["Odile Brossard"]\n', "not an audit record at line 1")):
        path.write_text(content, encoding="utf-8")
        with pytest.raises(RefusedError) as info:
            audit.read_records(path)
        assert str(info.value) == f"{path}: {cause}"
    with pytest.raises(NotFoundError, match="audit file not found") as missing:  # an input not found: exit 2
        audit.read_records(tmp_path / "absent.jsonl")
    assert missing.value.exit_code == 2


def test_audit_summarise_per_label_and_per_file(records: list[dict]) -> None:
    other = {**records[1], "document": "E02"}
    by_label, by_file = audit.summarise([*records, other])
    assert by_label.to_dict("index") == {"MUNICIPALITY": {"mentions": 2, "entities": 1},
                                         "PERSON": {"mentions": 2, "entities": 1}}
    assert by_file.to_dict("index") == {"E01": {"MUNICIPALITY": 1, "PERSON": 2, "total": 3},
                                        "E02": {"MUNICIPALITY": 1, "PERSON": 0, "total": 1}}
    empty_label, empty_file = audit.summarise([records[-1]])
    assert empty_label.empty and empty_file.empty and list(empty_label.columns) == ["mentions", "entities"]


def test_audit_summarise_by_field(records: list[dict]) -> None:
    outside = [{**r, "field": ""} for r in records[:1]]
    table = audit.summarise_by_field([*records, *outside])
    field = records[0]["field"]
    assert table.loc[field].to_dict() == {"MUNICIPALITY": 1, "PERSON": 2, "total": 3}
    assert table.loc[audit.NO_FIELD].to_dict() == {"MUNICIPALITY": 0, "PERSON": 1, "total": 1}
    assert audit.summarise_by_field([]).empty


def test_audit_for_screen_names_labels_in_the_current_language(records: list[dict]) -> None:
    from anonymiser.i18n import set_language

    by_label, _by_file = audit.summarise(records)
    shown = audit.for_screen(by_label)
    assert list(shown.index) == ["MUNICIPALITY", "PERSON"] and list(shown.columns) == ["mentions", "entities"]
    set_language("fr")
    shown = audit.for_screen(by_label)
    assert list(shown.index) == ["Commune", "Personne"] and shown.index.name != "label"
    assert list(by_label.index) == ["MUNICIPALITY", "PERSON"]  # the table itself keeps the codes


def test_audit_for_screen_sorts_labels_by_the_name_shown(records: list[dict]) -> None:
    """In French, "Lieu" (LOCATION) comes before "Personne" and "Rôle" after it, whatever the codes'
    order; label columns too, "total" last."""
    from anonymiser.i18n import set_language

    extra = [{**records[1], "label": label, "entity_id": f"X-{label}"} for label in ("LOCATION", "ROLE", "ADDRESS")]
    by_label, by_file = audit.summarise([*records, *extra])
    set_language("fr")
    assert list(audit.for_screen(by_label).index) == ["Adresse postale", "Commune", "Lieu", "Personne", "Rôle"]
    assert list(audit.for_screen(by_file).columns) == ["Adresse postale", "Commune", "Lieu", "Personne", "Rôle",
                                                       "total"]
    set_language("en")
    assert list(audit.for_screen(by_label).index) == ["ADDRESS", "LOCATION", "MUNICIPALITY", "PERSON", "ROLE"]


def test_audit_a_log_appended_to_by_later_runs_verifies_run_by_run(records: list[dict]) -> None:
    """A later run into the same folder appends its records, chained after the head of the log,
    with its own closing record: the earlier runs' records stay, and stay verifiable."""
    key = b"k" * 32
    first = audit.chain(records, key)
    head = audit.head(first)
    assert head == (5, first[-1]["chain"])
    second = audit.chain(records[:2], key, previous=head[1], start=head[0])
    both = first + second
    assert [r["seq"] for r in both] == list(range(1, 9)) and second[-1]["count"] == 2
    assert audit.verify(both, key).ok
    assert [len(run) for run in audit.runs(both)] == [5, 3]
    assert not audit.verify(both[:-1], key).ok  # the last run's closing record removed
    miscounted = both[:4] + [dict(both[4], count=3)] + both[5:]
    assert not audit.verify(miscounted, key).ok
    assert audit.head([]) == (0, "")
