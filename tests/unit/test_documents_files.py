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


def test_documents_files_temp_file_is_created_exclusively_and_never_through_a_link(tmp_path, monkeypatch) -> None:
    """A link planted where a temporary file could be named is never followed: the temporary
    file is made by ``mkstemp`` (O_CREAT | O_EXCL | O_NOFOLLOW, a random name)."""
    victim = tmp_path / "victim.txt"
    victim.write_bytes(b"keep me")
    path = tmp_path / "out.txt"
    for name in (f".out.txt.{os.getpid()}.tmp", f".out.txt.{os.getpid()}.bak.tmp"):  # the old fixed names
        (tmp_path / name).symlink_to(victim)
    flags: list[int] = []
    real_open = os.open
    monkeypatch.setattr(os, "open", lambda p, f, *a, **k: (flags.append(f), real_open(p, f, *a, **k))[1])
    files.atomic_write(path, b"first")
    files.atomic_write(path, b"second", backup=True)
    assert victim.read_bytes() == b"keep me"
    assert path.read_bytes() == b"second" and (tmp_path / "out.txt.bak").read_bytes() == b"first"
    creating = [f for f in flags if f & os.O_CREAT]
    assert creating and all(f & os.O_EXCL and f & os.O_NOFOLLOW for f in creating)


def test_documents_files_a_link_at_the_target_is_replaced_not_followed(tmp_path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_bytes(b"keep me")
    (tmp_path / "out.txt").symlink_to(victim)
    files.atomic_write(tmp_path / "out.txt", b"new")
    assert victim.read_bytes() == b"keep me" and not (tmp_path / "out.txt").is_symlink()


def test_documents_files_stale_temporary_files_of_dead_processes_are_removed(tmp_path) -> None:
    dead = _dead_pid()
    stale = [f".k.key.{dead}.tmp", f".k.key.{dead}.bak.tmp", f".k.key.{dead}.x1y2z3.tmp",
             f".k.key.{dead}.x1y2z3.bak.tmp"]
    kept = [f".k.key.{os.getpid()}.a1b2c3.tmp", "k.key", "k.key.bak", f".other.{dead}.tmp", f"k.key.{dead}.tmp"]
    for name in stale + kept:
        (tmp_path / name).write_bytes(b"x")
    removed = files.remove_stale(tmp_path / "k.key")
    assert sorted(p.name for p in removed) == sorted(stale)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(kept)
    # a whole folder: every name's stale copies, in subfolders too
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / f".E01.txt.{dead}.q.tmp").write_bytes(b"x")
    (tmp_path / f".other.{dead}.tmp").rename(tmp_path / f".audit.jsonl.{dead}.tmp")
    assert sorted(p.name for p in files.remove_stale_in(tmp_path)) == [f".E01.txt.{dead}.q.tmp",
                                                                        f".audit.jsonl.{dead}.tmp"]


def test_documents_files_lock_never_follows_a_link(tmp_path) -> None:
    victim = tmp_path / "victim"
    victim.write_bytes(b"x")
    (tmp_path / "k.lock").symlink_to(victim)
    with pytest.raises(OSError):
        with files.locked(tmp_path / "k.lock"):
            pass


def _dead_pid() -> int:
    """The id of a process that has ended."""
    import subprocess

    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_documents_files_a_full_disk_names_the_file(tmp_path, monkeypatch) -> None:
    import errno

    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(OSError) as info:
        files.atomic_write(tmp_path / "out.txt", b"x")
    assert info.value.filename == str(tmp_path / "out.txt") and info.value.errno == errno.ENOSPC
    assert not list(tmp_path.iterdir())
