"""``pynsc server run/status/stop`` against the real nats-server binary.

One store for the module, made with the CLI in-process: operator ``O`` with its system account
``SYS`` (user ``sys``), account ``A`` with user ``u``, account ``J`` (JetStream enabled) with user
``j``. Every test runs its servers from its own
``--dir``; the ``servers`` fixture stops them afterwards whatever happened (``server stop``, then
SIGKILL for any pid that is still that node's nats-server). Nothing sleeps: waits are polls with
deadlines.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import selectors
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result
from nats.aio.msg import Msg

from pynsc.localserver import process
from pynsc.localserver.state import STATE_FILE, NodeState, ServerState, read_state, write_state
from tests.cli.conftest import Pynsc, assert_one_error

from .natsserver import connect_url, echo, free_port

pytestmark = pytest.mark.nats_server

DEADLINE = 20.0


@dataclass
class Home:
    """The module's store (``-H path``) and a way to run pynsc on it."""

    path: Path
    runner: Pynsc = field(default_factory=Pynsc)

    def run(self, *args: str) -> Result:
        return self.runner("-H", str(self.path), *args)

    def ok(self, *args: str) -> Result:
        result = self.run(*args)
        assert result.exit_code == 0, (args, result.stdout, result.stderr)
        return result

    def creds(self, account: str, user: str) -> Path:
        path = self.path / "creds" / "O" / account / f"{user}.creds"
        assert path.is_file(), path
        return path

    def account_jwt(self, account: str) -> str:
        return (self.path / "O" / "accounts" / account / f"{account}.jwt").read_text().strip()

    def public_key(self, account: str) -> str:
        value: str = json.loads(self.ok("describe", "account", account, "--field", "sub").stdout)
        return value


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Home:
    world = Home(tmp_path_factory.mktemp("server-home"))
    world.ok("add", "operator", "--sys", "-n", "O")
    world.ok("add", "account", "A")
    world.ok("add", "user", "-a", "A", "u")
    world.ok("add", "account", "J")
    world.ok("edit", "account", "J", "--js-enable", "0")
    world.ok("add", "user", "-a", "J", "j")
    return world


def _kill_leftovers(state: ServerState | None) -> None:
    """SIGKILL any node of ``state`` that is still its nats-server (never another process)."""
    if state is None:
        return
    for node in state.nodes:
        if process.signal_ours(node.pid, node.config, signal.SIGKILL):
            process.wait_gone([(node.pid, node.config)], 5.0)


@dataclass
class Servers:
    """``pynsc server ...`` with ``--dir`` set to this test's directory."""

    home: Home
    dir: Path

    def run(self, *args: str) -> Result:
        return self.home.run("server", *args, "--dir", str(self.dir))

    def ok(self, *args: str) -> Result:
        result = self.run(*args)
        assert result.exit_code == 0, (args, result.stdout, result.stderr)
        return result

    def state(self) -> ServerState:
        state = read_state(self.dir)
        assert state is not None, f"no {STATE_FILE} in {self.dir}"
        return state


@pytest.fixture
def servers(home: Home, tmp_path: Path) -> Iterator[Servers]:
    helper = Servers(home, tmp_path / "srv")
    yield helper
    state = read_state(helper.dir) if helper.dir.is_dir() else None
    home.run("server", "stop", "--dir", str(helper.dir))
    _kill_leftovers(state)


def _gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


def _get_json(url: str) -> Any:
    with urllib.request.urlopen(url, timeout=2) as response:
        return json.load(response)


# Clients ------------------------------------------------------------------------------------------


async def _lookups(url: str, creds: Path, account: str, expected: int) -> list[str]:
    """Every reply to ``$SYS.REQ.ACCOUNT.<account>.CLAIMS.LOOKUP`` (until ``expected`` came)."""
    client = await connect_url(url, creds)
    replies: list[str] = []
    enough = asyncio.Event()

    async def collect(msg: Msg) -> None:
        replies.append(msg.data.decode())
        if len(replies) >= expected:
            enough.set()

    try:
        inbox = client.new_inbox()
        await client.subscribe(inbox, cb=collect)
        await client.publish(f"$SYS.REQ.ACCOUNT.{account}.CLAIMS.LOOKUP", b"", reply=inbox)
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(enough.wait(), 5)
        return replies
    finally:
        await client.close()


