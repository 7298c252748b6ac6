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
from pynsc.cli.tool._common import connection, connection_options, payload_bytes

if TYPE_CHECKING:
    from pynsc.cli.tool._common import ConnectionFlags


@command("pub", short_help="Publish to a subject as a user of an account.")
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
    flags: ConnectionFlags,
    as_json: bool,
) -> None:
    """Publish PAYLOAD (default: empty) to SUBJECT as a user (-u, default: the account's only
    user) of the current (or -a) account, connecting with the user's creds file.

    It returns once the server has processed the message: a subject the user may not publish
    to is an error.
    """
    from pynsc.claims.subjects import go_quote
    from pynsc.push.tool import publish
    from pynsc.store.report import Report

    target = connection(app, flags)
    published = target.run(publish(target.endpoint, subject, payload_bytes(payload)))
    line = f"Published [{subject}] : {go_quote(payload_bytes(payload))}"
    if not as_json:
        app.output.status(line)
        return
    report = Report(data={**published.to_dict(), "payload": payload})
    report.ok(line)
    app.output.report(report, as_json=True)
