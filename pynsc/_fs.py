"""File-system primitives shared by the keystore and the store: private dirs, atomic writes, locks.

Every write goes to a temporary file in the target directory, is flushed to disk, and is renamed
over the target, so a reader sees the old file or the new one and never half of either. Writers
that must not lose each other's changes hold an exclusive ``flock`` on a lock file.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

__all__ = ["atomic_write", "ensure_private_dir", "locked"]

PRIVATE_DIR = 0o700
PRIVATE_FILE = 0o600


def ensure_private_dir(path: Path, mode: int = PRIVATE_DIR) -> Path:
    """Create ``path`` and missing parents; the dirs it creates get ``mode`` whatever the umask."""
    missing: list[Path] = []
    current = path
    while not current.exists():
        missing.append(current)
        if current.parent == current:
            break
        current = current.parent
    for directory in reversed(missing):
        with contextlib.suppress(FileExistsError):
            directory.mkdir(mode=mode)
        os.chmod(directory, mode)
    return path


def atomic_write(path: Path, data: bytes | str, mode: int = PRIVATE_FILE) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename, fsynced."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    ensure_private_dir(path.parent)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            os.fchmod(handle.fileno(), mode)
            handle.write(raw)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    _fsync_dir(path.parent)


def _fsync_dir(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


@contextlib.contextmanager
def locked(lock_file: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``lock_file`` (created 0600) for the ``with`` block."""
    ensure_private_dir(lock_file.parent)
    fd = os.open(lock_file, os.O_RDWR | os.O_CREAT, PRIVATE_FILE)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)
