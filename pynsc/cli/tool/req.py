"""``pynsc tool req``: send a request as a user of an account and print the reply.

::

    $ pynsc tool req -a B -u alice help hi
    published request: [help] : 'hi'                  (stderr)
    received reply: [_INBOX.Xk3…] : 'hi there'
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from pynsc.cli.app import App, pass_app
from pynsc.cli.base import command
from pynsc.cli.options import json_option
from pynsc.cli.tool._common import connection_options, payload_bytes

if TYPE_CHECKING:
    from pynsc.actions.tool import ConnectAs


@command(
    "req", long_running=True, short_help="Send a request to a subject as a user of an account."
)
@click.argument("subject")
@click.argument("payload", required=False, default="")
@click.option(
    "--timeout",
    "timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=5.0,
    show_default=True,
    metavar="SECONDS",
    help="How long to wait for the reply.",
)
@connection_options
@json_option
@pass_app
def req_command(
    app: App,
    *,
    subject: str,
    payload: str,
    timeout: float,
    connect: ConnectAs,
    as_json: bool,
) -> None:
    """Send PAYLOAD (default: empty) as a request to SUBJECT as a user (-u, default: the
    account's only user) of the current (or -a) account, and print the reply.

    No responder, and no reply within --timeout seconds, are errors.
    """
    from pynsc.actions.tool import request
    from pynsc.store.report import Report

    reply = request(app.nsc, subject, payload_bytes(payload), timeout=timeout, connect=connect)
    sent = f"published request: [{subject}] : '{payload}'"
    received = f"received reply: [{reply.message.subject}] : '{reply.message.text}'"
    if not as_json:
        app.output.status(sent)
        app.output.data(received)
        return
    report = Report(data={**reply.to_dict(), "payload": payload})
    report.ok(sent)
    report.ok(received)
    app.output.report(report, as_json=True)
