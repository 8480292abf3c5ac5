"""The review report as self-contained HTML pages (pure: reviews in, ``{file name: html}`` out).

Each page inlines its CSS and JavaScript (``report.css``, ``report.js`` beside this file)
and loads nothing: no network, no external script, font or image; a Content-Security-Policy
forbids it too. Output depends only on its inputs: the same documents and key file give
byte-identical pages.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Sequence
from html import escape
from importlib import resources
from typing import Any

from anonymiser.audit import summarise_by_field
from anonymiser.i18n import _, current_language
from anonymiser.keys.store import ID_PREFIX
from anonymiser.model import LABELS
from anonymiser.review.attention import KINDS, DocumentReview, Item, Mark
from anonymiser.review.report import text as T

INDEX = "index.html"
CSP = ("default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:; "
       "base-uri 'none'; form-action 'none'")
COLOURS = {  # (fill for bars and borders, highlight background): dark text on every background
    "PERSON": ("#b8322a", "#ffd9d6"),
    "ROLE": ("#a15c00", "#ffe7c4"),
    "ORGANIZATION": ("#2a57a8", "#d9e6ff"),
    "MUNICIPALITY": ("#1f7a3e", "#d3f2dc"),
    "LOCATION": ("#6b3fb0", "#eadfff"),
    "EMAIL_ADDRESS": ("#0f6e80", "#d4f0f5"),
    "PHONE_NUMBER": ("#0f6e80", "#d4f0f5"),
    "URL": ("#0f6e80", "#d4f0f5"),
    "ADDRESS": ("#0f6e80", "#d4f0f5"),
}



def page_name(position: int) -> str:
    return f"doc-{position + 1:03d}.html"


def report_id(reviews: Sequence[DocumentReview]) -> str:
    """Stable id of a report, from its documents' records (keyed hashes, never text)."""
    digest = hashlib.sha256()
    for r in reviews:
        header = next((x for x in r.records if x.get("record") == "document"), {})
        digest.update(f"{r.document.id}\x1f{header.get('input_hash', '')}\n".encode())
    return digest.hexdigest()[:16]


def render(reviews: Sequence[DocumentReview]) -> dict[str, str]:
    """Every page of the report: ``index.html`` and one page per document."""
    rid = report_id(reviews)
    pages = {INDEX: _index(reviews, rid)}
    for position, review in enumerate(reviews):
        pages[page_name(position)] = _document_page(review, position, rid)
    return pages


# -- shared pieces -------------------------------------------------------------------------
def _asset(name: str) -> str:
    return resources.files(__package__).joinpath(name).read_text(encoding="utf-8")


def _code(label: str) -> str:
    return ID_PREFIX.get(label, label[:3])


def _label_css() -> str:
    rules = []
    for label, (strong, light) in COLOURS.items():
        rules.append(f".l-{label}{{--c:{strong};--bg:{light}}}")
    return "\n".join(rules)


def _head(title: str) -> str:
    return (f'<!DOCTYPE html>\n<html lang="{current_language()}">\n<head>\n<meta charset="utf-8">\n'
            f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f'<meta name="robots" content="noindex">\n<title>{escape(title)}</title>\n'
            f"<style>\n{_asset('report.css')}\n{_label_css()}\n</style>\n</head>\n")


def _banner() -> str:
    return (f'<div class="banner" role="note"><strong aria-hidden="true">⚠</strong> {escape(_(T.BANNER))}</div>\n')


def _script(data: dict[str, Any]) -> str:
    payload = json.dumps(data, ensure_ascii=False, sort_keys=True).replace("</", "<\\/")
    return f'<script id="data" type="application/json">{payload}</script>\n<script>\n{_asset("report.js")}\n</script>\n'


def _chip(label: str) -> str:
    return (f'<span class="chip l-{label}" title="{escape(T.label_name(label))}">{_code(label)}</span>')


def _legend(labels: Sequence[str]) -> str:
    chips = " ".join(f'<span class="legend-item">{_chip(label)} {escape(T.label_name(label))}</span>'
                     for label in labels)
    return f'<p class="legend"><span class="legend-title">{escape(_(T.LEGEND))}:</span> {chips}</p>\n'


