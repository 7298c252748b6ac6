"""``pynsc add user``: create a user of an account, its key and its creds file.

Parses flags and renders; the rules are :func:`pynsc.actions.users.add_user`'s.
"""

from __future__ import annotations

import dataclasses
import time

import click

from pynsc.actions import users
from pynsc.cli.app import App, pass_app
from pynsc.cli.base import command
from pynsc.cli.options import account_option, json_option, name_option, time_options
from pynsc.cli.params import TimeFlags, split_list
from pynsc.cli.user_limits import UserLimitFlags, user_limit_set_options


@command("user", short_help="Add a user to an account.")
@name_option("user")
@click.option(
    "-k", "--public-key", "public_key", metavar="KEY|FILE",
    help="Use this user key (public key, seed, or a file holding one) instead of generating "
         "one; it is not stored, so no creds file is written unless its seed already is.",
)
@click.option("--tag", "tags", metavar="TAG[,...]", multiple=True,
              help="Tags for the user (comma list or repeated).")
@time_options
@account_option
@user_limit_set_options
@json_option
@pass_app
def add_user(
    app: App,
    *,
    name: str | None,
    public_key: str | None,
    tags: tuple[str, ...],
    times: TimeFlags,
    account: str | None,
    user_limits: UserLimitFlags,
    as_json: bool,
) -> None:
    """Add a user to the current (or -a) account, signed by the account or a signing key.

    A generated key is stored and a creds file written. '*' as the name picks a random one.
    -K selects the signer: a signing key (public key, seed, file) or the role of a scoped key;
    a user signed by a scoped key gets its permissions from the scope and may set none.
    """
    now = int(time.time())
    changes = dataclasses.replace(
        user_limits, bearer=user_limits.bearer or None, tags=split_list(tags),
        start=times.start_at(now), expiry=times.expiry_at(now),
    )  # fmt: skip
    result = users.add_user(
        app.nsc, name or "", account=account, key=public_key, changes=changes, now=now
    )
    app.output.report(result.report, as_json=as_json)
