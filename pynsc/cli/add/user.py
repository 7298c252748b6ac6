"""``pynsc add user``: create a user of an account, its key and its creds file.

Costs the same whatever the number of users in the account: the new user's name is checked by
its file alone, and no other user is read.
"""

from __future__ import annotations

import time

import click

from pynsc.claims import UserClaims, validate
from pynsc.cli._users import add_tags, report_saved_user
from pynsc.cli.app import App, pass_app
from pynsc.cli.base import command
from pynsc.cli.options import (
    account_option,
    json_option,
    name_option,
    permission_set_options,
    time_options,
)
from pynsc.cli.params import (
    PermissionFlags,
    TimeFlags,
    apply_permissions,
    check_name,
    random_name,
    split_list,
)
from pynsc.errors import ClaimsError, ExistsError, InvalidKeyError, StoreError
from pynsc.keys import KeyKind, generate
from pynsc.store import ops
from pynsc.store.report import Report
from pynsc.store.signers import load_key


@command("user", short_help="Add a user to an account.")
@name_option("user")
@click.option(
    "-k", "--public-key", "public_key", metavar="KEY|FILE",
    help="Use this user key (public key, seed, or a file holding one) instead of generating "
         "one; it is not stored, so no creds file is written unless its seed already is.",
)
@click.option("--bearer", is_flag=True, default=False,
              help="No connect challenge: the JWT alone authenticates.")
@click.option("--tag", "tags", metavar="TAG[,...]", multiple=True,
              help="Tags for the user (comma list or repeated).")
@click.option("--source-network", "source_networks", metavar="CIDR[,...]", multiple=True,
              help="Networks the user may connect from (comma list or repeated).")
@time_options
@account_option
@permission_set_options
@json_option
@pass_app
def add_user(
    app: App,
    *,
    name: str | None,
    public_key: str | None,
    bearer: bool,
    tags: tuple[str, ...],
    source_networks: tuple[str, ...],
    times: TimeFlags,
    account: str | None,
    perms: PermissionFlags,
    as_json: bool,
) -> None:
    """Add a user to the current (or -a) account, signed by the account or a signing key.

    A generated key is stored and a creds file written. '*' as the name picks a random one.
    -K selects the signer: a signing key (public key, seed, file) or the role of a scoped key;
    a user signed by a scoped key gets its permissions from the scope and may set none.
    """
    user_name = random_name() if (name or "").strip() == "*" else check_name(name or "", "user")
    networks = split_list(source_networks)
    now = int(time.time())
    start, expiry = times.start_at(now), times.expiry_at(now)
    if public_key:
        pair = load_key(public_key)
        if pair.kind is not KeyKind.USER:
            raise InvalidKeyError("invalid user key", hint="--public-key takes a user key (U…)")
        generated = False
    else:
        pair = generate(KeyKind.USER)
        generated = True

    context = app.context
    store = context.store()
    keystore = app.keystore
    report = Report()
    with store.lock():
        account_name = context.require_account(account)
        claims_of_account = store.account(account_name)
        if store.has_user(account_name, user_name):
            raise ExistsError(f'the user "{user_name}" already exists')
        strict = store.operator().nats.strict_signing_key_usage
        if strict and not claims_of_account.nats.signing_keys:
            raise StoreError(
                "unable to issue users when operator requires signing keys and the account "
                "has none",
                hint=f"add one with 'pynsc edit account {account_name} --sk generate'",
            )
        if bearer and claims_of_account.nats.limits.disallow_bearer:
            raise StoreError(f'account "{account_name}" forbids the use of bearer token')
        signer = ops.account_signer(
            keystore, claims_of_account, private_key=app.private_key, strict=strict
        )
        if signer.is_scoped and (bearer or networks or not perms.is_empty()):
            raise StoreError(
                "scoped users require no permissions or limits set",
                hint="the signing key's scope sets them; sign with an unscoped key to set any",
            )

        claims = UserClaims(sub=pair.public_key, name=user_name)
        if start:
            claims.nbf = start
        if expiry:
            claims.exp = expiry
        user = claims.nats
        add_tags(user.tags, split_list(tags))
        if signer.is_scoped:
            user.set_scoped()
        else:
            apply_permissions(user, perms)
            user.src = sorted(set(networks))
            user.bearer_token = bearer
        if signer.key.public_key != claims_of_account.sub:
            user.issuer_account = claims_of_account.sub
        problems = validate(claims, now).errors()
        if problems:
            raise ClaimsError("; ".join(p.description for p in problems))

        if generated:
            keystore.store(pair)
        saved = ops.save_user(store, keystore, account_name, claims_of_account, claims, signer)
    if generated:
        report.ok(f'generated and stored user key "{pair.public_key}"')
    report_saved_user(
        report, f'added user "{user_name}" to account "{account_name}"',
        account=account_name, name=user_name, claims=claims, signer=signer, saved=saved,
    )  # fmt: skip
    app.output.report(report, as_json=as_json)
