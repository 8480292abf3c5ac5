"""The cap on what an office file (.docx, .odt, .xlsx: a zip archive) may expand to, checked
before any of it is read.

A few hundred kilobytes on disk can hold gigabytes of XML; reading such a file would take
all the memory of the machine. The sizes checked are those the archive declares: the zip
reader never inflates a part past its declared size, so a lying archive cannot pass.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

from anonymiser.errors import DocumentError
from anonymiser.i18n import N_

MB = 2**20


@dataclass(frozen=True)
class OfficeLimits:
    """What an office file may expand to (``office`` in ``rules/anonymiser.yaml``): its parts
    in all, their number, and, once it expands past ``ratio_from`` bytes, how many times its
    size on disk (text XML compresses some tens of times; a zip bomb hundreds of times)."""

    max_expanded: int = 200 * MB
    max_parts: int = 10_000
    max_ratio: int = 100
    ratio_from: int = 10 * MB


def check_expanded(data: bytes, path: str, limits: OfficeLimits) -> None:
    """Raise a one-line ``DocumentError`` naming ``path`` when the archive in ``data`` is
    over a cap of ``limits``; a damaged archive is left for its format's reader to report."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        return
    if len(parts) > limits.max_parts:
        raise DocumentError(path, N_("office file of %(parts)d parts, over the cap of %(cap)d "
                                     "(setting office.max_parts)"), parts=len(parts), cap=limits.max_parts)
    expanded = sum(part.file_size for part in parts)
    if expanded > limits.max_expanded:
        raise DocumentError(path, N_("office file that expands to %(size)d MB, over the cap of %(cap)d MB "
                                     "(setting office.max_expanded_mb)"),
                            size=-(-expanded // MB), cap=limits.max_expanded // MB)
    if expanded > limits.ratio_from and expanded > limits.max_ratio * max(len(data), 1):
        raise DocumentError(path, N_("office file that expands %(ratio)d times its size (%(size)d MB), over "
                                     "the cap of %(cap)d times (setting office.max_ratio)"),
                            ratio=expanded // max(len(data), 1), size=-(-expanded // MB), cap=limits.max_ratio)
