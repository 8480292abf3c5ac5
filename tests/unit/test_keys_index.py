"""The keyed-hash index: forms found in any text with their flags, linking keys, known words,
and nothing kept in the clear."""

import json

from anonymiser.keys.crypto import keyed_hash
from anonymiser.keys.index import FLAG_CAPITAL, FLAG_WORD, FormIndex, find_forms

SECRET = b"s" * 32


def _index() -> FormIndex:
    index = FormIndex(SECRET)
    index.add("PER-0001", "PERSON", [("Isabelle Marchal", FLAG_CAPITAL), ("Marchal", FLAG_CAPITAL)],
              ["last:marchal", "first:isabelle"])
    index.add("ORG-0001", "ORGANIZATION", [("La Ruche", FLAG_WORD)], ["form:ORGANIZATION|la ruche"])
    index.add_words("Isabelle Marchal")
    return index


def test_keys_index_finds_forms_by_keyed_hash_with_their_flags() -> None:
    index = _index()
    text = "Isabelle Marchal est à la ruche ; MARCHAL aussi."
    found = index.find_forms(text)
    assert [(text[s:e], label, eid, flags) for s, e, label, eid, flags in found] == [
        ("Isabelle Marchal", "PERSON", "PER-0001", FLAG_CAPITAL),
        ("la ruche", "ORGANIZATION", "ORG-0001", FLAG_WORD),
        ("MARCHAL", "PERSON", "PER-0001", FLAG_CAPITAL),
    ]
    assert found == find_forms(text, index)
    assert FLAG_CAPITAL != FLAG_WORD


def test_keys_index_reads_words_ahead_only_as_far_as_its_longest_form() -> None:
    # forms of one to three words, overlapping: the longest at each word wins, the search
    # goes on after it, and a form at the very end of the text is found (the words are read
    # as the search goes, ``max_words`` ahead)
    index = FormIndex(SECRET)
    index.add("LOC-0001", "LOCATION", [("Bois Joli", FLAG_CAPITAL), ("Joli Val de Rance", FLAG_CAPITAL)])
    index.add("COM-0001", "MUNICIPALITY", [("Rance", FLAG_CAPITAL)])
    text = "Au Bois Joli Val de Rance, puis Joli Val de Rance et Rance"
    found = [(text[s:e], eid) for s, e, _label, eid, _flags in index.find_forms(text)]
    assert found == [("Bois Joli", "LOC-0001"), ("Rance", "COM-0001"), ("Joli Val de Rance", "LOC-0001"),
                     ("Rance", "COM-0001")]
    assert index.max_words == 4


def test_keys_index_finds_whole_words_only_and_never_across_a_line() -> None:
    index = _index()
    assert index.find_forms("Marchal-Durand, Marchalier, l'Isabelle\nMarchal") == [
        (len("Marchal-Durand, Marchalier, l'Isabelle\n"), len("Marchal-Durand, Marchalier, l'Isabelle\nMarchal"),
         "PERSON", "PER-0001", FLAG_CAPITAL)]
    assert FormIndex(SECRET).find_forms("Isabelle Marchal") == []


def test_keys_index_entities_for_key_and_known_words() -> None:
    index = _index()
    index.add("PER-0002", "PERSON", [("Bruno Marchal", FLAG_CAPITAL)], ["last:marchal"])
    index.add("PER-0002", "PERSON", [], ["last:marchal"])  # once only
    assert index.entities_for_key("last:marchal") == ["PER-0001", "PER-0002"]
    assert index.entities_for_key("first:isabelle") == ["PER-0001"] and index.entities_for_key("last:x") == []
    assert index.is_real_word("marchal") and index.is_real_word("ISABELLE MARCHAL") and not index.is_real_word("Bruno")


def test_keys_index_payload_holds_nothing_in_clear_and_round_trips() -> None:
    index = _index()
    payload = index.to_payload()
    dumped = json.dumps(payload, ensure_ascii=False).lower()
    for clear in ("isabelle", "marchal", "ruche", "last:", "first:"):
        assert clear not in dumped
    again = FormIndex.from_payload(SECRET, json.loads(json.dumps(payload)))
    assert again.to_payload() == payload
    assert again.find_forms("Mme Marchal") == index.find_forms("Mme Marchal")
    assert FormIndex.from_payload(b"t" * 32, payload).find_forms("Mme Marchal") == []  # another secret


def test_keys_index_holds_raw_digests_and_writes_the_hex_the_key_file_always_had() -> None:
    # in memory 16 raw bytes a hash (a long text's index holds hundreds of thousands); in
    # the payload the same hex strings of 32 characters as before, sorted as before
    index = _index()
    index.add_near("Isabelle Marchal")
    hashes = [*index.forms, *index.keys, *index.words, *index.first_words, *index.near]
    assert hashes and all(isinstance(h, bytes) and len(h) == 16 for h in hashes)
    payload = index.to_payload()
    assert payload["words"] == sorted(keyed_hash(SECRET, f"word\x1f{w}") for w in ("isabelle marchal", "isabelle",
                                                                                   "marchal"))
    assert payload["forms"] == {keyed_hash(SECRET, "form\x1fisabelle marchal"): [["PER-0001", "PERSON", "c"]],
                                keyed_hash(SECRET, "form\x1fmarchal"): [["PER-0001", "PERSON", "c"]],
                                keyed_hash(SECRET, "form\x1fla ruche"): [["ORG-0001", "ORGANIZATION", "w"]]}
    assert payload["near"] == sorted(payload["near"]) and all(len(h) == 32 for h in payload["near"])


def test_keys_index_an_entry_below_is_not_repeated() -> None:
    below = _index()
    added = FormIndex(SECRET)
    added.add("PER-0001", "PERSON", [("Marchal", FLAG_CAPITAL), ("I. Marchal", FLAG_CAPITAL)], ["last:marchal"],
              below=below)
    assert len(added.forms) == 1 and added.keys == {}


def test_keys_index_removals() -> None:
    index = _index()
    index.release("PER-0001", "Marchal", ["last:marchal"])
    assert [f[3] for f in index.find_forms("Marchal et Isabelle Marchal")] == ["PER-0001"]
    assert index.entities_for_key("last:marchal") == []
    assert index.unindex("La Ruche", "PERSON") == 0 and index.unindex("La Ruche", "ORGANIZATION") == 1
    assert index.find_forms("La Ruche") == []
    index.drop_entity("PER-0001")
    assert index.forms == {} and index.entities_for_key("first:isabelle") == []


def test_keys_index_for_workers_keeps_the_matcher_only() -> None:
    view = _index().for_workers()
    assert [f[3] for f in view.find_forms("Mme Marchal")] == ["PER-0001"]
    assert view.keys == {} and view.words == set()


def test_keys_index_near_names_by_keyed_hash_only() -> None:
    index = FormIndex(SECRET)
    index.add_near("Isabelle Kerhervé")
    assert index.is_near("Kerhervi") and index.is_near("Isabele") and index.is_near("Kerherv")
    assert not index.is_near("Mayeur") and not FormIndex(SECRET).is_near("Kerhervé")
    payload = index.to_payload()
    assert "kerherv" not in json.dumps(payload).lower() and len(payload["near"]) > 20
    assert FormIndex.from_payload(SECRET, payload).is_near("Kerhervi")
    older = {k: v for k, v in payload.items() if k != "near"}  # a key file written before the near hashes
    assert not FormIndex.from_payload(SECRET, older).is_near("Kerhervi")