def _toolbar(with_mark: bool) -> str:
    options = "".join(f'<option value="{label}">{_code(label)} · {escape(T.label_name(label))}</option>'
                      for label in LABELS)
    mark = (f'<label class="tool">{escape(_(T.LABEL))} <select id="mark-label">{options}</select></label>'
            f'<button type="button" id="mark-selection" aria-keyshortcuts="M">{escape(_(T.MARK_SELECTION))} '
            f'<kbd>M</kbd></button>') if with_mark else ""
    return (f'<div class="toolbar" role="toolbar" aria-label="{escape(_(T.DECISIONS))}">{mark}'
            f'<span id="decision-count" role="status" aria-live="polite"></span>'
            f'<button type="button" id="export" class="primary">{escape(_(T.EXPORT))}</button></div>\n')


def _word_count(text: str) -> int:
    return len(text.split())


# -- index ---------------------------------------------------------------------------------
def _index(reviews: Sequence[DocumentReview], rid: str) -> str:
    labels = [label for label in LABELS if any(m.label == label for r in reviews for m in r.marks)]
    entities = {m.entity_id for r in reviews for m in r.marks}
    attention = sum(len(r.items) for r in reviews)
    mentions = sum(len(r.marks) for r in reviews)
    rows = []
    for position, r in enumerate(reviews):
        counts = Counter(m.label for m in r.marks)
        open_items = len(r.items)
        status = T.counts(attention=open_items) if open_items else _(T.STATUS_CLEAR)
        cells = "".join(f'<td class="num">{counts.get(label, 0) or ""}</td>' for label in labels)
        rows.append(f'<tr><th scope="row"><a href="{page_name(position)}">{escape(r.document.path or r.document.id)}</a></th>'
                    f'<td class="num">{_word_count(r.document.text)}</td><td class="num">{len(r.marks)}</td>{cells}'
                    f'<td class="num">{open_items}</td>'
                    f'<td class="status {"open" if open_items else "clear"}">{escape(status)}</td></tr>')
    heads = "".join(f'<th scope="col" class="num">{_chip(label)}</th>' for label in labels)
    table = (f'<table class="docs"><thead><tr><th scope="col">{escape(_(T.DOCUMENT))}</th>'
             f'<th scope="col" class="num">{escape(_(T.WORDS))}</th><th scope="col" class="num">{escape(_(T.MASKED))}</th>'
             f'{heads}<th scope="col" class="num">{escape(_(T.ATTENTION))}</th><th scope="col">{escape(_(T.STATUS))}</th>'
             f'</tr></thead><tbody>{"".join(rows)}</tbody></table>\n')
    summary = T.counts(documents=len(reviews), mentions=mentions, entities=len(entities), attention=attention)
    by_label = Counter(m.label for r in reviews for m in r.marks)
    charts = (f'<section aria-labelledby="chart-label"><h2 id="chart-label">{escape(_(T.PER_LABEL))}</h2>'
              f'{_bars([(T.label_name(code), {code: by_label[code]}) for code in labels], labels)}</section>\n'
              f'<section aria-labelledby="chart-field"><h2 id="chart-field">{escape(_(T.PER_FIELD))}</h2>'
              f'{_bars(_per_field(reviews), labels)}</section>\n')
    data = {"report": rid, "document": "", "strings": T.script_strings(), "labels": _labels_data(), "marks": [],
            "hints": []}
    return (_head(f"{_(T.INDEX_TITLE)} ({len(reviews)})") + '<body class="index">\n' + _banner()
            + f'<header><h1>{escape(_(T.INDEX_TITLE))}</h1><p class="meta">{escape(summary)}</p>'
            + f'<p class="meta">{escape(_(T.PROVISIONAL))}</p></header>\n' + _toolbar(False)
            + f'<main>\n<section aria-labelledby="docs"><h2 id="docs">{escape(_(T.ALL_DOCUMENTS))}</h2>{table}</section>\n'
            + _legend(labels) + charts + '</main>\n' + _script(data) + "</body>\n</html>\n")