# Single node: run, status, pub/sub, run twice, stop, stop again -----------------------------------


def test_run_status_pubsub_stop(home: Home, servers: Servers) -> None:
    port = free_port()
    url = f"nats://127.0.0.1:{port}"
    result = servers.ok("run", "--background", "--port", str(port))
    assert result.stdout == url + "\n"
    assert "[ OK ] started nats-server O-n1 (pid " in result.stderr
    assert "[ OK ] pushed 3 accounts to 1 nats-server: A, J, SYS" in result.stderr
    state = servers.state()
    (node,) = state.nodes
    assert (node.url, state.operator, state.binary.is_file()) == (url, "O", True)
    assert process.is_ours(node.pid, node.config)

    status = servers.ok("status")
    assert "running" in status.stdout
    assert url in status.stdout
    assert "O-n1" in status.stdout
    data = json.loads(servers.ok("status", "--json").stdout)["data"]
    assert data["running"] is True
    (shown,) = data["nodes"]
    assert (shown["pid"], shown["url"], shown["monitor_url"]) == (
        node.pid, url, node.monitor_url,
    )  # fmt: skip
    assert shown["server_name"] == "O-n1"
    assert shown["version"]

    assert asyncio.run(echo(url, home.creds("A", "u"), "hello.pynsc", b"hi")) == b"hi"

    again = servers.run("run", "--background", "--port", str(free_port()))
    assert "already runs" in assert_one_error(again)
    assert "pynsc server stop" in again.stderr
    assert servers.state().pids == [node.pid]

    stopped = servers.ok("stop")
    assert f"[ OK ] stopped nats-server O-n1 (pid {node.pid})" in stopped.stderr
    assert _gone(node.pid)
    assert not (servers.dir / STATE_FILE).exists()

    assert servers.run("status").exit_code == 3
    second = servers.ok("stop")
    assert "no local nats-server to stop" in second.stderr
    assert second.stdout == ""


def test_default_dir_is_in_the_operator_directory(home: Home) -> None:
    port = free_port()
    expected = home.path / "O" / ".server"
    try:
        result = home.ok("server", "run", "--background", "--port", str(port), "--json")
        data = json.loads(result.stdout)["data"]
        assert data["dir"] == str(expected)
        assert data["urls"] == [f"nats://127.0.0.1:{port}"]
        recorded = read_state(expected)
        assert recorded is not None
        assert data["pids"] == recorded.pids
        assert sorted(data["pushed"]) == ["A", "J", "SYS"]
        status = json.loads(home.ok("server", "status", "--json").stdout)["data"]
        assert status["running"] is True
    finally:
        state = read_state(expected)
        home.run("server", "stop")
        _kill_leftovers(state)
    assert state is not None
    assert all(_gone(pid) for pid in state.pids)


# Cluster ------------------------------------------------------------------------------------------


def test_cluster_of_three(home: Home, servers: Servers) -> None:
    port = free_port()
    while any(process.port_in_use("127.0.0.1", p) for p in (port + 1, port + 2)):
        port = free_port()
    result = servers.ok("run", "--background", "--cluster", "3", "--port", str(port))
    urls = [f"nats://127.0.0.1:{port + i}" for i in range(3)]
    assert result.stdout == ",".join(urls) + "\n"
    assert "pushed 3 accounts to 3 nats-servers" in result.stderr
    state = servers.state()
    assert state.urls == urls
    assert state.cluster == "O"

    for node in state.nodes:
        assert asyncio.run(echo(node.url, home.creds("A", "u"), "hello.pynsc", b"hi")) == b"hi"
        varz = _get_json(f"{node.monitor_url}/varz")
        assert varz["server_name"] == node.server_name
        assert varz["cluster"]["name"] == "O"

    account = home.public_key("A")
    token = home.account_jwt("A")
    replies = asyncio.run(_lookups(urls[0], home.creds("SYS", "sys"), account, expected=3))
    assert replies == [token] * 3
    for node in state.nodes:  # and each node stored it
        assert (node.jwt_dir / f"{account}.jwt").read_text().strip() == token

    status = json.loads(servers.ok("status", "--json").stdout)["data"]
    assert [n["running"] for n in status["nodes"]] == [True, True, True]

    stopped = servers.ok("stop")
    assert stopped.stderr.count("[ OK ] stopped nats-server") == 3
    assert all(_gone(pid) for pid in state.pids)


