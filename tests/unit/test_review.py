"""The review: needs-attention analysis, decisions and what the key file remembers of them,
and the HTML pages, on hand-built documents (no model)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from anonymiser.config.load import _review_rules
from anonymiser.errors import ConfigError, RefusedError
from anonymiser.keys import format as kf
from anonymiser.keys.crypto import unseal
from anonymiser.model import Document, Entity, Span
from anonymiser.review.attention import (
    LOW_SCORE,
    NEAR_FORM,
    POSSIBLE_MISS,
    QUASI,
    SINGLE,
    DocumentReview,
    Mark,
    NearForms,
    attention,
    candidates,
    one_edit,
)
from anonymiser.review.decisions import (
    Decision,
    Decisions,
    ReviewMemory,
    kept_spans,
)
from anonymiser.review.report import render
from anonymiser.text.grid import GridRegion

TEXT = ("Isabelle Marchal travaille à Poitiers depuis 2015.\n"
        "Elle a revu Mme Marchall et Zorglub au marché de la Ville.\n"
        "La commune compte 2 300 habitants et un budget de 1,2 millions d'euros.\n")


def mark(text: str, form: str, label: str, entity: str, *, index: int = 0, score: float = 0.99, mentions: int = 2,
         occurrence: int = 0, checked: bool = False) -> Mark:
    start = [m.start() for m in re.finditer(re.escape(form), text)][occurrence]
    return Mark(index, start, start + len(form), label, form, "test.rule", score, entity, "X", start,
                start + len(form), mentions=mentions, checked=checked)


def demo_marks(text: str = TEXT) -> list[Mark]:
    return [mark(text, "Isabelle Marchal", "PERSON", "PER-0001", index=0),
            mark(text, "Poitiers", "MUNICIPALITY", "COM-0001", index=1, score=0.5, mentions=1)]


@pytest.mark.parametrize("a, b, expected", [
    ("marchal", "marchall", True), ("marchal", "marchel", True), ("marchal", "archal", True),
    ("marchal", "marchal", False), ("marchal", "marchalle", False), ("marchal", "mrachal", False),
])
def test_review_one_edit(a: str, b: str, expected: bool) -> None:
    assert one_edit(a, b) is expected


def test_review_near_forms_index_folds_case_and_accents() -> None:
    near = NearForms(5)
    near.add("Marchal", "PERSON", "PER-0001")
    near.add("Léa", "PERSON", "PER-0002")  # too short to be indexed
    assert near.find("Marchall") == [("Marchal", "PERSON", "PER-0001")]
    assert near.find("MARCHAL") == [] and near.find("Marchál") == []  # the same form, not a neighbour
    assert near.find("Lea") == [] and near.find("Merchal") == [("Marchal", "PERSON", "PER-0001")]


def test_review_candidates_group_capitalised_words_outside_marks() -> None:
    text = "Hier, le Grain de Sel et Marchal ont vu Jean à Rezé."
    covered = [(text.index("Jean"), text.index("Jean") + 4)]
    found = [text[s:e] for s, e in candidates(text, covered, [GridRegion(0, 4, "grid")])]
    assert found == ["Grain de Sel", "Marchal", "Rezé"]


def test_review_attention_kinds(config) -> None:
    document = Document("d1", TEXT)
    marks = demo_marks()
    items = attention([(document, marks, ())], config)["d1"]
    kinds = [(i.kind, i.text) for i in items]
    assert (LOW_SCORE, "Poitiers") in kinds and (SINGLE, "Poitiers") in kinds
    assert (NEAR_FORM, "Marchall") in kinds  # one letter from a known form (the civility left out)
    near = next(i for i in items if i.kind == NEAR_FORM)
    assert near.near == "Marchal" and near.label == "PERSON" and near.near_entity == "PER-0001"
    assert (POSSIBLE_MISS, "Zorglub") in kinds
    assert not any(text in {"Elle", "La", "Ville"} for _k, text in kinds)  # ordinary words
    assert (QUASI, "2 300 habitants") in kinds and (QUASI, "1,2 millions d'euros") in kinds
    assert [i.kind for i in items] == sorted((i.kind for i in items),
                                             key=[LOW_SCORE, POSSIBLE_MISS, NEAR_FORM, QUASI, SINGLE].index)


def test_review_attention_skips_checked_and_allowed(config) -> None:
    document = Document("d1", TEXT)
    marks = [demo_marks()[0], mark(TEXT, "Poitiers", "MUNICIPALITY", "COM-0001", index=1, score=0.5, mentions=1,
                                   checked=True)]
    items = attention([(document, marks, ())], config, allowed=lambda form: form == "Zorglub")["d1"]
    assert not any(i.text in {"Poitiers", "Zorglub"} for i in items)


def test_review_attention_near_form_once_per_pair(config) -> None:
    text = "Jean Marchal et Jean Marchall.\n"
    marks = [mark(text, "Jean Marchal", "PERSON", "PER-0001", index=0, mentions=3),
             mark(text, "Jean Marchall", "PERSON", "PER-0002", index=1, mentions=1)]
    items = [i for i in attention([(Document("d", text), marks, ())], config)["d"] if i.kind == NEAR_FORM]
    assert [(i.mark, i.text, i.near) for i in items] == [(1, "Marchall", "Marchal")]


# -- decisions -----------------------------------------------------------------------------
def decisions_file(*items: dict) -> str:
    return json.dumps({"format": "anonymiser-review-decisions", "version": 1, "report": "r", "decisions": list(items)})


def test_review_decisions_parse() -> None:
    parsed = Decisions.parse(decisions_file(
        {"action": "reject", "scope": "everywhere", "document": "d", "start": 3, "end": 7, "form": "Cité",
         "label": "LOCATION"},
        {"action": "mark", "document": "d", "start": 0, "end": 8, "form": "Marchall", "label": "PERSON",
         "variant_of": "Marchal"},
        {"action": "relabel", "document": "d", "start": 0, "end": 5, "form": "Rezé", "label": "LOCATION",
         "new_label": "MUNICIPALITY"},
    ), path="decisions.json")
    assert [d.action for d in parsed.items] == ["reject", "mark", "relabel"]
    assert parsed.items[1].variant_of == "Marchal" and parsed.items[2].new_label == "MUNICIPALITY"


@pytest.mark.parametrize("raw, cause", [
    ("{", "invalid JSON"),
    (json.dumps({"format": "other"}), "not a decisions file"),
    (decisions_file({"action": "erase", "form": "Secretname", "label": "PERSON"}), "unknown action"),
    (decisions_file({"action": "mark", "form": "Secretname", "label": "NAME"}), "unknown label"),
    (decisions_file({"action": "mark", "form": "Secret\nname", "label": "PERSON"}), "one line"),
    (decisions_file({"action": "accept", "document": "d", "start": 0, "end": 3, "form": "Secretname",
                     "label": "PERSON"}), "matching the form"),
    (decisions_file({"action": "relabel", "form": "Secretname", "label": "PERSON", "new_label": "PERSON"}),
     "another label"),
])
def test_review_decisions_refused_in_one_line_without_the_form(raw: str, cause: str) -> None:
    with pytest.raises(RefusedError) as error:
        Decisions.parse(raw, path="decisions.json")
    message = str(error.value)
    assert message.startswith("decisions.json: ") and cause in message and "Secret" not in message


def test_review_memory_in_key_file_without_plaintext(tmp_path: Path) -> None:
    keyfile = kf.KeyFile.create()
    kf.set_passphrase(keyfile, "pseudonymise", "p1")
    kf.set_passphrase(keyfile, "reidentify", "p2")
    memory = ReviewMemory.of(keyfile)
    memory.allow(keyfile, "Cité")
    memory.allow(keyfile, "Loire", "LOCATION")
    memory.skip(keyfile, Decision("reject", "d1", "Rose", "PERSON", 10, 14))
    memory.store(keyfile)
    payload = json.dumps(kf.to_payload(keyfile), ensure_ascii=False)
    assert "Cité" not in payload and "cite" not in payload and "Loire" not in payload and "Rose" not in payload
    path = tmp_path / "k.key"
    kf.save(keyfile, path)
    opened = kf.load(path, "p1")  # the pseudonymise role honours the allow list too
    again = ReviewMemory.of(opened)
    assert again.allows(opened, "CITÉ") and again.allows(opened, "cite", "PERSON")
    assert again.allows(opened, "Loire", "LOCATION") and not again.allows(opened, "Loire", "ORGANIZATION")
    rose = Span(10, 14, "PERSON", "Rose")
    assert again.keeps(opened, "d1", rose) and not again.keeps(opened, "d2", rose)
    assert not again.keeps(opened, "d1", Span(20, 24, "PERSON", "Rose"))
    full = kf.load(path, "p2")
    assert sorted(unseal(full.private_key, s) for s in ReviewMemory.of(full).sealed.values()) == ["cite", "loire"]
    again.disallow(opened, "Cité", "PERSON")
    assert not again.allows(opened, "Cité", "PERSON")


def test_review_kept_spans_drops_allowed_and_skipped_spans() -> None:
    keyfile = kf.KeyFile.create()
    text = "Rose et Loire à la Cité. Rose encore."
    spans = (Span.of(text, 0, 4, "PERSON"), Span.of(text, 8, 13, "LOCATION"), Span.of(text, 19, 23, "LOCATION"),
             Span.of(text, 25, 29, "PERSON"))
    assert kept_spans(spans, "d1", keyfile) == list(spans)
    memory = ReviewMemory.of(keyfile)
    memory.allow(keyfile, "Cité")
    memory.allow(keyfile, "Loire", "ORGANIZATION")  # another label: still masked as a place
    memory.skip(keyfile, Decision("reject", "d1", "Rose", "PERSON", 0, 4))
    memory.store(keyfile)
    kept = kept_spans(spans, "d1", keyfile)
    assert [s.text for s in kept] == ["Loire", "Rose"] and kept[1].start == 25
    assert [s.text for s in kept_spans(spans, "d2", keyfile)] == ["Rose", "Loire", "Rose"]
    assert keyfile.for_workers().extras == keyfile.extras  # worker processes follow the review too


def test_review_rules_validated(tmp_path: Path) -> None:
    path = tmp_path / "review.yaml"
    path.write_text("low_score: 2\nmin_miss_length: 3\nmin_typo_length: 5\nquasi_identifiers: []\n")
    with pytest.raises(ConfigError, match="review.yaml: 'low_score' must be between 0 and 1"):
        _review_rules(path)
    path.write_text("low_score: 0.5\nmin_miss_length: 3\nmin_typo_length: 5\nquasi_identifiers:\n"
                    "  - {id: bad, regex: '(unclosed'}\n")
    with pytest.raises(ConfigError, match=r"quasi_identifiers\[0\].regex' does not compile"):
        _review_rules(path)


# -- pages ---------------------------------------------------------------------------------
def hand_review(config, text: str = TEXT) -> list[DocumentReview]:
    document = Document("d1", text, "d1.txt")
    marks = demo_marks(text)
    items = attention([(document, marks, ())], config)["d1"]
    output = text
    for m in reversed(marks):
        output = output[:m.start] + "X" + output[m.end:]
    shifted, delta = [], 0
    for m in marks:
        shifted.append(Mark(m.index, m.start, m.end, m.label, m.text, m.recognizer, m.score, m.entity_id, "X",
                            m.start + delta, m.start + delta + 1, mentions=m.mentions))
        delta += 1 - (m.end - m.start)
    records = ({"record": "mention", "field": "Q1", "label": "PERSON", "entity_id": "PER-0001"},
               {"record": "document", "document": "d1", "input_hash": "abc"})
    return [DocumentReview(document, output, tuple(shifted), tuple(items), (), records)]


def test_review_pages_self_contained_and_deterministic(config) -> None:
    pages = render(hand_review(config))
    assert sorted(pages) == ["doc-001.html", "index.html"] and pages == render(hand_review(config))
    for name, html in pages.items():
        assert "personal data" in html, name
        assert not re.search(r"""(?:src|href|action)\s*=\s*["']?\s*(?:https?:)?//""", html, re.I), name
        assert "@import" not in html and "url(" not in html and "<link" not in html.lower()
        assert "@font-face" not in html and "<iframe" not in html
        assert "Content-Security-Policy" in html
    page = pages["doc-001.html"]
    assert page.index('id="attention"') < page.index('id="entities"') < page.index('id="text"')
    assert 'id="m0"' in page and 'tabindex="0"' in page and 'data-code="PER"' in page
    assert 'data-target="m1"' in page and 'class="hint kind-possible_miss"' in page


