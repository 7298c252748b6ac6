"""nats-server processes: spawning them detached, telling whether a pid is still one of ours,
asking their monitor port, and ending them.

A pid in the state file is only trusted while the process behind it is a ``nats-server`` whose
command line is ``-c <that node's config>`` (read from ``/proc/<pid>/cmdline``, or ``ps``
where there is no ``/proc``): a pid the system reused for something else is never signalled.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import itertools
import os
import re
import select
import signal
import socket
import subprocess
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pynsc import _json
from pynsc.errors import ServerError

if TYPE_CHECKING:
    from urllib.request import OpenerDirector

__all__ = [
    "exit_status",
    "free_ports",
    "get_json",
    "healthy",
    "is_ours",
    "log_tail",
    "port_in_use",
    "port_taken_in_log",
    "reap",
    "signal_ours",
    "spawn",
    "wait_any_exit",
    "wait_gone",
]

_PROC = Path("/proc")
_HTTP_TIMEOUT = 0.5
_IN_USE = re.compile(r"listen tcp [^\s:]*:(\d+): bind: address already in use")


# Spawning -----------------------------------------------------------------------------------------


def spawn(binary: Path, config: Path, log: Path) -> int:
    """Start ``binary -c config`` in a new session (no terminal signals reach it), stdin from
    /dev/null, stdout and stderr to ``log`` (truncated); its pid.

    The process is not tied to this one: it keeps running when this process exits.
    """
    actions = [
        (os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
        (os.POSIX_SPAWN_OPEN, 1, str(log), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600),
        (os.POSIX_SPAWN_DUP2, 1, 2),
    ]
    argv = [str(binary), "-c", str(config)]
    defaults = {signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGPIPE}
    try:
        return os.posix_spawn(
            argv[0], argv, dict(os.environ), file_actions=actions, setsid=True,
            setsigdef=defaults, setsigmask=(),
        )  # fmt: skip
    except OSError as e:
        raise ServerError(f"cannot start `{binary}`: {e.strerror or e}") from e


def exit_status(pid: int) -> int | None:
    """If ``pid`` is a child of this process that has exited: its exit code (negative: killed by
    that signal), reaping it. ``None`` when it runs or is not our child."""
    try:
        done, status = os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return None
    if done == 0:
        return None
    return os.waitstatus_to_exitcode(status)


def reap(pid: int, timeout: float) -> int | None:
    """The exit code of ``pid``, a child of this process that exited or is exiting, waiting up
    to ``timeout`` seconds until it can be reaped (a process whose threads are still ending
    cannot); ``None`` when it is not a child of ours, or at the timeout."""
    deadline = time.monotonic() + timeout
    while True:
        code = exit_status(pid)
        if code is not None:
            return code
        remaining = deadline - time.monotonic()
        if remaining <= 0 or _parent(pid) != os.getpid():
            return None
        wait_any_exit([pid], min(remaining, 0.1))


# Is it ours? --------------------------------------------------------------------------------------


def _command_line(pid: int) -> list[str] | str | None:
    """The arguments of ``pid`` (from /proc), or its command as one string (from ``ps``);
    ``None`` when there is no such process (or it is a zombie)."""
    if _PROC.is_dir():
        try:
            raw = (_PROC / str(pid) / "cmdline").read_bytes()
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            return None
        args = [a.decode("utf-8", "surrogateescape") for a in raw.split(b"\0") if a]
        return args or None
    try:
        out = subprocess.run(
            ["ps", "-o", "command=", "-p", str(pid)],
            capture_output=True, text=True, check=False, timeout=5,
        )  # fmt: skip
    except (OSError, subprocess.TimeoutExpired):
        return None
    text = out.stdout.strip()
    return text if out.returncode == 0 and text else None


def is_ours(pid: int, config: Path) -> bool:
    """Whether ``pid`` is a running nats-server started with ``-c config``.

    A child of this process that has exited is reaped first, so it does not linger as a zombie.
    """
    if pid <= 0:
        return False
    exit_status(pid)
    found = _command_line(pid)
    if found is None:
        return False
    wanted = str(config)
    if isinstance(found, str):
        return f"-c {wanted}" in found and "nats-server" in found
    named = any("nats-server" in Path(arg).name for arg in found[:2])
    return named and any(a == "-c" and b == wanted for a, b in itertools.pairwise(found))


def signal_ours(pid: int, config: Path, sig: signal.Signals) -> bool:
    """Send ``sig`` to ``pid`` if it is still ours (:func:`is_ours`); whether it was sent."""
    if not is_ours(pid, config):
        return False
    try:
        os.kill(pid, sig)
    except ProcessLookupError:
        return False
    except PermissionError as e:
        raise ServerError(f"not allowed to signal nats-server pid {pid}") from e
    return True


def _state(pid: int) -> str | None:
    """The /proc state letter of ``pid`` (``Z``: zombie), ``None`` when it does not exist."""
    try:
        stat = (_PROC / str(pid) / "stat").read_text(encoding="ascii", errors="replace")
    except OSError:
        return None
    fields = stat.rpartition(")")[2].split()
    return fields[0] if fields else None


def _parent(pid: int) -> int | None:
    try:
        status = (_PROC / str(pid) / "status").read_text(encoding="ascii", errors="replace")
    except OSError:
        return None
    for line in status.splitlines():
        if line.startswith("PPid:"):
            return int(line.split()[1])
    return None


def _lingers(pid: int, config: Path) -> bool:
    """Whether ``pid`` is ours or, with no command line left, still exiting (not yet a zombie:
    a child of this process is reaped as soon as it is one)."""
    if is_ours(pid, config):
        return True
    if not _PROC.is_dir() or _command_line(pid) is not None:
        return False
    state = _state(pid)
    if state == "Z":
        # dead; a child of ours is reaped, which may take a moment (until all its threads end)
        return exit_status(pid) is None and _parent(pid) == os.getpid()
    return state not in (None, "X")


def wait_gone(processes: Sequence[tuple[int, Path]], timeout: float) -> list[int]:
    """Wait up to ``timeout`` seconds until every ``(pid, config)`` has exited (and, if it is a
    child of this process, been reaped); the pids still there then."""
    deadline = time.monotonic() + timeout
    delay = 0.01
    while True:
        left = [pid for pid, config in processes if _lingers(pid, config)]
        if not left or time.monotonic() >= deadline:
            return left
        wait_any_exit(left, min(delay, max(deadline - time.monotonic(), 0.0)))
        delay = min(delay * 2, 0.2)


def wait_any_exit(pids: Iterable[int], timeout: float) -> None:
    """Block until one of ``pids`` exits or ``timeout`` passes (whichever is first).

    Uses pidfds where the system has them (Linux), so nothing is polled; elsewhere it waits
    ``timeout``.
    """
    fds: list[int] = []
    try:
        if hasattr(os, "pidfd_open"):
            for pid in pids:
                with contextlib.suppress(OSError):
                    fds.append(os.pidfd_open(pid))
        if fds:
            with contextlib.suppress(InterruptedError):
                select.select(fds, [], [], timeout)
        else:
            time.sleep(timeout)
    finally:
        for fd in fds:
            os.close(fd)


# Ports --------------------------------------------------------------------------------------------


def port_in_use(host: str, port: int) -> str | None:
    """Why nats-server could not listen on ``host:port`` (``None``: it could, a moment ago).

    ``SO_REUSEADDR`` is set as nats-server sets it, so a port in TIME_WAIT counts as free.
    """
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError as e:
            if e.errno == errno.EADDRINUSE:
                return "address already in use"
            return e.strerror or str(e)
    return None


def free_ports(host: str, count: int, *, avoid: Iterable[int] = ()) -> list[int]:
    """``count`` distinct ports free on ``host`` a moment ago, none of them in ``avoid``."""
    avoided = set(avoid)
    held: list[socket.socket] = []
    ports: list[int] = []
    try:
        while len(ports) < count:
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            held.append(sock)
            sock.bind((host, 0))
            port = int(sock.getsockname()[1])
            if port not in avoided:
                ports.append(port)
                avoided.add(port)
    finally:
        for sock in held:
            sock.close()
    return ports


def port_taken_in_log(log: Path) -> int | None:
    """The port nats-server logged it could not listen on (``address already in use``)."""
    match = _IN_USE.search(_read(log))
    return int(match.group(1)) if match else None


# Monitor port -------------------------------------------------------------------------------------


@functools.cache
def _opener() -> OpenerDirector:
    import urllib.request

    return urllib.request.build_opener(urllib.request.ProxyHandler({}))  # never via a proxy


def healthy(monitor_url: str) -> bool:
    """Whether ``/healthz`` answers 200 (nats-server accepts clients, JetStream is ready)."""
    from http.client import HTTPException

    try:
        with _opener().open(f"{monitor_url}/healthz", timeout=_HTTP_TIMEOUT) as response:
            return int(response.status) == 200
    except (OSError, HTTPException):  # URLError, and HTTPError (503 while starting), are OSErrors
        return False


def get_json(url: str) -> dict[str, Any] | None:
    """The JSON object a monitor endpoint answers, or ``None`` when it does not."""
    from http.client import HTTPException

    try:
        with _opener().open(url, timeout=_HTTP_TIMEOUT) as response:
            data = _json.loads(response.read())
    except (OSError, HTTPException, ValueError):
        return None
    return data if isinstance(data, dict) else None


# Logs ---------------------------------------------------------------------------------------------


def _read(log: Path) -> str:
    try:
        return log.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def log_tail(log: Path, lines: int = 12) -> str:
    """The last ``lines`` lines of ``log``, introduced by its path (for error hints)."""
    tail = _read(log).splitlines()[-lines:]
    if not tail:
        return f"`{log}` is empty"
    return f"last lines of `{log}`:\n" + "\n".join(f"  {line}" for line in tail)
