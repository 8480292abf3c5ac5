"""Pure French text helpers: folding, names, grammar, places, the interview grid, phrase matching."""
