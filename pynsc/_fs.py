"""File-system primitives shared by the keystore and the store: private dirs, atomic writes, locks.

Every write goes to a temporary file, is flushed to disk, and is renamed over the target, so a
reader sees the old file or the new one and never half of either. Writers that must not lose
each other's changes hold an exclusive ``flock`` on a lock file; such writers keep their
temporary files in a directory of their own (``tmp_dir``) that :func:`locked` empties each time
the lock is taken, so the temporary file of a killed writer never outlives the next writer.

Fault injection (for the crash tests, ``tests/reliability/test_crash.py``): when the environment
variable ``PYNSC_FAULT_KILL_AFTER_WRITES=N`` is set as the process starts, the process sends
itself ``SIGKILL`` right after its ``N``-th file-system step (a directory made, a temporary file
written, a rename, a file or directory removed); with ``PYNSC_FAULT_KILL_DELAY=SECONDS`` too, it
is killed that long after the ``N``-th step instead, wherever it is by then (by a kernel timer's
``SIGALRM``, whose default action ends the process at once, as ``SIGKILL`` does). Unset, the
hook costs one comparison per step.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path

__all__ = [
    "atomic_write",
    "clear_dir",
    "ensure_private_dir",
    "locked",
    "remove_file",
    "remove_tree",
    "rename",
]

PRIVATE_DIR = 0o700
PRIVATE_FILE = 0o600
FAULT_KILL_AFTER_WRITES = "PYNSC_FAULT_KILL_AFTER_WRITES"
FAULT_KILL_DELAY = "PYNSC_FAULT_KILL_DELAY"


# Fault injection -----------------------------------------------------------------------------


class _Fault:
    """Counts file-system steps; kills the process after the ``kill_after``-th one."""

    def __init__(self, kill_after: int, delay: float | None) -> None:
        self.kill_after = kill_after
        self.delay = delay
        self.steps = 0
        self.first = self.last = 0.0  # time.monotonic() of the first and the last step

    def step(self) -> None:
        self.steps += 1
        self.last = time.monotonic()
        if self.steps == 1:
            self.first = self.last
        if self.steps != self.kill_after:
            return
        import signal  # only when the hook is armed: not on every start-up

        if self.delay is None or self.delay <= 0:
            os.kill(os.getpid(), signal.SIGKILL)
            return
        if threading.current_thread() is threading.main_thread():
            # a kernel timer, to the microsecond, wherever the process is then (inside a
            # write, an fsync...): SIGALRM left to its default action ends the process at
            # once, as SIGKILL does
            signal.signal(signal.SIGALRM, signal.SIG_DFL)
            signal.setitimer(signal.ITIMER_REAL, self.delay)
            return
        timer = threading.Timer(self.delay, os.kill, (os.getpid(), signal.SIGKILL))
        timer.daemon = True
        timer.start()


def _fault_from_env() -> _Fault | None:
    value = os.environ.get(FAULT_KILL_AFTER_WRITES, "").strip()
    if not value:
        return None
    delay = os.environ.get(FAULT_KILL_DELAY, "").strip()
    return _Fault(int(value), float(delay) if delay else None)


_fault: _Fault | None = _fault_from_env()


def arm_fault(kill_after: int | None, delay: float | None = None) -> None:
    """Set (or with ``None`` clear) the fault hook of this process, as the environment
    variables do at start-up: for test harnesses that fork instead of starting Python."""
    global _fault
    _fault = None if kill_after is None else _Fault(kill_after, delay)


def fault_steps() -> tuple[int, float]:
    """File-system steps counted since the hook was armed, and the seconds from the first to
    the last of them ((0, 0.0) when it is not armed)."""
    if _fault is None:
        return 0, 0.0
    return _fault.steps, _fault.last - _fault.first


# Directories and files -----------------------------------------------------------------------


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
            if _fault is not None:
                _fault.step()
        os.chmod(directory, mode)
    return path


def atomic_write(
    path: Path, data: bytes | str, mode: int = PRIVATE_FILE, *, tmp_dir: Path | None = None
) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename, fsynced.

    The temporary file is made in ``tmp_dir`` when given (the caller holds the lock whose
    :func:`locked` empties it), else beside ``path``.
    """
    raw = data.encode("utf-8") if isinstance(data, str) else data
    ensure_private_dir(path.parent)
    where = path.parent
    if tmp_dir is not None:
        ensure_private_dir(tmp_dir)
        where = tmp_dir
    fd, tmp = _create_temp(where, path.name)
    try:
        try:
            os.fchmod(fd, mode)
            view = memoryview(raw)
            while view:
                view = view[os.write(fd, view):]
            os.fsync(fd)
        finally:
            os.close(fd)
        if _fault is not None:
            _fault.step()
        try:
            os.replace(tmp, path)
        except OSError as e:
            if e.errno != errno.EXDEV or tmp_dir is None:
                raise
            os.unlink(tmp)  # another file system: write beside the target after all
            atomic_write(path, raw, mode)
            return
        if _fault is not None:
            _fault.step()
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    _fsync_dir(path.parent)


