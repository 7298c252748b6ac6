"""``pynsc delete user``: delete users of an account, optionally revoking them and removing
their keys and creds files.

Each named user is found by its file; no other user of the account is read.
"""

from __future__ import annotations

import time

import click

from pynsc.cli._accounts import resign_account
from pynsc.cli.app import App, pass_app
from pynsc.cli.base import command
from pynsc.cli.options import account_option, json_option
from pynsc.cli.params import split_list
from pynsc.errors import NotFoundError
from pynsc.store.report import Report


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
    wanted = list(dict.fromkeys([*split_list(names), *([name_argument] if name_argument else [])]))
    if not wanted:
        raise click.UsageError("please specify a user to delete (-n NAME or NAME)")
    if app.interactive and not click.confirm(
        "deleting a user, nkey or creds file cannot be undone - continue", default=False,
        err=True,
    ):
        raise click.Abort()

    context = app.context
    store = context.store()
    keystore = app.keystore
    report = Report()
    deleted = []
    with store.lock():
        account_name = context.require_account(account)
        for name in wanted:
            if not store.has_user(account_name, name):
                raise NotFoundError(
                    f'user "{name}" not found in account "{account_name}"',
                    hint=f"list them with 'pynsc list users -a {account_name}'",
                )
        users = {name: store.user(account_name, name) for name in wanted}
        claims = store.account(account_name)
        now = int(time.time())
        revoked = [u.sub for u in users.values() if revoke and u.sub not in claims.nats.revocations]
        if revoked:
            for key in revoked:
                claims.nats.revocations[key] = now
            # the account first: if it cannot be signed or saved, no user is gone yet
            resign_account(app, store, account_name, claims, report)
        for name, user in users.items():
            entry = report.ok(f"user {name} [{user.sub}]")
            if revoke:
                entry.ok("revoked user" if user.sub in revoked else "user is already revoked")
            store.delete_user(account_name, name)
            entry.ok("user deleted")
            deleted.append({"name": name, "public_key": user.sub})
            if rm_nkey:
                gone = keystore.remove(user.sub)
                entry.ok("deleted private key" if gone else "private key is not stored")
            if rm_creds:
                gone = keystore.remove_creds(store.name, account_name, name)
                entry.ok("removed creds file" if gone else "creds file is not stored")
    if revoked:
        report.ok(f'edited account "{account_name}"')
    report.data = {"account": account_name, "deleted": deleted, "revoked": revoked}
    app.output.report(report, as_json=as_json)