def _per_field(reviews: Sequence[DocumentReview]) -> list[tuple[str, dict[str, int]]]:
    records = [dict(x) for r in reviews for x in r.records]
    table = summarise_by_field(records)
    first: dict[str, int] = {}
    for record in records:  # fields in the order they first appear (grid order), not alphabetical
        if record.get("record") == "mention":
            first.setdefault(str(record.get("field") or "(outside the grid)"), len(first))
    table = table.loc[sorted(table.index, key=lambda name: first.get(str(name), len(first)))]
    rows = []
    for field, row in table.iterrows():
        counts = {str(label): int(row[label]) for label in table.columns if label != "total" and int(row[label])}
        name = _(T.NO_FIELD) if field == "(outside the grid)" else str(field)
        rows.append((name, counts))
    return rows


def _bars(rows: list[tuple[str, dict[str, int]]], labels: Sequence[str]) -> str:
    """A horizontal bar chart as inline SVG: one bar per row, stacked by label, with numbers."""
    if not rows:
        return f"<p>{escape(_(T.NOTHING))}</p>"
    top = max(sum(c.values()) for _n, c in rows) or 1
    name_w, bar_w, row_h = 330, 360, 24
    height = row_h * len(rows) + 8
    parts = [f'<svg class="chart" role="img" viewBox="0 0 {name_w + bar_w + 60} {height}" '
             f'width="{name_w + bar_w + 60}" height="{height}" xmlns="http://www.w3.org/2000/svg">']
    for index, (name, counts) in enumerate(rows):
        y = 4 + index * row_h
        short = name if len(name) <= 48 else name[:47] + "…"
        total = sum(counts.values())
        parts.append(f'<g><title>{escape(name)}: {total}</title>'
                     f'<text x="{name_w - 8}" y="{y + 16}" text-anchor="end" class="bar-name">{escape(short)}</text>')
        x = float(name_w)
        for label in labels:
            value = counts.get(label, 0)
            if not value:
                continue
            width = bar_w * value / top
            parts.append(f'<rect x="{x:.1f}" y="{y + 3}" width="{width:.1f}" height="{row_h - 8}" '
                         f'fill="{COLOURS[label][0]}"><title>{escape(T.label_name(label))}: {value}</title></rect>')
            x += width
        parts.append(f'<text x="{x + 6:.1f}" y="{y + 16}" class="bar-value">{total}</text></g>')
    parts.append("</svg>")
    return "".join(parts)


# -- document page -------------------------------------------------------------------------
def _labels_data() -> list[dict[str, str]]:
    return [{"code": label, "short": _code(label), "name": T.label_name(label)} for label in LABELS]


def _document_page(review: DocumentReview, position: int, rid: str) -> str:
    document = review.document
    hints = _hints(review)
    marks_data = [{"id": f"m{m.index}", "start": m.start, "end": m.end, "label": m.label, "text": m.text,
                   "recognizer": m.recognizer, "score": m.score, "entity": m.entity_id, "pseudonym": m.pseudonym,
                   "known": m.known, "mentions": m.mentions} for m in review.marks]
    hints_data = [{"id": hid, "start": i.start, "end": i.end, "text": i.text, "kind": i.kind,
                   "label": i.label, "near": i.near} for hid, i in hints]
    data = {"report": rid, "document": document.id, "strings": T.script_strings(), "labels": _labels_data(),
            "marks": marks_data, "hints": hints_data}
    entities = {m.entity_id for m in review.marks}
    summary = T.counts(words=_word_count(document.text), mentions=len(review.marks), entities=len(entities),
                       attention=len(review.items))
    labels = [label for label in LABELS if any(m.label == label for m in review.marks)]
    name = document.path or document.id
    return (_head(f"{name} · {_(T.INDEX_TITLE)}") + f'<body class="document" data-document="{escape(document.id)}">\n'
            + _banner()
            + f'<header><nav><a href="{INDEX}">← {escape(_(T.ALL_DOCUMENTS))}</a></nav><h1>{escape(name)}</h1>'
            + f'<p class="meta">{escape(summary)}</p><p class="meta help">{escape(_(T.HELP))}</p>'
            + f'<p class="meta">{escape(_(T.PROVISIONAL))}</p></header>\n' + _toolbar(True) + "<main>\n"
            + _attention(review, {id(i): hid for hid, i in hints})
            + _entities(review) + _text(review, hints, labels)
            + f'<section id="decisions" aria-labelledby="decisions-title"><h2 id="decisions-title">{escape(_(T.DECISIONS))}</h2>'
            + f'<ol id="decision-list"></ol><p id="no-decision">{escape(_(T.NO_DECISIONS))}</p></section>\n'
            + "</main>\n" + '<div id="popup" role="dialog" aria-modal="false" hidden></div>\n'
            + _script(data) + "</body>\n</html>\n")


