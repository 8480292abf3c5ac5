"""Score the gold fixtures per label (ANNOTATION.md) with the whole detection stage.

Every required gold mention must be masked, except those listed in
``known_failures.txt`` (one ``document start end label`` per line), and every listed one must
still be missed: the list is checked both ways, so a fixed failure fails the test until it
leaves the list. The per-label recall and precision must stay above the floors below. The
report is printed at the end of the session (``pytest -q`` shows it).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from anonymiser.evaluate import format_report, read_gold, score
from anonymiser.model import Document

from ..conftest import FIXTURES, GOLD, ROOT

HERE = Path(__file__).parent
# Floors: raise them when detection improves, never lower them to make a test pass. Issue 15 added
# four documents (0.933/0.909 on all 17 then); the detection of issue 15 brought them to 0.986/0.982.
MIN_RECALL = {"ALL": 0.98, "PERSON": 0.99}
MIN_PRECISION = {"ALL": 0.97}
# Label agreement (MUNICIPALITY and LOCATION one family): 0.891 before issue 16's labels half, 0.977 after.
MIN_LABEL_AGREEMENT = 0.97
# The floors above hold on the documents the rules were written against. Four documents were written
# after the rules, in the style of real texts, to find the classes that still fail (issue 15): they
# have floors of their own, set to what they measured when they came in (main at f377ef9: recall
# 0.969, precision 0.905, label agreement 0.908). Raise these as their classes are fixed; merge
# them with the floors above once they reach them. Issue 16 (a first name of a person named in
# full, a name after a title, a place after "à la", a kind of body as an acronym) took their label
# agreement to 0.944.
FRESH = frozenset({"bulletin_02", "compte_rendu_02", "entretien_15", "focus_groupe_04"})
FRESH_MIN_RECALL = {"ALL": 0.96, "PERSON": 0.99}
FRESH_MIN_PRECISION = {"ALL": 0.90}
FRESH_MIN_LABEL_AGREEMENT = 0.94
# Six more were written the same way in the session of 2026-12-02 (speech with hesitations and
# speaker tags of every shape, a public meeting, minutes, a magazine), by a writer who did not run
# the detector on them. They measured 0.935 / 0.959 / 0.937 on main (5145e5b) and 0.972 / 0.977
# / 0.957 after the classes they showed were fixed; their floors are set below what they measure.
NEWEST = frozenset({"entretien_16", "entretien_17", "entretien_18", "reunion_publique_02", "compte_rendu_03",
                    "magazine_01"})
NEWEST_MIN_RECALL = {"ALL": 0.965, "PERSON": 0.965}
NEWEST_MIN_PRECISION = {"ALL": 0.965}
NEWEST_MIN_LABEL_AGREEMENT = 0.95
# A third batch, written blind in the session of 2026-12-02 by helper f28 (interviews with [Name],
# initials and first-name speaker turns, a focus group, later a blog, a newsletter and press
# articles), annotated from ANNOTATION.md and the README only. The first four measured 0.949 / 0.981
# / 0.945 on main (8966fc6); all seven measured recall 0.937 (PERSON 0.977), precision 0.972, label
# agreement 0.936 on main (405b6c1); their floors are set a little below.
NEWER28 = frozenset({"entretien_19", "entretien_20", "entretien_21", "focus_groupe_05", "blog_quartier_01",
                     "bulletin_03", "presse_locale_01"})
NEWER28_MIN_RECALL = {"ALL": 0.925, "PERSON": 0.965}
NEWER28_MIN_PRECISION = {"ALL": 0.96}
NEWER28_MIN_LABEL_AGREEMENT = 0.925
# A fourth set, three batches written blind in the session of 2026-12-04 by helpers who did not
# read the rules nor run the detector (an adjointe in a small commune, a neighbourhood centre in
# Marseille, a roofer and his suppliers, volunteers on the coast, a tiers-lieu officer, a mountain
# councillor, a club's general assembly, a magazine, a Paris couple, a football club, a Basque
# intercommunality, a public meeting). On main at 785a529 they measured, batch by batch, recall
# 0.920 / 0.967 / 0.973 and label agreement 0.930 / 0.926 / 0.902; the classes they showed took
# the twelve to recall 0.968 (PERSON 0.992), precision 0.979, label agreement 0.931 (868b15f).
BLIND12 = frozenset({"entretien_24", "entretien_25", "entretien_26", "focus_groupe_07", "entretien_27",
                     "entretien_28", "compte_rendu_05", "magazine_02", "entretien_29", "entretien_30",
                     "entretien_31", "reunion_publique_05"})
BLIND12_MIN_RECALL = {"ALL": 0.955, "PERSON": 0.985}
BLIND12_MIN_PRECISION = {"ALL": 0.97}
BLIND12_MIN_LABEL_AGREEMENT = 0.92
# The sixth blind batch (2026-12-04, stop 36; written as the others were, by a helper that read only
# ANNOTATION.md and two fixtures): a Paris interview with stations and families in lower case, a
# village school, a Lyon focus group, an association's minutes, a public meeting. On main at
# 829c98d, alone, they measured recall 0.965 (PERSON 0.966), precision 0.984, agreement 0.962.
BLIND5 = frozenset({"entretien_32", "entretien_33", "focus_groupe_08", "compte_rendu_06", "reunion_publique_06"})
BLIND5_MIN_RECALL = {"ALL": 0.97, "PERSON": 0.98}
BLIND5_MIN_PRECISION = {"ALL": 0.98}
BLIND5_MIN_LABEL_AGREEMENT = 0.96
# The seventh (helper 56, same day, same rules for the helper): a mayor-delegate of a commune
# nouvelle, a young farmer (timestamps, initials), elders of Roubaix, an Alsace bulletin, a Nantes
# neighbourhood council's minutes. On 9dfb6e3 (the sixth batch's change), alone: recall 0.967, precision 0.981,
# agreement 0.932.
BLIND7 = frozenset({"entretien_34", "entretien_35", "focus_groupe_09", "bulletin_05", "compte_rendu_07"})
BLIND7_MIN_RECALL = {"ALL": 0.955, "PERSON": 0.985}
BLIND7_MIN_PRECISION = {"ALL": 0.97}
BLIND7_MIN_LABEL_AGREEMENT = 0.92
# (group, recall floors, precision floors, label agreement floor), in the order of ``parts``
FLOORS = ((MIN_RECALL, MIN_PRECISION, MIN_LABEL_AGREEMENT),
          (FRESH_MIN_RECALL, FRESH_MIN_PRECISION, FRESH_MIN_LABEL_AGREEMENT),
          (NEWEST_MIN_RECALL, NEWEST_MIN_PRECISION, NEWEST_MIN_LABEL_AGREEMENT),
          (NEWER28_MIN_RECALL, NEWER28_MIN_PRECISION, NEWER28_MIN_LABEL_AGREEMENT),
          (BLIND12_MIN_RECALL, BLIND12_MIN_PRECISION, BLIND12_MIN_LABEL_AGREEMENT),
          (BLIND5_MIN_RECALL, BLIND5_MIN_PRECISION, BLIND5_MIN_LABEL_AGREEMENT),
          (BLIND7_MIN_RECALL, BLIND7_MIN_PRECISION, BLIND7_MIN_LABEL_AGREEMENT))

REPORT: dict[str, str] = {}


def known_failures() -> set[tuple[str, int, int, str]]:
    path = HERE / "known_failures.txt"
    out = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            doc, start, end, label = line.split()[:4]
            out.add((doc, int(start), int(end), label))
    return out


@pytest.fixture(scope="module")
def detected(engine):
    """The gold and one detection run over all its documents (one corpus), spans by document id."""
    gold = read_gold(GOLD)
    detections = engine.detect_documents([Document(g.id, g.text, g.id) for g in gold])
    return gold, {d.document_id: d.spans for d in detections}


@pytest.fixture(scope="module")
def report(detected):
    gold, spans = detected
    result = score(gold, spans)
    REPORT["gold"] = format_report(result)
    return result


@pytest.fixture(scope="module")
def parts(detected):
    """The same run scored apart on the older documents and on each group of fresh ones."""
    gold, spans = detected
    groups = [[g for g in gold if g.id not in FRESH | NEWEST | NEWER28 | BLIND12 | BLIND5 | BLIND7],
              [g for g in gold if g.id in FRESH], [g for g in gold if g.id in NEWEST],
              [g for g in gold if g.id in NEWER28], [g for g in gold if g.id in BLIND12],
              [g for g in gold if g.id in BLIND5], [g for g in gold if g.id in BLIND7]]
    assert {g.id for g in groups[1]} == FRESH and {g.id for g in groups[2]} == NEWEST \
        and {g.id for g in groups[3]} == NEWER28 and {g.id for g in groups[4]} == BLIND12 \
        and {g.id for g in groups[5]} == BLIND5 and {g.id for g in groups[6]} == BLIND7, \
        "a fresh document is missing from the gold"
    return [score(group, {g.id: spans[g.id] for g in group}) for group in groups]


def test_fixtures_are_built_from_their_sources() -> None:
    done = subprocess.run([sys.executable, str(FIXTURES / "build.py"), "--check"], capture_output=True,
                          text=True, cwd=ROOT)
    assert done.returncode == 0, done.stdout + done.stderr


def test_fixture_texts_match_gold() -> None:
    for document in read_gold(GOLD):
        path = FIXTURES / "interviews" / f"{document.id}.txt"
        assert path.read_text(encoding="utf-8") == document.text


@pytest.mark.slow
def test_gold_no_unexpected_miss(report) -> None:
    allowed = known_failures()
    unexpected = [m for m in report.misses if (m["document"], m["start"], m["end"], m["label"]) not in allowed]
    listing = "\n".join(f"{m['document']} {m['start']} {m['end']} {m['label']}  # {m['text']}" for m in unexpected)
    assert not unexpected, f"unexpected misses:\n{listing}"


@pytest.mark.slow
def test_gold_known_failures_still_fail(report) -> None:
    """The other way: a listed mention that is now masked (or no longer in the gold) must leave the list."""
    misses = {(m["document"], m["start"], m["end"], m["label"]) for m in report.misses}
    fixed = sorted(known_failures() - misses)
    listing = "\n".join(" ".join(map(str, entry)) for entry in fixed)
    assert not fixed, ("listed in tests/regression/known_failures.txt but now masked: remove them from the list "
                       f"(or rerun scripts/known_failures.py and read the diff):\n{listing}")


@pytest.mark.slow
def test_gold_recall_floors(parts) -> None:
    for result, (floors, _precision, _agreement) in zip(parts, FLOORS, strict=True):
        assert result.total.recall >= floors["ALL"], format_report(result)
        for label, floor in floors.items():
            if label != "ALL":
                assert result.labels[label].recall >= floor, format_report(result)


@pytest.mark.slow
def test_gold_label_agreement_floor(parts) -> None:
    for result, (_recall, _precision, floor) in zip(parts, FLOORS, strict=True):
        assert result.agreement.rate >= floor, format_report(result)


@pytest.mark.slow
def test_gold_precision_floors(parts) -> None:
    for result, (_recall, floors, _agreement) in zip(parts, FLOORS, strict=True):
        assert result.total.precision >= floors["ALL"], format_report(result)


@pytest.mark.slow
def test_gold_no_mention_survives_pseudonymisation(engine) -> None:
    """End to end: every required gold mention lies inside a replaced range of the output
    (known failures aside), and the replacements round-trip."""
    from anonymiser.keys.store import KeyFile
    from anonymiser.reidentify import reidentify_text

    gold = read_gold(GOLD)
    keyfile = KeyFile.create()
    results = engine.run([Document(g.id, g.text, g.id) for g in gold], keyfile)
    allowed = known_failures()
    for document, result in zip(gold, results):
        covered = [False] * len(document.text)
        for r in result.replacements:
            for i in range(r.start, r.end):
                covered[i] = True
        for span in document.spans:
            if not span.required or (document.id, span.start, span.end, span.label) in allowed:
                continue
            letters = [i for i in range(span.start, span.end) if document.text[i].isalnum()]
            assert all(covered[i] for i in letters), f"{document.id}:{span.start}-{span.end} survives"
        assert reidentify_text(result.output, result.records, keyfile, path=document.id) == document.text
