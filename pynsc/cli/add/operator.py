"""``pynsc add operator NAME``: create a local operator, or import a managed one from its JWT."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

import click

from pynsc.cli.app import App, pass_app
from pynsc.cli.base import command
from pynsc.cli.options import json_option, name_option, time_options

if TYPE_CHECKING:
    from pynsc.cli.params import TimeFlags
    from pynsc.keys import KeyPair, KeyStore
    from pynsc.store.report import Report

MIN_SERVER_VERSION_NOTE = (
    "When running your own nats-server, make sure they run at least version 2.2.0"
)


def _operator_key(value: str | None, keystore: KeyStore) -> tuple[KeyPair, bool]:
    """The operator identity: ``-K`` (a seed, a stored public key or a file), else a new key;
    and whether it was generated."""
    from pynsc.errors import InvalidKeyError
    from pynsc.keys import KeyKind, generate
    from pynsc.store.signers import load_key

    if not value:
        return generate(KeyKind.OPERATOR), True
    pair = load_key(value, keystore)
    if pair.kind is not KeyKind.OPERATOR:
        raise InvalidKeyError("specified key is not a valid operator nkey")
    if pair.seed is None:
        raise InvalidKeyError(
            f"the seed of operator key {pair.public_key} is not in the keystore",
            hint="pass the operator seed (or a file holding it) with -K",
        )
    return pair, False


@command("operator", short_help="Add a local operator, or import a managed one.")
@name_option("operator")
@click.option(
    "-u", "--url", default=None, metavar="FILE|URL|NAME",
    help="Import the operator JWT from a file, an http(s) URL or a well-known operator name.",
)
@click.option(
    "--generate-signing-key", "generate_signing_key", is_flag=True, default=False,
    help="Also generate and store an operator signing key.",
)
@click.option(
    "-s", "--sys", "system", is_flag=True, default=False,
    help="Also create the system account SYS and its user sys (signed by the signing key "
    "when one is generated).",
)
@click.option(
    "--force", is_flag=True, default=False,
    help="On import (-u), overwrite an operator of the same name.",
)
@time_options
@json_option
@pass_app
def add_operator(
    app: App,
    *,
    name: str | None,
    url: str | None,
    generate_signing_key: bool,
    system: bool,
    force: bool,
    times: TimeFlags,
    as_json: bool,
) -> None:
    """Add an operator and make it the current one.

    A local operator gets a new identity key (or the one given with -K, which is stored). With
    --url the operator JWT is imported instead: the store is managed, its accounts are
    self-signed and exchanged with the operator's account server. NAME '*' picks a random name.
    """
    from pynsc.store.report import Report

    if name is not None and name.strip() == "*":
        from pynsc.cli.params import random_name

        name = random_name()
    report = Report()
    if url:
        if system:
            raise click.UsageError(
                "importing an operator is not compatible with system account generation"
            )
        if generate_signing_key:
            raise click.UsageError("signing key can not be added when importing the operator")
        if not times.is_empty():
            raise click.UsageError("--start and --expiry cannot be used when importing")
        if app.private_key:
            raise click.UsageError("-K cannot be used when importing an operator")
        operator_name = _import(app, name, url, force, report)
        account = ""
    else:
        if force:
            raise click.UsageError("force only works with -u")
        if not name and app.interactive:
            name = click.prompt("operator name", err=True)
        operator_name, account = _create(
            app, name or "", generate_signing_key, system, times, report
        )
    app.context.save(operator=operator_name, account=account)
    app.refresh_context()
    app.output.report(report, as_json=as_json)


def _import(app: App, name: str | None, url: str, force: bool, report: Report) -> str:
    from pynsc.cli.init import load_operator_jwt, operator_name_for, resolve_operator_location
    from pynsc.cli.params import check_name
    from pynsc.cli.sources import is_url
    from pynsc.errors import ExistsError, StoreError
    from pynsc.store import Store, list_operators

    location = resolve_operator_location(url)
    token, claims = load_operator_jwt(location)
    if not name:
        name = operator_name_for(claims.name, location) if is_url(location) else claims.name
    name = check_name(name, "operator")
    root = app.context.store_root
    exists = name in list_operators(root)
    if exists:
        if not force:
            raise ExistsError(
                f"operator named {name} exists already",
                hint="inspect it, and use --force to overwrite it",
            )
        try:
            old = Store(root, name).operator().sub
        except StoreError:
            old = ""
        if old and old != claims.sub:
            report.warn(
                "existing and new operator represent different entities, forced to continue"
            )
    store = Store(root, name) if exists else Store.create(root, name, managed=True)
    with store.lock():
        store.write_operator(token)
    report.ok(f'imported operator "{name}"')
    report.ok(MIN_SERVER_VERSION_NOTE)
    report.data = {
        "name": name,
        "public_key": claims.sub,
        "managed": True,
        "account_server_url": claims.nats.account_server_url,
        "service_urls": list(claims.nats.operator_service_urls),
    }
    return name


def _create(
    app: App,
    name: str,
    generate_signing_key: bool,
    system: bool,
    times: TimeFlags,
    report: Report,
) -> tuple[str, str]:
    from pynsc.claims import OperatorClaims
    from pynsc.claims.subjects import go_quote
    from pynsc.cli.init import (
        NewEntities,
        report_system_account,
        sign,
        system_account,
        system_account_data,
    )
    from pynsc.cli.params import check_name
    from pynsc.errors import ExistsError
    from pynsc.keys import KeyKind
    from pynsc.store import Store, list_operators

    name = check_name(name, "operator")
    now = int(time.time())
    root = app.context.store_root
    if name in list_operators(root):
        raise ExistsError(f"operator named {go_quote(name)} exists already")
    keystore = app.keystore
    operator_key, generated = _operator_key(app.private_key, keystore)
    claims = OperatorClaims(name=name, sub=operator_key.public_key)
    claims.nbf = times.start_at(now) or 0
    claims.exp = times.expiry_at(now) or 0
    entities = NewEntities(keys=[operator_key])
    signing_key = entities.add_key(KeyKind.OPERATOR) if generate_signing_key else None
    if signing_key is not None:
        claims.nats.signing_keys.append(signing_key.public_key)
    sys = system_account(entities, signing_key or operator_key) if system else None
    if sys is not None:
        claims.nats.system_account = sys.key.public_key
    token = sign(claims, operator_key)

    stored_before = keystore.has(operator_key.public_key)
    entities.store_keys(keystore)
    store = Store.create(root, name)
    with store.lock():
        store.write_operator(token)
        creds = entities.write(store, keystore)

    if generated:
        report.ok(f'generated and stored operator key "{operator_key.public_key}"')
    elif not stored_before:
        report.ok(f'stored operator key "{operator_key.public_key}"')
    report.ok(f'added operator "{name}"')
    report.ok(MIN_SERVER_VERSION_NOTE)
    if signing_key is not None:
        report.ok(f"created operator signing key: {signing_key.public_key}")
    data: dict[str, Any] = {
        "name": name,
        "public_key": operator_key.public_key,
        "managed": False,
        "signing_keys": list(claims.nats.signing_keys),
    }
    if sys is not None:
        sys_creds = creds[("SYS", "sys")]
        report_system_account(report, sys, sys_creds)
        data.update(system_account_data(sys, sys_creds))
    report.data = data
    return name, "SYS" if sys is not None else ""
