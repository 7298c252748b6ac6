"""Start, check, wait for and stop the local nats-server(s) of an operator."""

from __future__ import annotations

import functools
import json
import re
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pynsc._fs import atomic_write, ensure_private_dir, locked
from pynsc.claims.subjects import go_quote
from pynsc.errors import ServerError
from pynsc.localserver import process
from pynsc.localserver.binary import find_binary
from pynsc.localserver.state import (
    NodeState,
    ServerState,
    read_state,
    remove_state,
    write_state,
)
from pynsc.store.serverconfig import (
    ServerInventory,
    WebsocketConfig,
    nats_resolver_config,
    websocket_config,
)

if TYPE_CHECKING:
    from pynsc.keys import KeyStore
    from pynsc.push.operations import PushResult
    from pynsc.store import Store

__all__ = [
    "DEFAULT_PORT",
    "DEFAULT_TIMEOUT",
    "DIR_NAME",
    "LOOPBACK",
    "MAX_NODES",
    "RESOLVER_LIMIT",
    "NodeStatus",
    "NodeStop",
    "ServerSpec",
    "ServerStatus",
    "Started",
    "StopResult",
    "default_dir",
    "start",
    "status",
    "stop",
    "wait",
]

DEFAULT_PORT = 4222
DEFAULT_TIMEOUT = 15.0
STOP_GRACE = 10.0
KILL_WAIT = 5.0
MAX_NODES = 9
DIR_NAME = ".server"
LOOPBACK = "127.0.0.1"
RESOLVER_LIMIT = 1_000_000
"""How many account JWTs the full resolver keeps (nats-server's default is 1000)."""

_LOCK_FILE = ".lock"
_START_ATTEMPTS = 3
_SAFE_NAME = re.compile(r"[^A-Za-z0-9_-]+")
_PUSH_TIMEOUT = 2.0


def default_dir(store: Store) -> Path:
    """``<operator dir>/.server``: where ``pynsc server`` keeps an operator's servers."""
    return store.dir / DIR_NAME


def _now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True, slots=True)
class ServerSpec:
    """What to run: ``nodes`` servers (a cluster when more than one) on client ports ``port``,
    ``port + 1`` …, on the loopback interface; ``timeout`` bounds the wait for them.

    ``websocket`` adds a websocket listener to each node, on ``websocket.port``,
    ``websocket.port + 1`` …, on ``websocket.host`` (default: the loopback interface too).
    """

    port: int = DEFAULT_PORT
    nodes: int = 1
    jetstream: bool = False
    timeout: float = DEFAULT_TIMEOUT
    websocket: WebsocketConfig | None = None

    def __post_init__(self) -> None:
        if not 1 <= self.nodes <= MAX_NODES:
            raise ServerError(f"a cluster has 1 to {MAX_NODES} nodes, not {self.nodes}")
        if not 1 <= self.port <= 65536 - self.nodes:
            raise ServerError(f"port {self.port} is out of range")
        if self.timeout <= 0:
            raise ServerError(f"timeout {self.timeout:g} must be positive")
        if self.websocket is not None:
            if self.websocket.port > 65536 - self.nodes:
                raise ServerError(f"websocket port {self.websocket.port} is out of range")
            shared = sorted(set(self.ports) & set(self.websocket_ports))
            if shared:
                raise ServerError(
                    f"port {shared[0]} cannot be both a client and a websocket port",
                    hint="pick another websocket port with --websocket PORT",
                )

    @property
    def ports(self) -> list[int]:
        return [self.port + index for index in range(self.nodes)]

    @property
    def websocket_ports(self) -> list[int]:
        """The websocket port of each node (none without ``websocket``)."""
        if self.websocket is None:
            return []
        return [self.websocket.port + index for index in range(self.nodes)]

    def node_websocket(self, index: int) -> WebsocketConfig | None:
        """The websocket listener of node ``index`` (0-based): its own port, loopback unless
        told otherwise."""
        if self.websocket is None:
            return None
        return replace(
            self.websocket,
            port=self.websocket.port + index,
            host=self.websocket.host or LOOPBACK,
        )


# Results ------------------------------------------------------------------------------------------


