"""The only code that reads and writes documents. Plain text for now (.txt, .md)."""

from .text import SUPPORTED_SUFFIXES, collect_inputs, read_document, write_document

__all__ = ["SUPPORTED_SUFFIXES", "collect_inputs", "read_document", "write_document"]
