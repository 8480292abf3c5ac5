"""The encrypted key file: the only place originals live, and the store that owns its invariants.

``store.py`` holds ``KeyFile`` (re-exported here); ``format.py`` loads, saves and creates key
files; ``manage.py`` adds, imports, merges and applies review decisions."""

from anonymiser.keys.store import KeyFile

__all__ = ["KeyFile"]
