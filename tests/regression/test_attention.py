"""The review list is the safety net (issue 15): every required gold mention that ``run``
leaves in clear is overlapped by an attention item, and the list stays short (at most 3 items
per 100 words), on the gold fixtures and the held-out fixtures; on the real dev set too when it
is present (it is not in CI, and its text never enters the repository)."""

from __future__ import annotations

from pathlib import Path

import pytest

from anonymiser.evaluate import read_gold
from anonymiser.keys.store import KeyFile
from anonymiser.model import Document
from anonymiser.review.coverage import Coverage, coverage, format_coverage

from ..conftest import FIXTURES, GOLD, ROOT

HELDOUT = FIXTURES / "heldout" / "gold.jsonl"
# the shared folder beside the checkout (../shared), or beside the folder of worktrees
DEV = next((p / "shared" / "dev" / "real" / "dev.gold.jsonl" for p in (ROOT.parent, ROOT.parent.parent)
            if (p / "shared" / "dev" / "real" / "dev.gold.jsonl").exists()),
           ROOT.parent / "shared" / "dev" / "real" / "dev.gold.jsonl")
MAX_PER_100_WORDS = 3.0
# Misses the list does not cover yet: (document, start, end, label). The list is checked both
# ways: a covered entry must leave it. Held-out: an organisation name that goes on after its
# masked part ("Fondation X pour la ..."): no rule catches that extent.
# The four fresh gold documents of issue 15 (written after the rules): a venue with a lower-case tail
# (the letterhead, the long form, the whole 'kind + place' names and the offices are masked now).
KNOWN_UNCOVERED = {
    # the blind documents of 2026-12-04: a long form said after its acronym in speech ("l'ALEC 71
    # enfin l'Agence locale ... de Saône-et-Loire"), masked in two parts the list does not take up
    ("focus_groupe_06", 1433, 1490, "ORGANIZATION"),
    # ... and of the second blind batch: a named department said with an informal owner ("le service
    # développement économique de l'agglo"), a local agency whose acronym is a national scheme's ("l'AME")
    ("entretien_23", 2833, 2876, "ORGANIZATION"),
    ("entretien_23", 2881, 2884, "ORGANIZATION"),
    ("presse_locale_02", 1878, 1936, "ORGANIZATION"),
    ("heldout_06", 1411, 1466, "ORGANIZATION"),
    ("focus_groupe_04", 7782, 7803, "LOCATION"),
    # the six documents of 2026-12-02: a place in a Title Case heading, a group's name all in lower case
    ("magazine_01", 1151, 1164, "MUNICIPALITY"),
    ("entretien_18", 844, 857, "ORGANIZATION"),
    # the blind documents of helper f28 (NEWER28 in test_gold.py): whole 'kind + place' names and
    # long names whose place alone is masked, a lower-case group's name, a role with a long
    # complement, a bare occupation tied to a landlord, a named neighbourhood with its generic noun,
    # a number with a gallery's name
    ("entretien_19", 5551, 5564, "MUNICIPALITY"),
    ("entretien_20", 4282, 4300, "ORGANIZATION"),
    ("focus_groupe_05", 5969, 5993, "ADDRESS"),
    # and in its three last ones: a name in all capitals in a newsletter's title, lower-case
    # association names, a mixed-case acronym, a role with a long or lower-case complement
    ("bulletin_03", 13, 19, "LOCATION"),
    # the twelve blind documents of 2026-12-04 (BLIND12 in test_gold.py): names of associations,
    # festivals and first names all in lower case with no head or cue ("à la bouée solidaire",
    # "jean-luc il écoute" is masked now), brands in lower case, a lower-case club with a local adjective, a
    # commune in lower case that is also a word, a café's name that is a French word ("Le Cordial"),
    # a town's sector hall said in speech, a named department of a town, a list's motto in quotes
    # without "liste", an arrondissement said as a number before a street
    ("compte_rendu_05", 6453, 6475, "ROLE"),
    ("entretien_24", 4488, 4507, "ORGANIZATION"),
    ("entretien_25", 4933, 4969, "ORGANIZATION"),
    ("entretien_26", 3114, 3126, "ORGANIZATION"),
    ("entretien_26", 3166, 3173, "ORGANIZATION"),
    ("entretien_26", 4728, 4762, "ORGANIZATION"),
    ("entretien_27", 7552, 7558, "MUNICIPALITY"),
    ("entretien_29", 897, 903, "MUNICIPALITY"),
    ("entretien_29", 4163, 4179, "ORGANIZATION"),
    ("entretien_29", 4405, 4415, "ORGANIZATION"),
    ("entretien_30", 80, 84, "LOCATION"),
    ("entretien_30", 4029, 4062, "ORGANIZATION"),
    ("entretien_31", 1081, 1125, "ORGANIZATION"),
    ("focus_groupe_07", 740, 755, "ORGANIZATION"),
    ("focus_groupe_07", 977, 990, "ORGANIZATION"),
    ("focus_groupe_07", 1189, 1203, "ORGANIZATION"),
    ("focus_groupe_07", 1284, 1314, "ROLE"),
    ("focus_groupe_07", 2304, 2314, "PERSON"),
    ("focus_groupe_07", 2352, 2365, "ORGANIZATION"),
    ("focus_groupe_07", 2404, 2414, "PERSON"),
    ("focus_groupe_07", 2993, 3010, "ORGANIZATION"),
    ("focus_groupe_07", 5464, 5475, "ORGANIZATION"),
    ("focus_groupe_07", 6369, 6374, "ORGANIZATION"),
    ("focus_groupe_07", 6583, 6597, "ORGANIZATION"),
    ("focus_groupe_07", 6633, 6638, "ORGANIZATION"),
    ("focus_groupe_07", 6987, 6992, "ORGANIZATION"),
    ("focus_groupe_07", 8751, 8756, "ORGANIZATION"),
    ("reunion_publique_05", 2194, 2213, "ORGANIZATION"),
    # the sixth blind batch (BLIND5 in test_gold.py): a family's surname in lower case that is also a
    # word ("la voiture des moreau"), a title whose body is generic ("le chef de la police municipale"),
    # a speaker's trade at a named firm and posts at the town's body, whose body or town alone is masked, a
    # prefecture by its department whose department alone is masked
    ("reunion_publique_06", 4294, 4300, "PERSON"),
    ("reunion_publique_06", 4779, 4807, "ROLE"),
    ("reunion_publique_06", 2060, 2095, "ROLE"),
    ("compte_rendu_06", 118, 146, "ORGANIZATION"),
    ("compte_rendu_06", 853, 908, "ROLE"),
    ("compte_rendu_06", 777, 834, "ROLE"),
    # the seventh (BLIND7): titles of a fire brigade, a co-chair or a farm's adviser said bare or with
    # a lower-case body ("le chef de corps", "la coprésidente élue", "le technicien de la coop"), a
    # town's service by its area ("pôle de proximité Est"), a transport body in capitals that is also
    # a word ("TAN"), a service's name in Title Case after an elided article, a local society whose
    # commune alone is masked, an elders' club whose name alone is masked
    ("bulletin_05", 3702, 3715, "ROLE"),
    ("bulletin_05", 4455, 4503, "ORGANIZATION"),
    ("bulletin_05", 4930, 4951, "ORGANIZATION"),
    ("compte_rendu_07", 961, 982, "ORGANIZATION"),
    ("compte_rendu_07", 4715, 4718, "ORGANIZATION"),
    ("compte_rendu_07", 6898, 6919, "ORGANIZATION"),
    ("compte_rendu_07", 6972, 6989, "ROLE"),
    ("compte_rendu_07", 7010, 7030, "ROLE"),
    ("entretien_35", 3862, 3883, "ROLE"),
    ("focus_groupe_09", 67, 79, "ORGANIZATION"),
}
# Documents whose list is longer than MAX_PER_100_WORDS (checked both ways too). entretien_14 (188
# words) went from 5 items to 7 when the four fresh documents joined the corpus: two near-form items
# ("Lestrade" near a surname of another document, a masked word of a name near a garden's name).
# presse_locale_02 went over when the twelve blind documents of 2026-12-04 joined (near-form items:
# a word two edits from a person's name of another document). The ordinary words of a title, a body
# or an address ("maire", "mairie@...") are no near forms since stop 36.
KNOWN_LONG: set[str] = {"entretien_14", "presse_locale_02"}


