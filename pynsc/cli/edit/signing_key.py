"""``pynsc edit signing-key --sk KEY|ROLE|generate``: make an account signing key scoped, or edit
the role, description and user template of a scoped one.

Users signed by a scoped key get the key's template instead of permissions and limits of their
own; ``-K ROLE`` picks the key by its role when adding users.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from pynsc.cli.app import App, pass_app
from pynsc.cli.base import command
from pynsc.cli.options import account_option, json_option
from pynsc.cli.user_limits import UserLimitFlags, apply_user_limits, user_limit_options
from pynsc.errors import ExistsError, InvalidKeyError, NotFoundError

if TYPE_CHECKING:
    from pynsc.claims import AccountClaims
    from pynsc.keys import KeyPair, KeyStore

GENERATE = "generate"


def _by_role(claims: AccountClaims, role: str) -> str | None:
    for key, scope in claims.nats.signing_keys.items():
        if scope is not None and scope.role == role:
            return key
    return None


def _find_key(
    claims: AccountClaims, value: str | None, role: str | None, keystore: KeyStore
) -> tuple[str, KeyPair | None]:
    """The signing key to scope, and its new key pair when ``value`` is ``generate``."""
    from pynsc.keys import KeyKind, generate
    from pynsc.store.signers import load_key

    if not value:
        if not role:
            raise click.UsageError("signing key is required (--sk KEY|ROLE|generate)")
        found = _by_role(claims, role)
        if found is None:
            raise NotFoundError("signing-key not found", hint=f"no signing key has role {role!r}")
        return found, None
    if value == GENERATE:
        pair = generate(KeyKind.ACCOUNT)
        return pair.public_key, pair
    found = _by_role(claims, value)
    if found is not None:
        return found, None
    try:
        key = load_key(value, keystore).public_key
    except InvalidKeyError:
        raise NotFoundError(
            "signing-key not found", hint=f"{value!r} is neither a key nor a role of the account"
        ) from None
    if key not in claims.nats.signing_keys:
        raise NotFoundError(
            "signing-key not found",
            hint=f"add it first with 'pynsc edit account --sk {key}'",
        )
    return key, None


@command("signing-key", short_help="Create or edit a scoped signing key.")
@click.argument("sk_argument", metavar="[KEY|ROLE]", required=False)
@click.option("--sk", "sk", metavar="KEY|ROLE|generate", default=None,
              help="The signing key: a public key, seed or file, the role of a scoped key, or "
                   "'generate' for a new key.")
@click.option("--role", default=None, metavar="ROLE",
              help="Role of the scoped key (with -K ROLE users are signed by it).")
@click.option("--description", default=None, metavar="TEXT", help="Describe the scoped key.")
@account_option
@user_limit_options
@json_option
@pass_app
def edit_signing_key(
    app: App,
    *,
    sk_argument: str | None,
    sk: str | None,
    role: str | None,
    description: str | None,
    account: str | None,
    user_limits: UserLimitFlags,
    as_json: bool,
) -> None:
    """Promote a signing key of the account to a scoped key, or edit its scope: role,
    description, and the permissions and limits its users get (the user flags below)."""
    from pynsc.claims import UserScope
    from pynsc.claims.subjects import go_quote
    from pynsc.cli._accounts import account_update
    from pynsc.store.report import Report

    if sk and sk_argument and sk != sk_argument:
        raise click.UsageError("the signing key is given twice, as --sk and as an argument")
    wanted = (sk or sk_argument or "").strip() or None
    report = Report()
    with account_update(app, account, report) as update:
        claims = update.claims
        key, generated = _find_key(claims, wanted, role, app.keystore)
        if role:
            other = _by_role(claims, role)
            if other is not None and other != key:
                raise ExistsError(f'role "{role}" is already the role of signing key {other}')
        scope = claims.nats.signing_keys.get(key)
        changes = []
        if generated is not None:
            changes.append(f'added signing key "{key}"')
        if scope is None:
            scope = UserScope(key=key)
            claims.nats.signing_keys[key] = scope
            changes.append(f'made signing key "{key}" scoped')
        if role is not None:
            scope.role = role
            changes.append(f"changed role to {go_quote(role)}")
        if description is not None:
            scope.description = description
            changes.append(f"changed description to {go_quote(description)}")
        changes += apply_user_limits(scope.template, user_limits)
        if generated is not None:
            update.store_key(generated)
    for line in changes:
        report.ok(line)
    report.ok(f'edited signing key "{key}"')
    report.data = {"account": update.name, "key": key, "role": scope.role, "jwt": update.token}
    app.output.report(report, as_json=as_json)
