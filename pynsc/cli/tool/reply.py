"""``pynsc tool reply``: answer the requests sent to a subject, as a user of an account.

::

    $ pynsc tool reply -a B -u bob help --max-messages 1
    listening on [help] for 1 messages                (stderr)
    [#1] received on [help]: 'hi'
    answered 1 request                                (stderr)

Without a PAYLOAD each request is answered with its own payload. Ctrl-C ends it (exit code 0).
With ``--json`` every request is one line of JSON.
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
    payload_bytes,
    plural,
)

if TYPE_CHECKING:
    from pynsc.actions.tool import ConnectAs
    from pynsc.push.tool import Received


@command(
    "reply", long_running=True, short_help="Reply to requests on a subject as a user of an account."
)
@click.argument("subject")
@click.argument("payload", required=False, default=None)
@click.option(
    "-q",
    "--queue",
    "queue",
    metavar="NAME",
    default="",
    help="Join queue group NAME (each request goes to one member).",
)
@max_messages_option
@connection_options
@json_option
@pass_app
def reply_command(
    app: App,
    *,
    subject: str,
    payload: str | None,
    queue: str,
    max_messages: int | None,
    connect: ConnectAs,
    as_json: bool,
) -> None:
    """Answer every request sent to SUBJECT with PAYLOAD (default: the request's own
    payload), as a user (-u, default: the account's only user) of the current (or -a) account,
    until --max-messages requests have come or Ctrl-C.

    A subject the user may not subscribe to, or a reply it may not publish, is an error.
    """
    from pynsc.actions.tool import respond

    def ready(server: str) -> None:
        limit = f" for {max_messages} messages" if max_messages is not None else ""
        app.output.status(f"listening on [{subject}]{limit}")

    def show(received: Received) -> None:
        message = received.message
        if as_json:
            json_line(app, received.to_dict())
        elif not message.reply:
            app.output.status(f"[#{received.number}] ignoring request on [{message.subject}]: "
                              "no reply subject")  # fmt: skip
        else:
            app.output.data(f"[#{received.number}] received on [{message.subject}]: "
                            f"'{message.text}'")  # fmt: skip

    answer = None if payload is None else payload_bytes(payload)
    with json_lines(app, enabled=as_json):
        result = respond(
            app.nsc, subject, answer, queue=queue, max_messages=max_messages, on_ready=ready,
            on_message=show, connect=connect,
        )  # fmt: skip
    ignored = result.received - result.answered
    note = f" ({plural(ignored, 'message')} without a reply subject ignored)" if ignored else ""
    app.output.status(f"answered {plural(result.answered, 'request')}{note}")