def test_review_pages_escape_the_text(config) -> None:
    text = "Isabelle Marchal à Poitiers: <script>alert(1)</script> </script><b>Zorglub</b>\n"
    page = render(hand_review(config, text))["doc-001.html"]
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)" in page
    data = page.split('<script id="data" type="application/json">', 1)[1].split("</script>", 1)[0]
    assert json.loads(data)["document"] == "d1"  # the JSON island is not closed by the text


def test_review_page_lines_side_by_side(config) -> None:
    page = render(hand_review(config))["doc-001.html"]
    assert page.count('class="orig" data-line=') == TEXT.count("\n") + 1
    first = page.split('data-line="0">', 1)[1].split("</div>", 1)[0]
    assert '<span data-o="16">' in first  # each plain stretch carries its offset, for a selection


def test_review_pages_in_french(config) -> None:
    """The report follows the language of the messages: French texts, label names and
    script strings in French; label codes stay in the data the page's script reads."""
    from anonymiser.i18n import set_language

    set_language("fr")
    pages = render(hand_review(config))
    index, page = pages["index.html"], pages["doc-001.html"]
    assert '<html lang="fr">' in index and "Relire avant de partager" in index
    assert "Contient des données personnelles" in page and "À vérifier" in page
    assert 'title="Personne"' in page and "Exporter les décisions" in page
    data = json.loads(re.search(r'<script id="data" type="application/json">(.*?)</script>', page, re.S).group(1))
    assert data["strings"]["accept"] == "Accepter"
    assert {"code": "PERSON", "short": "PER", "name": "Personne"} in data["labels"]
    set_language("en")
    assert '<html lang="en">' in render(hand_review(config))["index.html"]
