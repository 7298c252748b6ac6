"""``pynsc edit user``: change a user's permissions, limits, tags or validity, and re-sign it.

Parses flags and renders; the rules are :func:`pynsc.actions.users.edit_user`'s.
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
from pynsc.cli.user_limits import UserLimitFlags, user_limit_options


@command("user", short_help="Edit a user.")
@name_option("user")
@click.option("--tag", "tags", metavar="TAG[,...]", multiple=True,
              help="Add tags (comma list or repeated).")
@click.option("--rm-tag", "rm_tags", metavar="TAG[,...]", multiple=True,
              help="Remove tags (comma list or repeated).")
@time_options
@account_option
@user_limit_options
@json_option
@pass_app
def edit_user(
    app: App,
    *,
    name: str | None,
    tags: tuple[str, ...],
    rm_tags: tuple[str, ...],
    times: TimeFlags,
    account: str | None,
    user_limits: UserLimitFlags,
    as_json: bool,
) -> None:
    """Edit a user of the current (or -a) account (its only user when no name is given).

    Fields not named by a flag keep their values. The user is re-signed, by its current
    issuer when that key is stored (-K KEY alone re-signs it with that account key), and its
    creds file rewritten when its seed is stored.
    """
    now = int(time.time())
    changes = dataclasses.replace(
        user_limits, tags=split_list(tags), rm_tags=split_list(rm_tags),
        start=times.start_at(now), expiry=times.expiry_at(now),
    )  # fmt: skip
    if changes.is_empty() and not app.private_key:
        raise click.UsageError("specify an edit option")
    result = users.edit_user(app.nsc, name, account=account, changes=changes, now=now)
    app.output.report(result.report, as_json=as_json)