def _hints(review: DocumentReview) -> list[tuple[str, Item]]:
    """Attention items on unmasked text, each a focusable stretch (no overlaps)."""
    chosen: list[tuple[str, Item]] = []
    for item in sorted((i for i in review.items if i.mark is None), key=lambda i: (i.start, -i.end)):
        if any(item.start < other.end and other.start < item.end for _h, other in chosen):
            continue
        chosen.append((f"h{len(chosen)}", item))
    return chosen


def _attention(review: DocumentReview, hint_ids: dict[int, str]) -> str:
    marks = {m.index: m for m in review.marks}
    groups = []
    for kind in KINDS:
        items = [i for i in review.items if i.kind == kind]
        if not items:
            continue
        title, explanation = (_(m) for m in T.KINDS[kind])
        rows = []
        for item in items:
            target = f"m{item.mark}" if item.mark is not None else hint_ids.get(id(item), "")
            if not target:
                continue
            detail = []
            if item.mark is not None:
                detail.append(_chip(marks[item.mark].label))
            if item.kind == "low_score":
                detail.append(f'<span class="detail">{escape(item.rule)} · {escape(_(T.SCORE))} {item.score:.2f}</span>')
            elif item.kind == "near_form":
                detail.append(f'<span class="detail">{escape(_(T.ONE_LETTER))} <q>{escape(item.near)}</q> '
                              f'{_chip(item.label)} {escape(item.near_entity)}</span>')
            elif item.kind in ("quasi_identifier", "suspect"):
                detail.append(f'<span class="detail">{escape(item.rule)}</span>')
            rows.append(f'<li><button type="button" class="go" data-target="{target}" '
                        f'aria-label="{escape(_(T.GO))} «\u00a0{escape(item.text)}\u00a0»"><q class="form">{escape(item.text)}</q>'
                        f'</button> {" ".join(detail)}</li>')
        groups.append(f'<details class="kind kind-{kind}" open><summary><strong>{escape(title)}</strong> '
                      f'<span class="count">{len(rows)}</span></summary><p class="explain">{escape(explanation)}</p>'
                      f'<ul class="items">{"".join(rows)}</ul></details>')
    body = "".join(groups) if groups else f"<p>{escape(_(T.NOTHING))}</p>"
    return (f'<section id="attention" aria-labelledby="attention-title"><h2 id="attention-title">{escape(_(T.ATTENTION))} '
            f'<span class="count">{len(review.items)}</span></h2>{body}</section>\n')


def _entities(review: DocumentReview) -> str:
    first: dict[str, Mark] = {}
    forms: dict[str, list[str]] = {}
    here: Counter[str] = Counter()
    for m in review.marks:
        first.setdefault(m.entity_id, m)
        forms.setdefault(m.entity_id, [])
        if m.text not in forms[m.entity_id]:
            forms[m.entity_id].append(m.text)
        here[m.entity_id] += 1
    rows = []
    for entity_id, m in first.items():
        rows.append(f'<tr><td><button type="button" class="go" data-target="m{m.index}">{escape(_(T.GO))}</button></td>'
                    f'<td>{_chip(m.label)}</td><td class="forms">{escape(" · ".join(forms[entity_id]))}</td>'
                    f'<td class="num">{here[entity_id]}</td><td class="num">{m.mentions}</td>'
                    f'<td class="pseudo">{escape(_(T.KEPT) if m.kept else m.pseudonym)}</td>'
                    f'<td class="id">{escape(entity_id)} <span class="origin">{escape(_(T.KNOWN) if m.known else _(T.NEW))}</span></td></tr>')
    return (f'<section id="entities" aria-labelledby="entities-title"><details open><summary><h2 id="entities-title">'
            f'{escape(_(T.ENTITIES))} <span class="count">{len(rows)}</span></h2></summary>'
            f'<table class="entities"><thead><tr><th scope="col"></th><th scope="col">{escape(_(T.LABEL))}</th>'
            f'<th scope="col">{escape(_(T.FORMS))}</th><th scope="col" class="num">{escape(_(T.MENTIONS_HERE))}</th>'
            f'<th scope="col" class="num">{escape(_(T.MENTIONS_CORPUS))}</th><th scope="col">{escape(_(T.PSEUDONYM))}</th>'
            f'<th scope="col">{escape(_(T.ID))}</th></tr></thead><tbody>{"".join(rows)}</tbody></table></details></section>\n')