@dataclass(slots=True)
class Started:
    """What :func:`start` did: the servers it started, what it pushed and what it skipped."""

    state: ServerState
    pushed: PushResult | None = None
    skipped: dict[str, str] = field(default_factory=dict)
    """Accounts not pushed (name → why): nats-server would not take them."""
    jetstream_accounts: list[str] = field(default_factory=list)
    """Accounts with JetStream limits (the others cannot use JetStream)."""

    @property
    def not_pushed(self) -> dict[str, str]:
        """Every account not pushed, or that no server took: name → why."""
        failed = {}
        if self.pushed is not None:
            failed = {
                a.name: a.error or "no nats-server took it"
                for a in self.pushed.accounts
                if not a.ok
            }
        return {**self.skipped, **failed}

    def to_dict(self) -> dict[str, Any]:
        state = self.state
        return {
            "operator": state.operator,
            "url": state.url,
            "urls": state.urls,
            "monitor_urls": state.monitor_urls,
            "pids": state.pids,
            "dir": str(state.dir),
            "binary": str(state.binary),
            "cluster": state.cluster,
            "jetstream": state.jetstream,
            "websocket_urls": state.websocket_urls,
            "nodes": [node.to_dict() for node in state.nodes],
            "pushed": [] if self.pushed is None else [a.name for a in self.pushed.accounts if a.ok],
            "not_pushed": self.not_pushed,
            "jetstream_accounts": self.jetstream_accounts,
        }


@dataclass(frozen=True, slots=True)
class NodeStatus:
    """One node as it is now; ``server_name``/``version``/``connections`` come from ``/varz``."""

    node: NodeState
    running: bool
    server_name: str = ""
    version: str = ""
    connections: int | None = None
    uptime: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.node.to_dict(),
            "running": self.running,
            "server_name": self.server_name or self.node.server_name,
            "version": self.version,
            "connections": self.connections,
            "uptime": self.uptime,
        }


@dataclass(frozen=True, slots=True)
class ServerStatus:
    state: ServerState
    nodes: tuple[NodeStatus, ...]

    @property
    def running(self) -> bool:
        """Every node runs."""
        return all(node.running for node in self.nodes)

    def to_dict(self) -> dict[str, Any]:
        return {
            "operator": self.state.operator,
            "dir": str(self.state.dir),
            "running": self.running,
            "url": self.state.url,
            "cluster": self.state.cluster,
            "jetstream": self.state.jetstream,
            "started": self.state.started,
            "nodes": [node.to_dict() for node in self.nodes],
        }


@dataclass(frozen=True, slots=True)
class NodeStop:
    """What :func:`stop` did to one node: ``stopped`` (on SIGTERM), ``killed`` (SIGKILL after
    the grace period) or ``not running`` (gone already, or its pid now belongs to another
    process, which is left alone)."""

    node: NodeState
    outcome: str

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.node.name, "pid": self.node.pid, "url": self.node.url,
                "outcome": self.outcome}  # fmt: skip


@dataclass(frozen=True, slots=True)
class StopResult:
    state: ServerState
    nodes: tuple[NodeStop, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"operator": self.state.operator, "dir": str(self.state.dir),
                "nodes": [node.to_dict() for node in self.nodes]}  # fmt: skip


# Configuration ------------------------------------------------------------------------------------


