"""Every user-visible string of the review report, in one place.

``_`` is the identity for now: when the message catalogue (``anonymiser.i18n``) is on main,
import its ``_`` and ``label_name`` here instead and the report follows the user's language.
The JavaScript gets its strings from ``SCRIPT_STRINGS`` (inlined as JSON in each page).
"""

from __future__ import annotations


def _(message: str) -> str:
    return message


LABEL_NAMES = {
    "PERSON": _("Person"),
    "ROLE": _("Role"),
    "ORGANIZATION": _("Organisation"),
    "MUNICIPALITY": _("Municipality"),
    "LOCATION": _("Place"),
    "EMAIL_ADDRESS": _("E-mail"),
    "PHONE_NUMBER": _("Phone"),
    "URL": _("Web address"),
    "ADDRESS": _("Postal address"),
}


def label_name(code: str) -> str:
    return LABEL_NAMES.get(code, code)


BANNER = _("Contains personal data: do not share, copy or send this report. It shows the original "
           "interviews. Delete the folder when the review is done. Exported decisions files hold the "
           "forms you decided on: keep them private too (your browser saves them without private "
           "file permissions).")
PROVISIONAL = _("Pseudonyms of entities that are not yet in the key file are provisional: "
                "'anonymiser run' fixes them.")
KINDS = {
    "low_score": (_("Low score"), _("Detections the recognizer was not sure of: check the label and the extent.")),
    "possible_miss": (_("Possible misses"), _("Capitalised words that no recognizer took and that are not "
                                              "French words: mark them if they name someone or somewhere.")),
    "near_form": (_("One letter away"), _("Forms one letter away from a known form: a typo of the same "
                                          "name, or another entity?")),
    "quasi_identifier": (_("Quasi-identifiers"), _("Exact counts, budgets, unique titles: they can identify "
                                                   "with context. Not masked by the tool.")),
    "single": (_("Seen once in the corpus"), _("Entities with a single mention: more often a false "
                                               "positive or a variant not linked.")),
}
INDEX_TITLE = _("Review before sharing")
DOCUMENT = _("Document")
WORDS = _("Words")
MASKED = _("Masked mentions")
ENTITIES = _("Entities")
ATTENTION = _("Needs attention")
STATUS = _("Status")
STATUS_OPEN = _("{n} to check")
STATUS_CLEAR = _("nothing flagged")
PER_LABEL = _("Masked mentions per label")
PER_FIELD = _("Masked mentions per grid field")
NO_FIELD = _("(outside the grid)")
ALL_DOCUMENTS = _("All documents")
ORIGINAL = _("Original")
PSEUDONYMISED = _("Pseudonymised")
TEXT = _("Text")
GO = _("Go to")
FORMS = _("Forms here")
MENTIONS_HERE = _("Here")
MENTIONS_CORPUS = _("Corpus")
PSEUDONYM = _("Pseudonym")
ID = _("Id")
LABEL = _("Label")
KNOWN = _("in key file")
NEW = _("new")
NOTHING = _("Nothing flagged in this document.")
ONE_LETTER = _("one letter from")
SCORE = _("score")
DECISIONS = _("Your decisions")
NO_DECISIONS = _("No decision yet.")
MARK_SELECTION = _("Mark selection")
EXPORT = _("Export decisions")
HELP = _("Tab or click a highlighted mention for its details and actions (A accept, R not personal here, "
         "N never mask, Esc close). To mark missed text: select it in the original, pick a label, press "
         "Mark selection (or M). Then Export decisions and run 'anonymiser key apply-review'.")
SUMMARY = _("{words} words · {mentions} masked mentions · {entities} entities · {attention} to check")
CORPUS_SUMMARY = _("{documents} documents · {mentions} masked mentions · {entities} entities · "
                   "{attention} items to check")
LEGEND = _("Legend")

SCRIPT_STRINGS = {
    "recognizer": _("Recognizer"),
    "score": _("Score"),
    "entity": _("Entity"),
    "pseudonym": _("Pseudonym here"),
    "known": _("in the key file"),
    "provisional": _("new: provisional pseudonym"),
    "mentions": _("mentions in the corpus"),
    "accept": _("Accept"),
    "rejectHere": _("Not personal here"),
    "rejectEverywhere": _("Never mask this form"),
    "relabel": _("Change label"),
    "apply": _("Apply"),
    "close": _("Close"),
    "markAs": _("Mark as"),
    "mark": _("Mark"),
    "sameAs": _("Same entity as"),
    "notPersonal": _("Not personal data"),
    "undo": _("Undo"),
    "decisions": _("{n} decision(s)"),
    "noDecision": NO_DECISIONS,
    "noSelection": _("Select text in the original first."),
    "marked": _("marked as"),
    "accepted": _("accepted"),
    "rejectedHere": _("not personal here"),
    "rejectedEverywhere": _("never masked"),
    "relabelled": _("label changed to"),
    "exported": _("Saved decisions.json ({n} decision(s)). Apply it with: anonymiser key apply-review"),
}
