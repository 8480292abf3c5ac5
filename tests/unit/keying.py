"""A small hand-built key file shared by the key-store tests: one known person, indexed."""

from anonymiser.keys.store import KeyFile
from anonymiser.model import Entity

ISABELLE = Entity("PER-0001", "PERSON", "Isabelle Marchal", ("Isabelle Marchal", "Mme Marchal"), "Sophie Lambert",
                  attributes=(("first", "Sophie"), ("gender", "F"), ("last", "Lambert")))


def known_key() -> KeyFile:
    key = KeyFile.create()
    key.add(ISABELLE)
    key.index("PER-0001", [("Isabelle Marchal", "c"), ("Marchal", "c")], ["last:marchal", "first:isabelle"])
    return key

# the tests' passphrase: long enough to set (format.MIN_PASSPHRASE, 12 characters)
PASSPHRASE = "cheval correct agrafe"