def _coverage(engine, path: Path) -> Coverage:
    gold = read_gold(path)
    return coverage(gold, engine.review([Document(g.id, g.text, g.id) for g in gold], key=KeyFile.create()))


@pytest.mark.slow
@pytest.mark.parametrize("path", [GOLD, HELDOUT], ids=["gold", "heldout"])
def test_attention_covers_every_miss_and_stays_short(engine, path: Path) -> None:
    result = _coverage(engine, path)
    uncovered = {(u["id"], u["start"], u["end"], u["label"]) for d in result.documents for u in d.uncovered}
    assert uncovered <= KNOWN_UNCOVERED, format_coverage(result)
    assert result.covered >= result.misses - len(KNOWN_UNCOVERED & uncovered)
    assert result.per_100_words <= MAX_PER_100_WORDS, format_coverage(result)
    assert all(d.per_100_words <= MAX_PER_100_WORDS for d in result.documents if d.id not in KNOWN_LONG), \
        format_coverage(result)


@pytest.mark.slow
@pytest.mark.parametrize("path", [GOLD, HELDOUT], ids=["gold", "heldout"])
def test_attention_known_uncovered_still_uncovered(engine, path: Path) -> None:
    result = _coverage(engine, path)
    ids = {d.id for d in result.documents}
    uncovered = {(u["id"], u["start"], u["end"], u["label"]) for d in result.documents for u in d.uncovered}
    known = {entry for entry in KNOWN_UNCOVERED if entry[0] in ids}
    assert known <= uncovered, f"now covered: remove from KNOWN_UNCOVERED: {sorted(known - uncovered)}"
    short = sorted(d.id for d in result.documents if d.id in KNOWN_LONG and d.per_100_words <= MAX_PER_100_WORDS)
    assert not short, f"now short enough: remove from KNOWN_LONG: {short}"


@pytest.mark.slow
@pytest.mark.skipif(not DEV.exists(), reason="the real dev set is not here (it is never in the repository)")
def test_attention_on_the_dev_set(engine) -> None:
    result = _coverage(engine, DEV)
    # offsets and label codes only: the dev set's text is never printed
    assert result.covered == result.misses, format_coverage(result)
    assert result.per_100_words <= MAX_PER_100_WORDS
