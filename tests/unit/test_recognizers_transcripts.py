"""recognizers/transcripts: capitalised words inside the turns of a lower-case transcript
(invented turns, no spaCy model)."""

from __future__ import annotations

import pytest

from .recognizing import by_name, found

LOWER_CASE = """Claire Vasseur (ENQ) : et vous alliez où le samedi
Marc : ben on allait chez Tonin le samedi euh vers Jaurès
Claire Vasseur (ENQ) : d'accord
Marc : et puis au fond il y avait La Fabrique qui est un café
Claire Vasseur (ENQ) : il y avait du monde
Marc : des Chinois des Hongrois [Rires] des gens de partout
Claire Vasseur (ENQ) : et l'élu du coin
Marc : L'élu il venait pas. Plus tard oui
Claire Vasseur (ENQ) : et les gens venaient d'où
Marc : de partout hein du Nord au Sud
"""


@pytest.fixture(scope="module")
def recognizer(config):
    return by_name(config)["TranscriptNameRecognizer"]


def test_recognizers_transcripts_capitals_in_a_lower_case_transcript_are_names(recognizer) -> None:
    assert found(recognizer, LOWER_CASE) == [
        ("PERSON", "Tonin"), ("LOCATION", "Jaurès"), ("ORGANIZATION", "Fabrique"),
    ]


def test_recognizers_transcripts_nothing_in_a_sentence_case_transcript(recognizer) -> None:
    sentence_case = "\n".join(line.split(" : ", 1)[0] + " : " + line.split(" : ", 1)[1].capitalize()
                              for line in LOWER_CASE.strip().splitlines())
    assert found(recognizer, sentence_case) == []


def test_recognizers_transcripts_needs_enough_turns(recognizer) -> None:
    short = "\n".join(LOWER_CASE.splitlines()[:2])
    assert found(recognizer, short) == []


def test_recognizers_transcripts_prose_with_colons_is_no_transcript(recognizer) -> None:
    prose = "\n".join(f"Le point {n} : la salle sera fermée, selon Rivaud" for n in range(8))
    assert found(recognizer, prose) == []


def test_recognizers_transcripts_speakers_in_square_brackets_open_turns(recognizer) -> None:
    text = ("Enquêtrice : et le village\n[Odette] ben il reste le bistrot de Jacquot et encore\n"
            "Enquêtrice : d'accord\n[Odette] : et puis sans Mélo il y aurait rien\n"
            "Enquêtrice : et la tarte\n[Odette] elle est de Blanche justement [rires]\n"
            "Enquêtrice : merci\n[Odette] merci à vous\n")
    assert [surface for _label, surface in found(recognizer, text)] == ["Jacquot", "Mélo", "Blanche"]
