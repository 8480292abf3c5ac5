"""General file helpers: atomic writes, durable renames (fsync, syncfs) and an exclusive lock."""

from __future__ import annotations

import contextlib
import fcntl
import functools
import os
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, BinaryIO


@contextlib.contextmanager
def atomic_file(path: Path, *, mode: int = 0o600, backup: bool = False, sync: bool = True) -> Iterator[BinaryIO]:
    """A file to write ``path`` through: a temporary file, fsynced then renamed when the block
    ends without error (removed otherwise), so that a reader or a crash sees the old or the
    new file, never half of one. With ``backup``, the previous version is kept as
    ``<path>.bak`` (itself replaced atomically). Without ``sync``, the caller makes the
    file and its folder durable (``sync_files``), once for a batch of files."""
    directory = path.parent if str(path.parent) else Path(".")
    tmp = directory / f".{path.name}.{os.getpid()}.tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    try:
        os.fchmod(fd, mode)  # a stale temporary file keeps its own mode: never wider than asked
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            if sync:
                os.fsync(handle.fileno())
        if backup and path.exists():
            bak_tmp = directory / f".{path.name}.{os.getpid()}.bak.tmp"
            with contextlib.suppress(FileNotFoundError):
                os.unlink(bak_tmp)
            os.link(path, bak_tmp)
            os.replace(bak_tmp, directory / f"{path.name}.bak")
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    if sync:
        sync_folder(directory)


def atomic_write(path: Path, data: bytes, *, mode: int = 0o600, backup: bool = False,
                 sync: bool = True) -> None:
    """Write ``data`` to ``path`` atomically (see ``atomic_file``)."""
    with atomic_file(path, mode=mode, backup=backup, sync=sync) as handle:
        handle.write(data)


def sync_folder(directory: Path) -> None:
    """Make the renames done in ``directory`` durable."""
    _fsync_path(directory)


def _fsync_path(path: Path) -> None:
    _on_descriptor(path, os.fsync)


def _on_descriptor(path: Path, call: Any) -> Any:
    """``call(fd)`` on a read-only descriptor of ``path``, closed afterwards."""
    fd = os.open(path, os.O_RDONLY)
    try:
        return call(fd)
    finally:
        os.close(fd)


def sync_files(paths: Iterable[Path]) -> None:
    """Make files written without ``sync`` durable, with their folders. On Linux, one
    ``syncfs`` per file system they are on: it writes them all in one journal commit (2,000
    small files: 0.06 s, against 0.5 s for an fsync each); elsewhere, or if it is refused,
    an fsync per file and per folder."""
    paths = list(paths)
    syncfs = _syncfs()
    if syncfs is not None:
        one_per_file_system = {os.stat(p).st_dev: p for p in paths}.values()
        if all(_on_descriptor(p, syncfs) == 0 for p in one_per_file_system):
            return
    for path in paths:
        _fsync_path(path)
    for folder in sorted({p.parent for p in paths}):
        sync_folder(folder)


@functools.lru_cache(maxsize=1)
def _syncfs() -> Any:
    """Linux's ``syncfs(2)`` from the C library (Python's ``os`` has no binding), or None."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        import ctypes

        function = ctypes.CDLL(None, use_errno=True).syncfs
    except (OSError, AttributeError):
        return None
    function.argtypes, function.restype = [ctypes.c_int], ctypes.c_int
    return function


@contextlib.contextmanager
def locked(lock_path: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``lock_path`` (created, mode 0600) for the block. Taking it
    never waits: ``BlockingIOError`` when another process holds it, ``OSError`` when the file
    cannot be created."""
    fd = os.open(lock_path, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        yield
    finally:
        os.close(fd)
