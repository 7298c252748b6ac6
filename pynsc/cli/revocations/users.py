"""``pynsc revocations add-user|delete-user|list-users``: revoke users in the account JWT.

A user named with ``-n`` is found by its file name, the default user ("the only one") by reading
at most two directory entries, and ``-u`` needs no user file at all: revoking costs the same in
an account of 100,000 users as in one of ten. Only ``list-users`` reads the account's users, to
put names beside the revoked keys.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

import click

from pynsc.cli.app import App, pass_app
from pynsc.cli.base import command
from pynsc.cli.options import account_option, json_option
from pynsc.cli.revocations._common import ALL, at_option
from pynsc.errors import NscError

if TYPE_CHECKING:
    from pynsc.store import Store


def _user_options(f: Any) -> Any:
    f = click.option(
        "-u", "--user-public-key", "user_key", metavar="KEY|*", default=None,
        help="Public key of the user, or '*' for every user.",
    )(f)  # fmt: skip
    return click.option(
        "-n", "--name", "name", metavar="NAME", default=None, help="Name of a user of the account."
    )(f)


def _find_name(store: Store, account: str, name: str) -> str:
    """The stored user called ``name`` (by file name; case is ignored, as nsc does)."""
    value = name.strip()
    if store.has_user(account, value):
        return value
    folded = value.casefold()
    found = next((n for n in store.user_names(account) if n.casefold() == folded), None)
    if found is None:
        raise store.user_not_found(account, value)
    return found


def _target(
    store: Store, account: str, name: str | None, user_key: str | None
) -> tuple[str, str | None]:
    """(public key or ``*``, user name when known) of the user to act on."""
    from pynsc.cli._users import only_user
    from pynsc.keys import KeyKind, is_public_key

    if name and user_key:
        raise click.UsageError("user and user-public-key are mutually exclusive")
    if user_key is not None:
        key = user_key.strip()
        if key == ALL:
            return ALL, None
        if not is_public_key(key, KeyKind.USER):
            raise NscError(f'{key} is not a valid "user" public key')
        return key, None
    if name:
        user = _find_name(store, account, name)
    else:
        default = only_user(store, account)
        if default is None:
            raise NscError(
                f"no default user available for account {account}",
                hint="name the user with -n NAME, or give its key with -u KEY ('*' for all)",
            )
        user = default
    return store.user(account, user).sub, user


def _now(at: int | None) -> int:
    return int(time.time()) if at is None else at


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
    from pynsc.cli._accounts import account_update
    from pynsc.cli.revocations._common import go_time, revoke
    from pynsc.store.report import Report

    when = _now(at)
    report = Report()
    with account_update(app, account, report) as update:
        key, user = _target(update.store, update.name, name, user_key)
        in_force = revoke(update.claims.nats.revocations, key, when)
    if key == ALL:
        report.ok(f"revoked all users issued before {go_time(in_force)}")
    else:
        report.ok(f'revoked user "{key}"')
    if in_force != when:
        report.warn(f"kept the existing later revocation time {go_time(in_force)}")
    report.data = {
        "account": update.name,
        "public_key": key,
        "name": user,
        "at": in_force,
        "jwt": update.token,
    }
    app.output.report(report, as_json=as_json)


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
    from pynsc.cli._accounts import account_update
    from pynsc.store.report import Report

    report = Report()
    with account_update(app, account, report) as update:
        account_name = update.name
        key, user = _target(update.store, account_name, name, user_key)
        revocations = update.claims.nats.revocations
        if key not in revocations:
            message = f"user with public key {key} is not revoked"
            if not revocations:
                message += f" (no user revocations set in account {account_name})"
            raise NscError(
                message, hint=f"list them with 'pynsc revocations list-users -a {account_name}'"
            )
        del revocations[key]
    report.ok(
        "deleted all user revocation" if key == ALL else f'deleted user revocation for "{key}"'
    )
    report.data = {"account": account_name, "public_key": key, "name": user, "jwt": update.token}
    app.output.report(report, as_json=as_json)


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
    from pynsc.cli.revocations._common import list_revocations

    context = app.context
    store = context.store()
    account_name = context.require_account(account)
    claims = store.account(account_name)
    revocations = claims.nats.revocations
    label = claims.name or claims.sub
    if not revocations:
        raise NscError(f"account {label} does not have revoked users")
    list_revocations(
        app, revocations, what="User", title=f"Revoked Users for {label}",
        names=lambda: store.user_names(account_name),
        key_of=lambda user: store.user(account_name, user).sub,
        data={"account": account_name}, as_json=as_json,
    )  # fmt: skip