def _conf_string(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


def _node_config(
    node: NodeState,
    state: ServerState,
    inventory: ServerInventory,
    websocket: WebsocketConfig | None = None,
) -> str:
    lines = [
        f"# nats-server {node.server_name} of operator {go_quote(state.operator)}, written by",
        "# 'pynsc server run' (it rewrites this file on every start).",
        f"server_name: {_conf_string(node.server_name)}",
        f"listen: {_conf_string(f'{node.host}:{node.port}')}",
        f"http: {_conf_string(f'{node.host}:{node.http_port}')}",
        "",
        nats_resolver_config(
            inventory, jwt_dir=node.jwt_dir, allow_delete=True, limit=RESOLVER_LIMIT
        ).rstrip("\n"),
    ]
    if state.jetstream:  # nats-server keeps its data in <store_dir>/jetstream
        lines += ["", "jetstream {", f"    store_dir: {_conf_string(str(node.dir))}",
                  "}"]  # fmt: skip
    if state.cluster:
        routes = [f"        {_conf_string(other.route_url)}" for other in state.nodes]
        lines += [
            "",
            "cluster {",
            f"    name: {_conf_string(state.cluster)}",
            f"    listen: {_conf_string(f'{node.host}:{node.cluster_port}')}",
            "    routes: [",
            *routes,
            "    ]",
            "}",
        ]
    if websocket is not None:
        lines += ["", websocket_config(websocket).rstrip("\n")]
    return "\n".join(lines) + "\n"


def _plan(spec: ServerSpec, directory: Path, operator: str, binary: Path) -> ServerState:
    """Names, ports and files of every node (monitor and cluster ports: free ones)."""
    safe = _SAFE_NAME.sub("_", operator).strip("_") or "operator"
    clustered = spec.nodes > 1
    extra = process.free_ports(LOOPBACK, spec.nodes * (2 if clustered else 1), avoid=spec.ports)
    nodes = []
    for index, port in enumerate(spec.ports):
        name = f"n{index + 1}"
        websocket = spec.node_websocket(index)
        nodes.append(NodeState(
            name=name, server_name=f"{safe}-{name}", dir=directory / name, port=port,
            http_port=extra[index], cluster_port=extra[spec.nodes + index] if clustered else 0,
            host=LOOPBACK, websocket_url=websocket.url if websocket else "",
        ))  # fmt: skip
    return ServerState(
        operator=operator, dir=directory, binary=binary, nodes=tuple(nodes),
        cluster=safe if clustered else "", jetstream=spec.jetstream, started=_now(),
    )  # fmt: skip


# Start --------------------------------------------------------------------------------------------


class _PortTaken(ServerError):
    def __init__(self, node: NodeState, port: int) -> None:
        hint = None
        if port == node.port:
            hint = "pick other client ports with --port N"
        elif node.websocket_url.endswith(f":{port}"):
            hint = "pick other websocket ports with --websocket PORT"
        super().__init__(
            f"nats-server {node.name} cannot listen on {node.host}:{port}: address already in use",
            hint=hint,
        )
        self.node = node
        self.port = port


def _refuse_running(directory: Path) -> None:
    state = read_state(directory)
    if state is None:
        return
    running = [node for node in state.nodes if process.is_ours(node.pid, node.config)]
    if running:
        pids = ", ".join(str(node.pid) for node in running)
        raise ServerError(
            f"a nats-server of operator {go_quote(state.operator)} already runs from "
            f"`{directory}` ({state.url}, pid {pids})",
            hint="stop it with 'pynsc server stop'",
        )
    remove_state(directory)  # left over by servers that are gone


def _check_ports(spec: ServerSpec) -> None:
    for port in spec.ports:
        problem = process.port_in_use(LOOPBACK, port)
        if problem is not None:
            which = "" if spec.nodes == 1 else f" (the cluster uses {spec.port}-{spec.ports[-1]})"
            raise ServerError(
                f"cannot listen on {LOOPBACK}:{port}: {problem}{which}",
                hint="pick other client ports with --port N",
            )
    for index in range(spec.nodes):
        websocket = spec.node_websocket(index)
        if websocket is None:
            break
        host = websocket.host or LOOPBACK
        problem = process.port_in_use(host, websocket.port)
        if problem is not None:
            raise ServerError(
                f"cannot listen for websockets on {host}:{websocket.port}: {problem}",
                hint="pick other websocket ports with --websocket PORT",
            )


def _fail(node: NodeState, message: str) -> ServerError:
    return ServerError(f"nats-server {node.name} {message}", hint=process.log_tail(node.log))


def _check_alive(node: NodeState) -> None:
    code = process.exit_status(node.pid)
    if code is None:
        return
    port = process.port_taken_in_log(node.log)
    if port is not None:
        raise _PortTaken(node, port)
    raise _fail(node, f"(pid {node.pid}) exited during start-up (exit code {code})")


def _poll(node: NodeState, deadline: float, ready: Callable[[NodeState], bool], what: str) -> None:
    """Poll ``ready(node)`` until it holds, failing when the node exits or at ``deadline``."""
    delay = 0.01
    while True:
        _check_alive(node)
        if ready(node):
            return
        if time.monotonic() >= deadline:
            raise _fail(node, f"(pid {node.pid}) {what}")
        process.wait_any_exit([node.pid], min(delay, max(deadline - time.monotonic(), 0.0)))
        delay = min(delay * 2, 0.1)


def _healthy(node: NodeState) -> bool:
    return process.healthy(node.monitor_url)


def _routed(node: NodeState, *, peers: int) -> bool:
    routez = process.get_json(f"{node.monitor_url}/routez")
    if routez is None:
        return False
    remotes = {r.get("remote_id") for r in routez.get("routes") or [] if isinstance(r, dict)}
    remotes.discard(None)
    return len(remotes) >= peers


def _wait_ready(state: ServerState, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    for node in state.nodes:
        _poll(node, deadline, _healthy,
              f"was not healthy within {timeout:g}s ({node.monitor_url}/healthz)")  # fmt: skip
    if len(state.nodes) < 2:
        return
    peers = len(state.nodes) - 1
    for node in state.nodes:
        _poll(node, deadline, functools.partial(_routed, peers=peers),
              f"did not route to its {peers} peers within {timeout:g}s "
              f"({node.monitor_url}/routez)")  # fmt: skip


def _launch(state: ServerState, inventory: ServerInventory, spec: ServerSpec) -> ServerState:
    """Write the configs, spawn every node, record them, wait until they are ready."""
    for index, node in enumerate(state.nodes):
        ensure_private_dir(node.dir)
        ensure_private_dir(node.jwt_dir)
        config = _node_config(node, state, inventory, spec.node_websocket(index))
        atomic_write(node.config, config)
    spawned: list[NodeState] = []
    try:
        for node in state.nodes:
            pid = process.spawn(state.binary, node.config, node.log)
            spawned.append(replace(node, pid=pid, started=_now()))
            current = replace(state, nodes=(*spawned, *state.nodes[len(spawned) :]))
            write_state(current)
        state = replace(state, nodes=tuple(spawned))
        _wait_ready(state, spec.timeout)
    except BaseException:
        _terminate(spawned)
        remove_state(state.dir)
        raise
    return state


def _jetstream_accounts(store: Store, system_account: str) -> list[str]:
    found = []
    for name, claims in store.accounts():
        if claims.sub != system_account and claims.nats.limits.is_jetstream_enabled():
            found.append(name)
    return found


def start(
    store: Store,
    keystore: KeyStore,
    spec: ServerSpec | None = None,
    *,
    directory: Path | None = None,
    binary: str | None = None,
    push: bool = True,
) -> Started:
    """Start ``spec.nodes`` nats-servers for the operator of ``store`` and push its accounts.

    Each node gets ``directory/n<i>/`` (default :func:`default_dir`) with its config (operator
    JWT, system account, a full nats resolver preloaded with the system account, monitor port,
    optional JetStream, cluster and websocket blocks), log, JWT and JetStream directories; the
    processes are recorded in ``directory/state.json``. Waits until every node's ``/healthz``
    answers and, for a cluster, every node routes to all others; then pushes every account
    nats-server would take (``push``). The servers keep running after this returns (see
    :func:`stop`).

    Raises :class:`~pynsc.errors.ServerError` when servers already run from ``directory``, a
    client (or websocket) port is taken, or a node fails to start (with its log tail as the
    hint); nothing is left running then.
    """
    spec = spec or ServerSpec()
    executable = find_binary(binary)
    inventory = ServerInventory.load(store)
    if inventory.system is None:
        raise ServerError(
            f"operator {go_quote(store.name)} has no system account: nats-server needs one",
            hint="add one with 'pynsc add account SYS' and 'pynsc edit operator "
            "--system-account SYS'",
        )
    directory = (directory or default_dir(store)).absolute()
    ensure_private_dir(directory)
    with locked(directory / _LOCK_FILE):
        _refuse_running(directory)
        _check_ports(spec)
        state = _start_nodes(spec, directory, store.name, executable, inventory)
    started = Started(state)
    try:
        if spec.jetstream:
            started.jetstream_accounts = _jetstream_accounts(store, inventory.system_account)
        if push:
            started.pushed, started.skipped = _push(store, keystore, state)
    except BaseException:
        stop(directory)
        raise
    return started


def _start_nodes(
    spec: ServerSpec, directory: Path, operator: str, binary: Path, inventory: ServerInventory
) -> ServerState:
    for attempt in range(1, _START_ATTEMPTS + 1):
        state = _plan(spec, directory, operator, binary)
        try:
            state = _launch(state, inventory, spec)
        except _PortTaken as e:
            # a monitor or cluster port picked as free was taken meanwhile: pick others
            fixed = e.port in spec.ports or e.port in spec.websocket_ports
            if fixed or attempt == _START_ATTEMPTS:
                raise
            continue
        write_state(state)
        return state
    raise AssertionError("unreachable")  # pragma: no cover


def _push(
    store: Store, keystore: KeyStore, state: ServerState
) -> tuple[PushResult | None, dict[str, str]]:
    from pynsc.push.operations import ServerOptions, push_accounts, pushable_accounts

    names, skipped = pushable_accounts(store)
    if not names:
        return None, skipped
    options = ServerOptions(url=state.url, timeout=_PUSH_TIMEOUT)
    return push_accounts(store, keystore, names, options=options, force=True), skipped


# Status, wait, stop -------------------------------------------------------------------------------


def _node_status(node: NodeState) -> NodeStatus:
    if not process.is_ours(node.pid, node.config):
        return NodeStatus(node, running=False)
    varz = process.get_json(f"{node.monitor_url}/varz") or {}
    connections = varz.get("connections")
    return NodeStatus(
        node, running=True, server_name=str(varz.get("server_name", "")),
        version=str(varz.get("version", "")),
        connections=connections if isinstance(connections, int) else None,
        uptime=str(varz.get("uptime", "")),
    )  # fmt: skip


def status(directory: Path) -> ServerStatus | None:
    """Each node recorded in ``directory``: running or not, and what its ``/varz`` says;
    ``None`` when nothing was started from there."""
    state = read_state(directory.absolute())
    if state is None:
        return None
    return ServerStatus(state, tuple(_node_status(node) for node in state.nodes))


def wait(state: ServerState) -> NodeState:
    """Block while every node runs; return the first one to exit cleanly (exit code 0: it was
    shut down, e.g. by ``pynsc server stop``), raise :class:`ServerError` naming one that
    failed (with its log tail).

    Meant for the process that started the nodes (it reaps them). Signals interrupt it as
    usual (KeyboardInterrupt on Ctrl-C).
    """
    pids = [node.pid for node in state.nodes]
    while True:
        for node in state.nodes:
            code = process.exit_status(node.pid)
            if code is None:
                if process.is_ours(node.pid, node.config):
                    continue
                code = process.reap(node.pid, KILL_WAIT)
            if code == 0:
                return node
            how = "" if code is None else f" (exit code {code})"
            raise _fail(node, f"(pid {node.pid}) exited{how}")
        process.wait_any_exit(pids, 1.0)


def _terminate(nodes: list[NodeState] | tuple[NodeState, ...]) -> tuple[NodeStop, ...]:
    """SIGTERM every node still ours, SIGKILL those left after the grace period."""
    outcomes: dict[str, str] = {}
    signalled = []
    for node in nodes:
        if process.signal_ours(node.pid, node.config, signal.SIGTERM):
            signalled.append(node)
            outcomes[node.name] = "stopped"
        else:
            outcomes[node.name] = "not running"
    left = set(process.wait_gone([(n.pid, n.config) for n in signalled], STOP_GRACE))
    killed = [node for node in signalled if node.pid in left]
    for node in killed:
        if process.signal_ours(node.pid, node.config, signal.SIGKILL):
            outcomes[node.name] = "killed"
    process.wait_gone([(n.pid, n.config) for n in killed], KILL_WAIT)
    stuck = [node.pid for node in killed if process.is_ours(node.pid, node.config)]
    if stuck:
        raise ServerError(f"nats-server pid {', '.join(map(str, stuck))} did not exit on SIGKILL")
    return tuple(NodeStop(node, outcomes[node.name]) for node in nodes)


def stop(directory: Path) -> StopResult | None:
    """Stop the nodes recorded in ``directory`` and forget them; ``None`` when there is none.

    Only a process that is still a nats-server started with that node's config is signalled:
    SIGTERM, then SIGKILL if it has not exited after a grace period. The state is removed once
    every node is gone.
    """
    directory = directory.absolute()
    if not directory.is_dir():
        return None
    with locked(directory / _LOCK_FILE):
        state = read_state(directory)
        if state is None:
            return None
        outcomes = _terminate(state.nodes)
        remove_state(directory)
    return StopResult(state, outcomes)
