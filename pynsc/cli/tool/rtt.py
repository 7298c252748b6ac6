"""``pynsc tool rtt``: time a round trip to the server as a user of an account.

::

    $ pynsc tool rtt -a B
    round trip time to [nats://127.0.0.1:4222] = 162.966µs
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pynsc.cli.app import App, pass_app
from pynsc.cli.base import command
from pynsc.cli.options import json_option
from pynsc.cli.tool._common import connection_options

if TYPE_CHECKING:
    from pynsc.actions.tool import ConnectAs


@command(
    "rtt", long_running=True, short_help="Time a round trip to the server."
)
@connection_options
@json_option
@pass_app
def rtt_command(
    app: App,
    *,
    connect: ConnectAs,
    as_json: bool,
) -> None:
    """Connect as a user (-u, default: the account's only user) of the current (or -a)
    account and time one PING/PONG with the server."""
    from pynsc.actions.tool import round_trip
    from pynsc.store.report import Report
    from pynsc.text import go_duration

    result = round_trip(app.nsc, connect=connect)
    line = f"round trip time to [{result.server}] = {go_duration(result.nanoseconds)}"
    if not as_json:
        app.output.data(line)
        return
    report = Report(data={**result.to_dict(), "rtt": go_duration(result.nanoseconds)})
    report.ok(line)
    app.output.report(report, as_json=True)
