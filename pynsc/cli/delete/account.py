"""``pynsc delete account [NAME]``: delete an account, its users and (optionally) their keys.

Parses flags and renders; the rules are :func:`pynsc.actions.accounts.delete_account`'s.
"""

from __future__ import annotations

import click

from pynsc.actions import accounts
from pynsc.cli.app import App, pass_app
from pynsc.cli.base import command
from pynsc.cli.options import json_option, name_option


@command("account", short_help="Delete an account and its users.")
@name_option("account")
@click.option(
    "-R", "--revoke/--no-revoke", default=True, show_default=True,
    help="Revoke the users in the account JWT before deleting them (--revoke=false does not).",
)
@click.option(
    "-D", "--rm-nkey", is_flag=True, default=False,
    help="Also delete the seeds of the account, its signing keys and its users.",
)
@click.option("-C", "--rm-creds", is_flag=True, default=False, help="Also delete the users' creds.")
@click.option(
    "-F", "--force", is_flag=True, default=False,
    help="Required to delete an account of a managed operator.",
)
@json_option
@pass_app
def delete_account(
    app: App,
    *,
    name: str | None,
    revoke: bool,
    rm_nkey: bool,
    rm_creds: bool,
    force: bool,
    as_json: bool,
) -> None:
    """Delete an account, with its users, from the current operator.

    As nsc does, the account JWT is first re-signed to expire in a minute, with every user
    revoked (unless --no-revoke); that JWT is in the --json data, to push where needed.
    Deleting cannot be undone: with -D the seeds are gone too.
    """
    result = accounts.delete_account(
        app.nsc, name, revoke=revoke, rm_nkey=rm_nkey, rm_creds=rm_creds, force=force
    )
    app.output.report(result.report, as_json=as_json)
    result.report.raise_for_errors()
