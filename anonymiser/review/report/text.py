"""Every user-visible string of the review report, in one place: message ids of the catalogue
(``anonymiser.i18n``), translated by the report when it renders a page, so that the report
follows the user's language. Label names are the catalogue's (``label_name``). The JavaScript
gets its strings from ``script_strings()`` (inlined as JSON in each page).
"""

from __future__ import annotations

from typing import Any

from anonymiser.i18n import N_, Nn_, _, label_name, ngettext

__all__ = ["counts", "label_name", "script_strings"]


BANNER = N_("Contains personal data: do not share, copy or send this report. It shows the original "
           "interviews. Delete the folder when the review is done. Exported decisions files hold the "
           "forms you decided on: keep them private too (your browser saves them without private "
           "file permissions).")
PROVISIONAL = N_("Pseudonyms of entities that are not yet in the key file are provisional: "
                "'anonymiser run' fixes them.")
KINDS = {
    "low_score": (N_("Low score"), N_("Detections the recognizer was not sure of: check the label and the extent.")),
    "possible_miss": (N_("Possible misses"), N_("Capitalised words that no recognizer took and that are not "
                                              "French words: mark them if they name someone or somewhere.")),
    "suspect": (N_("Left in clear?"), N_("Words where a name may be: a first name or a commune, initials, a "
                                       "speaker, an arrondissement, a lower-case name or a role: mark them if "
                                       "they name someone or somewhere.")),
    "near_form": (N_("One letter away"), N_("Forms one letter away from a known form: a typo of the same "
                                          "name, or another entity?")),
    "quasi_identifier": (N_("Quasi-identifiers"), N_("Exact counts, budgets, unique titles: they can identify "
                                                   "with context. Not masked by the tool.")),
}
INDEX_TITLE = N_("Review before sharing")
DOCUMENT = N_("Document")
WORDS = N_("Words")
MASKED = N_("Masked mentions")
ENTITIES = N_("Entities")
ATTENTION = N_("Needs attention")
STATUS = N_("Status")
STATUS_CLEAR = N_("nothing flagged")
PER_LABEL = N_("Masked mentions per label")
PER_FIELD = N_("Masked mentions per grid field")
NO_FIELD = N_("(outside the grid)")
ALL_DOCUMENTS = N_("All documents")
ORIGINAL = N_("Original")
PSEUDONYMISED = N_("Pseudonymised")
TEXT = N_("Text")
GO = N_("Go to")
FORMS = N_("Forms here")
MENTIONS_HERE = N_("Here")
MENTIONS_CORPUS = N_("Corpus")
PSEUDONYM = N_("Pseudonym")
ID = N_("Id")
LABEL = N_("Label")
KNOWN = N_("in key file")
NEW = N_("new")
KEPT = N_("kept as it is")
NOTHING = N_("Nothing flagged in this document.")
ONE_LETTER = N_("one letter from")
SCORE = N_("score")
DECISIONS = N_("Your decisions")
NO_DECISIONS = N_("No decision yet.")
MARK_SELECTION = N_("Mark selection")
EXPORT = N_("Export decisions")
HELP = N_("Tab or click a highlighted mention for its details and actions (A accept, R not personal here, "
         "N never mask, Esc close). To mark missed text: select it in the original, pick a label, press "
         "Mark selection (or M). Then Export decisions and run 'anonymiser key apply-review'.")
COUNTS = {"documents": Nn_("{n} document", "{n} documents"), "words": Nn_("{n} word", "{n} words"),
          "mentions": Nn_("{n} masked mention", "{n} masked mentions"),
          "entities": Nn_("{n} entity", "{n} entities"),
          "attention": Nn_("{n} item to check", "{n} items to check")}
LEGEND = N_("Legend")

_SCRIPT_STRINGS = {
    "recognizer": N_("Recognizer"),
    "score": N_("Score"),
    "entity": N_("Entity"),
    "pseudonym": N_("Pseudonym here"),
    "known": N_("in the key file"),
    "provisional": N_("new: provisional pseudonym"),
    "accept": N_("Accept"),
    "rejectHere": N_("Not personal here"),
    "rejectEverywhere": N_("Never mask this form"),
    "relabel": N_("Change label"),
    "apply": N_("Apply"),
    "close": N_("Close"),
    "markAs": N_("Mark as"),
    "mark": N_("Mark"),
    "sameAs": N_("Same entity as"),
    "notPersonal": N_("Not personal data"),
    "undo": N_("Undo"),
    "noDecision": NO_DECISIONS,
    "noSelection": N_("Select text in the original first."),
    "marked": N_("marked as"),
    "accepted": N_("accepted"),
    "rejectedHere": N_("not personal here"),
    "rejectedEverywhere": N_("never masked"),
    "relabelled": N_("label changed to"),
}


# Strings the script shows with a count: the forms for 0, 1 and 2 or more, in the current language
# (French says "0 décision", English "0 decisions").
_SCRIPT_PLURALS = {
    "mentions": Nn_("{n} mention in the corpus", "{n} mentions in the corpus"),
    "decisions": Nn_("{n} decision", "{n} decisions"),
    "exported": Nn_("Saved decisions.json ({n} decision). Apply it with: anonymiser key apply-review",
                    "Saved decisions.json ({n} decisions). Apply it with: anonymiser key apply-review"),
}


def counts(**values: int) -> str:
    """Counts in words, each with its plural form, in the order given: ``counts(words=1,
    mentions=2)`` is "1 word · 2 masked mentions"."""
    return " · ".join(ngettext(*COUNTS[name], value).format(n=value) for name, value in values.items())


def script_strings() -> dict[str, Any]:
    """The strings the page's script shows, in the current language; those with a count are
    lists of three forms (for 0, for 1, for more), with ``{n}`` for the count."""
    strings: dict[str, Any] = {key: _(message) for key, message in _SCRIPT_STRINGS.items()}
    for key, (singular, plural) in _SCRIPT_PLURALS.items():
        strings[key] = [ngettext(singular, plural, n) for n in (0, 1, 2)]
    return strings
