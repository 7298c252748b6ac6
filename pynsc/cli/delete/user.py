"""``pynsc delete user``: delete users of an account, optionally revoking them and removing
their keys and creds files.

Parses flags, asks for confirmation with ``-i``, and renders; the rules are
:func:`pynsc.actions.user_deletion.delete_users`'.
"""

from __future__ import annotations

import click

from pynsc.cli.app import App, pass_app
from pynsc.cli.base import command
from pynsc.cli.options import account_option, json_option
from pynsc.cli.params import split_list
from pynsc.cli.prompts import confirm


@command("user", short_help="Delete users.")
@click.argument("name_argument", metavar="[NAME]", required=False, default=None)
@click.option("-n", "--name", "names", metavar="NAME[,...]", multiple=True,
              help="User(s) to delete (comma list or repeated).")
@click.option("-R", "--revoke", is_flag=True, default=False,
              help="Revoke the users (in the account JWT) before deleting them.")
@click.option("-D", "--rm-nkey", "rm_nkey", is_flag=True, default=False,
              help="Delete the users' seeds from the keystore.")
@click.option("-C", "--rm-creds", "rm_creds", is_flag=True, default=False,
              help="Delete the users' creds files.")
@account_option
@json_option
@pass_app
def delete_user(
    app: App,
    *,
    name_argument: str | None,
    names: tuple[str, ...],
    revoke: bool,
    rm_nkey: bool,
    rm_creds: bool,
    account: str | None,
    as_json: bool,
) -> None:
    """Delete users of the current (or -a) account.

    With --revoke the users are also revoked in the account JWT (re-signed by the operator),
    so servers reject their JWTs even where a copy survives.
    """
    from pynsc.actions.user_deletion import delete_users

    wanted = [*split_list(names), *([name_argument] if name_argument else [])]
    if wanted and app.interactive and not confirm(
        "deleting a user, nkey or creds file cannot be undone - continue"
    ):
        raise click.Abort()
    result = delete_users(
        app.nsc, wanted, account=account, revoke=revoke, remove_keys=rm_nkey,
        remove_creds=rm_creds,
    )  # fmt: skip
    app.output.report(result.report, as_json=as_json)
