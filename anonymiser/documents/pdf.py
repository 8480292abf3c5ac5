"""Text PDFs in (pypdf): their text layer, page by page, becomes a plain-text document.

A PDF is read, never written: the pseudonymised document is a ``.txt`` beside the others, with
a form feed alone on a line where a page ended (``PAGE_BREAK``), so that the pages can be found
again. A scan (no text layer), an encrypted or a damaged PDF is refused in one line.
"""

from __future__ import annotations

import io
import logging
import re

from anonymiser.errors import DocumentError
from anonymiser.i18n import N_

PAGE_BREAK = "\f"  # a line of its own between two pages (pdftotext's convention)
OUTPUT_SUFFIX = ".txt"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # the page break is added after


def read_text(data: bytes, path: str) -> str:
    """The text of a PDF, its pages separated by a line holding ``PAGE_BREAK``."""
    from pypdf import PdfReader
    from pypdf.errors import FileNotDecryptedError, PdfReadError, PyPdfError

    if not data.startswith(b"%PDF-"):
        raise DocumentError(path, N_("damaged PDF (not a PDF file)"))
    logging.getLogger("pypdf").setLevel(logging.ERROR)  # its warnings on odd files name no file
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise DocumentError(path, N_("encrypted PDF: remove the protection first"))
        pages = [page.extract_text() or "" for page in reader.pages]
    except DocumentError:
        raise
    except FileNotDecryptedError as exc:
        raise DocumentError(path, N_("encrypted PDF: remove the protection first")) from exc
    except (PdfReadError, PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError,
            RecursionError, ZeroDivisionError, OSError) as exc:
        raise DocumentError(path, N_("damaged PDF (%(kind)s)"), kind=type(exc).__name__) from exc
    if not pages:
        raise DocumentError(path, N_("damaged PDF (no page)"))
    cleaned = [_page(text) for text in pages]
    if not any(text.strip() for text in cleaned):
        raise DocumentError(path, N_("PDF without a text layer (a scan?): run OCR on it first"))
    return (PAGE_BREAK + "\n").join(cleaned)


def _page(text: str) -> str:
    """One page's text: line ends made ``\\n``, control characters dropped, ending with a line end."""
    text = _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    return text.rstrip("\n") + "\n" if text.strip() else ""
