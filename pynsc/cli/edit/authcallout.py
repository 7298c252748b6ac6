"""``pynsc edit authcallout [ACCOUNT]``: configure an account's external authorization (auth
callout): the users the callout service connects as, the accounts it may place users in, and
the curve key requests are encrypted for.

Every key is resolved and the whole new account is validated before anything is written; a
generated (or given) curve seed is stored only once the account has been signed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import click

from pynsc.cli.app import App, pass_app
from pynsc.cli.base import command
from pynsc.cli.options import account_option, json_option
from pynsc.errors import NscError

if TYPE_CHECKING:
    from collections.abc import Sequence

    from pynsc.claims import ExternalAuthorization
    from pynsc.keys import KeyKind, KeyPair
    from pynsc.store import Store

_LIST = "comma list or repeated"
_GENERATE = "generate"
_ANY = "*"


@dataclass(frozen=True, slots=True)
class _Changes:
    """The resolved public keys to add and remove, and the curve key to set."""

    auth_users: tuple[str, ...] = ()
    rm_auth_users: tuple[str, ...] = ()
    allowed_accounts: tuple[str, ...] = ()
    rm_allowed_accounts: tuple[str, ...] = ()
    curve: KeyPair | None = None
    rm_curve: bool = False


def _invalid(value: str, what: str) -> NscError:
    from pynsc.claims.subjects import go_quote

    return NscError(f"{go_quote(value)} is not a valid {what} key")


def _public_key(value: str, kind: KeyKind, what: str) -> str:
    """The public key of ``value`` (a public key, a seed, or a file holding one) of ``kind``."""
    from pynsc.store.signers import load_key

    try:
        pair = load_key(value)
    except NscError:
        raise _invalid(value, what) from None
    if pair.kind is not kind:
        raise _invalid(value, what)
    return pair.public_key


def _user_keys(values: tuple[str, ...]) -> tuple[str, ...]:
    from pynsc.keys import KeyKind

    return tuple(dict.fromkeys(_public_key(v, KeyKind.USER, "user") for v in values))


def _account_keys(store: Store, values: tuple[str, ...]) -> tuple[str, ...]:
    """Account public keys (or seeds, or files), ``*``, or the names of local accounts."""
    from pynsc.keys import KeyKind

    keys = []
    for value in values:
        text = value.strip()
        if text == _ANY:
            keys.append(_ANY)
        elif store.has_account(text):
            keys.append(store.account(text).sub)
        else:
            keys.append(_public_key(text, KeyKind.ACCOUNT, "account"))
    return tuple(dict.fromkeys(keys))


def _curve_key(value: str) -> KeyPair:
    from pynsc.keys import KeyKind, generate
    from pynsc.store.signers import load_key

    text = value.strip()
    if text == _GENERATE:
        return generate(KeyKind.CURVE)
    try:
        pair = load_key(text)
    except NscError:
        raise _invalid(text, "curve") from None
    if pair.kind is not KeyKind.CURVE:
        raise _invalid(text, "curve")
    return pair


def _edit_keys(
    keys: list[str], added: Sequence[str], removed: Sequence[str], what: str
) -> list[str]:
    """Add then remove keys of ``keys`` (the auth users or the allowed accounts); the report
    lines, in nsc's words."""
    lines = []
    for key in added:
        if key in keys:
            lines.append(f'skipped adding {what} "{key}" - as it\'s already set')
        else:
            keys.append(key)
            lines.append(f'added {what} "{key}"')
    for key in removed:
        if key in keys:
            keys.remove(key)
            lines.append(f'deleted {what} "{key}"')
        else:
            lines.append(f'skipping {what} "{key}" - as it\'s not currently set')
    return lines


def _apply(auth: ExternalAuthorization, changes: _Changes) -> list[str]:
    """Apply ``changes`` to ``auth`` in nsc's order; the report lines, in nsc's words."""
    lines = _edit_keys(auth.auth_users, changes.auth_users, changes.rm_auth_users, "user")
    lines += _edit_keys(
        auth.allowed_accounts, changes.allowed_accounts, changes.rm_allowed_accounts, "account"
    )
    if changes.rm_curve:
        if auth.xkey:
            lines.append(f"removed {auth.xkey} curve key")
            auth.xkey = ""
        else:
            lines.append("remove curve key didn't do anything as the curve key was not set")
    if changes.curve is not None:
        auth.xkey = changes.curve.public_key
        lines.append(f"set curve key {auth.xkey}")
    return lines


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
    from pynsc.cli.params import split_list

    lists = {
        "auth": split_list(auth_users), "rm_auth": split_list(rm_auth_users),
        "allowed": split_list(allowed_accounts), "rm_allowed": split_list(rm_allowed_accounts),
    }  # fmt: skip
    others = any(lists.values()) or curve is not None or rm_curve
    if not others and not disable:
        raise click.UsageError("please specify some options")
    if disable and others:
        raise click.UsageError("--disable is exclusive of all other options")
    if account_argument and account and account_argument != account:
        raise click.UsageError(
            f"the account is given twice, as --account {account!r} and as ACCOUNT "
            f"{account_argument!r}: give it once"
        )
    _edit(app, account_argument or account, lists, curve, rm_curve, disable, as_json=as_json)


def _edit(
    app: App,
    account: str | None,
    lists: dict[str, tuple[str, ...]],
    curve: str | None,
    rm_curve: bool,
    disable: bool,
    *,
    as_json: bool,
) -> None:
    from pynsc.claims import ExternalAuthorization
    from pynsc.cli._accounts import account_update
    from pynsc.store.report import Report

    report = Report()
    with account_update(app, account, report) as update:
        changes = _Changes(
            auth_users=_user_keys(lists["auth"]),
            rm_auth_users=_user_keys(lists["rm_auth"]),
            allowed_accounts=_account_keys(update.store, lists["allowed"]),
            rm_allowed_accounts=_account_keys(update.store, lists["rm_allowed"]),
            curve=None if curve is None else _curve_key(curve),
            rm_curve=rm_curve,
        )
        claims = update.claims
        if disable:
            claims.nats.authorization = ExternalAuthorization()
            lines = ["removed external authorization configuration"]
        else:
            lines = _apply(claims.nats.authorization, changes)
        seed = changes.curve if changes.curve is not None and changes.curve.has_seed else None
        if seed is not None:
            update.store_key(seed)
    if seed is not None and curve is not None and curve.strip() == _GENERATE:
        report.ok(f'generated and stored curve key "{seed.public_key}"')
    for line in lines:
        report.ok(line)
    report.data = _data(update.name, claims.sub, claims.nats.authorization, update.token)
    app.output.report(report, as_json=as_json)


def _data(account: str, key: str, auth: ExternalAuthorization, token: str) -> dict[str, Any]:
    return {
        "account": account,
        "public_key": key,
        "authorization": {
            "auth_users": list(auth.auth_users),
            "allowed_accounts": list(auth.allowed_accounts),
            "xkey": auth.xkey,
        },
        "jwt": token,
    }
