"""Replace: one operator per strategy, applied from the end of the text."""
