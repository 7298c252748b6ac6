"""``pynsc tool sub``: print the messages published to a subject, as a user of an account.

::

    $ pynsc tool sub -a B -u bob orders.> --max-messages 1
    Listening on [orders.>] for 1 messages            (stderr)
    [#1] received on [orders.new]: 'hello'
    received 1 message                                (stderr)

Ctrl-C ends it (exit code 0). With ``--json`` every message is one line of JSON.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from pynsc.cli.app import App, pass_app
from pynsc.cli.base import command
from pynsc.cli.options import json_option
from pynsc.cli.tool._common import (
    connection_options,
    json_line,
    json_lines,
    max_messages_option,
    plural,
)

if TYPE_CHECKING:
    from pynsc.actions.tool import ConnectAs
    from pynsc.push.tool import Received


@command(
    "sub", long_running=True, short_help="Subscribe to a subject as a user of an account."
)
@click.argument("subject")
@click.option(
    "-q",
    "--queue",
    "queue",
    metavar="NAME",
    default="",
    help="Join queue group NAME (each message goes to one member).",
)
@max_messages_option
@connection_options
@json_option
@pass_app
def sub_command(
    app: App,
    *,
    subject: str,
    queue: str,
    max_messages: int | None,
    connect: ConnectAs,
    as_json: bool,
) -> None:
    """Subscribe to SUBJECT (wildcards allowed) as a user (-u, default: the account's only
    user) of the current (or -a) account and print each message, until --max-messages have
    come or Ctrl-C.

    A subject the user may not subscribe to is an error.
    """
    from pynsc.actions.tool import subscribe

    def ready(server: str) -> None:
        limit = f" for {max_messages} messages" if max_messages is not None else ""
        app.output.status(f"Listening on [{subject}]{limit}")

    def show(received: Received) -> None:
        if as_json:
            json_line(app, received.to_dict())
        else:
            message = received.message
            app.output.data(f"[#{received.number}] received on [{message.subject}]: "
                            f"'{message.text}'")  # fmt: skip

    with json_lines(app, enabled=as_json):
        result = subscribe(
            app.nsc, subject, queue=queue, max_messages=max_messages, on_ready=ready,
            on_message=show, connect=connect,
        )  # fmt: skip
    app.output.status(f"received {plural(result.received, 'message')}")