_TEMP_FLAGS = os.O_RDWR | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC


def _create_temp(directory: Path, name: str) -> tuple[int, str]:
    """A new file ``.<name>.<random>.tmp`` in ``directory``, created 0600 and opened for
    writing, as ``tempfile.mkstemp`` makes one (without importing ``tempfile``, whose imports
    cost more than a whole write)."""
    for _ in range(100):
        tmp = os.path.join(directory, f".{name}.{os.urandom(5).hex()}.tmp")
        try:
            return os.open(tmp, _TEMP_FLAGS, PRIVATE_FILE), tmp
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "no unused temporary file name", str(directory))


def remove_file(path: Path) -> bool:
    """Delete the file ``path`` (durably); whether it was there."""
    try:
        os.unlink(path)
    except FileNotFoundError:
        return False
    if _fault is not None:
        _fault.step()
    _fsync_dir(path.parent)
    return True


def rename(source: Path, target: Path) -> None:
    """Rename the file or directory ``source`` to ``target`` (same file system), durably."""
    os.rename(source, target)
    if _fault is not None:
        _fault.step()
    _fsync_dir(target.parent)
    if source.parent != target.parent:
        _fsync_dir(source.parent)


def remove_tree(path: Path) -> None:
    """Delete the directory ``path`` and everything in it (nothing when it is not there).

    Files go before the directories that hold them, deepest first, so a kill part-way leaves
    a smaller tree, never a file without its directory.
    """
    try:
        entries = list(os.scandir(path))
    except FileNotFoundError:
        return
    except NotADirectoryError:
        remove_file(path)
        return
    for entry in entries:
        child = Path(entry.path)
        if entry.is_dir(follow_symlinks=False):
            remove_tree(child)
        else:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(child)
                if _fault is not None:
                    _fault.step()
    with contextlib.suppress(FileNotFoundError):
        os.rmdir(path)
        if _fault is not None:
            _fault.step()
    _fsync_dir(path.parent)


def clear_dir(path: Path, *, keep: tuple[str, ...] = ()) -> None:
    """Delete everything inside the directory ``path`` but the entries named in ``keep``."""
    try:
        entries = list(os.scandir(path))
    except (FileNotFoundError, NotADirectoryError):
        return
    for entry in entries:
        if entry.name in keep:
            continue
        child = Path(entry.path)
        if entry.is_dir(follow_symlinks=False):
            remove_tree(child)
        else:
            remove_file(child)


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
def locked(lock_file: Path, *, tmp_dir: Path | None = None) -> Iterator[None]:
    """Hold an exclusive lock on ``lock_file`` (created 0600) for the ``with`` block.

    ``tmp_dir`` is the directory the lock's writers keep their temporary files in: whatever is
    in it once the lock is held was left by a writer that died, and is deleted.
    """
    ensure_private_dir(lock_file.parent)
    fd = os.open(lock_file, os.O_RDWR | os.O_CREAT, PRIVATE_FILE)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        if tmp_dir is not None:
            clear_dir(tmp_dir)
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)
