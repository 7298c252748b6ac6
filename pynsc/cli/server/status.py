"""``pynsc server status``: the local nats-server(s) of the operator, node by node.

Exit code 0 when every node runs, 3 when none was started or one is not running (as LSB
``status`` does), so scripts can test it; the table (or ``--json``) is printed either way.
Parses flags and renders; the rules are :func:`pynsc.actions.server.server_status`'s.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from pynsc.cli.app import App, pass_app
from pynsc.cli.base import command
from pynsc.cli.options import json_option
from pynsc.cli.server._shared import dir_option

if TYPE_CHECKING:
    from pynsc.cli.table import Table
    from pynsc.localserver import ServerStatus

EXIT_NOT_RUNNING = 3


@command("status", short_help="Show the local nats-server(s) of the operator.")
@dir_option
@json_option
@pass_app
@click.pass_context
def server_status(ctx: click.Context, app: App, *, directory: str | None, as_json: bool) -> None:
    """Show each node started by 'pynsc server run': running or not, pid, URL, monitor URL,
    and, when it runs, its server name and version.

    Exits 0 when every node runs, 3 otherwise (nothing started, or a node is gone).
    """
    from pynsc.actions.server import server_status as status

    result = status(app.nsc, directory)
    if result.status is not None and not as_json:
        result.report.data = _table(result.status).render()
    app.output.report(result.report, as_json=as_json)
    if not result.running:
        ctx.exit(EXIT_NOT_RUNNING)


def _table(found: ServerStatus) -> Table:
    from pynsc.claims.subjects import go_quote
    from pynsc.cli.table import Table

    state = found.state
    kind = f"cluster {go_quote(state.cluster)}" if state.cluster else "nats-server"
    js = ", JetStream" if state.jetstream else ""
    table = Table(
        title=f"Local {kind} of operator {go_quote(state.operator)}{js}",
        headers=("Node", "State", "PID", "URL", "Monitor", "Server Name", "Version"),
    )
    for node in found.nodes:
        table.add(
            node.node.name, "running" if node.running else "stopped", node.node.pid,
            node.node.url, node.node.monitor_url, node.server_name or node.node.server_name,
            node.version,
        )  # fmt: skip
    return table
