"""The encrypted key file: the only place originals live, and the store that owns its invariants."""
