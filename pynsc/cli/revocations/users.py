"""``pynsc revocations add-user|delete-user|list-users``: revoke users in the account JWT.

Parses flags and renders; the rules are :mod:`pynsc.actions.revocations`' (a user named with
``-n`` is found by its file name, the only user by reading at most two directory entries, and
``-u`` needs no user file at all).
"""

from __future__ import annotations

from typing import Any

import click

from pynsc.cli.app import App, pass_app
from pynsc.cli.base import command
from pynsc.cli.options import account_option, json_option
from pynsc.cli.revocations._common import at_option, render_revocations


def _user_options(f: Any) -> Any:
    f = click.option(
        "-u", "--user-public-key", "user_key", metavar="KEY|*", default=None,
        help="Public key of the user, or '*' for every user.",
    )(f)  # fmt: skip
    return click.option(
        "-n", "--name", "name", metavar="NAME", default=None, help="Name of a user of the account."
    )(f)


@command("add-user", short_help="Revoke a user.")
@_user_options
@at_option("Revoke the user's JWTs issued at or before this time")
@account_option
@json_option
@pass_app
def add_user(
    app: App,
    *,
    name: str | None,
    user_key: str | None,
    at: int | None,
    account: str | None,
    as_json: bool,
) -> None:
    """Revoke a user of the current (or -a) account: its JWTs issued at or before --at.

    The user is named with -n, given by public key with -u ('*' revokes every user), or is the
    account's only user. The account JWT is re-signed by the operator; push it to take effect.
    An existing later revocation time is kept.
    """
    from pynsc.actions import revocations

    result = revocations.revoke_user(
        app.nsc, account=account, name=name, public_key=user_key, at=at
    )
    app.output.report(result.report, as_json=as_json)


@command("delete-user", short_help="Remove a user revocation.")
@_user_options
@account_option
@json_option
@pass_app
def delete_user(
    app: App, *, name: str | None, user_key: str | None, account: str | None, as_json: bool
) -> None:
    """Remove the revocation of a user (-n NAME, -u KEY or '*', default: the only user) from
    the current (or -a) account. The account JWT is re-signed by the operator."""
    from pynsc.actions import revocations

    result = revocations.delete_user_revocation(
        app.nsc, account=account, name=name, public_key=user_key
    )
    app.output.report(result.report, as_json=as_json)


@command("list-users", short_help="List the users revoked in an account.")
@account_option
@json_option
@pass_app
def list_users(app: App, *, account: str | None, as_json: bool) -> None:
    """List the user revocations of the current (or -a) account: public key, the name of the
    local user with that key, and the time before which its JWTs are revoked (UTC).

    --json prints {"ok", "messages", "data"} with data {"account", "revocations": [{"public_key",
    "name", "at"}]}.
    """
    from pynsc.actions import revocations

    result = revocations.user_revocations(app.nsc, account)
    render_revocations(app, result, what="User", as_json=as_json)
