"""model: frozen value objects; a Span checks its offsets, its text and its label; Detected carries
a digest of the text, never the text; Entity attributes."""

from __future__ import annotations

import dataclasses

import pytest

from anonymiser.model import LABELS, Detected, Document, Entity, Span, digest
from anonymiser.text.grid import GridRegion

TEXT = "Odile Brossard vit à Combelorge."


def test_model_span_of_takes_its_text_from_the_document() -> None:
    span = Span.of(TEXT, 21, 31, "MUNICIPALITY", score=0.7, recognizer="fr.commune")
    assert (span.text, span.length, span.score, span.recognizer) == ("Combelorge", 10, 0.7, "fr.commune")
    span.check(TEXT)
    with pytest.raises(ValueError, match="does not match its document"):
        span.check("Gaspard Lemarchal vit à Valbrune.")


@pytest.mark.parametrize(("start", "end", "label", "text", "cause"), [
    (5, 5, "PERSON", "", "bad span offsets 5:5"),
    (-1, 4, "PERSON", "Odile", "bad span offsets -1:4"),
    (6, 2, "PERSON", "Odil", "bad span offsets 6:2"),
    (0, 5, "PERSON", "Odile Brossard", "span text length does not match offsets 0:5"),
    (0, 5, "NAME", "Odile", "unknown label 'NAME'"),
])
def test_model_span_refuses_bad_offsets_text_or_label(start: int, end: int, label: str, text: str,
                                                      cause: str) -> None:
    with pytest.raises(ValueError) as info:
        Span(start, end, label, text)
    assert str(info.value) == cause and "Brossard" not in str(info.value)


def test_model_span_overlaps_is_half_open() -> None:
    odile, brossard = Span.of(TEXT, 0, 5, "PERSON"), Span.of(TEXT, 6, 14, "PERSON")
    whole = Span.of(TEXT, 0, 14, "PERSON")
    assert not odile.overlaps(brossard) and not brossard.overlaps(odile)
    assert odile.overlaps(whole) and whole.overlaps(brossard)
    assert not Span.of(TEXT, 0, 6, "PERSON").overlaps(Span.of(TEXT, 6, 14, "PERSON"))


def test_model_values_are_frozen_and_hashable() -> None:
    span = Span.of(TEXT, 0, 5, "PERSON")
    with pytest.raises(dataclasses.FrozenInstanceError):
        span.start = 1  # type: ignore[misc]
    assert len({span, Span.of(TEXT, 0, 5, "PERSON")}) == 1
    assert Document("E01", TEXT) == Document("E01", TEXT, layout=None)


def test_model_detected_of_carries_a_digest_not_the_text() -> None:
    document = Document("E01", TEXT, "vague1/E01.txt")
    spans = (Span.of(TEXT, 0, 14, "PERSON"),)
    grid = (GridRegion(0, 5, "Nom"),)
    detected = Detected.of(document, spans, grid, index=4)
    assert (detected.index, detected.document_id, detected.path, detected.length) == (4, "E01", "vague1/E01.txt",
                                                                                       len(TEXT))
    assert detected.spans == spans and detected.grid == grid and detected.civility == ()
    assert detected.digest == digest(TEXT) and len(detected.digest) == 32
    assert digest(TEXT) != digest(TEXT + " ") and digest("\ud800") == digest("\ud800")  # even a lone surrogate
    assert TEXT not in repr(dataclasses.replace(detected, spans=()))


def test_model_entity_attribute_with_a_default() -> None:
    entity = Entity("PER-0001", "PERSON", "Odile Brossard", ("Odile Brossard", "Odile"), "Léa Martin",
                    attributes=(("gender", "F"), ("first", "Léa")))
    assert entity.attribute("gender") == "F" and entity.attribute("first") == "Léa"
    assert entity.attribute("last") == "" and entity.attribute("last", "Martin") == "Martin"
    assert entity.origin == "detected" and Entity("X", "URL", "u", ("u",), "v").attribute("gender") == ""


def test_model_labels_are_the_nine_codes() -> None:
    assert LABELS == ("PERSON", "ROLE", "ORGANIZATION", "MUNICIPALITY", "LOCATION", "EMAIL_ADDRESS", "PHONE_NUMBER",
                      "URL", "ADDRESS")


def test_model_digest_of_a_long_text_is_read_in_pieces_as_the_whole() -> None:
    import hashlib

    from anonymiser.model import DIGEST_CHARS

    text = ("Mme Kerhervé – « à Saint-Lô » \ud800 " * (DIGEST_CHARS // 10))[:DIGEST_CHARS * 2 + 7]
    whole = hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()
    assert digest(text) == whole and digest(text[:-1]) != whole and digest("") == hashlib.blake2b(
        b"", digest_size=16).hexdigest()
