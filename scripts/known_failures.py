"""Rewrite tests/regression/known_failures.txt from the current misses on the gold fixtures.

Run it only after a deliberate change, and read the diff: every line is a mention the tool
leaves unmasked. Usage: .venv/bin/python scripts/known_failures.py
"""

from __future__ import annotations

from pathlib import Path

from anonymiser.engine import Engine
from anonymiser.evaluate import read_gold, score
from anonymiser.model import Document

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    gold = read_gold(ROOT / "fixtures" / "gold" / "interviews.gold.jsonl")
    engine = Engine()
    detections = engine.detect_documents([Document(g.id, g.text, g.id) for g in gold])
    report = score(gold, {d.document_id: d.spans for d in detections})
    lines = ["# Gold mentions the tool does not fully mask yet (document start end label  # text).",
             "# Regenerate with scripts/known_failures.py after a deliberate change; keep it short."]
    for miss in report.misses:
        lines.append(f"{miss['document']} {miss['start']} {miss['end']} {miss['label']}  # {miss['text']}")
    (ROOT / "tests" / "regression" / "known_failures.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(report.misses)} known failures written")


if __name__ == "__main__":
    main()
