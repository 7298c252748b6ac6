"""A local nats-server (or cluster) for the current operator: what ``pynsc server run``,
``status`` and ``stop`` do, for development and tests.

The rules, all here and nowhere else (starting, checking and stopping processes is
:mod:`pynsc.localserver`'s):

* the servers' files and state live in the directory given, else in the operator's directory
  (``.server``); an in-memory :class:`~pynsc.actions.session.Nsc` has no operator directory, so
  it needs one given;
* what a start reports: each node started (its URL, websocket URL, monitor URL), the accounts
  pushed, each account not pushed with the reason (a warning), and, with JetStream on, a warning
  when no account has JetStream limits;
* a status warns when nothing was started from the directory, or when a node is not running
  (``running`` is then false);
* a stop reports each node stopped or killed, a node that was not running as a warning, and
  nothing to stop as OK.

Example::

    nsc = Nsc.open()
    run = run_server(nsc, nodes=3, jetstream=True)
    print(run.url)
    ...
    stop_server(nsc)
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from pynsc.actions.session import Nsc
from pynsc.claims.subjects import go_quote
from pynsc.errors import UsageError
from pynsc.localserver import (
    DEFAULT_PORT,
    DEFAULT_TIMEOUT,
    ServerSpec,
    ServerStatus,
    Started,
    StopResult,
    default_dir,
    start,
    status,
    stop,
)
from pynsc.store.report import Report
from pynsc.store.serverconfig import WebsocketConfig

__all__ = [
    "ServerRun",
    "ServerStatusResult",
    "ServerStopResult",
    "run_server",
    "server_directory",
    "server_status",
    "stop_server",
]

PathLike = str | os.PathLike[str]


def server_directory(nsc: Nsc, directory: PathLike | None = None) -> Path:
    """Where the servers' files and state live: ``directory`` (absolute, ``~`` expanded), else
    ``.server`` in the current operator's directory."""
    if directory:
        return Path(os.path.expanduser(directory)).absolute()
    if nsc.in_memory:
        raise UsageError(
            "an in-memory Nsc has no operator directory for the servers' files",
            hint="give the directory to keep them in",
        )
    return default_dir(nsc.store())


# Run -----------------------------------------------------------------------------------------


@dataclass(slots=True)
class ServerRun:
    """What :func:`run_server` started: the report (its data is ``started.to_dict()``) and the
    servers, left running."""

    report: Report
    started: Started

    @property
    def url(self) -> str:
        """The client URL of every node, comma separated."""
        return self.started.state.url

    @property
    def directory(self) -> Path:
        return self.started.state.dir


def run_server(
    nsc: Nsc,
    *,
    port: int = DEFAULT_PORT,
    nodes: int = 1,
    jetstream: bool = False,
    timeout: float = DEFAULT_TIMEOUT,
    websocket: WebsocketConfig | None = None,
    directory: PathLike | None = None,
    binary: str | None = None,
) -> ServerRun:
    """Start ``nodes`` nats-servers on 127.0.0.1 (client ports ``port``, ``port + 1`` …) trusting
    the current operator, with a full nats resolver, and push every account they would take.

    They keep running after this returns: :func:`stop_server` stops them. ``binary`` is the
    nats-server to run (default: :func:`pynsc.localserver.find_binary`'s). Raises
    :class:`~pynsc.errors.ServerError` when servers already run from the directory, a port is
    taken or a node does not start (nothing is left running then).
    """
    spec = ServerSpec(
        port=port, nodes=nodes, jetstream=jetstream, timeout=timeout, websocket=websocket
    )
    where = server_directory(nsc, directory)
    started = start(nsc.store(), nsc.keystore, spec, directory=where, binary=binary)
    return ServerRun(_started_report(started), started)


def _started_report(started: Started) -> Report:
    state = started.state
    report = Report(data=started.to_dict())
    for node in state.nodes:
        websocket = f", websocket {node.websocket_url}" if node.websocket_url else ""
        report.ok(f"started nats-server {node.server_name} (pid {node.pid}): {node.url}"
                  f"{websocket}, monitor {node.monitor_url}")  # fmt: skip
    pushed = [] if started.pushed is None else [a.name for a in started.pushed.accounts if a.ok]
    if pushed:
        servers = len(started.pushed.servers) if started.pushed is not None else 0
        report.ok(f"pushed {_count(len(pushed), 'account')} to "
                  f"{_count(servers, 'nats-server')}: {', '.join(pushed)}")  # fmt: skip
    for name, why in started.not_pushed.items():
        report.warn(f"account {go_quote(name)} not pushed: {why}")
    if state.jetstream and not started.jetstream_accounts:
        report.warn("JetStream is on, but no account has JetStream limits: enable them with "
                    "'pynsc edit account NAME --js-enable 0', then 'pynsc push -a NAME -u "
                    f"{state.url}'")  # fmt: skip
    return report


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


# Status --------------------------------------------------------------------------------------


@dataclass(slots=True)
class ServerStatusResult:
    """What :func:`server_status` found in ``directory``: ``status`` is ``None`` when nothing
    was started from there. The report's data is ``status.to_dict()`` (or ``{"dir",
    "running": false, "nodes": []}``)."""

    report: Report
    directory: Path
    status: ServerStatus | None

    @property
    def running(self) -> bool:
        """Servers were started from the directory and every node runs."""
        return self.status is not None and self.status.running


def server_status(nsc: Nsc, directory: PathLike | None = None) -> ServerStatusResult:
    """Each node started from ``directory`` (default: the operator's): running or not, and what
    it says of itself."""
    where = server_directory(nsc, directory)
    found = status(where)
    report = Report()
    if found is None:
        report.warn(f"no local nats-server was started from `{where}`")
        report.data = {"dir": str(where), "running": False, "nodes": []}
    else:
        if not found.running:
            report.warn("not every node is running: 'pynsc server stop' cleans up, "
                        "'pynsc server run' starts again")  # fmt: skip
        report.data = found.to_dict()
    return ServerStatusResult(report, where, found)


# Stop ----------------------------------------------------------------------------------------


@dataclass(slots=True)
class ServerStopResult:
    """What :func:`stop_server` did: ``result`` is ``None`` when nothing was started from
    ``directory``. The report's data is ``result.to_dict()`` (or ``{"dir", "nodes": []}``)."""

    report: Report
    directory: Path
    result: StopResult | None


def stop_server(nsc: Nsc, directory: PathLike | None = None) -> ServerStopResult:
    """Stop the nats-servers started from ``directory`` (default: the operator's) and forget
    them; their data stays for the next run. Nothing to stop is not an error."""
    where = server_directory(nsc, directory)
    result = stop(where)
    report = Report()
    if result is None:
        report.ok(f"no local nats-server to stop in `{where}`")
        report.data = {"dir": str(where), "nodes": []}
        return ServerStopResult(report, where, None)
    for stopped in result.nodes:
        node = stopped.node
        if stopped.outcome == "not running":
            report.warn(f"nats-server {node.server_name} (pid {node.pid}) was not running")
        else:
            report.ok(f"{stopped.outcome} nats-server {node.server_name} (pid {node.pid})")
    report.data = result.to_dict()
    return ServerStopResult(report, where, result)
