"""``pynsc server stop``: stop the local nats-server(s) ``pynsc server run`` started.

Only processes that are still the nats-servers started from that directory are signalled
(SIGTERM, then SIGKILL after a grace period). Nothing to stop is not an error: a status line,
exit 0. Parses flags and renders; the rules are :func:`pynsc.actions.server.stop_server`'s.
"""

from __future__ import annotations

from pynsc.cli.app import App, pass_app
from pynsc.cli.base import command
from pynsc.cli.options import json_option
from pynsc.cli.server._shared import dir_option


@command("stop", short_help="Stop the local nats-server(s) of the operator.")
@dir_option
@json_option
@pass_app
def server_stop(app: App, *, directory: str | None, as_json: bool) -> None:
    """Stop the nats-server(s) started by 'pynsc server run' (in the background or not) and
    forget them; their data (accounts, JetStream) stays for the next run.

    Exits 0 also when nothing was running.
    """
    from pynsc.actions.server import stop_server

    result = stop_server(app.nsc, directory)
    app.output.report(result.report, as_json=as_json)
