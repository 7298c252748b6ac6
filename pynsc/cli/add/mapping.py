"""``pynsc add mapping``: add (or change) a weighted subject mapping of an account.

Messages published to ``--from`` go to ``--to`` with ``--weight`` percent probability (0 means
100); entries with a ``--cluster`` apply only in that cluster, and the weights of one subject add
up to at most 100 per cluster (and separately for the entries without one). An entry with the
same ``to`` and cluster is replaced.
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING

import click

from pynsc.cli.app import App, pass_app
from pynsc.cli.base import command
from pynsc.cli.options import account_option, json_option
from pynsc.errors import NscError

if TYPE_CHECKING:
    from pynsc.claims import AccountClaims, WeightedMapping


@command("mapping", short_help="Add (or modify) a mapping entry.")
@click.option("-f", "--from", "from_subject", metavar="SUBJECT", default=None,
              help="Map from this subject (required).")
@click.option("-t", "--to", "to_subject", metavar="SUBJECT", default=None,
              help="To this subject (required).")
@click.option("--weight", type=click.IntRange(0, 255), default=0, show_default=False,
              metavar="1-100", help="Weight of this entry in percent (default: 100).")
@click.option("--cluster", metavar="NAME", default="",
              help="The cluster in which this entry applies.")
@account_option
@json_option
@pass_app
def add_mapping(
    app: App,
    *,
    from_subject: str | None,
    to_subject: str | None,
    weight: int,
    cluster: str,
    account: str | None,
    as_json: bool,
) -> None:
    """Add a mapping entry to the current (or -a) account, or change the one with the same
    --to and --cluster; the account is re-signed by the operator.

    To split traffic, run it once per destination with a weight each.
    """
    from pynsc.claims import WeightedMapping
    from pynsc.cli._accounts import account_update
    from pynsc.store.report import Report

    source = (from_subject or "").strip()
    target = (to_subject or "").strip()
    if not source:
        raise click.UsageError("from subject is required")
    if not target:
        raise click.UsageError("to subject is required")
    entry = WeightedMapping(subject=target, weight=weight, cluster=cluster.strip())
    report = Report()
    with account_update(app, account, report) as update:
        _put(update.claims, source, entry)
        check_mappings(update.claims)
    text = f"added mapping {source} -> {target}, weight {entry.effective_weight()}%"
    if entry.cluster:
        text += f', cluster "{entry.cluster}"'
    report.ok(text)
    report.data = {
        "account": update.name,
        "from": source,
        "to": target,
        "weight": entry.effective_weight(),
        "cluster": entry.cluster,
    }
    app.output.report(report, as_json=as_json)


def _put(claims: AccountClaims, source: str, entry: WeightedMapping) -> None:
    """Replace the entry of ``source`` with the same subject and cluster, else append one."""
    entries = claims.nats.mappings.setdefault(source, [])
    for index, existing in enumerate(entries):
        if existing.subject == entry.subject and existing.cluster == entry.cluster:
            entries[index] = entry
            return
    entries.append(entry)


def check_mappings(claims: AccountClaims) -> None:
    """nsc's check of the mappings alone (``mapping validation failed: [...]``), then of the whole
    account as it will be written (its first blocking issue)."""
    from pynsc.claims import Account, AccountClaims, validate

    only_mappings = AccountClaims(
        sub=claims.sub, nats=Account(mappings=copy.deepcopy(claims.nats.mappings))
    )
    issues = [issue.description for issue in validate(only_mappings).errors()]
    if issues:
        raise NscError(f"mapping validation failed: [{' '.join(issues)}]")
    # a copy: validation normalises some fields, which must not leak into the JWT
    errors = validate(copy.deepcopy(claims)).errors()
    if errors:
        raise NscError(errors[0].description)
