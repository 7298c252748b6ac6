"""``pynsc rename account OLD NEW --OK``: re-issue an account under a new name, same key.

Parses flags, warns and renders; the rules are :func:`pynsc.actions.accounts.rename_account`'s.
"""

from __future__ import annotations

import click

from pynsc.actions import accounts
from pynsc.cli.app import App, pass_app
from pynsc.cli.base import command
from pynsc.cli.options import json_option
from pynsc.text import display_path

_WARNING = """\
This command makes destructive changes to files and keys. The account
rename operation requires that the JWT be reissued with a new name,
reusing its previous ID. This command will move the account, and moves
users and associated credential files under the new account name.
Please backup the following directories:

  {stores}
  {keys}

Run this command with the '--OK' flag, to bypass the warning."""


@command("account", short_help="Rename an account (re-issues its JWT).")
@click.argument("old", metavar="OLD")
@click.argument("new", metavar="NEW")
@click.option("--OK", "confirmed", is_flag=True, default=False,
              help="Confirm that the store and keystore are backed up.")
@json_option
@pass_app
def rename_account(app: App, *, old: str, new: str, confirmed: bool, as_json: bool) -> None:
    """Rename account OLD to NEW: its JWT is re-signed with the new name and the same key, and
    its users and creds move under the new name."""
    if not confirmed:
        app.output.status(_WARNING.format(
            stores=display_path(app.context.store_root), keys=display_path(app.keystore.root)
        ))  # fmt: skip
        raise click.UsageError('required flag "OK" not set')
    result = accounts.rename_account(app.nsc, old, new)
    app.output.report(result.report, as_json=as_json)
