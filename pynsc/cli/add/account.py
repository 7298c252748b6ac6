"""``pynsc add account NAME``: create an account signed by the operator, and make it current.

Parses flags, prompts and renders; the rules are :func:`pynsc.actions.accounts.add_account`'s.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

import click

from pynsc.actions import accounts
from pynsc.cli.app import App, pass_app
from pynsc.cli.base import command
from pynsc.cli.options import json_option, name_option, permission_set_options, time_options
from pynsc.cli.prompts import ask

if TYPE_CHECKING:
    from pynsc.cli.params import PermissionFlags, TimeFlags


@command("account", short_help="Add an account.")
@name_option("account")
@click.option(
    "-k", "--public-key", "public_key", metavar="KEY|FILE",
    help="Use this account key (public key, seed, or a file holding one) instead of a new one.",
)
@time_options
@permission_set_options
@json_option
@pass_app
def add_account(
    app: App,
    *,
    name: str | None,
    public_key: str | None,
    times: TimeFlags,
    perms: PermissionFlags,
    as_json: bool,
) -> None:
    """Add an account to the current operator, signed by an operator key, and make it the
    current account.

    The account key is generated and stored, unless --public-key gives one (a seed given so is
    stored too). The permission flags set the account's default permissions. NAME '*' picks a
    random name.
    """
    if not name and app.interactive:
        name = ask("account name", flag="-n NAME")
    now = int(time.time())
    result = accounts.add_account(
        app.nsc, name or "", key=public_key, permissions=perms,
        start=times.start_at(now), expiry=times.expiry_at(now),
        # an operator chosen for this run only (-O) is not saved
        save_current=not app.settings.get("context_operator"),
    )  # fmt: skip
    app.output.report(result.report, as_json=as_json)
