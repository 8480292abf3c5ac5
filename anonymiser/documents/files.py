"""General file helpers: atomic writes through exclusive temporary files, durable renames (fsync,
syncfs), the removal of a crashed process's temporary files, and an exclusive lock."""

from __future__ import annotations

import contextlib
import fcntl
import functools
import os
import re
import secrets
import sys
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, BinaryIO


@contextlib.contextmanager
def atomic_file(path: Path, *, mode: int = 0o600, backup: bool = False, sync: bool = True) -> Iterator[BinaryIO]:
    """A file to write ``path`` through: a temporary file, fsynced then renamed when the block
    ends without error (removed otherwise), so that a reader or a crash sees the old or the
    new file, never half of one. With ``backup``, the previous version is kept as
    ``<path>.bak`` (itself replaced atomically). Without ``sync``, the caller makes the
    file and its folder durable (``sync_files``), once for a batch of files.

    The temporary file is made by ``mkstemp`` in the target's folder (``O_CREAT | O_EXCL |
    O_NOFOLLOW``, a random name after ``.<name>.<pid>.``): a file or a link planted under any
    name is never written through, and a rename replaces a link at ``path``, never its target.
    A crash can leave it behind; ``remove_stale`` removes it later."""
    directory = path.parent if str(path.parent) else Path(".")
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp", dir=directory)
    tmp = Path(name)
    try:
        os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            if sync:
                os.fsync(handle.fileno())
        if backup and path.exists():
            # a hard link under a fresh random name: link(2) never follows nor replaces an existing name
            bak_tmp = directory / f".{path.name}.{os.getpid()}.{secrets.token_hex(6)}.bak.tmp"
            os.link(path, bak_tmp, follow_symlinks=False)
            try:
                os.replace(bak_tmp, directory / f"{path.name}.bak")
            except BaseException:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(bak_tmp)
                raise
        os.replace(tmp, path)
    except BaseException as exc:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        if isinstance(exc, OSError) and exc.filename is None:  # a full disk: say which file
            raise OSError(exc.errno, exc.strerror, str(path)) from exc
        raise
    if sync:
        sync_folder(directory)


_STALE = re.compile(r"^\.(?P<name>.+)\.(?P<pid>\d+)(?:\.[A-Za-z0-9_]+)?(?:\.bak)?\.tmp$")


def _running(pid: int) -> bool:
    """Whether process ``pid`` exists (a process of another user counts)."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True
    return True


def _stale(entry: Path, name: str | None) -> bool:
    match = _STALE.match(entry.name)
    if match is None or (name is not None and match["name"] != name):
        return False
    return not _running(int(match["pid"])) and not entry.is_dir()


def _unlink_all(paths: Iterable[Path]) -> list[Path]:
    removed = []
    for stale in paths:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(stale)
            removed.append(stale)
    return removed


def remove_stale(path: Path) -> list[Path]:
    """Remove the temporary files of ``path`` (and of its ``.bak``) that a process which has
    ended left behind (``.<name>.<pid>[.<random>][.bak].tmp``); return them. They may hold
    what ``path`` held (a key file's originals, sealed, or a forgotten entity's)."""
    directory = path.parent if str(path.parent) else Path(".")
    try:
        entries = list(directory.iterdir())
    except OSError:
        return []
    return _unlink_all(e for e in entries if _stale(e, path.name))


def remove_stale_in(folder: Path) -> list[Path]:
    """Remove the temporary files of every file in ``folder`` and its subfolders left by
    processes that have ended (see ``remove_stale``)."""
    if not folder.is_dir():
        return []
    return _unlink_all(e for e in sorted(folder.rglob(".*.tmp")) if _stale(e, None))


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
    fd = os.open(lock_path, os.O_WRONLY | os.O_CREAT | os.O_NOFOLLOW, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        yield
    finally:
        os.close(fd)
