"""``pynsc delete account [NAME]``: delete an account, its users and (optionally) their keys."""

from __future__ import annotations

import contextlib
import time
from typing import TYPE_CHECKING, Any

import click

from pynsc.cli.app import App, pass_app
from pynsc.cli.base import command
from pynsc.cli.options import json_option, name_option
from pynsc.errors import NscError, StoreError

if TYPE_CHECKING:
    from pynsc.claims import AccountClaims
    from pynsc.keys import KeyStore
    from pynsc.store import Store
    from pynsc.store.report import Report

#: the expiry given to the account JWT nsc stores (and a managed store pushes) before deleting
EXPIRE_IN = 60


def _remove_key(keystore: KeyStore, public_key: str, report: Report, what: str) -> None:
    if keystore.remove(public_key):
        report.ok(f'deleted {what} "{public_key}"')
    else:
        report.ok(f'{what} "{public_key}" is not stored')


def _read_users(store: Store, account: str, report: Report) -> list[tuple[str, str]]:
    """(name, public key) of every user of ``account``; an unreadable one has no key."""
    users = []
    for name in store.user_names(account):
        try:
            users.append((name, store.user(account, name).sub))
        except NscError as e:
            report.warn(f"error loading user {name}: {e}")
            users.append((name, ""))
    return users


def _revoke(claims: AccountClaims, users: list[tuple[str, str]], now: int) -> list[str]:
    """Revoke every user not revoked yet; the public keys revoked now."""
    revoked = []
    for _name, public_key in users:
        if public_key and not claims.nats.revocations.get(public_key):
            claims.nats.revocations[public_key] = now
            revoked.append(public_key)
    return revoked


def _delete_users(
    app: App,
    store: Store,
    account: str,
    users: list[tuple[str, str]],
    revoked: set[str],
    *,
    revoke: bool,
    rm_nkey: bool,
    rm_creds: bool,
    report: Report,
) -> None:
    keystore = app.keystore
    for name, public_key in users:
        entry = report.add(_entry(f"user {name} [{public_key or '?'}]"))
        if revoke and public_key:
            entry.ok("revoked user" if public_key in revoked else "user is already revoked")
        store.delete_user(account, name)
        entry.ok("user deleted")
        if rm_nkey and public_key:
            entry.ok("deleted private key" if keystore.remove(public_key) else
                     "private key is not stored")
        if rm_creds:
            removed = keystore.remove_creds(store.name, account, name)
            entry.ok("removed creds file" if removed else "creds file is not stored")


def _entry(text: str) -> Report:
    from pynsc.store.report import Report

    return Report(text)


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
    from pynsc.claims import encode
    from pynsc.cli._accounts import operator_key, store_account
    from pynsc.store.report import Report

    context = app.context
    store = context.store()
    found = context.require_account((name or "").strip() or None)
    if store.is_managed and not force:
        raise StoreError(
            "managed accounts may require the account JWT or nkeys to cancel a service, "
            "specify the --force to override"
        )
    report = Report()
    with store.lock():
        claims = store.account(found)
        signer = operator_key(app, store, claims)
        if store.operator().nats.system_account == claims.sub:
            report.warn(f'"{found}" is the system account of operator "{store.name}"')
        users = _read_users(store, found, report)
        now = int(time.time())
        revoked = _revoke(claims, users, now) if revoke else []
        claims.exp = now + EXPIRE_IN
        # no validation: an account with issues can be deleted too
        token = encode(claims, signer)
        # a managed operator's account server gets the expiring JWT before anything is deleted
        token = store_account(store, found, token, report)
        _delete_users(
            app, store, found, users, set(revoked),
            revoke=revoke, rm_nkey=rm_nkey, rm_creds=rm_creds, report=report,
        )
        report.ok(f'expired account "{found}"')
        if rm_nkey:
            for key in sorted(claims.nats.signing_keys):
                _remove_key(app.keystore, key, report, "signing key")
            _remove_key(app.keystore, claims.sub, report, "private key")
        store.delete_account(found)
        report.ok("deleted account")
        report.ok("deleted account directory")
    if rm_creds:
        creds_dir = app.keystore.creds_dir / store.name / found
        with contextlib.suppress(OSError):
            creds_dir.rmdir()
    data: dict[str, Any] = {
        "name": found, "public_key": claims.sub, "revoked_users": revoked, "jwt": token,
    }
    report.data = data
    app.output.report(report, as_json=as_json)
    report.raise_for_errors()
