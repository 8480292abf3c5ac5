"""Detect: spaCy and Presidio over each document, the span rules, corpus-wide propagation."""
