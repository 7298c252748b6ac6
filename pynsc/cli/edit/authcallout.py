"""``pynsc edit authcallout [ACCOUNT]``: configure an account's external authorization (auth
callout): the users the callout service connects as, the accounts it may place users in, and
the curve key requests are encrypted for.

Parses flags and renders; the rules are :func:`pynsc.actions.authcallout.edit_authcallout`'s.
"""

from __future__ import annotations

import click

from pynsc.actions import authcallout
from pynsc.cli.app import App, pass_app
from pynsc.cli.base import command
from pynsc.cli.options import account_option, json_option
from pynsc.cli.params import split_list

_LIST = "comma list or repeated"


@command("authcallout", short_help="Edit an account's auth callout.")
@click.argument("account_argument", metavar="[ACCOUNT]", required=False, default=None)
@click.option(
    "--auth-user",
    "auth_users",
    metavar="KEY[,...]",
    multiple=True,
    help="Add users (public key, seed or file) that bypass the callout; the callout "
    f"service connects as one of them ({_LIST}).",
)
@click.option(
    "--rm-auth-user",
    "rm_auth_users",
    metavar="KEY[,...]",
    multiple=True,
    help=f"Remove auth users ({_LIST}).",
)
@click.option(
    "--allowed-account",
    "allowed_accounts",
    metavar="KEY|*[,...]",
    multiple=True,
    help="Add accounts (public key or local name) the callout may place users in, "
    f"or '*' for any ({_LIST}).",
)
@click.option(
    "--rm-allowed-account",
    "rm_allowed_accounts",
    metavar="KEY|*[,...]",
    multiple=True,
    help=f"Remove allowed accounts ({_LIST}).",
)
@click.option(
    "-x",
    "--curve",
    "curve",
    metavar="KEY|generate",
    default=None,
    help="Encrypt callout requests for this curve key (public key, seed or file), "
    "or 'generate' a new one (stored in the keystore).",
)
@click.option(
    "--rm-curve", "rm_curve", is_flag=True, default=False, help="Stop encrypting callout requests."
)
@click.option(
    "--disable",
    is_flag=True,
    default=False,
    help="Remove the whole auth callout configuration (alone).",
)
@account_option
@json_option
@pass_app
def edit_authcallout(
    app: App,
    *,
    account_argument: str | None,
    auth_users: tuple[str, ...],
    rm_auth_users: tuple[str, ...],
    allowed_accounts: tuple[str, ...],
    rm_allowed_accounts: tuple[str, ...],
    curve: str | None,
    rm_curve: bool,
    disable: bool,
    account: str | None,
    as_json: bool,
) -> None:
    """Configure the auth callout of an account (ACCOUNT, -a, or the current one).

    Auth callout is on while the account has auth users; allowed accounts need auth users.
    The account JWT is re-signed by the operator; push it to take effect.
    """
    changes = authcallout.AuthCalloutChanges(
        auth_users=split_list(auth_users), rm_auth_users=split_list(rm_auth_users),
        allowed_accounts=split_list(allowed_accounts),
        rm_allowed_accounts=split_list(rm_allowed_accounts),
        curve=curve, rm_curve=rm_curve, disable=disable,
    )  # fmt: skip
    if account_argument and account and account_argument != account:
        raise click.UsageError(
            f"the account is given twice, as --account {account!r} and as ACCOUNT "
            f"{account_argument!r}: give it once"
        )
    result = authcallout.edit_authcallout(app.nsc, account_argument or account, changes)
    app.output.report(result.report, as_json=as_json)
