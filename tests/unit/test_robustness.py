"""Bad input never crashes (property-based): arbitrary Unicode, control characters, mixed
scripts, long lines, empty and 10 MB documents."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from anonymiser.keys.store import KeyFile
from anonymiser.model import Document, Entity
from anonymiser.reidentify import reidentify_text

pytestmark = pytest.mark.slow

KNOWN = Entity("PER-0001", "PERSON", "Isabelle Marchal", ("Isabelle Marchal", "Marchal"), "Sophie Lambert",
               "manual", attributes=(("first", "Sophie"), ("last", "Lambert")))

texts = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)),
    max_size=400,
)
pieces = st.lists(st.one_of(texts, st.just(" Isabelle Marchal "), st.just("\n"), st.just(" MARCHAL, "),
                            st.text(alphabet="αβγ日本語العربية ", max_size=30),
                            st.just("x" * 3000)), max_size=8)


def _keyfile(engine) -> KeyFile:
    keyfile = KeyFile.create()
    keyfile.add(KNOWN)
    keyfile.index(KNOWN.id, *engine.policy.index_entries(KNOWN.label, KNOWN.variants))
    return keyfile


def _absent(text: str, form: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(form)}(?!\w)", text, flags=re.IGNORECASE) is None


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(parts=pieces)
def test_robustness_any_text(engine, parts: list[str]) -> None:
    text = "".join(parts)
    keyfile = _keyfile(engine)
    result = engine.run([Document("h", text)], keyfile)[0]
    if " Isabelle Marchal " in text:
        assert _absent(result.output, "Isabelle Marchal")
    assert reidentify_text(result.output, result.records, keyfile, path="h") == text


def test_robustness_empty_and_whitespace(engine) -> None:
    keyfile = _keyfile(engine)
    for text in ("", " ", "\n\n\n", "\x00\x01\x02", "\u200b\ufeff"):
        result = engine.run([Document("e", text)], keyfile)[0]
        assert reidentify_text(result.output, result.records, keyfile, path="e") == text


def test_robustness_ten_megabytes(engine) -> None:
    """A 10 MB document (over spaCy's max_length) is parsed in chunks; known names are
    masked everywhere, also after the first chunk."""
    block = ("Entretien avec Isabelle Marchal à Rezé, puis Mme Marchal seule.\n"
             + " " * 180 + "\n") * 1
    filler = ("." * 99 + "\n") * 1000
    text = (block + filler) * 100
    assert len(text) >= 10_000_000
    keyfile = _keyfile(engine)
    result = engine.run([Document("big", text)], keyfile)[0]
    assert "Marchal" not in result.output
    assert result.output.count("Sophie Lambert") == 100
    assert reidentify_text(result.output, result.records, keyfile, path="big") == text
