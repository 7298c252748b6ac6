"""``pynsc delete export``: remove an export of an account, selected by its subject.

Parses flags, confirms with ``-i`` and renders; the rules are
:func:`pynsc.actions.exports.delete_export`'s.
"""

from __future__ import annotations

import click

from pynsc.actions import exports
from pynsc.cli.app import App, pass_app
from pynsc.cli.base import command
from pynsc.cli.options import account_option, json_option
from pynsc.cli.prompts import confirm


@command("export", short_help="Delete an export of an account.")
@click.option("-s", "--subject", "subject", metavar="SUBJECT", default=None,
              help="Subject of the export to delete (default: the account's only export).")
@click.option("-r", "--service/--no-service", "service", default=None,
              help="Only when a stream and a service share the subject: delete the service "
                   "(--service=false: the stream).")
@account_option
@json_option
@pass_app
def delete_export(
    app: App, *, subject: str | None, service: bool | None, account: str | None, as_json: bool
) -> None:
    """Delete an export of the current (or -a) account.

    The account JWT is re-signed without it; accounts that import it lose access once the new
    JWT reaches the servers.
    """
    if app.interactive and not confirm("deleting an export cannot be undone - continue"):
        raise click.Abort()
    result = exports.delete_export(app.nsc, subject, account=account, service=service)
    app.output.report(result.report, as_json=as_json)
