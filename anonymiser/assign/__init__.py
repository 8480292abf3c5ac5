"""Assign: give each linked entity its pseudonym, without changing the key store."""