def _text(review: DocumentReview, hints: list[tuple[str, Item]], labels: Sequence[str]) -> str:
    text, output = review.document.text, review.output
    pieces = [(m.start, m.end, "mark", m) for m in review.marks] + [(i.start, i.end, "hint", (h, i)) for h, i in hints]
    original = _lines(text, sorted(pieces, key=lambda p: (p[0], p[1])), _original_piece)
    outs = [(m.out_start, m.out_end, "out", m) for m in review.marks]
    pseudonymised = _lines(output, outs, _output_piece)
    if len(original) == len(pseudonymised):
        rows = "".join(f'<div class="orig" data-line="{n}">{o or "&#8203;"}</div><div class="out">{p or "&#8203;"}</div>'
                       for n, (o, p) in enumerate(zip(original, pseudonymised)))
    else:
        rows = (f'<div class="orig">{"<br>".join(original)}</div><div class="out">{"<br>".join(pseudonymised)}</div>')
    return (f'<section id="text" aria-labelledby="text-title"><h2 id="text-title">{escape(_(T.TEXT))}</h2>'
            + _legend(labels)
            + f'<div class="columns"><div class="col-head">{escape(_(T.ORIGINAL))}</div>'
            f'<div class="col-head">{escape(_(T.PSEUDONYMISED))}</div>{rows}</div></section>\n')


def _lines(text: str, pieces: list[tuple[int, int, str, Any]], render_piece: Any) -> list[str]:
    """HTML of each line of ``text``, the pieces (non-overlapping ranges) rendered by
    ``render_piece``; plain text is wrapped with its offset so the page can map a selection."""
    lines: list[list[str]] = [[]]

    def plain(start: int, end: int) -> None:
        position = start
        for part in text[start:end].split("\n"):
            if part:
                lines[-1].append(f'<span data-o="{position}">{escape(part)}</span>')
            position += len(part) + 1
            if position <= end:
                lines.append([])

    cursor = 0
    for start, end, kind, payload in pieces:
        if start < cursor:
            continue
        plain(cursor, start)
        first = True
        position = start
        for part in text[start:end].split("\n"):
            if part:
                lines[-1].append(render_piece(kind, payload, part, position, first))
                first = False
            position += len(part) + 1
            if position <= end:
                lines.append([])
        cursor = end
    plain(cursor, len(text))
    return ["".join(parts) for parts in lines]


def _original_piece(kind: str, payload: Any, part: str, position: int, first: bool) -> str:
    if kind == "hint":
        hid, item = payload
        ident = f' id="{hid}"' if first else ""
        return (f'<span class="hint kind-{item.kind}"{ident} data-hint="{hid}" data-o="{position}" tabindex="0" '
                f'title="{escape(_(T.KINDS[item.kind][0]))}">{escape(part)}</span>')
    m: Mark = payload
    ident = f' id="m{m.index}"' if first else ""
    title = (f"{T.label_name(m.label)} · {m.recognizer} · {_(T.SCORE)} {m.score:.2f} · {m.entity_id} → {_(T.KEPT) if m.kept else m.pseudonym}")
    return (f'<mark class="m l-{m.label}"{ident} data-mark="m{m.index}" data-o="{position}" data-code="{_code(m.label)}" '
            f'tabindex="0" title="{escape(title)}" aria-label="{escape(part)}, {escape(title)}">{escape(part)}</mark>')


def _output_piece(kind: str, payload: Any, part: str, position: int, first: bool) -> str:
    m: Mark = payload
    return (f'<mark class="o l-{m.label}" data-for="m{m.index}" data-code="{_code(m.label)}" '
            f'title="{escape(m.entity_id)}">{escape(part)}</mark>')
