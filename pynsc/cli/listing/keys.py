"""``pynsc list keys``: the operator, account, user and curve keys of the context, and whether
their seeds are stored.

Parses flags and renders; which keys are listed, and their status, is
:func:`pynsc.actions.listing.list_keys`'.
"""

from __future__ import annotations

import click

from pynsc.actions import listing
from pynsc.actions.listing import KeyEntry, KeyListing, KeyQuery
from pynsc.cli._keylist import key_query_options
from pynsc.cli.app import App, pass_app
from pynsc.cli.base import command
from pynsc.cli.options import json_option
from pynsc.cli.table import Table
from pynsc.keys import KeyKind

UNREFERENCED_LEGEND = "[?] unreferenced key - may belong to a different operator context"
CURVE_LEGEND = "[ T ] auth callout encryption target"
SEED_LEGENDS = ("[ ! ] seed is not stored", "[ERR] error reading seed", CURVE_LEGEND)


def _entity(entry: KeyEntry) -> str:
    pad = {KeyKind.ACCOUNT: " ", KeyKind.USER: "  "}.get(entry.kind, "") if entry.kind else ""
    return entry.name if entry.unreferenced else pad + entry.name


def _signing(entry: KeyEntry) -> str:
    return "T" if entry.curve else "*" if entry.signing else ""


def _keys_table(keys: list[KeyEntry]) -> str:
    table = Table("Keys", headers=("Entity", "Key", "Signing Key", "Stored"))
    for entry in keys:
        stored = "BAD" if entry.invalid else "*" if entry.stored else ""
        table.add(_entity(entry), entry.pub, _signing(entry), stored)
    legends = [CURVE_LEGEND]
    if any(entry.unreferenced for entry in keys):
        legends.insert(0, UNREFERENCED_LEGEND)
    return table.render() + "".join(f"{line}\n" for line in legends)


def _seeds_table(result: KeyListing) -> str:
    table = Table("Seeds Keys", headers=("Entity", "Private Key", "Signing Key"))
    for entry in result.keys:
        if entry.invalid or not entry.stored:
            shown = f"{entry.pub} [!]"
        else:
            shown = result.seeds.get(entry.pub) or f"{entry.pub} [ERR]"
        table.add(_entity(entry), shown, _signing(entry))
    return table.render() + "".join(f"{line}\n" for line in SEED_LEGENDS)


@command("keys", short_help="List the keys of the context and whether they are stored.")
@key_query_options("Show", curves_flags=("-x", "--curve"))
@click.option("-S", "--show-seeds", "show_seeds", is_flag=True, default=False,
              help="Show the seeds instead of the public keys.")
@json_option
@pass_app
def list_keys(app: App, *, query: KeyQuery, show_seeds: bool, as_json: bool) -> None:
    """List keys: by default the operator's, the current account's and its users'.

    A kind flag (-o, -a, -u, -x, -A) lists that kind for every account (or --account). The
    Stored column tells whether the seed is in the keystore. --json prints
    [{"name", "pub", "parent", "expected_kind", "signing", "curve", "key_path", "invalid",
    "jwt", "seed"}] in "data" (seeds only with --show-seeds).
    """
    if query.unreferenced and show_seeds:
        raise click.UsageError("specify one of --show-seeds or --not-referenced")
    result = listing.list_keys(app.nsc, query, seeds=show_seeds)
    app.output.report(result.report, as_json=as_json)
    if as_json or not result.keys:
        return
    app.output.data(_seeds_table(result) if show_seeds else _keys_table(result.keys), end="")
