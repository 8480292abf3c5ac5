"""keys/stream: JSON written a piece at a time is the text json.dumps writes whole."""

from __future__ import annotations

import json

import pytest

from anonymiser.keys import stream


def _whole(value) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


@pytest.mark.parametrize("batch", [1, 2, 3, 1000])
def test_keys_stream_pieces_write_what_json_dumps_writes(monkeypatch, batch: int) -> None:
    monkeypatch.setattr(stream, "BATCH", batch)
    forms = [("form:PERSON|élodie", ["PER-0001"]), ("form:PERSON|marc", ["PER-0002", "PER-0003"]),
             ("last:morel", [])]
    forms.sort()  # Pairs come in key order, as the key store gives them
    entities = [{"id": f"PER-{i:04d}", "variants": ["Élodie « Lodie »", "x"], "n": i} for i in range(7)]
    lazy = {"z": 1, "forms": stream.Pairs(iter(forms)), "entities": stream.Items(iter(entities)),
            "nested": stream.Items(iter([stream.Items(iter([1, 2])), {"b": 2, "a": [3]}]))}
    whole = {"z": 1, "forms": dict(forms), "entities": entities, "nested": [[1, 2], {"b": 2, "a": [3]}]}
    text = "".join(stream.pieces(lazy))
    assert text == _whole(whole)
    assert json.loads(text) == whole


def test_keys_stream_empty_containers() -> None:
    assert "".join(stream.pieces({"a": stream.Items(iter([])), "b": stream.Pairs(iter([]))})) == '{"a": [], "b": {}}'


def test_keys_stream_a_lazy_member_is_read_once() -> None:
    made: list[int] = []

    def entities():
        for i in range(5):
            made.append(i)
            yield {"n": i}

    assert "".join(stream.pieces(stream.Items(entities()))) == _whole([{"n": i} for i in range(5)])
    assert made == [0, 1, 2, 3, 4]


def test_keys_stream_encoded_gathers_pieces_into_utf8_chunks_of_about_the_size() -> None:
    texts = ["é" * 10, "a" * 5, "ß" * 7, "z"]
    chunks = list(stream.encoded(texts, size=12))
    assert b"".join(chunks) == "".join(texts).encode("utf-8")
    assert len(chunks) >= 2 and all(chunks)
