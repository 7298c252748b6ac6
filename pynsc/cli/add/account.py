"""``pynsc add account NAME``: create an account signed by the operator, and make it current."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

import click

from pynsc.cli.app import App, pass_app
from pynsc.cli.base import command
from pynsc.cli.options import json_option, name_option, permission_set_options, time_options
from pynsc.errors import ExistsError, InvalidKeyError

if TYPE_CHECKING:
    from pynsc.cli.params import PermissionFlags, TimeFlags
    from pynsc.keys import KeyPair, KeyStore
    from pynsc.store import Store


def _account_key(value: str | None, keystore: KeyStore) -> KeyPair:
    """The account key: given (public key, seed or file), else a new one."""
    from pynsc.keys import KeyKind, generate
    from pynsc.store.signers import load_key

    if not value:
        return generate(KeyKind.ACCOUNT)
    pair = load_key(value, keystore)
    if pair.kind is not KeyKind.ACCOUNT:
        raise InvalidKeyError("specified key is not a valid account nkey")
    return pair


def _check_unique(store: Store, name: str, public_key: str, *, given: bool) -> None:
    """Names are unique ignoring case; a key given with --public-key must be unused (a new one
    is, so the accounts are read only then)."""
    existing = store.account_named(name)
    if existing is not None:
        raise ExistsError(f'the account "{name}" already exists')
    if not given:
        return
    for other, claims in store.accounts():
        if claims.sub == public_key:
            raise ExistsError(f'account key {public_key} is already used by account "{other}"')


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
    from pynsc.claims import AccountClaims, decode
    from pynsc.cli._accounts import exchange_account
    from pynsc.cli.params import apply_permissions, random_name
    from pynsc.store import check_name, ops
    from pynsc.store.report import Report

    if not name and app.interactive:
        name = click.prompt("account name")
    name = random_name() if (name or "").strip() == "*" else check_name(name or "", "account")
    now = int(time.time())
    store = app.context.store()
    keystore = app.keystore
    account_key = _account_key(public_key, keystore)
    claims = AccountClaims(sub=account_key.public_key, name=name)
    claims.nbf = times.start_at(now) or 0
    claims.exp = times.expiry_at(now) or 0
    apply_permissions(claims.nats.default_permissions, perms)

    report = Report()
    with store.lock():
        _check_unique(store, name, account_key.public_key, given=bool(public_key))
        if store.is_managed and not app.private_key and account_key.seed is not None:
            signer = account_key  # a managed operator's accounts are self-signed
        else:
            signer = ops.operator_signer(
                store, keystore, store.operator(), private_key=app.private_key,
                account_key=account_key.public_key,
            )
        token = ops.sign_account(claims, signer)
        # a managed operator's account server first: if it fails, nothing is stored
        token = exchange_account(store, token, report)
        if account_key.seed is not None and not keystore.has(account_key.public_key):
            keystore.store(account_key)
            verb = "stored" if public_key else "generated and stored"
            report.ok(f'{verb} account key "{account_key.public_key}"')
        store.write_account(name, token)
    if store.is_managed and decode(token).iss == account_key.public_key:
        report.warn(
            f'account "{name}" is self-signed: push it to the account server of operator '
            f'"{store.name}" to have it signed'
        )
    report.ok(f'added account "{name}"')
    if not app.settings.get("context_operator"):  # an operator chosen for this run only
        app.context.save(account=name)  # nsc makes the new account the current one
    report.data = {"name": name, "public_key": account_key.public_key, "jwt": token}
    app.output.report(report, as_json=as_json)
