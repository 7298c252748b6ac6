"""``pynsc reissue operator``: give the operator a new identity key.

Accounts issued by the old identity are re-signed (by the new identity, or under strict signing
key usage by a stored operator signing key), unless ``--convert-to-signing-key`` keeps the old
identity as a signing key, which leaves every account valid as it is. All new JWTs are signed
before anything is written.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from pynsc.cli.app import App, pass_app
from pynsc.cli.base import command
from pynsc.cli.options import json_option

if TYPE_CHECKING:
    from pynsc.claims import OperatorClaims
    from pynsc.keys import KeyPair, KeyStore


def _new_identity(private_key: str | None, keystore: KeyStore) -> KeyPair:
    """``-K`` (an operator seed, a stored operator public key, or a file), else a new key."""
    from pynsc.errors import InvalidKeyError
    from pynsc.keys import KeyKind, generate
    from pynsc.store.signers import load_key

    if not private_key:
        return generate(KeyKind.OPERATOR)
    pair = load_key(private_key, keystore)
    if pair.kind is not KeyKind.OPERATOR:
        raise InvalidKeyError("specified key is not a valid operator nkey")
    if pair.seed is None:
        raise InvalidKeyError(
            f"failed to find operator key: the seed of {pair.public_key} is not in the keystore",
            hint="pass the operator seed (or a file holding it) with -K",
        )
    return pair


def _account_signer(keystore: KeyStore, operator: OperatorClaims) -> KeyPair:
    """A stored operator signing key: what signs accounts of a strict operator."""
    from pynsc.keys import KeyKind
    from pynsc.store.signers import select_signer

    return select_signer(
        keystore, private_key=None, candidates=list(operator.nats.signing_keys),
        kinds=(KeyKind.OPERATOR,),
    )


@command("operator", short_help="Re-issue the operator with a new identity key.")
@click.option(
    "--convert-to-signing-key", "convert", is_flag=True, default=False,
    help="Keep the old identity as a signing key (no account is re-signed).",
)
@click.option(
    "-n", "--name", default=None, metavar="NAME",
    help="The operator to re-issue (default: the current one).",
)
@json_option
@pass_app
def reissue_operator(app: App, *, convert: bool, name: str | None, as_json: bool) -> None:
    """Re-issue the operator with a new identity key (-K gives it) and re-sign the accounts
    the old identity issued. Back up the store and keystore first: servers trust the operator
    by its key."""
    from pynsc.cli._accounts import store_account
    from pynsc.cli.init import sign
    from pynsc.errors import InvalidKeyError, StoreError
    from pynsc.store import Store
    from pynsc.store.report import Report

    context = app.context
    store = Store.open(context.store_root, name.strip()) if name else context.store()
    if store.is_managed:
        raise StoreError("resign is only supported in non managed stores")
    keystore = app.keystore
    report = Report(summarize=True)
    with store.lock():
        operator = store.operator()
        strict = operator.nats.strict_signing_key_usage
        if strict and not convert and not operator.nats.signing_keys:
            raise StoreError(
                "resign of strict operator is only supported with signing keys present"
            )
        identity = _new_identity(app.private_key, keystore)
        old = operator.sub
        if identity.public_key == old:
            raise InvalidKeyError(f"{old} is already the identity of operator {operator.name!r}")
        account_signer = identity
        if strict and not convert:
            account_signer = _account_signer(keystore, operator)
        if convert and old not in operator.nats.signing_keys:
            operator.nats.signing_keys.append(old)
        operator.nats.signing_keys[:] = [
            k for k in operator.nats.signing_keys if k != identity.public_key
        ]
        operator.sub = identity.public_key
        operator_token = sign(operator, identity)
        accounts: list[tuple[str, str | None]] = []
        if not convert:
            for account_name, account in store.accounts():
                if account.iss != old:
                    accounts.append((account_name, None))
                    continue
                accounts.append((account_name, sign(account, account_signer)))

        keystore.store(identity)
        store.write_operator(operator_token)
        for account_name, token in accounts:
            if token is not None:
                store_account(store, account_name, token, report)
    report.ok(
        f'operator "{operator.name}" successfully changed identity to: {identity.public_key}'
    )
    if convert:
        report.ok(f'old operator key "{old}" turned into signing key')
    for account_name, token in accounts:
        if token is None:
            report.ok(f'account "{account_name}" already signed properly')
        else:
            report.ok(f'account "{account_name}" re-signed')
    report.data = {
        "name": operator.name,
        "public_key": identity.public_key,
        "old_public_key": old,
        "signing_keys": list(operator.nats.signing_keys),
        "resigned_accounts": [n for n, token in accounts if token is not None],
    }
    app.output.report(report, as_json=as_json)
