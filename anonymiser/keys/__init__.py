"""The encrypted key file: the only place originals live, and the store that owns its invariants."""

from anonymiser.keys.format import create, load, save
from anonymiser.keys.store import KeyFile

__all__ = ["KeyFile", "create", "load", "save"]
