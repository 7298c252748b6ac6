"""``pynsc import account --file A.jwt``: add an account JWT made elsewhere to the operator.

A self-signed account (or, with --force, one issued by another operator) is re-signed by this
operator; one already issued by it is stored byte for byte.
"""

from __future__ import annotations

import click

from pynsc.cli.app import App, pass_app
from pynsc.cli.base import command
from pynsc.cli.options import json_option
from pynsc.errors import ExistsError, StoreError


@command("account", short_help="Import an account JWT, re-signing it if self-signed.")
@click.option("-j", "--file", "file", metavar="FILE", help="The account JWT (decorated is fine).")
@click.option("--overwrite", is_flag=True, default=False,
              help="Replace a stored account of the same name and key.")
@click.option("--skip", is_flag=True, default=False,
              help="Import even when the JWT has validation issues.")
@click.option("--force", is_flag=True, default=False,
              help="Re-sign an account issued by another operator.")
@json_option
@pass_app
def import_account(
    app: App, *, file: str | None, overwrite: bool, skip: bool, force: bool, as_json: bool
) -> None:
    """Import an account from a .jwt file into the current operator."""
    from pynsc.claims import AccountClaims, decode, encode, validate
    from pynsc.cli._accounts import store_account
    from pynsc.cli.sources import read_source
    from pynsc.keys import parse_decorated_jwt
    from pynsc.store import check_name, ops
    from pynsc.store.report import Report

    if not file:
        raise click.UsageError("an account jwt file is required (-j/--file FILE)")
    if not file.endswith(".jwt"):
        raise click.BadParameter("expected these file endings: [.jwt]", param_hint="'--file'")
    token = parse_decorated_jwt(read_source(file)).strip()
    claims: AccountClaims = decode(token, AccountClaims)
    name = check_name(claims.name, "account")
    report = Report()
    results = validate(claims)
    for issue in results:
        blocking = issue.blocking or issue.time_check
        if blocking and not skip:
            raise StoreError(
                f"account JWT has validation issues: {issue.description}",
                hint="fix the JWT, or pass --skip to import it anyway",
            )
        report.warn(issue.description)

    store = app.context.store()
    with store.lock():
        existing = store.account_named(name)
        if existing is not None:
            if not overwrite:
                raise ExistsError(
                    f'account "{existing}" already exists, overwrite with --overwrite'
                )
            current = store.account(existing)
            if current.sub != claims.sub:
                raise ExistsError(
                    "existing Account has a name collision only and does not reference the same "
                    f"entity (Subject is {current.sub} and differs from {claims.sub}). "
                    "This problem needs to be resolved manually."
                )
            name = existing
        else:
            for other, other_claims in store.accounts():
                if other_claims.sub == claims.sub:
                    raise ExistsError(f'account {claims.sub} is already stored as "{other}"')
        operator = store.operator()
        own_keys = {operator.sub, *operator.nats.signing_keys}
        self_signed = claims.iss == claims.sub
        if store.is_managed and self_signed:
            raise StoreError("only a non managed store can import a self signed account")
        if claims.iss not in own_keys and not self_signed and not force:
            raise StoreError(
                "can only import account signed by same operator. Possibly update your operator",
                hint="pass --force to re-sign it with this operator's key",
            )
        if self_signed or claims.iss not in own_keys:
            signer = ops.operator_signer(
                store, app.keystore, operator, private_key=app.private_key,
                account_key="" if self_signed else claims.sub,
            )
            # with --skip the issues reported above are kept as they are
            token = encode(claims, signer) if skip else ops.sign_account(claims, signer)
            report.ok(f're-signed account "{name}" with {signer.public_key}')
        token = store_account(store, name, token, report)
    report.ok(f"account {name} was successfully imported")
    report.data = {"name": name, "public_key": claims.sub, "jwt": token}
    app.output.report(report, as_json=as_json)
