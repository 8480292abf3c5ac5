"""review/report: the HTML pages of a review, self-contained, deterministic, escaped, in the
user's language (hand-built review, no model)."""

from __future__ import annotations

import json
import re

from anonymiser.model import Document
from anonymiser.review.attention import DocumentReview, Mark, attention
from anonymiser.review.report import render

from .reviewing import TEXT, demo_marks


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


def test_review_report_pages_self_contained_and_deterministic(config) -> None:
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


def test_review_report_pages_escape_the_text(config) -> None:
    text = "Isabelle Marchal à Poitiers: <script>alert(1)</script> </script><b>Zorglub</b>\n"
    page = render(hand_review(config, text))["doc-001.html"]
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)" in page
    data = page.split('<script id="data" type="application/json">', 1)[1].split("</script>", 1)[0]
    assert json.loads(data)["document"] == "d1"  # the JSON island is not closed by the text


def test_review_report_page_lines_side_by_side(config) -> None:
    page = render(hand_review(config))["doc-001.html"]
    assert page.count('class="orig" data-line=') == TEXT.count("\n") + 1
    first = page.split('data-line="0">', 1)[1].split("</div>", 1)[0]
    assert '<span data-o="16">' in first  # each plain stretch carries its offset, for a selection


def test_review_report_pages_in_french(config) -> None:
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


def test_review_report_id_and_page_names_come_from_the_records_not_the_text(config) -> None:
    from dataclasses import replace

    from anonymiser.review.report import page_name, report_id

    assert [page_name(i) for i in (0, 9, 120)] == ["doc-001.html", "doc-010.html", "doc-121.html"]
    review = hand_review(config)[0]
    other_text = replace(review, document=Document("d1", "Autre texte.\n", "d1.txt"))
    assert report_id([review]) == report_id([other_text])  # keyed hashes only, never the text
    rehashed = replace(review, records=({"record": "document", "document": "d1", "input_hash": "def"},))
    assert report_id([review]) != report_id([rehashed]) and len(report_id([review])) == 16
    assert report_id([review]) in render([review])["doc-001.html"]  # the decisions file names its report
