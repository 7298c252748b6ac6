"""``pynsc tool pub``: publish a message as a user of an account.

::

    $ pynsc tool pub -a B -u alice orders.new hello
    Published [orders.new] : "hello"                  (stderr)
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
    "pub", long_running=True, short_help="Publish to a subject as a user of an account."
)
@click.argument("subject")
@click.argument("payload", required=False, default="")
@connection_options
@json_option
@pass_app
def pub_command(
    app: App,
    *,
    subject: str,
    payload: str,
    connect: ConnectAs,
    as_json: bool,
) -> None:
    """Publish PAYLOAD (default: empty) to SUBJECT as a user (-u, default: the account's only
    user) of the current (or -a) account, connecting with the user's creds file.

    It returns once the server has processed the message: a subject the user may not publish
    to is an error.
    """
    from pynsc.actions.tool import publish
    from pynsc.claims.subjects import go_quote
    from pynsc.store.report import Report

    published = publish(app.nsc, subject, payload_bytes(payload), connect=connect)
    line = f"Published [{subject}] : {go_quote(payload_bytes(payload))}"
    if not as_json:
        app.output.status(line)
        return
    report = Report(data={**published.to_dict(), "payload": payload})
    report.ok(line)
    app.output.report(report, as_json=True)