# JetStream ----------------------------------------------------------------------------------------


async def _stream_round_trip(url: str, creds: Path) -> bytes:
    client = await connect_url(url, creds)
    try:
        js = client.jetstream()
        await js.add_stream(name="ORDERS", subjects=["orders.>"])
        await js.publish("orders.1", b"one")
        msg = await js.get_msg("ORDERS", 1)
        return msg.data or b""
    finally:
        await client.close()


def test_jetstream(home: Home, servers: Servers) -> None:
    result = servers.ok("run", "--background", "--jetstream", "--port", str(free_port()))
    assert "JetStream" not in result.stderr  # J has JetStream limits: no warning
    (node,) = servers.state().nodes
    assert asyncio.run(_stream_round_trip(node.url, home.creds("J", "j"))) == b"one"
    varz = _get_json(f"{node.monitor_url}/varz")
    assert varz["jetstream"]["config"]["store_dir"] == str(node.jetstream_dir)
    assert _get_json(f"{node.monitor_url}/jsz")["config"]["store_dir"] == str(node.jetstream_dir)
    assert node.jetstream_dir.is_dir()
    assert servers.state().jetstream is True


# Foreground ---------------------------------------------------------------------------------------


def _pynsc_process(home: Home, *args: str) -> subprocess.Popen[bytes]:
    executable = Path(sys.executable).parent / "pynsc"
    return subprocess.Popen(
        [str(executable), "-H", str(home.path), *args],
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip


def _first_line(proc: subprocess.Popen[bytes], timeout: float = DEADLINE) -> str:
    """The first stdout line of ``proc``, waiting at most ``timeout`` seconds."""
    assert proc.stdout is not None
    buffer = b""
    deadline = time.monotonic() + timeout
    with selectors.DefaultSelector() as selector:
        selector.register(proc.stdout, selectors.EVENT_READ)
        while b"\n" not in buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not selector.select(remaining):
                raise AssertionError(f"no URL within {timeout:g}s")
            chunk = os.read(proc.stdout.fileno(), 4096)
            if not chunk:
                _, err = proc.communicate(timeout=5)
                raise AssertionError(f"pynsc exited {proc.returncode}: {err.decode()}")
            buffer += chunk
    return buffer.decode().splitlines()[0]


@pytest.fixture
def foreground(servers: Servers) -> Iterator[list[subprocess.Popen[bytes]]]:
    """Foreground ``pynsc server run`` processes of a test; killed (and their servers stopped
    by the ``servers`` fixture) if the test leaves them running."""
    started: list[subprocess.Popen[bytes]] = []
    yield started
    for proc in started:
        if proc.poll() is None:
            proc.kill()
        proc.communicate(timeout=10)


def test_foreground_run_stops_on_sigint(
    home: Home, servers: Servers, foreground: list[subprocess.Popen[bytes]]
) -> None:
    port = free_port()
    proc = _pynsc_process(home, "server", "run", "--port", str(port), "--dir", str(servers.dir))
    foreground.append(proc)
    assert _first_line(proc) == f"nats://127.0.0.1:{port}"
    (node,) = servers.state().nodes
    assert process.is_ours(node.pid, node.config)

    proc.send_signal(signal.SIGINT)
    _out, err = proc.communicate(timeout=DEADLINE)
    assert proc.returncode == 0, err.decode()
    assert "Traceback" not in err.decode()
    assert f"[ OK ] stopped nats-server O-n1 (pid {node.pid})" in err.decode()
    assert _gone(node.pid)
    assert not (servers.dir / STATE_FILE).exists()


def test_foreground_run_fails_when_its_server_dies(
    home: Home, servers: Servers, foreground: list[subprocess.Popen[bytes]]
) -> None:
    proc = _pynsc_process(home, "server", "run", "--port", str(free_port()),
                          "--dir", str(servers.dir))  # fmt: skip
    foreground.append(proc)
    _first_line(proc)
    (node,) = servers.state().nodes
    assert process.signal_ours(node.pid, node.config, signal.SIGKILL)

    _, err = proc.communicate(timeout=DEADLINE)
    assert proc.returncode == 1, err.decode()
    assert f"Error: nats-server n1 (pid {node.pid}) exited (exit code -9)" in err.decode()
    assert "Traceback" not in err.decode()
    assert not (servers.dir / STATE_FILE).exists()


def test_foreground_run_ends_when_stopped_elsewhere(
    home: Home, servers: Servers, foreground: list[subprocess.Popen[bytes]]
) -> None:
    proc = _pynsc_process(home, "server", "run", "--port", str(free_port()),
                          "--dir", str(servers.dir))  # fmt: skip
    foreground.append(proc)
    _first_line(proc)
    (node,) = servers.state().nodes

    assert f"stopped nats-server O-n1 (pid {node.pid})" in servers.ok("stop").stderr
    _, err = proc.communicate(timeout=DEADLINE)
    assert proc.returncode == 0, err.decode()
    assert f"nats-server O-n1 (pid {node.pid}) was shut down" in err.decode()


# Failures and stale state -------------------------------------------------------------------------


def test_missing_binary_is_one_line(servers: Servers) -> None:
    result = servers.run("run", "--nats-server", "/nonexistent")
    assert "/nonexistent" in assert_one_error(result)
    assert len(result.stderr.splitlines()) == 1
    assert not (servers.dir / STATE_FILE).exists()


def test_taken_client_port_is_one_line(servers: Servers) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = servers.run("run", "--background", "--port", str(port))
    assert f"127.0.0.1:{port}: address already in use" in assert_one_error(result)
    assert not (servers.dir / STATE_FILE).exists()


def test_taken_monitor_port_is_picked_again(
    servers: Servers, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A monitor port picked as free but taken before nats-server binds it: start again."""
    real = process.free_ports
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        busy = taken.getsockname()[1]
        calls: list[int] = []

        def first_busy(host: str, count: int, *, avoid: Any = ()) -> list[int]:
            calls.append(count)
            return [busy] if len(calls) == 1 else real(host, count, avoid=(*avoid, busy))

        monkeypatch.setattr(process, "free_ports", first_busy)
        servers.ok("run", "--background", "--port", str(free_port()))
    assert len(calls) == 2
    (node,) = servers.state().nodes
    assert node.http_port != busy
    assert process.healthy(node.monitor_url)


def test_dead_server_is_stale_state(servers: Servers) -> None:
    servers.ok("run", "--background", "--port", str(free_port()))
    (node,) = servers.state().nodes
    assert process.signal_ours(node.pid, node.config, signal.SIGKILL)
    assert process.wait_gone([(node.pid, node.config)], DEADLINE) == []

    status = servers.run("status")
    assert status.exit_code == 3
    assert "stopped" in status.stdout
    assert "not every node is running" in status.stderr

    rerun = servers.ok("run", "--background", "--port", str(free_port()))
    assert rerun.stdout.startswith("nats://")
    assert servers.state().pids != [node.pid]


def test_stop_never_signals_a_reused_pid(servers: Servers, tmp_path: Path) -> None:
    """A pid in the state file that is now another process is left alone."""
    other = subprocess.Popen([sys.executable, "-c", "import sys; sys.stdin.read()"],
                             stdin=subprocess.PIPE)  # fmt: skip
    try:
        node = NodeState(name="n1", server_name="O-n1", dir=servers.dir / "n1", port=1,
                         http_port=2, pid=other.pid)  # fmt: skip
        write_state(ServerState(operator="O", dir=servers.dir, binary=Path("/bin/true"),
                                nodes=(node,)))  # fmt: skip
        result = servers.ok("stop")
        assert f"(pid {other.pid}) was not running" in result.stderr
        assert other.poll() is None
        assert not (servers.dir / STATE_FILE).exists()
    finally:
        other.communicate(b"", timeout=10)
