"""``pynsc list keys``: the operator, account, user and curve keys of the context, and whether
their seeds are stored."""

from __future__ import annotations

import click

from pynsc.cli._keylist import KeyEntry, KeyQuery, collect_keys
from pynsc.cli.app import App, pass_app
from pynsc.cli.base import command
from pynsc.cli.options import json_option
from pynsc.cli.output import display_path
from pynsc.cli.table import Table
from pynsc.errors import KeyStoreError, NscError
from pynsc.keys import KeyKind, KeyStore
from pynsc.store.report import Report

UNREFERENCED_LEGEND = "[?] unreferenced key - may belong to a different operator context"
CURVE_LEGEND = "[ T ] auth callout encryption target"
SEED_LEGENDS = ("[ ! ] seed is not stored", "[ERR] error reading seed", CURVE_LEGEND)


def _entity(entry: KeyEntry) -> str:
    pad = {KeyKind.ACCOUNT: " ", KeyKind.USER: "  "}.get(entry.kind, "") if entry.kind else ""
    return entry.name if entry.unreferenced else pad + entry.name


def _signing(entry: KeyEntry) -> str:
    return "T" if entry.curve else "*" if entry.signing else ""


def _seed(keystore: KeyStore, entry: KeyEntry) -> str | None:
    if not entry.stored or entry.invalid:
        return None
    try:
        pair = keystore.get(entry.pub)
    except NscError:
        return None
    return pair.seed if pair is not None else None


def _keys_table(keys: list[KeyEntry]) -> str:
    table = Table("Keys", headers=("Entity", "Key", "Signing Key", "Stored"))
    for entry in keys:
        stored = "BAD" if entry.invalid else "*" if entry.stored else ""
        table.add(_entity(entry), entry.pub, _signing(entry), stored)
    legends = [CURVE_LEGEND]
    if any(entry.unreferenced for entry in keys):
        legends.insert(0, UNREFERENCED_LEGEND)
    return table.render() + "".join(f"{line}\n" for line in legends)


def _seeds_table(keystore: KeyStore, keys: list[KeyEntry]) -> str:
    table = Table("Seeds Keys", headers=("Entity", "Private Key", "Signing Key"))
    for entry in keys:
        if entry.invalid or not entry.stored:
            shown = f"{entry.pub} [!]"
        else:
            shown = _seed(keystore, entry) or f"{entry.pub} [ERR]"
        table.add(_entity(entry), shown, _signing(entry))
    return table.render() + "".join(f"{line}\n" for line in SEED_LEGENDS)


@command("keys", short_help="List the keys of the context and whether they are stored.")
@click.option("-o", "--operator", "operator", is_flag=True, default=False,
              help="Show operator keys.")
@click.option("-a", "--accounts", "accounts", is_flag=True, default=False,
              help="Show account keys.")
@click.option("-u", "--users", "users", is_flag=True, default=False, help="Show user keys.")
@click.option("-x", "--curve", "curves", is_flag=True, default=False,
              help="Show curve (xkey) keys.")
@click.option("--account", "account", metavar="NAME|KEY", default=None,
              help="Show the keys of this account only.")
@click.option("--user", "user", metavar="NAME", default=None,
              help="Show the key of this user only.")
@click.option("-A", "--all", "all_kinds", is_flag=True, default=False,
              help="Show operator, account, user and curve keys.")
@click.option("-f", "--filter", "key_filter", metavar="TEXT", default="",
              help="Show only keys containing TEXT.")
@click.option("--not-referenced", "unreferenced", is_flag=True, default=False,
              help="Show keystore keys the current operator context does not reference.")
@click.option("-S", "--show-seeds", "show_seeds", is_flag=True, default=False,
              help="Show the seeds instead of the public keys.")
@json_option
@pass_app
def list_keys(
    app: App,
    *,
    operator: bool,
    accounts: bool,
    users: bool,
    curves: bool,
    account: str | None,
    user: str | None,
    all_kinds: bool,
    key_filter: str,
    unreferenced: bool,
    show_seeds: bool,
    as_json: bool,
) -> None:
    """List keys: by default the operator's, the current account's and its users'.

    A kind flag (-o, -a, -u, -x, -A) lists that kind for every account (or --account). The
    Stored column tells whether the seed is in the keystore. --json prints
    [{"name", "pub", "parent", "expected_kind", "signing", "curve", "key_path", "invalid",
    "jwt", "seed"}] in "data" (seeds only with --show-seeds).
    """
    if unreferenced and show_seeds:
        raise click.UsageError("specify one of --show-seeds or --not-referenced")
    keystore = app.keystore
    if not keystore.keys_dir.is_dir():
        raise KeyStoreError(f"keystore {display_path(keystore.keys_dir)} does not exist")
    query = KeyQuery(
        operator=operator, accounts=accounts, users=users, curves=curves, all=all_kinds,
        unreferenced=unreferenced, account=account, user=user, filter=key_filter,
    )  # fmt: skip
    keys = collect_keys(app.context, keystore, query)
    report = Report(
        data=[k.to_json(_seed(keystore, k) if show_seeds else None) for k in keys]
    )
    if not keys:
        report.warn("no keys matched query")
    app.output.report(report, as_json=as_json)
    if as_json or not keys:
        return
    app.output.data(_seeds_table(keystore, keys) if show_seeds else _keys_table(keys), end="")
