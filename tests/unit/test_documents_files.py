"""Atomic writes, durable batches of files, the exclusive lock."""

import os
import stat
import sys

import pytest

from anonymiser.documents import files


def test_documents_files_atomic_write_mode_and_backup(tmp_path) -> None:
    path = tmp_path / "out.txt"
    files.atomic_write(path, b"first", mode=0o644)
    assert path.read_bytes() == b"first" and stat.S_IMODE(os.stat(path).st_mode) == 0o644
    files.atomic_write(path, b"second", backup=True)
    assert path.read_bytes() == b"second" and (tmp_path / "out.txt.bak").read_bytes() == b"first"
    assert not list(tmp_path.glob(".*.tmp"))


def test_documents_files_failed_write_keeps_the_old_file(tmp_path) -> None:
    path = tmp_path / "out.txt"
    files.atomic_write(path, b"old")
    with pytest.raises(RuntimeError):
        with files.atomic_file(path) as handle:
            handle.write(b"half")
            raise RuntimeError("interrupted")
    assert path.read_bytes() == b"old" and not list(tmp_path.glob(".*.tmp"))


@pytest.mark.parametrize("syncfs_result", [0, -1, None])
def test_documents_files_sync_files_one_syncfs_per_file_system_else_an_fsync_each(
        tmp_path, monkeypatch, syncfs_result) -> None:
    """Outputs written without ``sync`` are made durable by batch: one syncfs for their file
    system; when syncfs is missing or refuses, an fsync per file and per folder."""
    paths = []
    for name in ("a/1.txt", "a/2.txt", "b/3.txt"):
        path = tmp_path / name
        path.parent.mkdir(exist_ok=True)
        files.atomic_write(path, b"x", sync=False)
        paths.append(path)
    calls: list[str] = []
    real_fsync = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: (calls.append("fsync"), real_fsync(fd))[1])
    fake = None if syncfs_result is None else (lambda fd: (calls.append("syncfs"), syncfs_result)[1])
    monkeypatch.setattr(files, "_syncfs", lambda: fake)
    files.sync_files(paths)
    if syncfs_result == 0:
        assert calls == ["syncfs"]
    else:
        assert calls == ["syncfs"] * (syncfs_result is not None) + ["fsync"] * 5  # 3 files, 2 folders
    assert [p.read_bytes() for p in paths] == [b"x"] * 3
    assert not list(tmp_path.rglob("*.tmp"))


def test_documents_files_syncfs_is_found_on_linux() -> None:
    if sys.platform.startswith("linux"):
        assert files._syncfs() is not None


def test_documents_files_lock_is_exclusive_and_never_waits(tmp_path) -> None:
    lock = tmp_path / "k.lock"
    with files.locked(lock):
        assert stat.S_IMODE(os.stat(lock).st_mode) == 0o600
        with pytest.raises(BlockingIOError):
            with files.locked(lock):
                pass
    with files.locked(lock):  # released at the end of the block
        pass
    with pytest.raises(FileNotFoundError):
        with files.locked(tmp_path / "missing" / "k.lock"):
            pass
