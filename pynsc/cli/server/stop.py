"""``pynsc server stop``: stop the local nats-server(s) ``pynsc server run`` started.

Only processes that are still the nats-servers started from that directory are signalled
(SIGTERM, then SIGKILL after a grace period). Nothing to stop is not an error: a status line,
exit 0.
"""

from __future__ import annotations

from pynsc.cli.app import App, pass_app
from pynsc.cli.base import command
from pynsc.cli.options import json_option
from pynsc.cli.server._shared import dir_option, server_dir, stop_entries


@command("stop", short_help="Stop the local nats-server(s) of the operator.")
@dir_option
@json_option
@pass_app
def server_stop(app: App, *, directory: str | None, as_json: bool) -> None:
    """Stop the nats-server(s) started by 'pynsc server run' (in the background or not) and
    forget them; their data (accounts, JetStream) stays for the next run.

    Exits 0 also when nothing was running.
    """
    from pynsc import localserver
    from pynsc.store.report import Report

    target = server_dir(app, directory)
    result = localserver.stop(target)
    report = Report()
    if result is None:
        report.ok(f"no local nats-server to stop in `{target}`")
        report.data = {"dir": str(target), "nodes": []} if as_json else None
    else:
        stop_entries(report, result)
        report.data = result.to_dict() if as_json else None
    app.output.report(report, as_json=as_json)
